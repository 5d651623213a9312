import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from growers.forms import refuse_codes_of_other_cooperatives
from growers.media_forms import ChoosableMediaPageForm
from growers.models import GrowingArea, cooperative_owning


class BatchPageForm(ChoosableMediaPageForm):
    """A batch must cite growing-area codes that were registered and valid on its harvest
    days; a code suspended, revoked or expired then is refused with the reason spelled out. It
    cites only codes of its own cooperative, or codes the officer shared with it. Its trace
    events must agree with its own dates: no harvest after packing, no packing after
    best-before, nothing in the future."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("growing_areas")
        if field is not None:
            self.cooperative = cooperative_owning(self.instance if self.instance.pk else self.parent_page)
            # By id: a draft or a reverted revision holds its codes as instances in memory.
            already_cited = (
                [area.pk for area in self.instance.growing_areas.all()] if self.instance.pk else []
            )
            offered = GrowingArea.objects.citable_by(self.cooperative) | GrowingArea.objects.filter(
                pk__in=already_cited
            )
            # Any code is read from the POST, so that clean() can name the one refused and say
            # why; only the citable ones are offered.
            field.widget = forms.CheckboxSelectMultiple(
                choices=forms.ModelMultipleChoiceField(offered).choices
            )

        self._show_event_times_in_their_zones()

    def _show_event_times_in_their_zones(self):
        """An event's time is typed and shown in the time zone chosen beside it, not the admin's:
        07:00 UTC stays 07:00 (UTC) on the form and on the trace page."""
        events = self.formsets.get("events")
        if events is None or self.is_bound:
            return
        for form in events.forms:
            event = form.instance
            if event.occurred_at and event.time_zone:
                local = timezone.localtime(event.occurred_at, zoneinfo.ZoneInfo(event.time_zone))
                form.initial["occurred_at"] = local.replace(tzinfo=None)

    def _read_event_times_in_their_zones(self, events):
        """What the editor typed, read in the admin's time zone by the field, re-read in the event's."""
        for form in events.forms:
            data = getattr(form, "cleaned_data", None) or {}
            when, zone_name = data.get("occurred_at"), data.get("time_zone")
            if when is None or not zone_name or getattr(form, "read_in_event_zone", False):
                continue
            when = timezone.make_aware(timezone.make_naive(when), zoneinfo.ZoneInfo(zone_name))
            data["occurred_at"] = form.instance.occurred_at = when
            form.read_in_event_zone = True  # once, however often the page form is cleaned

    def clean(self):
        cleaned = super().clean()
        self._check_lot_is_new_for_the_product(cleaned.get("lot"))
        self._check_events_agree_with_the_dates(cleaned)
        if "growing_areas" in self.fields:
            refuse_codes_of_other_cooperatives(self, "growing_areas", self.cooperative)
        areas = cleaned.get("growing_areas")
        start, end = cleaned.get("harvest_start"), cleaned.get("harvest_end") or cleaned.get("harvest_start")
        if not areas or not start:
            if "growing_areas" in cleaned and not areas:
                self.add_error("growing_areas", _("Choose the growing area(s) this batch was harvested in."))
            return cleaned
        problems = []
        for area in areas:
            for day in sorted({start, end}):
                if not area.is_valid_on(day):
                    problems.append(
                        _("%(code)s was not valid on %(day)s (%(status)s).")
                        % {
                            "code": area.code,
                            "day": day.strftime("%d/%m/%Y"),
                            "status": _why_not_valid(area, day),
                        }
                    )
                    break
        if problems:
            self.add_error("growing_areas", " ".join(problems))
        elif cleaned.get("quantity_kg") is not None:
            self._check_yield_limits(cleaned, areas, start)
        return cleaned

    def _check_yield_limits(self, cleaned, areas, harvest_day):
        """Borrowed codes (traceability/yields.py): a batch that would bring a code beyond its
        season's limit is refused, whether saved as a draft or published, with the numbers that
        say why; in "confirm" mode it waits for the officer's confirmation instead. A published
        batch edited without raising what it brings to a code is not refused for that code."""
        from django.conf import settings

        from . import yields
        from .models import BatchPage

        batch = self.instance
        live = (
            BatchPage.objects.filter(pk=batch.pk, live=True).prefetch_related("growing_areas").first()
            if batch.pk
            else None
        )
        found = []
        for overage in yields.overages(
            batch, areas=areas, quantity_kg=cleaned["quantity_kg"], harvest_day=harvest_day
        ):
            before = overage.before
            if (
                live is not None
                and yields.window_of(before.area, live.harvest_start)[1] == before.starts_on
                and overage.this_batch_kg <= yields.attributed_kg(live, before.area.pk)
            ):
                continue
            found.append(overage)
        if not found:
            return
        if settings.YIELD_LIMIT_MODE == "confirm":
            found = self._waiting_for_confirmation(found, cleaned)
            if found:
                self.add_error(
                    "quantity_kg",
                    " ".join(yield_refusal(overage) for overage in found)
                    + " "
                    + _(
                        "The officer has been asked to confirm it: the batch can be saved, as a draft "
                        "or published, once the officer confirms. Waiting for the officer's confirmation."
                    ),
                )
            return
        self.add_error(
            "quantity_kg",
            " ".join(yield_refusal(overage) for overage in found)
            + " "
            + _("The batch is not saved, as a draft or published, while a code would go over its limit."),
        )

    def _waiting_for_confirmation(self, found, cleaned):
        """The overages no confirmation covers; each gets a pending request (one per batch, code
        and season, brought up to date on every try)."""
        from .models import YieldConfirmation

        product = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        user = getattr(self, "for_user", None)
        waiting = []
        for overage in found:
            before = overage.before
            key = {
                "product": product,
                "lot": cleaned.get("lot") or self.instance.lot,
                "growing_area": before.area,
                "window_starts_on": before.starts_on,
            }
            requests = YieldConfirmation.objects.filter(**key)
            covering = requests.filter(confirmed_at__isnull=False, total_kg__gte=overage.total_kg)
            if covering.exists():
                if self.instance.pk:  # asked before the batch was first saved: now it has a page
                    covering.filter(batch__isnull=True).update(batch=self.instance)
                continue
            values = {
                "batch": self.instance if self.instance.pk else None,
                "season": before.season,
                "window_ends_on": before.ends_on,
                "limit_kg": before.limit_kg,
                "total_kg": overage.total_kg,
                "over_kg": overage.total_kg - before.limit_kg,
                "requested_by": user if user is not None and user.is_authenticated else None,
                "requested_at": timezone.now(),
            }
            pending = requests.filter(confirmed_at__isnull=True).first()
            if pending is None:
                YieldConfirmation.objects.create(**key, **values)
            else:
                for name, value in values.items():
                    setattr(pending, name, value)
                pending.save()
            waiting.append(overage)
        return waiting

    def _check_events_agree_with_the_dates(self, cleaned):
        """Each trace event checked against the batch's dates, the error on the event's time."""
        events = self.formsets.get("events")
        if events is None or not events.is_valid():
            return
        self._read_event_times_in_their_zones(events)
        packed_on, best_before = cleaned.get("packed_on"), cleaned.get("best_before")
        harvest_start = cleaned.get("harvest_start")
        now = timezone.now()
        for form in events.forms:
            data = getattr(form, "cleaned_data", None) or {}
            when = data.get("occurred_at")
            if when is None or data.get("DELETE"):
                continue
            zone = zoneinfo.ZoneInfo(data.get("time_zone") or "Asia/Ho_Chi_Minh")
            day = timezone.localtime(when, zone).date()
            shown = {"when": timezone.localtime(when, zone).strftime("%d/%m/%Y %H:%M")}
            if when > now:
                form.add_error(
                    "occurred_at", _("%(when)s is in the future: record only what has happened.") % shown
                )
            elif data.get("event_type") == "harvest" and packed_on and day > packed_on:
                form.add_error(
                    "occurred_at",
                    _("The harvest (%(when)s) cannot come after the packing date (%(packed)s).")
                    % {**shown, "packed": packed_on.strftime("%d/%m/%Y")},
                )
            elif data.get("event_type") == "packing" and best_before and day >= best_before:
                form.add_error(
                    "occurred_at",
                    _("Packing (%(when)s) cannot come after the best-before date (%(date)s).")
                    % {**shown, "date": best_before.strftime("%d/%m/%Y")},
                )
            elif data.get("event_type") == "packing" and harvest_start and day < harvest_start:
                form.add_error(
                    "occurred_at",
                    _("Packing (%(when)s) cannot come before the harvest (%(date)s).")
                    % {**shown, "date": harvest_start.strftime("%d/%m/%Y")},
                )

    def _check_lot_is_new_for_the_product(self, lot):
        """/01/<gtin>/10/<lot> must lead to one batch: a lot is unique within its product."""
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if not lot or parent is None:
            return
        siblings = type(self.instance).objects.child_of(parent).filter(lot=lot).exclude(pk=self.instance.pk)
        if siblings.exists():
            self.add_error("lot", _("This product already has a batch with lot %(lot)s.") % {"lot": lot})


def yield_refusal(overage) -> str:
    """Why a batch would put a code over its limit, in numbers an editor can check."""
    from . import yields
    from .yields import kg_text

    before = overage.before
    if before.season is not None:
        season = _("its season %(start)s–%(end)s") % {
            "start": before.starts_on.strftime("%d/%m/%Y"),
            "end": before.ends_on.strftime("%d/%m/%Y"),
        }
    else:
        season = _("%(year)s (no season declared)") % {"year": before.starts_on.year}
    if before.basis == yields.DECLARED:
        basis = _("the declared expected yield")
    else:
        basis = _("%(hectares)s ha × the crop's typical yield") % {
            "hectares": kg_text(before.season.area_hectares if before.season else before.area.area_hectares)
        }
    return _(
        "%(code)s, %(season)s: limit %(limit)s kg (%(basis)s); published batches already count "
        "%(used)s kg, this batch would bring it to %(total)s kg."
    ) % {
        "code": before.area.code,
        "season": season,
        "limit": kg_text(before.limit_kg),
        "basis": basis,
        "used": kg_text(before.used_kg),
        "total": kg_text(overage.total_kg),
    }


def _why_not_valid(area, day) -> str:
    if day < area.issued_on:
        return _("issued only on %(date)s") % {"date": area.issued_on.strftime("%d/%m/%Y")}
    if day > area.valid_until:
        return _("expired on %(date)s") % {"date": area.valid_until.strftime("%d/%m/%Y")}
    return str(dict(area._meta.get_field("status").choices).get(area.status_on(day), "")).lower()
