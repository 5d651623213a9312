"""Public trace URLs (DESIGN §4). Included before Wagtail's page URLs, which would otherwise
take them. Any text after the prefix reaches the views, which answer a plain 404 page for what
they cannot find."""

from django.urls import path, re_path

from . import check_views, views

urlpatterns = [
    # A unit first (/21/<serial> at the end); its view falls back to the lot when no unit matches.
    re_path(
        r"^01/(?P<gtin>[^/]*)/10/(?P<lot>[\s\S]+)/21/(?P<serial>[^/]+/?)$",
        check_views.unit_by_gtin_lot_serial,
        name="unit_gtin_lot_serial",
    ),
    # The lot may itself contain a slash (GS1 AI 10 allows it), so it takes the rest of the path.
    re_path(r"^01/(?P<gtin>[^/]*)/10/(?P<lot>[\s\S]*)$", views.trace_by_gtin_and_lot, name="trace_gtin_lot"),
    re_path(
        r"^t/(?P<code>[^/]+)/(?P<serial>[^/]+/?)$", check_views.unit_by_short_code, name="unit_short_code"
    ),
    re_path(r"^t/(?P<code>[\s\S]*)$", views.trace_by_short_code, name="trace_short_code"),
    # Codes typed by hand; the PIN only by POST.
    path("check/", check_views.check, name="check"),
]
