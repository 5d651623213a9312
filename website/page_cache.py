"""Rendered pages kept in Django's cache (Redis in production, shared by every web process).

One generation number covers every cached page: publishing or unpublishing a page, a change of a
growing-area code's status, a recall, a change of price or stock all bump it, so the next request
renders afresh. Coarse on purpose: such changes are rare next to the scans and catalogue views
that the cache absorbs, and a revoked code must show at once, with no dependency map to get
wrong. Each entry carries the generation it was rendered under, and the generation and the
entry are read together (one round trip to Redis, the dearest part of a cached page there); an
entry of an older generation is a miss, and is overwritten or expires.

Only anonymous visitors without a session are served from the cache (anyone with a cart or a
login sees a fresh page). What differs per request is left as a hole in the cached HTML and
filled at serve time: the CSRF token of the add-to-cart forms and, on trace pages, the scan
count (which keeps being counted in the database on every scan).

The number of copies is bounded by what the pages understand, not by what strangers type: a
page is kept per address with only the query parameters it reads (`cache_address`), and it is
rendered from those alone, so every address that shares a copy shows the same page. A page
keeps a copy only for values from its vocabulary (CachedPageMixin.worth_keeping): anything
else is answered fresh and not kept.
"""

import functools
import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone, translation

GENERATION_KEY = "pagecache:generation"
CSRF_HOLE = "pagecache-csrf-hole-9f2c"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate(**kwargs) -> None:
    """Make every cached page stale: at once, and again when the current transaction commits
    (a request between the two could have cached the old state)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cacheable(request) -> bool:
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A flash message waiting in its cookie belongs to this visitor alone.
        and "messages" not in request.COOKIES
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def key(kind: str, request) -> str:
    """Per host and page address (with the query parameters the page reads: `cache_address`),
    language and local day (pages say "expired" by date)."""
    address = hashlib.sha256(cache_address(request, query_parameters(kind)).encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"pagecache:{kind}:{translation.get_language()}:{day}:{address}"


def canonical_query(query: QueryDict, parameters) -> str:
    """`query` as a page reading only `parameters` reads it: those parameters alone, in that
    order, each with the one value the page reads (QueryDict.get: the last), empty ones left out
    (an empty field of a submitted form is no filter). So ?b=2&a=1&utm_source=x, ?a=1&b=2 and
    ?a=0&a=1&b=2&c= are all "a=1&b=2"."""
    return urlencode([(name, value) for name in parameters if name in query and (value := query.get(name))])


def cache_address(request, parameters) -> str:
    """The address a page reading only `parameters` is kept under: host, path and canonical
    query. Any other parameter (a campaign tag, a GS1 attribute, junk) shares the copy."""
    # Most addresses (every scan of a label) carry no query, or none a page reads: not parsed.
    query = (
        canonical_query(request.GET, parameters) if parameters and request.META.get("QUERY_STRING") else ""
    )
    return f"{request.get_host()}{request.path}" + (f"?{query}" if query else "")


def show_only(request, parameters) -> None:
    """Make the request carry only the canonical query before a page is rendered for the cache:
    whatever echoes the address (the language switcher's links, the add-to-cart form's way
    back, the pagination) then shows the address the copy is kept under, never the parameters
    of whoever happened to fill it."""
    query = canonical_query(request.GET, parameters)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def query_parameters(kind: str) -> tuple[str, ...]:
    """The parameters that make a distinct copy of a page of `kind`. Wagtail's pages share one
    kind and are looked up before Wagtail has found which page an address is (serve_from_cache):
    theirs are those any CachedPageMixin page reads. The trace pages read none."""
    return cached_page_parameters() if kind == PAGE_KIND else ()


@functools.cache
def cached_page_parameters() -> tuple[str, ...]:
    """Collected once, at the first request (every page model is loaded by then)."""
    parameters, classes = {}, [CachedPageMixin]
    while classes:
        page_class = classes.pop()
        classes.extend(page_class.__subclasses__())
        parameters.update(dict.fromkeys(page_class.cached_query_parameters()))
    return tuple(parameters)


def lookup(kind: str, request):
    """What is kept for this request's page, if it was rendered under the current generation;
    else None. One cache round trip. On a miss, the generation read now is noted on the request:
    `store` files the page rendered next under it, so that a change committed while the page was
    being rendered leaves that page stale rather than current."""
    cache_key = key(kind, request)
    found = cache.get_many([GENERATION_KEY, cache_key])
    current, kept = found.get(GENERATION_KEY), found.get(cache_key)
    if current is not None and kept is not None and kept[0] == current:
        return kept[1]
    request.page_cache_generation = current if current is not None else generation()
    return None


def store(kind: str, request, entry) -> None:
    rendered_under = getattr(request, "page_cache_generation", None)
    if rendered_under is None:
        rendered_under = generation()
    cache.set(key(kind, request), (rendered_under, entry), timeout=settings.PAGE_CACHE_SECONDS)


def fill_csrf(html: str, request) -> str:
    if CSRF_HOLE not in html:
        return html
    # get_token gives each visitor their own secret (new if they have none, sent in the CSRF
    # cookie) masked anew for this page, as on a page rendered for them alone.
    return html.replace(CSRF_HOLE, get_token(request))


class CachedPageMixin:
    """For Wagtail pages read by many anonymous visitors (the catalogue): the rendered page is
    kept per address (with the query parameters it reads: `cached_query_parameters`), language,
    day and generation, with a hole for the CSRF token should the template hold a form. It is
    served from there by `serve_from_cache`, which config/urls.py puts around Wagtail's
    page-serving view."""

    @classmethod
    def cached_query_parameters(cls) -> tuple[str, ...]:
        """The query parameters the page reads, each making a copy of its own: none by default.
        The page is rendered for the cache without any other (`show_only`)."""
        return ()

    def worth_keeping(self, request, context) -> bool:
        """Whether the page rendered for this request, from `context`, is kept. A page with
        parameters says no to a value outside its vocabulary, or the stranger choosing the
        values chooses how many copies there are."""
        return True

    def serve(self, request, *args, **kwargs):
        if not cacheable(request):
            return super().serve(request, *args, **kwargs)
        show_only(request, self.cached_query_parameters())
        request.page_cache_render = True
        response = super().serve(request, *args, **kwargs)
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        response.render()
        html = response.content.decode()
        if self.worth_keeping(request, response.context_data):
            store(PAGE_KIND, request, html)
        return HttpResponse(fill_csrf(html, request))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "page_cache_render", False):
            context["csrf_token"] = CSRF_HOLE
        return context


PAGE_KIND = "page"


def serve_from_cache(view):
    """Around Wagtail's page-serving view: a page that CachedPageMixin keeps is answered from the
    cache before Wagtail finds the site, the locale, the page in the tree and its view
    restrictions (seven queries, most of a cached page's cost). Only pages that went through
    all of that once are kept, and whatever would change its outcome (publishing, moving,
    making a page private) bumps the generation (website/signal_handlers.py, and each app's own)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if cacheable(request):
            html = lookup(PAGE_KIND, request)
            if html is not None:
                return HttpResponse(fill_csrf(html, request))
        return view(request, *args, **kwargs)

    return wrapped
