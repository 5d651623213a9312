"""The CDN purge is configured from the environment: Wagtail's frontend cache purges a
published page's URL through the configured backend (here an HTTP PURGE endpoint, recorded)."""

from unittest import mock

import pytest

from django.test import override_settings

pytestmark = pytest.mark.django_db

HTTP_PURGE = {
    "http": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://cdn-purge.invalid:6081",
    }
}


def test_publishing_a_page_purges_its_address_from_the_cdn(shop):
    purged = []

    def record(self, url):
        purged.append(url)

    with (
        override_settings(WAGTAILFRONTENDCACHE=HTTP_PURGE),
        mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge", record),
    ):
        shop.title = "Cửa hàng của xã"
        shop.save_revision().publish()

    assert any(url.endswith("/shop/") for url in purged), purged


def test_without_a_cdn_configured_publishing_purges_nothing(shop):
    with mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge") as purge:
        shop.save_revision().publish()

    purge.assert_not_called()
