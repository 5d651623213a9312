"""Rendered pages kept in Django's cache (Redis in production, shared by every web process), each
made stale by what it shows changing, and by nothing else.

Tags. While a page is rendered for the cache, the code that fetches what it shows names it with
`depends_on(request, *tags)`: `site` (every page: languages, view restrictions, the site
settings, pages moved or renamed, a page with pages below it unpublished), `page:<translation
key>` (a page's own words and address, in every language), `pages:<app.model>` (the list of live
pages of a type, for pages that list them), and each app's own: `catalogue`,
`availability:<product>` (products), `area:<id>` (growers), `image:<id>`, `document:<id>`. A
change calls `invalidate(*tags)` (each app from its own signal handlers and services), which
deletes those tags' versions, at once and again when the current transaction commits (a request
between the two could have cached the old state). Deleting rather than writing a new version is
what a cache that was unreachable at the time can send again when it answers (website/cache.py),
and a missing version never matches.

An entry keeps the versions of its tags as they were when it was rendered. A lookup reads the
entry with the version of the last change anywhere (`CHANGE_KEY`, one round trip); if nothing
changed since the entry was rendered it is current, else its tags' versions are read in one
`get_many` (a second round trip) and it is current only if every one is still the one it kept.
A version missing from the cache (evicted: Redis runs with maxmemory and an eviction policy)
never matches: the page is rendered again.

The race rule. Tags are learnt from the data that names them (a batch's id from the batch read
for the page), so a tag's version cannot be read before its data is. Instead the version of
the last change is read before rendering (with the lookup) and read again with the tags'
versions when the page is stored: if it moved, something changed while the page was being
rendered and the page is not kept (the next request renders it again). So a change committed
during a render leaves that page unkept rather than wrongly current.

Stock. What changes with every sale is kept out of cached pages, as the scan count is: the
trace page and the product cards say whether a pack is in stock, never how many, and the trace
page's add-to-cart forms carry no per-buyer limit (that limit follows the stock; the cart
applies it and says so). So a sale that leaves a pack in stock changes no cached page and
invalidates nothing; one that sells a pack out (or puts it back on sale) invalidates
`availability:<product>` and the `catalogue` at once. The product page, which says how many
are left, is not kept.

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
import secrets
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone, translation

# Entries hold (last change, tag versions, page); the release before kept (generation, page) under
# "pagecache:<kind>:…". A new prefix, so that a release deployed over a Redis still holding the
# older entries (or running beside the older release for a moment) never reads them.
ENTRY_PREFIX = "pagecache:2:"
CHANGE_KEY = "pagecache:last-change"
TAG_PREFIX = "pagecache:tag:"
CSRF_HOLE = "pagecache-csrf-hole-9f2c"
# What every cached page depends on, named or not.
SITE = "site"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def tag_key(tag: str) -> str:
    return TAG_PREFIX + tag


def page_tag(page) -> str:
    """A page's own words and address, in every language (its translations share the key)."""
    return f"page:{page.translation_key}"


def pages_tag(model) -> str:
    """The list of live pages of `model` (a Page class): for pages that list them."""
    return f"pages:{model._meta.label_lower}"


def image_tag(image_id) -> str:
    return f"image:{image_id}"


def document_tag(document_id) -> str:
    return f"document:{document_id}"


def depends_on(request, *tags) -> None:
    """The page being rendered for `request` shows what `tags` name: a change of any of them
    makes it stale. Nothing happens when the page is not being rendered for the cache."""
    collected = getattr(request, "page_cache_tags", None)
    if collected is not None:
        collected.update(tags)


def invalidate(*tags) -> None:
    """Make stale every cached page that depends on one of `tags`: at once, and again when the
    current transaction commits (a request between the two could have cached the old state)."""
    if not tags:
        raise ValueError("Name what changed: a tag, or page_cache.SITE for every page.")
    _bump(tags)
    transaction.on_commit(lambda: _bump(tags))


def _bump(tags) -> None:
    # The next page rendered gives each its new version (`begin`, `store`).
    cache.delete_many([CHANGE_KEY, *(tag_key(tag) for tag in tags)])


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
    return f"{ENTRY_PREFIX}{kind}:{translation.get_language()}:{day}:{address}"


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
    """What is kept for this request's page, if nothing it shows has changed since; else None.
    One cache round trip when nothing changed anywhere since the page was kept, two otherwise.
    On a miss the version of the last change is noted on the request, and the tags the page
    declares while it is rendered are collected there, for `store`."""
    cache_key = key(kind, request)
    found = cache.get_many([cache_key, CHANGE_KEY])
    kept, last_change = found.get(cache_key), found.get(CHANGE_KEY)
    if kept is not None:
        rendered_after, versions, payload = kept
        unchanged_since = last_change is not None and rendered_after == last_change
        if unchanged_since or cache.get_many(list(versions)) == versions:
            return payload
    begin(request, last_change)
    return None


def begin(request, last_change=None) -> None:
    """Start collecting what the page rendered next for `request` depends on."""
    if last_change is None:
        cache.add(CHANGE_KEY, secrets.token_hex(8), timeout=None)
        last_change = cache.get(CHANGE_KEY)
    request.page_cache_started = last_change
    request.page_cache_tags = {SITE}


def store(kind: str, request, payload) -> None:
    """Keep the page rendered for `request` with the versions of the tags it declared, unless
    something changed while it was being rendered (then it may show the old state)."""
    started, tags = getattr(request, "page_cache_started", None), getattr(request, "page_cache_tags", None)
    if started is None or tags is None:
        return
    keys = [tag_key(tag) for tag in sorted(tags)]
    versions = cache.get_many([*keys, CHANGE_KEY])
    if versions.pop(CHANGE_KEY, None) != started:
        return
    for missing in (k for k in keys if k not in versions):
        # Never changed, or evicted: a new version, which older entries do not hold. If another
        # process set one meanwhile, a change may have come with it: the page is not kept.
        version = secrets.token_hex(8)
        if not cache.add(missing, version, timeout=None):
            return
        versions[missing] = version
    cache.set(key(kind, request), (started, versions, payload), timeout=settings.PAGE_CACHE_SECONDS)


def fill_csrf(html: str, request) -> str:
    if CSRF_HOLE not in html:
        return html
    # get_token gives each visitor their own secret (new if they have none, sent in the CSRF
    # cookie) masked anew for this page, as on a page rendered for them alone.
    return html.replace(CSRF_HOLE, get_token(request))


class CachedPageMixin:
    """For Wagtail pages read by many anonymous visitors (the catalogue, the home page): the
    rendered page is kept per address (with the query parameters it reads:
    `cached_query_parameters`), language and day, with a hole for the CSRF token should the
    template hold a form, and depends on the page itself and on what its context and template
    tags declare. It is served from there by `serve_from_cache`, which config/urls.py puts around
    Wagtail's page-serving view."""

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
        if getattr(request, "page_cache_tags", None) is None:
            begin(request)
        depends_on(request, page_tag(self))
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
    all of that once are kept, and whatever would change its outcome invalidates them: the
    page's own tag when it is published or unpublished, `site` when a page is moved or renamed
    or made private (website/signal_handlers.py)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if cacheable(request):
            html = lookup(PAGE_KIND, request)
            if html is not None:
                return HttpResponse(fill_csrf(html, request))
        return view(request, *args, **kwargs)

    return wrapped
