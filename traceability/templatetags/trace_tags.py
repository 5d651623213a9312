from django import template

from growers.links import growing_area_url

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
