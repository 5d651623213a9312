"""What growers offers other apps' templates: {% load growers_tags %}."""

from django import template

from website.i18n import default_language, locale_id, localized_pages
from website.page_queries import public

from ..models import CooperativePage

register = template.Library()


@register.simple_tag
def cooperative_list() -> list[CooperativePage]:
    """The cooperatives a visitor can reach, by name, each with its translation's title and address
    where one is live (`{% cooperative_list as cooperatives %}`). The originals (Vietnamese tree)
    are the list: a translation is another copy of the same cooperative."""
    originals = locale_id(default_language())
    cooperatives = public(CooperativePage.objects.live()).filter(locale_id=originals).order_by("title")
    return localized_pages(cooperatives)
