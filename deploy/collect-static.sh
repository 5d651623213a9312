#!/bin/sh
# Build step of the image (Dockerfile) and of tests/deploy: collect the static files with hashed,
# compressed names into $STATIC_ROOT. Needs no database and no real secret: the key and the database
# address below exist only for this one command (the key signs nothing, the file is never opened).
set -eu
cd "$(dirname "$0")/.."
SECRET_KEY="${SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')}" \
ALLOWED_HOSTS="${ALLOWED_HOSTS:-build.invalid}" \
DATABASE_URL="${DATABASE_URL:-sqlite:////nonexistent/collectstatic-opens-no-database.sqlite3}" \
DJANGO_SETTINGS_MODULE=config.settings.production \
  python -W ignore::UserWarning manage.py collectstatic --noinput --verbosity 0
