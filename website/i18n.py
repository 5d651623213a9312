"""Languages on the public site.

- Vietnamese pages live at unprefixed paths (/shop/); other languages under a prefix (/en/shop/,
  /hmn/shop/), through Django's i18n_patterns and Wagtail's one page tree per locale.
- A page not yet translated is served from the Vietnamese tree under the visitor's prefix, with
  the interface in their language and a notice saying the content is Vietnamese
  (`FallbackRouteMixin`, `base.html`).
- Trace and short-code URLs printed on labels carry no language: they read the language cookie,
  then Accept-Language (`language_from_request`).
- The switcher is plain links to `switch_language`, which sets the cookie and returns to the same
  page in the new language: no script, no form, so cached pages need no CSRF token.
"""

from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from website.page_queries import public


def default_language() -> str:
    return settings.LANGUAGE_CODE


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def in_language(path: str, language: str | None = None) -> str:
    """A site path ("/shop/") as the visitor's language serves it ("/en/shop/")."""
    language = language or active_language()
    if language == default_language() or not path.startswith("/"):
        return path
    prefix = f"/{language}/"
    if path == f"/{language}" or path.startswith(prefix):
        return path
    return prefix.rstrip("/") + path


def languages(request):
    """Context processor: the languages for the switcher, each with the current page's address
    in that language, and whether the page's content is shown untranslated."""
    current = active_language()
    path = request.get_full_path() if request is not None else "/"
    return {
        "site_languages": [
            {"code": code, "name": name, "current": code == current, "next": path}
            for code, name in settings.LANGUAGES
        ],
        "default_language": default_language(),
    }


def language_from_request(view):
    """For language-neutral URLs (trace pages): activate the language of the cookie, else of
    Accept-Language, else Vietnamese, and tell caches the answer depends on both."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapped


@require_safe
def switch_language(request, language: str):
    """GET /language/<code>/?next=/shop/ → cookie set, back to the same page in that language.
    A GET on purpose: it changes only a display preference, and a link works on every phone
    and on a cached page."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    next_url = request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    if not allowed or not next_url.startswith("/"):
        next_url = "/"
    target = _in_other_language(next_url, language)
    # Checked again after the prefix comes off: "/en//evil.example/" must not become
    # "//evil.example/", another site.
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or target.startswith(
        ("//", "/\\")
    ):
        target = in_language("/", language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _in_other_language(url: str, language: str) -> str:
    """The same site address in `language`: the language prefix swapped, the query kept. Our URL
    patterns are the same words in every language, so no reverse() is needed (Django's
    translate_url resolves under the active language: it turned /hmn/shop/ into /en/hmn/shop/)."""
    parts = urlsplit(url)
    path = _strip_language_prefix(parts.path)
    if not _is_language_neutral(path):
        path = in_language(path, language)
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _is_language_neutral(path: str) -> bool:
    """Whether `path` is served outside i18n_patterns (trace pages printed on labels, the API,
    webhooks, the admin): such a path answers without a language prefix in a language that
    needs one, where any page path would not."""
    prefixed = [code for code, _name in settings.LANGUAGES if code != default_language()]
    if not prefixed:
        return True
    with translation.override(prefixed[0]):
        try:
            resolve(path)
        except Resolver404:
            return False
    return True


def _strip_language_prefix(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return path[len(code) + 1 :] or "/"
    return path


# --- pages -------------------------------------------------------------------------------------

_locale_ids: dict[str, int] = {}


def locale_id(language: str) -> int | None:
    """The Locale id of a language, remembered per process (locales are added once in a site's
    life), so comparing a page's locale costs no query."""
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:  # a language of the interface with no content language (no page tree)
        return None
    if code not in _locale_ids:
        found = Locale.objects.filter(language_code=code).values_list("id", flat=True).first()
        if found is None:
            return None
        _locale_ids[code] = found
    return _locale_ids[code]


def forget_locale_ids(**kwargs):
    _locale_ids.clear()


def untranslated_language(page) -> str:
    """The language `page` is written in when that is not the visitor's, else "" (no query
    once the locales are known)."""
    if page is None or not isinstance(page, Page):
        return ""
    written_in = page.locale_id
    # Read without loading a deferred field (lists load pages with .only(...)).
    if page.__dict__.get("alias_of_id"):
        # An alias (Wagtail makes them for untranslated parents of a translated page) sits in
        # this language's tree but shows the words of the page it copies.
        written_in = Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first()
    if written_in == locale_id(active_language()):
        return ""
    for code, known_id in _locale_ids.items():
        if known_id == written_in:
            return code
    code = Locale.objects.filter(pk=written_in).values_list("language_code", flat=True).first() or ""
    if code:
        _locale_ids[code] = written_in
    return code


def localized_pages(pages):
    """Each page replaced by its live translation in the visitor's language, where there is one
    (one query for the whole list). The originals keep the prices, stock and filters; the
    translation gives the words and the address."""
    pages = list(pages)
    active = locale_id(active_language())
    if not pages or active is None:
        return pages
    keys = [p.translation_key for p in pages if p.locale_id != active]
    if not keys:
        return pages
    model = type(pages[0])
    translations = {
        t.translation_key: t
        # Aliases are not translations: they repeat the original's words.
        for t in public(model.objects.live()).filter(
            locale_id=active, translation_key__in=keys, alias_of__isnull=True
        )
    }
    return [translations.get(p.translation_key, p) for p in pages]


class FallbackRouteMixin:
    """A child missing from this language's tree is looked for in the Vietnamese tree, so
    /en/shop/… shows the Vietnamese page (with the interface in English and a notice) until a
    translator has made the English one."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components or self.locale_id == locale_id(default_language()):
                raise
            original = self.get_translation_or_none(Locale.get_default())
            if original is None:
                raise
            child = original.get_children().filter(slug=path_components[0]).first()
            if child is None:
                raise
            child = child.specific
            translated = child.get_translation_or_none(Locale.objects.get(pk=self.locale_id))
            if translated is not None and translated.live:
                child = translated.specific
            return child.route(request, path_components[1:])
