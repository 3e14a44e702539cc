"""The induction tracker: a Flask app factory; every feature attaches itself through its blueprint
(tracker/features.py)."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import lazy_gettext
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from . import config, features
from .config import PROJECT_ROOT  # noqa: F401 - tracker.PROJECT_ROOT, for the entry points
from .forms import AsciiIntConverter

csrf = CSRFProtect()
login_manager = LoginManager()
DEFAULT_LOGIN_FAILURE_DELAY = config.default("LOGIN_FAILURE_DELAY")  # as in production (tests/tracker/test_auth.py)


class Tracker(Flask):
    config_class = config.Settings  # a SECRET_KEY left empty is read, or made, when first needed


def create_app(test_config: dict | None = None) -> Flask:
    """The tracker's app. Making it opens and writes nothing on disk: no folder, database or key file
    (`flask --app tracker migrate` makes those; keys are also made when first needed)."""
    app = Tracker(__name__, instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or None,
                  instance_relative_config=True)
    app.config.from_mapping(config.defaults(Path(app.instance_path)))  # every setting: tracker/config.py
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(config.ENV_PREFIX)
    if test_config:
        app.config.update(test_config)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    if not app.config["PUBLIC_URL"]:
        app.logger.warning("TRACKER_PUBLIC_URL is not set: no email will carry a link (invitations, password"
                           " resets and witness requests are not sent); the administrators' pages say so")
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme come from the proxy's X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.url_map.converters["int"] = AsciiIntConverter  # before any route is added

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Sign in to continue.")
    login_manager.login_message_category = "info"
    features.attach(app)  # every feature, in order: tracker/features.py
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

