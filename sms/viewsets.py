"""The officer's list of texts (Wagtail admin, "Text messages" in the menu): every text in and out
with its reply and outcome, read-only. Seen by whoever holds ``sms.view_message``: superusers, and
the agriculture officers (growers gives their group that permission; sms/migrations/0002 gives it
to a group made before this app). Cooperative editors have no such permission and see neither the
list, nor a text, nor the menu item: phone numbers are personal data (Decree 13/2023)."""

import django_filters

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from website.admin_viewsets import ReadOnlyModelViewSet

from .models import Direction, Message, Outcome


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """``view`` for those with the model's view permission; no other action, for anyone (texts
    are written by the webhook and by sending only)."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


message_permission_policy = ViewOnlyPermissionPolicy(Message)
register_permission_policy(Message, message_permission_policy)


class MessageFilterSet(WagtailFilterSet):
    direction = django_filters.ChoiceFilter(
        label=gettext_lazy("Direction"),
        choices=Direction.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    outcome = django_filters.ChoiceFilter(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, empty_label=gettext_lazy("All")
    )
    created = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Message
        fields = []


class MessageViewSet(ReadOnlyModelViewSet):
    model = Message
    icon = "mail"
    menu_label = gettext_lazy("Text messages")
    menu_order = 270
    add_to_admin_menu = True
    name = "sms_messages"
    url_prefix = "sms/messages"
    permission_policy = message_permission_policy
    list_display = [
        DateColumn("created", label=gettext_lazy("Date")),
        Column("direction", label=gettext_lazy("Direction"), accessor="get_direction_display"),
        "phone",
        "text",
        "reply",
        Column("outcome", label=gettext_lazy("Outcome"), accessor="get_outcome_display"),
    ]
    list_filter = None
    filterset_class = MessageFilterSet
    search_fields = ["phone"]
    search_backend_name = None
    ordering = ["-created", "-pk"]
    list_per_page = 50
    inspect_view_fields = [
        "created",
        "direction",
        "message_id",
        "phone",
        "text",
        "reply",
        "outcome",
        "reason",
        "language",
    ]

    def get_permissions_to_register(self):
        # Only "view" can be given to a group: nobody adds, changes or deletes a text.
        return Permission.objects.filter(content_type__app_label="sms", codename="view_message")


message_viewset = MessageViewSet()
