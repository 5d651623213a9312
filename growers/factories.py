from datetime import timedelta
from decimal import Decimal

import factory
import wagtail_factories

from django.utils import timezone

from website.factories import UserFactory

from .models import (
    EXPIRED,
    CooperativeCertification,
    CooperativeIndexPage,
    CooperativePage,
    GrowingArea,
    GrowingAreaCertification,
    GrowingAreaIndexPage,
    GrowingAreaStatus,
    Household,
    Inspection,
)
from .services import change_status, ensure_cooperative_editors, ensure_officers_group


class CooperativeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Hợp tác xã"
    slug = "cooperatives"

    class Meta:
        model = CooperativeIndexPage


class CooperativePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"HTX Thảo quả số {n}")
    slug = factory.Sequence(lambda n: f"htx-{n}")
    village = "Sì Lở Lầu"
    address = "Xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu"
    household_count = 24
    bank_bin = "970415"
    bank_account_number = "0011001932418"
    bank_account_name = "HTX THAO QUA SI LO LAU"

    class Meta:
        model = CooperativePage


class CooperativeCertificationFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(CooperativePageFactory)
    scheme = "vietgap"
    number = factory.Sequence(lambda n: f"VG-{n:04d}")
    issuer = "Sở NN&PTNT Lai Châu"

    class Meta:
        model = CooperativeCertification


class GrowingAreaFactory(factory.django.DjangoModelFactory):
    """An active code, issued a year ago and valid for another year, in Sì Lở Lầu."""

    code = factory.Sequence(lambda n: f"VN-SLL-{n:04d}")
    name = factory.Sequence(lambda n: f"Vùng thảo quả số {n}")
    village = "Sì Lở Lầu"
    crop_name = "Thảo quả"
    crop_scientific_name = "Amomum tsao-ko"
    area_hectares = Decimal("12.50")
    latitude = Decimal("22.620000")
    longitude = Decimal("103.270000")
    decision_number = factory.Sequence(lambda n: f"{n + 100}/QĐ-TTBVTV")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))

    class Meta:
        model = GrowingArea
        django_get_or_create = ("code",)


class HouseholdFactory(factory.django.DjangoModelFactory):
    area = factory.SubFactory(GrowingAreaFactory)
    head_name = factory.Sequence(lambda n: f"Lò Văn {n}")
    village = "Sì Lở Lầu"
    area_hectares = Decimal("0.50")

    class Meta:
        model = Household


class GrowingAreaCertificationFactory(factory.django.DjangoModelFactory):
    area = factory.SubFactory(GrowingAreaFactory)
    scheme = "gacp-who"
    number = factory.Sequence(lambda n: f"GACP-{n:04d}")
    issuer = "Bộ Y tế"

    class Meta:
        model = GrowingAreaCertification


class InspectionFactory(factory.django.DjangoModelFactory):
    area = factory.SubFactory(GrowingAreaFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    inspector = "Nguyễn Văn Kiểm"
    result = "passed"

    class Meta:
        model = Inspection


class GrowingAreaIndexPageFactory(wagtail_factories.PageFactory):
    title = "Mã số vùng trồng"
    slug = "growing-areas"
    report_contact = "Bộ phận một cửa UBND xã Sì Lở Lầu, điện thoại 0213 3890 000"

    class Meta:
        model = GrowingAreaIndexPage


# Helpers for the registry's statuses and shapes ---------------------------------------------


def _today():
    return timezone.localdate()


def square_boundary(latitude=Decimal("22.620000"), longitude=Decimal("103.270000"), half=0.002) -> dict:
    """A GeoJSON Polygon: a square of about 450 m around the point."""
    lat, lon = float(latitude), float(longitude)
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    ring = [[round(lon + dx, 6), round(lat + dy, 6)] for dx, dy in corners]
    return {"type": "Polygon", "coordinates": [ring]}


def change_area_status(area: GrowingArea, to_status: str, reason: str, *, user=None, effective_date=None):
    """Change a code's status the only way the register allows (growers.services.change_status),
    and return the area as stored afterwards."""
    change_status(area=area, to_status=to_status, reason=reason, user=user, effective_date=effective_date)
    area.refresh_from_db()
    return area


def suspend(area: GrowingArea, reason: str = "Phát hiện dư lượng thuốc bảo vệ thực vật vượt mức.", **kwargs):
    return change_area_status(area, GrowingAreaStatus.SUSPENDED, reason, **kwargs)


def revoke(area: GrowingArea, reason: str = "Vùng trồng đã chuyển sang cây khác.", **kwargs):
    return change_area_status(area, GrowingAreaStatus.REVOKED, reason, **kwargs)


def area_with_status(status: str, **kwargs) -> GrowingArea:
    """A code whose effective status is `status`: active, suspended, revoked or expired."""
    if status == EXPIRED:
        kwargs.setdefault("issued_on", _today() - timedelta(days=3 * 365))
        kwargs.setdefault("valid_until", _today() - timedelta(days=10))
    area = GrowingAreaFactory(**kwargs)
    if status == GrowingAreaStatus.SUSPENDED:
        return suspend(area)
    if status == GrowingAreaStatus.REVOKED:
        return revoke(area)
    return area


class OfficerFactory(UserFactory):
    """An agriculture officer: a user in the officers' group, as the administrator sets one up."""

    @factory.post_generation
    def officers_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(ensure_officers_group())

    class Meta:
        skip_postgeneration_save = True


class CooperativeEditorFactory(UserFactory):
    """An editor of one cooperative: `CooperativeEditorFactory(cooperative=coop)` puts the user in
    that cooperative's editors group (its pages, its media collection, its orders)."""

    @factory.post_generation
    def cooperative(user, create, extracted, **kwargs):
        if create and extracted is not None:
            user.groups.add(ensure_cooperative_editors(cooperative=extracted))

    class Meta:
        skip_postgeneration_save = True
