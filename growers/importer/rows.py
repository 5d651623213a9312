"""Checking the rows of a file: each row becomes an unsaved growing area, matched to the code
already registered or new, validated by the model's own rules (``full_clean``) and the
importer's, with one :class:`RowResult` saying what the import would do with it."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail.models import Locale

from ..codes import lookup_key, normalise_code
from ..models import CooperativePage, GrowingArea, GrowingAreaStatus, Household
from .cells import (
    CellError,
    cell_text,
    parse_boundary,
    parse_date,
    parse_decimal,
    parse_households,
)
from .columns import COLUMNS_BY_FIELD, MODEL_FIELDS, TEXT_FIELDS, Layout, fold
from .reading import BoundaryFiles, ImportFileError, Table, boundary_file_getter, is_blank

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass
class RowResult:
    """One data row of the file: what the import does with it, or why it cannot."""

    row_number: int
    code: str
    name: str = ""
    action: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # headings of the columns that change

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        if self.errors:
            return _("not imported")
        return {CREATE: _("new code"), UPDATE: _("update"), UNCHANGED: _("unchanged")}[self.action]


@dataclass
class ImportReport:
    file_name: str
    rows: list[RowResult]
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def valid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def all_valid(self) -> bool:
        return not self.invalid_rows

    def count(self, action: str) -> int:
        return sum(1 for row in self.valid_rows if row.action == action)

    @property
    def changing_rows(self) -> list[RowResult]:
        """Valid rows that create or update a code."""
        return [row for row in self.valid_rows if row.action in (CREATE, UPDATE)]

    def summary(self) -> str:
        return _(
            "%(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(invalid)d with errors."
        ) % {
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "invalid": len(self.invalid_rows),
        }


@dataclass
class PreparedRow:
    result: RowResult
    area: GrowingArea
    update_fields: list[str]


class RowChecker:
    """Turns the rows of one file into prepared, validated (unsaved) areas."""

    def __init__(self, table: Table, layout: Layout, *, boundary_files: BoundaryFiles, lock: bool):
        self.layout = layout
        self.get_boundary_file = boundary_file_getter(boundary_files)
        self.data_rows = [
            (number, row)
            for number, row in table.rows
            if number > layout.heading_row and not all(is_blank(cell) for cell in row)
        ]
        if not self.data_rows:
            raise ImportFileError(_("The file has headings but no rows of growing areas."))
        keys = {lookup_key(cell_text(self.cell(row, "code"))) for _number, row in self.data_rows}
        existing = GrowingArea.objects.filter(lookup_key__in=keys - {""})
        if lock:
            existing = existing.select_for_update()
        self.existing = {area.lookup_key: area for area in existing}
        self.matched = set()
        self.households = defaultdict(list)
        for household in Household.objects.filter(area__in=list(self.existing.values())).order_by(
            "sort_order", "pk"
        ):
            self.households[household.area_id].append(household)
        self.cooperatives = list(CooperativePage.objects.all()) if "cooperative" in layout.columns else []
        default_locale = Locale.get_default()
        self.original_cooperatives = {
            page.translation_key: page for page in self.cooperatives if page.locale_id == default_locale.pk
        }

    def cell(self, row: list, field_name: str):
        index = self.layout.columns.get(field_name)
        if index is None or index >= len(row):
            return None
        return row[index]

    def heading(self, field_name: str) -> str:
        if field_name in self.layout.headings:
            return self.layout.headings[field_name]
        if field_name in COLUMNS_BY_FIELD:
            return COLUMNS_BY_FIELD[field_name].heading
        return str(GrowingArea._meta.get_field(field_name).verbose_name)

    def find_cooperative(self, value) -> CooperativePage:
        text = cell_text(value)
        exact = [page for page in self.cooperatives if page.title.casefold() == text.casefold()]
        folded = [page for page in self.cooperatives if fold(page.title) == fold(text)]
        # A translated copy (another locale, usually with the same title) is the same cooperative:
        # the area belongs to the original, in the site's own language.
        found = {
            page.translation_key: self.original_cooperatives.get(page.translation_key, page)
            for page in exact or folded
        }
        if not found:
            raise CellError(
                _("no cooperative called “%(name)s” is on the site; write its name as on its page.")
                % {"name": text}
            )
        if len(found) > 1:
            raise CellError(
                _(
                    "two or more cooperatives are called “%(name)s”; rename one of them on its page "
                    "so that each name is unique."
                )
                % {"name": text}
            )
        return next(iter(found.values()))

    def parse_cell(self, field_name: str, value):
        if field_name == "code" or field_name in TEXT_FIELDS:
            return cell_text(value)
        if field_name == "area_hectares":
            return parse_decimal(value, 2)
        if field_name in ("latitude", "longitude"):
            return parse_decimal(value, 6)
        if field_name in ("issued_on", "valid_until"):
            return parse_date(value)
        if field_name == "cooperative":
            return self.find_cooperative(value)
        if field_name == "households":
            return parse_households(value)
        if field_name == "boundary":
            return parse_boundary(value, self.get_boundary_file)
        raise AssertionError(field_name)

    def check(self) -> tuple[list[RowResult], list[PreparedRow]]:
        results, prepared = [], []
        rows_by_key = defaultdict(list)
        for number, row in self.data_rows:
            key = lookup_key(cell_text(self.cell(row, "code") or ""))
            if key:
                rows_by_key[key].append(number)
        for number, row in self.data_rows:
            result, item = self.check_row(number, row)
            key = lookup_key(result.code)
            if key and len(rows_by_key[key]) > 1:
                result.errors.insert(
                    0,
                    _("The code %(code)s is on rows %(rows)s; give each code on one row only.")
                    % {"code": result.code, "rows": ", ".join(str(n) for n in rows_by_key[key])},
                )
            results.append(result)
            if item is not None and result.is_valid:
                prepared.append(item)
        return results, prepared

    def check_row(self, number: int, row: list) -> tuple[RowResult, PreparedRow | None]:
        raw_code = self.cell(row, "code")
        result = RowResult(
            row_number=number,
            code=cell_text(raw_code) if not is_blank(raw_code) else "",
            name=cell_text(self.cell(row, "name") or ""),
        )
        values, failed = {}, set()
        for field_name in self.layout.columns:
            value = self.cell(row, field_name)
            if is_blank(value):
                if COLUMNS_BY_FIELD[field_name].required:
                    result.errors.append(
                        _("%(heading)s: this cell is empty.") % {"heading": self.heading(field_name)}
                    )
                    failed.add(field_name)
                continue
            try:
                values[field_name] = self.parse_cell(field_name, value)
            except CellError as error:
                result.errors.append(f"{self.heading(field_name)}: {error}")
                failed.add(field_name)
        if "code" in failed:
            return result, None

        key = lookup_key(result.code)
        existing = self.existing.get(key)
        if existing is not None:
            if key in self.matched:
                # The same code on a second row (reported as an error): check it against its
                # own copy of the registered area, not the one the first row changed.
                existing = GrowingArea.objects.get(pk=existing.pk)
            self.matched.add(key)
            area = existing
            result.action = UPDATE
            if normalise_code(result.code) != existing.code:
                result.notes.append(
                    _("Matched the registered code %(code)s.") % {"code": existing.code},
                )
            result.code = existing.code
            if existing.status != GrowingAreaStatus.ACTIVE:
                result.notes.append(
                    _("The code is %(status)s; the import does not change its status.")
                    % {"status": existing.get_status_display().lower()}
                )
        else:
            code = normalise_code(result.code)
            if code != result.code.upper():
                result.notes.append(_("To be registered as %(code)s.") % {"code": code})
            area = GrowingArea(code=code)
            result.code = code
            result.action = CREATE
        before = {
            name: getattr(area, name if name != "cooperative" else "cooperative_id") for name in MODEL_FIELDS
        }
        for name in MODEL_FIELDS:
            if name in values:
                setattr(area, name, values[name])

        households_changed = False
        if "households" in values:
            households_changed = self.assign_households(area, values["households"], result)

        try:
            area.full_clean(exclude=sorted(failed & set(MODEL_FIELDS)))
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    if field_name == "__all__":
                        result.errors.append(message)
                    else:
                        result.errors.append(f"{self.heading(field_name)}: {message}")

        changed = [
            name
            for name in MODEL_FIELDS
            if before[name] != getattr(area, name if name != "cooperative" else "cooperative_id")
        ]
        if result.action == UPDATE:
            result.changes = [self.heading(name) for name in changed]
            if households_changed:
                result.changes.append(self.heading("households"))
            if not result.changes:
                result.action = UNCHANGED
        update_fields = [*changed, "updated_at"] + (["households"] if households_changed else [])
        return result, PreparedRow(result=result, area=area, update_fields=update_fields)

    def assign_households(self, area: GrowingArea, names: list[str], result: RowResult) -> bool:
        """Give the area exactly these households, keeping the records (phone, plot) of those
        already registered under the same name. True if the list changes."""
        current = self.households.get(area.pk, []) if area.pk else []
        if [household.head_name for household in current] == names:
            return False
        reusable = defaultdict(list)
        for household in current:
            reusable[household.head_name].append(household)
        households = []
        for position, name in enumerate(names):
            household = reusable[name].pop(0) if reusable[name] else Household(head_name=name)
            household.sort_order = position
            try:
                household.full_clean(exclude=["area"])
            except ValidationError as error:
                for message in error.messages:
                    result.errors.append(f"{self.heading('households')} “{name}”: {message}")
            households.append(household)
        area.households = households
        return True
