"""Requests no browser sends, refused before any view reads them, with a plain sentence in the
visitor's language (never a 500, nothing changed):

- a NUL byte in the address, or in the admin's query strings (PostgreSQL refuses NUL in text, so
  a lookup or a search by it would fail deep inside a view): 400;
- a form (urlencoded or multipart) in a charset other than UTF-8, which Django cannot read: 400;
- a body larger than expected: 413, from the Content-Length before anything is read.
  REQUEST_BODY_MAX_SIZE (1 MB) everywhere; ADMIN_REQUEST_BODY_MAX_SIZE (the largest image or
  document upload allowed, plus room for the other fields) in the admin, for signed-in staff,
  where images, documents and spreadsheets are uploaded; a public form with files, as much as its
  app registers (register_upload_path). A body sent in chunks without a length
  is refused (411): Django would silently read it as empty.

Placed after the session and language middleware (it may look up who is signed in, and it
answers in their language), before anything that reads the body.
"""

import codecs
import re

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpResponse
from django.utils.translation import gettext as _

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ADMIN_PREFIX = "/admin/"


def plain(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


# Public addresses whose views answer a hostile code with their own page (the trace page's "code
# not known" in the buyer's language, the registry's "not registered", a JSON 404), NUL included.
ANSWERS_ITS_OWN_CODES = re.compile(r"^/(?:t/|01/|api/v1/|(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?growing-areas/)")


def has_nul(request) -> bool:
    """A NUL in the address, or anywhere in the admin (its searches, autocompletes and the page
    API hand the text to the database). Public query strings are read through Django forms, which
    refuse NUL themselves with a message on the page."""
    path = request.path_info
    if path.startswith(ADMIN_PREFIX):
        query = request.META.get("QUERY_STRING", "")
        return "\x00" in path or "%00" in query or "\x00" in query
    return "\x00" in path and not ANSWERS_ITS_OWN_CODES.match(path)


def unreadable_charset(request) -> bool:
    if request.content_type not in FORM_CONTENT_TYPES:
        return False
    charset = request.content_params.get("charset")
    if not charset:
        return False
    try:
        return codecs.lookup(charset).name != "utf-8"
    except LookupError:
        return True


# Public forms that take uploads (an app registers its path and limit from its AppConfig.ready,
# e.g. the application form for a growing-area code: photos and papers): path pattern -> bytes.
UPLOAD_PATHS: dict[re.Pattern, int] = {}


def register_upload_path(path: re.Pattern, limit: int) -> None:
    """Let a public form at `path` take a body of up to `limit` bytes (its files and fields)."""
    UPLOAD_PATHS[path] = limit


def body_limit(request) -> int:
    limit = settings.REQUEST_BODY_MAX_SIZE
    for path, upload_limit in UPLOAD_PATHS.items():
        if path.match(request.path_info):
            return max(limit, upload_limit)
    if request.path_info.startswith(ADMIN_PREFIX):
        # Who is signed in is looked up only for a large body, in the admin: rare.
        user = getattr(request, "user", None) or get_user(request)
        if user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
            limit = settings.ADMIN_REQUEST_BODY_MAX_SIZE
    return limit


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return plain(_("The address contains a character that is not allowed (NUL)."), 400)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        if unreadable_charset(request):
            return plain(_("Please send the form in UTF-8."), 400)
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length.strip():
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return plain(_("Please send the length of what you send (Content-Length)."), 411)
            return self.get_response(request)
        try:
            size = int(length)
        except ValueError:
            return plain(_("The length of what you sent (Content-Length) is not a number."), 400)
        if size > settings.REQUEST_BODY_MAX_SIZE and size > body_limit(request):
            return plain(_("What you sent is too large."), 413)
        return self.get_response(request)
