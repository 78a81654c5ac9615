#!/usr/bin/env bash
# Serve Guwen with one web process and one task worker; stopping one stops both.
# DEBUG stays off (Chinese error pages, no URL listings): outside production WhiteNoise finds the
# static files in the apps and node_modules itself (WHITENOISE_USE_FINDERS), so no collectstatic.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin
$bin/python manage.py worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$bin/python manage.py runserver --noreload "$host:$port"
