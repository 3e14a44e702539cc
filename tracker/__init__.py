"""The induction tracker: a Flask app factory with one blueprint per area."""
from __future__ import annotations

import datetime as dt
import importlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, redirect, url_for
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()
login_manager = LoginManager()
DEFAULT_LOGIN_FAILURE_DELAY = 0.2  # seconds added to every failed sign-in, the same for each
# Every feature's module has a blueprint `bp`; registered in this order (README: "Layout").
FEATURES = ("i18n", "auth", "oidc", "account_links", "admin", "dashboards", "plans", "records.routes", "witness",
            "quizzes", "reflections", "pdp", "supervision", "portfolio", "induction_sign_off", "subject_access",
            "erasure", "outbox", "notifications", "calendar_feed", "static")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or None,
                instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "tracker.sqlite"),
        UPLOAD_FOLDER=str(Path(app.instance_path) / "uploads"),
        DATABASE_BUSY_TIMEOUT=10,  # seconds a change waits for another's write lock before "The tracker is busy"
        CONTENT_ROOT=str(PROJECT_ROOT),
        GOVUK_FRONTEND=str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
        SITE_URL="",  # where the built handbook is served, e.g. "/" or "https://handbook.example.org"
        MAX_UPLOAD_BYTES=10 * 1024 * 1024,
        MAX_CONTENT_LENGTH=11 * 1024 * 1024,
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCKOUT_MINUTES=15,
        LOGIN_FAILURE_DELAY=DEFAULT_LOGIN_FAILURE_DELAY,
        TRUSTED_PROXIES=0,  # reverse proxies in front whose X-Forwarded-For/-Proto are believed
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # set TRACKER_SESSION_COOKIE_SECURE=true behind HTTPS
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        # Idle timeout: the signed session cookie expires this long after the last request.
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=30),
        MAX_FORM_MEMORY_SIZE=512 * 1024,  # text fields; files are limited by MAX_CONTENT_LENGTH
        MAX_FORM_PARTS=200,
        # Email (tracker/mail.py): with no MAIL_SERVER, messages go to OUTBOX_FOLDER as .eml files.
        MAIL_SERVER="",
        MAIL_PORT=587,
        MAIL_SECURITY="starttls",  # starttls, ssl (implicit TLS, usually port 465) or none (a local relay)
        MAIL_USERNAME="",
        MAIL_PASSWORD="",
        MAIL_CA_FILE="",  # a CA bundle for the SMTP server's certificate; empty: the system's
        MAIL_TIMEOUT=30,
        MAIL_FROM="EWS induction tracker <tracker@localhost>",
        OUTBOX_FOLDER=str(Path(app.instance_path) / "outbox"),
        MAIL_WORKER="thread",  # thread: each process sends queued email itself; off: a timer runs `flask send-mail`
        MAIL_POLL_SECONDS=30,  # how often the worker looks for email left waiting (it also wakes on each change)
        MAIL_MAX_ATTEMPTS=10,  # tries before a message is given up on (shown on the Outbox page), about 6 hours
        # The tracker's address, e.g. https://tracker.example.org: the only source of links in emails (never
        # the request's Host). Required by the production entry points (tracker/wsgi.py).
        PUBLIC_URL="",
        # Host names the tracker answers to, besides PUBLIC_URL's (a list, or names separated by commas);
        # a request for any other Host is refused with 400. Without PUBLIC_URL: localhost only.
        TRUSTED_HOSTS=[],
        AUDIT_ANCHOR_SECONDS=60,  # write the audit chain's head outside the database at most this often
        # Witness testimony by one-time link (tracker/witness.py)
        WITNESS_LINK_DAYS=14,
        WITNESS_MAX_FAILED_POSTS=10,  # statements refused (a field left empty) before a link stops working
        WITNESS_CLIENT_LIMIT=30,  # links that do not work, opened from one address in an hour, before a pause
        # Council sign-in by OpenID Connect (tracker/oidc.py): off while OIDC_ISSUER is empty.
        OIDC_ISSUER="",  # e.g. https://login.microsoftonline.com/<tenant-id>/v2.0
        OIDC_CLIENT_ID="",
        OIDC_CLIENT_SECRET="",
        OIDC_PROVIDER_NAME="",  # the button's words, e.g. "Cyngor Sir Example / Example Council"
        OIDC_CREATE_ACCOUNTS_DOMAIN="",  # empty: signing in never makes an account
        LOCAL_PASSWORDS=True,  # false: only BREAK_GLASS_ADMIN may still sign in with a password
        BREAK_GLASS_ADMIN="",  # the email address of that one administrator
        # Invitations and password reset by emailed link (tracker/account_links.py)
        INVITATION_HOURS=72,  # how long an invitation's link works
        RESET_MINUTES=60,  # how long a password-reset link works
        RESET_MAX_PER_ADDRESS=3,  # reset requests for one address in an hour before nothing more is sent
        RESET_MAX_PER_CLIENT=10,  # reset requests from one client (IP address) in an hour
        RESET_MIN_SECONDS=1.0,  # every reset request takes at least this long, whether or not the address exists
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or instance_secret_key(Path(app.instance_path))
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    if not app.config["PUBLIC_URL"]:
        app.logger.warning("TRACKER_PUBLIC_URL is not set: no email will carry a link (invitations, password"
                           " resets and witness requests are not sent); the administrators' pages say so")
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme come from the proxy's X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    from .forms import AsciiIntConverter
    app.url_map.converters["int"] = AsciiIntConverter  # before any route is added

    from . import audit, content, db, i18n, log_redaction, mail_worker
    log_redaction.install()
    i18n.init_app(app)
    db.init_app(app)
    audit.init_app(app)
    mail_worker.init_app(app)
    content.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Sign in to continue.")
    login_manager.login_message_category = "info"

    for name in FEATURES:
        app.register_blueprint(importlib.import_module(f".{name}", __name__).bp)
    from . import admin, backup, dashboards, demo, errors, outbox, security, template_helpers
    demo.init_app(app)
    admin.init_cli(app)
    outbox.init_cli(app)
    backup.init_app(app)
    errors.register_error_pages(app)
    template_helpers.register_template_helpers(app)
    app.after_request(security.security_headers)
    from werkzeug.exceptions import SecurityError
    app.register_error_handler(SecurityError, security.unknown_host)

    @app.route("/")
    def home():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for(dashboards.home_endpoint(current_user)))

    return app


LOCAL_HOSTS = ["localhost", "127.0.0.1"]  # werkzeug cannot match an IPv6 literal Host


def trusted_hosts(config) -> list[str]:
    """The Host names requests may carry (Flask refuses any other with 400): PUBLIC_URL's host and
    TRUSTED_HOSTS; with neither, only this machine's own names."""
    extra = config.get("TRUSTED_HOSTS") or []
    names = [n.strip() for n in (extra.split(",") if isinstance(extra, str) else extra) if n.strip()]
    public = urlsplit(config.get("PUBLIC_URL") or "").hostname
    names = ([public] if public else []) + names
    return list(dict.fromkeys(names or LOCAL_HOSTS))


def instance_secret_key(instance: Path) -> str:
    """The secret key lives in the instance folder, never in the repository; made on first run."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()
