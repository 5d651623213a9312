"""One small world for the security tests: the site tree of tests/conftest.py (Home →
Cooperatives → coop A and coop B, Home → Shop, Home → Growing areas), a product and a published
batch in each cooperative, growing areas, a category, one order for each cooperative, and one
user per role. Built once per module inside a transaction rolled back after the module's last
test (each test runs in a savepoint of its own), like Django's setUpTestData."""

import uuid
from dataclasses import dataclass

import pytest
import wagtail_factories

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from growers.factories import (
    CooperativeEditorFactory,
    CooperativeIndexPageFactory,
    CooperativePageFactory,
    GrowingAreaFactory,
    GrowingAreaIndexPageFactory,
    OfficerFactory,
    suspend,
)
from growers.models import CooperativePage, GrowingArea
from growers.selectors import cooperative_collection
from orders.models import Order
from orders.services import Buyer, place_orders
from products.factories import CategoryFactory, ProductPageFactory, ProductVariantFactory, ShopPageFactory
from products.models import Category, ProductPage, ProductVariant
from tests.conftest import ensure_wagtail_base_rows
from traceability.factories import BatchPageFactory, TraceEventFactory
from traceability.models import BatchPage
from website.factories import HomePageFactory, UserFactory

ROLES = ("anonymous", "editor_a", "editor_b", "officer", "admin")

BUYER = Buyer(
    name="Nguyễn Thị Lan",
    phone="0912345678",
    email="lan@example.com",
    delivery_method="pickup",
    delivery_address="",
    note="",
    payment_method="vietqr",
)


@dataclass
class World:
    """Everything a test needs, loaded afresh (no cached permissions) for each test."""

    home: Page
    shop: Page
    registry: Page
    coop_a: CooperativePage
    coop_b: CooperativePage
    product_a: ProductPage
    product_b: ProductPage
    variant_a: ProductVariant
    variant_b: ProductVariant
    batch_a: BatchPage
    batch_b: BatchPage
    area: GrowingArea
    suspended_area: GrowingArea
    category: Category
    order_a: Order
    order_b: Order
    published_revision_a: Revision
    draft_revision_a: Revision
    image_a: object  # in cooperative A's media collection
    document_a: object
    users: dict

    @classmethod
    def load(cls, pks: dict) -> "World":
        User = get_user_model()
        return cls(
            home=Page.objects.get(pk=pks["home"]).specific,
            shop=Page.objects.get(pk=pks["shop"]).specific,
            registry=Page.objects.get(pk=pks["registry"]).specific,
            coop_a=CooperativePage.objects.get(pk=pks["coop_a"]),
            coop_b=CooperativePage.objects.get(pk=pks["coop_b"]),
            product_a=ProductPage.objects.get(pk=pks["product_a"]),
            product_b=ProductPage.objects.get(pk=pks["product_b"]),
            variant_a=ProductVariant.objects.get(pk=pks["variant_a"]),
            variant_b=ProductVariant.objects.get(pk=pks["variant_b"]),
            batch_a=BatchPage.objects.get(pk=pks["batch_a"]),
            batch_b=BatchPage.objects.get(pk=pks["batch_b"]),
            area=GrowingArea.objects.get(pk=pks["area"]),
            suspended_area=GrowingArea.objects.get(pk=pks["suspended_area"]),
            category=Category.objects.get(pk=pks["category"]),
            order_a=Order.objects.get(pk=pks["order_a"]),
            order_b=Order.objects.get(pk=pks["order_b"]),
            published_revision_a=Revision.objects.get(pk=pks["published_revision_a"]),
            draft_revision_a=Revision.objects.get(pk=pks["draft_revision_a"]),
            image_a=get_image_model().objects.get(pk=pks["image_a"]),
            document_a=get_document_model().objects.get(pk=pks["document_a"]),
            users={role: User.objects.get(pk=pk) for role, pk in pks["users"].items()},
        )


def publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


def build_world() -> dict:
    root = ensure_wagtail_base_rows()
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    index = CooperativeIndexPageFactory(parent=home)
    shop = ShopPageFactory(parent=home)
    registry = GrowingAreaIndexPageFactory(parent=home)
    coop_a = CooperativePageFactory(parent=index, title="HTX Thảo quả Sì Lở Lầu", slug="htx-thao-qua")
    coop_b = CooperativePageFactory(parent=index, title="HTX Chè Shan tuyết", slug="htx-che-shan-tuyet")
    publish(coop_a)
    publish(coop_b)

    editor_a = CooperativeEditorFactory(username="editor-a", cooperative=coop_a)
    editor_b = CooperativeEditorFactory(username="editor-b", cooperative=coop_b)
    officer = OfficerFactory(username="officer")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    category = CategoryFactory(name="Gia vị", slug="gia-vi")
    area = GrowingAreaFactory(code="VN-SLL-0001", name="Vùng thảo quả Sì Lở Lầu", cooperative=coop_a)
    suspended_area = suspend(GrowingAreaFactory(code="VN-SLL-0002", name="Vùng sâm"), user=officer)

    product_a = ProductPageFactory(
        parent=coop_a, title="Thảo quả khô", slug="thao-qua-kho", category=category
    )
    variant_a = ProductVariantFactory(page=product_a, price=120000, stock=50)
    published_revision_a = publish(product_a)
    product_a.summary = "Giá mới từ vụ sau."
    draft_revision_a = product_a.save_revision(user=editor_a)
    product_b = ProductPageFactory(parent=coop_b, title="Chè Shan tuyết", slug="che-shan-tuyet")
    variant_b = ProductVariantFactory(page=product_b, price=80000, stock=50)
    publish(product_b)

    batches = {}
    for name, product, lot in (("batch_a", product_a, "TQ2026-01"), ("batch_b", product_b, "CH2026-01")):
        batch = BatchPageFactory(parent=product, lot=lot, title=f"Lô {lot}", slug=lot.lower())
        batch.growing_areas.set([area])
        TraceEventFactory(batch=batch)
        publish(batch)
        batches[name] = batch

    image_a = wagtail_factories.ImageFactory(title="Đồi thảo quả", collection=cooperative_collection(coop_a))
    document_a = wagtail_factories.DocumentFactory(
        title="Kiểm nghiệm thảo quả", collection=cooperative_collection(coop_a)
    )

    order_a = place_orders(items={variant_a.pk: 1}, buyer=BUYER, checkout_id=uuid.uuid4())[0]
    order_b = place_orders(items={variant_b.pk: 1}, buyer=BUYER, checkout_id=uuid.uuid4())[0]
    return {
        "home": home.pk,
        "shop": shop.pk,
        "registry": registry.pk,
        "coop_a": coop_a.pk,
        "coop_b": coop_b.pk,
        "product_a": product_a.pk,
        "product_b": product_b.pk,
        "variant_a": variant_a.pk,
        "variant_b": variant_b.pk,
        "batch_a": batches["batch_a"].pk,
        "batch_b": batches["batch_b"].pk,
        "area": area.pk,
        "suspended_area": suspended_area.pk,
        "category": category.pk,
        "order_a": order_a.pk,
        "order_b": order_b.pk,
        "published_revision_a": published_revision_a.pk,
        "draft_revision_a": draft_revision_a.pk,
        "image_a": image_a.pk,
        "document_a": document_a.pk,
        "users": {
            "editor_a": editor_a.pk,
            "editor_b": editor_b.pk,
            "officer": officer.pk,
            "admin": admin.pk,
        },
    }


@pytest.fixture(scope="module")
def world_pks(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(world_pks, db) -> World:
    return World.load(world_pks)


def login(client, world: World, role: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client
