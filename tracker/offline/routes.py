"""Saving offline, the server's side: the service worker and the web app manifest, the page shown when a page
was never kept, a fresh CSRF token for each send, and the two endpoints a phone sends its queue to (answers in
JSON, for tracker/static/offline/queue.js). Which pages a phone may keep is decided here, in KEPT_PAGES."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from pathlib import Path

from babel.dates import format_date
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .. import content, files, offline, records, reflections
from ..access import role_required
from ..db import get_db
from ..i18n import current_language
from ..privacy import identifying_details
from ..records.forms import evidence_fields, read_page, uploaded_file
from ..template_helpers import tracker_name

bp = Blueprint("offline", __name__)

WORKER = Path(__file__).resolve().parent.parent / "static" / "offline" / "worker.js"
# The maintained libraries the worker and the pages load (npm; docs/decisions.md, "Saving offline"), each from
# its package's build folder under OFFLINE_LIBRARIES. Workbox loads its modules by name (workbox-routing.prod.js).
LIBRARIES = {"idb": "build", "workbox-sw": "build", "workbox-core": "build", "workbox-routing": "build",
             "workbox-strategies": "build"}
# The files every kept page needs, kept by the worker when it installs (the same for everyone).
STATIC_FILES = ("tracker.css", "tracker.js", "print.js", "favicon.svg", "offline/queue.js")
GOVUK_FILES = ("govuk-frontend.min.css", "govuk-frontend.min.js")
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


# ---- which pages a phone may keep ------------------------------------------------------------------------------

def _own_open_record(args: dict) -> bool:
    if args.get("inductee_id") != current_user.id:
        return False
    record = records.get(get_db(), current_user.id, args.get("activity_id", ""))
    return content.activity(args.get("activity_id", "")) is not None and \
        (record is None or record["state"] in records.EDITABLE)


# endpoint -> whether this request's page is one the signed-in inductee may keep on their phone: their own
# dashboard, the record pages of their activities not yet signed off (which hold the activity's text and what
# it asks for), and the form for a new reflection. Nothing else is kept: not other people's pages, not signed-off
# records, not the portfolio or the reflective log (docs/deployment.md, "Saving offline").
KEPT_PAGES = {
    "dashboards.my_induction": lambda args: True,
    "records.record": _own_open_record,
    "reflections.new": lambda args: True,
}


@bp.after_app_request
def mark_kept_pages(response):
    rule = KEPT_PAGES.get(request.endpoint or "")
    if (rule and request.method == "GET" and response.status_code == 200 and current_user.is_authenticated
            and current_user.is_inductee and rule(request.view_args or {})):
        response.headers[offline.KEEP_HEADER] = offline.person_key(current_app.secret_key, current_user.id)
    return response


# the record as the page shows it, for a draft saved from the page
bp.add_app_template_global(offline.fingerprint, "offline_fingerprint")


@bp.app_context_processor
def offline_context():
    """What base.html needs to save offline: the inductee's key (None for anyone else), and the words."""
    person = None  # and none in an email, rendered with no one signed in
    if getattr(current_user, "is_authenticated", False) and current_user.is_inductee:
        person = offline.person_key(current_app.secret_key, current_user.id)
    return {"offline_person": person, "offline_words": offline_words}


def offline_words() -> dict:
    """The words tracker/static/offline/queue.js shows, in the page's language ({name} is filled in there): all of
    them for an inductee, and for anyone signed out only the warning that the last person left something unsent."""
    return _words(current_language(), bool(getattr(current_user, "is_authenticated", False)))


@functools.lru_cache(maxsize=8)
def _words(language: str, signed_in: bool) -> dict:
    """Made once per language, not on every page."""
    with force_locale(language):
        return _all_words() if signed_in else {"someoneElse": _someone_else()}


def _all_words() -> dict:
    return {
        "kept": gettext("Saved on this device. It will be sent when you are back online."),
        "notKept": gettext("This could not be saved on this device"),
        "nothing": gettext("There is nothing new to save."),
        "incomplete": gettext("Fill in the date, the title and all three questions, then save: nothing was kept yet."),
        "waiting": gettext("Saved on this device, not sent yet: {count}"),
        "sent": gettext("Sent: {count}"),
        "needsYou": gettext("Needs you: {count}"),
        "sending": gettext("Sending…"),
        "noConnection": gettext("Not sent yet: there is no connection. It is kept on this device."),
        "signIn": gettext("Sign in again to send what is saved on this device. It is kept until then."),
        "error": gettext("The tracker could not take it (error {code}). It is kept on this device."),
        "notes": gettext("notes"), "text": gettext("written evidence"), "file": gettext("file {name}"),
        "witness": gettext("witness testimony"), "reflection": gettext("Reflection: {title}"),
        "savedAt": gettext("Saved on this device {when}"), "sentAt": gettext("Sent {when}"),
        "old": gettext("Saved more than {days} days ago: send it soon. A phone may delete what a website keeps on it."),
        "status": {"waiting": gettext("Not sent yet"), "sent": gettext("Sent"), "failed": gettext("Not sent"),
                   "conflict": gettext("Changed meanwhile"), "check": gettext("Check it")},
        "changed": gettext("This record changed on the tracker after you saved your draft. Nothing has been"
                           " written over: choose what to do with your draft."),
        "cannotChange": gettext("This record is now “{state}”, so it cannot change. Copy what you need from your draft,"
                          " for example into a reflection, then discard it."),
        "yourDraft": gettext("Your draft, saved {when}"), "onTracker": gettext("On the tracker now: {state}"),
        "noNotes": gettext("No notes yet."),
        "add": gettext("Add my draft to the notes"), "addEvidence": gettext("Add it to the record"),
        "replace": gettext("Replace the notes with my draft"), "discard": gettext("Discard my draft"),
        "tryAgain": gettext("Try again"),
        "check": gettext("Check this before it is sent. It may identify someone: {reason}"),
        "sendAnyway": gettext("Send it as it is"),
        "signOutWarning": gettext("Saved on this device and not yet sent: {count}. Signing out deletes them from"
                                  " this device."),
        "someoneElse": _someone_else(),
        # dates as the tracker writes them (tracker/dates.py): "7 December 2026 at 19:34"
        "months": [format_date(dt.date(2026, month, 1), "MMMM", locale=str(get_locale())) for month in range(1, 13)],
        "at": gettext("%(date)s at %(time)s", date="{date}", time="{time}"),
    }


def _someone_else() -> str:
    return gettext("Saved on this device by the last person signed in, and not yet sent: {count}. If someone else"
                   " signs in, they are deleted.")


# ---- the worker, the manifest and the page for a page never kept ------------------------------------------------

@bp.route("/sw.js")
def worker():
    """The service worker, from the tracker's root so that its scope is the whole tracker. The files it keeps when
    it installs are named in it, so that a new version of any of them (a new address) installs a new worker."""
    urls = {
        "precache": [url_for("static", filename=name) for name in STATIC_FILES]
        + [url_for("govuk.govuk", filename=name) for name in GOVUK_FILES]
        + [url_for(".library", package="idb", filename="index.js")],
        "offlinePage": url_for(".page"),
        "workbox": url_for(".library", package="workbox-sw", filename="workbox-sw.js"),
        "libraries": url_for(".library", package="PACKAGE", filename="FILE"),
        "keepHeader": offline.KEEP_HEADER,
        "version": _version(),
    }
    body = f"self.TRACKER = {json.dumps(urls)};\n{WORKER.read_text(encoding='utf-8')}"
    return Response(body, mimetype="text/javascript")


def _version() -> str:
    """Changes when the files the worker keeps change, so that phones fetch them again."""
    static = Path(current_app.static_folder)
    stamps = [(static / name).stat().st_mtime for name in STATIC_FILES] + [WORKER.stat().st_mtime]
    return hashlib.sha256(repr(stamps).encode()).hexdigest()[:12]


@bp.route("/manifest.webmanifest")
def manifest():
    """Installing the tracker on a phone's home screen: its name in the language asked for (base.html asks in
    the page's language)."""
    language = "cy" if request.args.get("language") == "cy" else "en"  # not ?lang=, which changes the session
    with force_locale(language):
        name, short = tracker_name(), gettext("Induction")
    body = {
        "name": name, "short_name": short, "lang": "cy" if language == "cy" else "en-GB",
        "start_url": url_for("dashboards.my_induction"), "scope": url_for("home"), "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b0c0c",
        "icons": [{"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.route("/offline")
def page():
    """Shown by the worker when a page the phone never kept is opened with no signal. It names no one: the
    worker keeps it signed out."""
    versions = []
    for language in sorted(("en", "cy"), key=lambda language: language != current_language()):  # the page's first
        with force_locale(language):
            versions.append({"lang": language, "heading": gettext("You are offline"), "paragraphs": [
                gettext("This page was not kept on this device, so it cannot open without a signal."),
                gettext("The pages you have opened before open offline: My induction, your records not yet signed"
                        " off, and the form for a new reflection. What you save on them is kept on this device and"
                        " sent when you are back online.")]})
    return render_template("offline/offline.html", versions=versions)


@bp.route("/vendor/<package>/<path:filename>")
def library(package: str, filename: str):
    if package not in LIBRARIES:
        abort(404)
    folder = Path(current_app.config["OFFLINE_LIBRARIES"]) / package / LIBRARIES[package]
    return send_from_directory(folder, filename, max_age=86400)


# ---- sending what was saved offline ------------------------------------------------------------------------------

@bp.route("/offline/token")
@role_required("inductee")
def token():
    """A fresh CSRF token, asked for before each send: the one in a kept page may be older than the session."""
    return jsonify({"token": generate_csrf(), "person": offline.person_key(current_app.secret_key, current_user.id)})


def _answer(status: str, code: int = 200, **fields):
    return jsonify({"status": status, **fields}), code


def _not_to_save(record_of=None):
    """The answer when nothing is to be saved, or None: a bad key, another person's draft, or a key saved before
    (then the record's fingerprint as it is now, from `record_of`, so that the phone's later drafts follow it)."""
    if not KEY.fullmatch(request.form.get("key", "")):
        return _answer("failed", 400, reason=gettext("This was not saved as the tracker expects. Save it again."))
    if request.form.get("person") != offline.person_key(current_app.secret_key, current_user.id):
        return _answer("refused", 403, reason=gettext("This was saved on this device by someone else."))
    if offline.seen(get_db(), current_user.id, request.form["key"]):
        return _answer("duplicate", **({"fingerprint": offline.fingerprint(record_of())} if record_of else {}))
    return None


def _first_error(forms) -> str:
    for form in forms:
        for errors in form.errors.values():
            return str(errors[0])
    return gettext("Something in it needs fixing")


@bp.route("/offline/records/<int:inductee_id>/<activity_id>", methods=["POST"])
@role_required("inductee")
def send_record(inductee_id: int, activity_id: str):
    """Notes and evidence saved offline on the record page, sent once."""
    if inductee_id != current_user.id or content.activity(activity_id) is None:
        abort(404)
    db = get_db()
    answer = _not_to_save(lambda: records.get(db, inductee_id, activity_id))
    if answer:
        return answer
    notes_form, forms, wanted, invalid = read_page()
    if invalid:
        return _answer("failed", 400, reason=_first_error([notes_form] * ("notes" in invalid)
                                                          + [forms[kind] for kind in invalid if kind != "notes"]))
    stored = None
    if "file" in wanted:
        try:
            stored = files.check_and_store(uploaded_file())
        except files.UploadError as error:
            return _answer("failed", 400, reason=str(error))
    evidence = [evidence_fields(kind, forms[kind], stored if kind == "file" else None) for kind in wanted]
    stored_names = [stored.stored_name] if stored else []
    choice = request.form.get("choice") if request.form.get("choice") in offline.CHOICES else None
    draft = offline.RecordDraft(key=request.form["key"], base=request.form.get("base", ""),
                                notes=notes_form.notes.data or "" if notes_form else None,
                                evidence=tuple(evidence), choice=choice)
    try:
        with files.removed_unless_saved(stored_names):
            saved = offline.save_record(db, inductee_id, activity_id, content.kept_title(activity_id), draft)
    except offline.AlreadySaved:
        return _answer("duplicate")
    except offline.Changed as changed:
        record = changed.record
        return _answer("conflict", 409, locked=changed.locked, fingerprint=offline.fingerprint(record),
                       state=record["state"] if record else "not_started",
                       state_label=str(records.STATE_LABELS[record["state"] if record else "not_started"]),
                       notes=record["notes"] if record else "")
    return _answer("saved", fingerprint=offline.fingerprint(saved))


@bp.route("/offline/reflections", methods=["POST"])
@role_required("inductee")
def send_reflection():
    """A reflection written offline, sent once. Text that looks identifying is sent back to be checked first,
    as the form does (tracker/privacy.py); sent again with confirmed=yes, it is saved."""
    answer = _not_to_save()
    if answer:
        return answer
    db = get_db()
    form = reflections.ReflectionForm()
    reflections.set_choices(form, current_user.id)
    if not form.validate():
        return _answer("failed", 400, reason=_first_error([form]))
    warnings = identifying_details(form.title.data, form.what.data, form.so_what.data, form.now_what.data)
    if warnings and form.confirmed.data != "yes":
        return _answer("check", 422, reason=" ".join(str(w) for w in warnings))
    try:
        made = offline.save_reflection(db, current_user.id, request.form["key"], reflections.values_of(form))
    except offline.AlreadySaved:
        return _answer("duplicate")
    return _answer("saved", url=url_for("reflections.view", reflection_id=made))

