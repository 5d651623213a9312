"""Printing labels from the Wagtail admin: the button on the batch, the form, the PDF and the QR
downloads, and who may use them (whoever may edit the batch: its own cooperative's editors and
superusers)."""

import io
import shutil
import subprocess

import pytest
from PIL import Image

from django.urls import reverse

from wagtail.users.models import UserProfile

from products.factories import ProductPageFactory, ProductVariantFactory
from traceability.factories import BatchPageFactory
from traceability.links import label_url
from website.factories import UserFactory


def labels_url(batch, **params):
    url = reverse("traceability_batch_labels", args=[batch.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def assert_permission_denied(response):
    """Wagtail's answer to a refused admin request: back to the dashboard (403 to AJAX)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


@pytest.fixture
def batch(coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô")
    ProductVariantFactory(page=product, gtin="8931234567897", pack_label="Túi 500 g")
    return BatchPageFactory(parent=product, lot="TQ2026-01", package_count=40)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_editor_gets_the_pdf_of_their_own_batch(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch, layout="a4", count=30, skip=0, variant=""))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="labels-{batch.short_code}-a4.pdf"'
    assert response.content.startswith(b"%PDF")


def test_editor_gets_a_roll_pdf_for_a_chosen_pack_size(client, coop1_editor, batch):
    variant = batch.product.variants.get()
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch, layout="roll", count=2, variant=variant.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-roll.pdf"')


def test_form_offers_layout_and_count_defaulting_to_the_package_count(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="layout"' in html and 'value="roll"' in html
    assert 'name="count"' in html and 'value="40"' in html
    assert label_url(batch) in html
    assert reverse("traceability_batch_qr_svg", args=[batch.pk]) in html
    assert reverse("traceability_batch_qr_png", args=[batch.pk]) in html


def test_labels_page_speaks_the_editors_language(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    html = client.get(labels_url(batch)).content.decode()

    # Vietnamese by default (the site's language) ...
    for words in ("In nhãn", "Tờ A4, 3 × 8 nhãn cỡ 70 × 37 mm", "Cuộn nhãn 50 × 30 mm (máy in nhiệt)"):
        assert words in html
    assert "Tối đa 1000 nhãn mỗi lần." in html and "Tải nhãn (PDF)" in html

    # ... English for an editor who chose it in their profile.
    profile = UserProfile.get_for_user(coop1_editor)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(labels_url(batch)).content.decode()
    for words in ("Print labels", "A4 sheet, 3 × 8 labels of 70 × 37 mm", "At most 1000 at a time."):
        assert words in html
    assert "In nhãn" not in html


def test_invalid_count_shows_the_form_again_with_the_error(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch, layout="a4", count=5000))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["count"]


def test_other_cooperatives_editor_is_refused(client, coop2_editor, batch):
    client.force_login(coop2_editor)

    for url in (
        labels_url(batch),
        labels_url(batch, layout="a4", count=1),
        reverse("traceability_batch_qr_svg", args=[batch.pk]),
        reverse("traceability_batch_qr_png", args=[batch.pk]),
    ):
        response = client.get(url)
        assert_permission_denied(response)
        assert batch.short_code not in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, batch):
    response = client.get(labels_url(batch, layout="a4", count=1))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_superuser_gets_the_pdf(client, superuser, batch):
    client.force_login(superuser)

    response = client.get(labels_url(batch, layout="a4", count=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_unknown_batch_is_not_found(client, superuser, coop1):
    client.force_login(superuser)

    assert client.get(reverse("traceability_batch_labels", args=[coop1.pk])).status_code == 404


def test_qr_downloads_encode_the_label_url(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    svg = client.get(reverse("traceability_batch_qr_svg", args=[batch.pk]))
    png = client.get(reverse("traceability_batch_qr_png", args=[batch.pk]))

    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == f'attachment; filename="qr-{batch.short_code}.svg"'
    assert svg.content.startswith(b"<svg")
    assert png["Content-Type"] == "image/png"
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the QR codes")
    assert [s.data.decode() for s in pyzbar.decode(Image.open(io.BytesIO(png.content)))] == [label_url(batch)]


def test_qr_download_refuses_a_pack_size_of_another_product(client, coop1_editor, batch, coop1):
    stranger = ProductVariantFactory(page=ProductPageFactory(parent=coop1), gtin=None)
    client.force_login(coop1_editor)

    response = client.get(reverse("traceability_batch_qr_png", args=[batch.pk]) + f"?variant={stranger.pk}")

    assert response.status_code == 404


def test_print_labels_button_is_in_the_header_of_own_batch(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[batch.pk]))

    assert response.status_code == 200
    assert labels_url(batch) in response.content.decode()


def test_print_labels_button_is_in_the_product_listing(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(reverse("wagtailadmin_explore", args=[batch.get_parent().pk]))

    assert response.status_code == 200
    assert labels_url(batch) in response.content.decode()


def test_print_labels_button_is_not_on_other_page_types(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[batch.get_parent().pk]))

    assert response.status_code == 200
    assert "/labels/" not in response.content.decode()


def pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (Debian poppler-utils) is needed to read the PDF")
    return " ".join(
        subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )


def test_editor_prints_labels_with_vietnamese_letters_on_a_server_without_system_fonts(
    client, coop1_editor, batch, no_system_fonts
):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch, layout="a4", count=1, skip=0, variant=""))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Thảo quả khô" in text
    assert "Thao qua" not in text


def test_editor_is_told_when_the_label_fonts_are_missing_instead_of_getting_ascii_labels(
    client, coop1_editor, batch, label_fonts_missing
):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch, layout="a4", count=1, skip=0, variant=""))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "DejaVu Sans" in html
    # The form is shown again, to print once the fonts are back.
    assert 'name="count"' in html
