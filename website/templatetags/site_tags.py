import base64
import hashlib
import unicodedata
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from website import i18n
from website.money import format_vnd

register = template.Library()


# 120000 -> '120.000 ₫' (website.money).
vnd = register.filter("vnd", format_vnd)


@cache
def _read_static(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@register.simple_tag
def inline_static(path: str) -> str:
    """Inline a small static text file (the stylesheet) so a page is one request:
    on a slow mobile link every extra round trip costs seconds."""
    return mark_safe(_read_static(path))


@cache
def inline_static_hash(path: str) -> str:
    """The Content-Security-Policy source that allows exactly what `inline_static` inlines
    ("'sha256-…'"): computed once per process from the same bytes, so the stylesheet can be
    edited freely and the policy follows (website/csp.py)."""
    digest = hashlib.sha256(_read_static(path).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


ICONS_DIR = Path(__file__).resolve().parent.parent / "icons"
SVG_ATTRS = (
    'class="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"'
)


@cache
def _icon_drawing(name: str) -> str:
    path = ICONS_DIR / f"{name}.svg"
    if not path.is_file() or path.parent != ICONS_DIR:
        raise template.TemplateSyntaxError(f"No icon named {name!r} in {ICONS_DIR}")
    return path.read_text(encoding="utf-8").strip()


# Public name for other apps' tags that draw a pictogram their own way (trace_tags).
icon_drawing = _icon_drawing


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """A pictogram drawn inline (website/icons/<name>.svg, a few hundred bytes, no request).
    Beside words it is decoration and hidden from screen readers; with `label` it stands alone
    and is named. Colour never carries the meaning: each status has its own shape."""
    drawing = _icon_drawing(name)
    if label:
        return format_html(
            '<svg {} role="img" aria-label="{}"><title>{}</title>{}</svg>',
            mark_safe(SVG_ATTRS),
            label,
            label,
            mark_safe(drawing),
        )
    return mark_safe(f'<svg {SVG_ATTRS} aria-hidden="true">{drawing}</svg>')


@register.simple_tag
def admin_icon(name: str, size: int = 16) -> str:
    """One of the Wagtail admin's icons with its size in its own attributes. Wagtail's
    ``{% icon %}`` leaves the size to stylesheets that cover only its own components; elsewhere
    (a table cell, a list, a heading) the SVG falls back to the browser's 300 × 150."""
    return format_html(
        '<svg class="icon icon-{}" width="{}" height="{}" aria-hidden="true">'
        '<use href="#icon-{}"></use></svg>',
        name,
        int(size),
        int(size),
        name,
    )


@register.filter
def in_language(path: str) -> str:
    """'/shop/' → '/en/shop/' for a visitor reading English (Vietnamese paths have no prefix)."""
    return i18n.in_language(str(path))


@register.filter
def language_name(code: str) -> str:
    """A language's name in its own words ("Hmoob"), as the language switcher writes it."""
    names = dict(settings.LANGUAGES)
    if code in names:
        return names[code]
    try:
        # Django writes some names decomposed (e + combining accents), which basic phones draw badly.
        return unicodedata.normalize("NFC", translation.get_language_info(code)["name_local"])
    except KeyError:
        return code


@register.filter
def untranslated_language(page) -> str:
    """The language a page is shown in when it is not the visitor's (see base.html's notice)."""
    return i18n.untranslated_language(page)
