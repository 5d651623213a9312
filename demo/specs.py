"""The shapes of the demo data (demo/data/): one frozen dataclass per kind of thing seeded."""

from dataclasses import dataclass, field

from demo.data.commune import COMMUNE_ADDRESS


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    superuser: bool = False

    @property
    def password(self) -> str:
        return f"demo-{self.username}"


@dataclass(frozen=True)
class Variant:
    pack_label: str
    weight_grams: int
    sku: str
    price: int
    stock: int
    gtin_item: int | None = None


@dataclass(frozen=True)
class VoiceClip:
    file: str  # in demo/clips/
    title: str  # the document's title in the cooperative's collection
    # Exactly what the clip says, shown under the player for whoever cannot hear it.
    transcript: str
    language: str = "vi"


@dataclass(frozen=True)
class Product:
    slug: str
    title: str
    motif: str
    category: str
    ocop_stars: int | None
    summary: str
    description: tuple[str, ...]
    variants: tuple[Variant, ...]
    certifications: tuple[tuple[str, str, str], ...] = ()
    gallery: tuple[tuple[str, str], ...] = ()
    # The growing-area codes (DEMO_AREAS) the product comes from.
    origin_codes: tuple[str, ...] = ()
    # Played first in the description, for people who read little.
    voice: VoiceClip | None = None


@dataclass(frozen=True)
class Cooperative:
    slug: str
    title: str
    editor: str
    initials: str
    colour: tuple[int, int, int]
    village: str
    phone: str
    household_count: int
    bank_bin: str
    bank_account_number: str
    bank_account_name: str
    story: tuple[str, ...]
    quote: tuple[str, str]
    photo: tuple[str, str]
    certifications: tuple[tuple[str, str, str], ...]
    products: tuple[Product, ...] = field(default=())

    @property
    def address(self) -> str:
        return f"Bản {self.village}, {COMMUNE_ADDRESS}"


@dataclass(frozen=True)
class DemoArea:
    code: str
    name: str
    cooperative: str  # the cooperative's slug
    village: str
    crop_name: str
    crop_scientific_name: str
    area_hectares: str
    latitude: float
    longitude: float
    decision_number: str
    issued_days_ago: int
    valid_for_days: int
    households: tuple[tuple[str, str], ...]  # head of household, phone (often none)
    certifications: tuple[tuple[str, str, str], ...] = ()
    inspections: tuple[tuple[int, str, str, str], ...] = ()  # days ago, inspector, result, notes
    boundary: dict | None = None
    # A later status and why (through growers.services.change_status, as an officer would).
    status_change: tuple[str, int, str] | None = None  # status, days ago, reason


@dataclass(frozen=True)
class DemoEvent:
    event_type: str
    days_ago: int
    hour: int
    place: str
    responsible: str
    notes: str = ""


@dataclass(frozen=True)
class DemoBatch:
    product: str  # the product's slug
    lot: str
    codes: tuple[str, ...]
    harvest_days_ago: tuple[int, int]  # first and last day
    quantity_kg: str
    package_count: int
    packed_days_ago: int
    shelf_life_days: int
    events: tuple[DemoEvent, ...]
    certifications: tuple[tuple[str, str, str], ...] = ()
    recall: tuple[int, str] | None = None  # days ago, reason (recalled through the officer's service)
    voice: VoiceClip | None = None  # for BatchPage.voice, where the model has it


@dataclass(frozen=True)
class PageTranslation:
    # The Vietnamese original, by its slugs below the Vietnamese home page (() is the home page).
    path: tuple[str, ...]
    language: str
    title: str
    # Text and rich-text fields by name (intro, summary, address, …).
    fields: dict[str, str] = field(default_factory=dict)
    # The words of the page's StreamField (a product's description, a cooperative's story);
    # its pictures and voice clips are kept.
    paragraphs: tuple[str, ...] = ()
    quote: tuple[str, str] | None = None
    # Under a Vietnamese voice clip: what it says, in this language (the player names the spoken
    # language itself). Empty: the Vietnamese transcript stays.
    voice_caption: str = ""
