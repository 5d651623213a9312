"""The public application form, as a household or a group fills it in on a phone: what is saved,
what the applicant is told, and every mistake said in words with nothing saved."""

import html
import json
import re
from decimal import Decimal

import pytest

from django.core import mail

import sms
from applications.models import Application, ApplicationFile, ApplicationStatus, FileKind
from sms.text import is_sms_text

from .apply_helpers import APPLY, STORED_PHONE, form_data, pdf, photo

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("home")]


def send(client, data, prefix="/en"):
    return client.post(prefix + APPLY, data)


def errors_of(response) -> str:
    """The red words the applicant reads."""
    found = re.findall(r'<p class="error">(.*?)</p>', response.content.decode())
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", text) for text in found))


@pytest.mark.parametrize(
    ("prefix", "language", "heading"),
    [
        ("", "vi", "Xin cấp mã số vùng trồng"),
        ("/en", "en", "Apply for a growing-area code"),
        ("/hmn", "hmn", ""),
    ],
)
def test_the_form_is_there_in_every_language_without_an_account(client, prefix, language, heading):
    response = client.get(prefix + APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    if heading:
        assert heading in html
    assert "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script" not in html
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


@pytest.mark.parametrize(("prefix", "language"), [("", "vi"), ("/en", "en"), ("/hmn", "hmn")])
def test_a_household_applies_and_gets_a_number_a_text_and_a_confirmation(
    client, prefix, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(prefix + APPLY, form_data())
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == f"{prefix}/growing-areas/apply/{application.number}/received/"
    assert application.number.endswith("-0001")
    assert application.language == language
    assert application.phone == STORED_PHONE
    assert application.status == ApplicationStatus.RECEIVED
    assert application.channel == "web"
    assert application.plots.get().area_hectares == Decimal("1.50")
    step = application.steps.get()
    assert (step.from_status, step.to_status) == ("", "received")
    # The receipt by SMS, once the transaction committed: the number, the keyword, one SMS.
    assert len(sms.outbox) == 1
    assert sms.outbox[0]["to"] == STORED_PHONE
    text = sms.outbox[0]["text"]
    assert application.number in text and "MSVT" in text
    assert is_sms_text(text)
    assert mail.outbox == []  # no e-mail given

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert application.number in html
    assert f"MSVT {application.number}" in html
    assert f"{prefix}/growing-areas/apply/{application.number}/" in html
    assert "private" in page["Cache-Control"]


def test_a_cooperative_applies_with_plots_households_and_files(client, django_capture_on_commit_callbacks):
    data = form_data(
        applicant_kind="cooperative",
        applicant_name="HTX Sì Lở Lầu",
        email="htx@example.com",
        crop="other",
        crop_other="Cây lá thuốc",
        variety="Địa phương",
        standard="vietgap",
        **{
            "plots-0-latitude": "22,6153",
            "plots-0-longitude": "103.27",
            "plots-1-area_hectares": "0,8",
            "plots-1-boundary_file": boundary_file(),
            "households-0-head_name": "Lò Văn Pao",
            "households-0-village": "Hồ Thầu",
            "households-0-phone": "0987654321",
            "households-0-area_hectares": "0.5",
        },
    )
    data["photos"] = [
        photo("a.png"),
        photo("b.jpg", kind="JPEG", content_type="image/jpeg"),
        photo("c.webp", kind="WEBP"),
    ]
    data["documents"] = [pdf()]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, data)
    assert response.status_code == 302, errors_of(response)
    application = Application.objects.get()
    assert application.applicant_kind == "cooperative"
    assert application.crop_label == "Cây lá thuốc"
    assert application.total_hectares == Decimal("2.30")
    first, second = application.plots.order_by("sort_order")
    assert (first.latitude, first.longitude) == (Decimal("22.615300"), Decimal("103.270000"))
    assert second.boundary["type"] == "Polygon"
    household = application.households.get()
    assert (household.head_name, household.phone) == ("Lò Văn Pao", "+84987654321")
    kinds = sorted(application.files.values_list("kind", flat=True))
    assert kinds == sorted([FileKind.PHOTO] * 3 + [FileKind.DOCUMENT, FileKind.BOUNDARY])
    for stored in ApplicationFile.objects.all():
        # Private random names, never the name the applicant's phone gave.
        assert re.fullmatch(r"applications/[0-9a-f]{32}\.[a-z]+", stored.file.name)
        assert stored.original_name in {"a.png", "b.jpg", "c.webp", "so-do.pdf", "ranh-gioi.geojson"}
    # The e-mail, in the application's language, says how to follow it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["htx@example.com"]
    assert application.number in mail.outbox[0].body and "MSVT" in mail.outbox[0].body


def boundary_file(content=None, name="ranh-gioi.geojson"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from growers.factories import square_boundary

    if content is None:
        content = json.dumps(square_boundary()).encode()
    return SimpleUploadedFile(name, content, "application/geo+json")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"applicant_name": ""}, "This field is required"),
        ({"phone": ""}, "This field is required"),
        ({"phone": "12345"}, "Vietnamese mobile number of 10 digits"),
        ({"phone": "+33 6 12 34 56 78"}, "Vietnamese mobile number of 10 digits"),
        ({"phone": "0243 826 1234"}, "Vietnamese mobile number of 10 digits"),
        ({"email": "not-an-email"}, "valid email"),
        ({"village": ""}, "This field is required"),
        ({"crop": ""}, "This field is required"),
        ({"crop": "rice-from-mars"}, "Select a valid choice"),
        ({"crop": "other", "crop_other": ""}, "write the crop's name here"),
        ({"standard": "iso"}, "Select a valid choice"),
        ({"applicant_kind": "company"}, "Select a valid choice"),
        ({"plots-0-area_hectares": ""}, "This field is required"),
        ({"plots-0-area_hectares": "0"}, "more than 0 ha"),
        ({"plots-0-area_hectares": "-3"}, "more than 0 ha"),
        ({"plots-0-area_hectares": "5000"}, "at most 1000 ha"),
        ({"plots-0-area_hectares": "9" * 400}, "digits"),
        ({"plots-0-area_hectares": "1e999999"}, "digits"),
        ({"plots-0-area_hectares": "NaN"}, "number"),
        ({"plots-0-area_hectares": "một"}, "number"),
        ({"plots-0-latitude": "22.6"}, "or neither"),
        ({"plots-0-latitude": "abc", "plots-0-longitude": "103"}, "in degrees"),
        ({"plots-0-latitude": "91", "plots-0-longitude": "103"}, "between -90 and 90"),
        ({"plots-0-latitude": "1e400", "plots-0-longitude": "103"}, "between -90 and 90"),
        ({"plots-0-latitude": "48.85", "plots-0-longitude": "2.35"}, "not in Vietnam"),
        ({"plots-0-latitude": "103.27", "plots-0-longitude": "22.62"}, "between -90 and 90"),
        ({"plots-1-description": "Bên suối"}, "This field is required"),
        ({"households-0-village": "Hồ Thầu"}, "This field is required"),
        ({"households-0-head_name": "Lò Văn Pao", "households-0-phone": "123"}, "Vietnamese mobile number"),
        ({"notes": "x" * 3000}, "at most 2000 characters"),
    ],
)
def test_every_mistake_is_said_and_nothing_is_saved(client, overrides, message):
    response = send(client, form_data(**overrides))
    assert response.status_code == 400
    assert message in errors_of(response)
    assert "Nothing was saved" in response.content.decode() or "Nothing was saved" in errors_of(response)
    assert Application.objects.count() == 0
    assert sms.outbox == []


def test_a_tampered_row_count_neither_breaks_nor_adds_rows(client):
    response = send(client, form_data(**{"plots-TOTAL_FORMS": "100000", "households-TOTAL_FORMS": "x"}))
    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"{not json", "a.geojson", "cannot be read"),
        (
            json.dumps({"type": "Point", "coordinates": [103.27, 22.62]}).encode(),
            "a.geojson",
            "only a Polygon",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}
            ).encode(),
            "a.geojson",
            "Vietnam",
        ),
        (b"<kml><Placemark/></kml>", "a.kml", "no Polygon"),
        (b"\xff\xfe\x00garbage", "a.geojson", "cannot be read"),
        (b"hello", "a.txt", "GeoJSON (.geojson) or KML"),
        (b"{" + b" " * (1024 * 1024 + 10) + b"}", "a.geojson", "at most 1 MB"),
    ],
)
def test_a_broken_boundary_file_is_refused_in_words(client, content, name, message):
    data = form_data(**{"plots-0-boundary_file": boundary_file(content, name)})
    response = send(client, data)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        (
            "photos",
            lambda: photo("fake.jpg", content=b"\xff\xd8\xff not really a jpeg"),
            "not a photo we can read",
        ),
        ("photos", lambda: photo("doc.png", content=b"%PDF-1.4 a pdf named png"), "not a photo we can read"),
        (
            "photos",
            lambda: photo("anim.gif", content=gif_bytes(), content_type="image/gif"),
            "JPG, PNG or WebP",
        ),
        ("photos", lambda: [photo(f"{n}.png") for n in range(6)], "at most 5 photos"),
        ("photos", lambda: photo("big.png", content=png_bytes_padded(5 * 1024 * 1024 + 1)), "at most 5 MB"),
        ("documents", lambda: pdf("letter.pdf", content=b"MZ\x90\x00 an exe"), "not a PDF document"),
        ("documents", lambda: [pdf(f"{n}.pdf") for n in range(4)], "at most 3 documents"),
        ("documents", lambda: pdf("big.pdf", content=b"%PDF-" + b"0" * (10 * 1024 * 1024)), "at most 10 MB"),
    ],
)
def test_files_that_are_not_what_they_claim_or_too_big_are_refused(client, field, upload, message):
    data = form_data()
    data[field] = upload()
    response = send(client, data)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert Application.objects.count() == 0
    assert ApplicationFile.objects.count() == 0


def gif_bytes() -> bytes:
    from .apply_helpers import png_bytes

    return png_bytes(kind="GIF")


def png_bytes_padded(size: int) -> bytes:
    from .apply_helpers import png_bytes

    data = png_bytes()
    return data + b"\0" * (size - len(data))


def test_the_limits_on_files_are_said_before_sending(client):
    html = client.get("/en" + APPLY).content.decode()
    assert "up to 5 photos of at most 5 MB each" in html
    assert "up to 3 documents of at most 10 MB each" in html
    assert "at most 1 MB" in html


@pytest.mark.parametrize(
    ("crop", "hectares", "warned"),
    [
        ("thao-qua", "0.5", True),
        ("thao-qua", "1", False),
        ("duong-quy", "0.05", True),
        ("duong-quy", "0.1", False),
    ],
)
def test_under_the_minimum_area_the_application_is_accepted_with_a_warning(client, crop, hectares, warned):
    response = client.post(
        "/en" + APPLY, form_data(crop=crop, **{"plots-0-area_hectares": hectares}), follow=True
    )
    assert response.status_code == 200
    assert Application.objects.count() == 1
    assert ("may group your plots with your neighbours" in response.content.decode()) is warned


def test_the_same_form_sent_twice_makes_one_application(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, form_data())
        second = send(client, form_data())
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert len(sms.outbox) == 1
    # Reloading the confirmation creates nothing either.
    for _ in range(2):
        assert client.get(first["Location"]).status_code == 200
    assert Application.objects.count() == 1


def test_a_new_form_makes_a_new_application(client):
    send(client, form_data(submission="token-1"))
    send(client, form_data(submission="token-2"))
    assert sorted(Application.objects.values_list("number", flat=True))[-1].endswith("-0002")


def test_the_confirmation_is_only_for_the_browser_that_sent_it(client, django_user_model):
    from django.test import Client

    location = send(client, form_data())["Location"]
    stranger = Client().get(location)
    assert stranger.status_code == 302
    assert stranger["Location"].endswith(location.removesuffix("received/"))
    page = Client().get(stranger["Location"]).content.decode()
    assert "Vàng A Sình" not in page and "Sau trường học" not in page and "345" not in page


def test_the_form_is_csrf_protected(client):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(APPLY, form_data())
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_too_many_applications_from_one_client_are_refused_in_words(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"application_submit": (2, 3600)}
    for n in range(2):
        assert send(client, form_data(submission=f"t{n}")).status_code == 302
    response = client.post("/en" + APPLY, form_data(submission="t3"))
    assert response.status_code == 429
    assert "Too many applications were sent from this connection" in response.content.decode()
    assert Application.objects.count() == 2


def test_every_input_has_a_label_and_nothing_has_a_fixed_width(client):
    page = client.get("/en" + APPLY).content.decode()
    form = page[page.index('<form method="post"') : page.index("</form>", page.index('<form method="post"'))]
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form)
    ids = [re.search(r'id="([^"]+)"', tag) for tag in inputs if 'type="hidden"' not in tag]
    assert ids and all(ids)
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', form))
    missing = [match.group(1) for match in ids if match.group(1) not in labelled]
    assert not missing, missing
    # Nothing wider than a 320 px phone: no inline style, no fixed width outside the pictograms.
    assert "style=" not in form
    assert not re.search(r"<(?!svg)[a-z]+\b[^>]*\bwidth=", form)
    # Large touch targets and the keypad that fits: numbers and phones ask for a numeric keypad.
    assert 'inputmode="tel"' in form and 'inputmode="decimal"' in form


def test_the_form_takes_photos_beyond_other_public_forms_limit_but_not_without_end(client, settings):
    settings.APPLICATION_REQUEST_BODY_MAX_SIZE = 12 * 1024 * 1024
    data = form_data()
    data["photos"] = [photo(f"{n}.png", content=png_bytes_padded(900 * 1024)) for n in range(3)]
    assert send(client, data).status_code == 302  # 2.7 MB: more than the 1 MB of other forms
    data = form_data(submission="t2")
    data["documents"] = [pdf(f"{n}.pdf", content=b"%PDF-" + b"0" * (8 * 1024 * 1024)) for n in range(3)]
    response = send(client, data)
    assert response.status_code == 413
    assert Application.objects.count() == 1
    # Another public form keeps its 1 MB.
    assert client.post("/en/growing-areas/", {"x": "0" * (1024 * 1024 + 1)}).status_code == 413
