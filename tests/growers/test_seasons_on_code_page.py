"""A code's admin page shows its seasons (yields declared, kilograms sold) only to those who see
the code's seasons in the Seasons listing: its holder's editors and the officers. Another
cooperative's editor, who may look at any code of the register, does not read a competitor's
declared and actual yields there."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from growers.factories import GrowingAreaFactory
from growers.models import Season

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(coop1):
    area = GrowingAreaFactory(code="VN-SLL-0101", cooperative=coop1)
    Season.objects.create(
        growing_area=area,
        crop="thao-qua",
        area_hectares=Decimal("2"),
        expected_yield_kg=Decimal("612"),
        actual_yield_kg=Decimal("577"),
        starts_on=datetime.date(2026, 1, 1),
        expected_harvest_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 12, 1),
    )
    return area


@pytest.mark.parametrize(
    ("role", "sees"), [("coop1_editor", True), ("coop2_editor", False), ("officer", True)]
)
def test_a_codes_seasons_on_its_admin_page_for_each_person(client, request, area, role, sees):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("growing_areas:inspect", args=[area.pk]))
    assert response.status_code == 200
    assert ("612" in response.text and "577" in response.text) == sees
