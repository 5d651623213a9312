"""The officer's monthly report as rows (one list of sections, shared by both files), written as
XLSX (openpyxl) and PDF (reportlab, with the DejaVu Sans that traceability ships for the labels:
it has every Vietnamese letter). Both files say the same numbers in the same order."""

import io
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from growers.models import EFFECTIVE_STATUS_LABELS

from .selectors import Report


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list]


def days(value) -> str | float | int:
    return "—" if value is None else value


def sections(report: Report) -> list[Section]:
    codes, apps, seasons = report.codes, report.applications, report.seasons
    hectares = _("Area (ha)")
    return [
        Section(
            _("Codes by status"),
            [_("Status"), pgettext("report column", "Codes")],
            [[str(EFFECTIVE_STATUS_LABELS[status]), count] for status, count in codes.by_status.items()]
            + [[_("All codes"), codes.total]],
        ),
        Section(
            _("Active codes by crop"),
            [_("Crop"), pgettext("report column", "Codes"), hectares],
            [[name, count, area] for name, count, area in codes.by_crop],
        ),
        Section(
            _("Active codes by village"),
            [_("Village"), pgettext("report column", "Codes"), hectares],
            [[name, count, area] for name, count, area in codes.by_village],
        ),
        Section(
            _("Area and households"),
            [_("What"), _("Number")],
            [
                [_("Active codes"), codes.active],
                [_("Area of the active codes (ha)"), codes.active_hectares],
                [_("Households covered by active codes"), codes.households_covered],
            ],
        ),
        Section(
            _("Applications for a code in the month"),
            [_("What"), _("Applications"), _("Households")],
            [
                [_("Received"), apps.received, apps.received_households],
                [_("Granted"), apps.granted, apps.granted_households],
                [_("Refused"), apps.refused, ""],
                [_("Waiting at the end of the month"), apps.waiting, apps.waiting_households],
            ],
        ),
        Section(
            _("Waiting times (days)"),
            [_("What"), _("Days")],
            [
                [_("Median wait of the applications decided"), days(apps.median_wait)],
                [_("Longest wait of the applications decided"), days(apps.longest_wait)],
                [_("Median age of the applications waiting"), days(apps.median_waiting_age)],
                [_("Oldest application waiting"), days(apps.oldest_waiting)],
            ],
        ),
        Section(
            _("Seasons"),
            [_("What"), _("Number")],
            [
                [_("Seasons declared in the month"), seasons.declared],
                [
                    _("Active codes with no season declared in %(year)s") % {"year": seasons.year},
                    len(seasons.missing_codes),
                ],
                [_("Seasons ended without their actual yield"), len(seasons.awaiting_actual)],
            ]
            + [[_("No season:"), code] for code in seasons.missing_codes]
            + [[_("No actual yield:"), season] for season in seasons.awaiting_actual],
        ),
        Section(
            _("Codes over their yield"),
            [_("Code"), _("Season"), _("Sold (kg)"), _("Limit (kg)")],
            [
                [item.code, f"{item.starts_on:%d/%m/%Y}–{item.ends_on:%d/%m/%Y}", item.used_kg, item.limit_kg]
                for item in report.over_yield
            ]
            or [[_("None"), "", "", ""]],
        ),
    ]


def title(report: Report) -> str:
    return _("Growing-area codes: report for %(month)s") % {"month": report.period}


def made_line(report: Report) -> str:
    from django.utils import timezone

    return _("Made on %(day)s. Counts only; no personal data.") % {
        "day": timezone.localtime(report.made_at).strftime("%d/%m/%Y %H:%M")
    }


def as_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.period.first_day:%Y-%m}"
    sheet.append([title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([made_line(report)])
    for section in sections(report):
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(section.header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(italic=True)
        for row in section.rows:
            sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
            # Villages and crops come from what applicants typed: text, never a formula.
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    sheet.column_dimensions["A"].width = 52
    for column in "BCD":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_text(value) -> str:
    if isinstance(value, Decimal | float):
        return number_format(value, decimal_pos=2)
    return str(value)


def as_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from traceability.labels import label_fonts

    def text(value) -> str:
        # Paragraphs read markup: what was typed ("<", "&", a <link>) is shown as written.
        return escape(cell_text(value))

    regular, bold = label_fonts()
    heading = ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15, spaceBefore=8)
    big = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title(report),
    )
    story = [Paragraph(text(title(report)), big), Paragraph(text(made_line(report)), body)]
    for section in sections(report):
        story.append(Paragraph(text(section.title), heading))
        rows = [section.header, *section.rows]
        data = [[Paragraph(text(value), body) for value in row] for row in rows]
        widths = [85 * mm] + [(95 * mm) / max(1, len(section.header) - 1)] * (len(section.header) - 1)
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 3 * mm))
    document.build(story)
    return out.getvalue()
