from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from growers.links import growing_area_url
from website.templatetags.site_tags import icon_drawing

from ..scan_text import scan_count_html, scan_warning_html

register = template.Library()


@register.filter
def registry_url(area) -> str:
    """The public registry's page for a growing area, in the visitor's language
    (/growing-areas/VN-SLL-0001/, /en/growing-areas/VN-SLL-0001/)."""
    return growing_area_url(area.code)


@register.simple_tag
def scan_count(scans):
    """<dt>/<dd> of how often the code was scanned (traceability/scan_text.py)."""
    return scan_count_html(scans)


@register.simple_tag
def scan_warning(scans, batch, report_contact):
    """The copied-labels warning, when the scans are many times the packages."""
    return scan_warning_html(scans, package_count=batch.package_count, report_contact=report_contact)


@register.inclusion_tag("traceability/includes/area_batches.html")
def area_batches(area):
    """The published batches (lots) labelled with a growing-area code, for the registry's page
    of the code: one query. Trace addresses carry no language: they are printed on labels."""
    return {"batches": area.batches.live().public()}


# The large pictogram on top of the verdict, one shape per kind (never colour alone): a tick in
# a circle, a stop sign, a warning triangle, a crossed box, a question mark.
VERDICT_PICTOGRAMS = {
    "valid": ("valid", _("Confirmed")),
    "recalled": ("recalled", _("Recalled")),
    "invalid": ("warning", _("Warning")),
    "foreign": ("not-registered", _("Not this producer's code")),
    "no-area": ("unknown", _("No code")),
}


@register.simple_tag
def verdict_pictogram(kind: str) -> str:
    """The verdict's pictogram, drawn inline (website/icons), large, named for screen readers
    and shown as its name where SVG is not drawn."""
    name, label = VERDICT_PICTOGRAMS.get(kind, VERDICT_PICTOGRAMS["no-area"])
    return format_html(
        '<svg class="icon pictogram" viewBox="0 0 24 24" width="64" height="64" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'focusable="false" role="img" aria-label="{}">{}</svg>',
        label,
        mark_safe(icon_drawing(name)),
    )
