"""Borrowed codes with YIELD_LIMIT_MODE="confirm" (issue 19, item 4): the batch waits for the
officer's confirmation instead of being refused outright; the officer confirms it with a reason
(kept in the batch's history), and the cooperative's next save passes. The officer's dashboard
lists the codes near or over their limit and the requests waiting."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageLogEntry

from growers.factories import CooperativeEditorFactory, GrowingAreaFactory, OfficerFactory
from tests.traceability.test_batch_editor import batch_data, edit_url, form_errors
from tests.traceability.test_yield_limit import published, season
from traceability.models import BatchPage, YieldConfirmation

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirm_mode(settings):
    settings.YIELD_LIMIT_MODE = "confirm"


def confirm_url(row):
    return reverse("traceability_confirm_yield", args=[row.pk])


def test_confirm_mode_end_to_end(client, confirm_mode, product, area, registry, coop1, coop2):
    season(area)
    published(product, [area], "900", "TQ2026-90")
    batch = published(product, [area], "50", "TQ2026-91")
    coop1_editor = CooperativeEditorFactory(username="coop1", cooperative=coop1)
    client.force_login(coop1_editor)
    fields = {"harvest_start": "10/11/2026", "harvest_end": "10/11/2026"}

    waiting = client.post(
        edit_url(batch),
        batch_data(batch, lot=batch.lot, areas=[area], quantity_kg="250", publish=True, **fields),
    )
    assert "Đang chờ cán bộ xác nhận" in form_errors(waiting)["quantity_kg"]
    assert BatchPage.objects.get(pk=batch.pk).quantity_kg == Decimal("50")
    (row,) = YieldConfirmation.objects.all()
    assert (row.batch_id, row.total_kg, row.over_kg, row.confirmed_at) == (
        batch.pk,
        Decimal("1150"),
        Decimal("150"),
        None,
    )
    # Trying again does not pile up requests.
    client.post(edit_url(batch), batch_data(batch, lot=batch.lot, areas=[area], quantity_kg="250", **fields))
    assert YieldConfirmation.objects.count() == 1

    # Only officers confirm: the cooperative's editors, another cooperative's, and anonymous are turned away.
    for user in (coop1_editor, CooperativeEditorFactory(username="coop2", cooperative=coop2)):
        client.force_login(user)
        response = client.post(confirm_url(row), {"reason": "Tôi tự xác nhận."})
        assert response.status_code in (302, 403)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        assert "Các lô chờ anh/chị xác nhận" not in client.get(reverse("wagtailadmin_home")).text
    client.logout()
    assert client.post(confirm_url(row), {"reason": "x"}).url.startswith(reverse("wagtailadmin_login"))
    row.refresh_from_db()
    assert row.confirmed_at is None

    client.force_login(OfficerFactory(username="officer"))
    home = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    assert home.select_one(f"a[href='{confirm_url(row)}']") is not None
    empty = client.post(confirm_url(row), {"reason": ""})
    assert empty.status_code == 200 and "Hãy ghi lý do" in empty.text
    done = client.post(confirm_url(row), {"reason": "Đã kiểm tra ruộng: năng suất vụ này cao."})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.confirmed_at is not None and row.reason.startswith("Đã kiểm tra")
    entry = PageLogEntry.objects.get(page=batch, action="traceability.batch.yield_confirmed")
    assert "Đã kiểm tra ruộng" in entry.message

    client.force_login(coop1_editor)
    passes = client.post(
        edit_url(batch),
        batch_data(batch, lot=batch.lot, areas=[area], quantity_kg="250", publish=True, **fields),
    )
    assert passes.status_code == 302, form_errors(passes)
    assert BatchPage.objects.get(pk=batch.pk).quantity_kg == Decimal("250")
    # The confirmation covers up to 1150 kg, not more.
    more = client.post(
        edit_url(batch), batch_data(batch, lot=batch.lot, areas=[area], quantity_kg="260", **fields)
    )
    assert "Đang chờ cán bộ xác nhận" in form_errors(more)["quantity_kg"]


def test_the_dashboard_lists_codes_near_or_over_their_limit_for_officers_only(
    client, product, area, registry, coop1
):
    season(area)
    published(product, [area], "950", "TQ2026-90")  # 95% of 1000 kg: near
    over = GrowingAreaFactory(code="VN-SLL-0077", cooperative=coop1, area_hectares=Decimal("1"))
    published(product, [over], "400", "TQ2026-91", day=datetime.date.today() - datetime.timedelta(days=3))
    client.force_login(OfficerFactory(username="officer"))

    page = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")

    rows = [" ".join(row.get_text(" ").split()) for row in page.select("table.yield-limits tbody tr")]
    assert rows[0].startswith("VN-SLL-0077") and "400 / 300" in rows[0] and "vượt" in rows[0]
    assert (
        rows[1].startswith("VN-SLL-0001") and "950 / 1000" in rows[1] and "01/03/2026–31/12/2026" in rows[1]
    )
    link = page.select_one("table.yield-limits a")["href"]
    assert link == reverse("growing_areas:edit", args=[over.pk])

    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))
    assert "yield-limits" not in client.get(reverse("wagtailadmin_home")).text


def test_usages_to_watch_reads_twenty_codes_in_a_few_queries(product, coop1, registry):
    from traceability.yields import usage, usages_to_watch

    areas = [GrowingAreaFactory(code=f"VN-SLL-05{n:02d}", cooperative=coop1) for n in range(20)]
    for n, area in enumerate(areas):
        if n % 2:
            season(area)
        published(product, [area], str(900 + n * 10), f"TQ2026-{n + 10}")

    with CaptureQueriesContext(connection) as queries:
        watched = usages_to_watch()
    assert len(queries) <= 4
    # The same counts as usage(), code by code.
    assert {(w.area.pk, w.used_kg, w.limit_kg) for w in watched} == {
        (u.area.pk, u.used_kg, u.limit_kg)
        for u in (usage(area, datetime.date(2026, 11, 10)) for area in areas)
        if u.is_over or u.is_near
    }
    assert len(watched) == 10  # the ten with a 1000 kg season; the others are far from 3750 kg


def test_a_new_batch_waits_for_the_confirmation_before_it_is_first_saved(
    client, confirm_mode, product, area, registry, coop1
):
    from tests.traceability.test_batch_editor import add_url

    season(area)
    published(product, [area], "900", "TQ2026-90")
    editor = CooperativeEditorFactory(username="coop1", cooperative=coop1)
    client.force_login(editor)

    waiting = client.post(add_url(product), batch_data(lot="TQ2026-97", areas=[area], quantity_kg="200"))
    assert "Đang chờ cán bộ xác nhận" in form_errors(waiting)["quantity_kg"]
    assert not BatchPage.objects.filter(lot="TQ2026-97").exists()
    (row,) = YieldConfirmation.objects.filter(lot="TQ2026-97")
    assert (row.batch_id, row.product_id, row.requested_by) == (None, product.pk, editor)

    client.force_login(OfficerFactory(username="officer"))
    client.post(confirm_url(row), {"reason": "Vụ được mùa, đã kiểm tra."})

    client.force_login(editor)
    saved = client.post(
        add_url(product), batch_data(lot="TQ2026-97", areas=[area], quantity_kg="200", publish=True)
    )
    assert saved.status_code == 302, form_errors(saved)
    batch = BatchPage.objects.get(lot="TQ2026-97")
    assert batch.live and batch.quantity_kg == Decimal("200")
