"""Batches are not translated: one lot has one printed short code, and its trace page speaks the
buyer's language by itself (the interface catalogue, the product's and cooperative's
translations). Translating a product, alone or with its subtree, must therefore leave its
batches where they are. `BatchPage.copy` refuses a copy for translation (it returns None);
this module makes sure Wagtail asks it, and answers the editor who asks to translate a batch.

- Wagtail's CopyPageForTranslationAction copies each page with `page.copy(...)`. For the page
  the editor chose it has the specific page, but `walk()`, which copies the subtree when
  "Include subtree" is ticked in simple_translation, hands it the generic `Page` of each live
  child, so `Page.copy` would run instead of `BatchPage.copy` and fail on the unique short code
  (rolling back the product's translation too). `copy_specific_pages_for_translation` makes
  the action pass the specific page; nothing else changes (Wagtail's copy takes the specific
  page itself in any case). walk() tolerates the None: it sends copy_for_translation_done with
  target_obj=None (no receiver here) and goes on to the batch's children (it has none).
- simple_translation's "Translate" view, asked for a batch alone, would look for the
  translation it believes it made and fail; `submit_page_translation` answers instead with a
  message and the batch's edit page, and hands every other page to simple_translation.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _

from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.contrib.simple_translation.views import SubmitPageTranslationView
from wagtail.models import Page

from .models import BatchPage


def copy_specific_pages_for_translation() -> None:
    """Called once from TraceabilityConfig.ready()."""
    original = CopyPageForTranslationAction._copy_for_translation
    if getattr(original, "copies_specific_pages", False):
        return

    @wraps(original)
    def _copy_for_translation(self, page, *args, **kwargs):
        specific_class = page.specific_class
        if specific_class is not None and type(page) is not specific_class:
            page = page.specific
        return original(self, page, *args, **kwargs)

    _copy_for_translation.copies_specific_pages = True
    CopyPageForTranslationAction._copy_for_translation = _copy_for_translation


def submit_page_translation(request, page_id: int):
    page = get_object_or_404(Page, id=page_id)
    if issubclass(page.specific_class or Page, BatchPage):
        messages.warning(
            request,
            _(
                "Batches are not translated: a batch has one printed code, and its trace page "
                "is shown in the buyer's language from the product's translation."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page_id)
    return SubmitPageTranslationView.as_view()(request, page_id=page_id)


def admin_urls():
    """Registered ahead of simple_translation's own URLs (same path, so its reversed URL name
    leads here first)."""
    return [path("translation/submit/page/<int:page_id>/", submit_page_translation)]
