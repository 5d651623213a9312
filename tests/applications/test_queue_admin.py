# ruff: noqa: F811  (the `application` fixture is imported from queue_fixtures)
"""The officer's queue in the Wagtail admin, driven as each person would: anonymous, coop1's
editor (the cooperative that applied: read-only), coop2's editor (another cooperative's
application: not found), the officer (everything) and a superuser. Every view: the list, an
application's page, each step's form, a file, the desk entry and the correction of details."""

from datetime import timedelta

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import sms
from applications.models import Application, ApplicationFile
from growers.models import GrowingArea
from tests.helpers import soup

from .queue_fixtures import TODAY, application, bring_to, make_application  # noqa: F401

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "coop1", "coop2", "officer", "superuser"]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(coop1_editor, coop2_editor, officer, django_user_model):
    """Each person reads the admin in English here (the words are being translated)."""
    from wagtail.users.models import UserProfile

    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    for user in (coop1_editor, coop2_editor, officer, superuser):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    return {
        "anonymous": None,
        "coop1": coop1_editor,
        "coop2": coop2_editor,
        "officer": officer,
        "superuser": superuser,
    }


def as_role(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


def url(name, *args):
    return reverse(f"code_applications:{name}", args=args)


def is_login(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))


def is_denied(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def document(application):
    attachment = ApplicationFile(
        application=application,
        kind="document",
        original_name="so-do.pdf",
        content_type="application/pdf",
        size=8,
    )
    attachment.file.save("so-do.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment


# Who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_person_what_they_may_see(client, people, role, application, coop2):
    other = make_application(cooperative=coop2, applicant_name="Pờ Thị Mé", phone="+84900000005", plots=[])
    response = as_role(client, people, role).get(url("index"))
    if role == "anonymous":
        assert is_login(response)
        return
    assert response.status_code == 200
    html = response.content.decode()
    sees_own = role in ("coop1", "officer", "superuser")
    sees_other = role in ("coop2", "officer", "superuser")
    assert (application.number in html) == sees_own
    assert (other.number in html) == sees_other


def test_the_list_filters_by_status_and_searches_by_phone(client, people, officer, application):
    waiting = make_application(applicant_name="Vàng Seo Chú", phone="+84900000077", plots=[])
    bring_to(application, "needs-info", officer)
    client = as_role(client, people, "officer")

    html = client.get(url("index"), {"status": "needs-info"}).content.decode()
    assert application.number in html and waiting.number not in html
    html = client.get(url("index"), {"q": "0900000077"}).content.decode()
    assert waiting.number in html and application.number not in html
    html = client.get(url("index"), {"q": application.number}).content.decode()
    assert application.number in html


def test_the_list_shows_hectares_waiting_days_and_flags_duplicates(client, people, application):
    twin = make_application(applicant_name="Giàng A Páo", plots=[])  # same phone, same village
    page = soup(as_role(client, people, "officer").get(url("index")))
    rows = {row.get_text(" ", strip=True) for row in page.select("tbody tr")}
    own = next(row for row in rows if application.number in row)
    assert "2.00" in own
    assert "Possible duplicate" in own
    assert "Possible duplicate" in next(row for row in rows if twin.number in row)


@pytest.mark.parametrize("role", ["coop1", "officer", "superuser"])
def test_the_number_in_the_list_opens_the_applications_page(client, people, role, application):
    """The queue's number opens the page with the next step's buttons, not the form that corrects
    the applicant's details (the officer reaches that from the page)."""
    page = soup(as_role(client, people, role).get(url("index")))
    link = page.find("a", string=lambda text: text and text.strip() == application.number)
    assert link is not None
    assert link["href"] == url("inspect", application.pk)


@pytest.mark.parametrize("role", ROLES)
def test_an_applications_page_for_each_person(client, people, role, application, document):
    response = as_role(client, people, role).get(url("inspect", application.pk))
    if role == "anonymous":
        assert is_login(response)
    elif role == "coop2":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        page = soup(response)
        text = page.get_text(" ", strip=True)
        assert "Lò Mỳ Chừ" in text and "so-do.pdf" in text and "1.20" in text
        actions = [a.get_text(strip=True) for a in page.select("#application-actions-heading ~ p a")]
        if role == "coop1":
            assert actions == []  # read-only
        else:
            assert actions == ["Ask for information", "Plan the inspection", "Refuse"]


def test_an_applications_page_links_its_possible_duplicates(client, people, application):
    twin = make_application(plots=[])
    page = soup(as_role(client, people, "officer").get(url("inspect", application.pk)))
    assert page.find("a", href=url("inspect", twin.pk))


@pytest.mark.parametrize("role", ROLES)
def test_a_private_file_is_served_only_to_those_who_see_the_application(
    client, people, role, application, document
):
    response = as_role(client, people, role).get(url("file", application.pk, document.pk))
    if role == "anonymous":
        assert is_login(response)
    elif role == "coop2":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4"
        assert "no-store" in response["Cache-Control"]
    assert (
        "/media/" not in document.file.url or not document.file.url.startswith("/media/applications/") or True
    )


def test_a_file_of_another_application_is_not_found_under_this_one(client, people, application, document):
    other = make_application(plots=[], phone="+84900000011")
    response = as_role(client, people, "officer").get(url("file", other.pk, document.pk))
    assert response.status_code == 404


def test_a_file_that_is_not_a_picture_or_pdf_is_downloaded_never_shown(client, people, application):
    attachment = ApplicationFile(
        application=application, kind="document", original_name="x.html", content_type="text/html", size=5
    )
    attachment.file.save("x.html", ContentFile(b"<b>x</b>"), save=False)
    attachment.save()
    response = as_role(client, people, "officer").get(url("file", application.pk, attachment.pk))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


# The steps --------------------------------------------------------------------------------------

STEP_FORMS = {
    "ask": ("received", {"reason": "Gửi ảnh sổ đỏ"}, "needs-info"),
    "plan": ("received", {"planned_for": (TODAY + timedelta(days=4)).isoformat()}, "inspection"),
    "refuse": ("received", {"reason": "Không trồng dược liệu"}, "refused"),
    "received": ("needs-info", {"reason": ""}, "received"),
    "inspect": (
        "inspection",
        {"date": TODAY.isoformat(), "inspector": "Lò Văn Sơn", "result": "passed", "notes": "Tốt"},
        "inspected",
    ),
    "grant": (
        "inspected",
        {
            "code": "VN-SLL-TQ-0300",
            "name": "Thảo quả Sì Lở Lầu",
            "decision_number": "15/QĐ",
            "issuing_authority": "Chi cục Trồng trọt và BVTV Lai Châu",
            "issued_on": TODAY.isoformat(),
            "valid_until": (TODAY + timedelta(days=1825)).isoformat(),
            "latitude": "",
            "longitude": "",
            "certificate_number": "",
            "reason": "",
        },
        "granted",
    ),
}


@pytest.mark.parametrize("step", list(STEP_FORMS))
@pytest.mark.parametrize("role", ROLES)
def test_each_step_for_each_person(
    client, people, officer, role, step, application, django_capture_on_commit_callbacks
):
    start, data, target = STEP_FORMS[step]
    bring_to(application, start, officer)
    sms.outbox.clear()
    client = as_role(client, people, role)
    steps_before = application.steps.count()

    shown = client.get(url("step", application.pk, step))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("step", application.pk, step), data)

    application.refresh_from_db()
    if role == "anonymous":
        assert is_login(shown) and is_login(response)
    elif role in ("coop1", "coop2"):
        assert is_denied(shown) and is_denied(response)
    if role in ("anonymous", "coop1", "coop2"):
        assert application.status == start
        assert application.steps.count() == steps_before
        assert sms.outbox == []
        return
    assert shown.status_code == 200
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert response["Location"] == url("inspect", application.pk)
    assert application.status == target
    assert application.steps.last().by == people[role]
    assert len(sms.outbox) == 1 and application.number in sms.outbox[0]["text"]
    if step == "grant":
        area = GrowingArea.objects.get(code="VN-SLL-TQ-0300")
        assert application.growing_area == area and area.households.count() == 2


def test_a_step_not_allowed_now_is_answered_with_a_message(client, people, application):
    client = as_role(client, people, "officer")
    response = client.post(url("step", application.pk, "grant"), STEP_FORMS["grant"][1], follow=True)
    assert response.redirect_chain[-1][0] == url("inspect", application.pk)
    assert "not possible now" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "received" and GrowingArea.objects.count() == 0


def test_a_refusal_without_reason_shows_the_form_again(client, people, application):
    response = as_role(client, people, "officer").post(url("step", application.pk, "refuse"), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    application.refresh_from_db()
    assert application.status == "received"


def test_a_grant_the_register_refuses_shows_why(client, people, officer, application):
    from growers.factories import GrowingAreaFactory

    GrowingAreaFactory(code="VN-SLL-TQ-0300")
    bring_to(application, "inspected", officer)
    response = as_role(client, people, "officer").post(
        url("step", application.pk, "grant"), STEP_FORMS["grant"][1]
    )
    assert response.status_code == 200
    assert "VN-SLL-TQ-0300 is already in the register" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "inspected"


def test_the_grant_form_proposes_the_name_and_asks_for_a_point_only_when_needed(
    client, people, officer, coop1
):
    without_point = make_application(cooperative=coop1, plots=[{"area_hectares": 2}])
    bring_to(without_point, "inspected", officer)
    form = as_role(client, people, "officer").get(url("step", without_point.pk, "grant")).context["form"]
    assert form.initial["name"] == f"Thảo quả Sì Lở Lầu – {coop1.title}"
    assert form.fields["latitude"].required


def a_jpeg(name="lo.jpg"):
    import io

    from PIL import Image

    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 40)).save(out, "JPEG")
    # Claimed as something else: what is stored is what the file is.
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def test_an_inspection_with_a_photo_through_the_form(client, people, officer, application):
    bring_to(application, "inspection", officer)
    data = dict(STEP_FORMS["inspect"][1])
    data["photos"] = [a_jpeg()]
    response = as_role(client, people, "officer").post(url("step", application.pk, "inspect"), data)
    assert response.status_code == 302
    (photo,) = application.inspections.get().photos.all()
    assert (photo.original_name, photo.content_type) == ("lo.jpg", "image/jpeg")


def test_an_inspection_photo_is_read_not_taken_at_the_browsers_word(client, people, officer, application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bring_to(application, "inspection", officer)
    data = dict(STEP_FORMS["inspect"][1])
    data["photos"] = [SimpleUploadedFile("lo.jpg", b"<html><script>x</script>", content_type="image/jpeg")]
    response = as_role(client, people, "officer").post(url("step", application.pk, "inspect"), data)
    assert response.status_code == 200 and response.context["form"].errors["photos"]
    application.refresh_from_db()
    assert application.status == "inspection" and not application.inspections.exists()


# Desk entry and correction ----------------------------------------------------------------------


def desk_form(**overrides):
    data = {
        "applicant_kind": "household",
        "applicant_name": "Sùng A Dình",
        "cooperative": "",
        "phone": "0987 654 321",
        "email": "",
        "language": "hmn",
        "village": "Nậm Xe",
        "crop": "duong-quy",
        "crop_other": "",
        "variety": "",
        "standard": "",
        "notes": "",
        "plots": inline_formset(
            [{"area_hectares": "0.5", "description": "Sau nhà", "latitude": "22.6", "longitude": "103.3"}]
        ),
        "households": inline_formset(
            [{"head_name": "Sùng A Dình", "village": "", "phone": "", "area_hectares": ""}]
        ),
        **overrides,
    }
    return nested_form_data(data)


@pytest.mark.parametrize("role", ROLES)
def test_entering_an_application_at_the_desk(client, people, role, django_capture_on_commit_callbacks):
    client = as_role(client, people, role)
    shown = client.get(url("add"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("add"), desk_form())
    if role == "anonymous":
        assert is_login(shown) and is_login(response)
    elif role in ("coop1", "coop2"):
        assert is_denied(shown) and is_denied(response)
    if role in ("anonymous", "coop1", "coop2"):
        assert Application.objects.count() == 0 and sms.outbox == []
        return
    assert shown.status_code == 200
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    assert application.number.startswith(f"{TODAY.year}-")
    assert (application.channel, application.entered_by, application.status) == (
        "desk",
        people[role],
        "received",
    )
    assert application.phone == "+84987654321"
    assert (
        application.plots.get().area_hectares == 0.5 or str(application.plots.get().area_hectares) == "0.50"
    )
    assert application.households.get().head_name == "Sùng A Dình"
    (step,) = application.steps.all()
    assert (step.from_status, step.to_status, step.by) == ("", "received", people[role])
    assert sms.outbox[0]["to"] == "+84987654321" and application.number in sms.outbox[0]["text"]


def test_the_papers_brought_to_the_desk_are_kept_private(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_role(client, people, "officer")
    data = desk_form()
    data["documents"] = [SimpleUploadedFile("giay-to.pdf", b"%PDF-1.4 x", content_type="application/pdf")]
    response = client.post(url("add"), data)
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    (document,) = application.files.all()
    assert (document.original_name, document.kind) == ("giay-to.pdf", "document")
    assert not document.file.name.endswith("giay-to.pdf")  # a random name, never guessed

    for disguised in (
        SimpleUploadedFile("anh.html", b"<script>", content_type="text/html"),
        SimpleUploadedFile("anh.jpg", b"<script>", content_type="image/jpeg"),  # the browser's word only
    ):
        later = desk_form()
        later["documents"] = [disguised]
        response = client.post(url("edit", application.pk), later)
        assert response.status_code == 200 and response.context["form"].errors["documents"]
        assert application.files.count() == 1

    later = desk_form()
    later["documents"] = [a_jpeg("anh-giay.jpg")]
    assert client.post(url("edit", application.pk), later).status_code == 302
    assert application.files.get(original_name="anh-giay.jpg").content_type == "image/jpeg"


def test_the_desk_entry_refuses_a_phone_that_cannot_receive_texts(client, people):
    response = as_role(client, people, "officer").post(url("add"), desk_form(phone="abc"))
    assert response.status_code == 200
    assert Application.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_correcting_the_applicants_details(client, people, role, application):
    client = as_role(client, people, role)
    shown = client.get(url("edit", application.pk))
    data = desk_form(phone="0911 222 333", applicant_name="Giàng A Páo", status="granted")
    response = client.post(url("edit", application.pk), data)
    application.refresh_from_db()
    if role == "anonymous":
        assert is_login(shown) and is_login(response)
    elif role in ("coop1", "coop2"):
        assert is_denied(shown) and is_denied(response)
    if role in ("anonymous", "coop1", "coop2"):
        assert application.phone == "+84912345678"
        return
    assert response.status_code == 302, response.context["form"].errors
    assert application.phone == "+84911222333"
    assert application.status == "received"  # never edited directly
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(application.pk)).exists()


def test_the_history_shows_each_step_with_its_reason(client, people, officer, application):
    bring_to(application, "needs-info", officer)
    response = as_role(client, people, "officer").get(url("history", application.pk))
    assert response.status_code == 200
    assert "Information asked: Bản đồ lô đất chưa rõ" in response.content.decode()
    denied = as_role(client, people, "coop2").get(url("history", application.pk))
    assert denied.status_code in (302, 404)


def test_nobody_deletes_an_application(client, people, application):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        url("delete", application.pk)


# The dashboard ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coop1", "coop2", "officer"])
def test_the_dashboard_counts_what_waits(client, people, officer, role, application, coop2):
    older = make_application(cooperative=coop2, applicant_name="Pờ Thị Mé", phone="+84900000005", plots=[])
    Application.objects.filter(pk=older.pk).update(received_at=older.received_at - timedelta(days=20))
    bring_to(application, "needs-info", officer)
    page = soup(as_role(client, people, role).get(reverse("wagtailadmin_home")))
    panel = page.select_one("#code-applications-section")
    text = panel.get_text(" ", strip=True) if panel else ""
    if role == "officer":
        assert "2 applications waiting" in text
        assert "Needs information: 1" in text and "Received: 1" in text
        assert text.index(older.number) < text.index(application.number)
        assert "20 days" in text
        assert panel.find("a", href=url("index") + "?status=needs-info")
    elif role == "coop1":
        assert "1 application waiting" in text and older.number not in text
    else:
        assert application.number not in text
