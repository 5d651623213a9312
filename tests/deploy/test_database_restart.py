"""A database restart as the public meets it: the production run of tests/deploy/test_media.py (the
image's entrypoint, gunicorn, PostgreSQL) keeps its database connection between requests
(DATABASE_CONN_MAX_AGE); the server then drops every connection, as a restart or a failover does.
The next requests are answered as before, not with one error per web process."""

import urllib.error

from tests.deploy.conftest import postgres_or_skip
from tests.deploy.test_entrypoint import get
from tests.deploy.test_media import production_site  # noqa: F401 (a fixture)


def test_visitors_get_answers_right_after_the_database_drops_every_connection(production_site):  # noqa: F811 (the imported fixture)
    site, env = production_site
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    # The web process has its connection open and kept (it answered /healthz to come up).
    assert get(site + "/healthz").status == 200

    admin = postgres_or_skip()
    try:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchone()[0]
    finally:
        admin.close()
    assert dropped >= 1, "the web process kept no connection open: nothing was tested"

    answers = []
    for path in ["/healthz", "/t/NOSUCHCODE", "/healthz"]:
        try:
            answers.append((path, get(site + path).status))
        except urllib.error.HTTPError as error:
            answers.append((path, error.code))
    assert answers == [("/healthz", 200), ("/t/NOSUCHCODE", 404), ("/healthz", 200)]
