#!/usr/bin/env bash
# The Wagtail peer for make bench: a virtualenv, the database, and N news pages.
#
#   bench/peers/wagtail/setup.sh [ARTICLES]     # default 1000; safe to run again (does nothing new)
#
# Venv:      bench/data/peers/wagtail-venv (PEER_PYTHON picks the interpreter; else pyenv's 3.13.0,
#            else python3.12, else python3). Packages are installed again only when requirements.txt changes.
# Database:  $DATABASE_PATH, default bench/data/peers/wagtail.sqlite3.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
DATA="$ROOT/bench/data/peers"
VENV="$DATA/wagtail-venv"
ARTICLES="${1:-1000}"

pick_python() {
    if [[ -n "${PEER_PYTHON:-}" && -x "${PEER_PYTHON}" ]]; then
        echo "$PEER_PYTHON"
    elif [[ -x /root/.pyenv/versions/3.13.0/bin/python3.13 ]]; then
        echo /root/.pyenv/versions/3.13.0/bin/python3.13
    elif command -v python3.12 >/dev/null 2>&1; then
        command -v python3.12
    else
        command -v python3
    fi
}

mkdir -p "$DATA"
if [[ ! -x "$VENV/bin/python" ]]; then
    "$(pick_python)" -m venv "$VENV"
fi

STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANT" ]]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$WANT" > "$STAMP"
fi

cd "$HERE"
"$VENV/bin/python" manage.py migrate --noinput -v0
"$VENV/bin/python" manage.py seed_news --articles "$ARTICLES"
