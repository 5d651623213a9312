"""The agriculture officers' group, where one was made before this app, may see, enter and act on
code applications (new groups get the permissions from growers.services.ensure_officers_group,
through applications' officer_permissions hook). Found by its name, as
growers.services.OFFICERS_GROUP_NAME gives it; nothing is done where no such group exists."""

from django.db import migrations

OFFICERS_GROUP_NAME = "Agriculture officers"
PERMISSIONS = {
    "view_application": "Can view code application",
    "add_application": "Can add code application",
    "change_application": "Can change code application",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=OFFICERS_GROUP_NAME).first()
    if group is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="applications", model="application")
    for codename, name in PERMISSIONS.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
