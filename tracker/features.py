"""Every part of the tracker that attaches itself to the app, in the order it is attached.

Each is a module of tracker/ with a Blueprint `bp`, and attaches everything through it: its routes, its
commands (`bp.cli.command`, with cli_group=None so that they read `flask --app tracker NAME`), its template
helpers and request hooks (`bp.app_template_filter`, `bp.app_context_processor`, `bp.before_app_request`,
`bp.app_errorhandler`), and any set-up that needs the app itself (`bp.record_once`). Adding a feature is
writing such a module and naming it here (docs/architecture.md, "Adding a feature")."""
from __future__ import annotations

import importlib

from flask import Flask

FEATURES = (
    # the ground every page stands on: headers and refused hosts, languages, the database, content
    "security", "i18n", "db", "instance", "config", "content", "template_helpers", "sentences", "errors",
    # signing in
    "auth", "oidc", "account_links",
    # the induction
    "dashboards", "plans", "records.routes", "witness", "quizzes", "reflections", "pdp", "supervision",
    "portfolio", "induction_sign_off", "offline.routes",
    # the service lead's view of every team
    "reports.routes",
    # people's data, email and calendars
    "subject_access", "erasure", "notifications.routes", "calendar_feed",
    # administration and operations
    "admin", "outbox", "audit", "mail_worker", "backup", "replication", "demo",
    # GOV.UK Frontend's files
    "static",
)


def attach(app: Flask) -> None:
    for name in FEATURES:
        app.register_blueprint(importlib.import_module(f"tracker.{name}").bp)
