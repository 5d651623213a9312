from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupPagePermission

from growers.selectors import cooperative_collection, cooperative_editors_group
from growers.services import ensure_cooperative_editors


def test_editors_group_may_edit_only_its_cooperative(coop1, coop2):
    group = ensure_cooperative_editors(cooperative=coop1)

    granted = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True))
    assert granted == {coop1.pk}
    assert group.permissions.filter(codename="access_admin").exists()
    assert cooperative_collection(coop1).name == coop1.title


def test_running_the_setup_again_creates_nothing(coop1):
    ensure_cooperative_editors(cooperative=coop1)
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Collection.objects.count())

    ensure_cooperative_editors(cooperative=coop1)

    assert (Group.objects.count(), GroupPagePermission.objects.count(), Collection.objects.count()) == counts


def test_renamed_cooperative_keeps_its_editors_group_and_collection(coop1):
    group = ensure_cooperative_editors(cooperative=coop1)
    collection = cooperative_collection(coop1)
    coop1.title = "HTX Thảo quả Sì Lở Lầu (đổi tên)"
    coop1.save()

    assert ensure_cooperative_editors(cooperative=coop1) == group
    assert cooperative_editors_group(coop1) == group
    assert cooperative_collection(coop1) == collection
    assert Group.objects.filter(name__startswith="Cooperative editors").count() == 1


def test_each_cooperative_gets_its_own_group_and_collection(coop1, coop2):
    first = ensure_cooperative_editors(cooperative=coop1)
    second = ensure_cooperative_editors(cooperative=coop2)

    assert first != second
    assert cooperative_collection(coop1) != cooperative_collection(coop2)
