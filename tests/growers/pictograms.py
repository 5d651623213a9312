"""Which pictogram (website/icons/<name>.svg) an element shows: the SVG drawings are compared,
since an inline icon carries no name of its own (it is decoration beside words)."""

from functools import cache

from bs4 import BeautifulSoup

from website.templatetags.site_tags import ICONS_DIR
from website.templatetags.site_tags import icon as render_icon


@cache
def drawings() -> dict[str, str]:
    return {
        path.stem: BeautifulSoup(render_icon(path.stem), "html.parser").svg.decode_contents()
        for path in sorted(ICONS_DIR.glob("*.svg"))
    }


def pictogram(element) -> str:
    """The name of the first pictogram inside `element` (an error if it has none)."""
    svg = element.select_one("svg.icon")
    assert svg is not None, f"no pictogram in {element}"
    assert svg.get("aria-hidden") == "true" or svg.get("aria-label"), "a pictogram is hidden or named"
    inner = svg.decode_contents()
    return next(name for name, drawing in drawings().items() if drawing == inner)


# Emoji and the dingbats the templates used before the pictograms (✔ ✖ ⏸ ⌛ ⚠ ⛔ 🏅 📍).
EMOJI_RANGES = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x1F000, 0x1FAFF))


def emoji_in(text: str) -> list[str]:
    return [char for char in text if any(low <= ord(char) <= high for low, high in EMOJI_RANGES)]
