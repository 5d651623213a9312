"""Making, printing again and voiding the serialised units of a batch (DESIGN §2 "Copied labels
and SMS checks").

Printing the same units twice prints the same serials and the same PINs: the batch's first
`count` live units for a pack are printed, and only the missing ones are made. A PIN is derived
from the unit's seed and the site's secret (traceability/units.py); it is never stored, shown,
logged or put in a file name, only drawn on the label."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter, log

from .models import BatchPage, Unit
from .units import new_pin_seed, new_serial, pin_for, pin_hash, seed_still_prints_pin

MAX_UNITS = 1000  # one request, one sheet: the labels' MAX_LABELS
VOID_ACTION = "traceability.void_unit"
PRINT_ACTION = "traceability.print_units"
_ATTEMPTS = 5  # a new serial colliding with an existing one is rare (23**9 ≈ 1.8 trillion)


class UnitPrintingError(ValueError):
    """Units that cannot be printed or voided as asked; the message says why, for people."""


def _check_pack(batch: BatchPage, pack):
    product = batch.product
    if pack is None:
        if product is not None and product.variants.filter(is_active=True).exists():
            raise UnitPrintingError(_("Choose the pack size the labels are for."))
        return
    if product is None or pack.page_id != product.pk:
        raise UnitPrintingError(_("That pack size is not one of this batch's product."))


def _taken(serials: set[str]) -> set[str]:
    """Of these serials, those already used by a unit or read as a batch's short code."""
    taken = set(Unit.objects.filter(serial__in=serials).values_list("serial", flat=True))
    taken |= set(BatchPage.objects.filter(short_code__in=serials).values_list("short_code", flat=True))
    return taken


def _new_serials(count: int) -> list[str]:
    serials: set[str] = set()
    for _attempt in range(_ATTEMPTS * 10):
        wanted = count - len(serials)
        if not wanted:
            break
        fresh = {new_serial() for _ in range(wanted)} - serials
        serials |= fresh - _taken(fresh)
    if len(serials) != count:  # pragma: no cover - would take an astronomically unlucky draw
        raise UnitPrintingError(_("New serials could not be made; try again."))
    return list(serials)


def _make_units(batch: BatchPage, pack, count: int) -> None:
    units = []
    for serial in _new_serials(count):
        seed = new_pin_seed()
        hashed = pin_hash(serial, pin_for(seed))
        units.append(Unit(batch=batch, pack=pack, serial=serial, pin_seed=seed, pin_hash=hashed))
    Unit.objects.bulk_create(units, batch_size=500)


def live_units(batch: BatchPage, pack):
    """The batch's live (not void) units for this pack, in the order they were made."""
    return Unit.objects.filter(batch=batch, pack=pack, voided_at__isnull=True).order_by("id")


def units_for_printing(batch: BatchPage, pack, count: int, user=None) -> list[Unit]:
    """The batch's first `count` live units for `pack`, making only the missing ones. The same
    request again gives the same units (so the same serials and PINs); a larger one adds units.

    Refused (UnitPrintingError, nothing changed) for a count out of 1..MAX_UNITS, a pack size of
    another product (or none when the product has some), and when a unit's PIN can no longer be
    derived (the site's secret key changed since it was made): that unit must be voided."""
    if not isinstance(count, int) or not 1 <= count <= MAX_UNITS:
        raise UnitPrintingError(_("Print between 1 and %(max)d units at a time.") % {"max": MAX_UNITS})
    _check_pack(batch, pack)
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                # One printing at a time per batch: two editors printing at once get the same units.
                BatchPage.objects.select_for_update().filter(pk=batch.pk).values_list("pk").first()
                existing = list(live_units(batch, pack)[:count])
                missing = count - len(existing)
                if missing:
                    _make_units(batch, pack, missing)
                    existing = list(live_units(batch, pack)[:count])
                stale = [unit.serial for unit in existing if not seed_still_prints_pin(unit)]
                if stale:
                    raise UnitPrintingError(
                        _(
                            "The PINs of %(count)d of these units can no longer be printed (the site's "
                            "secret key changed since they were made), for example %(serial)s. Void "
                            "them in the batch's units list and print again: new units replace them."
                        )
                        % {"count": len(stale), "serial": group_serial(stale[0])}
                    )
                if missing:
                    log(
                        instance=batch,
                        action=PRINT_ACTION,
                        user=user,
                        data={"made": missing, "pack": pack.pk if pack else None},
                    )
                return existing
        except IntegrityError:
            # A serial made at the same moment by another printing: draw again.
            if attempt == _ATTEMPTS - 1:
                raise UnitPrintingError(_("New serials could not be made; try again.")) from None
    raise AssertionError("unreachable")  # pragma: no cover


def void_unit(unit: Unit, reason: str, user) -> Unit:
    """Void a unit (its label was damaged, lost or misprinted): it is never printed again, and a
    check of its serial says it is void. Logged in the batch's history with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise UnitPrintingError(_("Say why the unit is voided."))
    if len(reason) > Unit._meta.get_field("void_reason").max_length:
        raise UnitPrintingError(_("Say why in at most 200 characters."))
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if locked.is_void:
            raise UnitPrintingError(_("This unit is void already."))
        locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), user, reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        log(
            instance=locked.batch,
            action=VOID_ACTION,
            user=user,
            data={"serial": locked.serial, "reason": reason},
        )
    unit.voided_at, unit.voided_by, unit.void_reason = locked.voided_at, user, reason
    return unit


def group_serial(serial: str) -> str:
    """A serial as printed for reading and typing: "DHYKHQ64M" → "DHYK-HQ64M"."""
    return f"{serial[:4]}-{serial[4:]}" if len(serial) > 5 else serial


class VoidUnitFormatter(LogFormatter):
    label = gettext_lazy("Void unit")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("Unit %(serial)s voided: %(reason)s") % {
            "serial": group_serial(data.get("serial", "")),
            "reason": data.get("reason", ""),
        }


class PrintUnitsFormatter(LogFormatter):
    label = gettext_lazy("Make units")

    def format_message(self, log_entry):
        return _("%(count)s new units made for printing") % {"count": (log_entry.data or {}).get("made", "")}


def register_unit_log_actions(actions):
    """For the register_log_actions hook: the batch's history shows voided and made units."""
    actions.register_action(VOID_ACTION)(VoidUnitFormatter)
    actions.register_action(PRINT_ACTION)(PrintUnitsFormatter)
