"""The Content-Security-Policy header on every response (django-csp 4; the policies themselves are
in settings/base.py, docs/deploy.md explains them).

Two policies, chosen by path:

- public pages get CONTENT_SECURITY_POLICY, the strict one (no script, no inline style), plus the
  sha256 hash of the stylesheet that base.html inlines. The hash is added here rather than in the
  settings because the settings are read before static files can be found; it is computed once
  per process from the exact text the template tag inlines (site_tags.inline_static_hash), so an
  edit of site.css changes both together. A hash rather than a nonce because the page cache
  (website/page_cache.py) keeps rendered HTML: a nonce baked into a cached page would not match
  the next response's header, a hash always does. The header itself is never cached: it is set
  here on every response on its way out, cached or fresh.
- the Wagtail admin (everything under its URL prefix, Wagtail's own views and ours registered
  through its hooks) gets CONTENT_SECURITY_POLICY_ADMIN, looser where Wagtail needs it. Keyed on
  the path rather than decorating each admin URL: Wagtail and its hooks add admin URLs that a
  decoration in urls.py would miss.
"""

from functools import cache, lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from website.templatetags.site_tags import inline_static_hash

INLINED_STYLESHEET = "website/site.css"


@cache
def admin_prefix() -> str:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:  # a URLconf without the admin (nothing is the admin then)
        return "/admin/"


def is_admin(request) -> bool:
    return request.path.startswith(admin_prefix())


@lru_cache(maxsize=4)
def media_origin(media_url: str) -> str:
    """The origin that serves uploads when MEDIA_URL names another host ("https://media.example.org"
    for "https://media.example.org/"), else "" (uploads come from the site itself)."""
    parts = urlsplit(media_url)
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders a page through the middleware with a made-up request for
            # the page's public address; the header belongs to the real (admin) request around it.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            # No report-only policy is configured; a view's own @csp_override wins.
            return parts
        update = dict(parts.update or {})
        if media := media_origin(settings.MEDIA_URL):
            for directive in ("img-src", "media-src"):
                update[directive] = [media, *update.get(directive, ())]
        if is_admin(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        else:
            update["style-src"] = [inline_static_hash(INLINED_STYLESHEET), *update.get("style-src", ())]
        parts.update = update
        return parts
