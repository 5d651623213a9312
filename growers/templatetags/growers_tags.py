"""What growers offers other apps' templates: {% load growers_tags %}."""

from django import template

from website import page_cache
from website.i18n import default_language, locale_id, localized_pages
from website.page_queries import public

from ..models import CooperativePage

register = template.Library()


@register.simple_tag(takes_context=True)
def cooperative_list(context) -> list[CooperativePage]:
    """The cooperatives a visitor can reach, by name, each with its translation's title and address
    where one is live (`{% cooperative_list as cooperatives %}`). The originals (Vietnamese tree)
    are the list: a translation is another copy of the same cooperative."""
    page_cache.depends_on(context.get("request"), page_cache.pages_tag(CooperativePage))
    originals = locale_id(default_language())
    cooperatives = public(CooperativePage.objects.live()).filter(locale_id=originals).order_by("title")
    return localized_pages(cooperatives)
