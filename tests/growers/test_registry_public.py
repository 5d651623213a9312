"""The public growing-area registry a buyer reads: /growing-areas/ (list and filters) and
/growing-areas/<code>/ (one code), DESIGN §4. Status is always a word with its pictogram beside
it, households are a number only, and no input gives a 500. (The same pages in English and
Hmong: test_languages.py.)"""

import datetime
import math
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from growers.factories import (
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
from growers.filters import STATUS_CHOICES
from growers.svg import boundary_svg
from products.factories import ProductPageFactory
from tests.helpers import soup

from .pictograms import pictogram

TODAY = timezone.localdate()
REPORT_CONTACT = "Bộ phận một cửa UBND xã Sì Lở Lầu, điện thoại 0213 3890 000"
# Each status: its pictogram (website/icons/) and its words.
STATUS_SHOWN = {
    "active": ("valid", "Còn hiệu lực"),
    "suspended": ("suspended", "Tạm đình chỉ"),
    "revoked": ("revoked", "Đã thu hồi"),
    "expired": ("expired", "Hết hạn"),
}


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def registry(home):
    return GrowingAreaIndexPageFactory(parent=home, report_contact=REPORT_CONTACT)


def cite(area, *, parent, **kwargs):
    product = ProductPageFactory(parent=parent, **kwargs)
    product.origin_areas.add(area)
    product.save()
    return product


# The list ----------------------------------------------------------------------------------


@pytest.fixture
def four_codes(registry):
    """One code per status, each in its own village with its own crop."""
    return {
        "active": GrowingAreaFactory(
            code="LC-PT-SLL-001", name="Vùng thảo quả Sì Lở Lầu", village="Sì Lở Lầu", crop_name="Thảo quả"
        ),
        "suspended": suspend(
            GrowingAreaFactory(
                code="LC-PT-SLL-002",
                name="Vùng chè Shan tuyết Lả Dì Thàng",
                village="Lả Dì Thàng",
                crop_name="Chè Shan tuyết",
            )
        ),
        "revoked": revoke(
            GrowingAreaFactory(
                code="LC-PT-SLL-003", name="Vùng sâm Tả Chải", village="Tả Chải", crop_name="Sâm Lai Châu"
            )
        ),
        "expired": area_with_status(
            "expired",
            code="LC-PT-SLL-004",
            name="Vùng đương quy Nậm Xe",
            village="Nậm Xe",
            crop_name="Đương quy",
        ),
    }


def listed(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select("table.registry tbody th a")]


def form_errors(response) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in soup(response).select(".error"))


def test_registry_is_served_at_slash_growing_areas(registry):
    assert registry.url == "/growing-areas/"


def test_registry_lists_every_code_whatever_its_status(client, four_codes):
    response = client.get("/growing-areas/")

    assert listed(response) == ["LC-PT-SLL-001", "LC-PT-SLL-002", "LC-PT-SLL-003", "LC-PT-SLL-004"]


def test_each_row_shows_code_name_village_crop_status_and_valid_until(client, four_codes):
    rows = soup(client.get("/growing-areas/")).select("table.registry tbody tr")

    for row, (status, area) in zip(rows, four_codes.items(), strict=True):
        with_icon = row.get_text(" ", strip=True)
        icon, word = STATUS_SHOWN[status]
        for text in [area.code, area.name, area.village, area.crop_name, word, dmy(area.valid_until)]:
            assert text in with_icon, (status, text)
        status_cell = row.select_one(".status")
        assert pictogram(status_cell) == icon
        assert status_cell.get_text(" ", strip=True) == word
        assert row.select_one("a")["href"] == f"/growing-areas/{area.code}/"


def test_filter_labels_use_the_words_of_the_status_badges():
    assert {status: str(label) for status, label in STATUS_CHOICES} == {
        status: word for status, (_icon, word) in STATUS_SHOWN.items()
    }


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("active", "LC-PT-SLL-001"),
        ("suspended", "LC-PT-SLL-002"),
        ("revoked", "LC-PT-SLL-003"),
        ("expired", "LC-PT-SLL-004"),
    ],
)
def test_status_filter_uses_the_status_a_buyer_sees(client, four_codes, status, code):
    assert listed(client.get("/growing-areas/", {"status": status})) == [code]


def test_crop_filter(client, four_codes):
    assert listed(client.get("/growing-areas/", {"crop": "Chè Shan tuyết"})) == ["LC-PT-SLL-002"]


def test_village_filter(client, four_codes):
    assert listed(client.get("/growing-areas/", {"village": "Tả Chải"})) == ["LC-PT-SLL-003"]


def test_crop_and_village_selects_offer_what_is_registered(client, four_codes):
    page = soup(client.get("/growing-areas/"))

    crops = [o["value"] for o in page.select("select[name=crop] option") if o["value"]]
    villages = [o["value"] for o in page.select("select[name=village] option") if o["value"]]
    assert crops == ["Chè Shan tuyết", "Đương quy", "Sâm Lai Châu", "Thảo quả"]
    assert villages == ["Lả Dì Thàng", "Nậm Xe", "Sì Lở Lầu", "Tả Chải"]


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("thảo quả", ["LC-PT-SLL-001"]),
        ("THAO QUA", ["LC-PT-SLL-001"]),  # without diacritics
        ("nam xe", ["LC-PT-SLL-004"]),  # the village counts too
        ("LC-PT-SLL-003", ["LC-PT-SLL-003"]),
        ("lcptsll002", ["LC-PT-SLL-002"]),  # a code typed without dashes
        ("sll 00", ["LC-PT-SLL-001", "LC-PT-SLL-002", "LC-PT-SLL-003", "LC-PT-SLL-004"]),
        ("vùng chè lả dì", ["LC-PT-SLL-002"]),
        ("cà phê", []),
    ],
)
def test_search_by_code_or_name_ignores_case_diacritics_and_dashes(client, four_codes, q, codes):
    assert listed(client.get("/growing-areas/", {"q": q})) == codes


def test_search_that_finds_nothing_says_so(client, four_codes):
    page = soup(client.get("/growing-areas/", {"q": "cà phê"}))

    assert "Không có mã số nào khớp" in page.get_text()
    assert page.select_one(".count").get_text(strip=True) == "0 mã số vùng trồng"


@pytest.mark.parametrize(
    "params",
    [
        {"status": "valid"},
        {"status": "EXPIRED'--"},
        {"crop": "Cà phê"},
        {"village": "<b>Bản lạ</b>"},
        {"q": "x" * 101},
        {"q": "thảo\x00quả"},
    ],
)
def test_bad_parameter_is_a_form_error_and_the_list_still_shows(client, four_codes, params):
    response = client.get("/growing-areas/", params)

    assert form_errors(response)
    assert len(listed(response)) == 4
    assert "<b>Bản lạ</b>" not in response.content.decode()


def test_bad_parameter_does_not_undo_the_good_ones(client, four_codes):
    response = client.get("/growing-areas/", {"status": "bogus", "crop": "Thảo quả"})

    assert form_errors(response)
    assert listed(response) == ["LC-PT-SLL-001"]


def test_registry_is_paginated_and_keeps_filters_across_pages(client, registry, settings):
    settings.REGISTRY_PAGE_SIZE = 2
    for number in range(5):
        GrowingAreaFactory(code=f"LC-PT-{number:03d}", crop_name="Thảo quả")
    GrowingAreaFactory(code="LC-PT-999", crop_name="Sâm Lai Châu")

    first = client.get("/growing-areas/", {"crop": "Thảo quả"})
    assert listed(first) == ["LC-PT-000", "LC-PT-001"]
    next_link = soup(first).select_one(".pagination a[rel=next]")["href"]
    assert "crop=" in next_link and "page=2" in next_link

    assert listed(client.get("/growing-areas/", {"crop": "Thảo quả", "page": 3})) == ["LC-PT-004"]


@pytest.mark.parametrize("page_number", ["0", "abc", "99", "-1", "1e9", "\x00"])
def test_bad_page_number_shows_a_page_of_the_list(client, four_codes, page_number):
    response = client.get("/growing-areas/", {"page": page_number})

    assert listed(response)


def test_registry_queries_do_not_grow_with_the_codes_on_a_page(client, registry):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/growing-areas/", {"status": "active"}).status_code == 200
        return len(captured)

    GrowingAreaFactory(code="LC-PT-100")
    client.get("/growing-areas/")
    before = queries()
    for number in range(10):
        GrowingAreaFactory(code=f"LC-PT-2{number:02d}", village=f"Bản {number}", crop_name=f"Cây {number}")

    assert queries() == before


def test_registry_renders_without_a_route_as_in_a_preview(rf, four_codes, registry):
    request = rf.get("/growing-areas/")

    response = registry.serve(request)
    response.render()

    assert "LC-PT-SLL-004" in response.content.decode()


def test_registry_address_without_slash_redirects(client, registry):
    response = client.get("/growing-areas")

    assert response.status_code == 301 and response["Location"] == "/growing-areas/"


def test_registry_needs_no_script(client, four_codes):
    html = client.get("/growing-areas/", {"status": "active"}).content.decode()

    assert "<script" not in html
    form = BeautifulSoup(html, "html.parser").select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/growing-areas/"
    assert form.select_one("button[type=submit]")


# One code's page ---------------------------------------------------------------------------


@pytest.fixture
def full_area(registry, coop1):
    area = GrowingAreaFactory(
        code="LC-PT-SLL-001",
        name="Vùng thảo quả Sì Lở Lầu",
        cooperative=coop1,
        village="Lả Dì Thàng",
        commune="Sì Lở Lầu",
        district="Phong Thổ",
        province="Lai Châu",
        crop_name="Sâm Lai Châu",
        crop_scientific_name="Panax vietnamensis var. fuscidiscus",
        area_hectares=Decimal("18.50"),
        latitude=Decimal("22.620000"),
        longitude=Decimal("103.270000"),
        boundary=square_boundary(),
        issuing_authority="Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu",
        decision_number="45/QĐ-TTBVTV",
        issued_on=TODAY - datetime.timedelta(days=200),
        valid_until=TODAY + datetime.timedelta(days=500),
    )
    for name, phone in [("Giàng A Páo", "0912345001"), ("Lò Mỳ Chừ", "0912345002"), ("Pờ Thị Mé", "")]:
        HouseholdFactory(area=area, head_name=name, phone=phone)
    GrowingAreaCertificationFactory(
        area=area,
        scheme="gacp-who",
        number="GACP-LC-2024-007",
        issuer="Cục Quản lý Y, Dược cổ truyền",
        valid_until=TODAY + datetime.timedelta(days=300),
    )
    InspectionFactory(
        area=area, date=TODAY - datetime.timedelta(days=400), inspector="Nguyễn Văn Cũ", result="failed"
    )
    InspectionFactory(
        area=area, date=TODAY - datetime.timedelta(days=20), inspector="Lò Văn Hùng", result="passed"
    )
    return area


def facts(page) -> dict[str, str]:
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in page.select("dl.facts dt")
    }


def test_code_page_shows_the_registration(client, full_area, coop1):
    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    assert page.h1.get_text(" ", strip=True) == "Mã số vùng trồng LC-PT-SLL-001"
    shown = facts(page)
    assert shown["Cơ quan cấp"] == "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu"
    assert shown["Số quyết định"] == "45/QĐ-TTBVTV"
    assert shown["Ngày cấp"] == dmy(full_area.issued_on)
    assert shown["Hiệu lực đến"] == dmy(full_area.valid_until)
    assert shown["Cây trồng"] == "Sâm Lai Châu ( Panax vietnamensis var. fuscidiscus )"
    assert page.select_one("dl.facts i").get_text() == "Panax vietnamensis var. fuscidiscus"
    assert shown["Diện tích"] == "18,50 ha"
    assert (shown["Bản"], shown["Xã"], shown["Huyện"], shown["Tỉnh"]) == (
        "Lả Dì Thàng",
        "Sì Lở Lầu",
        "Phong Thổ",
        "Lai Châu",
    )
    assert shown["Số hộ tham gia"] == "3 hộ"
    cooperative = page.select_one("dl.facts a")
    assert cooperative.get_text() == coop1.title and cooperative["href"] == coop1.url


def test_code_page_never_shows_who_the_households_are(client, full_area):
    html = client.get("/growing-areas/LC-PT-SLL-001/").content.decode()

    for private in ["Giàng A Páo", "Lò Mỳ Chừ", "Pờ Thị Mé", "0912345001", "0912345002"]:
        assert private not in html


def test_code_page_lists_certifications_and_the_latest_inspection(client, full_area):
    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))
    text = page.get_text(" ", strip=True)

    assert "GACP-WHO số GACP-LC-2024-007, Cục Quản lý Y, Dược cổ truyền" in text
    inspection = page.select_one(".inspection").get_text(" ", strip=True)
    assert dmy(TODAY - datetime.timedelta(days=20)) in inspection
    assert "Đạt" in inspection and "Lò Văn Hùng" in inspection
    assert "Nguyễn Văn Cũ" not in text


def test_code_without_certifications_or_inspections_says_so(client, registry):
    GrowingAreaFactory(code="LC-PT-SLL-009")

    text = soup(client.get("/growing-areas/LC-PT-SLL-009/")).get_text(" ", strip=True)

    assert "Chưa có chứng nhận nào được ghi." in text
    assert "Chưa có lần kiểm tra nào được ghi." in text
    assert "0 hộ" in text


def test_code_page_links_to_the_location_in_map_apps(client, full_area):
    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    assert page.select_one('a[href^="geo:"]')["href"] == "geo:22.62,103.27"
    assert (
        page.select_one('a[href^="https://www.openstreetmap.org/"]')["href"]
        == "https://www.openstreetmap.org/?mlat=22.62&mlon=103.27#map=15/22.62/103.27"
    )


def test_boundary_is_drawn_as_an_inline_svg(client, full_area):
    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    svg = page.select_one("figure.map svg")
    assert svg["role"] == "img" and svg["width"] and svg["height"] and svg["viewbox"]
    assert "LC-PT-SLL-001" in svg.title.get_text()
    path = svg.select_one("path[fill-rule=evenodd]")
    assert path["d"].startswith("M") and path["d"].endswith("Z")
    assert svg.select_one("circle")  # the registered point
    assert not page.select("img[src*=tile], iframe")


def test_boundary_sketch_keeps_the_shape_in_proportion_and_holes_as_holes():
    outer = square_boundary(half=0.002)["coordinates"][0]
    hole = square_boundary(half=0.0005)["coordinates"][0]
    other = square_boundary(latitude=Decimal("22.63"), half=0.001)["coordinates"][0]

    svg = BeautifulSoup(
        boundary_svg(
            {"type": "MultiPolygon", "coordinates": [[outer, hole], [other]]}, 22.62, 103.27, title="<Vùng>"
        ),
        "html.parser",
    ).svg

    assert svg.title.get_text() == "<Vùng>"  # escaped in the markup, read back as text
    shape = svg.select_one("path[fill-rule=evenodd]")["d"]
    assert shape.count("M") == 3 and shape.count("Z") == 3
    # The 0.004° square: narrower than tall by cos(22.62°), as on the ground.
    xs = [float(n) for n in re.findall(r"[ML]([\d.]+) ", shape.split("Z")[0])]
    ys = [float(n) for n in re.findall(r"[ML][\d.]+ ([\d.]+)", shape.split("Z")[0])]
    ratio = (max(xs) - min(xs)) / (max(ys) - min(ys))
    assert abs(ratio - math.cos(math.radians(22.62))) < 0.01


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        {},
        "not json",
        {"type": "Point", "coordinates": [103.27, 22.62]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
        {"type": "Polygon", "coordinates": [[[103.27, 22.62]] * 4]},
    ],
)
def test_boundary_sketch_is_left_out_for_missing_or_broken_shapes(boundary):
    assert boundary_svg(boundary, 22.62, 103.27, title="x") == ""


def test_code_without_boundary_has_no_svg_but_keeps_the_map_links(client, registry):
    GrowingAreaFactory(code="LC-PT-SLL-009", boundary=None)

    page = soup(client.get("/growing-areas/LC-PT-SLL-009/"))

    assert not page.select("svg.boundary, figure.map")
    assert "Chưa có sơ đồ ranh giới" in page.get_text()
    assert page.select_one('a[href^="geo:"]')


def test_code_page_sets_the_canonical_address(client, full_area):
    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    assert page.select_one("link[rel=canonical]")["href"].endswith("/growing-areas/LC-PT-SLL-001/")


@pytest.mark.parametrize(
    "typed",
    ["lc-pt-sll-001", "LCPTSLL001", "lcptsll001", "Lc-Pt-Sll-001", "lc%20pt%20sll%20001", "LC-PT-SLL-001"],
)
def test_lookup_forgives_case_spaces_and_missing_dashes(client, full_area, typed):
    page = soup(client.get(f"/growing-areas/{typed}/"))

    assert "LC-PT-SLL-001" in page.h1.get_text()
    assert page.select_one("link[rel=canonical]")["href"].endswith("/growing-areas/LC-PT-SLL-001/")


def test_code_with_dots_has_its_page(client, registry):
    # Valid by the default pattern, though Wagtail's page URLs take no dots.
    GrowingAreaFactory(code="LC.PT.001")

    for typed in ["LC.PT.001", "lc.pt.001", "LC-PT-001"]:
        page = soup(client.get(f"/growing-areas/{typed}/"))
        assert "LC.PT.001" in page.h1.get_text()
        assert page.select_one("link[rel=canonical]")["href"].endswith("/growing-areas/LC.PT.001/")


def test_code_page_without_trailing_slash_still_answers(client, full_area):
    assert "LC-PT-SLL-001" in soup(client.get("/growing-areas/LC-PT-SLL-001")).h1.get_text()


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("active", "Mã số này đang có hiệu lực đến {valid_until}."),
        ("suspended", "Mã số này đang bị tạm đình chỉ từ ngày {today}."),
        ("revoked", "Mã số này đã bị thu hồi từ ngày {today} và không còn giá trị."),
        ("expired", "Mã số này đã hết hạn: chỉ có hiệu lực đến ngày {valid_until}."),
    ],
)
def test_code_page_says_the_status_in_words_with_a_pictogram(client, registry, status, sentence):
    area = area_with_status(status, code="LC-PT-SLL-005")

    page = soup(client.get("/growing-areas/LC-PT-SLL-005/"))

    box = page.select_one(".status-box")
    icon, word = STATUS_SHOWN[status]
    badge = box.select_one("h2 .status")
    assert badge.get_text(" ", strip=True) == word
    assert pictogram(badge) == icon
    assert sentence.format(valid_until=dmy(area.valid_until), today=dmy(TODAY)) in box.get_text(
        " ", strip=True
    )


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_suspended_or_revoked_code_gives_the_reason_and_whom_to_tell(client, registry, status):
    area = GrowingAreaFactory(code="LC-PT-SLL-006")
    if status == "suspended":
        suspend(area, reason="Phát hiện dư lượng thuốc bảo vệ thực vật.")
    else:
        revoke(area, reason="Vùng trồng đã chuyển sang trồng ngô.")

    box = (
        soup(client.get("/growing-areas/LC-PT-SLL-006/")).select_one(".status-box").get_text(" ", strip=True)
    )

    assert "Lý do: " in box
    assert ("thuốc bảo vệ thực vật" in box) if status == "suspended" else ("trồng ngô" in box)
    assert REPORT_CONTACT in box


def test_status_history_is_public_with_dates_and_reasons(client, registry):
    area = GrowingAreaFactory(code="LC-PT-SLL-007")
    suspend(area, reason="Chờ kết quả kiểm nghiệm.", effective_date=TODAY - datetime.timedelta(days=40))
    revoke(area, reason="Kết quả kiểm nghiệm không đạt.")

    rows = soup(client.get("/growing-areas/LC-PT-SLL-007/")).select("table.history tbody tr")

    earlier = dmy(TODAY - datetime.timedelta(days=40))
    assert [row.get_text(" ", strip=True) for row in rows] == [
        f"{dmy(TODAY)} Tạm đình chỉ → Đã thu hồi Kết quả kiểm nghiệm không đạt.",
        f"{earlier} Còn hiệu lực → Tạm đình chỉ Chờ kết quả kiểm nghiệm.",
    ]
    assert [[pictogram(badge) for badge in row.select(".status")] for row in rows] == [
        ["suspended", "revoked"],
        ["valid", "suspended"],
    ]


def test_code_page_lists_the_live_products_that_cite_it(client, full_area, coop1, coop2):
    kho = cite(full_area, parent=coop1, title="Thảo quả khô")
    che = cite(full_area, parent=coop2, title="Chè Shan tuyết")
    cite(full_area, parent=coop1, title="Thảo quả nháp", live=False)
    withdrawn = cite(full_area, parent=coop1, title="Thảo quả ngừng bán")
    withdrawn.unpublish()
    ProductPageFactory(parent=coop1, title="Mật ong không ghi mã")

    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    heading = page.find("h2", string="Sản phẩm ghi mã số này")
    items = heading.find_next_sibling("ul").select("li")
    assert [li.a.get_text() for li in items] == ["Chè Shan tuyết", "Thảo quả khô"]
    assert [li.a["href"] for li in items] == [che.url, kho.url]
    assert coop2.title in items[0].get_text()


def test_code_page_does_not_list_products_of_an_unpublished_cooperative(client, full_area, coop1, coop2):
    cite(full_area, parent=coop1, title="Thảo quả khô")
    cite(full_area, parent=coop2, title="Chè Shan tuyết")
    coop1.unpublish()

    page = soup(client.get("/growing-areas/LC-PT-SLL-001/"))

    heading = page.find("h2", string="Sản phẩm ghi mã số này")
    assert [li.a.get_text() for li in heading.find_next_sibling("ul").select("li")] == ["Chè Shan tuyết"]
    assert "Thảo quả khô" not in page.get_text()


def test_code_page_queries_do_not_grow_with_inspections_certificates_history_or_products(
    client, full_area, coop1
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/growing-areas/LC-PT-SLL-001/").status_code == 200
        return len(captured)

    cite(full_area, parent=coop1)
    client.get("/growing-areas/LC-PT-SLL-001/")  # warm the site-root cache
    before = queries()
    for number in range(6):
        InspectionFactory(area=full_area, date=TODAY - datetime.timedelta(days=number))
        GrowingAreaCertificationFactory(area=full_area)
        HouseholdFactory(area=full_area)
        cite(full_area, parent=coop1)
    suspend(full_area)

    assert queries() == before


# Unknown codes and hostile input -----------------------------------------------------------


def test_unknown_code_is_a_404_page_that_says_so_plainly(client, registry):
    response = client.get("/growing-areas/LC-PT-XYZ-404/")

    page = soup(response, status=404)
    assert page.h1.get_text(" ", strip=True) == "Mã số chưa được đăng ký"
    assert pictogram(page.h1) == "warning"
    assert "Mã số “LC-PT-XYZ-404” không có trong sổ đăng ký mã số vùng trồng." in page.get_text()
    assert REPORT_CONTACT in page.get_text()
    assert page.select_one("header.site-header")  # the site's own layout
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert "<script" not in response.content.decode()


def test_unknown_code_page_offers_the_search_with_what_was_typed(client, registry):
    page = soup(client.get("/growing-areas/lc-pt-xyz/"), status=404)

    field = page.select_one("form[role=search] input[name=q]")
    assert field["value"] == "lc-pt-xyz"


def test_without_a_report_contact_the_commune_office_is_named(client, home):
    GrowingAreaIndexPageFactory(parent=home, report_contact="")

    page = soup(client.get("/growing-areas/LC-PT-XYZ/"), status=404)

    assert "Ủy ban nhân dân xã" in page.get_text()


def test_what_was_typed_is_escaped(client, registry):
    response = client.get("/growing-areas/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    "path",
    [
        "A" * 5000,
        "%00",
        "a/b/c",
        "..",
        "%2e%2e%2f%2e%2e",
        "%20",
        "%0A",
        "%FF%FE",
        "%F0%9F%8C%BF",
        "漢字",
        "Ñandú",
        "'%20OR%201=1--",
        "~!@$^*()+=,;",
        "%25",
    ],
)
def test_hostile_input_is_answered_with_the_not_registered_page(client, full_area, path):
    response = client.get(f"/growing-areas/{path}/")

    assert response.status_code == 404
    page = soup(response, status=404)
    assert "Mã số chưa được đăng ký" in page.h1.get_text()
    assert "\x00" not in response.content.decode()


def test_stray_characters_around_a_real_code_are_forgiven(client, full_area):
    for typed in ["LC-PT-SLL-001%00", "%20LC-PT-SLL-001%20", "LC_PT_SLL_001", "LC.PT.SLL.001"]:
        page = soup(client.get(f"/growing-areas/{typed}/"))
        assert page.select_one("link[rel=canonical]")["href"].endswith("/growing-areas/LC-PT-SLL-001/")


def test_a_very_long_code_is_repeated_cut_short(client, registry):
    page = soup(client.get("/growing-areas/" + "A" * 5000 + "/"), status=404)

    assert len(page.select_one("strong.code").get_text()) <= 64
