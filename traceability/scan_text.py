"""The two sentences of the trace page that change on every scan: how many people opened it (and
since when; each browser once a day, link previews and crawlers not at all: visitors.py), and the
warning when many more people in many more places than the batch has packages opened it
(selectors.scan_summary).

Written in Python rather than as template includes because a trace page served from the page
cache (website/page_cache.py) fills them into its holes on every request, the hottest path of
the site; the template puts them in with the same functions ({% scan_count %} and
{% scan_warning %} in trace_tags), so both say the same words."""

import datetime

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from website.templatetags.site_tags import icon


def scan_count_html(scans: dict | None) -> SafeString:
    if not scans:
        return mark_safe("")
    total = scans["total"]
    people = ngettext("%(total)s person", "%(total)s people", total) % {"total": total}
    first = first_scan(scans["first_day"]) if scans["first_day"] else ""
    return format_html(
        '<dt>{}</dt><dd><span class="figure">{}</span>{}</dd>',
        gettext("Opened by"),
        people,
        mark_safe(first),
    )


def first_scan(day: datetime.date) -> str:
    """ ", first on <date>", in the active language."""
    return ", " + gettext('first on <time datetime="%(iso)s">%(date)s</time>') % {
        "iso": day.isoformat(),
        "date": date_format(day, "d/m/Y"),
    }


def scan_warning_html(scans: dict | None, *, package_count: int, report_contact: str) -> SafeString:
    if not scans or not scans["suspicious"]:
        return mark_safe("")
    total = scans["total"]
    # What a buyer holding the package should do: compare, keep it, report.
    sentence = ngettext(
        "this batch's code was opened by %(total)s person in %(places)s places, more than its "
        "%(packages)s packages explain. Compare your package with what this page shows, keep "
        "the package, and report to %(contact)s.",
        "this batch's code was opened by %(total)s people in %(places)s places, more than its "
        "%(packages)s packages explain. Compare your package with what this page shows, keep "
        "the package, and report to %(contact)s.",
        total,
    )
    # The catalogue's words are trusted, as {% blocktranslate %} trusts them; the contact is not.
    sentence %= {
        "total": total,
        "places": scans["places"],
        "packages": package_count,
        "contact": escape(report_contact),
    }
    return format_html(
        '<p class="status-box box-suspended" role="note">{} <strong>{}</strong> {}</p>',
        icon("warning"),
        gettext("Labels may have been copied:"),
        mark_safe(sentence),
    )
