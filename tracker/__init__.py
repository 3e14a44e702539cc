"""The induction tracker: a Flask app factory with one blueprint per area."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask, redirect, render_template, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()
login_manager = LoginManager()
DEFAULT_LOGIN_FAILURE_DELAY = 0.2  # seconds added to every failed sign-in, the same for each


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or None,
                instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "tracker.sqlite"),
        UPLOAD_FOLDER=str(Path(app.instance_path) / "uploads"),
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
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or instance_secret_key(Path(app.instance_path))
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme come from the proxy's X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    from .forms import AsciiIntConverter
    app.url_map.converters["int"] = AsciiIntConverter  # before any route is added

    from . import content, db
    db.init_app(app)
    content.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"

    from . import (activities, admin, auth, backup, dashboards, demo, pdp, plans, portfolio, quizzes, reflections,
                   static, supervision)
    for module in (auth, admin, dashboards, plans, activities, quizzes, reflections, pdp, supervision, portfolio, static):
        app.register_blueprint(module.bp)
    demo.init_app(app)
    admin.init_cli(app)
    backup.init_app(app)
    register_error_pages(app)
    register_template_helpers(app)
    app.after_request(security_headers)

    @app.route("/")
    def home():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for(dashboards.home_endpoint(current_user)))

    return app


def instance_secret_key(instance: Path) -> str:
    """The secret key lives in the instance folder, never in the repository; made on first run."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


@login_manager.user_loader
def load_user(session_id: str):
    from .accounts import User, get_user
    from .db import get_db
    from .forms import ascii_int
    user_id, _, version = session_id.partition(":")
    if ascii_int(user_id) is None:
        return None
    row = get_user(get_db(), ascii_int(user_id))
    if row is None or not row["active"] or str(row["session_version"]) != version:
        return None
    return User(row)


CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


# The only responses the same for everyone, which browsers may keep: the tracker's CSS and
# GOV.UK Frontend's files.
SHARED_ENDPOINTS = {"static", "govuk.govuk"}


def security_headers(response):
    from flask import request
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint not in SHARED_ENDPOINTS:
        # Pages and downloads (portfolio PDF, JSON exports, evidence files) hold personal data:
        # no browser or proxy may keep a copy. send_file's own "no-cache" is replaced.
        response.headers["Cache-Control"] = "no-store"
    return response


ERRORS = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("You do not have access to this page", "If you think you should, ask your manager or administrator."),
    404: ("Page not found", "Check the address, or go back to your dashboard."),
    405: ("That action is not allowed here", "Go back and use the buttons on the page."),
    413: ("The file is too big", "Files must be smaller than 10 MB. Go back and choose a smaller file."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you saved before this has been lost."),
}


def register_error_pages(app: Flask) -> None:
    def render(code: int):
        title, advice = ERRORS[code]
        return render_template("error.html", title=title, advice=advice, code=code), code

    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", title="Your form has expired",
                               advice="Go back, reload the page and submit the form again.", code=400), 400


def register_template_helpers(app: Flask) -> None:
    from .accounts import ROLE_LABELS
    from .records import STATE_LABELS, STATE_TAG_COLOURS

    from urllib.parse import quote

    from markupsafe import Markup
    from flask import request

    # Python helpers, not Jinja macros: dashboards show one per activity, and macro calls are slow.
    state_tags = {state: Markup(f'<strong class="govuk-tag govuk-tag--{STATE_TAG_COLOURS[state]}">{label}</strong>')
                  for state, label in STATE_LABELS.items()}

    def record_url(inductee_id: int, activity_id: str) -> str:
        # Same URL as url_for("activities.record", ...) (a test checks), built without the router
        # because dashboards link every activity of every inductee.
        return f"{request.script_root}/records/{int(inductee_id)}/{quote(str(activity_id), safe='.')}"

    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, STATE_LABELS=STATE_LABELS,
                                 STATE_TAG_COLOURS=STATE_TAG_COLOURS, state_tag=state_tags.__getitem__,
                                 record_url=record_url)
    app.jinja_env.filters["date"] = lambda value: _format_date(value)


def _format_date(value) -> str:
    import datetime as dt
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%-d %B %Y at %H:%M")
    return value.strftime("%-d %B %Y")
