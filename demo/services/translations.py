"""Translations made as a translator makes them with Wagtail's "Translate" action."""

from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from demo.data.translations import TRANSLATION_LANGUAGES, TRANSLATIONS
from demo.services.run import SeedRun
from demo.specs import PageTranslation
from products.models import ProductPage
from website.models import HomePage

STREAM_FIELDS = ("description", "story")
# A translation shares the original's words only: its pack sizes (each GTIN is unique, and prices
# and stock live on the original) are not copied.
TRANSLATION_EXCLUDED_FIELDS = {ProductPage: ["variants"]}


def translated_stream(stream, spec: PageTranslation) -> list[tuple[str, object]]:
    """The original's blocks in their order, with the translation's paragraphs where the first
    Vietnamese paragraph was (no Vietnamese paragraph is left behind), its quote and its caption
    under each voice clip; pictures and the clips themselves are kept."""
    paragraphs = [("paragraph", RichText(html)) for html in spec.paragraphs]
    blocks = []
    for block in stream:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            blocks += paragraphs
            paragraphs = []
            continue
        if kind == "quote" and spec.quote:
            value = {"text": spec.quote[0], "attribution": spec.quote[1]}
        elif kind == "audio" and spec.voice_caption:
            value = {**value, "caption": spec.voice_caption}
        blocks.append((kind, value))
    return blocks + paragraphs


def ensure_translations(run: SeedRun, home: HomePage) -> None:
    locales = {code: ensure_locale(run, code) for code in TRANSLATION_LANGUAGES}
    for spec in TRANSLATIONS:
        ensure_translation(run, home, spec, locales[spec.language])


def ensure_locale(run: SeedRun, language_code: str) -> Locale:
    locale, created = Locale.objects.get_or_create(language_code=language_code)
    if created:
        run.changed(f"language {language_code}")
    return locale


def ensure_translation(run: SeedRun, home: HomePage, spec: PageTranslation, locale: Locale) -> None:
    """Translate the page once: a translation already there (by Wagtail's translation key) is
    left as the translator has it, and an original somebody removed is not recreated."""
    original: Page | None = home
    for slug in spec.path:
        original = original.get_children().filter(slug=slug).first()
        if original is None:
            return
    original = original.specific
    if original.get_translation_or_none(locale) is not None:
        return
    # A page with the translation's slug already in that language's tree (say, the English
    # registry page of a Vietnamese one somebody deleted and this run recreated) is somebody's
    # content: leave it, rather than let Wagtail add "growing-areas-2" beside it.
    parent = original.get_parent()
    if parent.is_root():  # Wagtail puts a home page's translation beside it as "home-en"
        translated_parent, slug = parent, f"{original.slug}-{locale.language_code}"
    else:
        translated_parent, slug = parent.get_translation_or_none(locale), original.slug
    if translated_parent is not None and translated_parent.get_children().filter(slug=slug).exists():
        return
    page = original.copy_for_translation(
        locale,
        # Parents missing in that language (Hmong has no cooperative pages) become aliases of
        # the Vietnamese ones, as with Wagtail's own "Translate" action.
        copy_parents=True,
        exclude_fields=TRANSLATION_EXCLUDED_FIELDS.get(type(original)),
    ).specific
    page.title = spec.title
    for name, value in spec.fields.items():
        setattr(page, name, value)
    for name in STREAM_FIELDS:
        if hasattr(page, name):
            setattr(page, name, translated_stream(getattr(page, name), spec))
    page.save_revision(user=run.admin).publish(user=run.admin)
    run.changed(f"{locale.language_code} translation of {original.url_path.removeprefix('/home')}")
