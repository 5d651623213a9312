"""Recalling a batch: the services (traceability/recall.py) and the officer's admin view."""

import datetime

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from wagtail.models import PageLogEntry

from traceability.models import BatchPage
from traceability.recall import (
    CANCEL_RECALL_ACTION,
    RECALL_ACTION,
    RecallRefused,
    cancel_recall,
    recall_batch,
)
from traceability.recall_views import menu_item

TODAY = timezone.localdate


def live(batch) -> BatchPage:
    return BatchPage.objects.get(pk=batch.pk)


def test_recall_reaches_the_live_page_its_revision_and_the_log(batch, officer):
    recall_batch(batch=batch, recalled_on=TODAY(), reason="  Phát hiện nấm mốc.  ", user=officer)

    page = live(batch)
    assert page.is_recalled and page.recall_reason == "Phát hiện nấm mốc."
    assert page.live_revision.as_object().recall_reason == "Phát hiện nấm mốc."
    assert not page.has_unpublished_changes
    entry = PageLogEntry.objects.get(page=batch, action=RECALL_ACTION)
    assert entry.user == officer and entry.data["reason"] == "Phát hiện nấm mốc."
    # Page history speaks the admin's language: Vietnamese by default, English on request.
    assert entry.message == "Đã thu hồi: Phát hiện nấm mốc."
    with translation.override("en"):
        assert PageLogEntry.objects.get(pk=entry.pk).message == "Recalled: Phát hiện nấm mốc."


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_recall_needs_a_reason(batch, officer, reason):
    with pytest.raises(RecallRefused):
        recall_batch(batch=batch, recalled_on=TODAY(), reason=reason, user=officer)

    assert not live(batch).is_recalled
    assert not PageLogEntry.objects.filter(action=RECALL_ACTION).exists()


def test_recall_cannot_be_dated_in_the_future(batch, officer):
    with pytest.raises(RecallRefused):
        recall_batch(batch=batch, recalled_on=TODAY() + datetime.timedelta(days=1), reason="x", user=officer)


def test_recall_keeps_a_draft_unpublished_and_carries_the_recall_into_it(batch, officer):
    draft = live(batch)
    draft.title = "Tiêu đề nháp"
    draft.save_revision()

    recall_batch(batch=batch, recalled_on=TODAY(), reason="Nấm mốc", user=officer)

    page = live(batch)
    assert page.is_recalled and page.title != "Tiêu đề nháp"  # the draft is not published
    latest = page.get_latest_revision_as_object()
    assert latest.title == "Tiêu đề nháp" and latest.recall_reason == "Nấm mốc"
    assert page.has_unpublished_changes


def test_cancel_recall(batch, officer):
    recall_batch(batch=batch, recalled_on=TODAY(), reason="Nấm mốc", user=officer)

    with pytest.raises(RecallRefused):
        cancel_recall(batch=batch, reason="", user=officer)
    cancel_recall(batch=batch, reason="Kiểm tra lại: đạt.", user=officer)

    page = live(batch)
    assert not page.is_recalled and page.recall_reason == ""
    entry = PageLogEntry.objects.get(page=batch, action=CANCEL_RECALL_ACTION)
    assert entry.data["reason"] == "Kiểm tra lại: đạt." and entry.data["recall_reason"] == "Nấm mốc"
    with pytest.raises(RecallRefused):
        cancel_recall(batch=batch, reason="again", user=officer)


def test_the_trace_api_shows_the_recall(client, batch, officer):
    recall_batch(batch=batch, recalled_on=TODAY(), reason="Nấm mốc", user=officer)

    data = client.get(f"/api/v1/batches/{batch.short_code}").json()

    assert data["recall"]["reason"] == "Nấm mốc" and data["verdict"]["status"] == "warning"


# The officer's admin view ------------------------------------------------------------------


def recall_url(batch) -> str:
    return f"/admin/batches/{batch.pk}/recall/"


def test_officer_recalls_a_batch_through_the_admin(client, batch, officer):
    client.force_login(officer)

    assert client.get("/admin/batches/").status_code == 200
    assert batch.lot in client.get("/admin/batches/", {"q": batch.short_code.lower()}).content.decode()
    assert client.get(recall_url(batch)).status_code == 200
    response = client.post(recall_url(batch), {"recalled_on": TODAY().isoformat(), "reason": "Nấm mốc"})

    assert response.status_code == 302
    assert live(batch).recall_reason == "Nấm mốc"
    response = client.post(recall_url(batch), {"reason": "Đã kiểm tra lại"})
    assert response.status_code == 302 and not live(batch).is_recalled


def test_officer_sees_the_recall_pages_in_vietnamese(client, batch, officer):
    client.force_login(officer)

    assert "Số lô, mã truy xuất ngắn hoặc tên" in client.get("/admin/batches/").content.decode()
    assert str(menu_item().label) == "Lô hàng (thu hồi)"
    assert "Mọi người mua quét nhãn của lô này" in client.get(recall_url(batch)).content.decode()

    response = client.post(
        recall_url(batch), {"recalled_on": TODAY().isoformat(), "reason": "Nấm mốc"}, follow=True
    )

    assert f"Đã thu hồi lô {batch.lot}." in [str(m).strip() for m in response.context["messages"]]


def test_officer_must_give_a_reason(client, batch, officer):
    client.force_login(officer)

    response = client.post(recall_url(batch), {"recalled_on": TODAY().isoformat(), "reason": ""})

    assert response.status_code == 200
    assert "Hãy ghi lý do thu hồi lô hàng; người mua sẽ đọc lý do này." in response.content.decode()
    assert not live(batch).is_recalled


def test_superuser_may_recall(client, batch):
    admin = get_user_model().objects.create_superuser("admin", password="pw")
    client.force_login(admin)

    assert client.get(recall_url(batch)).status_code == 200


def test_cooperative_editor_is_refused_the_officer_view(client, batch, coop1_editor):
    client.force_login(coop1_editor)

    for url in ["/admin/batches/", recall_url(batch)]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/batches" not in response["Location"]
    client.post(recall_url(batch), {"recalled_on": TODAY().isoformat(), "reason": "x"})
    assert not live(batch).is_recalled


def test_other_admin_users_are_refused(client, batch):
    user = get_user_model().objects.create_user("clerk", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    client.post(recall_url(batch), {"recalled_on": TODAY().isoformat(), "reason": "x"})

    assert client.get(recall_url(batch)).status_code in (302, 403)
    assert not live(batch).is_recalled


def test_anonymous_users_go_to_the_login_page(client, batch):
    response = client.get(recall_url(batch))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
