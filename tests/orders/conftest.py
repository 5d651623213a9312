"""Fixtures for the orders tests. Several people add fixtures here: append, do not reorder."""

import uuid

import pytest

from growers.factories import CooperativeEditorFactory, OfficerFactory
from orders.services import Buyer, place_orders
from products.factories import ProductPageFactory, ProductVariantFactory

# --- payments (bank webhook, manual confirmation, Stripe) ------------------------------------

PAY_BUYER = Buyer(
    name="Nguyễn Thị Lan",
    phone="0912345678",
    email="lan@example.com",
    delivery_method="pickup",
    delivery_address="",
    note="",
    payment_method="vietqr",
)
BANK_SECRET = "bank-test-secret"
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def pay_cardamom(coop1):
    page = ProductPageFactory(parent=coop1, title="Thảo quả khô")
    return ProductVariantFactory(page=page, pack_label="Túi 500 g", price=120000, stock=10)


@pytest.fixture
def pay_tea(coop2):
    # Its own bank account, unlike coop1's (the factory gives both the same one).
    type(coop2).objects.filter(pk=coop2.pk).update(bank_account_number="1903555666777")
    page = ProductPageFactory(parent=coop2, title="Chè Shan tuyết")
    return ProductVariantFactory(page=page, pack_label="Hộp 100 g", price=80000, stock=10)


@pytest.fixture
def place():
    """place({variant: quantity, ...}) → the checkout's orders."""

    def place_(items, *, payment_method="vietqr"):
        buyer = Buyer(**{**PAY_BUYER.__dict__, "payment_method": payment_method})
        items = {variant.pk: quantity for variant, quantity in items.items()}
        return place_orders(items=items, buyer=buyer, checkout_id=uuid.uuid4())

    return place_


@pytest.fixture
def pay_order(place, pay_cardamom):
    """One order of coop1 waiting for 240.000 đ (2 × 120.000)."""
    return place({pay_cardamom: 2})[0]


@pytest.fixture
def bank_secret(settings):
    settings.BANK_WEBHOOK_SECRET = BANK_SECRET
    return BANK_SECRET


@pytest.fixture
def fake_stripe(settings):
    """Stripe configured and pointed at a local fake server (tests/orders/fake_stripe.py)."""
    from .fake_stripe import FakeStripe

    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
        settings.STRIPE_API_BASE = fake.url
        yield fake


# --- cart, checkout and the buyer's order page -------------------------------------------------

CHECKOUT_FORM = {
    "name": "Nguyễn Văn An",
    "phone": "0912 345 678",
    "delivery_method": "pickup",
    "delivery_address": "",
    "email": "",
    "note": "",
    "payment_method": "vietqr",
}


@pytest.fixture
def cardamom(coop1):
    page = ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho")
    return ProductVariantFactory(page=page, pack_label="Túi 500 g", price=120000, stock=5)


@pytest.fixture
def tea(coop2):
    page = ProductPageFactory(parent=coop2, title="Chè Shan tuyết", slug="che-shan-tuyet")
    return ProductVariantFactory(page=page, pack_label="Hộp 100 g", price=80000, stock=3)


@pytest.fixture
def add_to_cart(client):
    """add_to_cart(variant, quantity) through the real add form; returns the response."""

    def add(variant, quantity=1):
        return client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity})

    return add


@pytest.fixture
def checkout(client):
    """checkout(**overrides): show the form (to get its checkout id), then post it."""

    def checkout_(**overrides):
        client.get("/checkout/")
        data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], **overrides}
        return client.post("/checkout/", data)

    return checkout_


# --- the order desk in the admin, notifications, expiry ---------------------------------------


@pytest.fixture
def desk_users(coop1, coop2):
    """Users of the order desk: coop1's and coop2's editors (as ensure_cooperative_editors
    makes their groups), an agriculture officer, a superuser, and a user who may only enter
    the admin."""
    from django.contrib.auth.models import Permission

    from website.factories import UserFactory

    editor1 = CooperativeEditorFactory(
        username="desk-coop1", email="coop1-editor@example.org", cooperative=coop1
    )
    editor2 = CooperativeEditorFactory(
        username="desk-coop2", email="coop2-editor@example.org", cooperative=coop2
    )
    officer = OfficerFactory(username="desk-officer")
    admin = UserFactory(username="desk-admin", is_superuser=True, is_staff=True)
    plain = UserFactory(username="desk-plain")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {"coop1": editor1, "coop2": editor2, "officer": officer, "admin": admin, "plain": plain}


@pytest.fixture
def desk_orders(place, pay_cardamom, pay_tea):
    """One waiting order for each cooperative: coop1's 240.000 đ, coop2's 80.000 đ."""
    return {"coop1": place({pay_cardamom: 2})[0], "coop2": place({pay_tea: 1})[0]}
