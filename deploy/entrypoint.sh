#!/bin/sh
# The image's entrypoint: bring the database schema up to date, then serve with gunicorn.
# Settings come from the environment (README, "Environment"); a missing or weak SECRET_KEY, an
# empty ALLOWED_HOSTS or an unreachable database stops here with one line on stderr.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-website.settings.production}"
python manage.py migrate --noinput
# --preload loads the site once in the master (so a bad configuration stops start-up once,
# not in every worker); access log as lines on stdout beside the JSON application log.
exec gunicorn website.wsgi:application \
  --bind "0.0.0.0:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --preload \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
