"""Each cooperative's editors see and choose only their own cooperative's images and documents:
those in the media collection growers.services.ensure_cooperative_editors gives their group.
Not in the admin API, not on a bulk action's confirmation page, not among the tags offered by a
listing's filter or by the tag autocomplete, and not on their pages, whatever id a form posts.

Every test runs in both directions (coop1's editor against coop2's media, and the reverse).
Titles and tags carry short ASCII markers (``ANH2X``, ``TL2X``, ``the-anh-2x``…) so that a leak
is visible in HTML and in JSON. Other staff without media permissions (the agriculture officer)
see no cooperative's media; the site administrator sees all media, as before."""

import datetime
from dataclasses import dataclass

import pytest
import wagtail_factories

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from growers.factories import CooperativeEditorFactory, GrowingAreaFactory, OfficerFactory
from growers.media_forms import ChoosableMediaPageForm
from growers.selectors import cooperative_collection
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductPage
from tests.growers.test_admin_isolation import edit_form_data, new_variant, shows
from tests.helpers import product_form_data
from traceability.factories import BatchPageFactory
from traceability.models import BatchPage
from website.factories import UserFactory

Image = get_image_model()
Document = get_document_model()


@dataclass
class Side:
    number: int
    editor: object
    image: object
    document: object
    product: ProductPage

    @property
    def image_marker(self) -> str:
        return f"ANH{self.number}X"

    @property
    def document_marker(self) -> str:
        return f"TL{self.number}X"

    @property
    def image_tag(self) -> str:
        return f"the-anh-{self.number}x"

    @property
    def document_tag(self) -> str:
        return f"the-tl-{self.number}x"

    @property
    def markers(self) -> tuple[str, ...]:
        return (self.image_marker, self.document_marker, self.image_tag, self.document_tag)


def build_side(number: int, coop) -> Side:
    editor = CooperativeEditorFactory(username=f"media-editor{number}", cooperative=coop)
    collection = cooperative_collection(coop)
    image = wagtail_factories.ImageFactory(title=f"ANH{number}X Đồi chè", collection=collection)
    image.tags.add(f"the-anh-{number}x")
    document = wagtail_factories.DocumentFactory(
        title=f"TL{number}X Kết quả kiểm nghiệm", collection=collection
    )
    document.tags.add(f"the-tl-{number}x")
    product = ProductPageFactory(parent=coop, title=f"Sản phẩm {number}")
    ProductVariantFactory(page=product)
    product.save_revision(user=editor).publish(user=editor)
    product.refresh_from_db()
    return Side(number=number, editor=editor, image=image, document=document, product=product)


@pytest.fixture
def sides(coop1, coop2, shop) -> dict[int, Side]:
    return {1: build_side(1, coop1), 2: build_side(2, coop2)}


def assert_hides(response, side: Side):
    for marker in side.markers:
        assert not shows(response, marker), f"{marker} leaked into {response.request['PATH_INFO']}"


def shows_refusal(response) -> bool:
    """Whether the form error about media not the editor's is shown, in the admin's language."""
    with translation.override(response.get("Content-Language") or settings.LANGUAGE_CODE):
        return shows(response, str(ChoosableMediaPageForm.media_error))


def api_ids(response) -> set[int]:
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


# Admin API ----------------------------------------------------------------------------------

MEDIA_API = {"images": "/admin/api/main/images/", "documents": "/admin/api/main/documents/"}


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_admin_api_lists_only_own_cooperatives_media(editor_client, own, other, kind):
    own_item, other_item = (own.image, other.image) if kind == "images" else (own.document, other.document)

    listing = editor_client.get(MEDIA_API[kind])
    search = editor_client.get(MEDIA_API[kind], {"search": "ANH TL"})
    detail = editor_client.get(f"{MEDIA_API[kind]}{other_item.pk}/")

    assert api_ids(listing) == {own_item.pk}
    assert other_item.pk not in api_ids(search)
    assert detail.status_code == 404
    for response in (listing, search, detail):
        assert_hides(response, other)


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_administrator_still_sees_every_cooperatives_media_in_the_api(client, sides, kind):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    ids = api_ids(client.get(MEDIA_API[kind]))

    attribute = "image" if kind == "images" else "document"
    assert ids == {getattr(side, attribute).pk for side in sides.values()}


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_officer_without_media_permissions_sees_no_cooperatives_media_in_the_api(client, sides, kind):
    client.force_login(OfficerFactory())
    attribute = "image" if kind == "images" else "document"

    listing = client.get(MEDIA_API[kind])
    search = client.get(MEDIA_API[kind], {"search": "ANH TL"})
    details = [client.get(f"{MEDIA_API[kind]}{getattr(side, attribute).pk}/") for side in sides.values()]

    assert api_ids(listing) == set()
    assert api_ids(search) == set()
    assert [detail.status_code for detail in details] == [404, 404]
    for response in (listing, search, *details):
        for side in sides.values():
            assert_hides(response, side)


# Bulk actions -------------------------------------------------------------------------------

BULK_ACTIONS = ["delete", "add_tags", "add_to_collection"]


def bulk_url(kind: str, action: str, *items) -> str:
    app_label, model_name = ("wagtailimages", "image") if kind == "image" else ("wagtaildocs", "document")
    url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
    return url + "?" + "&".join(f"id={item.pk}" for item in items)


@pytest.mark.parametrize("kind", ["image", "document"])
@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_media_bulk_action_confirmation_does_not_show_other_cooperatives_media(
    editor_client, own, other, kind, action
):
    response = editor_client.get(bulk_url(kind, action, getattr(own, kind), getattr(other, kind)))

    assert response.status_code == 200
    assert shows(response, own.image_marker if kind == "image" else own.document_marker)
    assert_hides(response, other)


@pytest.mark.parametrize("kind", ["image", "document"])
@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_media_bulk_action_on_only_other_cooperatives_media_is_not_found(editor_client, other, kind, action):
    response = editor_client.get(bulk_url(kind, action, getattr(other, kind)))

    assert response.status_code == 404
    assert_hides(response, other)


@pytest.mark.parametrize("kind", ["image", "document"])
def test_media_bulk_delete_leaves_other_cooperatives_media_alone(editor_client, own, other, kind):
    model = Image if kind == "image" else Document

    editor_client.post(bulk_url(kind, "delete", getattr(other, kind)))

    assert model.objects.filter(pk=getattr(other, kind).pk).exists()


# Tags ---------------------------------------------------------------------------------------

TAG_LISTINGS = {
    "images": lambda: reverse("wagtailimages:index"),
    "images results": lambda: reverse("wagtailimages:index_results"),
    "documents": lambda: reverse("wagtaildocs:index"),
    "documents results": lambda: reverse("wagtaildocs:index_results"),
    "image chooser": lambda: reverse("wagtailimages_chooser:choose"),
    "document chooser": lambda: reverse("wagtaildocs_chooser:choose"),
}


@pytest.mark.parametrize("listing", TAG_LISTINGS)
def test_media_listings_tag_filter_offers_only_own_cooperatives_tags(editor_client, own, other, listing):
    response = editor_client.get(TAG_LISTINGS[listing]())

    assert response.status_code == 200
    assert_hides(response, other)


def test_media_listing_tag_filter_offers_own_tags(editor_client, own):
    images = editor_client.get(reverse("wagtailimages:index"))
    documents = editor_client.get(reverse("wagtaildocs:index"))

    assert shows(images, own.image_tag)
    assert shows(documents, own.document_tag)


def test_tag_autocomplete_suggests_only_own_cooperatives_tags(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_tag_autocomplete"), {"term": "the-"})

    assert response.status_code == 200
    assert set(response.json()) == {own.image_tag, own.document_tag}


def test_officer_tag_autocomplete_suggests_no_cooperatives_tags(client, sides):
    client.force_login(OfficerFactory())

    response = client.get(reverse("wagtailadmin_tag_autocomplete"), {"term": "the-"})

    assert response.status_code == 200
    assert response.json() == []


def test_superuser_tag_autocomplete_suggests_every_tag(client, sides):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("wagtailadmin_tag_autocomplete"), {"term": "the-"})

    assert set(response.json()) == {
        tag for side in sides.values() for tag in (side.image_tag, side.document_tag)
    }


# Choosers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["image", "document"])
def test_chooser_lists_own_media_and_refuses_to_hand_over_other_cooperatives(editor_client, own, other, kind):
    namespace = "wagtailimages_chooser" if kind == "image" else "wagtaildocs_chooser"

    listing = editor_client.get(reverse(f"{namespace}:choose_results"))
    chosen = editor_client.get(reverse(f"{namespace}:chosen", args=[getattr(other, kind).pk]))

    assert listing.status_code == 200
    assert shows(listing, own.image_marker if kind == "image" else own.document_marker)
    assert_hides(listing, other)
    assert chosen.status_code in (302, 403, 404)
    assert_hides(chosen, other)


# Putting another cooperative's media on one's own pages --------------------------------------


def product_state(product: ProductPage) -> tuple:
    product = ProductPage.objects.get(pk=product.pk)
    return (
        product.image_id,
        product.latest_revision_id,
        product.live_revision_id,
        product.gallery_images.count(),
    )


def image_block(image) -> dict:
    return {"image": image.pk, "decorative": "", "alt_text": "Đồi chè"}


PRODUCT_ATTEMPTS = {
    "main image": lambda other: {"image": other.image.pk},
    "gallery": lambda other: {
        "gallery_images": inline_formset([{"image": other.image.pk, "caption": "Đồi chè"}])
    },
    "description image block": lambda other: {
        "description": streamfield([("image", image_block(other.image))])
    },
    "description audio block": lambda other: {
        "description": streamfield([("audio", {"audio": other.document.pk, "caption": "", "language": "vi"})])
    },
}


def product_post(product: ProductPage, **changes) -> dict:
    data = edit_form_data(product)
    data.update(nested_form_data(changes))
    return data


@pytest.mark.parametrize("action", [{}, {"action-publish": "publish"}], ids=["save-draft", "publish"])
@pytest.mark.parametrize("attempt", PRODUCT_ATTEMPTS)
def test_editor_cannot_put_other_cooperatives_media_on_own_product(
    editor_client, own, other, attempt, action
):
    before = product_state(own.product)
    data = {**product_post(own.product, **PRODUCT_ATTEMPTS[attempt](other)), **action}

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[own.product.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors or any(
        formset.errors and any(formset.errors) for formset in response.context["form"].formsets.values()
    )
    assert shows_refusal(response)
    assert_hides(response, other)  # the refused choice is not shown again with its title
    assert product_state(own.product) == before


@pytest.mark.parametrize("attempt", PRODUCT_ATTEMPTS)
def test_editor_cannot_create_a_product_with_other_cooperatives_media(editor_client, own, other, attempt):
    coop = own.product.get_parent()
    data = product_form_data(
        title="Mật ong bạc hà",
        slug="mat-ong-bac-ha",
        variants=[new_variant("MO-200")],
        **{"action-publish": "publish"},
    )
    data.update(nested_form_data(PRODUCT_ATTEMPTS[attempt](other)))

    response = editor_client.post(
        reverse("wagtailadmin_pages:add", args=["products", "productpage", coop.pk]), data
    )

    assert response.status_code == 200
    assert shows_refusal(response)
    assert_hides(response, other)
    assert not ProductPage.objects.filter(slug="mat-ong-bac-ha").exists()


@pytest.mark.parametrize("attempt", ["main image", "gallery", "description image block"])
def test_editor_puts_own_cooperatives_image_on_own_product(editor_client, own, attempt):
    attempts = {
        "main image": {"image": own.image.pk},
        "gallery": {"gallery_images": inline_formset([{"image": own.image.pk, "caption": "Đồi chè"}])},
        "description image block": {"description": streamfield([("image", image_block(own.image))])},
    }
    data = {**product_post(own.product, **attempts[attempt]), "action-publish": "publish"}

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[own.product.pk]), data)

    assert response.status_code == 302
    assert ProductPage.objects.get(pk=own.product.pk).live_revision_id != own.product.live_revision_id


def test_image_chosen_before_by_the_administrator_stays_when_the_editor_saves(editor_client, own, other):
    """An image the administrator put on the product from elsewhere is not the editor's to
    choose, but saving the page again must not be refused for it."""
    ProductPage.objects.filter(pk=own.product.pk).update(image=other.image)
    product = ProductPage.objects.get(pk=own.product.pk)
    data = {**product_post(product, image=other.image.pk), "action-publish": "publish"}

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[own.product.pk]), data)

    assert response.status_code == 302
    assert ProductPage.objects.get(pk=own.product.pk).image_id == other.image.pk


def batch_post(batch: BatchPage, **changes) -> dict:
    data = nested_form_data(
        {
            "title": batch.title,
            "slug": batch.slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
            "lot": batch.lot,
            "harvest_start": batch.harvest_start.isoformat(),
            "harvest_end": batch.harvest_end.isoformat() if batch.harvest_end else "",
            "quantity_kg": str(batch.quantity_kg),
            "package_count": str(batch.package_count),
            "packed_on": batch.packed_on.isoformat() if batch.packed_on else "",
            "best_before": batch.best_before.isoformat() if batch.best_before else "",
            "shelf_life_days": "",
            "voice": streamfield([]),
            "events": inline_formset([]),
            "certifications": inline_formset([]),
            "lab_tests": inline_formset([]),
            "recalled_on": "",
            "recall_reason": "",
            **changes,
        }
    )
    data["growing_areas"] = [str(area.pk) for area in batch.growing_areas.all()]
    return data


@pytest.fixture
def own_batch(own) -> BatchPage:
    batch = BatchPageFactory(parent=own.product, live=False)
    batch.growing_areas.add(GrowingAreaFactory(cooperative=own.product.get_parent().specific))
    batch.save()
    batch.save_revision(user=own.editor)
    return BatchPage.objects.get(pk=batch.pk)


def lab_test(document) -> dict:
    return {
        "title": "Dư lượng thuốc bảo vệ thực vật",
        "laboratory": "Trung tâm Kiểm nghiệm Lai Châu",
        "tested_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "result": "Đạt",
        "document": document.pk,
    }


BATCH_ATTEMPTS = {
    "lab test document": lambda other: {"lab_tests": inline_formset([lab_test(other.document)])},
    "trace event photo": lambda other: {
        "events": inline_formset(
            [
                {
                    "event_type": "harvest",
                    "occurred_at": (timezone.localtime() - datetime.timedelta(days=38)).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "time_zone": "Asia/Ho_Chi_Minh",
                    "place": "Bản Sì Lở Lầu",
                    "responsible": "",
                    "notes": "",
                    "photo": other.image.pk,
                }
            ]
        )
    },
    "voice recording": lambda other: {
        "voice": streamfield([("audio", {"audio": other.document.pk, "caption": "", "language": "vi"})])
    },
}


@pytest.mark.parametrize("attempt", BATCH_ATTEMPTS)
def test_editor_cannot_put_other_cooperatives_media_on_own_batch_and_publish_it(
    editor_client, own, other, own_batch, attempt
):
    before = (
        own_batch.latest_revision_id,
        own_batch.live,
        own_batch.lab_tests.count(),
        own_batch.events.count(),
    )
    data = {**batch_post(own_batch, **BATCH_ATTEMPTS[attempt](other)), "action-publish": "publish"}

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[own_batch.pk]), data)

    assert response.status_code == 200
    assert shows_refusal(response)
    assert_hides(response, other)
    batch = BatchPage.objects.get(pk=own_batch.pk)
    assert (batch.latest_revision_id, batch.live, batch.lab_tests.count(), batch.events.count()) == before


def test_editor_publishes_own_batch_with_own_lab_test_document(editor_client, own, own_batch):
    data = {
        **batch_post(own_batch, lab_tests=inline_formset([lab_test(own.document)])),
        "action-publish": "publish",
    }

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[own_batch.pk]), data)

    assert response.status_code == 302, response.context["form"].errors if response.context else None
    batch = BatchPage.objects.get(pk=own_batch.pk)
    assert batch.live and batch.lab_tests.get().document_id == own.document.pk


def cooperative_post(coop, **changes) -> dict:
    return nested_form_data(
        {
            "title": coop.title,
            "slug": coop.slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
            "story": streamfield([]),
            "logo": "",
            "village": coop.village,
            "address": coop.address,
            "phone": "",
            "household_count": str(coop.household_count),
            "photos": inline_formset([]),
            "certifications": inline_formset([]),
            "bank_bin": coop.bank_bin,
            "bank_account_number": coop.bank_account_number,
            "bank_account_name": coop.bank_account_name,
            **changes,
        }
    )


@pytest.mark.parametrize("attempt", ["logo", "photos"])
def test_editor_cannot_put_other_cooperatives_image_on_own_cooperative_page(
    editor_client, own, other, attempt
):
    coop = own.product.get_parent().specific
    revision_before = coop.latest_revision_id
    attempts = {
        "logo": {"logo": other.image.pk},
        "photos": {"photos": inline_formset([{"image": other.image.pk, "caption": "Đồi chè"}])},
    }
    data = {**cooperative_post(coop, **attempts[attempt]), "action-publish": "publish"}

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[coop.pk]), data)

    assert response.status_code == 200
    assert shows_refusal(response)
    assert_hides(response, other)
    coop.refresh_from_db()
    assert coop.logo_id is None and not coop.photos.exists()
    assert coop.latest_revision_id == revision_before
