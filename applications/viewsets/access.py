"""Who sees which applications in the officer's queue, and who acts on them.

- Officers (and superusers): every application; add (entered at the desk), change (the
  applicant's details, logged), and every step (``change_application``).
- A cooperative's editors: their own cooperative's applications, read-only, without a model
  permission (the queue narrows "view" to cooperatives_edited_by).
- Nobody deletes an application: what the commune reports counts the asking; one that must end
  is refused."""

from django.contrib.auth import get_permission_codename, get_user_model

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from growers.models import CooperativePage
from growers.selectors import cooperatives_edited_by

from ..models import Application

ACTIONS = ("view", "add", "change")


def edits_a_cooperative(user) -> bool:
    if not hasattr(user, "_edits_a_cooperative"):
        user._edits_a_cooperative = cooperatives_edited_by(user).exists()
    return user._edits_a_cooperative


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    def permission_name(self, action) -> str:
        """The permission's full name for an action, e.g. applications.change_application."""
        return f"{self.app_label}.{get_permission_codename(action, self.auth_model._meta)}"

    def user_has_permission(self, user, action):
        if action not in ACTIONS or not user.is_active:
            return False
        if user.has_perm(self.permission_name(action)):
            return True
        return action == "view" and edits_a_cooperative(user)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in ACTIONS]
        if not actions:
            return get_user_model().objects.none()
        users = super().users_with_any_permission(actions)
        if "view" in actions:
            editors = get_user_model().objects.filter(
                is_active=True,
                groups__page_permissions__page__in=CooperativePage.objects.all(),
                groups__page_permissions__permission__codename="change_page",
            )
            users = (users | editors).distinct()
        return users

    def instances_user_has_any_permission_for(self, user, actions):
        actions = [action for action in actions if self.user_has_permission(user, action)]
        applications = self.model._default_manager.all()
        if not actions:
            return applications.none()
        if any(user.has_perm(self.permission_name(action)) for action in actions):
            return applications.visible_to(user) if actions == ["view"] else applications
        return applications.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = super().users_with_any_permission(actions) if actions else get_user_model().objects.none()
        if "view" in actions and instance.cooperative_id:
            users = (
                users
                | get_user_model().objects.filter(
                    is_active=True,
                    groups__page_permissions__page__in=CooperativePage.objects.filter(
                        pk=instance.cooperative_id
                    ),
                    groups__page_permissions__permission__codename="change_page",
                )
            ).distinct()
        return users


application_permission_policy = ApplicationPermissionPolicy(Application)
register_permission_policy(Application, application_permission_policy)


def visible_applications(user):
    return application_permission_policy.instances_user_has_permission_for(user, "view")


def may_act(user) -> bool:
    """Whether the user takes the officer's steps (all of them: the rules decide which apply)."""
    return application_permission_policy.user_has_permission(user, "change")
