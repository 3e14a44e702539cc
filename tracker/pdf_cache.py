"""Portfolio PDFs kept as last made, so that an unchanged portfolio downloaded again is sent from disk in
milliseconds instead of made again by WeasyPrint (a few hundred milliseconds of CPU).

A PDF is kept under the SHA-256 of the HTML it was made from (and the address its links are made against):
the same HTML always makes the same PDF, so a kept one is never out of date, whatever changed; anything that
changes the portfolio (a record, the audit chain's head it prints, the language) changes the HTML and misses.
One PDF per person is kept (the newest): `PDF_CACHE_FOLDER/<person id>/<hash>.pdf`, folders mode 700, files
600, shared by the server's processes. They are personal data: erasure removes them
(tracker/personal_data.py), and they are sent `no-store` like every page."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app


def folder_of(person_id: int) -> Path:
    return Path(current_app.config["PDF_CACHE_FOLDER"]) / str(int(person_id))


def kept_files(person_id: int) -> list[Path]:
    folder = folder_of(person_id)
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


def pdf_for(person_id: int, html: str, base_url: str | None, make: Callable[[str, str | None], bytes]) -> bytes:
    """The PDF of html: the one kept if it was made from exactly this, else made now and kept."""
    key = hashlib.sha256(f"{base_url or ''}\0{html}".encode()).hexdigest()
    path = folder_of(person_id) / f"{key}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    document = make(html, base_url)
    _keep(path, document)
    return document


def _keep(path: Path, document: bytes) -> None:
    """Write atomically (another process may be reading), then drop the person's older PDFs."""
    path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the folder of everyone's, then theirs
    path.parent.mkdir(mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")  # mode 600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(document)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for older in path.parent.glob("*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
