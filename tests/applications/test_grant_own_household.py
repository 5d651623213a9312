"""A household that asks for a code for itself lists no member households (the form says it may
leave them empty): granting its application registers the applicant's own household under the
new code, so the registry and the reports' "households covered" count it, as the commune page's
"households that asked" already does."""

import pytest

from django.urls import reverse

from applications.models import ApplicantKind
from commune.selectors import asking, codes
from growers.models import GrowingArea

from .queue_fixtures import TODAY, bring_to, make_application
from .test_queue_admin import STEP_FORMS

pytestmark = pytest.mark.django_db


def grant_through_the_admin(client, officer, application):
    client.force_login(officer)
    response = client.post(
        reverse("code_applications:step", args=[application.pk, "grant"]), STEP_FORMS["grant"][1]
    )
    assert response.status_code == 302
    return GrowingArea.objects.get(code=STEP_FORMS["grant"][1]["code"])


def test_a_household_asking_for_itself_is_the_codes_household(client, officer):
    application = make_application(
        applicant_kind=ApplicantKind.HOUSEHOLD, applicant_name="Vàng A Dình", households=[]
    )
    bring_to(application, "inspected", officer)
    area = grant_through_the_admin(client, officer, application)

    (household,) = area.households.all()
    assert (household.head_name, household.village) == ("Vàng A Dình", application.village)
    assert household.area_hectares == application.total_hectares
    assert asking().granted_households == 1
    assert codes(TODAY).households_covered == 1


def test_a_cooperative_listing_its_households_gets_those_only(client, officer, coop1):
    application = make_application(cooperative=coop1, applicant_kind=ApplicantKind.COOPERATIVE)
    bring_to(application, "inspected", officer)
    area = grant_through_the_admin(client, officer, application)
    assert sorted(area.households.values_list("head_name", flat=True)) == ["Giàng A Páo", "Lò Mỳ Chừ"]
