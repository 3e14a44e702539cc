"""Uploaded evidence: type and size checks, and storage outside the web root
under random names (the original name is kept only in the database)."""
from __future__ import annotations

import secrets
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


def check_and_store(upload: FileStorage) -> StoredFile:
    name = Path(upload.filename or "").name
    if not name:
        raise UploadError(gettext("Select a file"))
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
    (upload_folder() / stored_name).write_bytes(data)
    return StoredFile(name, stored_name, ALLOWED[extension][1], len(data))


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
