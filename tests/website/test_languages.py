"""Languages seen from the outside: the switcher and its redirect, the language prefixes, the
interface in English and Hmong (falling back to Vietnamese), the notice on a page shown
untranslated, and the Vietnamese page served while its translation is missing or a draft."""

import runpy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polib
import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.test import override_settings

from growers.factories import CooperativeIndexPageFactory, CooperativePageFactory
from products.factories import ProductPageFactory, ProductVariantFactory, ShopPageFactory
from tests.helpers import soup, translate
from traceability.factories import BatchPageFactory

pytestmark = pytest.mark.usefixtures("fresh_locale_ids")

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "hmn": "Hmoob"}
UNTRANSLATED_EN = "This page has not been translated yet; it is shown in Vietnamese."


def notice(page):
    found = page.select_one("main .untranslated")
    return found.get_text(" ", strip=True) if found else None


# The switch: /language/<code>/?next=<path> ----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "next_url", "target"),
    [
        ("en", "/shop/", "/en/shop/"),
        ("hmn", "/shop/", "/hmn/shop/"),
        ("vi", "/en/shop/", "/shop/"),
        ("en", "/hmn/shop/", "/en/shop/"),
        ("vi", "/", "/"),
        ("en", "/", "/en/"),
        ("vi", "/en/", "/"),
        # Cart and checkout are Django views inside the language prefix.
        ("en", "/cart/", "/en/cart/"),
        # Printed on labels: a trace address carries no language and stays as it is.
        ("en", "/t/ABCD2345", "/t/ABCD2345"),
        ("hmn", "/01/08931234567897/10/L1", "/01/08931234567897/10/L1"),
    ],
)
def test_switch_sets_the_cookie_and_returns_to_the_same_page_in_that_language(
    client, language, next_url, target
):
    response = client.get(f"/language/{language}/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == target
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == language
    assert int(cookie["max-age"]) >= 30 * 24 * 60 * 60  # remembered, not for one visit
    assert cookie["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"]  # a redirect that sets a cookie is never shared


def test_switch_back_to_vietnamese_whatever_the_cookie_says(client):
    client.get("/language/en/", {"next": "/shop/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/language/vi/", {"next": "/en/shop/"})

    assert response["Location"] == "/shop/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"


def test_switch_keeps_the_query_string(client):
    response = client.get("/language/en/", {"next": "/shop/?q=chè&ocop=4"})

    location = urlsplit(response["Location"])
    assert location.path == "/en/shop/"
    assert parse_qs(location.query) == {"q": ["chè"], "ocop": ["4"]}


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/shop/",
        "//evil.example/shop/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:alert(1)",
        "shop/",
        "http://testserver/shop/",  # even this host: only site paths are accepted
    ],
)
def test_switch_refuses_to_leave_the_site(client, next_url):
    response = client.get("/language/vi/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switch_drops_line_breaks_smuggled_into_next(client):
    response = client.get("/language/en/", {"next": "/shop/\r\nSet-Cookie: x=1"})

    assert response.status_code == 302
    assert "\n" not in response["Location"] and "\r" not in response["Location"]
    assert response["Location"].startswith("/en/shop/")


def test_switch_refusing_a_foreign_address_goes_home_in_the_chosen_language(client):
    response = client.get("/language/en/", {"next": "//evil.example/"})

    assert response["Location"] == "/en/"


def test_switch_without_next_goes_home(client):
    assert client.get("/language/hmn/")["Location"] == "/hmn/"


def test_unknown_language_is_not_found(client, home):
    response = client.get("/language/xx/", {"next": "/shop/"})

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switch_answers_get_only(client):
    response = client.post("/language/en/", {"next": "/shop/"})

    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# The switcher on the pages --------------------------------------------------------------------


def switcher_links(page):
    nav = page.select_one("nav.languages")
    assert nav is not None
    return nav.select("a")


@pytest.mark.parametrize(
    ("url", "current", "status"),
    [
        ("/", "vi", 200),
        ("/shop/", "vi", 200),
        ("/cart/", "vi", 200),
        ("/en/", "en", 200),
        ("/en/shop/?q=ch%C3%A8", "en", 200),
        ("/hmn/cart/", "hmn", 200),
        ("/khong-co-trang-nay/", "vi", 404),
        ("/en/no-such-page/", "en", 404),
    ],
)
def test_every_page_has_the_switcher_as_plain_links(client, shop, url, current, status):
    response = client.get(url)
    assert response.status_code == status
    page = BeautifulSoup(response.content, "html.parser")

    links = switcher_links(page)

    assert [a.get_text(strip=True) for a in links] == list(LANGUAGE_NAMES.values())
    for link, code in zip(links, LANGUAGE_NAMES, strict=True):
        assert link["lang"] == code and link["hreflang"] == code  # each name in its own language
        target = urlsplit(link["href"])
        assert target.path == f"/language/{code}/"
        assert parse_qs(target.query) == {"next": [url]}  # the full path, query included
        assert (link.get("aria-current") == "true") == (code == current)
    # Works with no script: nothing but links, nothing to submit.
    assert not page.find("script")
    assert not page.select("nav.languages form, nav.languages button, nav.languages select")


def test_following_a_switcher_link_shows_the_page_in_that_language(client, shop):
    page = soup(client.get("/shop/"))
    english = next(a for a in switcher_links(page) if a["lang"] == "en")

    response = client.get(english["href"], follow=True)

    assert response.redirect_chain == [("/en/shop/", 302)]
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.select_one("nav.languages a[aria-current]")["lang"] == "en"


def test_trace_page_switches_language_at_the_same_printed_address(client, coop1):
    product = ProductPageFactory(parent=coop1, slug="thao-qua-kho")
    batch = BatchPageFactory(parent=product)
    batch.save_revision().publish()
    batch.refresh_from_db()
    address = f"/t/{batch.short_code}"

    page = soup(client.get(address))
    assert page.html["lang"] == "vi"  # no cookie, no Accept-Language: Vietnamese
    english = next(a for a in switcher_links(page) if a["lang"] == "en")
    assert parse_qs(urlsplit(english["href"]).query) == {"next": [address]}

    response = client.get(english["href"], follow=True)

    assert response.redirect_chain == [(address, 302)]  # the address on the label, unprefixed
    assert soup(response).html["lang"] == "en"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}
    back = next(a for a in switcher_links(soup(response)) if a["lang"] == "vi")
    assert soup(client.get(back["href"], follow=True)).html["lang"] == "vi"


# The interface in each language -----------------------------------------------------------------


def test_home_page_in_english_has_english_words_and_links(client, home, coop1):
    ProductVariantFactory(page=ProductPageFactory(parent=coop1, slug="thao-qua-kho"), price=120000)

    page = soup(client.get("/en/"))

    assert page.html["lang"] == "en"
    assert page.select_one("a.skip").get_text() == "Skip to content"
    assert [a.get_text(" ", strip=True) for a in page.select("header nav a")] == [
        "Cooperatives",
        "Shop",
        "Growing-area codes",
        "Cart",
    ]
    assert [a["href"] for a in page.select("header nav a")] == [
        "/en/cooperatives/",
        "/en/shop/",
        "/en/growing-areas/",
        "/en/cart/",
    ]
    assert page.select_one("header a.brand")["href"] == "/en/"
    button = page.select_one("main a.button")
    assert (button.get_text(" ", strip=True), button["href"]) == ("See all products", "/en/shop/")
    assert page.find("h2", string="The cooperatives")
    assert page.find("h2", string="Featured products")
    # A product or cooperative not yet translated is reached under /en/ all the same (served in
    # Vietnamese), its name marked as Vietnamese.
    card = page.select_one("main .card a")
    assert card["href"] == "/en/cooperatives/htx-thao-qua/thao-qua-kho/"
    assert client.get(card["href"]).status_code == 200
    link = page.select_one("main ul.plain-list a")
    assert (link["href"], link["lang"]) == ("/en/cooperatives/htx-thao-qua/", "vi")
    assert client.get(link["href"]).status_code == 200


def test_interface_in_hmong_falls_back_to_vietnamese_words(client, home, coop1):
    page = soup(client.get("/hmn/"))

    assert page.html["lang"] == "hmn"
    # No Hmong translation yet: every interface string shows in Vietnamese, none in English.
    assert page.select_one("a.skip").get_text() == "Bỏ qua, đến nội dung"
    assert [a.get_text(" ", strip=True) for a in page.select("header nav a")] == [
        "Hợp tác xã",
        "Cửa hàng",
        "Mã vùng trồng",
        "Giỏ hàng",
    ]
    assert page.select_one("main a.button").get_text(" ", strip=True) == "Xem tất cả sản phẩm"
    assert page.select_one("main a.button")["href"] == "/hmn/shop/"
    assert "bản" in page.select_one("main ul.plain-list li").get_text()
    assert "Skip to content" not in page.get_text()


def test_vietnamese_pages_have_no_prefix_and_no_notice(client, home):
    page = soup(client.get("/"))

    assert page.html["lang"] == "vi"
    assert page.select_one("main a.button")["href"] == "/shop/"
    assert notice(page) is None
    assert page.select_one("main > div[lang]") is None


# Content: shown untranslated with a notice, or translated -------------------------------------


def test_untranslated_page_under_en_says_so_and_marks_its_content_vietnamese(client, home, english):
    page = soup(client.get("/en/"))

    assert page.html["lang"] == "en"  # the interface is English ...
    assert notice(page) == UNTRANSLATED_EN
    content = page.select_one("main > div[lang]")
    assert content["lang"] == "vi"  # ... the words of the page are Vietnamese
    assert content.h1.get_text() == home.title


def test_untranslated_page_under_hmn_says_so_in_vietnamese(client, home):
    page = soup(client.get("/hmn/"))

    assert (
        notice(page) == "Trang này chưa được dịch; đang hiện bằng Tiếng Việt Nam."
    )  # Django names the language
    assert page.select_one("main > div[lang]")["lang"] == "vi"


def test_translated_page_shows_no_notice(client, home, english):
    translate(home, english, title="Sì Lở Lầu commune market")

    page = soup(client.get("/en/"))

    assert page.h1.get_text() == "Sì Lở Lầu commune market"
    assert notice(page) is None
    assert page.select_one("main > div[lang]") is None
    assert page.html["lang"] == "en"
    # The Vietnamese address still shows the original.
    assert soup(client.get("/")).h1.get_text() == home.title


def test_draft_translation_of_the_home_page_is_not_served(client, home, english):
    translate(home, english, title="Draft English home", publish=False)

    page = soup(client.get("/en/"))

    assert page.h1.get_text() == home.title
    assert notice(page) == UNTRANSLATED_EN


def test_shop_missing_from_the_english_tree_is_served_from_the_vietnamese_one(client, home, english):
    translate(home, english, title="Commune market")
    shop = ShopPageFactory(parent=home, title="Cửa hàng")

    page = soup(client.get("/en/shop/"))

    assert page.h1.get_text(" ", strip=True).startswith(shop.title)
    assert notice(page) == UNTRANSLATED_EN
    assert page.html["lang"] == "en"


def test_english_shop_is_served_once_translated(client, home, english):
    english_home = translate(home, english, title="Commune market")
    shop = ShopPageFactory(parent=home, title="Cửa hàng")
    english_shop = translate(shop, english, title="Shop")
    assert english_shop.get_parent().id == english_home.id

    page = soup(client.get("/en/shop/"))

    assert page.h1.get_text(" ", strip=True).startswith("Shop")
    assert notice(page) is None
    assert soup(client.get("/shop/")).h1.get_text(" ", strip=True).startswith("Cửa hàng")


def test_english_translation_with_its_own_slug_is_found_from_the_vietnamese_address(client, home, english):
    translate(home, english, title="Commune market")
    index = CooperativeIndexPageFactory(parent=home, title="Hợp tác xã", slug="cooperatives")
    translate(index, english, title="Cooperatives")
    coop = CooperativePageFactory(parent=index, title="HTX Thảo quả", slug="htx-thao-qua")
    translate(coop, english, title="Black cardamom cooperative", slug="black-cardamom-cooperative")

    page = soup(client.get("/en/cooperatives/htx-thao-qua/"))

    assert page.h1.get_text(" ", strip=True).startswith("Black cardamom cooperative")
    assert notice(page) is None


def test_draft_translation_of_a_cooperative_falls_back_to_the_vietnamese_page(client, home, english):
    translate(home, english, title="Commune market")
    index = CooperativeIndexPageFactory(parent=home, title="Hợp tác xã", slug="cooperatives")
    translate(index, english, title="Cooperatives")
    coop = CooperativePageFactory(parent=index, title="HTX Thảo quả", slug="htx-thao-qua")
    translate(coop, english, title="Draft English cooperative", publish=False)

    page = soup(client.get("/en/cooperatives/htx-thao-qua/"))

    assert page.h1.get_text(" ", strip=True).startswith("HTX Thảo quả")
    assert notice(page) == UNTRANSLATED_EN
    assert page.select_one("main > div[lang]")["lang"] == "vi"


def test_missing_page_is_still_not_found_under_every_language(client, home, english):
    translate(home, english, title="Commune market")

    for url in ["/no-such-page/", "/en/no-such-page/", "/hmn/no-such-page/"]:
        assert client.get(url).status_code == 404, url


def test_home_page_lists_each_cooperative_once_in_the_visitors_language(client, home, english):
    translate(home, english, title="Commune market")
    index = CooperativeIndexPageFactory(parent=home, title="Hợp tác xã", slug="cooperatives")
    translate(index, english, title="Cooperatives")
    coop = CooperativePageFactory(parent=index, title="HTX Thảo quả", slug="htx-thao-qua")
    CooperativePageFactory(parent=index, title="HTX Chè", slug="htx-che")
    translate(coop, english, title="Black cardamom cooperative")

    def listed(url):
        return [
            (a.get_text(" ", strip=True), a["href"])
            for a in soup(client.get(url)).select("main ul.plain-list a")
        ]

    assert listed("/") == [
        ("HTX Chè", "/cooperatives/htx-che/"),
        ("HTX Thảo quả", "/cooperatives/htx-thao-qua/"),
    ]
    assert listed("/en/") == [
        ("HTX Chè", "/en/cooperatives/htx-che/"),
        ("Black cardamom cooperative", "/en/cooperatives/htx-thao-qua/"),
    ]


# Adding a language ------------------------------------------------------------------------------


def base_settings():
    """The settings module run afresh (reading the environment as it is now), as a dict."""
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings" / "base.py"))


def test_site_languages_setting_is_parsed_into_languages(monkeypatch):
    monkeypatch.setenv("SITE_LANGUAGES", "vi:Tiếng Việt, en:English ,hmn:Hmoob,ium:Iu Mienh,broken")

    values = base_settings()

    assert values["LANGUAGES"] == [
        ("vi", "Tiếng Việt"),
        ("en", "English"),
        ("hmn", "Hmoob"),
        ("ium", "Iu Mienh"),
    ]
    assert values["WAGTAIL_CONTENT_LANGUAGES"] == values["LANGUAGES"]
    # The admin stays in the languages Wagtail has catalogues for.
    assert values["WAGTAILADMIN_PERMITTED_LANGUAGES"] == [("vi", "Tiếng Việt"), ("en", "English")]
    assert values["LANGUAGE_CODE"] == "vi"


def test_default_languages_are_vietnamese_english_and_hmong(monkeypatch):
    monkeypatch.delenv("SITE_LANGUAGES", raising=False)

    assert base_settings()["LANGUAGES"] == list(LANGUAGE_NAMES.items())


def test_an_added_language_appears_in_the_switcher_and_serves_pages(client, home, tmp_path):
    # What `manage.py translations` makes for a new language: a catalogue (Django serves a language
    # only where one exists), here still empty.
    catalogue = tmp_path / "ium" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    empty = polib.POFile()
    empty.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ium"}
    empty.save_as_mofile(str(catalogue / "django.mo"))
    added = [*settings.LANGUAGES, ("ium", "Iu Mienh")]

    with override_settings(LANGUAGES=added, WAGTAIL_CONTENT_LANGUAGES=added, LOCALE_PATHS=[tmp_path]):
        page = soup(client.get("/"))
        links = switcher_links(page)
        assert [a.get_text(strip=True) for a in links] == [*LANGUAGE_NAMES.values(), "Iu Mienh"]
        assert (links[-1]["lang"], links[-1]["hreflang"]) == ("ium", "ium")

        response = client.get(links[-1]["href"], follow=True)

        assert response.redirect_chain == [("/ium/", 302)]
        page = soup(response)
        assert page.html["lang"] == "ium"
        # No Dao words yet: the interface falls back to Vietnamese, the page says it is Vietnamese.
        assert page.select_one("a.skip").get_text() == "Bỏ qua, đến nội dung"
        assert page.select_one("main a.button")["href"] == "/ium/shop/"
        assert notice(page).startswith("Trang này chưa được dịch")
