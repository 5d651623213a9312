"""Cooperative editors' groups made before languages existed get Wagtail's "Translate" permission
(new groups get it from growers.services.ensure_cooperative_editors)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CooperativePage = apps.get_model("growers", "CooperativePage")
    content_type, _ = ContentType.objects.get_or_create(app_label="simple_translation", model="simpletranslation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    cooperative_ids = CooperativePage.objects.values_list("pk", flat=True)
    for grant_row in GroupPagePermission.objects.filter(page_id__in=cooperative_ids).select_related("group"):
        grant_row.group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("growers", "0004_verbose_names"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
