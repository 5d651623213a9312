"""Borrowed codes (issue 19, item 4): the batch editor refuses a batch that would put a code it
cites over its season's limit, with the numbers that say why; at the limit exactly is allowed.
Drafts are checked like publishing; a published batch edited without raising its kilograms
passes."""

import datetime
from decimal import Decimal

import pytest

from growers.factories import CooperativeEditorFactory, GrowingAreaFactory
from growers.models import Season
from products.factories import ProductPageFactory
from tests.traceability.test_batch_editor import add_url, batch_data, edit_url, form_errors
from traceability.factories import BatchPageFactory
from traceability.models import BatchPage

pytestmark = pytest.mark.django_db


def season(area, *, expected=Decimal("1000"), hectares=Decimal("2"), **extra):
    """The 2026 season of `area`, harvest in November (the editor's batches are harvested 20/11/2026)."""
    return Season.objects.create(
        growing_area=area,
        crop="thao-qua",
        area_hectares=hectares,
        expected_yield_kg=expected,
        starts_on=datetime.date(2026, 3, 1),
        expected_harvest_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        **extra,
    )


def published(product, areas, kg, lot, day=datetime.date(2026, 11, 10)):
    batch = BatchPageFactory(
        parent=product,
        lot=lot,
        slug=lot.lower(),
        quantity_kg=Decimal(kg),
        harvest_start=day,
        harvest_end=day,
        packed_on=day,
        best_before=day + datetime.timedelta(days=365),
    )
    batch.growing_areas.set(areas)
    batch.save_revision().publish()
    return BatchPage.objects.get(pk=batch.pk)


@pytest.fixture
def editor(client, coop1):
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))
    return client


@pytest.mark.parametrize(("kg", "saved"), [("300", True), ("400", True), ("401", False)])
def test_a_batch_within_at_and_over_the_declared_limit(editor, product, area, registry, kg, saved):
    season(area)
    published(product, [area], "600", "TQ2026-90")

    response = editor.post(add_url(product), batch_data(lot="TQ2026-91", areas=[area], quantity_kg=kg))

    assert BatchPage.objects.filter(lot="TQ2026-91").exists() is saved
    if saved:
        assert response.status_code == 302, form_errors(response)
    else:
        assert response.status_code == 200
        message = form_errors(response)["quantity_kg"]
        assert "VN-SLL-0001" in message
        assert "01/03/2026–31/12/2026" in message
        assert "giới hạn 1000 kg (sản lượng dự kiến đã khai)" in message
        assert "đã tính 600 kg" in message
        assert "nâng lên 1001 kg" in message
        assert "bản nháp hay xuất bản" in message


def test_without_a_declared_yield_the_limit_is_the_area_times_the_typical_yield(
    editor, product, area, registry
):
    season(area, expected=None, hectares=Decimal("2"))  # 2 ha × 300 kg (thảo quả) = 600 kg

    response = editor.post(
        add_url(product), batch_data(lot="TQ2026-91", areas=[area], quantity_kg="601", publish=True)
    )

    message = form_errors(response)["quantity_kg"]
    assert "giới hạn 600 kg (2 ha × năng suất thông thường của cây trồng)" in message
    assert not BatchPage.objects.filter(lot="TQ2026-91").exists()
    ok = editor.post(add_url(product), batch_data(lot="TQ2026-91", areas=[area], quantity_kg="600"))
    assert ok.status_code == 302


def test_a_code_without_a_season_counts_its_calendar_year(editor, product, area, registry):
    # 12.5 ha × 300 kg = 3750 kg for 2026.
    published(product, [area], "3500", "TQ2026-90")

    response = editor.post(add_url(product), batch_data(lot="TQ2026-91", areas=[area], quantity_kg="251"))

    message = form_errors(response)["quantity_kg"]
    assert "năm 2026 (chưa khai vụ)" in message
    assert "giới hạn 3750 kg (12.5 ha × năng suất thông thường" in message


def test_a_batch_citing_two_codes_is_split_by_their_areas(editor, product, coop1, registry):
    big = GrowingAreaFactory(code="VN-SLL-0031", cooperative=coop1, area_hectares=Decimal("3"))
    # Tam thất: 1 ha × 1000 kg; thảo quả 3 ha × 300 kg = 900 kg.
    small = GrowingAreaFactory(
        code="VN-SLL-0032", cooperative=coop1, area_hectares=Decimal("1"), crop_name="Tam thất"
    )

    ok = editor.post(
        add_url(product), batch_data(lot="TQ2026-91", areas=[big, small], quantity_kg="1200", publish=True)
    )
    assert ok.status_code == 302, form_errors(ok)  # 900 kg and 300 kg: both at or within

    response = editor.post(add_url(product), batch_data(lot="TQ2026-92", areas=[big, small], quantity_kg="4"))
    message = form_errors(response)["quantity_kg"]
    assert "VN-SLL-0031" in message and "nâng lên 903 kg" in message
    assert "VN-SLL-0032" not in message  # 301 kg of 1000


def test_two_cooperatives_citing_one_shared_code_together_go_over(client, product, area, coop2, registry):
    season(area)
    area.shared_with.add(coop2)
    published(product, [area], "700", "TQ2026-90")  # coop1's batch
    coop2_product = ProductPageFactory(parent=coop2, title="Thảo quả mua của bản")
    client.force_login(CooperativeEditorFactory(username="coop2", cooperative=coop2))

    response = client.post(
        add_url(coop2_product), batch_data(lot="TQ2026-95", areas=[area], quantity_kg="301")
    )

    assert "đã tính 700 kg" in form_errors(response)["quantity_kg"]
    assert not BatchPage.objects.filter(lot="TQ2026-95").exists()
    ok = client.post(add_url(coop2_product), batch_data(lot="TQ2026-95", areas=[area], quantity_kg="300"))
    assert ok.status_code == 302


def test_editing_a_published_batch_without_raising_its_kilograms_is_not_refused(
    editor, product, area, registry
):
    season(area)
    mine = published(product, [area], "600", "TQ2026-90")
    published(product, [area], "500", "TQ2026-93")  # recorded elsewhere: the code is now over

    fields = {"harvest_start": "10/11/2026", "harvest_end": "10/11/2026", "packed_on": "25/11/2026"}
    same = editor.post(
        edit_url(mine),
        batch_data(mine, lot=mine.lot, areas=[area], quantity_kg="600", publish=True, **fields),
    )
    assert same.status_code == 302, form_errors(same)
    less = editor.post(
        edit_url(mine), batch_data(mine, lot=mine.lot, areas=[area], quantity_kg="550", **fields)
    )
    assert less.status_code == 302, form_errors(less)

    more = editor.post(
        edit_url(mine), batch_data(mine, lot=mine.lot, areas=[area], quantity_kg="601", **fields)
    )
    assert "nâng lên 1101 kg" in form_errors(more)["quantity_kg"]  # 500 others + 601
    assert BatchPage.objects.get(pk=mine.pk).quantity_kg == Decimal("600")


def test_a_published_batch_is_linked_to_its_season_and_relinked_when_seasons_change(product, area, registry):
    batch = published(product, [area], "100", "TQ2026-90")
    assert list(batch.seasons.all()) == []

    declared = season(area)
    assert list(batch.seasons.all()) == [declared]

    declared.delete()
    assert list(batch.seasons.all()) == []


def test_the_batch_editor_shows_the_season_the_batch_counts_in(editor, product, area, registry):
    declared = season(area)
    batch = published(product, [area], "100", "TQ2026-90")
    assert list(batch.seasons.all()) == [declared]

    page = editor.get(edit_url(batch)).content.decode()

    assert "VN-SLL-0001: vụ 01/03/2026–31/12/2026 (Thảo quả)" in page
