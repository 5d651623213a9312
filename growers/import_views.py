"""The officer's spreadsheet upload in the Wagtail admin: upload → preview (a dry run, row by
row) → import all rows, or only the valid ones.

Between the preview and the confirmation the file is kept in the officer's session
(compressed), not on disk: web processes share no disk (DESIGN §6), and nothing under
MEDIA_ROOT is private. The confirmation names the preview it confirms by a random token and
the file's SHA-256, and imports the bytes kept in the session, never a file sent with it."""

import base64
import hashlib
import secrets
import zlib
from pathlib import PurePath

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from .importer import (
    BOUNDARY_FILE_SUFFIXES,
    ImportFileError,
    check_file,
    csv_template,
    describe_columns,
    import_growing_areas,
)

IMPORT_PERMISSIONS = ("growers.add_growingarea", "growers.change_growingarea")
MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024
MAX_BOUNDARY_FILES = 200
MAX_BOUNDARY_BYTES = 5 * 1024 * 1024
SESSION_KEY = "growers_import"


def register_index_url() -> str:
    from .viewsets import growing_area_viewset

    return reverse(f"{growing_area_viewset.url_namespace}:index")


def may_import(user) -> bool:
    """Importing creates and changes codes: the officer's two permissions, both."""
    return user.is_active and user.has_perms(IMPORT_PERMISSIONS)


# Keeping the file between preview and confirmation ----------------------------------------


def _pack(content: bytes) -> str:
    return base64.b64encode(zlib.compress(content)).decode("ascii")


def _unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def keep_upload(request, *, name: str, content: bytes, boundary_files: dict[str, bytes]) -> str:
    """Keep one pending upload per session (a second upload replaces the first); return its token."""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": _pack(content),
        "boundary_files": {file_name: _pack(data) for file_name, data in boundary_files.items()},
    }
    return token


def kept_upload(request, token: str) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending.get("token", ""), token):
        return None
    return {
        "name": pending["name"],
        "sha256": pending["sha256"],
        "content": _unpack(pending["content"]),
        "boundary_files": {name: _unpack(data) for name, data in pending["boundary_files"].items()},
    }


# Forms --------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(BOUNDARY_FILE_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "The first sheet is read. Row 1 (or the first row under a title) holds the column headings."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"empty": gettext_lazy("The file is empty.")},
    )
    boundary_files = MultipleFileField(
        label=gettext_lazy("Boundary files (optional)"),
        required=False,
        help_text=gettext_lazy(
            "GeoJSON or KML files named in the “Ranh giới” column, e.g. vung-17.kml. Select several at once."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = PurePath(upload.name).name
        if PurePath(name).suffix.lower() not in (".csv", ".xlsx", ".xls"):
            raise forms.ValidationError(
                _("“%(name)s” is not a spreadsheet: upload a .csv or .xlsx file.") % {"name": name}
            )
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the most that can be imported at once is %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_SPREADSHEET_BYTES)}
            )
        return upload

    def clean_boundary_files(self):
        uploads = self.cleaned_data["boundary_files"]
        if len(uploads) > MAX_BOUNDARY_FILES:
            raise forms.ValidationError(
                _("Upload at most %(max)d boundary files at once.") % {"max": MAX_BOUNDARY_FILES}
            )
        if sum(upload.size for upload in uploads) > MAX_BOUNDARY_BYTES:
            raise forms.ValidationError(
                _("The boundary files come to more than %(max)s.")
                % {"max": filesizeformat(MAX_BOUNDARY_BYTES)}
            )
        for upload in uploads:
            if not upload.name.lower().endswith(BOUNDARY_FILE_SUFFIXES):
                raise forms.ValidationError(
                    _("“%(name)s” is not a boundary file: use GeoJSON (.geojson) or KML (.kml).")
                    % {"name": upload.name}
                )
        return uploads

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload = cleaned["file"]
        self.name = PurePath(upload.name).name
        self.content = upload.read()
        self.boundary_files = {PurePath(item.name).name: item.read() for item in cleaned["boundary_files"]}
        try:
            # A file that cannot be read at all is refused here, on the upload form.
            check_file(name=self.name, content=self.content, boundary_files=self.boundary_files)
        except ImportFileError as error:
            self.add_error("file", str(error))
        return cleaned


# Views --------------------------------------------------------------------------------------


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ImportPageMixin(ImportPermissionMixin, WagtailAdminTemplateMixin):
    page_title = gettext_lazy("Import growing areas")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": register_index_url(), "label": _("Growing areas")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download the template (CSV)"),
                url=reverse("growers_import_template"),
                icon_name="download",
            )
        ]


class UploadView(ImportPageMixin, FormView):
    template_name = "growers/import/upload.html"
    form_class = UploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = list(describe_columns())
        return context

    def form_valid(self, form):
        token = keep_upload(
            self.request, name=form.name, content=form.content, boundary_files=form.boundary_files
        )
        return redirect("growers_import_preview", token=token)


class PreviewView(ImportPageMixin, TemplateView):
    template_name = "growers/import/preview.html"
    page_subtitle = gettext_lazy("check before importing")

    def get(self, request, *args, token, **kwargs):
        upload = kept_upload(request, token)
        if upload is None:
            messages.error(
                request,
                _("This preview has expired or was replaced by a later upload; upload the file again."),
            )
            return redirect("growers_import")
        try:
            report = check_file(
                name=upload["name"], content=upload["content"], boundary_files=upload["boundary_files"]
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("growers_import")
        context = self.get_context_data(report=report, token=token, sha256=upload["sha256"])
        return self.render_to_response(context)


class ConfirmView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, token, **kwargs):
        upload = kept_upload(request, token)
        if upload is None or not secrets.compare_digest(request.POST.get("sha256", ""), upload["sha256"]):
            messages.error(
                request,
                _("This preview has expired or was replaced by a later upload; upload the file again."),
            )
            return redirect("growers_import")
        valid_only = request.POST.get("mode") == "valid"
        try:
            report = import_growing_areas(
                name=upload["name"],
                content=upload["content"],
                boundary_files=upload["boundary_files"],
                user=request.user,
                valid_only=valid_only,
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("growers_import_preview", token=token)
        if not report.written:
            messages.error(
                request,
                _(
                    "Some rows are not valid (the register may have changed since the preview); "
                    "nothing was written."
                ),
            )
            return redirect("growers_import_preview", token=token)
        del request.session[SESSION_KEY]
        written = len(report.changing_rows)
        message = ngettext(
            "%(file)s: %(count)d growing area created or updated.",
            "%(file)s: %(count)d growing areas created or updated.",
            written,
        ) % {"file": report.file_name, "count": written}
        if report.invalid_rows:
            message += " " + _("Rows not imported: %(rows)s.") % {
                "rows": ", ".join(str(row.row_number) for row in report.invalid_rows)
            }
        messages.success(request, message)
        return redirect(register_index_url())


class TemplateDownloadView(ImportPermissionMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="growing-areas-template.csv"'
        return response


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


def admin_urls():
    """Registered through the register_admin_urls hook, so Wagtail's admin-access check (and the
    login redirect for anonymous users) wraps them."""
    return [
        path("growing-area-import/", UploadView.as_view(), name="growers_import"),
        path(
            "growing-area-import/template.csv", TemplateDownloadView.as_view(), name="growers_import_template"
        ),
        path("growing-area-import/<str:token>/", PreviewView.as_view(), name="growers_import_preview"),
        path(
            "growing-area-import/<str:token>/confirm/", ConfirmView.as_view(), name="growers_import_confirm"
        ),
    ]


def menu_item() -> ImportMenuItem:
    return ImportMenuItem(
        gettext_lazy("Import growing areas"),
        reverse("growers_import"),
        name="growers-import",
        icon_name="upload",
        order=10,
    )
