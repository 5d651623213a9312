"""orders.payments: the cooperative's "transfer received" (confirm_transfer) and finding the
payment reference in a bank's transfer note."""

import pytest

from orders.exceptions import OrderError, PaymentMismatch
from orders.models import OrderStatus, Payment
from orders.payments import confirm_transfer, reference_candidates
from orders.services import change_status


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(username="coop1-editor", password="x")


def test_a_good_confirmation_pays_the_order(pay_order, editor):
    payment, created = confirm_transfer(
        order=pay_order, bank_reference=" ft 2412 3456 ", amount=240000, user=editor
    )

    assert created is True
    assert (payment.method, payment.amount, payment.provider_reference) == ("vietqr", 240000, "FT24123456")
    assert payment.recorded_by == editor
    assert pay_order.status == OrderStatus.PAID
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PAID
    event = pay_order.events.get(to_status="paid")
    assert (event.actor, event.source) == (editor, "admin")


def test_an_amount_from_a_form_may_be_text(pay_order, editor):
    payment, _created = confirm_transfer(order=pay_order, bank_reference="FT1", amount="240000", user=editor)
    assert payment.amount == 240000


@pytest.mark.parametrize("amount", [200000, 240001, "240.000,5", "abc", None, -240000, 240000.5, True])
def test_a_wrong_amount_is_refused_with_a_clear_message(pay_order, editor, amount):
    with pytest.raises(PaymentMismatch) as refusal:
        confirm_transfer(order=pay_order, bank_reference="FT1", amount=amount, user=editor)
    assert str(refusal.value)
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_the_message_names_both_amounts(pay_order, editor):
    with pytest.raises(PaymentMismatch, match=r"200\.000\xa0₫.*240\.000\xa0₫"):
        confirm_transfer(order=pay_order, bank_reference="FT1", amount=200000, user=editor)


@pytest.mark.parametrize("reference", ["", "   ", None])
def test_an_empty_reference_is_refused(pay_order, editor, reference):
    # In the cooperative's language, the site's default (Vietnamese).
    with pytest.raises(PaymentMismatch, match="Hãy nhập mã giao dịch"):
        confirm_transfer(order=pay_order, bank_reference=reference, amount=240000, user=editor)
    assert not Payment.objects.exists()


def test_the_same_reference_twice_for_the_same_order_counts_once(pay_order, editor):
    first, created = confirm_transfer(order=pay_order, bank_reference="FT1", amount=240000, user=editor)
    again, created_again = confirm_transfer(order=pay_order, bank_reference="ft1", amount=240000, user=editor)

    assert (created, created_again) == (True, False)
    assert first == again
    assert Payment.objects.count() == 1
    assert pay_order.events.filter(to_status="paid").count() == 1


def test_a_reference_already_used_for_another_order_is_refused(place, pay_cardamom, pay_order, editor):
    other = place({pay_cardamom: 2})[0]
    confirm_transfer(order=pay_order, bank_reference="FT1", amount=240000, user=editor)

    with pytest.raises(PaymentMismatch, match="cho một đơn hàng khác") as refused:
        confirm_transfer(order=other, bank_reference="FT1", amount=240000, user=editor)
    assert pay_order.number not in str(refused.value)  # it may be another cooperative's order
    other.refresh_from_db()
    assert other.status == OrderStatus.PENDING_PAYMENT


def test_a_cancelled_order_cannot_be_marked_paid(pay_order, editor):
    change_status(order=pay_order, to_status=OrderStatus.CANCELLED, source="admin")
    with pytest.raises(OrderError):
        confirm_transfer(order=pay_order, bank_reference="FT1", amount=240000, user=editor)
    assert not Payment.objects.exists()


def test_a_transfer_the_bank_already_notified_is_not_counted_again(client, bank_secret, pay_order, editor):
    from .test_bank_webhook import notice, post

    post(client, notice(pay_order, transaction_id="FT777"))
    payment, created = confirm_transfer(order=pay_order, bank_reference="FT777", amount=240000, user=editor)
    assert created is False
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "description, expected",
    [
        ("SLLACDEFGHJK", ["SLLACDEFGHJK"]),
        ("sll acde fghjk", ["SLLACDEFGHJK"]),
        ("MBVCB.1.SLLACDEFGHJK.CT tu 0123", ["SLLACDEFGHJK"]),
        ("SLL123", []),
        ("", []),
        (None, []),
    ],
)
def test_reference_candidates(description, expected):
    assert reference_candidates(description) == expected
