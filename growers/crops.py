"""The crops the commune grows, as the application form and the seasons offer them: the
Vietnamese name a household knows, the scientific name a certificate carries, whether the crop
is perennial (its minimum area for a code is larger) and a typical yield per hectare and season,
the yardstick for a code whose holder declared nothing (borrowed codes, traceability/yields.py).

The yields are conservative figures for dried or fresh produce as the cooperatives sell it;
a deployment corrects them with the setting TYPICAL_YIELD_KG_PER_HA ({crop key: kg per ha})."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

OTHER = "other"


@dataclass(frozen=True)
class Crop:
    key: str
    name: str  # Vietnamese, as written on a growing-area code's record
    scientific_name: str
    perennial: bool
    typical_kg_per_ha: Decimal


CROPS = (
    Crop("thao-qua", "Thảo quả", "Amomum tsao-ko", True, Decimal("300")),
    Crop("sam-lai-chau", "Sâm Lai Châu", "Panax vietnamensis var. fuscidiscus", True, Decimal("150")),
    Crop("tam-that", "Tam thất", "Panax notoginseng", True, Decimal("1000")),
    Crop("duong-quy", "Đương quy", "Angelica sinensis", False, Decimal("2000")),
    Crop("che-shan-tuyet", "Chè shan tuyết", "Camellia sinensis var. shan", True, Decimal("800")),
    Crop("gung", "Gừng", "Zingiber officinale", False, Decimal("3000")),
)
BY_KEY = {crop.key: crop for crop in CROPS}


def crop_choices():
    """(key, label) for a form's select: the crops, then "other" (the applicant writes it)."""
    return [(crop.key, crop.name) for crop in CROPS] + [(OTHER, _("Other (write it below)"))]


def crop_for(value: str) -> Crop | None:
    """The crop named by a key or by its Vietnamese name (as GrowingArea.crop_name holds it),
    case and spaces forgiven; None for a crop not on the list."""
    value = (value or "").strip()
    if value in BY_KEY:
        return BY_KEY[value]
    folded = value.casefold()
    return next((crop for crop in CROPS if crop.name.casefold() == folded), None)


def minimum_hectares(crop: Crop | None) -> Decimal:
    """The smallest area one code normally covers (GROWING_AREA_MIN_HECTARES): 1 ha for a
    perennial crop, 0.1 ha for an annual one; an unknown crop is held to the annual minimum."""
    minimums = settings.GROWING_AREA_MIN_HECTARES
    return Decimal(str(minimums["perennial" if crop and crop.perennial else "annual"]))


def typical_kg_per_ha(crop: Crop | None) -> Decimal | None:
    """A season's typical yield per hectare for the crop (the setting first), None if unknown."""
    if crop is None:
        return None
    configured = settings.TYPICAL_YIELD_KG_PER_HA.get(crop.key)
    return Decimal(str(configured)) if configured is not None else crop.typical_kg_per_ha
