"""The mail worker: sends the email that changes queued (tracker/mail.py), never on a request's thread.

MAIL_WORKER = "thread" (the default): each tracker process runs one daemon thread. It wakes when a
change that queued email commits, and every MAIL_POLL_SECONDS anyway, to send what other processes or
the command line left waiting. MAIL_WORKER = "off": nothing is sent by the server; a timer runs
`flask --app tracker send-mail` (docs/deployment.md). Either way a message is claimed before it is sent,
so two workers never send it twice, and it is deleted from the queue only once the server has taken it.
"""
from __future__ import annotations

import logging
import os
import threading

import click
from flask import Blueprint, Flask, current_app, has_request_context
from sqlite_utils import Database

from . import mail, signals
from .db import after_commit, get_db
from .notifications.delivery import deliver_pending

log = logging.getLogger(__name__)


def work(db: Database) -> tuple[int, int]:
    """One round: notifications chosen 'straight away' become messages, then what is due is sent.
    Returns (sent, failed)."""
    try:
        deliver_pending(db)
    finally:  # whatever happened to the notifications, what is already queued still goes
        sent = mail.send_waiting(db)
    return sent


class Worker:
    def __init__(self, app: Flask):
        self.app = app
        self.wakeup = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid: int | None = None
        self.stopping = False

    def ensure_running(self) -> None:
        """Start this process's thread if it is not running (after a fork, the parent's thread is gone)."""
        if self.stopping:
            return
        if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
            return
        with self.lock:
            if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self.run, name="tracker-mail", daemon=True)
            self.thread.start()

    def wake(self) -> None:
        self.ensure_running()
        self.wakeup.set()

    def stop(self, timeout: float = 60) -> None:
        """End the thread after its current round (for tests and an orderly shutdown)."""
        self.stopping = True
        self.wakeup.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def run(self) -> None:
        while not self.stopping:
            self.wakeup.wait(float(self.app.config["MAIL_POLL_SECONDS"]))
            self.wakeup.clear()
            if self.stopping:
                break
            try:
                with self.app.app_context():
                    work(get_db())
            except Exception:  # noqa: BLE001 - the thread must outlive a bad round; the queue keeps the mail
                log.exception("mail: the worker's round failed; what waits is tried again next round")


def worker(app: Flask) -> Worker | None:
    if app.config["MAIL_WORKER"] != "thread":
        return None
    return app.extensions.setdefault("mail_worker", Worker(app))


@signals.work_queued.connect
def wake_after_commit(db: Database) -> None:
    """Wake this process's worker once the caller's transaction has committed (a request only: a command
    sends what it queued itself, before it exits). Mail and notifications send work_queued."""
    if not has_request_context():
        return
    found = worker(current_app._get_current_object())
    if found is not None:
        after_commit(db, found.wake)


bp = Blueprint("mail_worker", __name__, cli_group=None)


def check_setting(state) -> None:
    if state.app.config["MAIL_WORKER"] not in ("thread", "off"):
        raise SystemExit(f"MAIL_WORKER must be 'thread' or 'off', not {state.app.config['MAIL_WORKER']!r}")


bp.record_once(check_setting)


@bp.before_app_request
def start_worker():
    found = worker(current_app._get_current_object())
    if found is not None:
        found.ensure_running()  # sends what was left waiting, e.g. by a process that stopped


@bp.cli.command("send-mail")
def send_mail_command():
    """Send the email waiting in the queue (with MAIL_WORKER=off, run this every minute from a timer)."""
    sent, failed = work(get_db())
    click.echo(f"send-mail: {sent} sent" + (f", {failed} refused by the email server (tried again later)"
                                             if failed else ""))
    if failed:
        raise SystemExit(1)
