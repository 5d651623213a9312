"""Seasons of growing-area codes in the admin (DESIGN §2): the holder, or the officer, declares a
season's start (crop, variety, area, standard, expected yield, dates, market) and later its end
(the actual yield, through its own small form).

Who sees what: agriculture officers (and superusers) every code's seasons; a cooperative's
editors the seasons of the codes registered to their cooperative, and declare them; nobody else
anything. Only officers delete a season (a declaration made by mistake)."""

from django import forms
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormView

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from ..crops import CROPS, crop_for
from ..models import GrowingArea, Season
from ..selectors import cooperatives_edited_by

# Officers keep the register (growers.services.OFFICER_PERMISSIONS); the same permission lets
# them see and declare every code's seasons.
OFFICER_PERMISSION = "growers.change_status_growingarea"


def is_officer(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(OFFICER_PERMISSION)))


def areas_for(user):
    """The codes whose seasons this user sees and declares."""
    if not user.is_authenticated or not user.is_active:
        return GrowingArea.objects.none()
    if is_officer(user):
        return GrowingArea.objects.all()
    return GrowingArea.objects.filter(cooperative__in=cooperatives_edited_by(user))


class SeasonPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return is_officer(user)
        if action in ("add", "change", "view"):
            return areas_for(user).exists()
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and areas_for(user).filter(pk=instance.growing_area_id).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Season.objects.none()
        return Season.objects.filter(growing_area__in=areas_for(user))

    def users_with_permission(self, action):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


season_permission_policy = SeasonPermissionPolicy(Season)
register_permission_policy(Season, season_permission_policy)


class SeasonForm(WagtailAdminModelForm):
    """A season's start. The crop is chosen from the commune's list (prefilled from the code), or
    the code's own crop when it is not on the list; the area is prefilled from the code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        areas = areas_for(user) if user is not None else GrowingArea.objects.none()
        self.fields["growing_area"].queryset = areas.order_by("code")
        area = self.instance.growing_area if self.instance.growing_area_id else None
        if area is None and (chosen := self.initial.get("growing_area")):
            area = areas.filter(pk=chosen).first()
        choices = [(crop.key, crop.name) for crop in CROPS]
        extra = {self.instance.crop, area.crop_name if area else ""} - {key for key, _label in choices} - {""}
        extra = {value for value in extra if crop_for(value) is None}
        self.fields["crop"] = forms.ChoiceField(
            label=_("crop"),
            choices=[("", "---------"), *choices, *((value, value) for value in sorted(extra))],
        )
        if area is not None and not self.instance.pk:
            crop = crop_for(area.crop_name)
            self.initial.setdefault("crop", crop.key if crop else area.crop_name)
            self.initial.setdefault("area_hectares", area.area_hectares)
            self.initial.setdefault("standard", "")

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.declared_by = self.for_user
        return super().save(commit=commit)


class ActualYieldForm(forms.Form):
    actual_yield_kg = forms.DecimalField(
        label=gettext_lazy("Actual yield (kg)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"required": gettext_lazy("Write the kilograms harvested in this season.")},
    )


class SeasonScopeMixin:
    """Every view reads only the seasons of the codes the user may see: another code's season
    answers 404, as if it did not exist."""

    def scoped_seasons(self):
        return Season.objects.filter(growing_area__in=areas_for(self.request.user)).select_related(
            "growing_area"
        )


class SeasonIndexView(SeasonScopeMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_seasons()

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Declare its end"),
                    url=reverse("seasons:declare_end", args=(quote(instance.pk),)),
                    icon_name="success",
                    priority=30,
                )
            )
        return buttons


class SeasonCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        # ?area=<pk> from a code's page; anything else ("²" passes isdigit) is ignored.
        area = self.request.GET.get("area", "").strip()
        if area.isascii() and area.isdigit():
            initial["growing_area"] = int(area)
        return initial


class SeasonEditView(SeasonScopeMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped_seasons()

    @cached_property
    def header_more_buttons(self):
        return super().header_more_buttons + [
            Button(
                _("Declare its end"),
                url=reverse("seasons:declare_end", args=(quote(self.object.pk),)),
                icon_name="success",
                priority=30,
            )
        ]


class SeasonDeleteView(SeasonScopeMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped_seasons()


class SeasonHistoryView(SeasonScopeMixin, generic.HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_seasons()


class SeasonUsageView(SeasonScopeMixin, generic.UsageView):
    def get_base_object_queryset(self):
        return self.scoped_seasons()


class DeclareEndView(WagtailAdminTemplateMixin, FormView):
    """The season's end: the actual yield harvested, who declared it and when."""

    form_class = ActualYieldForm
    template_name = "growers/admin/season_end.html"
    header_icon = "date"
    page_title = gettext_lazy("Declare the season's end")

    def dispatch(self, request, *args, **kwargs):
        if not season_permission_policy.user_has_permission(request.user, "change"):
            return permission_denied(request)
        scope = Season.objects.filter(growing_area__in=areas_for(request.user))
        self.season = get_object_or_404(scope.select_related("growing_area"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.season)

    def get_initial(self):
        return {"actual_yield_kg": self.season.actual_yield_kg}

    def get_context_data(self, **kwargs):
        return super().get_context_data(season=self.season, **kwargs)

    def form_valid(self, form):
        season = self.season
        season.actual_yield_kg = form.cleaned_data["actual_yield_kg"]
        season.actual_declared_by, season.actual_declared_at = self.request.user, timezone.now()
        season.save(update_fields=["actual_yield_kg", "actual_declared_by", "actual_declared_at"])
        messages.success(
            self.request,
            _("%(season)s: actual yield %(kg)s kg declared.")
            % {"season": season, "kg": form.cleaned_data["actual_yield_kg"]},
        )
        return redirect("seasons:index")


def season_growing_area(season):
    return season.growing_area.code


class SeasonViewSet(ModelViewSet):
    model = Season
    name = "seasons"
    url_prefix = "seasons"
    icon = "date"
    menu_label = gettext_lazy("Seasons")
    add_to_admin_menu = False

    index_view_class = SeasonIndexView
    add_view_class = SeasonCreateView
    edit_view_class = SeasonEditView
    delete_view_class = SeasonDeleteView
    history_view_class = SeasonHistoryView
    usage_view_class = SeasonUsageView
    copy_view_enabled = False
    inspect_view_enabled = False

    list_display = [
        "growing_area",
        "crop_label",
        "starts_on",
        "expected_harvest_on",
        "ends_on",
        "expected_yield_kg",
        "actual_yield_kg",
    ]
    ordering = ["-starts_on"]
    list_per_page = 50
    search_fields = None

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                ["growing_area", "crop", "variety", "area_hectares", "standard"],
                heading=gettext_lazy("Code and crop"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("expected_yield_kg"),
                    FieldRowPanel(["starts_on", "expected_harvest_on", "ends_on"]),
                    FieldPanel("market"),
                ],
                heading=gettext_lazy("Season"),
            ),
        ],
        base_form_class=SeasonForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/end/", DeclareEndView.as_view(), name="declare_end"),
        ]

    def get_permissions_to_register(self):
        from django.contrib.auth.models import Permission

        return Permission.objects.none()


season_viewset = SeasonViewSet()
