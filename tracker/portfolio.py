"""The induction portfolio: one page and one PDF per inductee, for induction sign-off
(induction_sign_off.py) and later accreditation."""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import click
from flask import Blueprint, Flask, Response, current_app, render_template, request

from . import (
    accounts,
    audit,
    content,
    files,
    pagecache,
    pdf_cache,
    pdp,
    pinned,
    progress,
    records,
    signing,
    supervision,
)
from .access import can_manage_induction, inductee_or_404, role_required
from .db import get_db
from .forms import ascii_int

bp = Blueprint("portfolio", __name__, cli_group=None)  # flask verify-portfolio, flask signing-key


def gather(db, inductee: dict) -> dict:
    inductee_id = inductee["id"]
    # Completed: signed off, or marked done when the activity needs no sign-off.
    signed = [r for r in db.query(
        "SELECT r.*, u.name AS signed_off_by_name FROM records r LEFT JOIN users u ON u.id = r.signed_off_by"
        " WHERE r.inductee_id = ? AND r.state IN ('signed_off', 'done')", [inductee_id])
        if records.is_complete(r["state"], _needs_sign_off(r["activity_id"]))]
    signed.sort(key=lambda r: tuple(ascii_int(p) or 0 for p in r["activity_id"].split(".")))
    evidence: dict[int, list[dict]] = {}
    for item in files.with_safe_names(list(db.query("SELECT e.* FROM evidence e JOIN records r ON r.id = e.record_id"
                                                    " WHERE r.inductee_id = ? ORDER BY e.id", [inductee_id]))):
        evidence.setdefault(item["record_id"], []).append(item)
    passes: dict[str, list[dict]] = {}
    for attempt in db.query("SELECT * FROM quiz_attempts WHERE inductee_id = ? AND passed ORDER BY id", [inductee_id]):
        passes.setdefault(attempt["activity_id"], []).append(attempt)
    for record in signed:
        record["evidence"] = evidence.get(record["id"], [])
        record["quizzes"] = passes.get(record["activity_id"], [])
        record["pin"] = pinned.view(db, record)
    reflections = list(db.query("SELECT * FROM reflections WHERE author_id = ? AND shared_at IS NOT NULL"
                                " ORDER BY entry_date, id", [inductee_id]))
    attempts = list(db.query("SELECT * FROM quiz_attempts WHERE inductee_id = ?"
                             " ORDER BY created_at, id", [inductee_id]))
    latest_pdp = pdp.version_of(db, inductee_id)
    sessions = sorted(supervision.sessions_of(db, inductee_id), key=lambda s: s["session_date"])
    return {
        "inductee": inductee,
        "managers": accounts.managers_of(db, inductee_id),
        "induction": progress.summary(db, inductee),
        "signed": signed,
        "reflections": reflections,
        "attempts": attempts,
        "pdp": latest_pdp,
        "objectives": json.loads(latest_pdp["objectives"]) if latest_pdp else [],
        "columns": pdp.OBJECTIVE_COLUMNS,
        "status_labels": pdp.STATUS_LABELS,  # pdp/_view.html, included by the portfolio
        "sessions": sessions,
        "actions": supervision.actions_by_session(db, inductee_id),
        "agreement": supervision.agreement_of(db, inductee_id),
        "signoff": next(db.query("SELECT s.*, u.name AS manager_name FROM induction_signoffs s JOIN users u"
                                 " ON u.id = s.signed_off_by WHERE s.inductee_id = ?", [inductee_id]), None),
    }


def _needs_sign_off(activity_id: str) -> bool:
    activity = content.activity(activity_id)
    return activity.sign_off if activity else True


def evidence_hash(item: dict) -> str:
    """SHA-256 of what the evidence holds: a file's bytes, or the text written."""
    if item["kind"] == "file" and item["stored_name"]:
        path = files.path_of(item["stored_name"])
        if path.exists():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    return hashlib.sha256((item["body"] or "").encode("utf-8")).hexdigest()


def manifest(db, data: dict) -> dict:
    """What a portfolio attests, for signing: the person, each completed record with the content
    version it was signed off against and the hashes of its evidence, and the audit chain's head.
    `as_of` is the time of the chain's last entry, so the same state always gives the same manifest
    (the PDF prints its hash; the JSON export carries it signed)."""
    head = audit.head(db)
    at = db.execute("SELECT at FROM audit_log WHERE id = ?", [head.seq]).fetchone()
    inductee = data["inductee"]
    return {
        "kind": "induction-portfolio", "format": 1, "service": current_app.extensions["handbook"].service.name,
        "person": {"id": inductee["id"], "name": inductee["name"], "email": inductee["email"]},
        "managers": [m["name"] for m in data["managers"]],
        "records": [{
            "activity_id": r["activity_id"], "title": r["activity_title"], "state": r["state"],
            "signed_off_at": r["signed_off_at"], "signed_off_by": r["signed_off_by_name"], "done_at": r["done_at"],
            "content_version": r["pin"]["version"] if r["pin"] else None,
            "evidence": [{"id": e["id"], "kind": e["kind"], "sha256": evidence_hash(e)} for e in r["evidence"]],
        } for r in data["signed"]],
        "induction_signed_off": ({"by": data["signoff"]["manager_name"], "at": data["signoff"]["signed_off_at"]}
                                 if data["signoff"] else None),
        "audit_chain_head": str(head), "as_of": at[0] if at else None,
    }


def signing_key():
    return signing.instance_signing_key(Path(current_app.instance_path))


@bp.route("/portfolio/<int:inductee_id>")
@role_required("inductee", "manager")
def page(inductee_id: int):
    inductee = inductee_or_404(inductee_id)  # the access check comes before a kept page is looked for
    return pagecache.serve(lambda: render_template("portfolio/page.html", **gather(get_db(), inductee),
                                                   can_sign_off=can_manage_induction(inductee_id)))


@bp.route("/portfolio/<int:inductee_id>/pdf")
@role_required("inductee", "manager")
def pdf(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    data = gather(get_db(), inductee)
    html = render_template("portfolio/pdf.html", **data, manifest=manifest(get_db(), data),
                           manifest_hash=signing.manifest_hash)
    document = pdf_cache.pdf_for(inductee_id, html, request.url_root, render_pdf)
    filename = f"induction-portfolio-{inductee_id}.pdf"
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1) of the HTML: its headings, lists and tables are in the PDF's structure tree, for
    screen readers and reflow; its language is the root element's lang and its title the page's <title>; its
    bookmarks are the headings that pdf.css gives a bookmark-level."""
    from weasyprint import HTML  # imported here: it is slow to load and only the PDF needs it (warm_up loads it early)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


# A tiny document in the portfolio's own styles, in both weights of its font, with each kind of element it has.
WARM_UP_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Warm-up</title>
<style>{css}</style></head><body><h1>Warm-up</h1><h2>Section</h2><h3>Activity</h3><h4>Part</h4>
<p>Text, <strong>bold</strong> and <em>slanted</em>: ŵ ŷ â.</p><ol><li>One</li></ol><ul><li>Two</li></ul>
<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
<dl><dt>Term</dt><dd>Value</dd></dl></body></html>"""
WARM_UP_TEMPLATES = ("portfolio/pdf.html", "portfolio/_contents.html", "records/_pinned.html", "pdp/_view.html")


def warm_up(app: Flask) -> threading.Thread:
    """Load WeasyPrint, its fonts and the portfolio's templates in a background thread, so that the first
    portfolio PDF a server makes is as quick as the ones after it (loading WeasyPrint alone takes seconds).
    Started where a server process creates its app (tracker/wsgi.py): that call returns at once. A server that
    forks after creating the app (gunicorn --preload) waits for the warm-up first, so that no worker starts
    with WeasyPrint half loaded."""
    thread = threading.Thread(target=_warm_up, args=(app,), name="tracker-pdf-warm-up", daemon=True)
    app.extensions["pdf_warm_up"] = thread
    os.register_at_fork(before=lambda: thread.join(60) if threading.current_thread() is not thread else None)
    thread.start()
    return thread


def _warm_up(app: Flask) -> None:
    started = time.perf_counter()
    try:
        for name in WARM_UP_TEMPLATES:
            app.jinja_env.get_template(name)
        css = app.jinja_env.loader.get_source(app.jinja_env, "portfolio/pdf.css")[0]
        render_pdf(WARM_UP_PAGE.format(css=css))
    except Exception:  # noqa: BLE001 - a failed warm-up only leaves the first PDF slower: the server carries on
        app.logger.exception("PDF warm-up failed: the first portfolio PDF will be slower")
        return
    app.logger.info("PDF warm-up done in %.1f s", time.perf_counter() - started)


@bp.route("/portfolio/<int:inductee_id>/signed.json")
@role_required("inductee", "manager")
def signed_export(inductee_id: int):
    """The portfolio's manifest signed with the service's key: anyone with the public key can check it."""
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    export = signing.sign_export(manifest(db, gather(db, inductee)), signing_key())
    body = json.dumps(export, indent=2, ensure_ascii=False) + "\n"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="induction-portfolio-{inductee_id}.signed.json"'})


@bp.cli.command("verify-portfolio", help="Check a signed portfolio export against this tracker's public key.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_portfolio_command(file: Path):
    ok, why = signing.verify_export(file.read_bytes(), signing.public_key_text(signing_key()))
    click.echo(why, err=not ok)
    if not ok:
        raise SystemExit(1)


@bp.cli.command("signing-key", help="Print the public key that checks this tracker's signed exports.")
def signing_key_command():
    public = signing.public_key_text(signing_key())
    click.echo(f"{public}  (key id {signing.key_id(public)})")
