#!/bin/sh
# Build step of the image (Dockerfile) and of tests/deploy: collect the static files with hashed,
# compressed names into $STATIC_ROOT. Needs no database and no real secret: the key below exists
# only for this one command and is never used to sign anything.
set -eu
cd "$(dirname "$0")/.."
SECRET_KEY="${SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')}" \
ALLOWED_HOSTS="${ALLOWED_HOSTS:-build.invalid}" \
DJANGO_SETTINGS_MODULE=website.settings.production \
  python -W ignore::UserWarning manage.py collectstatic --noinput --verbosity 0
