"""Queries on Wagtail pages shared by the apps."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from wagtail.models import Page, PageViewRestriction
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


def reachable(pages: PageQuerySet) -> PageQuerySet:
    """`pages` a visitor can reach: no view restriction on them or above them (`public`), and no
    unpublished page above them (whose own live flag stays the caller's to check). In the same
    query."""
    unpublished_above = Page.objects.filter(
        live=False,
        depth__gt=1,
        depth__lt=OuterRef("depth"),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return public(pages).exclude(Exists(unpublished_above))
