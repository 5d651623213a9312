"""What the tests of the public side of applications share: the form as a household fills it in,
files as a phone sends them, and an application made without the form."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, ApplicationPlot, ApplicationStatus, ApplicationStep
from applications.numbers import save_with_number

APPLY = "/growing-areas/apply/"
PHONE = "0912 345 678"
STORED_PHONE = "+84912345678"


def form_data(**overrides) -> dict:
    """The form a household fills in: one plot of 1.5 ha of thảo quả, no member household."""
    data = {
        "submission": "token-1",
        "applicant_kind": "household",
        "applicant_name": "Vàng A Sình",
        "phone": PHONE,
        "email": "",
        "village": "Sì Lở Lầu",
        "crop": "thao-qua",
        "crop_other": "",
        "variety": "",
        "standard": "",
        "notes": "",
        "plots-TOTAL_FORMS": "3",
        "plots-INITIAL_FORMS": "0",
        "plots-MIN_NUM_FORMS": "1",
        "plots-MAX_NUM_FORMS": "3",
        "plots-0-area_hectares": "1.5",
        "plots-0-description": "Sau trường học",
        "plots-0-latitude": "",
        "plots-0-longitude": "",
        "households-TOTAL_FORMS": "4",
        "households-INITIAL_FORMS": "0",
        "households-MIN_NUM_FORMS": "0",
        "households-MAX_NUM_FORMS": "4",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def png_bytes(size=(4, 4), kind="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


def photo(name="plot.png", kind="PNG", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(kind=kind), content_type)


def pdf(name="so-do.pdf", content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, content, "application/pdf")


def make_application(phone=STORED_PHONE, language="vi", hectares="1.50", **fields) -> Application:
    application = Application(
        applicant_name="Giàng Thị Mai",
        phone=phone,
        village="Sì Lở Lầu",
        crop="thao-qua",
        language=language,
        **fields,
    )
    save_with_number(application)
    ApplicationPlot.objects.create(application=application, area_hectares=hectares)
    ApplicationStep.objects.create(
        application=application, from_status="", to_status=ApplicationStatus.RECEIVED
    )
    return application


def move(application, to_status, reason="", **fields) -> ApplicationStep:
    step = ApplicationStep.objects.create(
        application=application, from_status=application.status, to_status=to_status, reason=reason, **fields
    )
    application.status = to_status
    application.save()
    return step
