"""Signed exports: genuine exports pass, any changed byte fails, with the
tracker's check and with the stand-alone script that needs only the public key."""
from __future__ import annotations

import json
import subprocess
import sys

from helpers import ROOT
from tracker import signing

MANIFEST = {"person": {"id": 3, "name": "Dafydd Morgan"},
            "records": [{"activity": "1.1", "state": "signed_off", "content_version": "0123456789abcdef"}],
            "chain_head": "42:" + "a" * 64, "issued_at": "2026-12-02T00:00:00Z"}


def export_file(tmp_path, key, manifest=MANIFEST):
    file = tmp_path / "portfolio.json"
    file.write_text(json.dumps(signing.sign_export(manifest, key), indent=2, ensure_ascii=False), encoding="utf-8")
    return file


def script(file, public) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts/verify_portfolio.py"), str(file), public],
                          capture_output=True, text=True)


def test_a_genuine_export_verifies_with_only_the_public_key(tmp_path):
    key = signing.instance_signing_key(tmp_path / "instance")
    assert (tmp_path / "instance" / signing.KEY_FILE).stat().st_mode & 0o077 == 0  # the tracker's alone
    public = signing.public_key_text(key)
    file = export_file(tmp_path, key)
    ok, why = signing.verify_export(file.read_bytes(), public)
    assert ok and why.startswith("genuine")
    result = script(file, public)
    assert result.returncode == 0 and "genuine" in result.stdout
    assert signing.instance_signing_key(tmp_path / "instance").private_bytes_raw() == key.private_bytes_raw()


def test_every_changed_byte_of_the_manifest_is_caught(tmp_path):
    key = signing.instance_signing_key(tmp_path / "instance")
    public = signing.public_key_text(key)
    data = export_file(tmp_path, key).read_bytes()
    start = data.index(b'"manifest"')
    end = data.index(b'"signature"')
    for position in range(start, end):  # each byte of the manifest's text, one at a time
        changed = bytearray(data)
        changed[position] ^= 0x01
        assert not signing.verify_export(bytes(changed), public)[0], f"byte {position} changed and still genuine"
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(data.replace(b"signed_off", b"signed_of_"))
    assert script(tampered, public).returncode == 1
    assert not signing.verify_export(tampered.read_bytes(), public)[0]


def test_another_key_and_a_damaged_file_are_refused(tmp_path):
    key = signing.instance_signing_key(tmp_path / "one")
    other = signing.public_key_text(signing.instance_signing_key(tmp_path / "two"))
    file = export_file(tmp_path, key)
    assert signing.verify_export(file.read_bytes(), other) == (
        False, "the signature does not match: the export was changed, or signed with another key")
    assert not signing.verify_export(b"{not json", signing.public_key_text(key))[0]
    assert script(file, other).returncode == 1


def test_re_indenting_an_export_keeps_it_genuine(tmp_path):
    key = signing.instance_signing_key(tmp_path / "instance")
    export = json.loads(export_file(tmp_path, key).read_text(encoding="utf-8"))
    compact = json.dumps(export, separators=(",", ":")).encode()
    assert signing.verify_export(compact, signing.public_key_text(key))[0]


# ---- the tracker's signed portfolio export -------------------------------------------------------

def test_the_portfolio_export_is_signed_and_verify_portfolio_accepts_it_and_refuses_a_changed_byte(
        tracker_app, signed_in, people, tmp_path):
    tracker_app.instance_path = str(tmp_path / "instance")
    client = signed_in("inductee@example.org")
    response = client.get(f"/portfolio/{people['dafydd']}/signed.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    export = json.loads(response.data)
    manifest = export["manifest"]
    assert manifest["person"]["id"] == people["dafydd"] and manifest["records"]
    assert all(len(e["sha256"]) == 64 for r in manifest["records"] for e in r["evidence"])
    seq, digest = manifest["audit_chain_head"].split(":")
    assert seq.isdigit() and len(digest) == 64
    file = tmp_path / "export.json"
    file.write_bytes(response.data)
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["verify-portfolio", str(file)])
    assert result.exit_code == 0 and "genuine" in result.output
    changed = tmp_path / "changed.json"
    position = response.data.index(b'"signed_off"')
    changed.write_bytes(response.data[:position + 2] + b"S" + response.data[position + 3:])
    assert runner.invoke(args=["verify-portfolio", str(changed)]).exit_code == 1
    public = runner.invoke(args=["signing-key"]).output.split()[0]
    assert script(file, public).returncode == 0 and script(changed, public).returncode == 1


def test_the_pdf_carries_the_manifest_hash_and_the_chain_head(tracker_app, signed_in, people, tmp_path):
    import io

    from pypdf import PdfReader

    tracker_app.instance_path = str(tmp_path / "instance")
    client = signed_in("inductee@example.org")
    export = json.loads(client.get(f"/portfolio/{people['dafydd']}/signed.json").data)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        client.get(f"/portfolio/{people['dafydd']}/pdf").data)).pages).replace("\n", "").replace(" ", "")
    assert export["manifest_sha256"] in text
    assert export["manifest"]["audit_chain_head"] in text


def test_the_public_key_is_on_the_administrators_page(tracker_app, signed_in, tmp_path):
    tracker_app.instance_path = str(tmp_path / "instance")
    public = tracker_app.test_cli_runner().invoke(args=["signing-key"]).output.split()[0]
    assert public in signed_in("admin@example.org").get("/admin/users").get_data(as_text=True)
