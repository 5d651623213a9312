"""What the buyer's pages answer with: redirects, private responses, a form's first error."""

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _see_other(url: str) -> HttpResponse:
    # A plain redirect to a path (never shortcuts.redirect, which would try a posted word as a
    # URL name and fail).
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """For pages whose URL is a secret (the order token) or that show a buyer's data: never
    stored by a shared cache, never indexed, the URL never sent on to another site.
    "same-origin", not "no-referrer": with no referrer at all, Chromium posts this page's forms
    with "Origin: null" and Django's CSRF check refuses the checkout."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("The request is not valid.")


def _back(request, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return _see_other(target)
