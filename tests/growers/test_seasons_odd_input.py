"""Odd input to the season forms is answered with the form, never an error page."""

import pytest

from django.urls import reverse

from growers.factories import GrowingAreaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("area", ["²", "¹²", "x", "-1", "99999999999999999999999", ""])
def test_declaring_a_season_for_an_odd_code_in_the_address_shows_the_empty_form(client, coop1, officer, area):
    GrowingAreaFactory(code="VN-SLL-0101", cooperative=coop1)
    client.force_login(officer)
    response = client.get(reverse("seasons:add"), {"area": area})
    assert response.status_code == 200
