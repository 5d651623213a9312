"""Where a growing-area code is shown: its page in the public registry (DESIGN §4,
/growing-areas/<code>/) and its JSON record (/api/v1/growing-areas/<code>). Every link to a
code is built here, so pages, the APIs, EPCIS documents and CDN purges name the same address."""

from urllib.parse import quote

from django.urls import reverse

from website.i18n import in_language

# The registry page's place in the tree (DESIGN §4).
REGISTRY_PATH = "/growing-areas/"


def growing_area_url(code: str, *, language: str | None = None, base: str = "") -> str:
    """A code's page in the public registry, in the visitor's language unless `language` is
    given: /growing-areas/VN-SLL-0001/ in Vietnamese, /en/growing-areas/VN-SLL-0001/ in English.
    With `base` (a site's address without a trailing slash, e.g. "https://example.org") the URL
    is absolute. The code is percent-encoded whole: whatever the deployment's code pattern
    allows, the link leads back to that code."""
    return base + in_language(f"{REGISTRY_PATH}{quote(code, safe='')}/", language)


def growing_area_api_url(code: str, *, base: str = "") -> str:
    """A code's public record as JSON (/api/v1/growing-areas/<code>): one address in every
    language."""
    return base + reverse("api_growing_area", kwargs={"code": code})
