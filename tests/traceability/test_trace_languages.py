"""The trace page in the buyer's language (issue 6), seen from the outside: /t/<code> and the GS1
link carry no language, so the cookie, then the phone's Accept-Language, chooses it; the
interface is translated (Hmong falls back to Vietnamese), the product's and cooperative's words
come from their translation where there is one, the batch's own words stay Vietnamese marked
lang="vi", links stay in the buyer's language, every event type and verdict has its pictogram
beside its words, a spoken description plays only when pressed, translating a product never
copies its batches, and the budget (14,000 bytes gzip, constant queries) holds in English."""

import datetime
import gzip
import re

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Collection, Page
from wagtail.rich_text import RichText

from growers.factories import suspend
from tests.helpers import translate
from tests.traceability.conftest import pictograms
from traceability.codes import new_short_code
from traceability.models import BatchPage
from website.factories import UserFactory

pytestmark = pytest.mark.usefixtures("fresh_locale_ids")

GZIP_BUDGET = 14_000
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}
# The emoji the templates used before pictograms (and their neighbours in Unicode).
EMOJI = re.compile("[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
EVENT_WORDS = {
    "planting": ("Trồng, chăm sóc", "Planting"),
    "harvest": ("Thu hoạch", "Harvest"),
    "processing": ("Sấy, chế biến", "Drying or processing"),
    "packing": ("Đóng gói", "Packing"),
    "inspection": ("Kiểm tra", "Inspection"),
    "shipping": ("Vận chuyển", "Shipping"),
    "other": ("Khác", "Other"),
}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def trace(client, batch, **headers):
    response = client.get(f"/t/{batch.short_code}", **headers)
    assert response.status_code == 200
    return response


def headings(soup):
    return [h.get_text(" ", strip=True) for h in soup.find_all("h2")]


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def audio_document(title="Lời kể"):
    return wagtail_factories.DocumentFactory(collection=Collection.get_first_root_node(), title=title)


# Choosing the language ----------------------------------------------------------------------------


def test_accept_language_en_gives_the_english_trace_page(client, batch, english):
    response = trace(client, batch, **EN)
    soup = soup_of(response)

    assert soup.html["lang"] == "en"
    assert response["Content-Language"] == "en"
    assert {"accept-language", "cookie"} <= vary(response)
    assert {"About this batch", "Where it was grown", "The batch's journey"} <= set(headings(soup))
    assert "Thông tin lô hàng" not in soup.get_text()
    verdict = " ".join(soup.select_one("section.verdict").get_text().split())
    assert "Growing-area code VN-SLL-0001 is registered and valid until" in verdict
    assert f"lot {batch.lot}" in soup.h1.get_text()
    # The interface is English: no "not translated" notice, no lang="vi" around the whole page.
    assert soup.select_one(".untranslated") is None
    assert soup.select_one("main > div[lang]") is None


def test_without_cookie_or_accept_language_the_trace_page_is_vietnamese(client, batch):
    response = trace(client, batch)
    soup = soup_of(response)

    assert soup.html["lang"] == "vi"
    assert "Thông tin lô hàng" in headings(soup)
    assert {"accept-language", "cookie"} <= vary(response)


def test_language_cookie_wins_over_accept_language(client, batch, english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    soup = soup_of(trace(client, batch, HTTP_ACCEPT_LANGUAGE="vi"))

    assert soup.html["lang"] == "en"
    assert "About this batch" in headings(soup)


def test_gs1_digital_link_answers_in_the_accept_language_too(client, batch, english):
    response = client.get(f"/01/96385074/10/{batch.lot}", **EN)

    assert response.status_code == 200
    assert soup_of(response).html["lang"] == "en"
    assert "accept-language" in vary(response)


def test_hmong_reader_gets_the_vietnamese_interface_where_hmong_has_no_translation(client, batch, hmong):
    soup = soup_of(trace(client, batch, HTTP_ACCEPT_LANGUAGE="hmn"))

    assert soup.html["lang"] == "hmn"
    assert {"Thông tin lô hàng", "Nơi sản xuất", "Hành trình của lô hàng"} <= set(headings(soup))
    assert "About this batch" not in soup.get_text()


def test_unknown_code_page_in_english_keeps_its_links_in_english(client, registry, english):
    response = client.get("/t/XXXXXXXX", **EN)
    soup = soup_of(response)

    assert response.status_code == 404
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(" ", strip=True) == "This code is not in our records"
    assert pictograms(soup.h1) == ["warning"]
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select("a.button")}
    assert links == {"Look up a growing-area code": "/en/growing-areas/", "Visit the shop": "/en/shop/"}


def test_unknown_code_page_in_vietnamese_is_as_before(client, registry):
    soup = soup_of(client.get("/t/XXXXXXXX"))

    assert soup.title.get_text().startswith("Mã truy xuất không có trong hệ thống")
    assert soup.h1.get_text(" ", strip=True) == "Mã này không có trong hệ thống"
    assert "Mã bạn quét hoặc gõ: XXXXXXXX" in " ".join(soup.get_text().split())
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select("a.button")}
    assert links == {"Tra cứu mã số vùng trồng": "/growing-areas/", "Xem cửa hàng": "/shop/"}


# The product's and cooperative's words, the batch's words, the links ----------------------------------


def test_english_trace_page_shows_the_product_from_its_english_translation(
    client, batch, product, english, make_events
):
    make_events(batch, 1, photos=False)
    translated = translate(
        product, english, title="Dried black cardamom", summary="Sun and smoke dried.", copy_parents=True
    )

    soup = soup_of(trace(client, batch, **EN))

    assert soup.h1.get_text(" ", strip=True) == f"Dried black cardamom · lot {batch.lot}"
    assert soup.title.get_text().startswith(f"Dried black cardamom – lot {batch.lot}")
    product_link = soup.select_one("dl.facts a")
    assert product_link.get_text() == "Dried black cardamom"
    assert product_link["href"] == translated.url and product_link["href"].startswith("/en/")
    assert not product_link.has_attr("lang")
    assert "Sun and smoke dried." in soup.select_one("dl.facts").get_text()
    # The batch is not translated: its own words are Vietnamese and say so.
    assert soup.select_one("ol.events li p[lang=vi]").get_text().startswith("Bước 1")
    # The cooperative has no translation (only an alias made for the product's sake): its
    # Vietnamese name is marked as such.
    assert soup.select_one('dl.facts span[lang="vi"]').get_text() == "HTX Thảo quả Sì Lở Lầu"


def test_english_trace_page_names_the_cooperative_from_its_english_translation(
    client, make_batch, coop1, english, registry
):
    translate(coop1, english, title="Sì Lở Lầu Cardamom Cooperative", copy_parents=True)
    batch = make_batch(lot="RECALL-EN", recalled_on=timezone.localdate(), recall_reason="Nấm mốc.")

    soup = soup_of(trace(client, batch, **EN))

    producer = soup.find("dt", string="Producer").find_next_sibling("dd")
    assert producer.get_text(" ", strip=True).startswith("Sì Lở Lầu Cardamom Cooperative")
    assert producer.find(string="Sì Lở Lầu Cardamom Cooperative").parent.name == "dd"  # no lang="vi"
    verdict = " ".join(soup.select_one("section.verdict").get_text().split())
    assert "Contact Sì Lở Lầu Cardamom Cooperative to exchange or return them." in verdict
    assert soup.select_one("section.verdict span[lang=vi]").get_text() == "Nấm mốc."


def test_untranslated_product_is_shown_in_vietnamese_marked_lang_vi_with_links_in_english(
    client, batch, product, english
):
    soup = soup_of(trace(client, batch, **EN))

    title = soup.h1.find("span", lang="vi")
    assert title.get_text() == "Thảo quả khô"
    product_link = soup.select_one("dl.facts a")
    assert product_link["lang"] == "vi"
    assert product_link["href"] == "/en" + product.url
    # The English address of an untranslated product serves the Vietnamese page (FallbackRouteMixin).
    assert client.get(product_link["href"]).status_code == 200
    area_link = soup.select_one("a.code")
    assert area_link["href"] == "/en/growing-areas/VN-SLL-0001/"
    assert "Sì Lở Lầu village, Sì Lở Lầu commune" in soup.get_text()


def test_vietnamese_trace_page_marks_nothing_as_another_language(client, batch, product, make_events):
    make_events(batch, 2, photos=False)

    soup = soup_of(trace(client, batch))

    assert soup.select("main [lang]") == []
    assert soup.select_one("a.code")["href"] == "/growing-areas/VN-SLL-0001/"


# Pictograms beside words ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_event_type_shows_its_pictogram_and_its_words(client, batch, make_events, english, language):
    make_events(batch, len(EVENT_WORDS), photos=False)  # one of each type, in this order

    soup = soup_of(trace(client, batch, HTTP_ACCEPT_LANGUAGE=language))

    items = soup.select("ol.events > li")
    assert len(items) == len(EVENT_WORDS)
    for item, (kind, (vietnamese, english_words)) in zip(items, EVENT_WORDS.items(), strict=True):
        assert pictograms(item.h3) == [kind]
        assert item.h3.find("svg")["aria-hidden"] == "true"
        assert item.h3.get_text(" ", strip=True) == (vietnamese if language == "vi" else english_words)


def test_verdicts_certifications_lab_tests_phones_and_places_have_their_pictograms(client, make_batch, coop1):
    from traceability.models import BatchCertification, LabTest

    coop1.phone = "0213 3890 111"
    coop1.save_revision().publish()
    batch = make_batch(lot="PICTO-1")
    BatchCertification.objects.create(batch=batch, scheme="vietgap", number="VG-77")
    LabTest.objects.create(batch=batch, title="Độ ẩm", result="Đạt")

    soup = soup_of(trace(client, batch))

    # The verdict's large pictogram, then the code's line (issue 18).
    assert pictograms(soup.select_one("section.verdict")) == ["valid", "valid"]
    facts = soup.select_one("dl.facts")
    assert "place" in pictograms(facts) and "phone" in pictograms(facts)
    phone_link = facts.select_one('a[href^="tel:"]')
    assert pictograms(phone_link) == ["phone"] and "0213 3890 111" in phone_link.get_text()
    lists = soup.select("ul.plain-list")
    assert "place" in pictograms(lists[0])
    assert pictograms(soup.find("h2", string="Chứng nhận").find_next("ul")) == ["certificate"]
    assert pictograms(soup.find("h2", string="Kết quả kiểm nghiệm").find_next("ul")) == ["lab"]


def test_recalled_and_warning_verdicts_have_their_pictograms(client, make_batch, area, registry):
    recalled = make_batch(lot="RECALLED-1", recalled_on=area.issued_on, recall_reason="Nấm mốc.")
    # Suspended before the harvest: not valid at harvest (issue 18).
    suspend(area, effective_date=area.issued_on + datetime.timedelta(days=1))
    warned = make_batch(lot="WARNED-1")

    recalled_verdict = soup_of(trace(client, recalled)).select_one("section.verdict")
    warned_verdict = soup_of(trace(client, warned)).select_one("section.verdict")

    assert pictograms(recalled_verdict)[0] == "recalled"
    assert pictograms(warned_verdict)[0] == "warning"
    assert "suspended" in pictograms(warned_verdict)  # the code's status, beside its word


def test_trace_page_has_no_emoji_left(client, make_batch, make_events, registry, area):
    suspend(area)
    batch = make_batch(lot="EMOJI-1", package_count=1)
    batch.voice = [("audio", {"audio": audio_document(), "caption": "", "language": "vi"})]
    batch.save_revision().publish()
    make_events(batch, len(EVENT_WORDS), photos=False)
    for n in range(5):  # more people in more places than labels: the "copied labels" warning too
        client.cookies.clear()
        trace(client, batch, REMOTE_ADDR=f"198.51.{n}.20")

    for language in ("vi", "en"):
        html = trace(client, batch, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "Có thể có nhãn bị sao chép" in html or "Labels may have been copied" in html
        assert "<audio" in html
        assert EMOJI.findall(html) == []


def test_figures_are_big(client, batch):
    facts = soup_of(trace(client, batch)).select_one("dl.facts")

    figures = [f.get_text(" ", strip=True) for f in facts.select(".figure")]
    assert "250 kg" in figures and "500 gói" in figures
    assert batch.best_before.strftime("%d/%m/%Y") in figures


# The spoken description ---------------------------------------------------------------------------------


def test_batch_voice_clip_plays_only_when_pressed(client, batch, english):
    document = audio_document()
    batch.voice = [("audio", {"audio": document, "caption": "Chị Mai kể về lô này", "language": "hmn"})]
    batch.save_revision().publish()

    for language in ("vi", "en"):
        soup = soup_of(trace(client, batch, HTTP_ACCEPT_LANGUAGE=language))
        audio = soup.find("audio")
        assert audio is not None
        assert audio["preload"] == "none" and audio.has_attr("controls")
        assert audio["src"] == document.url
        assert soup.find("script") is None
        listen = audio.find_previous("h2")
        assert pictograms(listen) == ["listen"]
    assert listen.get_text(" ", strip=True) == "Listen"


def test_product_audio_blocks_play_on_the_trace_page_after_the_batch_voice(client, batch, product):
    batch_clip, product_clip = audio_document("lô"), audio_document("sản phẩm")
    batch.voice = [("audio", {"audio": batch_clip, "caption": "", "language": "vi"})]
    batch.save_revision().publish()
    product.description = [
        ("paragraph", RichText("<p>Thảo quả trồng dưới tán rừng.</p>")),
        ("audio", {"audio": product_clip, "caption": "Giới thiệu sản phẩm", "language": "hmn"}),
    ]
    product.save_revision().publish()

    sources = [audio["src"] for audio in soup_of(trace(client, batch)).find_all("audio")]

    assert sources == [batch_clip.url, product_clip.url]
    assert all(a["preload"] == "none" for a in soup_of(trace(client, batch)).find_all("audio"))


def test_no_audio_element_without_a_recording(client, batch):
    soup = soup_of(trace(client, batch))

    assert soup.find("audio") is None
    assert "Nghe" not in headings(soup)


def test_batch_accepts_at_most_three_voice_clips(batch):
    block = BatchPage._meta.get_field("voice").stream_block
    clip = {"type": "audio", "value": {"audio": audio_document().pk, "caption": "", "language": "vi"}}

    assert len(block.clean(block.to_python([clip] * 3))) == 3
    with pytest.raises(ValidationError):
        block.clean(block.to_python([clip] * 4))


# Translating a product never copies its batches ------------------------------------------------------------


def test_translating_a_product_with_its_subtree_does_not_duplicate_its_batches(
    client, batch, make_batch, product, english
):
    second = make_batch(lot="TQ2026-02")
    draft = make_batch(lot="TQ2026-03")
    draft.unpublish()  # walk() copies a draft child from its latest revision, a live one from its row
    codes = set(BatchPage.objects.values_list("short_code", flat=True))

    translated = CopyPageForTranslationAction(
        product, english, copy_parents=True, include_subtree=True
    ).execute(skip_permission_checks=True)

    assert translated.locale == english and translated.title == product.title
    assert translated.get_children().count() == 0
    assert set(BatchPage.objects.values_list("short_code", flat=True)) == codes
    assert BatchPage.objects.count() == 3
    for each in (batch, second):
        assert trace(client, each).context["batch"].pk == each.pk


def test_translating_a_product_with_its_subtree_in_the_admin_does_not_duplicate_its_batches(
    client, batch, product, english
):
    CopyPageForTranslationAction(product.get_parent(), english, copy_parents=True).execute(
        skip_permission_checks=True
    )
    client.force_login(UserFactory(is_superuser=True))

    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[product.pk]),
        {"locales": [english.pk], "include_subtree": "on"},
    )

    assert response.status_code == 302
    assert product.get_translations().filter(locale=english).exists()
    assert BatchPage.objects.count() == 1
    assert not BatchPage.objects.filter(locale=english).exists()


def test_asking_the_admin_to_translate_a_batch_alone_explains_instead(client, batch, english):
    CopyPageForTranslationAction(batch.get_parent(), english, copy_parents=True).execute(
        skip_permission_checks=True
    )
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("simple_translation:submit_page_translation", args=[batch.pk])

    for response in (client.get(url), client.post(url, {"locales": [english.pk]})):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[batch.pk])
    assert BatchPage.objects.count() == 1
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[batch.pk])).content.decode()
    assert "Lô hàng không được dịch" in edit_page


def test_copying_a_batch_for_translation_makes_nothing(batch, english):
    CopyPageForTranslationAction(batch.get_parent(), english, copy_parents=True).execute(
        skip_permission_checks=True
    )

    assert batch.copy_for_translation(english) is None
    assert BatchPage.objects.count() == 1


def test_an_ordinary_copy_of_a_batch_is_still_made(batch):
    copied = batch.copy(update_attrs={"slug": "lot-copy", "title": "Bản sao", "short_code": new_short_code()})

    assert isinstance(copied, BatchPage) and copied.pk != batch.pk
    assert copied.lot == batch.lot and copied.short_code != batch.short_code
    assert list(copied.growing_areas.all()) == list(batch.growing_areas.all())


# The budget holds in English (DESIGN §5) -----------------------------------------------------------------


def test_english_trace_page_with_30_photographed_events_stays_within_14000_gzip_bytes(
    client, batch, product, make_events, english
):
    translate(
        product, english, title="Dried black cardamom", summary="Sun and smoke dried.", copy_parents=True
    )
    make_events(batch, 30)

    response = trace(client, batch, **EN)
    size = len(gzip.compress(response.content))

    print(f"English trace page with 30 events: {len(response.content)} bytes, {size} bytes gzip")
    assert soup_of(response).html["lang"] == "en"
    assert size <= GZIP_BUDGET


@override_settings(PAGE_CACHE_SECONDS=0)  # the page rendered, not its cached copy
def count_queries(client, batch, **headers) -> int:
    trace(client, batch, **headers)  # renditions, the day's scan row and the locale ids are made first
    with CaptureQueriesContext(connection) as queries:
        trace(client, batch, **headers)
    return len(queries)


@pytest.mark.parametrize("headers", [EN, {"HTTP_ACCEPT_LANGUAGE": "hmn"}])
def test_translated_trace_page_makes_the_same_number_of_queries_for_1_and_30_events(
    client, make_batch, make_events, product, registry, english, hmong, headers
):
    translate(product, english, title="Dried black cardamom", copy_parents=True)
    one, thirty = make_batch(lot="ONE"), make_batch(lot="THIRTY")
    make_events(one, 1)
    make_events(thirty, 30)

    for_one, for_thirty = count_queries(client, one, **headers), count_queries(client, thirty, **headers)
    vietnamese = count_queries(client, one)

    print(f"trace page queries: {for_one} ({headers}), {vietnamese} (vi)")
    assert for_one == for_thirty
    # The translations of the product and the cooperative: one query, only when not Vietnamese.
    assert for_one <= vietnamese + 1


def test_translated_root_is_not_needed_for_the_english_trace_page(client, batch, english):
    assert not Page.objects.filter(locale=english).exists()

    assert soup_of(trace(client, batch, **EN)).html["lang"] == "en"
