"""The officer's reports in the admin: who may open them, and the numbers of the XLSX and the
PDF against data the test made (expectations computed from that data)."""

import datetime
import io
import re
import shutil
import statistics
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

from applications.models import ApplicationStatus
from commune.selectors import Period
from growers.factories import GrowingAreaFactory, HouseholdFactory, UserFactory
from growers.models import GrowingArea, Season
from products.factories import ProductPageFactory
from traceability.factories import BatchPageFactory

pytestmark = pytest.mark.django_db

URLS = ("commune_reports", "commune_report_xlsx", "commune_report_pdf")


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


# Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_the_login_page(client, home, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("editor", ["coop1_editor", "coop2_editor"])
def test_a_cooperative_editor_is_refused(client, home, request, editor, name):
    client.force_login(request.getfixturevalue(editor))
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", ["officer", "superuser"])
def test_officer_and_superuser_get_the_report(client, home, request, role, name):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name))
    assert response.status_code == 200
    expected = {
        "commune_reports": "text/html",
        "commune_report_xlsx": "spreadsheetml",
        "commune_report_pdf": "pdf",
    }
    assert expected[name] in response["Content-Type"]


def test_the_menu_shows_reports_to_officers_only(client, home, officer, coop1_editor):
    client.force_login(officer)
    assert reverse("commune_reports") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(coop1_editor)
    assert reverse("commune_reports") not in client.get(reverse("wagtailadmin_home")).content.decode()


# Data ----------------------------------------------------------------------------------------


@pytest.fixture
def period():
    return Period.last_full_month()


@pytest.fixture
def data(home, coop1, period, make_application):
    """Codes in every status, households, applications received, decided and waiting in the
    period (and outside it), a season declared in it, a code with none, one over its yield."""
    start, last = period.first_day, period.last_day
    before = start - datetime.timedelta(days=20)
    areas = {
        "thao-qua-a": GrowingAreaFactory(
            crop_name="Thảo quả", village="Sì Lở Lầu", area_hectares=Decimal("3.50")
        ),
        "thao-qua-b": GrowingAreaFactory(
            crop_name="Thảo quả", village="Seo Lèng", area_hectares=Decimal("2.00")
        ),
        "sam": GrowingAreaFactory(
            crop_name="Sâm Lai Châu", village="Seo Lèng", area_hectares=Decimal("1.25")
        ),
        "expired": GrowingAreaFactory(valid_until=last - datetime.timedelta(days=1)),
        "suspended": GrowingAreaFactory(),
        "revoked": GrowingAreaFactory(),
        # Issued after the period: not in its report.
        "later": GrowingAreaFactory(issued_on=last + datetime.timedelta(days=1)),
    }
    GrowingArea.objects.filter(pk=areas["suspended"].pk).update(status="suspended")
    GrowingArea.objects.filter(pk=areas["revoked"].pk).update(status="revoked")
    for key, count in (("thao-qua-a", 3), ("sam", 2), ("expired", 4)):
        for _n in range(count):
            HouseholdFactory(area=areas[key])

    applications = {
        "received-waiting": make_application(households=2, received=start + datetime.timedelta(days=2)),
        "received-granted": make_application(
            status=ApplicationStatus.GRANTED,
            households=3,
            received=start,
            decided=start + datetime.timedelta(days=10),
        ),
        "old-refused": make_application(
            status=ApplicationStatus.REFUSED, received=before, decided=start + datetime.timedelta(days=4)
        ),
        "old-waiting": make_application(status=ApplicationStatus.INSPECTED, received=before),
        # Granted after the period: it was still waiting at the period's end.
        "granted-after": make_application(
            status=ApplicationStatus.GRANTED,
            households=5,
            received=start + datetime.timedelta(days=5),
            decided=last + datetime.timedelta(days=2),
        ),
        "long-ago": make_application(
            status=ApplicationStatus.GRANTED, received=before - datetime.timedelta(days=60), decided=before
        ),
    }

    season = Season.objects.create(
        growing_area=areas["thao-qua-a"],
        crop="thao-qua",
        area_hectares=Decimal("3.50"),
        expected_yield_kg=Decimal("100"),
        starts_on=start - datetime.timedelta(days=60),
        expected_harvest_on=start,
        ends_on=last + datetime.timedelta(days=90),
    )
    Season.objects.filter(pk=season.pk).update(
        declared_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    )
    product = ProductPageFactory(parent=coop1)
    batch = BatchPageFactory(
        parent=product, quantity_kg=Decimal("250"), harvest_start=start, harvest_end=start, packed_on=start
    )
    batch.growing_areas.set([areas["thao-qua-a"]])
    batch.save_revision().publish()
    return {"areas": areas, "applications": applications, "season": season, "batch": batch}


def households(application) -> int:
    return max(1, application.households.count())


def expectations(data, period) -> dict:
    """What the report must say, worked out from the data (not from the code under test)."""
    start, end = period.bounds
    areas = [a for a in data["areas"].values() if a.issued_on <= period.last_day]
    for area in areas:
        area.refresh_from_db()
    active = [a for a in areas if a.status == "active" and a.valid_until >= period.last_day]
    apps = list(data["applications"].values())
    received = [a for a in apps if start <= a.received_at < end]
    decided = [a for a in apps if a.decided_at and start <= a.decided_at < end]
    granted = [a for a in decided if a.status == ApplicationStatus.GRANTED]
    waiting = [a for a in apps if a.received_at < end and (a.decided_at is None or a.decided_at >= end)]
    waits = [(timezone.localdate(a.decided_at) - timezone.localdate(a.received_at)).days for a in decided]
    cut = min(end, timezone.now())
    ages = [(timezone.localdate(cut) - timezone.localdate(a.received_at)).days for a in waiting]
    with_season = {data["season"].growing_area_id}
    return {
        "Valid": len(active),
        "Expired": sum(1 for a in areas if a.status == "active" and a.valid_until < period.last_day),
        "Suspended": sum(1 for a in areas if a.status == "suspended"),
        "Revoked": sum(1 for a in areas if a.status == "revoked"),
        "All codes": len(areas),
        "Active codes": len(active),
        "Area of the active codes (ha)": float(sum(a.area_hectares for a in active)),
        "Households covered by active codes": sum(a.households.count() for a in active),
        "Received": (len(received), sum(households(a) for a in received)),
        "Granted": (len(granted), sum(households(a) for a in granted)),
        "Refused": len([a for a in decided if a.status == ApplicationStatus.REFUSED]),
        "Waiting at the end of the month": (len(waiting), sum(households(a) for a in waiting)),
        "Median wait of the applications decided": statistics.median(waits),
        "Longest wait of the applications decided": max(waits),
        "Oldest application waiting": max(ages),
        "Seasons declared in the month": 1,
        "missing": sorted(a.code for a in active if a.pk not in with_season),
        "by_crop": dict(Counter(a.crop_name for a in active)),
        "by_village": dict(Counter(a.village for a in active)),
        "over": data["areas"]["thao-qua-a"].code,
    }


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def row_for(rows, label):
    found = [row for row in rows if row and row[0] == label]
    assert found, f"no row {label!r}"
    return found[0]


def section_rows(rows, title):
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    out = []
    for row in rows[start + 2 :]:
        if not any(cell is not None for cell in row):
            break
        out.append(row)
    return out


def test_xlsx_numbers_match_the_data(client, officer, data, period):
    client.force_login(in_english(officer))
    response = client.get(reverse("commune_report_xlsx"), {"month": f"{period.first_day:%Y-%m}"})
    assert response.status_code == 200
    assert f"growing-area-report-{period.first_day:%Y-%m}.xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response.content)
    want = expectations(data, period)
    assert rows[0][0] == f"Growing-area codes: report for {period.first_day:%m/%Y}"
    for label in ("Valid", "Expired", "Suspended", "Revoked", "All codes", "Active codes"):
        assert row_for(rows, label)[1] == want[label], label
    assert row_for(rows, "Area of the active codes (ha)")[1] == pytest.approx(
        want["Area of the active codes (ha)"]
    )
    assert (
        row_for(rows, "Households covered by active codes")[1] == want["Households covered by active codes"]
    )
    for label in ("Received", "Granted", "Waiting at the end of the month"):
        assert tuple(row_for(rows, label)[1:3]) == want[label], label
    assert row_for(rows, "Refused")[1] == want["Refused"]
    for label in (
        "Median wait of the applications decided",
        "Longest wait of the applications decided",
        "Oldest application waiting",
    ):
        assert row_for(rows, label)[1] == want[label], label
    assert row_for(rows, "Seasons declared in the month")[1] == 1
    missing_label = f"Active codes with no season declared in {period.last_day.year}"
    assert row_for(rows, missing_label)[1] == len(want["missing"])
    assert sorted(row[1] for row in rows if row and row[0] == "No season:") == want["missing"]
    crops = {row[0]: row[1] for row in section_rows(rows, "Active codes by crop")}
    assert crops == want["by_crop"]
    villages = {row[0]: row[1] for row in section_rows(rows, "Active codes by village")}
    assert villages == want["by_village"]
    over = section_rows(rows, "Codes over their yield")
    assert [row[0] for row in over] == [want["over"]]
    batch, season = data["batch"], data["season"]
    assert tuple(over[0][2:4]) == (float(batch.quantity_kg), float(season.expected_yield_kg))


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def numbers_on(text: str, label: str) -> list[str]:
    line = next((line for line in text.splitlines() if line.strip().startswith(label)), None)
    assert line is not None, f"no line {label!r}"
    return re.findall(r"\d+(?:[.,]\d+)?", line[line.index(label) + len(label) :])


def test_pdf_says_the_same_numbers(client, officer, data, period, tmp_path):
    client.force_login(in_english(officer))
    response = client.get(reverse("commune_report_pdf"), {"month": f"{period.first_day:%Y-%m}"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    want = expectations(data, period)
    assert f"report for {period.first_day:%m/%Y}" in text
    for label in ("Valid", "Expired", "Suspended", "Revoked", "All codes"):
        assert numbers_on(text, label)[:1] == [str(want[label])], label
    assert numbers_on(text, "Households covered by active codes") == [
        str(want["Households covered by active codes"])
    ]
    for label in ("Received", "Granted", "Waiting at the end of the month"):
        assert numbers_on(text, label) == [str(n) for n in want[label]], label
    assert numbers_on(text, "Refused") == [str(want["Refused"])]
    assert numbers_on(text, "Longest wait of the applications decided") == [
        str(want["Longest wait of the applications decided"])
    ]
    assert numbers_on(text, "Oldest application waiting") == [str(want["Oldest application waiting"])]
    assert want["over"] in text
    for code in want["missing"]:
        assert code in text


def test_pdf_in_vietnamese_keeps_its_letters(client, officer, data, period, tmp_path):
    client.force_login(officer)
    text = pdf_text(client.get(reverse("commune_report_pdf")).content, tmp_path)
    assert "Mã số vùng trồng: báo cáo tháng" in text
    assert "Sâm Lai Châu" in text


def test_no_personal_data_in_the_files(client, officer, data, period, tmp_path):
    client.force_login(in_english(officer))
    xlsx = client.get(reverse("commune_report_xlsx")).content
    text = " ".join(str(cell) for row in xlsx_rows(xlsx) for cell in row if cell is not None)
    text += pdf_text(client.get(reverse("commune_report_pdf")).content, tmp_path)
    for private in ("Giàng A Páo", "Vàng Seo", "+84912345678", "0987000111", "Lò Văn"):
        assert private not in text


def test_last_months_report_is_one_click(client, officer, data, period, tmp_path):
    client.force_login(in_english(officer))
    page = client.get(reverse("commune_reports")).content.decode()
    link = re.search(r'href="([^"]*commune/reports/pdf/\?month=[^"]*)"', page).group(1)
    assert link.endswith(f"month={period.first_day:%Y-%m}")
    text = pdf_text(client.get(link.replace("&amp;", "&")).content, tmp_path)
    assert f"report for {period.first_day:%m/%Y}" in text
    # The page shows the same numbers, last month by default.
    assert f"Report for {period.first_day:%m/%Y}" in page


def test_another_month(client, officer, data, period):
    client.force_login(in_english(officer))
    earlier = (period.first_day - datetime.timedelta(days=1)).replace(day=1)
    rows = xlsx_rows(client.get(reverse("commune_report_xlsx"), {"month": f"{earlier:%Y-%m}"}).content)
    assert rows[0][0] == f"Growing-area codes: report for {earlier:%m/%Y}"
    # Nothing of the data was received in that month.
    received = [
        a
        for a in data["applications"].values()
        if earlier <= timezone.localdate(a.received_at) < period.first_day
    ]
    assert row_for(rows, "Received")[1] == len(received)


@pytest.mark.parametrize("typed", ["abc", "2026-13", "2999-01", "0000-00", "2026-1x"])
def test_a_wrong_month_says_so_and_shows_the_last_month(client, officer, home, period, typed):
    client.force_login(in_english(officer))
    response = client.get(reverse("commune_reports"), {"month": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Report for {period.first_day:%m/%Y}" in html
    assert "is not a month" in html or "has not begun" in html
    download = client.get(reverse("commune_report_xlsx"), {"month": typed})
    assert download.status_code == 200
    assert xlsx_rows(download.content)[0][0] == f"Growing-area codes: report for {period.first_day:%m/%Y}"


def test_pdf_without_its_fonts_says_so_and_the_xlsx_still_works(
    client, officer, home, period, monkeypatch, tmp_path
):
    """A broken install (the DejaVu fonts shipped in traceability/fonts are gone): no 500, and no
    PDF with the Vietnamese letters folded away."""
    from traceability import labels

    monkeypatch.setattr(labels, "FONT_DIR", tmp_path / "no-fonts")
    client.force_login(in_english(officer))
    response = client.get(reverse("commune_report_pdf"), {"month": f"{period.first_day:%Y-%m}"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(reverse("commune_reports"))
    assert "DejaVu Sans" in response.content.decode()
    assert client.get(reverse("commune_report_xlsx")).status_code == 200
