#!/usr/bin/env bash
# The plain Django peer of make bench: its own virtualenv and database under bench/data/peers, seeded with
# as many articles as Newsdesk's bench desk. Usage: bench/peers/django/setup.sh [ARTICLES]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/../../data/peers"
venv="$data/django-venv"
mkdir -p "$data"
python="${PEER_PYTHON:-$(command -v python3.13 || command -v python3.12 || echo python3)}"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
if ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements"
fi
cd "$here"
"$venv/bin/python" manage.py migrate --noinput -v0
"$venv/bin/python" manage.py seed_news --articles "${1:-1000}"
