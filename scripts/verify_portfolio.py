#!/usr/bin/env python3
"""Check a signed portfolio export from an EWS induction tracker, with nothing but the service's
public key (shown to the service's administrators; needs the `cryptography` package):

    python3 verify_portfolio.py portfolio.json "BASE64-PUBLIC-KEY"

Exit 0 and "genuine" when the export is unchanged and signed by that key; exit 1 otherwise.
The same check as `flask --app tracker verify-portfolio` (tracker/signing.py), kept stand-alone.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(manifest):
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main(path, public_text):
    try:
        with open(path, "rb") as handle:
            export = json.loads(handle.read().decode("utf-8"))
        manifest, signature = export["manifest"], base64.b64decode(export["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_text.strip(), validate=True))
        public.verify(signature, canonical(manifest))
    except (OSError, ValueError, KeyError, TypeError, InvalidSignature) as error:
        print(f"NOT genuine: {error or 'the signature does not match'}")
        return 1
    print(f"genuine: manifest sha256 {hashlib.sha256(canonical(manifest)).hexdigest()}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
