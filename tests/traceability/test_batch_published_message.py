"""Issue 18, item 6 (publish half): the moment a cooperative's editor publishes a batch, the
admin tells them its short code and trace address, with a button to print its labels."""

import re

from bs4 import BeautifulSoup

from django.urls import reverse

from growers.factories import CooperativeEditorFactory
from tests.traceability.test_batch_editor import add_url, batch_data, edit_url
from traceability.models import BatchPage

LABELS_PATH = re.compile(r"^/admin/batches/\d+/labels/$")


def message_of(response, batch_id=None):
    """The admin's message with a button to print labels, as the editor sees it (in Vietnamese,
    the editors' language)."""
    page = BeautifulSoup(response.content, "html.parser")
    return next((li for li in page.select(".messages li") if li.find("a", href=LABELS_PATH)), None)


def test_editor_publishing_a_new_batch_sees_its_code_address_and_print_labels_at_once(
    client, coop1, coop2, product, area
):
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))

    response = client.post(
        add_url(product), batch_data(lot="TQ2026-77", areas=[area], publish=True), follow=True
    )

    assert response.status_code == 200
    batch = BatchPage.objects.get(lot="TQ2026-77")
    assert batch.live and batch.short_code
    message = message_of(response)
    assert message is not None, response.content.decode()[:2000]
    text = " ".join(message.get_text(" ").split())
    assert batch.short_code in text
    assert f"Lô hàng đã đăng. Mã truy xuất: {batch.short_code}" in text
    assert f"địa chỉ truy xuất: http://testserver/t/{batch.short_code}" in text
    labels = reverse("traceability_batch_labels", args=[batch.pk])
    print_link = message.find("a", href=labels)
    assert print_link is not None and "In nhãn" in print_link.get_text()
    # The button leads to the label printing page, which the editor may open.
    assert client.get(labels).status_code == 200

    # Another cooperative's editor, in their own session, is never told of it nor let print it.
    other = client_class_for(client)
    other.force_login(CooperativeEditorFactory(username="coop2", cooperative=coop2))
    home = other.get(reverse("wagtailadmin_home"))
    assert batch.short_code not in home.content.decode()
    assert other.get(labels).status_code != 200


def test_editor_publishing_an_edited_batch_sees_the_same_message(client, coop1, batch, area):
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))

    response = client.post(
        edit_url(batch), batch_data(batch, lot=batch.lot, areas=[area], publish=True), follow=True
    )

    message = message_of(response)
    assert message is not None
    assert batch.short_code in message.get_text()
    assert message.find("a", href=reverse("traceability_batch_labels", args=[batch.pk]))


def test_saving_a_draft_gives_no_trace_code_message(client, coop1, product, area):
    client.force_login(CooperativeEditorFactory(username="coop1", cooperative=coop1))

    response = client.post(add_url(product), batch_data(lot="TQ2026-78", areas=[area]), follow=True)

    assert response.status_code == 200
    assert message_of(response) is None


def client_class_for(client):
    return type(client)()
