"""Shared fixtures: a minimal site tree (Home → Cooperatives → two cooperatives, Home → Shop)
built per test; tests add just the pages they need beneath it. The other languages' locales
(`english`, `hmong`), the registry of codes, and the people of the admin (`officer`,
`coop1_editor`, `coop2_editor`) as the administrator sets them up. Helpers that are not
fixtures live in tests/helpers.py."""

import time

import pytest

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from growers.factories import CooperativeIndexPageFactory, CooperativePageFactory
from products.factories import ShopPageFactory
from website.factories import HomePageFactory


def ensure_wagtail_base_rows():
    """The default locale, the page tree's root and the root collection, as Wagtail's migrations
    make them. A test with transaction=True empties every table when it ends, so tests that run
    after one (pytest-django runs those last) must not rely on migration data still being there."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", live=True))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages (website/page_cache.py) and rate-limit
    counters must not carry over from another test's rolled-back data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    """Texts sent by the "locmem" backend (the test settings') are kept per test, like mail.outbox."""
    import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def rate_limits_in_one_window(monkeypatch):
    """Rate limits count in fixed slices of the clock (a minute, a quarter hour, an hour); a test
    that sends N requests and expects the N-th refused must not straddle two slices, or its first
    requests fall in one and the rest start afresh (a flaky failure under load). website.ratelimit
    reads a clock pinned to just after the start of a day, which every window length divides."""
    import types

    from website import ratelimit

    start_of_day = (int(time.time()) // 86400) * 86400 + 1
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: start_of_day))


@pytest.fixture
def fresh_locale_ids():
    """Locale ids are remembered per process (website/i18n.py); a test that builds its own
    locales (`pytestmark = pytest.mark.usefixtures("fresh_locale_ids")`) must not read the ids a
    rolled-back test gave to others."""
    from website import i18n

    i18n.forget_locale_ids()
    yield
    i18n.forget_locale_ids()


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def hmong(db):
    return Locale.objects.get_or_create(language_code="hmn")[0]


@pytest.fixture
def home(db):
    root = ensure_wagtail_base_rows()
    # Wagtail's initial migration makes a placeholder page and site; replace them.
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def cooperative_index(home):
    return CooperativeIndexPageFactory(parent=home)


@pytest.fixture
def shop(home):
    return ShopPageFactory(parent=home)


@pytest.fixture
def coop1(cooperative_index):
    return CooperativePageFactory(
        parent=cooperative_index, title="HTX Thảo quả Sì Lở Lầu", slug="htx-thao-qua"
    )


@pytest.fixture
def coop2(cooperative_index):
    return CooperativePageFactory(
        parent=cooperative_index, title="HTX Chè Shan tuyết", slug="htx-che-shan-tuyet"
    )


@pytest.fixture
def registry(home):
    """The public registry of growing-area codes at /growing-areas/."""
    from growers.factories import GrowingAreaIndexPageFactory

    return GrowingAreaIndexPageFactory(parent=home)


@pytest.fixture
def officer(db):
    """An agriculture officer (the officers' group), as seed_demo's `officer`."""
    from growers.factories import OfficerFactory

    return OfficerFactory(username="officer")


@pytest.fixture
def coop1_editor(coop1):
    """An editor of coop1 only (its pages, its media, its orders)."""
    from growers.factories import CooperativeEditorFactory

    return CooperativeEditorFactory(username="coop1-editor", cooperative=coop1)


@pytest.fixture
def coop2_editor(coop2):
    from growers.factories import CooperativeEditorFactory

    return CooperativeEditorFactory(username="coop2-editor", cooperative=coop2)


class TaskQueue:
    """Tasks queued in the database, as with BACKGROUND_TASKS=database, and the worker that runs
    them (`manage.py db_worker`, as deploy/entrypoint.sh worker starts it)."""

    def waiting(self) -> list[str]:
        """The dotted paths of the tasks queued and not yet run, sorted."""
        from django_tasks_db.models import DBTaskResult

        return sorted(DBTaskResult.objects.ready().values_list("task_path", flat=True))

    def statuses(self, task_path: str) -> list[str]:
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.filter(task_path=task_path).values_list("status", flat=True))

    def work(self) -> None:
        """Run everything queued, then return (the worker's --batch). The worker installs its own
        signal handlers and log levels; they are put back, this being the test run's process."""
        import io
        import logging
        import signal

        from django.core.management import call_command

        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
        saved = [(log, log.level, list(log.handlers)) for log in loggers]
        try:
            call_command(
                "db_worker",
                batch=True,
                queue_name="*",
                startup_delay=False,
                reload=False,
                stdout=io.StringIO(),
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            for log, level, log_handlers in saved:
                log.setLevel(level)
                log.handlers[:] = log_handlers


@pytest.fixture
def task_queue(transactional_db, settings):
    """Background tasks queued in the database instead of run at once, from when the fixture is
    set up (name it after the fixtures whose tasks should run at once). Transactional: the worker
    takes its tasks in transactions of its own, and on-commit hooks run as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return TaskQueue()
