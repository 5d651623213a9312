"""The officer's list of applications reads the same number of queries whatever the number of
applications on the page: the "Possible duplicate" flag is worked out for the whole page at once,
not with several queries (and every other application's plots) for each row."""

from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growers.factories import square_boundary
from tests.helpers import soup

from .queue_fixtures import make_application

pytestmark = pytest.mark.django_db


def plots_at(n):
    latitude = Decimal("22.600000") + Decimal(n) / 100
    return [
        {
            "area_hectares": Decimal("1"),
            "latitude": latitude,
            "longitude": Decimal("103.200000"),
            "boundary": square_boundary(latitude, Decimal("103.200000")),
        }
    ]


def queries_for_the_list(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("code_applications:index"))
    assert response.status_code == 200
    return len(queries), response


def test_the_list_takes_as_many_queries_for_twelve_applications_as_for_three(client, officer):
    client.force_login(officer)
    for n in range(3):
        make_application(phone=f"+8490000010{n}", village=f"Bản {n}", plots=plots_at(n))
    client.get(reverse("code_applications:index"))  # what is read once per process
    few, _response = queries_for_the_list(client)
    for n in range(3, 12):
        make_application(phone=f"+849000001{n:02d}", village=f"Bản {n}", plots=plots_at(n))
    many, _response = queries_for_the_list(client)
    assert many == few


def test_the_list_still_flags_the_same_phone_in_the_same_village_and_the_same_land(client, officer):
    client.force_login(officer)
    first = make_application(phone="+84900000201", village="Sì Lở Lầu", plots=plots_at(1))
    same_phone = make_application(phone="+84900000201", village="sì lở lầu", plots=plots_at(5))
    same_land = make_application(phone="+84900000202", village="Pa Vây Sử", plots=plots_at(1))
    alone = make_application(phone="+84900000203", village="Mù Sang", plots=plots_at(9))
    _count, response = queries_for_the_list(client)
    rows = {row.get_text(" ", strip=True) for row in soup(response).select("tbody tr")}

    def flagged(application):
        row = next(row for row in rows if application.number in row)
        return "Possible duplicate" in row or "Có thể trùng" in row

    assert flagged(first) and flagged(same_phone) and flagged(same_land)
    assert not flagged(alone)
