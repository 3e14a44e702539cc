"""Uploaded evidence: type and size checks, and storage outside the web root
under random names (the original name is kept only in the database, cleaned: see clean_name)."""
from __future__ import annotations

import os
import secrets
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext
from werkzeug.datastructures import FileStorage

# extension -> (what a person would call it, MIME type)
ALLOWED = {
    "jpg": ("photograph", "image/jpeg"), "jpeg": ("photograph", "image/jpeg"),
    "png": ("image", "image/png"), "heic": ("photograph", "image/heic"), "webp": ("image", "image/webp"),
    "pdf": ("PDF document", "application/pdf"),
    "docx": ("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "txt": ("text file", "text/plain"),
    "mp3": ("audio recording", "audio/mpeg"), "m4a": ("audio recording", "audio/mp4"),
    "wav": ("audio recording", "audio/wav"), "ogg": ("audio recording", "audio/ogg"),
}
# Formats whose content identifies them; a docx is a zip, which some readers report as zip.
SNIFFED_AS = {"jpeg": {"jpg"}, "docx": {"docx", "zip"}, "odt": {"odt", "zip"}}
ALLOWED_TYPES, LAST_TYPE = "JPG, PNG, HEIC, WEBP, PDF, DOCX, ODT, TXT, MP3, M4A, WAV", "OGG"
ALLOWED_DESCRIPTION = f"{ALLOWED_TYPES} or {LAST_TYPE}"
# A file name is shown on pages and sent back in a Content-Disposition header: characters that can
# break a header (CR, LF, NUL), reorder what is shown (right-to-left override) or hide (zero-width)
# are removed. Cc control, Cf format (bidi, zero-width), Zl/Zp line and paragraph separators,
# Cs lone surrogates (not valid UTF-8).
UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
MAX_NAME_BYTES = 255  # UTF-8: what most file systems allow, so a downloaded file can be saved as named
DEFAULT_STEM = "evidence"


class UploadError(ValueError):
    pass


@dataclass
class StoredFile:
    file_name: str
    stored_name: str
    content_type: str
    size: int


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_name(name: str | None, default_extension: str = "") -> str:
    """A file name safe to show and to send in a header: the last part of a path, NFC, no unsafe
    characters, at most MAX_NAME_BYTES of UTF-8 with its extension kept (the stem is cut). A name left
    with no stem is called "evidence" (with default_extension if it has none either)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in UNSAFE_CATEGORIES)
    name = unicodedata.normalize("NFC", name).strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = extension, default_extension
    stem = stem if stem.strip() else DEFAULT_STEM
    suffix = f".{extension}" if extension else ""
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    if room < len(DEFAULT_STEM):  # an absurd extension (only an old, uncleaned name): cut the whole name
        return _cut(stem + suffix, MAX_NAME_BYTES)
    return _cut(stem, room) + suffix


def _cut(text: str, limit: int) -> str:
    """text cut to at most limit bytes of UTF-8, never inside a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_name(file_name: str | None, content_type: str | None) -> str:
    """The name a stored file is shown and sent with: names are cleaned at upload, but a name kept
    before that may hold characters that break a header or reorder what is shown."""
    extension = next((ext for ext, (_, mime) in ALLOWED.items() if mime == content_type), "")
    return clean_name(file_name, extension)


def with_safe_names(evidence: list[dict]) -> list[dict]:
    """Evidence rows, each file's name replaced by its safe_name, for a page or a portfolio."""
    for item in evidence:
        if item.get("file_name"):
            item["file_name"] = safe_name(item["file_name"], item.get("content_type"))
    return evidence


def check_and_store(upload: FileStorage) -> StoredFile:
    if not upload.filename:
        raise UploadError(gettext("Select a file"))
    name = clean_name(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise UploadError(gettext("The file must be a %(types)s or %(last)s", types=ALLOWED_TYPES, last=LAST_TYPE))
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(gettext("The file must be smaller than %(size)s MB", size=limit // (1024 * 1024)))
    if not data:
        raise UploadError(gettext("The selected file is empty"))
    if not content_matches(extension, data):
        raise UploadError(gettext("The file's contents do not look like a .%(extension)s file", extension=extension))
    stored_name = secrets.token_hex(16)
    _write_new(upload_folder() / stored_name, data)
    return StoredFile(name, stored_name, ALLOWED[extension][1], len(data))


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file completely or not at all: a write that fails (a full disk) leaves nothing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@contextmanager
def removed_unless_saved(stored_names: list[str]):
    """All or nothing: files stored for evidence are removed if saving its rows fails, whatever the
    reason (the record's state changed, a busy database, a full disk), so no file is kept that no
    row names (erasure would never find it, and every backup would copy it)."""
    try:
        yield
    except BaseException:
        for name in stored_names:
            remove(name)
        raise


def content_matches(extension: str, data: bytes) -> bool:
    if extension == "txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    kind = filetype.guess(data[:8192])
    if kind is None:
        return False
    return kind.extension in SNIFFED_AS.get(extension, {extension})


def path_of(stored_name: str) -> Path:
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise FileNotFoundError(stored_name)
    return upload_folder() / stored_name


def remove(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink()
    except FileNotFoundError:
        pass
