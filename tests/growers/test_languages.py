"""The growers app in the reader's language, seen from the outside (issue 6): the public registry
and the cooperative pages in English under /en/ and in Hmong under /hmn/ (falling back to the
Vietnamese interface where Hmong has no translation yet), their links staying in the reader's
language, each status with its pictogram and its words, the API answering the same whatever the
caller's language, and the officer's admin in the language of their profile."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

from growers.factories import (
    CooperativeCertificationFactory,
    GrowingAreaCertificationFactory,
    GrowingAreaFactory,
    GrowingAreaIndexPageFactory,
    HouseholdFactory,
    InspectionFactory,
    area_with_status,
    revoke,
    square_boundary,
    suspend,
)
from products.factories import ProductPageFactory
from tests.helpers import soup, translate

from .pictograms import emoji_in, pictogram

pytestmark = pytest.mark.usefixtures("fresh_locale_ids")

TODAY = timezone.localdate()
UNTRANSLATED_EN = "This page has not been translated yet; it is shown in Vietnamese."
# Each status: its pictogram, its words in Vietnamese and in English.
STATUSES = {
    "active": ("valid", "Còn hiệu lực", "Valid"),
    "suspended": ("suspended", "Tạm đình chỉ", "Suspended"),
    "revoked": ("revoked", "Đã thu hồi", "Revoked"),
    "expired": ("expired", "Hết hạn", "Expired"),
}


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def lang(page) -> str:
    return page.html["lang"]


def text(element) -> str:
    return element.get_text(" ", strip=True)


def facts(page) -> dict[str, str]:
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in page.select("dl.facts dt")}


@pytest.fixture
def registry(home, english, hmong):
    return GrowingAreaIndexPageFactory(parent=home, report_contact="Bộ phận một cửa UBND xã Sì Lở Lầu")


@pytest.fixture
def four_codes(registry):
    return {
        "active": GrowingAreaFactory(code="LC-PT-SLL-001", village="Sì Lở Lầu", crop_name="Thảo quả"),
        "suspended": suspend(GrowingAreaFactory(code="LC-PT-SLL-002", village="Nậm Xe")),
        "revoked": revoke(GrowingAreaFactory(code="LC-PT-SLL-003", village="Tả Chải")),
        "expired": area_with_status("expired", code="LC-PT-SLL-004", village="Hô Sì Pan"),
    }


@pytest.fixture
def full_area(registry, coop1):
    area = GrowingAreaFactory(
        code="LC-PT-SLL-001",
        name="Vùng thảo quả Sì Lở Lầu",
        cooperative=coop1,
        area_hectares=Decimal("18.50"),
        boundary=square_boundary(),
        issued_on=TODAY - datetime.timedelta(days=200),
        valid_until=TODAY + datetime.timedelta(days=500),
    )
    for name in ("Giàng A Páo", "Lò Mỳ Chừ", "Pờ Thị Mé"):
        HouseholdFactory(area=area, head_name=name)
    GrowingAreaCertificationFactory(
        area=area,
        scheme="organic",
        number="HC-07",
        issuer="",
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    InspectionFactory(
        area=area, date=TODAY - datetime.timedelta(days=20), inspector="Lò Văn Hùng", result="passed"
    )
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho")
    product.origin_areas.add(area)
    product.save()
    return area


# The registry in English ---------------------------------------------------------------------


def test_registry_list_in_english_shows_english_words_and_keeps_links_in_english(client, four_codes):
    page = soup(client.get("/en/growing-areas/"))

    assert lang(page) == "en"
    assert text(page.select_one(".count")) == "4 growing-area codes"
    assert [text(th) for th in page.select("table.registry thead th")] == [
        "Code",
        "Growing-area name",
        "Village",
        "Crop",
        "Status",
        "Valid until",
    ]
    form = page.select_one("form[role=search]")
    assert form["action"] == "/en/growing-areas/"
    assert text(form.select_one("button[type=submit]")) == "Search"
    assert [text(label) for label in form.select("label")] == [
        "Code or name:",
        "Status:",
        "Crop:",
        "Village:",
    ]
    assert [text(option) for option in form.select("select[name=status] option")] == [
        "Any status",
        "Valid",
        "Suspended",
        "Revoked",
        "Expired",
    ]
    rows = page.select("table.registry tbody tr")
    for row, (status, area) in zip(rows, four_codes.items(), strict=True):
        icon, _vietnamese, word = STATUSES[status]
        assert row.select_one("a")["href"] == f"/en/growing-areas/{area.code}/"
        badge = row.select_one(".status")
        assert (text(badge), pictogram(badge)) == (word, icon)
    # The registry page itself is not translated: the reader is told, the interface stays English.
    assert text(page.select_one("main .untranslated")) == UNTRANSLATED_EN
    assert "Mã số" not in text(page.select_one("main table"))


def test_registry_filters_and_the_empty_list_in_english(client, four_codes):
    page = soup(client.get("/en/growing-areas/", {"status": "suspended"}))
    assert [a["href"] for a in page.select("table.registry tbody th a")] == [
        "/en/growing-areas/LC-PT-SLL-002/"
    ]

    empty = soup(client.get("/en/growing-areas/", {"q": "cà phê"}))
    assert text(empty.select_one(".count")) == "0 growing-area codes"
    assert text(empty.select_one(".empty")) == "No code matches the filters. See all codes ."
    assert empty.select_one(".empty a")["href"] == "/en/growing-areas/"


def test_code_page_in_english(client, full_area, coop1):
    page = soup(client.get("/en/growing-areas/LC-PT-SLL-001/"))

    assert lang(page) == "en"
    assert text(page.h1) == "Growing-area code LC-PT-SLL-001"
    assert list(facts(page)) == [
        "Issuing authority",
        "Decision number",
        "Issue date",
        "Valid until",
        "Crop",
        "Area",
        "Village",
        "Commune",
        "District",
        "Province",
        "Participating households",
        "Establishment (cooperative)",
    ]
    assert facts(page)["Participating households"] == "3 households"
    assert facts(page)["Area"] == "18.50 ha"
    box = text(page.select_one(".status-box"))
    assert f"This code is valid until {dmy(full_area.valid_until)}." in box
    body = text(page.select_one("article"))
    assert f"Organic no. HC-07, valid until {dmy(TODAY + datetime.timedelta(days=30))}" in body
    assert "Passed. Inspector: Lò Văn Hùng." in body
    assert "Sketch of the growing area's boundary (not a map)." in body
    assert "Open in the map app on your phone" in body
    assert page.find("h2", string="Products labelled with this code")
    assert page.find("h2", string="Report a suspect product")
    # The boundary sketch is named in English too.
    assert (
        "Sketch of the boundary of growing area LC-PT-SLL-001" in page.select_one("svg.boundary title").text
    )
    # Every link to a page of the site stays in English.
    assert page.select_one("p.crumbs a")["href"] == "/en/growing-areas/"
    assert page.select_one("dl.facts a")["href"] == f"/en{coop1.url}"
    product_link = page.find("h2", string="Products labelled with this code").find_next_sibling("ul").a
    assert product_link["href"] == f"/en{coop1.url}thao-qua-kho/"
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/growing-areas/LC-PT-SLL-001/")


def test_code_page_links_lead_to_english_pages(client, full_area, coop1):
    page = soup(client.get("/en/growing-areas/LC-PT-SLL-001/"))

    for href in (page.select_one("p.crumbs a")["href"], page.select_one("dl.facts a")["href"]):
        assert lang(soup(client.get(href))) == "en"


@pytest.mark.parametrize("status", list(STATUSES))
@pytest.mark.parametrize(("prefix", "column"), [("", 1), ("/en", 2)])
def test_code_page_shows_each_status_as_a_pictogram_with_words(client, registry, status, prefix, column):
    area_with_status(status, code="LC-PT-SLL-005")
    icon, *words = STATUSES[status]

    page = soup(client.get(f"{prefix}/growing-areas/LC-PT-SLL-005/"))

    badge = page.select_one(".status-box h2 .status")
    assert pictogram(badge) == icon
    assert text(badge) == words[column - 1]
    assert "status-" + status in badge["class"]


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("suspended", "This code has been suspended since {today}."),
        ("revoked", "This code was revoked on {today} and is no longer valid."),
        ("expired", "This code has expired: it was valid only until {valid_until}."),
    ],
)
def test_code_page_explains_the_status_in_english(client, registry, status, sentence):
    area = area_with_status(status, code="LC-PT-SLL-006")

    box = text(soup(client.get("/en/growing-areas/LC-PT-SLL-006/")).select_one(".status-box"))

    assert sentence.format(today=dmy(TODAY), valid_until=dmy(area.valid_until)) in box
    assert "If you see a new product labelled with this code, report it to:" in box


def test_status_history_in_english_has_pictograms_and_words(client, registry):
    area = GrowingAreaFactory(code="LC-PT-SLL-007")
    suspend(area, reason="Chờ kết quả kiểm nghiệm.")

    rows = soup(client.get("/en/growing-areas/LC-PT-SLL-007/")).select("table.history tbody tr")

    assert [text(row) for row in rows] == [f"{dmy(TODAY)} Valid → Suspended Chờ kết quả kiểm nghiệm."]
    assert [pictogram(badge) for badge in rows[0].select(".status")] == ["valid", "suspended"]
    assert [cell["data-label"] for cell in rows[0].select("td")] == ["Date", "Change", "Reason"]


def test_code_with_dots_is_served_in_english_by_the_fallback_route(client, registry):
    # Wagtail's page URLs take no dots: config/urls.py routes these, inside the language prefix.
    GrowingAreaFactory(code="LC.PT.001")

    page = soup(client.get("/en/growing-areas/lc.pt.001/"))

    assert lang(page) == "en"
    assert text(page.h1) == "Growing-area code LC.PT.001"
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/growing-areas/LC.PT.001/")


@pytest.mark.parametrize("typed", ["LC-PT-XYZ-404", "a.b.c", "a/b/c"])
def test_unknown_code_in_english(client, registry, typed):
    page = soup(client.get(f"/en/growing-areas/{typed}/"), status=404)

    assert lang(page) == "en"
    assert text(page.h1) == "Code not registered"
    assert pictogram(page.h1) == "warning"
    assert (
        page.select_one(".lead").get_text()
        == f"The code “{typed}” is not in the register of growing-area codes."
    )
    assert page.select_one("form[role=search]")["action"] == "/en/growing-areas/"
    assert text(page.select_one("form[role=search] label")) == "Search for another code"


def test_default_report_contact_follows_the_language(client, home, english):
    GrowingAreaIndexPageFactory(parent=home, report_contact="")

    english_page = text(soup(client.get("/en/growing-areas/NOPE-1/"), status=404))
    vietnamese_page = text(soup(client.get("/growing-areas/NOPE-1/"), status=404))

    assert "Report it to: The People's Committee of the commune where the product is sold" in english_page
    assert "Hãy báo cho: Ủy ban nhân dân xã nơi bán sản phẩm (bộ phận một cửa)" in vietnamese_page


def test_registry_under_a_translated_home_page_and_when_translated_itself(client, home, registry, english):
    GrowingAreaFactory(code="LC-PT-SLL-008")
    translate(home, english, title="Home")

    # The English home has no registry yet: the Vietnamese one is served, its sub-pages too.
    page = soup(client.get("/en/growing-areas/"))
    assert page.select_one("table.registry a")["href"] == "/en/growing-areas/LC-PT-SLL-008/"
    assert lang(soup(client.get("/en/growing-areas/LC-PT-SLL-008/"))) == "en"

    translate(registry, english, title="Growing-area registry")
    page = soup(client.get("/en/growing-areas/"))
    assert text(page.h1) == "Growing-area registry"
    assert page.select_one("main .untranslated") is None
    assert page.select_one("table.registry a")["href"] == "/en/growing-areas/LC-PT-SLL-008/"
    code_page = soup(client.get("/en/growing-areas/LC-PT-SLL-008/"))
    assert code_page.select_one("p.crumbs a")["href"] == "/en/growing-areas/"
    assert text(code_page.select_one("p.crumbs a")) == "Growing-area registry"


# Hmong: the interface falls back to Vietnamese ------------------------------------------------


def test_registry_in_hmong_falls_back_to_the_vietnamese_interface(client, four_codes):
    page = soup(client.get("/hmn/growing-areas/"))

    assert lang(page) == "hmn"
    assert text(page.select_one(".count")) == "4 mã số vùng trồng"
    assert [text(th) for th in page.select("table.registry thead th")][:2] == ["Mã số", "Tên vùng trồng"]
    assert text(page.select_one("form[role=search] button")) == "Tìm"
    badge = page.select_one("table.registry tbody .status")
    assert (text(badge), pictogram(badge)) == ("Còn hiệu lực", "valid")
    assert page.select_one("table.registry tbody a")["href"] == "/hmn/growing-areas/LC-PT-SLL-001/"


def test_code_page_in_hmong_falls_back_to_the_vietnamese_interface(client, full_area):
    page = soup(client.get("/hmn/growing-areas/LC-PT-SLL-001/"))

    assert lang(page) == "hmn"
    assert page.find("h2", string="Thông tin đăng ký")
    assert facts(page)["Số hộ tham gia"] == "3 hộ"
    assert page.select_one("p.crumbs a")["href"] == "/hmn/growing-areas/"


# Cooperatives ---------------------------------------------------------------------------------


@pytest.fixture
def cooperative(coop1, english, hmong):
    coop1.phone = "0213 3876 123"
    coop1.save()
    CooperativeCertificationFactory(
        page=coop1, scheme="gacp-who", number="GACP-07", valid_until=datetime.date(2028, 1, 15)
    )
    return coop1


def test_cooperative_index_in_english(client, cooperative, coop2):
    page = soup(client.get("/en/cooperatives/"))

    assert lang(page) == "en"
    cards = page.select(".card")
    assert [card.a["href"] for card in cards] == [f"/en{coop2.url}", f"/en{cooperative.url}"]
    assert "Village Sì Lở Lầu" in text(cards[0])
    assert "24 member households" in text(cards[0])


def test_cooperative_index_in_english_without_cooperatives(client, cooperative_index, english):
    assert "No cooperatives yet." in text(soup(client.get("/en/cooperatives/")))


def test_cooperative_page_in_english(client, cooperative):
    page = soup(client.get(f"/en{cooperative.url}"))

    assert lang(page) == "en"
    assert list(facts(page)) == ["Village", "Address", "Phone", "Member households"]
    item = page.select_one("ul.plain-list li")
    assert text(item) == "GACP-WHO no. GACP-07, valid until 15/01/2028"
    assert pictogram(item) == "certificate"
    assert page.find("h2", string="Products")
    assert "No products yet." in text(page)


def test_cooperative_page_in_hmong_falls_back_to_vietnamese(client, cooperative):
    page = soup(client.get(f"/hmn{cooperative.url}"))

    assert lang(page) == "hmn"
    assert list(facts(page)) == ["Bản", "Địa chỉ", "Điện thoại", "Hộ thành viên"]


def test_translated_index_still_lists_the_cooperatives_not_yet_translated(
    client, home, cooperative_index, coop1, coop2, english
):
    translate(home, english, title="Home")
    translate(cooperative_index, english, title="Cooperatives")
    translate(coop1, english, title="Sì Lở Lầu Black Cardamom Cooperative")

    page = soup(client.get("/en/cooperatives/"))

    cards = {text(card.select_one(".card-title")): card.a["href"] for card in page.select(".card")}
    assert cards == {
        "Sì Lở Lầu Black Cardamom Cooperative": f"/en{coop1.url}",
        coop2.title: f"/en{coop2.url}",
    }
    for href in cards.values():
        assert lang(soup(client.get(href))) == "en"


def test_translated_cooperative_lists_the_original_products(client, home, cooperative_index, coop1, english):
    ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho")
    translate(home, english, title="Home")
    translate(cooperative_index, english, title="Cooperatives")
    translate(coop1, english, title="Black Cardamom Cooperative")

    page = soup(client.get(f"/en{coop1.url}"))

    assert text(page.h1) == "Black Cardamom Cooperative"
    assert [card.a["href"] for card in page.select(".card")] == [f"/en{coop1.url}thao-qua-kho/"]


# The API is the same in every language ------------------------------------------------------


def test_api_answers_the_same_whatever_the_callers_language(client, full_area):
    answers = [
        client.get("/api/v1/growing-areas/LC-PT-SLL-001", HTTP_ACCEPT_LANGUAGE=language).json()
        for language in ("vi", "en")
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answers.append(client.get("/api/v1/growing-areas/LC-PT-SLL-001").json())

    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["url"] == "http://localhost/growing-areas/LC-PT-SLL-001/"
    assert answers[0]["certifications"][0]["scheme_label"] == "Hữu cơ"


# No emoji left --------------------------------------------------------------------------------


def test_growers_templates_use_pictograms_not_emoji():
    templates = Path(settings.BASE_DIR) / "growers" / "templates"

    found = {
        str(path.relative_to(templates)): emoji_in(path.read_text(encoding="utf-8"))
        for path in templates.rglob("*.html")
    }

    assert {name: chars for name, chars in found.items() if chars} == {}


# The admin in the officer's language ----------------------------------------------------------


def prefer(user, language: str):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def form_labels(page) -> set[str]:
    return {text(label) for label in page.select("form label")}


@pytest.mark.parametrize(
    ("language", "html_lang", "labels", "tabs"),
    [
        (
            None,
            "vi",
            {
                "Mã số *",
                "Cơ quan cấp *",
                "Số quyết định *",
                "Ngày cấp *",
                "Hiệu lực đến *",
                "Diện tích (ha) *",
            },
            ["Đăng ký", "Địa điểm", "Hộ gia đình", "Kiểm tra và chứng nhận"],
        ),
        (
            "en",
            "en",
            {
                "Code *",
                "Issuing authority *",
                "Decision number *",
                "Issue date *",
                "Valid until *",
                "Area (hectares) *",
            },
            ["Registration", "Place", "Households", "Inspections and certifications"],
        ),
    ],
    ids=["vietnamese-by-default", "english-by-preference"],
)
def test_growing_area_form_speaks_the_officers_language(client, officer, language, html_lang, labels, tabs):
    if language:
        prefer(officer, language)
    client.force_login(officer)

    page = soup(client.get(reverse("growing_areas:add")))

    assert lang(page) == html_lang
    assert labels <= form_labels(page)
    # Each tab's name, without the error counter Wagtail keeps beside it ("( )" while empty).
    assert [text(tab).removesuffix("( )").strip() for tab in page.select("[role=tab]")] == tabs


@pytest.mark.parametrize(
    ("language", "message"),
    [(None, "Đã tạm đình chỉ mã số VN-SLL-0500."), ("en", "VN-SLL-0500 suspended.")],
)
def test_status_change_message_in_the_officers_language(client, officer, registry, language, message):
    area = GrowingAreaFactory(code="VN-SLL-0500")
    if language:
        prefer(officer, language)
    client.force_login(officer)

    response = client.post(
        reverse("growing_areas:suspend", args=(area.pk,)),
        {"reason": "Dư lượng thuốc", "effective_date": TODAY.isoformat()},
        follow=True,
    )

    assert message in text(soup(response))


def test_import_command_reports_in_english_when_english_is_active(tmp_path, db):
    path = tmp_path / "vung.csv"
    path.write_text("Mã số vùng trồng,Tên vùng trồng\nVN-A-1,Vùng A\n", encoding="utf-8")
    out = io.StringIO()

    with translation.override("en"), pytest.raises(Exception) as caught:
        call_command("import_growing_areas", str(path), "--dry-run", stdout=out)

    assert "The file has no columns" in str(caught.value)
    assert "Row 1 must hold the column headings" in str(caught.value)
