"""Public trace URLs (DESIGN §4). Included before Wagtail's page URLs, which would otherwise
take them. Any text after the prefix reaches the views, which answer a plain 404 page for what
they cannot find."""

from django.urls import re_path

from . import views

urlpatterns = [
    # The lot may itself contain a slash (GS1 AI 10 allows it), so it takes the rest of the path.
    re_path(r"^01/(?P<gtin>[^/]*)/10/(?P<lot>[\s\S]*)$", views.trace_by_gtin_and_lot, name="trace_gtin_lot"),
    re_path(r"^t/(?P<code>[\s\S]*)$", views.trace_by_short_code, name="trace_short_code"),
]
