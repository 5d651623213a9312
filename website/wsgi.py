import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")

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


if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
    _require_database()
