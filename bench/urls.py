"""The site's URLs, plus a bare view to compare against and the media files (production
leaves media to the front web server, which the benchmark does not run)."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path
from django.views.static import serve

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest page Django can serve through the site's middleware: the yardstick."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    # Before the site's URLs, whose last pattern (Wagtail's pages) would take any path.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    # Spliced in rather than include()d: the site's language-prefixed patterns (i18n_patterns)
    # must sit in the root URLconf.
    *site_urlpatterns,
]
