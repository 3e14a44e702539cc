"""Signed exports: a JSON manifest signed with an Ed25519 key, so that anyone holding the
service's public key can tell whether an export is genuine and unchanged, without an account.

The key lives in the instance folder (`INSTANCE/portfolio_signing_key.pem`, made on first use,
readable by the tracker only), never in the repository or the database. Its public key is shown
to administrators and printed by `flask --app tracker signing-key`; publish it (deployment guide).

An export is `{"manifest": {...}, "signature": "<base64>", "key_id": "<8 hex>"}`; the signature is
over the manifest as canonical JSON (sorted keys, no spaces, UTF-8), so re-indenting the file
does not break it but changing any value does. `verify_export` needs only the public key:
scripts/verify_portfolio.py is the same check as a stand-alone program.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "portfolio_signing_key.pem"


def canonical(manifest: dict) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def manifest_hash(manifest: dict) -> str:
    """The SHA-256 of the canonical manifest: printed on the PDF, so paper and file can be matched."""
    return hashlib.sha256(canonical(manifest)).hexdigest()


def instance_signing_key(instance: Path) -> Ed25519PrivateKey:
    instance.mkdir(parents=True, exist_ok=True)
    file = instance / KEY_FILE
    if not file.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
        except FileExistsError:  # another process made it first
            pass
    return serialization.load_pem_private_key(file.read_bytes(), password=None)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes: short enough to print and to paste."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(public_text: str) -> str:
    return hashlib.sha256(public_text.encode("ascii")).hexdigest()[:8]


def sign_export(manifest: dict, key: Ed25519PrivateKey) -> dict:
    public = public_key_text(key)
    return {"manifest": manifest, "signature": base64.b64encode(key.sign(canonical(manifest))).decode("ascii"),
            "key_id": key_id(public), "manifest_sha256": manifest_hash(manifest)}


def load_public_key(text: str) -> Ed25519PublicKey:
    raw = base64.b64decode(text.strip(), validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes (44 characters of base64)")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_export(data: bytes, public_text: str) -> tuple[bool, str]:
    """(genuine, why) for the bytes of an export file, against the service's public key."""
    try:
        export = json.loads(data.decode("utf-8"))
        manifest, signature = export["manifest"], base64.b64decode(export["signature"], validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        return False, f"not a signed export: {error}"
    if not isinstance(manifest, dict):
        return False, "not a signed export: the manifest is not an object"
    try:
        load_public_key(public_text).verify(signature, canonical(manifest))
    except (InvalidSignature, ValueError):
        return False, "the signature does not match: the export was changed, or signed with another key"
    return True, f"genuine: signed by key {key_id(public_text.strip())}, manifest {manifest_hash(manifest)[:16]}…"
