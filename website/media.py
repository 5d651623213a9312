"""Uploaded images served by the web process itself, where no bucket or proxy serves MEDIA_ROOT
(SERVE_MEDIA, on by default without AWS_STORAGE_BUCKET_NAME; docs/deploy.md, "Media"). Only
Wagtail's images and renditions, only as the image types uploads may have: documents under
MEDIA_ROOT keep going through Wagtail's document view, which checks their collection's privacy,
and nothing uploaded is ever answered as HTML. Django's static.serve refuses any path outside
MEDIA_ROOT; it answers If-Modified-Since, and a proxy or CDN in front keeps what it sends."""

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views import static

# Wagtail's folders: originals (original_images/) and renditions (images/).
FOLDERS = ("original_images", "images")
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
}
CACHE_SECONDS = 24 * 60 * 60


def serve_image(request, path: str):
    parts = PurePosixPath(path).parts
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if len(parts) != 2 or parts[0] not in FOLDERS or content_type is None:
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def serve_in_development(request, path: str):
    """DEBUG only: anything under MEDIA_ROOT, as Django's static.serve, except the folders named
    in MEDIA_PRIVATE_FOLDERS (e.g. an application's papers, which their app streams only to those
    who may see them): a 404 there, whatever way the path is written."""
    parts = PurePosixPath(posixpath.normpath(path).lstrip("/")).parts
    if parts and parts[0] in getattr(settings, "MEDIA_PRIVATE_FOLDERS", ()):
        raise Http404
    return static.serve(request, path, document_root=settings.MEDIA_ROOT)
