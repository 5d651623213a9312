"""Requests no browser sends, refused before any view reads them, with a plain sentence in the
visitor's language (never a 500, nothing changed):

- a NUL byte in the address or its query string (PostgreSQL refuses NUL in text, so a search or
  a lookup by it would fail deep inside a view): 400;
- a form (urlencoded or multipart) in a charset other than UTF-8, which Django cannot read: 400.

Placed after the language middleware (it answers in the visitor's language), before anything
that reads the body.
"""

import codecs

from django.http import HttpResponse
from django.utils.translation import gettext as _

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def plain(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or "%00" in query or "\x00" in query


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
        return self.get_response(request)
