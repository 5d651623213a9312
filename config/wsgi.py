import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def _require_database() -> None:
    """Stop start-up with one line when the database cannot be reached, rather than serving
    500s (gunicorn runs this once in its master with --preload)."""
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001 - any driver error means the same to an operator
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        sys.stderr.write(f"Refusing to start: the database is unreachable ({first_line}).\n")
        raise SystemExit(2) from None
    finally:
        connection.close()  # not shared with the forked workers


def _log_deployment_warnings() -> None:
    """The site's own `check --deploy` warnings (website/checks.py) as log lines at start-up,
    where an operator who never runs the check still sees them."""
    import logging

    from django.core import checks

    from website.checks import TAG

    logger = logging.getLogger("website.checks")
    for message in checks.run_checks(tags=[TAG], include_deployment_checks=True):
        if not message.is_silenced():
            logger.warning("%s %s", message.msg, message.hint or "", extra={"check": message.id})


if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
    _require_database()
    _log_deployment_warnings()
