#!/usr/bin/env bash
# Install everything the handbook needs on a fresh Debian machine (idempotent):
#   system packages (Debian's chromium for browser tests, aspell-cy for the Welsh spelling
#   check), a Python virtual environment from the hash-pinned lock file, and the npm front-end files.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)  # HTTP load tool for bench/tracker.py
command -v aspell >/dev/null 2>&1 || need_apt+=(aspell)  # build.py check: the Welsh spelling
aspell dicts 2>/dev/null | grep -qx cy || need_apt+=(aspell-cy)  # ... with Aspell's Welsh dictionary
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint (portfolio PDF)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
fi
# Reinstall only when the lock file changed since the last successful install.
stamp=.venv/.requirements.lock.sha256
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
    echo "setup: installing Python packages from requirements.lock"
    .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
    sha256sum requirements.lock > "$stamp"
fi

npm_stamp=node_modules/.package-lock.sha256
if ! sha256sum --status -c "$npm_stamp" 2>/dev/null; then
    echo "setup: installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
    sha256sum package-lock.json > "$npm_stamp"
fi

# The tracker's Welsh message catalogues: compile a .po to its .mo when the .mo is missing or older
# (the .mo files are not in git; tracker/translations holds the .po files and messages.pot).
for po in tracker/translations/*/LC_MESSAGES/messages.po; do
    [ -e "$po" ] || continue
    mo="${po%.po}.mo"
    if [ ! -e "$mo" ] || [ "$po" -nt "$mo" ]; then
        .venv/bin/pybabel compile -i "$po" -o "$mo"
    fi
done
