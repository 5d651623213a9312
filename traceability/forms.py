from django import forms
from django.utils.translation import gettext as _

from growers.forms import ChoosableMediaPageForm


class BatchPageForm(ChoosableMediaPageForm):
    """A batch must cite growing-area codes that were registered and valid on its harvest
    days; a code suspended, revoked or expired then is refused with the reason spelled out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("growing_areas")
        if field is not None:
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)

    def clean(self):
        cleaned = super().clean()
        self._check_lot_is_new_for_the_product(cleaned.get("lot"))
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
        return cleaned

    def _check_lot_is_new_for_the_product(self, lot):
        """/01/<gtin>/10/<lot> must lead to one batch: a lot is unique within its product."""
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if not lot or parent is None:
            return
        siblings = type(self.instance).objects.child_of(parent).filter(lot=lot).exclude(pk=self.instance.pk)
        if siblings.exists():
            self.add_error("lot", _("This product already has a batch with lot %(lot)s.") % {"lot": lot})


def _why_not_valid(area, day) -> str:
    if day < area.issued_on:
        return _("issued only on %(date)s") % {"date": area.issued_on.strftime("%d/%m/%Y")}
    if day > area.valid_until:
        return _("expired on %(date)s") % {"date": area.valid_until.strftime("%d/%m/%Y")}
    return str(dict(area._meta.get_field("status").choices).get(area.status_on(day), "")).lower()
