"""The demo accounts and the officers' group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo.services.run import SeedRun
from demo.specs import DemoUser
from growers.services import ensure_officers_group


def ensure_user(run: SeedRun, spec: DemoUser):
    """Existing users keep the passwords they have."""
    User = get_user_model()
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    user = User(
        username=spec.username,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=f"{spec.username}@example.org",
        is_staff=spec.superuser,
        is_superuser=spec.superuser,
    )
    user.set_password(spec.password)
    user.save()
    run.changed(f"user {spec.username}")
    return user


def ensure_membership(run: SeedRun, user, group: Group) -> None:
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        run.changed(f"{user.username} in group “{group.name}”")


def ensure_officers(run: SeedRun, officer) -> None:
    # The service makes the group with the registry permissions (and completes it if someone
    # took some away); counting rows around it keeps "nothing changed" honest.
    before = (Group.objects.count(), Group.permissions.through.objects.count())
    group = ensure_officers_group()
    if (Group.objects.count(), Group.permissions.through.objects.count()) != before:
        run.changed(f"group “{group.name}” with the growing-area registry permissions")
    ensure_membership(run, officer, group)
