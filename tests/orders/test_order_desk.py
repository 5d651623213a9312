"""The order desk in the Wagtail admin (orders/viewsets/).

Each cooperative's editors see and act on their own cooperative's orders only, in every view:
list, results fragment, search, filters, CSV export, the order's page, the status actions,
"transfer received" and the bank notices to review. Every isolation test runs both ways (coop1's
editor against coop2's order, coop2's editor against coop1's). Officers see every order and
act on none; superusers see and act on all; orders are never added, edited or deleted here.
"""

import pytest

from django.contrib.messages import get_messages
from django.urls import NoReverseMatch, reverse

from orders.models import (
    BankNotification,
    BankNotificationOutcome,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
)
from orders.services import record_payment

BOTH_WAYS = pytest.mark.parametrize("own, other", [("coop1", "coop2"), ("coop2", "coop1")])


def url(name, order=None):
    return reverse(f"order_desk:{name}", args=[order.pk] if order else [])


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def pay(order, reference="FT-PAID-1"):
    record_payment(
        order=order,
        method=PaymentMethod.VIETQR,
        amount=order.total,
        provider_reference=reference,
        source="bank",
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def as_user(client, desk_users):
    def login(role):
        client.force_login(desk_users[role])
        return client

    return login


# Isolation between cooperatives ---------------------------------------------------------------


@BOTH_WAYS
def test_list_and_results_show_only_own_cooperatives_orders(as_user, desk_orders, own, other):
    client = as_user(own)
    for name in ("index", "index_results"):
        with_all_statuses = client.get(url(name), {"status": ""})
        response = client.get(url(name))
        assert response.status_code == 200
        for page in (body(response), body(with_all_statuses)):
            assert desk_orders[own].number in page
            assert desk_orders[other].number not in page
            assert desk_orders[other].cooperative.title not in page


@BOTH_WAYS
def test_search_and_filters_never_reach_other_cooperatives_orders(as_user, desk_orders, own, other):
    client = as_user(own)
    theirs = desk_orders[other]
    for query in (theirs.number, theirs.payment_reference, theirs.buyer_name, theirs.buyer_phone):
        # The query itself is echoed (search box, export links): look for the order's row.
        page = body(client.get(url("index_results"), {"q": query}))
        assert url("inspect", theirs) not in page
    page = body(client.get(url("index"), {"cooperative": theirs.cooperative_id}))
    assert url("inspect", theirs) not in page
    assert theirs.cooperative.title not in page
    page = body(client.get(url("index"), {"q": desk_orders[own].payment_reference}))
    assert url("inspect", desk_orders[own]) in page


@BOTH_WAYS
def test_csv_export_holds_only_own_orders(as_user, desk_orders, own, other):
    client = as_user(own)
    response = client.get(url("index"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    csv = body(response)
    assert desk_orders[own].number in csv
    assert desk_orders[other].number not in csv
    assert desk_orders[other].payment_reference not in csv
    searched = body(client.get(url("index"), {"export": "csv", "q": desk_orders[other].number}))
    assert desk_orders[other].number not in searched


@BOTH_WAYS
def test_other_cooperatives_order_page_is_not_found(as_user, desk_orders, own, other):
    client = as_user(own)
    assert client.get(url("inspect", desk_orders[own])).status_code == 200
    response = client.get(url("inspect", desk_orders[other]))
    assert response.status_code == 404
    assert desk_orders[other].buyer_name not in body(response)


@BOTH_WAYS
def test_actions_on_other_cooperatives_order_are_refused_and_change_nothing(as_user, desk_orders, own, other):
    client = as_user(own)
    theirs = desk_orders[other]
    response = client.post(url("transition", theirs), {"to_status": OrderStatus.CANCELLED})
    assert response.status_code == 404
    assert client.get(url("transfer", theirs)).status_code == 404
    response = client.post(url("transfer", theirs), {"bank_reference": "FT-X", "amount": theirs.total})
    assert response.status_code == 404
    assert status_of(theirs) == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()
    assert theirs.events.count() == 1


@BOTH_WAYS
def test_bank_notices_of_other_cooperatives_orders_are_not_listed(as_user, desk_orders, own, other):
    for role in ("coop1", "coop2"):
        BankNotification.objects.create(
            transaction_id=f"TX-{role.upper()}",
            amount=1,
            raw_body="{}",
            outcome=BankNotificationOutcome.WRONG_AMOUNT,
            order=desk_orders[role],
        )
    BankNotification.objects.create(
        transaction_id="TX-NOBODY", amount=5, raw_body="{}", outcome=BankNotificationOutcome.UNKNOWN_REFERENCE
    )
    page = body(as_user(own).get(url("bank_notices")))
    assert f"TX-{own.upper()}" in page
    assert f"TX-{other.upper()}" not in page
    assert "TX-NOBODY" not in page


# Officers, superusers, everyone else ----------------------------------------------------------


def test_officer_sees_every_order_and_notice_but_moves_none(as_user, desk_orders):
    BankNotification.objects.create(
        transaction_id="TX-NOBODY", amount=5, raw_body="{}", outcome=BankNotificationOutcome.UNKNOWN_REFERENCE
    )
    client = as_user("officer")
    page = body(client.get(url("index")))
    csv = body(client.get(url("index"), {"export": "csv"}))
    for order in desk_orders.values():
        assert order.number in page
        assert order.number in csv
        inspect = client.get(url("inspect", order))
        assert inspect.status_code == 200
        assert url("transition", order) not in body(inspect)
        assert url("transfer", order) not in body(inspect)
        response = client.post(url("transition", order), {"to_status": OrderStatus.CANCELLED})
        assert response.status_code == 302
        assert client.get(url("transfer", order)).status_code == 302
        assert status_of(order) == OrderStatus.PENDING_PAYMENT
    assert "TX-NOBODY" in body(client.get(url("bank_notices")))


def test_superuser_sees_and_moves_every_order(as_user, desk_orders):
    client = as_user("admin")
    page = body(client.get(url("index")))
    for order in desk_orders.values():
        assert order.number in page
        client.post(url("transition", order), {"to_status": OrderStatus.CANCELLED})
        assert status_of(order) == OrderStatus.CANCELLED


def test_anonymous_users_are_sent_to_log_in(client, desk_orders):
    order = desk_orders["coop1"]
    for name, target in [("index", None), ("inspect", order), ("transfer", order), ("bank_notices", None)]:
        response = client.get(url(name, target))
        assert response.status_code == 302
        assert reverse("wagtailadmin_login") in response["Location"]
    client.post(url("transition", order), {"to_status": OrderStatus.CANCELLED})
    assert status_of(order) == OrderStatus.PENDING_PAYMENT


def test_user_with_only_admin_access_is_refused(as_user, desk_orders):
    client = as_user("plain")
    order = desk_orders["coop1"]
    for name, target in [
        ("index", None),
        ("index_results", None),
        ("transfer", order),
        ("bank_notices", None),
    ]:
        response = client.get(url(name, target))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("wagtailadmin_home"), name
    # The order's page looks the order up among those the user may see: none.
    assert client.get(url("inspect", order)).status_code == 404
    csv = client.get(url("index"), {"export": "csv"})
    assert order.number not in body(csv)
    client.post(url("transition", order), {"to_status": OrderStatus.CANCELLED})
    assert status_of(order) == OrderStatus.PENDING_PAYMENT
    home = body(client.get(reverse("wagtailadmin_home")))
    assert url("index") not in home and "Đơn hàng" not in home


def test_orders_cannot_be_added_edited_or_deleted_in_the_admin(as_user, desk_orders):
    for name in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"order_desk:{name}", args=[1] if name != "add" else [])
    client = as_user("admin")
    order = desk_orders["coop1"]
    for path in (
        "/admin/orders/new/",
        f"/admin/orders/edit/{order.pk}/",
        f"/admin/orders/delete/{order.pk}/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {}).status_code == 404
    assert Order.objects.count() == 2


# Status transitions ---------------------------------------------------------------------------


def test_order_page_shows_lines_buyer_payments_timeline_and_allowed_actions(as_user, desk_orders):
    order = desk_orders["coop1"]
    page = body(as_user("coop1").get(url("inspect", order)))
    line = order.lines.get()
    for text in (order.number, line.product_title, line.sku, order.buyer_name, order.buyer_phone, "240.000"):
        assert text in page
    assert 'value="cancelled"' in page
    assert 'value="paid"' not in page  # paid only by recording a payment
    assert 'value="shipped"' not in page
    assert url("transfer", order) in page


def test_editor_moves_own_order_through_allowed_statuses(as_user, desk_orders):
    client = as_user("coop1")
    order = pay(desk_orders["coop1"])
    for target in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        response = client.post(url("transition", order), {"to_status": target, "note": f"to {target}"})
        assert response.status_code == 302
        assert response["Location"] == url("inspect", order)
        assert status_of(order) == target
    event = order.events.last()
    assert (event.to_status, event.actor, event.source, event.note) == (
        OrderStatus.DELIVERED,
        client.get(url("index")).wsgi_request.user,
        "admin",
        "to delivered",
    )


def test_cancelling_unpaid_order_releases_its_stock(as_user, desk_orders, pay_cardamom):
    pay_cardamom.refresh_from_db()
    assert pay_cardamom.stock == 8
    as_user("coop1").post(url("transition", desk_orders["coop1"]), {"to_status": OrderStatus.CANCELLED})
    pay_cardamom.refresh_from_db()
    assert pay_cardamom.stock == 10


@pytest.mark.parametrize(
    "target, expected",
    [
        # The admin speaks Vietnamese (the site's language) unless the user chose English.
        (OrderStatus.SHIPPED, "không thể chuyển sang “Đang giao hàng”"),
        (OrderStatus.DELIVERED, "không thể chuyển sang “Đã giao hàng”"),
        (OrderStatus.PAID, "Đã nhận chuyển khoản"),
        ("lost", "Trạng thái không hợp lệ"),
        ("", "Hãy chọn việc cần làm"),
    ],
)
def test_refused_transition_is_a_message_not_an_error(as_user, desk_orders, target, expected):
    client = as_user("coop1")
    order = desk_orders["coop1"]
    response = client.post(url("transition", order), {"to_status": target}, follow=True)
    assert response.status_code == 200
    assert any(expected in text for text in message_texts(response))
    assert status_of(order) == OrderStatus.PENDING_PAYMENT


def test_closed_order_offers_no_action(as_user, desk_orders):
    client = as_user("coop1")
    order = desk_orders["coop1"]
    client.post(url("transition", order), {"to_status": OrderStatus.CANCELLED})
    page = body(client.get(url("inspect", order)))
    assert url("transition", order) not in page
    assert url("transfer", order) not in page
    response = client.post(url("transition", order), {"to_status": OrderStatus.REFUNDED}, follow=True)
    assert any("không thể chuyển sang" in text for text in message_texts(response))
    assert status_of(order) == OrderStatus.CANCELLED


def test_transitions_refuse_get(as_user, desk_orders):
    assert as_user("coop1").get(url("transition", desk_orders["coop1"])).status_code == 405


# Transfer received ----------------------------------------------------------------------------


def test_transfer_received_form_is_prefilled_with_the_total(as_user, desk_orders):
    response = as_user("coop1").get(url("transfer", desk_orders["coop1"]))
    assert response.status_code == 200
    assert response.context["form"].initial["amount"] == 240000


def test_transfer_received_marks_the_order_paid(as_user, desk_orders):
    client = as_user("coop1")
    order = desk_orders["coop1"]
    response = client.post(url("transfer", order), {"bank_reference": "ft 2401 777", "amount": "240000"})
    assert response.status_code == 302
    assert status_of(order) == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.order, payment.amount, payment.provider_reference) == (order, 240000, "FT2401777")
    assert payment.recorded_by.username == "desk-coop1"
    page = body(client.get(url("inspect", order)))
    assert payment.provider_reference in page
    assert url("transfer", order) not in page


def test_transfer_with_wrong_amount_is_refused(as_user, desk_orders):
    order = desk_orders["coop1"]
    response = as_user("coop1").post(url("transfer", order), {"bank_reference": "FT-1", "amount": "200000"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert status_of(order) == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_transfer_reference_already_used_for_another_own_order_is_refused(
    as_user, desk_orders, place, pay_cardamom
):
    client = as_user("coop1")
    first, second = desk_orders["coop1"], place({pay_cardamom: 2})[0]
    client.post(url("transfer", first), {"bank_reference": "FT-SAME", "amount": first.total})
    response = client.post(url("transfer", second), {"bank_reference": "FT-SAME", "amount": second.total})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert status_of(second) == OrderStatus.PENDING_PAYMENT
    assert Payment.objects.count() == 1


def test_transfer_reference_of_another_cooperative_is_refused_without_naming_its_order(as_user, desk_orders):
    theirs, ours = desk_orders["coop2"], desk_orders["coop1"]
    pay(theirs, reference="FT-THEIRS")
    response = as_user("coop1").post(
        url("transfer", ours), {"bank_reference": "ft-theirs", "amount": ours.total}
    )
    assert response.status_code == 200
    assert "đã được ghi nhận cho một đơn hàng khác" in body(response)
    assert theirs.number not in body(response)
    assert status_of(ours) == OrderStatus.PENDING_PAYMENT


def test_transfer_for_an_order_not_waiting_is_refused(as_user, desk_orders, place, pay_cardamom):
    client = as_user("coop1")
    paid = pay(desk_orders["coop1"])
    response = client.post(
        url("transfer", paid), {"bank_reference": "FT-2", "amount": paid.total}, follow=True
    )
    assert any("không chờ chuyển khoản" in text for text in message_texts(response))
    assert Payment.objects.count() == 1


def test_a_card_order_paid_by_bank_transfer_can_be_marked_received(as_user, place, pay_cardamom):
    card = place({pay_cardamom: 1}, payment_method="stripe")[0]
    client = as_user("coop1")
    assert client.get(url("transfer", card)).status_code == 200
    client.post(url("transfer", card), {"bank_reference": "FT-CARD-1", "amount": card.total})
    card.refresh_from_db()
    assert card.status == "paid"


@pytest.mark.parametrize("role", ["coop1", "coop2", "officer", "admin"])
def test_order_desk_is_in_the_menu_of_those_who_may_use_it(as_user, desk_orders, role):
    page = body(as_user(role).get(reverse("wagtailadmin_home")))
    assert url("index") in page
    assert url("bank_notices") in page


def test_group_editor_offers_only_the_order_desk_permissions(as_user, desk_users):
    from django.contrib.auth.models import Group

    page = body(as_user("admin").get(reverse("wagtailusers_groups:edit", args=[Group.objects.first().pk])))
    assert "Can move orders through their statuses" in page or "change_order_status" in page
