"""Purging a CDN's copies of what a change has made stale (DESIGN §6, docs/deploy.md).

Wagtail's frontend cache (wagtail.contrib.frontend_cache, configured in settings from CDN_PURGE_URL
or CLOUDFLARE_*) purges a page's own URL when the page is published. A change can also show at
addresses that are not that page's: each app names its own (growers/cdn.py: a code's registry
pages and API; traceability/cdn.py: a batch's API; products/signal_handlers.py: the products
citing a code) and asks for them here, from its signal handlers:

    purge_on_commit(urls_of_codes, "VN-SLL-0001")

`urls_of_codes(batch, codes)` is called once the transaction commits, with every item asked for
under it during the transaction, and adds their URLs to one Wagtail `PurgeBatch`, purged in one
go: a purge before the commit would let the CDN fetch the old state again, and one builder call
per transaction keeps the queries fixed however many rows a change touches. With no CDN
configured nothing is noted, queried or sent.

Helpers for the addresses: `add_neutral` (a language-neutral path, e.g. the API, under every
site's root URL and WAGTAILADMIN_BASE_URL, the address labels carry) and `add_page` (a page in
every language it is shown in).

Addresses that count scans (a batch's trace pages, traceability/views.py) are never kept by a
CDN, so never purged.
"""

from collections.abc import Callable, Hashable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction

from wagtail.contrib.frontend_cache.utils import PurgeBatch

from .i18n import default_language, in_language, locale_id


def enabled() -> bool:
    """Whether a CDN is configured to purge (Wagtail's settings, old and new style)."""
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


# Which addresses ---------------------------------------------------------------------------------


def neutral_bases(batch: PurgeBatch) -> list[str]:
    """Where language-neutral paths (trace codes, the API) are served: every site's root URL and
    the configured public base URL, without a trailing slash (read once per batch)."""
    if not hasattr(batch, "neutral_bases"):
        from wagtail.models import Site

        roots = {root.root_url.rstrip("/") for root in Site.get_site_root_paths()}
        batch.neutral_bases = sorted(roots | {settings.WAGTAILADMIN_BASE_URL.rstrip("/")})
    return batch.neutral_bases


def add_neutral(batch: PurgeBatch, path: str) -> None:
    batch.add_urls(base + path for base in neutral_bases(batch))


def add_page(batch: PurgeBatch, page, subpath: str = "") -> None:
    """A page's URL (plus `subpath`, a route of a routable page). An original (Vietnamese) page is
    also shown under every other language's prefix until it is translated (website/i18n.py,
    FallbackRouteMixin); a translation has its own address. The batch is the cache object of the
    site root paths, as in Wagtail's own PurgeBatch.add_page."""
    url = page.get_full_url(batch)
    if url is None:
        return
    url += subpath
    if page.locale_id != locale_id(default_language()):
        batch.add_url(url)
        return
    parts = urlsplit(url)
    batch.add_urls(
        urlunsplit(parts._replace(path=in_language(parts.path or "/", language)))
        for language, _name in settings.LANGUAGES
    )


# When: once, after the commit --------------------------------------------------------------------

Builder = Callable[[PurgeBatch, list], None]


class Pending:
    """What a connection's current transaction has made stale: items by the builder of their
    URLs; purged once, by the first of its on-commit callbacks to run."""

    def __init__(self):
        self.items: dict[Builder, set[Hashable]] = {}
        self.flushed = False

    def flush(self) -> None:
        if self.flushed:
            return
        self.flushed = True
        batch = PurgeBatch()
        for build, items in self.items.items():
            build(batch, sorted(items))
        batch.purge()


def purge_on_commit(build: Builder, *items: Hashable, using: str | None = None) -> None:
    """Purge the URLs `build(batch, items)` adds once the current transaction commits (at once
    outside a transaction). Items asked for under the same builder in one transaction are built
    together, once. A rolled-back transaction (or savepoint) drops its on-commit callbacks; what
    it noted then goes with the connection's next purge, which costs the CDN one fetch more and
    never leaves it a stale copy. Robust: the change is committed; a CDN that fails to answer is
    logged, not reported to the person who made the change as an error."""
    if not enabled() or not items:
        return
    connection = transaction.get_connection(using)
    pending = getattr(connection, "cdn_pending", None)
    if pending is None or pending.flushed:
        pending = connection.cdn_pending = Pending()
    pending.items.setdefault(build, set()).update(items)
    # Once per note, so that a callback lost with a rolled-back savepoint cannot lose this note;
    # only the first to run purges.
    transaction.on_commit(pending.flush, using=using, robust=True)
