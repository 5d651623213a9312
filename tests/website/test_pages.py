"""HomePage, the shared layout, the not-found page and the story blocks every page type uses
(paragraph, quote, audio, image)."""

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.views.defaults import server_error

from wagtail.models import Collection, Page

from growers.models import CooperativeIndexPage, GrowingAreaIndexPage
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ShopPage
from tests.helpers import soup
from website.models import HomePage, SiteSettings


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


# Page tree ---------------------------------------------------------------------------------


def test_home_page_sits_at_the_root_and_holds_the_indexes_and_the_shop():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert set(HomePage.allowed_subpage_models()) == {CooperativeIndexPage, ShopPage, GrowingAreaIndexPage}


def test_only_one_home_page(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())


# HomePage ----------------------------------------------------------------------------------


def test_home_page_renders_intro_shop_link_and_cooperatives(client, home, coop1, coop2):
    home.intro = "<p>Đặc sản <b>Sì Lở Lầu</b>.</p>"
    home.save()

    page = soup(client.get("/"))

    assert page.h1.get_text() == home.title
    assert page.select_one(".lead b").get_text() == "Sì Lở Lầu"
    assert page.select_one('main a.button[href="/shop/"]')
    links = page.select("main ul.plain-list a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        (coop2.title, coop2.url),
        (coop1.title, coop1.url),
    ]


def test_home_page_features_the_six_best_rated_live_products(client, home, coop1, coop2):
    for number, stars in enumerate([5, 3, None, 4, 5, 3, 4, None]):
        product = ProductPageFactory(
            parent=coop1 if number % 2 else coop2, title=f"Sản phẩm {number}", summary="", ocop_stars=stars
        )
        ProductVariantFactory(page=product, price=100000 + number)
    ProductPageFactory(parent=coop1, title="Sản phẩm nháp", summary="", ocop_stars=5, live=False)

    cards = soup(client.get("/")).select(".card")

    assert [card.select_one(".card-title").get_text() for card in cards] == [
        "Sản phẩm 0",
        "Sản phẩm 4",
        "Sản phẩm 3",
        "Sản phẩm 6",
        "Sản phẩm 1",
        "Sản phẩm 5",
    ]
    assert "HTX Chè Shan tuyết" in cards[0].get_text()  # each card names its cooperative


def test_home_page_without_products_has_no_featured_heading(client, home):
    page = soup(client.get("/"))

    assert "Sản phẩm nổi bật" not in page.get_text()
    assert page.select_one('a.button[href="/shop/"]')


def test_layout_has_inline_css_no_script_and_the_main_navigation(client, home):
    page = soup(client.get("/"))

    assert page.html["lang"] == "vi"
    assert page.find("style").get_text().strip()
    assert not page.find("script")
    assert not page.select('link[rel~="stylesheet"]')
    assert [a["href"] for a in page.select("header nav a")] == [
        "/cooperatives/",
        "/shop/",
        "/growing-areas/",
        "/cart/",
    ]
    assert page.select_one('a.skip[href="#main"]') and page.select_one("main#main")


def test_sample_data_notice_and_contact_phone_appear_on_every_page(client, home, shop):
    settings = SiteSettings.for_site(home.get_site())
    settings.sample_data_notice = "Dữ liệu mẫu, không phải hàng thật."
    settings.contact_phone = "0912345678"
    settings.save()

    for url in ["/", "/shop/"]:
        page = soup(client.get(url))
        sample = page.select_one(".sample")
        assert sample.get_text(" ", strip=True) == "Dữ liệu mẫu, không phải hàng thật."
        assert sample.select_one('svg.icon[aria-hidden="true"]')  # the warning pictogram beside the words
        assert page.select_one('footer a[href="tel:0912345678"]')


def test_unknown_address_shows_the_site_not_found_page(client, home):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(" ", strip=True) == "Không tìm thấy trang"
    assert page.select_one('a[href="/shop/"]')


def test_not_found_page_in_english_keeps_the_visitor_in_english(client, home):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1.get_text(" ", strip=True) == "Page not found"
    assert [(a.get_text(" ", strip=True), a["href"]) for a in page.select("main a.button")] == [
        ("Go to the home page", "/en/"),
        ("See the shop", "/en/shop/"),
    ]


@pytest.mark.parametrize(
    ("language", "heading", "home_link"),
    [("vi", "Có lỗi xảy ra", "/"), ("en", "Something went wrong", "/en/"), ("hmn", "Có lỗi xảy ra", "/hmn/")],
)
def test_server_error_page_stands_alone_in_the_visitors_language(rf, language, heading, home_link):
    # Rendered without the database (it may be what failed): no query allowed here.
    with translation.override(language):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == language
    assert page.h1.get_text() == heading
    assert page.select_one("a")["href"] == home_link


# Story blocks ------------------------------------------------------------------------------


def render_story(client, coop, blocks):
    product = ProductPageFactory(parent=coop, summary="", description=blocks)
    return soup(client.get(product.url)).select_one(".story")


def test_paragraph_block_renders_rich_text(client, coop1):
    story = render_story(
        client, coop1, [{"type": "paragraph", "value": "<p>Độ cao <i>1.800 m</i>.</p><ul><li>Khô</li></ul>"}]
    )

    assert story.select_one(".prose p i").get_text() == "1.800 m"
    assert story.select_one(".prose ul li").get_text() == "Khô"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({"text": "Thảo quả nhà tôi phơi trên gác bếp.", "attribution": "Lý A Sử"}, "— Lý A Sử"),
        ({"text": "Thảo quả nhà tôi phơi trên gác bếp.", "attribution": ""}, None),
    ],
)
def test_quote_block_renders_text_and_optional_attribution(client, coop1, value, shown):
    quote = render_story(client, coop1, [{"type": "quote", "value": value}]).blockquote

    assert quote.p.get_text() == "Thảo quả nhà tôi phơi trên gác bếp."
    if shown:
        assert quote.footer.get_text() == shown
    else:
        assert quote.footer is None


def test_audio_block_renders_a_player_with_a_download_link(client, coop1, root_collection):
    recording = wagtail_factories.DocumentFactory(
        title="Giới thiệu bằng tiếng Mông",
        collection=root_collection,
        file=ContentFile(b"ID3\x03\x00\x00\x00\x00\x00\x00", name="gioi-thieu.mp3"),
    )

    story = render_story(
        client,
        coop1,
        [
            {
                "type": "audio",
                "value": {"audio": recording.pk, "caption": "Cách phơi thảo quả", "language": "hmn"},
            }
        ],
    )
    audio = story.select_one("figure.audio audio")

    assert audio["src"] == recording.url
    assert audio["lang"] == "hmn"
    assert audio["preload"] == "none"  # nothing is downloaded until the buyer presses play
    assert audio.has_attr("controls")
    assert audio.a["href"] == recording.url  # for browsers without <audio>
    caption = story.select_one("figure.audio figcaption")
    # The listen pictogram and the word "Nghe" (listen) for people who read little, the spoken
    # language named in its own words.
    assert caption.get_text(" ", strip=True) == "Nghe: Cách phơi thảo quả (Hmoob)"
    assert caption.select_one('svg.icon[aria-hidden="true"]') == listen_icon()
    assert caption.select_one("span[lang=hmn]").get_text() == "(Hmoob)"
    assert client.get(recording.url).status_code == 200


def test_audio_block_without_caption_has_a_default_one(client, coop1, root_collection):
    recording = wagtail_factories.DocumentFactory(
        collection=root_collection, file=ContentFile(b"OggS", name="loi-chao.ogg")
    )

    story = render_story(
        client, coop1, [{"type": "audio", "value": {"audio": recording.pk, "caption": "", "language": "vi"}}]
    )

    assert (
        story.select_one("figure.audio figcaption").get_text(" ", strip=True)
        == "Nghe giới thiệu (Tiếng Việt)"
    )
    assert story.select_one("figure.audio figcaption svg") == listen_icon()


def test_audio_block_in_english_says_listen(client, coop1, root_collection):
    recording = wagtail_factories.DocumentFactory(
        collection=root_collection, file=ContentFile(b"OggS", name="loi-chao.ogg")
    )
    product = ProductPageFactory(
        parent=coop1,
        summary="",
        description=[{"type": "audio", "value": {"audio": recording.pk, "caption": "", "language": "hmn"}}],
    )

    story = soup(client.get("/en" + product.url)).select_one(".story")

    assert (
        story.select_one("figure.audio figcaption").get_text(" ", strip=True)
        == "Listen to the introduction (Hmoob)"
    )
    assert story.select_one("figure.audio audio a").get_text() == "Download the recording"
    assert story.select_one("figure.audio audio")["lang"] == "hmn"


def listen_icon():
    return BeautifulSoup(
        Template('{% load site_tags %}{% icon "listen" %}').render(Context()), "html.parser"
    ).svg


def test_image_block_renders_a_lazy_picture_with_its_alt_text(client, coop1, root_collection):
    photo = wagtail_factories.ImageFactory(
        collection=root_collection, file__width=1600, file__height=1200, title="IMG_2041"
    )

    story = render_story(
        client,
        coop1,
        [
            {
                "type": "image",
                "value": {"image": photo.pk, "alt_text": "Thảo quả phơi trên gác bếp", "decorative": False},
            }
        ],
    )
    picture = story.select_one("figure picture")

    assert [source["type"] for source in picture.select("source")] == ["image/avif", "image/webp"]
    assert (picture.img["width"], picture.img["height"]) == ("800", "600")
    assert picture.img["loading"] == "lazy"
    assert picture.img["alt"] == "Thảo quả phơi trên gác bếp"
    assert story.select_one("figure figcaption").get_text() == "Thảo quả phơi trên gác bếp"


def test_decorative_image_block_has_empty_alt_and_no_caption(client, coop1, root_collection):
    photo = wagtail_factories.ImageFactory(collection=root_collection, title="IMG_2042")

    story = render_story(
        client, coop1, [{"type": "image", "value": {"image": photo.pk, "alt_text": "", "decorative": True}}]
    )

    assert story.select_one("figure img")["alt"] == ""
    assert story.select_one("figure figcaption") is None


def test_story_blocks_render_in_order(client, coop1):
    story = render_story(
        client,
        coop1,
        [
            {"type": "quote", "value": {"text": "Một", "attribution": ""}},
            {"type": "paragraph", "value": "<p>Hai</p>"},
            {"type": "quote", "value": {"text": "Ba", "attribution": ""}},
        ],
    )

    assert [block.get_text(strip=True) for block in story.find_all(recursive=False)] == ["Một", "Hai", "Ba"]


# Pagination --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label", "previous", "position", "following"),
    [
        ("vi", "Trang", "Trang trước", "Trang 2 / 3", "Trang sau"),
        ("en", "Pages", "Previous page", "Page 2 of 3", "Next page"),
    ],
)
def test_pagination_in_each_language_keeps_the_other_parameters(
    language, label, previous, position, following
):
    page_obj = Paginator(range(30), 10).page(2)

    with translation.override(language):
        html = render_to_string(
            "includes/pagination.html", {"page_obj": page_obj, "query_without_page": "q=ch%C3%A8"}
        )
    nav = BeautifulSoup(html, "html.parser").select_one("nav.pagination")

    assert nav["aria-label"] == label
    prev_link, next_link = nav.select("a[rel=prev]")[0], nav.select("a[rel=next]")[0]
    assert (prev_link.get_text(" ", strip=True), prev_link["href"]) == (f"‹ {previous}", "?q=ch%C3%A8&page=1")
    assert (next_link.get_text(" ", strip=True), next_link["href"]) == (
        f"{following} ›",
        "?q=ch%C3%A8&page=3",
    )
    assert prev_link.select_one("span[aria-hidden=true]").get_text() == "‹"  # not read out
    assert position in nav.get_text()
