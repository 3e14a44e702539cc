#!/usr/bin/env bash
# Install what the product needs on a fresh Debian machine (idempotent):
#   ./scripts/setup.sh          to run it (run.sh): aspell-cy (the handbook build's Welsh spelling check),
#                               WeasyPrint's libraries, .venv from requirements.lock, npm front-end files
#   ./scripts/setup.sh --test   to test it too (test.sh): also Debian's chromium (browser tests), wrk
#                               (bench/tracker.py), the test packages (requirements-test.lock: the same pins
#                               plus the test tools) and axe-core
set -euo pipefail
cd "$(dirname "$0")/.."
test_tools=false
[ "${1:-}" = "--test" ] && test_tools=true

need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v aspell >/dev/null 2>&1 || need_apt+=(aspell)  # build.py check: the Welsh spelling
aspell dicts 2>/dev/null | grep -qx cy || need_apt+=(aspell-cy)  # ... with Aspell's Welsh dictionary
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint (portfolio PDF)
if $test_tools; then
    command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
    command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)  # HTTP load tool for bench/tracker.py
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
fi
# Reinstall only when the lock file changed since the last successful install of it.
lock=requirements.lock
$test_tools && lock=requirements-test.lock
stamp=".venv/.$lock.sha256"
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
    echo "setup: installing Python packages from $lock"
    .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
    sha256sum "$lock" > "$stamp"
fi

npm_stamp=node_modules/.package-lock.sha256
npm_mode=runtime
$test_tools && npm_mode=test
if ! sha256sum --status -c "$npm_stamp" 2>/dev/null \
        || { $test_tools && ! grep -qx test node_modules/.npm-mode 2>/dev/null; }; then
    echo "setup: installing npm packages from package-lock.json ($npm_mode)"
    if $test_tools; then npm ci --no-audit --no-fund --loglevel=error; else npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
    sha256sum package-lock.json > "$npm_stamp"
    echo "$npm_mode" > node_modules/.npm-mode
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
