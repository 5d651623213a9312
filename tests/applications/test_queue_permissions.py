"""The officers' group made before the applications app gets the queue's permissions from the data
migration; a group made afterwards from growers.services.ensure_officers_group (the hook)."""

import importlib

import pytest

from django.apps import apps
from django.contrib.auth.models import Group

from growers.services import OFFICERS_GROUP_NAME, ensure_officers_group

pytestmark = pytest.mark.django_db
QUEUE = {"view_application", "add_application", "change_application"}


def codenames(group):
    return set(
        group.permissions.filter(content_type__app_label="applications").values_list("codename", flat=True)
    )


def test_the_migration_gives_an_existing_officers_group_the_queue():
    group = Group.objects.create(name=OFFICERS_GROUP_NAME)
    migration = importlib.import_module("applications.migrations.0002_officers_handle_applications")
    migration.grant(apps, None)
    assert codenames(group) == QUEUE


def test_the_migration_makes_no_group_where_there_is_none():
    migration = importlib.import_module("applications.migrations.0002_officers_handle_applications")
    migration.grant(apps, None)
    assert not Group.objects.filter(name=OFFICERS_GROUP_NAME).exists()


def test_a_new_officers_group_gets_the_queue_through_the_hook():
    assert codenames(ensure_officers_group()) == QUEUE
