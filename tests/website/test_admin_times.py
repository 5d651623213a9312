"""Every time the admin shows is in the site's time zone (Asia/Ho_Chi_Minh, UTC+7): Wagtail's
inspect views print a model's date-and-time fields in UTC unless told otherwise."""

import datetime as dt

from bs4 import BeautifulSoup

from django.urls import reverse

from growers.factories import GrowingAreaFactory
from growers.models import GrowingArea
from website.factories import UserFactory


def test_admin_sees_a_growing_area_codes_last_change_in_vietnam_time(client, db):
    area = GrowingAreaFactory()
    GrowingArea.objects.filter(pk=area.pk).update(updated_at=dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC))
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    response = client.get(reverse("growing_areas:inspect", args=[area.pk]))

    page = " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())
    assert "14:30" in page
    assert "07:30" not in page
