"""growers' models, one module per subject; every public name is importable from growers.models,
as wagtail.models does."""

from .cooperatives import (
    Certification,
    CertificationScheme,
    CooperativeCertification,
    CooperativePage,
    CooperativePhoto,
    account_number_validator,
    bank_bin_validator,
    cooperative_owning,
    original_page,
)
from .growing_areas import (
    EFFECTIVE_STATUS_LABELS,
    EXPIRED,
    GrowingArea,
    GrowingAreaCertification,
    GrowingAreaQuerySet,
    GrowingAreaStatus,
    Household,
    Inspection,
    InspectionResult,
    StatusChange,
)
from .index_pages import CooperativeIndexPage, GrowingAreaIndexPage
from .seasons import Market, Season, SeasonQuerySet, Standard

__all__ = [
    "EFFECTIVE_STATUS_LABELS",
    "EXPIRED",
    "Certification",
    "CertificationScheme",
    "CooperativeCertification",
    "CooperativeIndexPage",
    "CooperativePage",
    "CooperativePhoto",
    "GrowingArea",
    "GrowingAreaCertification",
    "GrowingAreaIndexPage",
    "GrowingAreaQuerySet",
    "GrowingAreaStatus",
    "Household",
    "Inspection",
    "InspectionResult",
    "Market",
    "Season",
    "SeasonQuerySet",
    "Standard",
    "StatusChange",
    "account_number_validator",
    "bank_bin_validator",
    "cooperative_owning",
    "original_page",
]
