"""Purging a CDN's copies of what a change has made stale (DESIGN §6, docs/deploy.md).

Wagtail's frontend cache (wagtail.contrib.frontend_cache, configured in settings from CDN_PURGE_URL
or CLOUDFLARE_*) purges a page's own URL when the page is published. A growing-area code's status
and a batch's recall also show at addresses that are not that page: the language-neutral trace
pages printed on labels, the JSON API, the public registry in every language, the products citing
a code. This module names those addresses:

- `urls_for_batch(batch)`: `/t/<short-code>`, `/01/<GTIN-14>/10/<lot>` for every GTIN of the
  batch's product, `/api/v1/batches/<short-code>` and its `/epcis`, and the batch's page in every
  language prefix;
- `urls_for_growing_area(area)`: `/growing-areas/` and `/growing-areas/<code>/` in every language,
  `/api/v1/growing-areas/<code>`, the pages of the products citing the code, and the addresses of
  every batch citing it (as above);

and purges them once the transaction commits (`purge_batch_on_commit`,
`purge_growing_area_on_commit`; the signal handlers below, connected in website/apps.py, call them
for edits made anywhere). A purge before the commit would let the CDN fetch the old state again.
Whatever one transaction touches is gathered and purged in one go, with a fixed number of queries
however many batches a code has. With no CDN configured nothing is gathered and nothing is queried.

Language-neutral addresses are purged under every site's root URL and WAGTAILADMIN_BASE_URL (the
address labels carry); pages under their site's root URL, as Wagtail does.
"""

from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache


def enabled() -> bool:
    """Whether a CDN is configured to purge (Wagtail's settings, old and new style)."""
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


# Which addresses ---------------------------------------------------------------------------------


def urls_for_batch(batch) -> list[str]:
    """Every public address showing this batch (two queries at most, none per GTIN)."""
    urls = _Urls()
    urls.add_batches([batch])
    return sorted(urls)


def urls_for_growing_area(area) -> list[str]:
    """Every public address showing this code, its batches' included (a fixed number of queries
    whatever the number of batches and products citing it)."""
    urls = _Urls()
    urls.add_growing_areas(area_ids=[area.pk], codes=[area.code])
    return sorted(urls)


class _Urls(set):
    """Absolute URLs, gathered with one copy of the site root paths (Wagtail's `cache_object`)."""

    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES]

    def neutral_bases(self) -> list[str]:
        """Where language-neutral paths (trace pages, the API) are served: every site's root
        URL and the configured public base URL, without a trailing slash."""
        if not hasattr(self, "_bases"):
            from wagtail.models import Site

            from traceability.links import site_base_url

            roots = {root.root_url.rstrip("/") for root in Site.get_site_root_paths()}
            self._bases = sorted(roots | {site_base_url()})
        return self._bases

    def add_neutral(self, path: str) -> None:
        self.update(base + path for base in self.neutral_bases())

    def add_page(self, page, subpath: str = "") -> None:
        """A page's URL (plus `subpath`, a route of a routable page). An original (Vietnamese)
        page is also shown under every other language's prefix until it is translated
        (website/i18n.py, FallbackRouteMixin); a translation has its own address."""
        from growers.views import localized_url
        from website.i18n import default_language, locale_id

        url = page.get_full_url(self)
        if url is None:
            return
        url += subpath
        if page.locale_id != locale_id(default_language()):
            self.add(url)
            return
        self.update(localized_url(url, language) for language in self.languages())

    def add_batches(self, batches) -> None:
        from products.models import ProductVariant

        batches = list(batches)
        if not batches:
            return
        steplen = type(batches[0]).steplen
        parent_paths = {batch.path[:-steplen] for batch in batches}
        # Every GTIN of the product, on sale or not: labels already printed keep theirs.
        gtins: dict[str, set[str]] = {}
        for product_path, gtin in ProductVariant.objects.filter(
            page__path__in=parent_paths, gtin__isnull=False
        ).values_list("page__path", "gtin"):
            gtins.setdefault(product_path, set()).add(gtin)
        for batch in batches:
            code = batch.short_code
            self.add_neutral(reverse("trace_short_code", kwargs={"code": code}))
            # As traceability.links.label_url prints it: the lot percent-encoded (GS1 Digital Link).
            for gtin in gtins.get(batch.path[:-steplen], ()):
                self.add_neutral(f"/01/{gtin}/10/{quote(batch.lot, safe='')}")
            self.add_neutral(reverse("api_batch", kwargs={"code": code}))
            self.add_neutral(reverse("api_batch_epcis", kwargs={"code": code}))
            self.add_page(batch)

    def add_growing_areas(self, *, area_ids=(), codes=()) -> None:
        """The registry list and each code's page (in every language) and JSON; then the batches
        and products citing the areas of `area_ids`."""
        from wagtail.models import Page

        from growers.models import GrowingAreaIndexPage
        from products.models import ProductPage
        from traceability.models import BatchPage

        registries = list(GrowingAreaIndexPage.objects.live())
        for registry in registries:
            self.add_page(registry)
            for code in codes:
                self.add_page(registry, registry.reverse_subpage("growing_area", kwargs={"code": code}))
        for code in codes:
            self.add_neutral(reverse("api_growing_area", kwargs={"code": code}))
        if not area_ids:
            return
        # A batch citing several of the areas comes once per area: counted once.
        batches = {batch.pk: batch for batch in BatchPage.objects.filter(growing_areas__in=area_ids)}
        self.add_batches(batches.values())
        # Products show their origin codes' status; the originals cite them, translations show them.
        citing = ProductPage.objects.filter(origin_areas__in=area_ids).values("translation_key")
        for page in Page.objects.live().filter(translation_key__in=citing):
            self.add_page(page)


# When: once, after the commit --------------------------------------------------------------------


class _Pending:
    """What the current transaction has made stale; purged once when it commits."""

    def __init__(self):
        self.area_ids: set[int] = set()
        self.codes: set[str] = set()
        self.batches: dict[int, object] = {}
        self.flushed = False

    def flush(self) -> None:
        self.flushed = True
        urls = _Urls()
        if self.area_ids or self.codes:
            urls.add_growing_areas(area_ids=sorted(self.area_ids), codes=sorted(self.codes))
        urls.add_batches(self.batches.values())
        purge_urls_from_cache(sorted(urls))


def _schedule(*, area=None, codes=(), batch=None, using=None) -> None:
    """Note what to purge; the first note of a transaction asks for the purge on its commit. A
    rolled-back transaction (or savepoint) drops its on-commit callback, and so what it noted."""
    if not enabled():
        return
    connection = transaction.get_connection(using)
    pending = getattr(connection, "cdn_pending", None)
    registered = (
        pending is not None
        and not pending.flushed
        and any(
            getattr(func, "__self__", None) is pending for _ids, func, _robust in connection.run_on_commit
        )
    )
    if not registered:
        pending = connection.cdn_pending = _Pending()
    if area is not None:
        pending.area_ids.add(area.pk)
        pending.codes.add(area.code)
    pending.codes.update(codes)
    if batch is not None:
        pending.batches[batch.pk] = batch
    if not registered:
        # After the notes: outside a transaction on_commit runs at once. Robust: the change is
        # committed; a CDN that fails to answer is logged, not reported to the officer as an error.
        transaction.on_commit(pending.flush, using=using, robust=True)


def purge_growing_area_on_commit(area) -> None:
    _schedule(area=area)


def purge_batch_on_commit(batch) -> None:
    _schedule(batch=batch)


# Signal handlers (connected in website/apps.py) ---------------------------------------------------


def growing_area_saved(sender, instance, raw=False, **kwargs):
    """Any change of a code (status, valid-until, households, name...) shows on its pages."""
    if not raw:
        purge_growing_area_on_commit(instance)


def growing_area_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A code renamed leaves its old address saying "not registered"."""
    if (
        raw
        or not enabled()
        or instance.pk is None
        or (update_fields is not None and "code" not in update_fields)
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("code", flat=True).first()
    if old and old != instance.code:
        _schedule(codes=[old])


def growing_area_before_delete(sender, instance, **kwargs):
    """Before the rows citing it go: its batches and products stop showing it."""
    if not enabled():
        return
    from traceability.models import BatchPage

    _schedule(area=instance)
    for batch in BatchPage.objects.filter(growing_areas=instance):
        _schedule(batch=batch)


def batch_published_or_unpublished(sender, instance, **kwargs):
    """A batch edited in the page editor (its recall fields included): Wagtail purges the page's
    own URL; its trace pages and API are purged here."""
    purge_batch_on_commit(instance)
