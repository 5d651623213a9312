"""With DEBUG on (development), the web process serves MEDIA_ROOT itself, but never an
application's papers and photos (MEDIA_PRIVATE_FOLDERS), however the path is written: those are
streamed by the officer's queue to those who may see the application (applications/viewsets)."""

import pytest

from django.http import Http404
from django.test import RequestFactory

from website import media


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "applications").mkdir()
    (tmp_path / "applications" / "0123abcd.pdf").write_bytes(b"%PDF-1.4 private")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "che.png").write_bytes(b"\x89PNG")
    return tmp_path


@pytest.mark.parametrize(
    "path",
    ["applications/0123abcd.pdf", "./applications/0123abcd.pdf", "images/../applications/0123abcd.pdf"],
)
def test_an_applications_file_is_not_served_as_media(media_root, path):
    with pytest.raises(Http404):
        media.serve_in_development(RequestFactory().get(f"/media/{path}"), path)


def test_other_media_is_served_in_development(media_root):
    response = media.serve_in_development(RequestFactory().get("/media/images/che.png"), "images/che.png")
    assert response.status_code == 200
