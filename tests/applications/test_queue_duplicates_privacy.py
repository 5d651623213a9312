"""An application's page names its possible duplicates (number, applicant, village, status) only
among the applications the reader may see: a cooperative's editor reading their own application
does not learn the name of another cooperative's (or a household's) applicant on the same land."""

import pytest

from django.urls import reverse

from .queue_fixtures import make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "named"), [("coop1_editor", False), ("officer", True)])
def test_possible_duplicates_are_named_only_to_those_who_may_see_them(
    client, request, coop1, coop2, role, named
):
    own = make_application(cooperative=coop1)
    other = make_application(cooperative=coop2, applicant_name="Pờ Thị Mé")  # the same plots
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("code_applications:inspect", args=[own.pk]))
    assert response.status_code == 200
    assert ("Pờ Thị Mé" in response.text) == named
    assert (other.number in response.text) == named
