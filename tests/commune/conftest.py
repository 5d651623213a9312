"""Data for the commune's numbers: applications made directly with the models (status and
decision dates set as the officer's services would), codes, products, paid orders, scans."""

import datetime
import itertools
from decimal import Decimal

import pytest

from django.utils import timezone

from applications.models import Application, ApplicationHousehold, ApplicationStatus

_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def make_application(db):
    """An application with `households` member households listed (0: the applicant's own),
    received on `received` and, when decided, decided on `decided`."""

    def make(*, status=ApplicationStatus.RECEIVED, households=0, received=None, decided=None, **fields):
        fields.setdefault("applicant_name", "Giàng A Páo")
        fields.setdefault("phone", "+84912345678")
        application = Application.objects.create(
            number=f"2026-{next(_numbers):04d}", village="Sì Lở Lầu", crop="thao-qua", status=status, **fields
        )
        for n in range(households):
            ApplicationHousehold.objects.create(
                application=application, head_name=f"Vàng Seo {n}", phone="0987000111"
            )
        received = received or timezone.localdate()
        Application.objects.filter(pk=application.pk).update(
            received_at=at(received), decided_at=at(decided, 15) if decided else None
        )
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def make_paid_order(coop1):
    from orders.models import Order

    def make(method, *, paid=True):
        now = timezone.now()
        return Order.objects.create(
            number=f"DH{next(_numbers):06d}",
            cooperative=coop1,
            payment_method=method,
            status="paid" if paid else "pending_payment",
            buyer_name="Nguyễn Thị Mua",
            buyer_phone="+84911222333",
            delivery_method="pickup",
            subtotal=100_000,
            total=100_000,
            expires_at=now + datetime.timedelta(days=1),
            paid_at=now if paid else None,
        )

    return make


ZERO = Decimal("0")
