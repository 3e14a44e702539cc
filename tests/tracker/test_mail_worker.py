"""The mail queue (tracker/mail.py, tracker/mail_worker.py) as the people it serves rely on it: a slow or
dead email server slows nobody's page, a crash between a change and its email loses no email, two workers
never send one message twice, and `flask send-mail` sends what waits and says so.

The changes that email here are a record submitted for sign-off, which tells the manager straight away
when she chose that (tracker/notifications/)."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from factories import set_user
from helpers import deliver_mail, free_port, post, query, signed_in_client, tracker_config, use_smtp
from tracker import create_app, mail, mail_worker, notifications, records
from tracker.db import forget_connection, get_db, writing
from tracker.notifications import delivery

DEADLINE = 60  # seconds: generous, the machine is shared; every wait is on a condition
QUICK = 5  # seconds a page may take however the email server behaves (the mail timeout here is 30)


def wait_until(condition, what: str):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {DEADLINE} s: {what}")


def choose_now(app, person_id: int) -> None:
    set_user(app, person_id, notify="now")


def submit(client, inductee_id: int, activity_id: str = "1.1"):
    """The inductee writes notes and submits the record for sign-off; the response."""
    assert post(client, f"/records/{inductee_id}/{activity_id}/notes", {"notes": "My notes"}).status_code == 302
    return post(client, f"/records/{inductee_id}/{activity_id}/submit", {"confirm": "y"})


def time_passes(app) -> None:
    """Every retry time and every claim (a worker's hold on a message it is sending) runs out."""
    with app.app_context():
        db = get_db()
        with writing(db):
            db.conn.execute("UPDATE mail_queue SET next_attempt_at = '2000-01-01T00:00:00Z',"
                            " claimed_until = CASE WHEN claimed_until IS NULL THEN NULL"
                            " ELSE '2000-01-01T00:00:00Z' END")


# ---- 1. a hung email server ------------------------------------------------------------------

class HungServer:
    """An "SMTP server" on 127.0.0.1 that takes each TCP connection and never says a word: a mail server
    that has hung. The client waits for its greeting until its own timeout."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)  # so that the accepting thread sees stop() soon
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)  # kept open, never answered

    def stop(self) -> None:
        """Close everything (again does nothing): a client waiting for a greeting sees the connection closed."""
        self.stopping.set()
        self.thread.join(timeout=DEADLINE)
        for connection in self.connections:
            connection.close()
        self.listener.close()


@pytest.fixture
def hung_server():
    server = HungServer()
    yield server
    server.stop()


def test_a_hung_email_server_slows_nobodys_page(tmp_path, demo_database, hung_server):
    template, ids = demo_database
    shutil.copyfile(template, tmp_path / "tracker.sqlite")
    app = create_app(tracker_config(tmp_path, MAIL_WORKER="thread", MAIL_TIMEOUT=30, MAIL_SERVER="127.0.0.1",
                                    MAIL_PORT=hung_server.port, MAIL_SECURITY="none"))
    ceri, dafydd, rhian = ids["inductee2@example.org"], ids["inductee@example.org"], ids["manager@example.org"]
    choose_now(app, rhian)
    ceri_client, dafydd_client = (signed_in_client(app, f"{name}@example.org") for name in ("inductee2", "inductee"))
    try:
        started = time.monotonic()
        response = submit(ceri_client, ceri)
        took = time.monotonic() - started
        assert response.status_code == 302 and took < QUICK, f"the submission took {took:.1f} s"
        # the real worker thread took the email to the server and is stuck waiting for its greeting ...
        wait_until(lambda: hung_server.connections, "the mail worker connected to the email server")
        [claimed] = query(app, "SELECT sent_at FROM notifications WHERE kind = 'record_submitted'"
                               " AND inductee_id = ?", [ceri])
        assert claimed["sent_at"]
        # ... and meanwhile another change that emails is as quick, and so is any other page
        started = time.monotonic()
        response = submit(dafydd_client, dafydd, "1.4")  # 1.1 is signed off already
        page = dafydd_client.get("/my-induction")
        took = time.monotonic() - started
        assert response.status_code == 302 and page.status_code == 200 and took < QUICK, f"took {took:.1f} s"
    finally:
        # The worker ends after its current round; whatever it sends meanwhile goes to this test's outbox
        # folder, never to a server another test may start on the same port.
        app.config.update(MAIL_SERVER="", MAIL_POLL_SECONDS=3600)
        app.extensions["mail_worker"].stop(timeout=0)
        hung_server.stop()  # the worker's connection is closed: its attempt fails and the email waits
    [failed] = wait_until(lambda: query(app, "SELECT * FROM mail_queue WHERE last_error IS NOT NULL"),
                          "the worker's attempt ended when the server went away")
    assert failed["template"] == "notification" and failed["recipient_id"] == rhian and failed["failed_at"] is None


# ---- 2. a crash between the change and the send --------------------------------------------

@pytest.mark.parametrize("stage", ["changed", "queued", "sending"])
def test_a_crash_between_the_change_and_the_send_loses_no_email(tracker_app, people, signed_in, smtp_server, stage):
    """The process stops after the change committed (the worker off: nothing else ran), after the worker made
    the notification into a queued email, or while the worker was sending it (claimed, not yet taken by the
    server). A new process on the same database sends it, exactly once."""
    controller, inbox = smtp_server
    choose_now(tracker_app, people["rhian"])
    use_smtp(tracker_app, controller)
    assert submit(signed_in("inductee2@example.org"), people["ceri"]).status_code == 302
    [notification] = query(tracker_app, "SELECT * FROM notifications WHERE kind = 'record_submitted'"
                                         " AND inductee_id = ?", [people["ceri"]])
    assert notification["recipient_id"] == people["rhian"]
    assert notification["delivery"] == "now" and notification["sent_at"] is None
    if stage in ("queued", "sending"):
        with tracker_app.app_context():
            assert delivery.deliver_pending(get_db()) == 1
            if stage == "sending":
                assert mail.claim_next(get_db()) is not None  # taken to send; the process dies before the server has it
        assert len(query(tracker_app, "SELECT * FROM mail_queue")) == 1
    assert inbox.messages == []

    forget_connection()  # the process is gone; a new one starts on the same database
    restarted = create_app(tracker_config(Path(tracker_app.config["DATABASE"]).parent))
    use_smtp(restarted, controller)
    if stage == "sending":
        assert deliver_mail(restarted) == (0, 0)  # another worker may still be sending it: not yet
        time_passes(restarted)  # its claim runs out
    assert deliver_mail(restarted) == (1, 0)
    [message] = inbox.wait_for(1)
    assert message["To"] == "manager@example.org"
    assert "Ceri Williams submitted their record for activity 1.1" in message["Subject"]
    time_passes(restarted)
    assert deliver_mail(restarted) == (0, 0) and len(inbox.messages) == 1
    assert query(restarted, "SELECT * FROM mail_queue") == []


# ---- 3. two workers ------------------------------------------------------------------------

def test_two_workers_started_together_never_send_one_message_twice(tracker_app, people, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    count = 12
    with tracker_app.app_context():  # twelve comments on Ceri's record: twelve emails to her straight away
        db = get_db()
        record = records.get(db, people["ceri"], "1.1")
        with writing(db):
            for event in range(count):
                notifications.queue(db, "record_comment", [people["ceri"]], people["rhian"], f"comment-{event}",
                                    inductee_id=people["ceri"], record_id=record["id"])
    results, errors, start = [], [], threading.Barrier(2)

    def work():
        try:
            with tracker_app.app_context():  # each thread has its own connection to the database
                start.wait()
                results.append(mail_worker.work(get_db()))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            forget_connection()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE)
    assert errors == [] and len(results) == 2, errors
    assert sum(sent for sent, _ in results) == count and all(failed == 0 for _, failed in results)
    assert len(inbox.messages) == count  # each delivered before its worker moved on
    assert len({m["Message-ID"] for m in inbox.messages}) == count
    assert [e.rcpt_tos for e in inbox.envelopes] == [["inductee2@example.org"]] * count
    assert query(tracker_app, "SELECT * FROM mail_queue") == []
    assert deliver_mail(tracker_app) == (0, 0) and len(inbox.messages) == count


# ---- 4. flask send-mail --------------------------------------------------------------------

def test_send_mail_sends_what_waits_and_says_how_many(tracker_app, people, signed_in, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    choose_now(tracker_app, people["rhian"])
    assert submit(signed_in("inductee2@example.org"), people["ceri"]).status_code == 302
    assert submit(signed_in("inductee@example.org"), people["dafydd"], "1.4").status_code == 302
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and result.output.strip() == "send-mail: 2 sent", result.output
    assert [m["To"] for m in inbox.wait_for(2)] == ["manager@example.org"] * 2
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and result.output.strip() == "send-mail: 0 sent"
    assert len(inbox.messages) == 2


class Refuses:
    """An SMTP server's handler that refuses every message."""

    async def handle_DATA(self, server, session, envelope):
        return "554 Transaction failed"


@pytest.mark.parametrize("server", ["refuses the message", "is not there"])
def test_send_mail_fails_when_the_server_refuses_and_the_message_waits(
        tracker_app, people, signed_in, smtp_server, server):
    controller, inbox = smtp_server
    choose_now(tracker_app, people["rhian"])
    assert submit(signed_in("inductee2@example.org"), people["ceri"]).status_code == 302
    refusing = Controller(Refuses(), hostname="127.0.0.1", port=free_port())
    if server == "refuses the message":
        refusing.start()
    try:
        use_smtp(tracker_app, refusing)
        result = tracker_app.test_cli_runner().invoke(args=["send-mail"])
    finally:
        if server == "refuses the message":
            refusing.stop()
    assert result.exit_code != 0
    assert "0 sent, 1 refused by the email server" in result.output and "@" not in result.output
    [waiting] = query(tracker_app, "SELECT * FROM mail_queue")
    assert waiting["recipient_id"] == people["rhian"] and waiting["failed_at"] is None
    assert waiting["last_error"] == ("SMTPDataError" if server == "refuses the message" else "ConnectionRefusedError")
    use_smtp(tracker_app, controller)  # a working server, once the retry is due
    time_passes(tracker_app)
    result = tracker_app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0 and result.output.strip() == "send-mail: 1 sent"
    assert [m["To"] for m in inbox.wait_for(1)] == ["manager@example.org"]
