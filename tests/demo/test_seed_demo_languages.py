"""seed_demo in several languages: English and Hmong translations made as Wagtail's "Translate"
action makes them, products left untranslated on purpose, and spoken descriptions (issue 6).
Like test_seed_demo.py, these start from a freshly migrated database, seeded once for the module
(tests/demo/conftest.py)."""

from html.parser import HTMLParser

import pytest

from django.core.files.storage import default_storage

from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Revision

from demo.data.translations import TRANSLATIONS
from demo.data.voices import VOICE_THAO_QUA
from demo.services.media import voice_block_name
from growers.models import CooperativePage, GrowingAreaIndexPage
from products.models import ProductPage, ProductVariant
from tests.demo.conftest import seed_demo
from traceability.models import BatchPage

TQ_COOP = "htx-thao-qua-si-lo-lau"
ENGLISH_TITLES = {
    "thao-qua-kho": "Black cardamom (thảo quả)",
    "sam-lai-chau": "Lai Châu ginseng",
    "che-shan-tuyet-co-thu": "Shan Tuyết tea",
}
VIETNAMESE_TITLES = {
    "thao-qua-kho": "Thảo quả khô Sì Lở Lầu",
    "sam-lai-chau": "Sâm Lai Châu",
    "che-shan-tuyet-co-thu": "Chè Shan tuyết cổ thụ",
}
UNTRANSLATED_TITLES = ("Đương quy khô", "Mật ong rừng", "Măng khô")


def seed() -> str:
    return seed_demo("--force")


def vietnamese_product(slug: str) -> ProductPage:
    return ProductPage.objects.get(slug=slug, locale=Locale.get_default())


class AudioTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "audio":
            self.found.append(dict(attrs))


def audio_tags(html: str) -> list[dict[str, str | None]]:
    parser = AudioTags()
    parser.feed(html)
    return parser.found


def translation_counts() -> dict[str, int]:
    return {
        "locales": Locale.objects.count(),
        "pages": Page.objects.count(),
        "translated pages": Page.objects.exclude(locale=Locale.get_default()).count(),
        "revisions": Revision.objects.count(),
        "documents": get_document_model().objects.count(),
        "variants": ProductVariant.objects.count(),
    }


def test_english_and_hmong_translations_of_the_chosen_pages(seeded):
    english, hmong = (Locale.objects.get(language_code=code) for code in ("en", "hmn"))

    english_products = ProductPage.objects.filter(locale=english)
    assert dict(english_products.values_list("slug", "title")) == ENGLISH_TITLES
    assert set(CooperativePage.objects.filter(locale=english).values_list("title", flat=True)) == {
        "Sì Lở Lầu Cardamom Cooperative",
        "Lả Dì Thàng Shan Tuyết Tea Cooperative",
    }
    for page in Page.objects.filter(locale=english).specific():
        original = page.get_translation(Locale.get_default())
        assert page.live and page.live_revision_id, page
        assert page.title != original.title, f"{page.url_path} was copied but not translated"
    # Translations share the original's words only: pack sizes, prices and stock stay on it.
    for product in english_products:
        assert not product.variants.exists()
        assert vietnamese_product(product.slug).variants.exists()
    # Batches carry the traceability record and are never translated.
    assert not BatchPage.objects.exclude(locale=Locale.get_default()).exists()

    assert ProductPage.objects.get(locale=hmong, alias_of=None).slug == "thao-qua-kho"
    assert "Sì Lở Lầu" in Page.objects.get(locale=hmong, depth=2).title
    assert {spec.language for spec in TRANSLATIONS} == {"en", "hmn"}


@pytest.mark.parametrize("url", ["/en/", "/en/shop/"])
def test_english_lists_show_english_titles_and_vietnamese_ones_for_untranslated_products(seeded, client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    for title in ENGLISH_TITLES.values():
        assert title in html, title
    for title in UNTRANSLATED_TITLES:
        assert title in html, title
    # Each translated product appears once, in English, not beside its Vietnamese original.
    for title in VIETNAMESE_TITLES.values():
        assert title not in html, title


def test_translated_cooperative_is_served_in_english(seeded, client):
    response = client.get(f"/en/cooperatives/{TQ_COOP}/")

    assert response.status_code == 200
    page = response.context["page"]
    assert page.locale.language_code == "en" and page.slug == TQ_COOP
    html = response.content.decode()
    assert "Sì Lở Lầu Cardamom Cooperative" in html
    assert "founded the cooperative in 2016" in html
    assert "Hợp tác xã được các hộ" not in html  # no Vietnamese story paragraph left behind
    assert 'class="untranslated"' not in html


def test_untranslated_product_is_shown_in_vietnamese_with_the_notice(seeded, client):
    response = client.get(f"/en/cooperatives/{TQ_COOP}/duong-quy-kho/")

    assert response.status_code == 200
    assert response.context["page"].locale == Locale.get_default()
    html = response.content.decode()
    assert "Đương quy khô" in html
    assert 'class="untranslated"' in html


def test_thao_qua_page_plays_its_voice_clip(seeded, client):
    product = vietnamese_product("thao-qua-kho")

    html = client.get(product.url).content.decode()

    (audio,) = audio_tags(html)
    assert audio["preload"] == "none"
    assert audio["lang"] == "vi"
    document = get_document_model().objects.get(title=VOICE_THAO_QUA.title)
    assert audio["src"] == document.url
    assert default_storage.exists(document.file.name)
    with document.open_file() as clip:
        data = clip.read()
    assert data.startswith(b"OggS") and b"OpusHead" in data[:64]
    assert len(data) < 60_000 and document.file_size == len(data)
    # The caption is the clip's transcript, for whoever cannot hear it.
    assert "hái khi quả chín đỏ" in html

    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == data


def test_translations_keep_the_vietnamese_clip_with_a_caption_in_their_language(seeded, client):
    document = get_document_model().objects.get(title=VOICE_THAO_QUA.title)
    english = client.get(f"/en/cooperatives/{TQ_COOP}/thao-qua-kho/").content.decode()
    hmong = client.get(f"/hmn/cooperatives/{TQ_COOP}/thao-qua-kho/").content.decode()

    for html in (english, hmong):
        (audio,) = audio_tags(html)
        assert audio["src"] == document.url and audio["lang"] == "vi" and audio["preload"] == "none"
    assert "picked when the pods are ripe and red" in english
    assert "Black cardamom (thảo quả)" in english
    assert "Thảo quả qhuav" in hmong


def test_sam_lai_chau_has_its_voice_clip(seeded):
    product = vietnamese_product("sam-lai-chau")

    (block,) = [block for block in product.description if block.block_type == "audio"]

    assert block.value["audio"].file.name.endswith(".ogg")
    assert block.value["language"] == "vi"


def test_batch_voice_clip_where_the_model_has_one(seeded):
    block_name = voice_block_name(BatchPage)
    if block_name is None:
        pytest.skip("BatchPage has no `voice` StreamField yet; seed_demo skips the batch clip")
    batch = BatchPage.objects.get(lot="TQ2026-01")
    (block,) = list(batch.voice)
    assert block.block_type == block_name
    assert block.value["audio"].file.name.endswith(".ogg")


def test_second_run_adds_no_translations(seeded):
    before = translation_counts()

    output = seed()

    assert translation_counts() == before
    assert "nothing changed" in output


def test_run_on_a_site_seeded_before_languages_adds_them_once(seeded):
    # What a database seeded before issue 6 looked like: one language, no clips.
    for home in Page.objects.filter(depth=2).exclude(locale=Locale.get_default()):
        home.delete()
    Locale.objects.exclude(pk=Locale.get_default().pk).delete()
    get_document_model().objects.all().delete()
    for slug in ("thao-qua-kho", "sam-lai-chau"):
        product = vietnamese_product(slug)
        product.description = [
            (b.block_type, b.value) for b in product.description if b.block_type != "audio"
        ]
        product.save_revision().publish()
    revisions = Revision.objects.count()
    vietnamese_products = ProductPage.objects.filter(locale=Locale.get_default()).count()

    output = seed()

    assert "en translation of /cooperatives/" in output and "hmn translation of /" in output
    assert "Thảo quả khô Sì Lở Lầu plays" in output and "Sâm Lai Châu plays" in output
    assert Locale.objects.count() == 3
    assert dict(ProductPage.objects.filter(locale__language_code="en").values_list("slug", "title")) == (
        ENGLISH_TITLES
    )
    assert ProductPage.objects.filter(locale=Locale.get_default()).count() == vietnamese_products
    # The clip is added to the original first, so the English copy has it too, captioned in English.
    english = ProductPage.objects.get(slug="thao-qua-kho", locale__language_code="en")
    (clip,) = [b for b in english.description if b.block_type == "audio"]
    assert "ripe and red" in clip.value["caption"]
    # Each product's clip once, each translation once.
    for slug in ("thao-qua-kho", "sam-lai-chau"):
        blocks = [b.block_type for b in vietnamese_product(slug).description]
        assert blocks.count("audio") == 1, slug
    assert revisions < Revision.objects.count()
    assert "nothing changed" in seed()


def test_rerun_after_an_original_was_deleted_adds_no_second_translation_beside_the_old_one(seeded):
    GrowingAreaIndexPage.objects.get(locale=Locale.get_default()).delete()

    seed()

    # The Vietnamese registry page is back; the English one already at /en/growing-areas/ is left
    # as it is, with no "growing-areas-2" beside it.
    assert GrowingAreaIndexPage.objects.get(locale=Locale.get_default()).url == "/growing-areas/"
    english = GrowingAreaIndexPage.objects.filter(locale__language_code="en")
    assert list(english.values_list("slug", flat=True)) == ["growing-areas"]
    assert "nothing changed" in seed()
