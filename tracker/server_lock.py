"""Whether a server is using the database: each server process (tracker/wsgi.py) holds a shared lock on
DATABASE.lock for as long as it runs; `restore` takes it exclusively, so a restore is refused while any
server runs (writes acknowledged after it would be lost), and a server starting during a restore waits
for it to finish. flock locks end with the process, however it ends."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class ServerRunning(Exception):
    pass


def lock_path(database: str | Path) -> Path:
    return Path(str(database) + ".lock")


def _open(database: str | Path) -> int:
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    return os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)


def hold_for_server(database: str | Path) -> int:
    """Take the shared lock for this server process (waiting while a restore runs); the descriptor is kept
    open, and the lock held, until the process ends."""
    fd = _open(database)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


@contextmanager
def no_server_running(database: str | Path):
    """Hold the database for a restore, or raise ServerRunning if any server process holds it."""
    fd = _open(database)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServerRunning("the tracker is running on this database: stop it first") from None
        yield
    finally:
        os.close(fd)  # releases the lock
