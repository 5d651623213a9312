"""The cooperative editor recording a batch in the admin (issue 15): a draft that cites codes
opens again; an event's time typed day first is kept; events that contradict the batch's own
dates are refused; only the cooperative's own codes (or codes the officer shared with it) may
be cited."""

import datetime
import json
import zoneinfo
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from growers.factories import CooperativeEditorFactory, GrowingAreaFactory, OfficerFactory
from growers.models import GrowingArea
from traceability.models import BatchPage, TraceEvent

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def editor(client, coop1):
    """coop1's editor, as seed_demo's `coop1`, logged in to the admin."""
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))
    return client


@pytest.fixture
def coop2_area(coop2):
    return GrowingAreaFactory(code="VN-SLL-0202", name="Vùng chè Sín Chải", cooperative=coop2)


def event_row(event_type="harvest", occurred_at="22/11/2026 07:00", **extra):
    return {
        "event_type": event_type,
        "occurred_at": occurred_at,
        "time_zone": "Asia/Ho_Chi_Minh",
        "place": "Bản Sì Lở Lầu",
        "responsible": "HTX Thảo quả Sì Lở Lầu",
        "notes": "",
        "photo": "",
        **extra,
    }


def batch_data(
    batch=None, *, lot="TQ2026-07", areas=(), events=(), saved_events=0, publish=False, **fields
) -> dict:
    """The batch edit (or add) form as the admin posts it; the default button saves a draft."""
    values = {
        "title": f"Lô {lot}",
        "slug": lot.lower(),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        "lot": lot,
        "harvest_start": "20/11/2026",
        "harvest_end": "22/11/2026",
        "quantity_kg": "250",
        "package_count": "500",
        "packed_on": "25/11/2026",
        "best_before": "25/11/2027",
        "shelf_life_days": "",
        "voice": streamfield([]),
        "events": inline_formset(list(events), initial=saved_events),
        "certifications": inline_formset([]),
        "lab_tests": inline_formset([]),
        "recalled_on": "",
        "recall_reason": "",
        **fields,
    }
    if publish:
        values["action-publish"] = "action-publish"
    data = nested_form_data(values)
    data["growing_areas"] = [str(area.pk) for area in areas]
    return data


def edit_url(batch):
    return reverse("wagtailadmin_pages:edit", args=[batch.pk])


def add_url(product):
    return reverse("wagtailadmin_pages:add", args=["traceability", "batchpage", product.pk])


def ticked(response) -> dict[int, bool]:
    page = BeautifulSoup(response.content, "html.parser")
    return {int(box["value"]): box.has_attr("checked") for box in page.select("input[name=growing_areas]")}


def form_errors(response) -> dict:
    form = response.context["form"]
    events = form.formsets["events"]
    return {
        **{name: " ".join(errors) for name, errors in form.errors.items()},
        **{
            f"events-{n}-{name}": " ".join(errors)
            for n, event_form in enumerate(events.forms)
            for name, errors in event_form.errors.items()
        },
    }


def nothing_saved(batch, revision_id) -> bool:
    batch = BatchPage.objects.get(pk=batch.pk)
    return batch.latest_revision_id == revision_id and not TraceEvent.objects.filter(batch=batch).exists()


# A draft opens again (item 1's sibling in the batch editor) ----------------------------------


def test_editor_reopens_a_batch_whose_draft_cites_other_codes(editor, batch, area, coop1):
    second = GrowingAreaFactory(code="VN-SLL-0003", cooperative=coop1)
    response = editor.post(edit_url(batch), batch_data(batch, lot=batch.lot, areas=[area, second]))
    assert response.status_code == 302
    draft = BatchPage.objects.get(pk=batch.pk).get_latest_revision()

    reopened = editor.get(edit_url(batch))
    assert reopened.status_code == 200
    assert ticked(reopened) == {area.pk: True, second.pk: True}
    revert = editor.get(reverse("wagtailadmin_pages:revisions_revert", args=[batch.pk, draft.pk]))
    assert revert.status_code == 200
    assert ticked(revert) == {area.pk: True, second.pk: True}
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[batch.pk, "live", draft.pk])
    assert editor.get(compare).status_code == 200
    assert (
        editor.get(reverse("wagtailadmin_pages:revisions_view", args=[batch.pk, draft.pk])).status_code == 200
    )
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[batch.pk])
    assert editor.post(preview, batch_data(batch, lot=batch.lot, areas=[area, second])).json()["is_valid"]
    assert editor.get(preview).status_code == 200


# An event's time typed day first (item 2) ----------------------------------------------------


def test_editor_types_an_event_time_day_first_and_it_is_kept(editor, batch, area):
    response = editor.post(
        edit_url(batch), batch_data(batch, lot=batch.lot, areas=[area], events=[event_row()], publish=True)
    )

    assert response.status_code == 302, form_errors(response)
    (event,) = TraceEvent.objects.filter(batch=batch)
    assert event.occurred_at == datetime.datetime(2026, 11, 22, 7, 0, tzinfo=HANOI)
    # The form shows it as it was typed, and the date picker reads and writes that same format
    # (a picker reading another format puts "now" in the field when the editor leaves it).
    page = BeautifulSoup(editor.get(edit_url(batch)).content, "html.parser")
    field = page.select_one("input[name=events-0-occurred_at]")
    assert field["value"] == "22/11/2026 07:00"
    script = field.find_next("script").string
    config = json.loads(script[script.index("{") : script.rindex("}") + 1])
    assert config["format"] == "d/m/Y H:i"


def test_editor_records_an_event_in_utc_and_its_time_is_kept_in_utc(editor, batch, area):
    """The time is read in the time zone chosen beside it, and shown again in that zone."""
    event = event_row(occurred_at="21/11/2026 23:30", time_zone="UTC")
    data = batch_data(batch, lot=batch.lot, areas=[area], events=[event], publish=True)

    response = editor.post(edit_url(batch), data)

    assert response.status_code == 302, form_errors(response)
    (saved,) = TraceEvent.objects.filter(batch=batch)
    assert saved.occurred_at == datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)
    page = BeautifulSoup(editor.get(edit_url(batch)).content, "html.parser")
    assert page.select_one("input[name=events-0-occurred_at]")["value"] == "21/11/2026 23:30"
    # Saved again as shown, it stays where it was.
    shown = event_row(occurred_at="21/11/2026 23:30", time_zone="UTC", id=str(saved.pk))
    again = batch_data(batch, lot=batch.lot, areas=[area], events=[shown], saved_events=1, publish=True)
    assert editor.post(edit_url(batch), again).status_code == 302
    assert TraceEvent.objects.get(batch=batch).occurred_at == saved.occurred_at


def contradicting(case):
    """(form fields, events, the field that must carry the error, words of the error)."""
    future = (timezone.localtime() + timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
    return {
        "harvest after packing": (
            {},
            [event_row("harvest", "26/11/2026 07:00")],
            "events-0-occurred_at",
            "Thu hoạch (26/11/2026 07:00) không thể sau ngày đóng gói (25/11/2026).",
        ),
        "packing after best-before": (
            {"best_before": "30/11/2026"},
            [event_row("packing", "01/12/2026 10:00")],
            "events-0-occurred_at",
            "Đóng gói (01/12/2026 10:00) không thể sau hạn sử dụng (30/11/2026).",
        ),
        "event in the future": (
            {},
            [event_row("harvest"), event_row("shipping", future)],
            "events-1-occurred_at",
            f"{future} là thời điểm trong tương lai",
        ),
        "packing date before the last harvest day": (
            {"packed_on": "21/11/2026"},
            [],
            "packed_on",
            "Ngày đóng gói không thể trước ngày thu hoạch.",
        ),
    }[case]


@pytest.mark.parametrize(
    "case",
    [
        "harvest after packing",
        "packing after best-before",
        "event in the future",
        "packing date before the last harvest day",
    ],
)
@pytest.mark.parametrize("publish", [False, True], ids=["save draft", "publish"])
def test_batch_whose_events_contradict_its_dates_is_refused_saying_which(editor, batch, area, case, publish):
    fields, events, where, words = contradicting(case)
    before = BatchPage.objects.get(pk=batch.pk).latest_revision_id

    response = editor.post(
        edit_url(batch),
        batch_data(batch, lot=batch.lot, areas=[area], events=events, publish=publish, **fields),
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert words in errors.get(where, ""), errors
    assert words in response.content.decode()
    assert nothing_saved(batch, before)


# Only the cooperative's own codes (item 14) --------------------------------------------------


def test_batch_form_offers_only_the_cooperatives_own_and_shared_codes(
    editor, product, area, coop2_area, coop2
):
    shared = GrowingAreaFactory(code="VN-SLL-0303", cooperative=coop2)
    shared.shared_with.add(product.cooperative)
    GrowingAreaFactory(code="VN-SLL-0404")  # registered to no cooperative

    assert ticked(editor.get(add_url(product))) == {area.pk: False, shared.pk: False}


def test_editor_posting_a_batch_citing_another_cooperatives_code_is_refused(editor, batch, coop2_area):
    before = BatchPage.objects.get(pk=batch.pk).latest_revision_id

    response = editor.post(
        edit_url(batch), batch_data(batch, lot=batch.lot, areas=[coop2_area], publish=True)
    )

    assert response.status_code == 200
    assert form_errors(response)["growing_areas"] == (
        "Không được đăng ký cho hợp tác xã này, cũng không được cán bộ chia sẻ: VN-SLL-0202."
    )
    assert nothing_saved(batch, before)
    assert list(BatchPage.objects.get(pk=batch.pk).growing_areas.values_list("code", flat=True)) == [
        "VN-SLL-0001"
    ]


def test_editor_creating_a_batch_citing_another_cooperatives_code_is_refused(editor, product, coop2_area):
    response = editor.post(add_url(product), batch_data(areas=[coop2_area], publish=True))

    assert response.status_code == 200
    assert form_errors(response)["growing_areas"] == (
        "Không được đăng ký cho hợp tác xã này, cũng không được cán bộ chia sẻ: VN-SLL-0202."
    )
    assert not BatchPage.objects.exists()


def officer_shares(client, area, *cooperatives):
    """The officer ticks cooperatives under "shared with" on the code's form in the admin."""
    client.force_login(OfficerFactory(username="officer"))
    data = nested_form_data(
        {
            "code": area.code,
            "name": area.name,
            "cooperative": str(area.cooperative_id or ""),
            "village": area.village,
            "commune": area.commune,
            "district": area.district,
            "province": area.province,
            "crop_name": area.crop_name,
            "crop_scientific_name": area.crop_scientific_name,
            "area_hectares": str(area.area_hectares),
            "latitude": str(area.latitude),
            "longitude": str(area.longitude),
            "boundary": "",
            "issuing_authority": area.issuing_authority,
            "decision_number": area.decision_number,
            "issued_on": f"{area.issued_on:%d/%m/%Y}",
            "valid_until": f"{area.valid_until:%d/%m/%Y}",
            "households": inline_formset([]),
            "inspections": inline_formset([]),
            "certifications": inline_formset([]),
        }
    )
    data["shared_with"] = [str(c.pk) for c in cooperatives]
    response = client.post(reverse("growing_areas:edit", args=[area.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    client.logout()


def test_code_the_officer_shared_with_the_cooperative_is_accepted(client, coop1, batch, coop2_area):
    officer_shares(client, coop2_area, coop1)
    assert list(GrowingArea.objects.get(pk=coop2_area.pk).shared_with.all()) == [coop1]
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))

    response = client.post(
        edit_url(batch), batch_data(batch, lot=batch.lot, areas=[coop2_area], publish=True)
    )

    assert response.status_code == 302, form_errors(response)
    assert list(BatchPage.objects.get(pk=batch.pk).growing_areas.all()) == [coop2_area]
