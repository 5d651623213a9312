from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """120000 -> '120.000 ₫' (Vietnamese grouping with dots, dong sign after)."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,}".replace(",", ".") + "\u00a0₫"


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
