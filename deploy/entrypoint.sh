#!/bin/sh
# The image's entrypoint. With no argument: bring the database schema up to date, then serve with
# gunicorn. With `worker`: run queued background tasks (BACKGROUND_TASKS=database, docs/deploy.md)
# until stopped; any further arguments go to `manage.py db_worker` (e.g. `worker --batch` runs
# what is queued, then exits).
# Settings come from the environment (README, "Environment"); a missing or weak SECRET_KEY, an
# empty ALLOWED_HOSTS, no DATABASE_URL or an unreachable database (and the rest that
# config/settings/production.py refuses) stops here with one line on stderr.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"

if [ "${1:-}" = "worker" ]; then
  shift
  if [ "${BACKGROUND_TASKS:-}" != "database" ]; then
    echo "Refusing to start: a worker runs queued tasks; set BACKGROUND_TASKS=database for the worker and the web processes." >&2
    exit 2
  fi
  # The web process migrates (compose.yaml starts the worker once the web process is healthy).
  # Every queue; SIGTERM lets the running task finish, then the worker stops.
  exec python manage.py db_worker --queue-name '*' "$@"
fi

python manage.py migrate --noinput
# --preload loads the site once in the master (so a bad configuration stops start-up once,
# not in every worker); access log as lines on stdout beside the JSON application log.
exec gunicorn config.wsgi:application \
  --bind "0.0.0.0:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --preload \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
