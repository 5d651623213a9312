"""A cooperative editor types a pack's GTIN in the Wagtail page editor: a mistyped number is
refused with the reason beside the field, a good one is stored as 14 digits."""

import pytest

from django.urls import reverse

from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductVariant
from tests.helpers import product_edit_data, variant_rows
from website.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def product(coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho", summary="")
    ProductVariantFactory(page=product, sku="TQ-500", gtin=None)
    return product


def edit_data(product, gtin: str) -> dict:
    """The product's edit form with its one pack size's GTIN typed as `gtin`."""
    (pack,) = variant_rows(product)
    return product_edit_data(product, summary="", variants=[{**pack, "gtin": gtin, "is_active": "on"}])


def test_editor_sees_why_a_mistyped_gtin_is_refused(admin_client, product):
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, "893 4563 13816 0")
    )

    assert response.status_code == 200
    # The admin speaks Vietnamese (the site's language) to an editor who has not chosen another.
    assert "Chữ số cuối của mã GTIN này phải là 5; vui lòng kiểm tra lại mã số." in response.content.decode()
    assert ProductVariant.objects.get(page=product).gtin is None


def test_gtin_typed_with_spaces_is_stored_as_14_digits(admin_client, product):
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, "893 4563 13816 5")
    )

    assert response.status_code == 302
    assert ProductVariant.objects.get(page=product).gtin == "08934563138165"


def test_gtin_already_on_another_pack_is_refused(admin_client, product, coop2):
    ProductVariantFactory(page=ProductPageFactory(parent=coop2, summary=""), gtin="8934563138165")

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, "8934563138165")
    )

    assert response.status_code == 200
    assert ProductVariant.objects.get(page=product).gtin is None
    assert response.context["form"].formsets["variants"].errors[0]["gtin"]
