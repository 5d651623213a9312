"""Rules of the growing-area register that hold whatever the door in (admin, import, shell)."""

import datetime
import threading
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from wagtail.models import ModelLogEntry

from growers.exceptions import StatusChangeRefused
from growers.models import GrowingArea, GrowingAreaStatus, StatusChange
from growers.services import allowed_status_actions, change_status
from website.factories import UserFactory

TODAY = timezone.localdate()


def make_area(**overrides) -> GrowingArea:
    fields = {
        "code": "VN-DTOR-0017",
        "name": "Vùng thảo quả Sì Lở Lầu",
        "village": "Sì Lở Lầu",
        "crop_name": "Thảo quả",
        "crop_scientific_name": "Amomum tsao-ko",
        "area_hectares": Decimal("12.50"),
        "latitude": Decimal("22.620000"),
        "longitude": Decimal("103.270000"),
        "decision_number": "123/QĐ-TTBVTV",
        "issued_on": TODAY - datetime.timedelta(days=365),
        "valid_until": TODAY + datetime.timedelta(days=365),
    }
    fields.update(overrides)
    return GrowingArea(**fields)


def errors_of(area: GrowingArea) -> dict:
    with pytest.raises(ValidationError) as caught:
        area.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
class TestCodeRules:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [(" vn-dtor-0017 ", "VN-DTOR-0017"), ("lc.pt.001", "LC.PT.001"), ("abc", "ABC")],
    )
    def test_code_is_trimmed_and_upper_cased(self, typed, stored):
        area = make_area(code=typed)
        area.full_clean()
        area.save()
        assert GrowingArea.objects.get().code == stored

    @pytest.mark.parametrize("typed", ["", "AB", "1ABC", "VN_DTOR_0017", "VN/0017", "Ä" * 5, "A" * 33])
    def test_code_outside_the_accepted_shape_is_refused(self, typed):
        assert "code" in errors_of(make_area(code=typed))

    @pytest.mark.parametrize("typed", ["APPLY", "apply", " Apply "])
    def test_a_word_the_site_uses_in_its_addresses_is_refused(self, typed):
        # /growing-areas/apply/ is the application form: a code APPLY would never be reached.
        with translation.override("en"):
            errors = errors_of(make_area(code=typed))
        assert "code" in errors
        assert "a word the site uses in its addresses" in " ".join(errors["code"])

    @override_settings(GROWING_AREA_CODE_PATTERN=r"^LC-\d{4}$")
    def test_code_shape_follows_the_deployment_setting(self):
        assert "code" in errors_of(make_area(code="VN-DTOR-0017"))
        make_area(code="lc-0001").full_clean()

    def test_code_is_unique(self):
        make_area().save()
        assert "code" in errors_of(make_area(code="vn-dtor-0017"))

    def test_code_differing_only_in_dashes_is_refused_as_too_close(self):
        make_area().save()
        assert "code" in errors_of(make_area(code="VNDTOR0017"))

    @pytest.mark.parametrize("typed", ["vn dtor 0017", "VNDTOR0017", "vn-dtor-0017", " VN-DTOR-0017 "])
    def test_lookup_forgives_case_spaces_and_missing_dashes(self, typed):
        make_area().save()
        assert GrowingArea.objects.by_code(typed).get().code == "VN-DTOR-0017"


@pytest.mark.django_db
class TestOtherRules:
    @pytest.mark.parametrize("days_after_issue", [0, -1])
    def test_valid_until_must_follow_the_issue_date(self, days_after_issue):
        issued = TODAY
        area = make_area(issued_on=issued, valid_until=issued + datetime.timedelta(days=days_after_issue))
        assert "valid_until" in errors_of(area)

    @pytest.mark.parametrize("hectares", [Decimal("0"), Decimal("-1.5")])
    def test_area_must_be_more_than_zero(self, hectares):
        assert "area_hectares" in errors_of(make_area(area_hectares=hectares))

    @pytest.mark.parametrize(
        ("lat", "lon"),
        [("48.85", "2.35"), ("103.27", "22.62"), ("22.62", "100.0"), ("-22.62", "103.27")],
    )
    def test_point_must_lie_in_vietnam(self, lat, lon):
        assert "latitude" in errors_of(make_area(latitude=Decimal(lat), longitude=Decimal(lon)))

    def test_point_in_the_islands_is_accepted(self):
        make_area(latitude=Decimal("10.38"), longitude=Decimal("114.36")).full_clean()

    def test_boundary_is_checked_and_kept_as_geojson(self):
        ring = [[103.26, 22.61], [103.28, 22.61], [103.28, 22.63], [103.26, 22.63], [103.26, 22.61]]
        area = make_area(boundary={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}})
        area.full_clean()
        assert area.boundary == {"type": "Polygon", "coordinates": [ring]}

    @pytest.mark.parametrize(
        ("boundary", "says"),
        [
            ({"type": "Point", "coordinates": [103.27, 22.62]}, "Point"),
            (
                {"type": "Polygon", "coordinates": [[[103.26, 22.61], [103.28, 22.61], [103.26, 22.61]]]},
                "cần ít nhất 4 điểm",
            ),
            (
                {
                    "type": "Polygon",
                    "coordinates": [[[103.26, 22.61], [103.28, 22.61], [103.28, 22.63], [103.26, 22.63]]],
                },
                "chưa khép kín",
            ),
            (
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[103.26, 22.61], [103.28, 22.63], [103.28, 22.61], [103.26, 22.63], [103.26, 22.61]]
                    ],
                },
                "tự cắt chính nó",
            ),
            (
                {
                    "type": "Polygon",
                    "coordinates": [[[22.61, 103.26], [22.61, 103.28], [22.63, 103.28], [22.61, 103.26]]],
                },
                "nằm ngoài Việt Nam",
            ),
            (
                {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
                "cặp [kinh độ, vĩ độ]",
            ),
        ],
    )
    def test_bad_boundary_is_refused_saying_what_is_wrong(self, boundary, says):
        assert says in " ".join(errors_of(make_area(boundary=boundary))["boundary"])


@pytest.mark.django_db
class TestEffectiveStatus:
    def test_code_past_its_valid_until_date_is_expired_not_active(self):
        area = make_area(valid_until=TODAY - datetime.timedelta(days=1))
        area.save()
        assert area.status == GrowingAreaStatus.ACTIVE
        assert area.effective_status == "expired"
        assert not area.is_valid
        assert list(GrowingArea.objects.with_effective_status("expired")) == [area]
        assert not GrowingArea.objects.currently_valid().exists()

    def test_code_valid_through_its_last_day(self):
        area = make_area(valid_until=TODAY)
        area.save()
        assert area.effective_status == "active"
        assert list(GrowingArea.objects.currently_valid()) == [area]

    def test_valid_on_a_past_harvest_day(self):
        area = make_area(issued_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2025, 1, 1))
        area.save()
        assert area.is_valid_on(datetime.date(2024, 6, 1))
        assert not area.is_valid_on(datetime.date(2023, 12, 31))
        assert list(GrowingArea.objects.valid_on(datetime.date(2024, 6, 1))) == [area]

    def test_expiring_within_lists_only_active_codes_in_the_window(self):
        soon = make_area(code="SOON-1", valid_until=TODAY + datetime.timedelta(days=10))
        later = make_area(code="LATER-1", valid_until=TODAY + datetime.timedelta(days=90))
        for area in (soon, later):
            area.save()
        assert list(GrowingArea.objects.expiring_within(30)) == [soon]


@pytest.mark.django_db
class TestStatusChanges:
    @pytest.fixture
    def officer(self):
        return UserFactory(username="officer")

    @pytest.fixture
    def area(self):
        area = make_area()
        area.save()
        return area

    def test_suspend_and_reinstate_keep_their_history(self, area, officer):
        change_status(area=area, to_status="suspended", reason="Phát hiện dư lượng thuốc BVTV", user=officer)
        change_status(area=area, to_status="active", reason="Tái kiểm tra đạt", user=officer)

        area.refresh_from_db()
        assert area.status == "active"
        history = list(
            area.status_changes.order_by("changed_at").values_list("from_status", "to_status", "reason")
        )
        assert history == [
            ("active", "suspended", "Phát hiện dư lượng thuốc BVTV"),
            ("suspended", "active", "Tái kiểm tra đạt"),
        ]
        change = area.status_changes.first()
        assert change.changed_by == officer
        assert change.effective_date == TODAY

    def test_status_change_is_in_wagtails_history(self, area, officer):
        change_status(area=area, to_status="suspended", reason="Kiểm tra", user=officer)
        entry = ModelLogEntry.objects.for_instance(area).get()
        assert entry.action == "growers.growing_area.suspend"
        assert entry.user == officer
        assert entry.data["reason"] == "Kiểm tra"

    def test_revoking_is_final(self, area, officer):
        change_status(area=area, to_status="revoked", reason="Thu hồi theo quyết định 45", user=officer)
        assert allowed_status_actions(area) == {}
        for target in ("active", "suspended", "revoked"):
            with pytest.raises(StatusChangeRefused, match="thu hồi là vĩnh viễn"):
                change_status(area=area, to_status=target, reason="thử lại", user=officer)
        assert StatusChange.objects.count() == 1

    def test_revoking_a_suspended_code_is_allowed(self, area, officer):
        change_status(area=area, to_status="suspended", reason="a", user=officer)
        change_status(area=area, to_status="revoked", reason="b", user=officer)
        area.refresh_from_db()
        assert area.status == "revoked"

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, area, officer, reason):
        with pytest.raises(StatusChangeRefused):
            change_status(area=area, to_status="suspended", reason=reason, user=officer)
        area.refresh_from_db()
        assert area.status == "active"
        assert not StatusChange.objects.exists()

    def test_reinstating_an_active_code_is_refused(self, area, officer):
        with pytest.raises(StatusChangeRefused):
            change_status(area=area, to_status="active", reason="x", user=officer)
        assert not StatusChange.objects.exists()

    def test_allowed_actions_follow_the_status(self, area, officer):
        assert allowed_status_actions(area) == {"suspend": "suspended", "revoke": "revoked"}
        change_status(area=area, to_status="suspended", reason="x", user=officer)
        area.refresh_from_db()
        assert allowed_status_actions(area) == {"reinstate": "active", "revoke": "revoked"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers"
)
def test_two_officers_suspending_at_once_record_one_change():
    area = make_area()
    area.save()
    officers = [UserFactory(username=f"officer{n}") for n in range(2)]
    outcomes = []
    barrier = threading.Barrier(2)

    def suspend(user):
        barrier.wait()
        try:
            change_status(area=area, to_status="suspended", reason="đồng thời", user=user)
            outcomes.append("changed")
        except StatusChangeRefused:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own; CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=suspend, args=(user,)) for user in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["changed", "refused"]
    assert StatusChange.objects.count() == 1


@pytest.mark.django_db
def test_validity_on_a_day_follows_the_status_history():
    officer = UserFactory(username="officer")
    area = make_area(issued_on=TODAY - datetime.timedelta(days=100))
    area.save()
    change_status(
        area=area,
        to_status="suspended",
        reason="a",
        user=officer,
        effective_date=TODAY - datetime.timedelta(days=30),
    )
    change_status(
        area=area,
        to_status="active",
        reason="b",
        user=officer,
        effective_date=TODAY - datetime.timedelta(days=10),
    )
    area.refresh_from_db()

    assert area.is_valid_on(TODAY - datetime.timedelta(days=50))
    assert not area.is_valid_on(TODAY - datetime.timedelta(days=20))
    assert area.is_valid_on(TODAY - datetime.timedelta(days=5))
    assert not area.is_valid_on(TODAY - datetime.timedelta(days=101))
