from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from growers import admin_views

# Replacements for Wagtail admin views that would show a cooperative's editors the other
# cooperatives' pages (growers/admin_views.py). Same paths as Wagtail's, listed before Wagtail's
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
]
decorate_urlpatterns(admin_overrides, require_admin_access)
decorate_urlpatterns(admin_overrides, wagtailadmin_urls.display_custom_404)
decorate_urlpatterns(admin_overrides, never_cache)

urlpatterns = [
    *admin_overrides,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
