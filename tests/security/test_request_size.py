"""Bodies larger than anything expected: an anonymous 5 MB multipart upload to the cart or the
checkout is refused with 413 before any of it is read; a body sent in chunks without a length is
refused; editors still upload large images in the admin."""

import io
import os

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from wagtail.images import get_image_model

from growers.selectors import cooperative_collection
from orders.models import Order

from .conftest import login

MB = 1024 * 1024


class CountingInput(io.BytesIO):
    """A request body that notes how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        chunk = super().readline(size)
        self.bytes_read += len(chunk)
        return chunk


def multipart_of(size: int) -> bytes:
    return encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.bin", b"x" * size), "quantity": "1"})


@pytest.mark.parametrize(
    "path", ["/checkout/", "/cart/add/", "/en/checkout/", "/webhooks/bank/", "/admin/login/"]
)
def test_an_anonymous_5_mb_upload_is_refused_unread(world, path):
    body = multipart_of(5 * MB)
    stream = CountingInput(body)
    client = Client(raise_request_exception=False)
    orders = Order.objects.count()

    response = client.generic(
        "POST",
        path,
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": stream},
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert stream.bytes_read == 0
    assert Order.objects.count() == orders


def test_an_anonymous_upload_to_the_admin_is_refused_too(world):
    body = multipart_of(2 * MB)
    response = Client().generic("POST", reverse("wagtailimages:add"), body, content_type=MULTIPART_CONTENT)

    assert response.status_code == 413


def test_a_body_sent_in_chunks_without_a_length_is_refused(world):
    response = Client().generic(
        "POST",
        "/checkout/",
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/plain")


def test_an_ordinary_checkout_post_is_not_refused(world):
    response = Client().post("/checkout/", {"name": "Lan"})

    assert response.status_code not in (411, 413)


def noise_png(size: int) -> bytes:
    """A real PNG of random pixels (which do not compress) of about `size` bytes."""
    side = int((size / 3) ** 0.5)
    picture = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_an_editor_uploads_a_3_mb_image_in_the_admin(client, world):
    login(client, world, "editor_a")
    content = noise_png(3 * MB)
    assert len(content) > 3 * MB

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh lớn",
            "file": SimpleUploadedFile("big.png", content),
            "collection": cooperative_collection(world.coop_a).pk,
            "tags": "",
        },
    )

    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Ảnh lớn").count() == 1
