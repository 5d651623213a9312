"""A code's public page lists its declared seasons (issue 19, item 3): crop, dates and standard,
not the yields (a household's harvest is its own business, and the limit a borrowed code is
checked against is the officer's). A season declared later shows at once (the cached page goes)."""

import datetime
from decimal import Decimal

import pytest

from growers.factories import GrowingAreaFactory
from growers.models import Season
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def test_a_codes_page_lists_its_seasons_without_yields(client, registry):
    area = GrowingAreaFactory(code="VN-SLL-0808")
    url = f"/growing-areas/{area.code}/"
    assert "Chưa khai vụ nào." in soup(client.get(url)).get_text()

    Season.objects.create(
        growing_area=area,
        crop="thao-qua",
        variety="Quả to",
        area_hectares=Decimal("2"),
        standard="vietgap",
        expected_yield_kg=Decimal("654.32"),
        actual_yield_kg=Decimal("601.23"),
        starts_on=datetime.date(2026, 3, 1),
        expected_harvest_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    page = soup(client.get(url))

    (row,) = page.select("table.seasons tbody tr")
    assert " ".join(row.get_text(" ").split()) == "01/03/2026 – 31/12/2026 Thảo quả (Quả to) VietGAP"
    text = page.get_text()
    assert "654" not in text and "601" not in text
    english = soup(client.get(f"/en{url}"))
    assert english.select_one("table.seasons") is not None
