"""Queries on Wagtail pages shared by the apps."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet


def public(pages: PageQuerySet) -> PageQuerySet:
    """`pages` without those a view restriction (a password, a login, a group) hides, on the
    page or on one above it: what Wagtail's `.public()` keeps, checked inside the same query.

    Wagtail's reads every restriction in a query of its own when `.public()` is called and
    freezes them into the queryset: one more query on every page that lists pages (finding a
    batch is the first step of every scan), and a queryset built once, at import (the
    catalogue's cooperative filter), would never see a restriction added later."""
    restrictions_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restrictions_above))
