from urllib.parse import quote

from django import template

from website.i18n import in_language

register = template.Library()


@register.filter
def registry_url(area) -> str:
    """The public registry's page for a growing area, in the visitor's language
    (/growing-areas/VN-SLL-0001/, /en/growing-areas/VN-SLL-0001/)."""
    return in_language(f"/growing-areas/{quote(area.code, safe='')}/")
