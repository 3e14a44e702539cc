"""Every setting of the tracker in one table: its name, its default and what it does.

create_app loads the defaults from SETTINGS, then INSTANCE/config.py, then the TRACKER_<NAME> environment
variables, then a test's configuration; code reads each as app.config[name], with no default of its own.
docs/configuration.md is made from this table (`flask --app tracker settings-doc`); tests/tracker/test_config.py
fails when the two differ, or when code under tracker/ reads a setting the table lacks.

The keys kept in the instance folder are made here too, by `flask --app tracker migrate` or when first
needed, never when the app is made: making the app writes nothing (tests/tracker/test_app_creation.py).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TRACKER"  # TRACKER_MAIL_PORT sets MAIL_PORT


@dataclass(frozen=True)
class Place:
    """A default that is a path: `relative` inside the instance folder (TRACKER_INSTANCE_PATH) or the
    project (the repository's folder). The documentation shows it as INSTANCE/… or PROJECT/…."""

    root: str  # "INSTANCE" or "PROJECT"
    relative: str

    def resolve(self, instance: Path) -> str:
        return str((instance if self.root == "INSTANCE" else PROJECT_ROOT) / self.relative)

    def __str__(self) -> str:
        return f"{self.root}/{self.relative}".rstrip("/")


def in_instance(relative: str) -> Place:
    return Place("INSTANCE", relative)


def in_project(relative: str = "") -> Place:
    return Place("PROJECT", relative)


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


MB = 1024 * 1024
SECTIONS: tuple[tuple[str, tuple[Setting, ...]], ...] = (
    ("Files and the database", (
        Setting("DATABASE", in_instance("tracker.sqlite"), "The SQLite database file (WAL mode)."),
        Setting("DATABASE_BUSY_TIMEOUT", 10,
                "Seconds a change waits for another's write to finish before the page *The tracker is busy*"
                " (HTTP 503; nothing saved)."),
        Setting("MIGRATE_ON_START", False,
                "`true`: making the app creates the database, or upgrades it, as each process starts (the tests"
                " use this). Leave it off in production: run `flask --app tracker migrate` when installing and"
                " after each upgrade; the production entry points refuse to start on a database that is behind."),
        Setting("UPLOAD_FOLDER", in_instance("uploads"),
                "Uploaded evidence, stored under random names, outside the web root."),
        Setting("PDF_CACHE_FOLDER", in_instance("pdf-cache"),
                "Each person's portfolio PDF as last made, sent again while the portfolio is unchanged (one per"
                " person; folders mode 700, files 600). Personal data: erasure removes a person's."),
        Setting("CONTENT_ROOT", in_project(),
                "The handbook's content the tracker reads: activities, quizzes and sections."),
        Setting("GOVUK_FRONTEND", in_project("node_modules/govuk-frontend/dist/govuk"),
                "GOV.UK Frontend's files (npm), served by the tracker."),
        Setting("OFFLINE_LIBRARIES", in_project("node_modules"),
                "The npm packages the phone's service worker and pages load to save offline: Workbox and idb."),
        Setting("SITE_URL", "",
                "Where the handbook is served, for links back to it, e.g. `/` or"
                " `https://handbook.example.gov.wales` (`run.sh` sets `/`)."),
        Setting("PDF_WARM_UP", True,
                "The production entry points make a first portfolio PDF in the background as they start, so that"
                " the first person's is as quick as the next."),
    )),
    ("Keys", (
        Setting("SECRET_KEY", "",
                "Signs sessions, and keys the hashes of sign-in failures and reset requests and the queued email's"
                " encryption. Empty: `INSTANCE/secret_key` (mode 600), made by `flask --app tracker migrate` or by"
                " the first request that needs it. Never commit it."),
        Setting("AUDIT_KEY", "",
                "The key of the audit chain's HMACs. Empty: `INSTANCE/audit_key` (mode 600), made by"
                " `flask --app tracker migrate` or by the first audit entry. Keep a copy away from the database's"
                " backups; never commit it."),
        Setting("AUDIT_OLD_KEYS", [],
                "Earlier audit keys (a list, or keys separated by commas; or lines of `INSTANCE/audit_keys.old`),"
                " so that entries made with them still verify."),
        Setting("AUDIT_ANCHORS_FILE", in_instance("audit_anchors.txt"),
                "Where the audit chain's head is appended as it grows, by each backup and by each restore: put it"
                " where whoever can write the database cannot rewrite it."),
        Setting("AUDIT_ANCHOR_SECONDS", 60,
                "At most how often each process appends the chain's head (and logs it) while there are writes."),
    )),
    ("Addresses, proxies and sessions", (
        Setting("PUBLIC_URL", "",
                "The tracker's address, e.g. `https://tracker.example.gov.wales`: the only source of links in"
                " emails and of the calendar address (never the request's `Host`); its host is one the tracker"
                " answers to. Required by the production entry points (`tracker.wsgi`); without it no email"
                " carries a link."),
        Setting("TRUSTED_HOSTS", [],
                "Other host names the tracker answers to (a list, or names separated by commas); a request for any"
                " other `Host` gets 400. With neither this nor `PUBLIC_URL`: `localhost` and `127.0.0.1`."),
        Setting("TRUSTED_PROXIES", 0,
                "How many reverse proxies in front set `X-Forwarded-For` and `X-Forwarded-Proto` (`1` behind"
                " nginx, or every client looks like the proxy)."),
        Setting("SESSION_COOKIE_SECURE", False, "`true` behind HTTPS: cookies are sent over HTTPS only (Flask)."),
        Setting("SESSION_COOKIE_HTTPONLY", True, "Scripts cannot read the session cookie (Flask)."),
        Setting("SESSION_COOKIE_SAMESITE", "Lax", "The session cookie is not sent with other sites' requests (Flask)."),
        Setting("REMEMBER_COOKIE_HTTPONLY", True, "Scripts cannot read the sign-in cookie (Flask-Login)."),
        Setting("PERMANENT_SESSION_LIFETIME", dt.timedelta(minutes=30),
                "Idle timeout, in seconds: the signed session cookie expires this long after the last request"
                " (Flask)."),
        Setting("WTF_CSRF_TIME_LIMIT", None,
                "Seconds a form's CSRF token lasts; `null`: as long as the session (Flask-WTF)."),
    )),
    ("Requests and uploads", (
        Setting("MAX_UPLOAD_BYTES", 10 * MB, "The largest evidence file."),
        Setting("MAX_CONTENT_LENGTH", 11 * MB,
                "The largest request: a file of `MAX_UPLOAD_BYTES` and the form around it (Flask)."),
        Setting("MAX_FORM_MEMORY_SIZE", 512 * 1024,
                "The most a form's text fields may hold; files are limited by `MAX_CONTENT_LENGTH` (Flask)."),
        Setting("MAX_FORM_PARTS", 200, "The most fields and files one form may have (Flask)."),
    )),
    ("Signing in", (
        Setting("LOGIN_MAX_FAILURES", 5,
                "Failed sign-ins for one address from one client (IP address) before that address cannot sign in"
                " from that client for `LOGIN_LOCKOUT_MINUTES`."),
        Setting("LOGIN_LOCKOUT_MINUTES", 15, "How long that lasts."),
        Setting("LOGIN_FAILURE_DELAY", 0.2,
                "Seconds added to every failed sign-in, the same for each, whether or not the address has an"
                " account."),
        Setting("PASSWORD_HASH_TIME_COST", 3,
                "argon2's passes over memory for each new password hash (argon2-cffi's default). Sign-in reads the"
                " cost from the stored hash. Lower it only for tests: a cheap hash is cheap to guess."),
        Setting("PASSWORD_HASH_MEMORY_KIB", 65536,
                "argon2's memory, in KiB, for each new password hash (argon2-cffi's default, 64 MiB). Lower it only"
                " for tests."),
        Setting("LOCAL_PASSWORDS", True,
                "`false`: no password sign-in, change or reset for anyone but `BREAK_GLASS_ADMIN` (everyone signs"
                " in through the council)."),
        Setting("BREAK_GLASS_ADMIN", "",
                "The email address of the one administrator who may still use a password when `LOCAL_PASSWORDS`"
                " is off, at `/login/break-glass`."),
        Setting("OIDC_ISSUER", "",
                "Council sign-in by OpenID Connect: the identity provider's issuer, e.g."
                " `https://login.microsoftonline.com/<tenant-id>/v2.0`. Empty: council sign-in is off."),
        Setting("OIDC_CLIENT_ID", "", "The tracker's registration with the provider."),
        Setting("OIDC_CLIENT_SECRET", "", "Its secret; keep it out of the repository."),
        Setting("OIDC_PROVIDER_NAME", "",
                "The button's words after *Sign in with*, e.g. `Cyngor Sir Example / Example Council`. Empty:"
                " *your council account*."),
        Setting("OIDC_CREATE_ACCOUNTS_DOMAIN", "",
                "An email domain, e.g. `example.gov.wales`: a verified address there with no account gets one (an"
                " inductee with no manager) on first sign-in. Empty: signing in never makes an account."),
    )),
    ("The service lead's report", (
        Setting("REPORTS_LEAD_SEES_EVIDENCE", False,
                "Whether the service lead may open inductees' evidence files from their report. Off: the lead sees"
                " states, dates and counts only, never a file."),
    )),
    ("Saving offline", (
        Setting("OFFLINE_DRAFT_DAYS", 3,
                "Days after which something saved on a phone and not yet sent is flagged, asking the person to send"
                " it: iPhones delete a site's stored data after 7 days without a visit."),
    )),
    ("Invitations, password resets and witness links", (
        Setting("INVITATION_HOURS", 72, "How long an invitation's link works."),
        Setting("RESET_MINUTES", 60, "How long a password-reset link works."),
        Setting("RESET_MAX_PER_ADDRESS", 3,
                "Reset requests for one address in an hour; beyond it the same page, and nothing sent."),
        Setting("RESET_MAX_PER_CLIENT", 10, "Reset requests from one client (IP address) in an hour."),
        Setting("RESET_MIN_SECONDS", 1.0,
                "Every reset request takes at least this long, so the time does not tell whether an address has"
                " an account."),
        Setting("WITNESS_LINK_DAYS", 14, "How long a witness's one-time link works."),
        Setting("WITNESS_MAX_FAILED_POSTS", 10,
                "Statements refused (a field left empty) before a link stops working."),
        Setting("WITNESS_CLIENT_LIMIT", 30,
                "Links that do not work, opened from one address in an hour, before it must wait."),
    )),
    ("Email", (
        Setting("MAIL_SERVER", "",
                "The SMTP server. Empty: messages go to `OUTBOX_FOLDER` and the administrators' Outbox page."),
        Setting("MAIL_PORT", 587, "The SMTP server's port."),
        Setting("MAIL_SECURITY", "starttls",
                "`starttls`, `ssl` (implicit TLS, usually port 465) or `none` (a local relay)."),
        Setting("MAIL_USERNAME", "", "SMTP authentication (only over TLS unless `none`)."),
        Setting("MAIL_PASSWORD", "", "Its password."),
        Setting("MAIL_CA_FILE", "", "A CA bundle for the SMTP server's certificate. Empty: the system's."),
        Setting("MAIL_TIMEOUT", 30, "Seconds to wait for the SMTP server."),
        Setting("MAIL_FROM", "EWS induction tracker <tracker@localhost>", "The From address."),
        Setting("OUTBOX_FOLDER", in_instance("outbox"),
                "Where messages go with no SMTP server, as `.eml` files (folder mode 700, files 600)."),
        Setting("MAIL_WORKER", "thread",
                "`thread`: each server process sends queued email itself; `off`: a timer runs"
                " `flask --app tracker send-mail`."),
        Setting("MAIL_POLL_SECONDS", 30,
                "How often the worker thread looks for email left waiting (it also wakes with each change)."),
        Setting("MAIL_MAX_ATTEMPTS", 10,
                "Tries (1, 2, 4 … minutes apart, at most an hour) before a message is given up on, about six"
                " hours; the Outbox page shows it."),
    )),
)
SETTINGS: tuple[Setting, ...] = tuple(setting for _, settings in SECTIONS for setting in settings)
BY_NAME = {setting.name: setting for setting in SETTINGS}


def default(name: str):
    """A setting's default as the table gives it (a Place for a path)."""
    return BY_NAME[name].default


def defaults(instance: Path) -> dict:
    """Every setting's default, paths made from this instance folder and the project."""
    return {setting.name: setting.default.resolve(instance) if isinstance(setting.default, Place)
            else copy.deepcopy(setting.default) for setting in SETTINGS}


def setting_on(value) -> bool:
    """A true/false setting, from config.py (a bool) or the environment (JSON true/false, or a word)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


# ---- keys in the instance folder ----------------------------------------------------------------

def instance_secret(instance: Path, name: str) -> str:
    """The random secret in INSTANCE/name (mode 600), made if there is none. It is written whole to a file of
    its own, then linked into place, so that processes starting together all end with the same secret and
    none ever reads half of one."""
    file = instance / name
    if not file.exists():
        instance.mkdir(parents=True, exist_ok=True, mode=0o700)
        draft = instance / f".{name}.{secrets.token_hex(8)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(draft, file)
            except FileExistsError:  # another process made it first: theirs is the secret
                pass
        finally:
            draft.unlink()
    return file.read_text().strip()


class Settings(Config):
    """Flask's config, except that a SECRET_KEY left empty comes from INSTANCE/secret_key, read (and made,
    if it is missing) the first time something needs it: a session, a form's CSRF token, a keyed hash. So
    making the app reads and writes no key file."""

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if name == "SECRET_KEY" and not value:
            value = self["SECRET_KEY"] = instance_secret(Path(self.root_path), "secret_key")
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default


# ---- docs/configuration.md --------------------------------------------------------------------

DOC_HEAD = """\
# The tracker's settings

<!-- Made from tracker/config.py by `flask --app tracker settings-doc > docs/configuration.md`:
change the table there, then run that (tests/tracker/test_config.py checks the two agree). -->

Each setting is an environment variable `TRACKER_<NAME>`, or a line `NAME = value` of
`INSTANCE/config.py`. An environment variable's value is read as JSON when it is JSON (`true`,
`30`, `["a", "b"]`, `null`), and as text otherwise. `INSTANCE` is the instance folder,
`TRACKER_INSTANCE_PATH` (by default `instance/` in the repository), and `PROJECT` the repository's
folder. Settings marked (Flask), (Flask-Login) or (Flask-WTF) are those libraries' own, set here as the
tracker needs them.
"""


def shown(value) -> str:
    """A default as it would be written in the environment."""
    if isinstance(value, Place):
        return f"`{value}`"
    if isinstance(value, dt.timedelta):
        return f"`{int(value.total_seconds())}`"
    if value == "":
        return "empty"
    return f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value)}`"


def markdown() -> str:
    """docs/configuration.md: every setting by section, with its environment variable, default and meaning."""
    parts = [DOC_HEAD]
    for title, settings in SECTIONS:
        parts.append(f"\n## {title}\n\n| environment variable | default | meaning |\n| --- | --- | --- |\n")
        parts += [f"| `{ENV_PREFIX}_{s.name}` | {shown(s.default)} | {s.help.replace('|', '&#124;')} |\n"
                  for s in settings]
    return "".join(parts)


bp = Blueprint("config", __name__, cli_group=None)


@bp.cli.command("settings-doc")
def settings_doc_command():
    """Print docs/configuration.md, made from the settings table (tracker/config.py)."""
    click.echo(markdown(), nl=False)
