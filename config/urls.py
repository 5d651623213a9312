import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from commune import views as commune_views
from growers import admin_views, api_views
from growers import views as growers_views
from traceability import api_views as batch_api_views
from website import health, i18n, media, page_cache

# Replacements for Wagtail admin views that would show a cooperative's editors the other
# cooperatives' pages or media tags (growers/admin_views.py). Same paths as Wagtail's, listed before Wagtail's
# admin URLs so that they answer; Wagtail's URL names, reversed anywhere, give these same paths.
# The chooser one also carries its name; the report's names belong to Wagtail's
# "wagtailadmin_reports" namespace, which a second include cannot share without hiding the other
# reports. Decorated as Wagtail decorates its own admin views: admin access required (anonymous
# users go to the login page), Wagtail's own 404 page, never cached.
admin_overrides = [
    path(
        "admin/choose-page/chosen-multiple/",
        admin_views.ChosenMultipleView.as_view(),
        name="wagtailadmin_choose_page_chosen_multiple",
    ),
    path(
        "admin/reports/page-types-usage/",
        admin_views.ExplorablePageTypesUsageReportView.as_view(),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        admin_views.ExplorablePageTypesUsageReportView.as_view(results_only=True),
    ),
    # Media listings, the image chooser and the tag autocomplete offer only the tags of the media
    # the user may see (a cooperative's editor: their own cooperative's).
    path("admin/images/", admin_views.ImagesIndexView.as_view()),
    path("admin/images/results/", admin_views.ImagesIndexView.as_view(results_only=True)),
    path("admin/documents/", admin_views.DocumentsIndexView.as_view()),
    path("admin/documents/results/", admin_views.DocumentsIndexView.as_view(results_only=True)),
    path("admin/images/chooser/", admin_views.image_chooser_viewset.choose_view),
    path("admin/tag-autocomplete/", admin_views.tag_autocomplete),
    path("admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/", admin_views.tag_autocomplete),
]
decorate_urlpatterns(admin_overrides, require_admin_access)
decorate_urlpatterns(admin_overrides, wagtailadmin_urls.display_custom_404)
decorate_urlpatterns(admin_overrides, never_cache)

urlpatterns = [
    *admin_overrides,
    # Before Wagtail's pages, whose URL pattern would otherwise take it. Any text after the prefix
    # (slashes too) reaches the view, which answers a JSON 404 for what it cannot find.
    re_path(
        r"^api/v1/growing-areas/(?P<code>[\s\S]+)$", api_views.growing_area_detail, name="api_growing_area"
    ),
    # A batch's record and its EPCIS document; a trailing slash is forgiven on both.
    re_path(r"^api/v1/batches/(?P<code>[^/]*)/epcis/?$", batch_api_views.batch_epcis, name="api_batch_epcis"),
    re_path(r"^api/v1/batches/(?P<code>[\s\S]*)$", batch_api_views.batch_detail, name="api_batch"),
    path("", include("traceability.urls")),
    # /webhooks/stripe/, /webhooks/bank/ and /checkout/stripe/<checkout id>/ (namespace "payments").
    path("", include("orders.webhook_urls")),
    # /webhooks/sms/ (namespace "sms"): texts received by the SMS gateway.
    path("", include("sms.urls")),
    path("language/<str:language>/", i18n.switch_language, name="switch_language"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    # Development: everything under MEDIA_ROOT but its private folders (website/media.py).
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL[1:])}(?P<path>.*)$", media.serve_in_development)
    )
elif settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # Production without a bucket: product photos and their renditions (website/media.py).
    urlpatterns.append(re_path(rf"^{re.escape(settings.MEDIA_URL[1:])}(?P<path>.+)$", media.serve_image))

# Pages in a language: Vietnamese unprefixed (/shop/, as DESIGN §4 lists them), others under
# their code (/en/shop/, /hmn/cart/). Trace, API and webhook URLs above stay language-neutral.
urlpatterns += i18n_patterns(
    # Cart, checkout and the buyer's order pages, before Wagtail's pages would take the paths.
    path("", include(("orders.urls", "orders"), namespace="orders")),
    # The commune's progress against its resolution (public, numbers only).
    path("commune/", commune_views.progress, name="commune_progress"),
    # The application form for a growing-area code and an application's status page
    # (/growing-areas/apply/...), before the registry page (a Wagtail page) would take them.
    path("", include(("applications.urls", "applications"), namespace="applications")),
    # Wagtail's pages, the cached ones (the catalogue) answered before Wagtail's routing.
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(
        wagtail_urls.serve_pattern, page_cache.serve_from_cache(wagtail_views.serve), name="wagtail_serve"
    ),
    # After Wagtail's pages: /growing-areas/<code>/ for what Wagtail's page URL pattern cannot
    # carry (dots, spaces, other characters). Served by the registry page all the same, so a
    # valid code like LC.PT.001 has a page and anything else gets the plain "not registered"
    # page instead of a bare 404.
    re_path(r"^growing-areas/(?P<code>[\s\S]+)$", growers_views.serve_unroutable_code),
    prefix_default_language=False,
)
