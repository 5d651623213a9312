"""Queries for showing orders and carts to a buyer in their language."""

from website.i18n import localized_pages


def shown_pages(pages) -> dict:
    """{original page's pk: the page to show the buyer}: its live translation in the active
    language where there is one, else itself. Constant queries (website.i18n.localized_pages),
    none at all when the active language is the pages' own."""
    originals = list({page.pk: page for page in pages if page is not None}.values())
    return {original.pk: shown for original, shown in zip(originals, localized_pages(originals), strict=True)}


def order_lines_for_buyer(order) -> list:
    """The order's lines, each with `shown_title`: the product's title in the active language
    where a live translation of its page exists, else the title as it was bought (the line's
    own copy, which later edits of the page never change). Two queries, or four in a language
    other than the pages' own, however many lines."""
    lines = list(order.lines.select_related("variant__page"))
    shown = shown_pages(line.variant.page for line in lines if line.variant_id)
    for line in lines:
        page = shown.get(line.variant.page_id) if line.variant_id else None
        translated = page is not None and page.pk != line.variant.page_id
        line.shown_title = page.title if translated else line.product_title
    return lines
