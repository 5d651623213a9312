"""Pictograms: the `icon` tag draws a small inline SVG, hidden from screen readers beside words,
named when it stands alone; and no template prints emoji, which basic phones draw differently
or not at all."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from website.management.commands.translations import APPS

ICONS = [
    "valid",
    "suspended",
    "revoked",
    "expired",
    "recalled",
    "warning",
    "planting",
    "harvest",
    "processing",
    "packing",
    "inspection",
    "shipping",
    "other",
    "cart",
    "certificate",
    "lab",
    "phone",
    "place",
    "listen",
    "language",
    "home",
    "shop",
    "cooperative",
    "registry",
    "scan",
    "info",
    "money",
    "card",
    "stock",
]
ICONS_DIR = Path(settings.BASE_DIR) / "website" / "icons"


def render(source: str, **context) -> str:
    return Template("{% load i18n site_tags %}" + source).render(Context(context))


def svg(html: str):
    found = BeautifulSoup(html, "html.parser").find_all("svg")
    assert len(found) == 1, html
    return found[0]


@pytest.mark.parametrize("name", ICONS)
def test_every_pictogram_is_a_small_plain_drawing(name):
    drawing = (ICONS_DIR / f"{name}.svg").read_text(encoding="utf-8")

    assert len(drawing.encode()) < 800  # inlined in pages with a 14 kB budget
    assert not re.search(r"<script|\son\w+\s*=|href|<image|<foreignObject|style=", drawing, re.IGNORECASE)
    icon = svg(render(f'{{% icon "{name}" %}}'))
    assert icon.find(True) is not None  # it draws something


def test_icon_beside_words_is_hidden_from_screen_readers():
    icon = svg(render('{% icon "valid" %}'))

    assert icon["aria-hidden"] == "true"
    assert icon["focusable"] == "false"
    assert "role" not in icon.attrs and "aria-label" not in icon.attrs and icon.title is None
    assert "icon" in icon["class"]
    assert (icon["width"], icon["height"], icon["viewbox"]) == ("24", "24", "0 0 24 24")
    assert icon["stroke"] == "currentColor"  # coloured like the words beside it


def test_icon_with_a_label_is_a_named_image():
    icon = svg(render('{% icon "recalled" label="Đã thu hồi" %}'))

    assert icon["role"] == "img"
    assert icon["aria-label"] == "Đã thu hồi"
    assert icon.title.get_text() == "Đã thu hồi"
    assert "aria-hidden" not in icon.attrs


def test_icon_label_is_translated_and_escaped():
    html = render('{% icon "warning" label=_("Language") %}')
    assert svg(html)["aria-label"] == "Ngôn ngữ"  # the site's language: Vietnamese

    html = render('{% icon "warning" label=text %}', text='<b onclick="x()">"A" & B</b>')
    assert "<b" not in html
    assert svg(html)["aria-label"] == '<b onclick="x()">"A" & B</b>'


@pytest.mark.parametrize("name", ["no-such-icon", "../icons/valid", "valid/../valid", "", "VALID.svg"])
def test_unknown_icon_is_an_error_not_a_blank(name):
    with pytest.raises(TemplateSyntaxError):
        render(f'{{% icon "{name}" %}}')


# No emoji in any template ------------------------------------------------------------------------

EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # mahjong and cards, enclosed letters, pictographs, emoticons, transport
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats (⚠ ✔ ✖ ☎ ☀ …)
    "\u2b00-\u2bff"  # ⭐ ⭕ ⬛ …
    "\u231a\u231b\u23e9-\u23fa"  # ⌚ ⌛ ⏩ ⏰ ⏳ …
    "\ufe0f"  # "draw the character before as an emoji"
    "\u200d"  # joins emoji into one (👨‍🌾)
    "]"
)
# Plain typography, drawn by every phone's font: not emoji. (The OCOP rating's stars are not
# emoji either: U+2605/2606 have no emoji presentation.)
ALLOWED = set("★☆")


def template_files():
    for app in APPS:
        folder = Path(settings.BASE_DIR) / app / "templates"
        yield from sorted(path for path in folder.rglob("*") if path.is_file())


def test_templates_are_found():
    names = {path.relative_to(settings.BASE_DIR).as_posix() for path in template_files()}

    assert "website/templates/base.html" in names
    # The SMS channel has no page of its own: its admin listing is Wagtail's generic one.
    assert {name.split("/")[0] for name in names} == set(APPS) - {"sms"}


@pytest.mark.parametrize("app", APPS)
def test_no_template_contains_emoji(app):
    found = []
    for path in template_files():
        if path.relative_to(settings.BASE_DIR).parts[0] != app:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in EMOJI.finditer(line):
                if match.group() not in ALLOWED:
                    where = path.relative_to(settings.BASE_DIR)
                    found.append(f"{where}:{number}: {match.group()!r} (U+{ord(match.group()):04X})")

    assert not found, "emoji in templates (use {% icon %} beside words):\n" + "\n".join(found)


def test_the_emoji_check_catches_emoji_and_spares_typography():
    caught = {char for char in "🔊⚠✔✖🌿☎⭐\ufe0f" if EMOJI.search(char) and char not in ALLOWED}
    spared = [char for char in "·–—₫→←‹›«»…×★☆“”" if EMOJI.search(char) and char not in ALLOWED]

    assert caught == set("🔊⚠✔✖🌿☎⭐\ufe0f")
    assert spared == []
