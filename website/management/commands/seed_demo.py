"""`python manage.py seed_demo`: the Sì Lở Lầu demonstration site (DESIGN §4).

Everything is found by a natural key (username, group name, page slug under its parent,
category slug, image title in its collection) and created only when missing, so a rerun
leaves the database as it is, including anything an editor has changed since; existing
users keep the passwords they have. Translations (English, placeholder Hmong) are found by
Wagtail's translation key; the spoken clips come from website/demo_media/."""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site
from wagtail.rich_text import RichText

from growers.models import (
    CertificationScheme,
    CooperativeCertification,
    CooperativeIndexPage,
    CooperativePage,
    CooperativePhoto,
    GrowingArea,
    GrowingAreaCertification,
    GrowingAreaIndexPage,
    GrowingAreaStatus,
    Household,
    Inspection,
    InspectionResult,
)
from growers.selectors import cooperative_collection
from growers.services import (
    OFFICERS_GROUP_NAME,
    change_status,
    ensure_cooperative_editors,
    ensure_officers_group,
)
from products.gtin import gtin_check_digit, normalise_gtin
from products.models import (
    Category,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    ShopPage,
)
from traceability.models import BatchCertification, BatchPage, TraceEvent
from traceability.recall import recall_batch
from website import demo_images
from website.blocks import AudioBlock
from website.models import HomePage, SiteSettings

SAMPLE_DATA_NOTICE = (
    "Dữ liệu mẫu — đây là trang trình diễn, không phải hàng bán thật. Sample data for demonstration."
)
COMMUNE_ADDRESS = "xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu"

# A made-up GS1 Vietnam company prefix (893 + 4 digits); item references follow it.
DEMO_GTIN_COMPANY_PREFIX = "8938542"


def demo_gtin(item_reference: int) -> str:
    """GTIN-13 stored as 14 digits. The model's field only normalises in full_clean, which
    inline children saved with their page do not go through, so normalise here."""
    body = f"{DEMO_GTIN_COMPANY_PREFIX}{item_reference:05d}"
    return normalise_gtin(f"{body}{gtin_check_digit(body)}")


def in_years(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=min(today.day, 28))


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


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


DEMO_USERS = (
    DemoUser("admin", "Quản trị", "Viên", "superuser", superuser=True),
    DemoUser("officer", "Hùng", "Lò Văn", OFFICERS_GROUP_NAME),
    DemoUser("coop1", "Sử", "Lý A", "editor of HTX Thảo quả Sì Lở Lầu"),
    DemoUser("coop2", "Mẩy", "Tẩn Thị", "editor of HTX Chè Shan tuyết Lả Dì Thàng"),
)

CATEGORIES = (
    ("gia-vi", "Gia vị", 10),
    ("che", "Chè", 20),
    ("duoc-lieu", "Dược liệu", 30),
    ("dac-san-khac", "Đặc sản khác", 40),
)


@dataclass(frozen=True)
class Variant:
    pack_label: str
    weight_grams: int
    sku: str
    price: int
    stock: int
    gtin_item: int | None = None


# Spoken descriptions: machine speech (espeak-ng), committed beside this package; how they were
# made, and how to make them again, is in website/demo_media/README.md.
DEMO_MEDIA = Path(demo_images.__file__).resolve().parent / "demo_media"


@dataclass(frozen=True)
class VoiceClip:
    file: str  # in DEMO_MEDIA
    title: str  # the document's title in the cooperative's collection
    # Exactly what the clip says, shown under the player for whoever cannot hear it.
    transcript: str
    language: str = "vi"


VOICE_THAO_QUA = VoiceClip(
    "thao-qua-vi.ogg",
    "Giọng đọc (máy): giới thiệu thảo quả khô",
    "Thảo quả khô Sì Lở Lầu được trồng dưới tán rừng già, hái khi quả chín đỏ, rồi sấy khô trên gác bếp.",
)
VOICE_SAM = VoiceClip(
    "sam-lai-chau-vi.ogg",
    "Giọng đọc (máy): giới thiệu sâm Lai Châu",
    "Sâm Lai Châu được trồng dưới tán rừng, ở độ cao trên một nghìn sáu trăm mét; "
    "mỗi lô thu hoạch đều có hồ sơ nguồn gốc.",
)
VOICE_LOT_TQ2026_01 = VoiceClip(
    "lo-tq2026-01-vi.ogg",
    "Giọng đọc (máy): lô thảo quả TQ2026-01",
    "Lô thảo quả này được hái ở bản Sì Lở Lầu, rồi sấy bốn ngày bằng lò củi của hợp tác xã.",
)


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


PROVINCE_PLANT_PROTECTION = "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu"

COOPERATIVES = (
    Cooperative(
        slug="htx-thao-qua-si-lo-lau",
        title="HTX Thảo quả Sì Lở Lầu",
        editor="coop1",
        initials="TQ",
        colour=(150, 50, 40),
        village="Sì Lở Lầu",
        phone="0213 3890 101",
        household_count=48,
        bank_bin="970415",  # VietinBank
        bank_account_number="108002345678",
        bank_account_name="HTX THAO QUA SI LO LAU",
        story=(
            "<p>Hợp tác xã được các hộ người Hà Nhì và người Dao ở bản Sì Lở Lầu lập năm 2016. "
            "Thảo quả được trồng dưới tán rừng già ở độ cao trên 1.800 m, thu hái vào tháng 10–11 "
            "rồi sấy trên gác bếp hoặc lò sấy của hợp tác xã.</p>",
            "<p>Ngoài thảo quả, các hộ thành viên trồng <b>sâm Lai Châu</b> và <b>đương quy</b> "
            "dưới tán rừng theo hướng dẫn GACP-WHO, ghi chép đầy đủ từng lô thu hái.</p>",
        ),
        quote=("Thảo quả nhà tôi phơi trên gác bếp, thơm cả bản.", "Lý A Sử, thành viên hợp tác xã"),
        photo=("Vườn thảo quả dưới tán rừng", "Vườn thảo quả dưới tán rừng già, bản Sì Lở Lầu"),
        certifications=(
            (CertificationScheme.VIETGAP, "VG-LC-2024-0112", PROVINCE_PLANT_PROTECTION),
            (CertificationScheme.GACP_WHO, "GACP-LC-2024-007", "Cục Quản lý Y, Dược cổ truyền"),
        ),
        products=(
            Product(
                slug="thao-qua-kho",
                origin_codes=("LC-PT-SLL-001",),
                voice=VOICE_THAO_QUA,
                title="Thảo quả khô Sì Lở Lầu",
                motif="cardamom",
                category="gia-vi",
                ocop_stars=4,
                summary="Quả thảo quả (Amomum tsao-ko) hái chín, sấy khô trên gác bếp; thơm nồng, vỏ nâu đỏ.",
                description=(
                    "<p>Thảo quả mọc dưới tán rừng già, không dùng phân bón hoá học. Quả được hái khi "
                    "chín đỏ, sấy bằng củi trong 3–4 ngày cho đến khi vỏ khô giòn.</p>",
                    "<p>Dùng cho phở, món hầm, thịt kho, ngâm rượu. Bảo quản nơi khô ráo.</p>",
                ),
                variants=(
                    Variant("Túi 200 g", 200, "TQ-200", 85_000, 40, gtin_item=1),
                    Variant("Túi 500 g", 500, "TQ-500", 195_000, 25, gtin_item=2),
                    Variant("Hộp quà 1 kg", 1000, "TQ-1000", 380_000, 8, gtin_item=3),
                ),
                certifications=((CertificationScheme.VIETGAP, "VG-LC-2024-0112", PROVINCE_PLANT_PROTECTION),),
                gallery=(("landscape", "Thảo quả chín dưới tán rừng"),),
            ),
            Product(
                slug="sam-lai-chau",
                origin_codes=("LC-PT-SLL-002",),
                voice=VOICE_SAM,
                title="Sâm Lai Châu",
                motif="ginseng",
                category="duoc-lieu",
                ocop_stars=5,
                summary=(
                    "Củ sâm Lai Châu (Panax vietnamensis var. fuscidiscus) trồng dưới tán rừng, "
                    "từ 5 năm tuổi."
                ),
                description=(
                    "<p>Sâm Lai Châu là loài sâm quý của vùng núi cao Lai Châu. Cây được trồng dưới tán "
                    "rừng ở độ cao trên 1.600 m; mỗi lô thu hoạch đều có hồ sơ GACP-WHO.</p>",
                    "<p>Sản phẩm bán theo củ tươi, đóng hộp kèm giấy chứng nhận nguồn gốc.</p>",
                ),
                variants=(
                    Variant("Hộp 100 g củ tươi", 100, "SAM-100", 6_500_000, 3, gtin_item=11),
                    Variant("Hộp 50 g củ tươi", 50, "SAM-050", 3_300_000, 0, gtin_item=12),
                ),
                certifications=(
                    (CertificationScheme.GACP_WHO, "GACP-LC-2024-007", "Cục Quản lý Y, Dược cổ truyền"),
                    (CertificationScheme.OCOP, "OCOP-LC-2023-05", "UBND tỉnh Lai Châu"),
                ),
            ),
            Product(
                slug="duong-quy-kho",
                origin_codes=("LC-PT-SLL-003",),
                title="Đương quy khô",
                motif="angelica",
                category="duoc-lieu",
                ocop_stars=3,
                summary="Rễ đương quy (Angelica sinensis) thái lát, phơi khô; vị ngọt, thơm đặc trưng.",
                description=(
                    "<p>Đương quy được trồng trên nương của các hộ thành viên, thu hoạch sau 12–14 tháng, "
                    "rửa sạch, thái lát và sấy ở nhiệt độ thấp để giữ mùi thơm.</p>",
                ),
                variants=(
                    Variant("Túi 250 g", 250, "DQ-250", 120_000, 30),
                    Variant("Túi 500 g", 500, "DQ-500", 220_000, 12),
                ),
                certifications=(
                    (CertificationScheme.GACP_WHO, "GACP-LC-2024-007", "Cục Quản lý Y, Dược cổ truyền"),
                    (CertificationScheme.ORGANIC, "HC-2024-031", "Tổ chức chứng nhận hữu cơ PGS Lai Châu"),
                ),
            ),
        ),
    ),
    Cooperative(
        slug="htx-che-shan-tuyet-la-di-thang",
        title="HTX Chè Shan tuyết Lả Dì Thàng",
        editor="coop2",
        initials="ST",
        colour=(40, 110, 60),
        village="Lả Dì Thàng",
        phone="0213 3890 202",
        household_count=31,
        bank_bin="970405",  # Agribank
        bank_account_number="8600205123456",
        bank_account_name="HTX CHE SHAN TUYET LA DI THANG",
        story=(
            "<p>Bản Lả Dì Thàng có hàng trăm cây chè Shan tuyết cổ thụ, búp phủ lông trắng như "
            "tuyết. Hợp tác xã hái một tôm hai lá, sao suốt bằng chảo gang và vò tay.</p>",
            "<p>Các hộ thành viên còn nuôi ong lấy mật và làm măng khô từ rừng tre của bản.</p>",
        ),
        quote=("Cây chè này ông tôi trồng, giờ cháu tôi hái.", "Tẩn Thị Mẩy, chủ nhiệm hợp tác xã"),
        photo=("Đồi chè Shan tuyết Lả Dì Thàng", "Đồi chè Shan tuyết cổ thụ, bản Lả Dì Thàng"),
        certifications=(
            (CertificationScheme.VIETGAP, "VG-LC-2023-0087", PROVINCE_PLANT_PROTECTION),
            (CertificationScheme.ORGANIC, "HC-2023-014", "Tổ chức chứng nhận hữu cơ PGS Lai Châu"),
        ),
        products=(
            Product(
                slug="che-shan-tuyet-co-thu",
                origin_codes=("LC-PT-SLL-004",),
                title="Chè Shan tuyết cổ thụ",
                motif="tea",
                category="che",
                ocop_stars=4,
                summary="Búp chè Shan tuyết từ cây cổ thụ trên 100 năm tuổi, sao suốt thủ công.",
                description=(
                    "<p>Nước chè vàng sánh, hậu ngọt sâu. Pha 5 g chè với 150 ml nước khoảng 90 °C, "
                    "hãm 2–3 phút; pha được 4–5 lần nước.</p>",
                ),
                variants=(
                    Variant("Túi 100 g", 100, "CHE-100", 150_000, 50, gtin_item=21),
                    Variant("Hộp 200 g", 200, "CHE-200", 320_000, 20, gtin_item=22),
                ),
                certifications=(
                    (CertificationScheme.VIETGAP, "VG-LC-2023-0087", PROVINCE_PLANT_PROTECTION),
                    (CertificationScheme.ORGANIC, "HC-2023-014", "Tổ chức chứng nhận hữu cơ PGS Lai Châu"),
                ),
                gallery=(("landscape", "Đồi chè cổ thụ Lả Dì Thàng"),),
            ),
            Product(
                slug="mat-ong-rung",
                # Honey comes from bees foraging in the forest, not from a crop: a growing-area
                # code does not apply to it.
                title="Mật ong rừng",
                motif="honey",
                category="dac-san-khac",
                ocop_stars=None,
                summary="Mật ong của đàn ong nội nuôi ven rừng, quay một lần mỗi mùa hoa.",
                description=(
                    "<p>Mật sánh, màu hổ phách, có thể kết tinh khi trời lạnh — đó là mật thật. "
                    "Không pha đường, không cô đặc.</p>",
                ),
                variants=(Variant("Chai 500 ml", 700, "MO-500", 280_000, 0),),
            ),
            Product(
                slug="mang-kho",
                origin_codes=("LC-PT-SLL-005",),
                title="Măng khô",
                motif="bamboo",
                category="dac-san-khac",
                ocop_stars=3,
                summary="Măng tre rừng luộc chín, phơi nắng đến khi vàng óng; ngâm nở để nấu canh, xào.",
                description=(
                    "<p>Măng được lấy vào đầu mùa mưa, luộc kỹ để bớt vị đắng rồi phơi trên giàn tre. "
                    "Ngâm nước 1 đêm trước khi nấu.</p>",
                ),
                variants=(
                    Variant("Túi 500 g", 500, "MANG-500", 140_000, 35),
                    Variant("Túi 1 kg", 1000, "MANG-1000", 260_000, 10),
                ),
                certifications=((CertificationScheme.VIETGAP, "VG-LC-2023-0087", PROVINCE_PLANT_PROTECTION),),
            ),
        ),
    ),
)


# Growing-area codes (mã số vùng trồng) ------------------------------------------------------


def ring(latitude: float, longitude: float, offsets: tuple[tuple[int, int], ...]) -> list[list[float]]:
    """A closed GeoJSON ring from corner offsets in ten-thousandths of a degree (about 11 m)
    east and north of the point."""
    points = [
        [round(longitude + east / 10_000, 6), round(latitude + north / 10_000, 6)] for east, north in offsets
    ]
    return [*points, points[0]]


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


INSPECTOR = "Lò Văn Hùng"
GACP_ISSUER = "Cục Quản lý Y, Dược cổ truyền"
PGS_ISSUER = "Tổ chức chứng nhận hữu cơ PGS Lai Châu"

DEMO_AREAS = (
    DemoArea(
        code="LC-PT-SLL-001",
        name="Vùng thảo quả dưới tán rừng bản Sì Lở Lầu",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Sì Lở Lầu",
        crop_name="Thảo quả",
        crop_scientific_name="Amomum tsao-ko",
        area_hectares="18.50",
        latitude=22.62,
        longitude=103.27,
        decision_number="112/QĐ-TTBVTV",
        issued_days_ago=420,
        valid_for_days=5 * 365,
        households=(
            ("Lò Mỳ Chừ", "0912000101"),
            ("Pờ Xá Chừ", ""),
            ("Chu Lừ Xá", ""),
            ("Giàng A Páo", "0912000104"),
            ("Lý A Sử", ""),
            ("Phù Thị Mé", ""),
        ),
        certifications=((CertificationScheme.VIETGAP, "VG-LC-2024-0112", PROVINCE_PLANT_PROTECTION),),
        inspections=(
            (
                400,
                INSPECTOR,
                InspectionResult.PASSED,
                "Vườn thảo quả dưới tán rừng, không dùng phân bón hoá học.",
            ),
            (45, INSPECTOR, InspectionResult.PASSED_WITH_REMARKS, "Cần ghi ngày thu hái vào sổ của từng hộ."),
        ),
        boundary={
            "type": "Polygon",
            "coordinates": [
                ring(22.62, 103.27, ((-22, -8), (-5, -20), (15, -18), (24, -2), (18, 16), (0, 22), (-18, 14)))
            ],
        },
    ),
    DemoArea(
        code="LC-PT-SLL-002",
        name="Vùng sâm Lai Châu bản Tả Chải",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Tả Chải",
        crop_name="Sâm Lai Châu",
        crop_scientific_name="Panax vietnamensis var. fuscidiscus",
        area_hectares="2.30",
        latitude=22.6405,
        longitude=103.2862,
        decision_number="113/QĐ-TTBVTV",
        issued_days_ago=380,
        valid_for_days=5 * 365,
        households=(("Thào A Dình", ""), ("Vàng A Chứ", "0912000202"), ("Sùng Thị Mai", "")),
        certifications=((CertificationScheme.GACP_WHO, "GACP-LC-2024-007", GACP_ISSUER),),
        inspections=((60, INSPECTOR, InspectionResult.PASSED, "Cây sâm 5–6 năm tuổi, có hàng rào bảo vệ."),),
    ),
    DemoArea(
        code="LC-PT-SLL-003",
        name="Vùng đương quy bản Nậm Xe",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Nậm Xe",
        crop_name="Đương quy",
        crop_scientific_name="Angelica sinensis",
        area_hectares="5.20",
        latitude=22.6031,
        longitude=103.2534,
        decision_number="114/QĐ-TTBVTV",
        issued_days_ago=300,
        valid_for_days=5 * 365,
        households=(("Hạng A Lử", ""), ("Giàng Thị Dợ", ""), ("Vàng A Sình", "0912000303"), ("Lò A Tư", "")),
        certifications=(
            (CertificationScheme.GACP_WHO, "GACP-LC-2024-007", GACP_ISSUER),
            (CertificationScheme.ORGANIC, "HC-2024-031", PGS_ISSUER),
        ),
        inspections=((90, INSPECTOR, InspectionResult.PASSED, "Nương đương quy luân canh, có sổ ghi chép."),),
    ),
    DemoArea(
        code="LC-PT-SLL-004",
        name="Vùng chè Shan tuyết cổ thụ bản Lả Dì Thàng",
        cooperative="htx-che-shan-tuyet-la-di-thang",
        village="Lả Dì Thàng",
        crop_name="Chè Shan tuyết",
        crop_scientific_name="Camellia sinensis var. shan",
        area_hectares="24.00",
        latitude=22.6352,
        longitude=103.2448,
        decision_number="98/QĐ-TTBVTV",
        issued_days_ago=500,
        valid_for_days=5 * 365,
        households=(
            ("Tẩn Thị Mẩy", ""),
            ("Pờ Thị Mé", "0912000401"),
            ("Chu Xá Phừ", ""),
            ("Lò Chà Mé", ""),
            ("Phù Lừ Chừ", ""),
        ),
        certifications=(
            (CertificationScheme.VIETGAP, "VG-LC-2023-0087", PROVINCE_PLANT_PROTECTION),
            (CertificationScheme.ORGANIC, "HC-2023-014", PGS_ISSUER),
        ),
        inspections=(
            (410, INSPECTOR, InspectionResult.PASSED, "Cây chè cổ thụ, hái một tôm hai lá."),
            (30, INSPECTOR, InspectionResult.PASSED, ""),
        ),
        # The houses of the village sit in a clearing inside the tea hill: a hole in the area.
        boundary={
            "type": "Polygon",
            "coordinates": [
                ring(22.6352, 103.2448, ((-28, -22), (26, -25), (30, 20), (-4, 29), (-30, 12))),
                ring(22.6352, 103.2448, ((-20, -8), (-10, -8), (-10, 2), (-20, 2))),
            ],
        },
    ),
    DemoArea(
        code="LC-PT-SLL-005",
        name="Vùng tre lấy măng bản Lả Dì Thàng",
        cooperative="htx-che-shan-tuyet-la-di-thang",
        village="Lả Dì Thàng",
        crop_name="Tre lấy măng",
        crop_scientific_name="Dendrocalamus latiflorus",
        area_hectares="6.00",
        latitude=22.6298,
        longitude=103.2391,
        decision_number="99/QĐ-TTBVTV",
        issued_days_ago=480,
        valid_for_days=5 * 365,
        households=(("Ly Mỳ Xá", ""), ("Chu A Phừ", "")),
        certifications=((CertificationScheme.VIETGAP, "VG-LC-2023-0087", PROVINCE_PLANT_PROTECTION),),
        inspections=((120, INSPECTOR, InspectionResult.PASSED, ""),),
    ),
    DemoArea(
        code="LC-PT-SLL-006",
        name="Vùng thảo quả bản Tả Chải",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Tả Chải",
        crop_name="Thảo quả",
        crop_scientific_name="Amomum tsao-ko",
        area_hectares="9.80",
        latitude=22.6468,
        longitude=103.2921,
        decision_number="115/QĐ-TTBVTV",
        issued_days_ago=360,
        valid_for_days=5 * 365,
        households=(("Sùng A Thề", ""), ("Thào Thị Lan", ""), ("Vàng A Dế", "")),
        inspections=(
            (20, INSPECTOR, InspectionResult.FAILED, "Phát hiện dùng thuốc trừ cỏ trong vườn thảo quả."),
        ),
        status_change=(
            GrowingAreaStatus.SUSPENDED,
            18,
            "Kiểm tra phát hiện dùng thuốc trừ cỏ ngoài danh mục cho phép; tạm đình chỉ đến khi "
            "khắc phục và kiểm tra lại.",
        ),
    ),
    DemoArea(
        code="LC-PT-SLL-007",
        name="Vùng đương quy bản Sì Lở Lầu (cấp lần đầu)",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Sì Lở Lầu",
        crop_name="Đương quy",
        crop_scientific_name="Angelica sinensis",
        area_hectares="3.10",
        latitude=22.6153,
        longitude=103.2766,
        decision_number="41/QĐ-TTBVTV",
        issued_days_ago=3 * 365 + 60,
        valid_for_days=3 * 365,  # ran out 60 days ago; not yet renewed
        households=(("Lò Mỳ Dế", ""), ("Pờ A Chừ", "")),
        inspections=((500, INSPECTOR, InspectionResult.PASSED, ""),),
    ),
    DemoArea(
        code="LC-PT-SLL-008",
        name="Vùng sâm Lai Châu bản Nậm Xe",
        cooperative="htx-thao-qua-si-lo-lau",
        village="Nậm Xe",
        crop_name="Sâm Lai Châu",
        crop_scientific_name="Panax vietnamensis var. fuscidiscus",
        area_hectares="1.20",
        latitude=22.5987,
        longitude=103.2489,
        decision_number="57/QĐ-TTBVTV",
        issued_days_ago=700,
        valid_for_days=5 * 365,
        households=(("Hạng A Chư", ""),),
        inspections=(
            (150, INSPECTOR, InspectionResult.FAILED, "Diện tích trồng sâm đã chuyển sang trồng ngô."),
        ),
        status_change=(
            GrowingAreaStatus.REVOKED,
            140,
            "Hộ tham gia đã chuyển diện tích sang trồng cây khác; vùng trồng không còn đáp ứng "
            "điều kiện cấp mã số.",
        ),
    ),
)


# Batches (lots) and their trace events ------------------------------------------------------

LOCAL_ZONE = "Asia/Ho_Chi_Minh"
HTX_TQ = "HTX Thảo quả Sì Lở Lầu"
HTX_ST = "HTX Chè Shan tuyết Lả Dì Thàng"


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


def cardamom_events(harvest: int, *, area_village: str, drying_days: int = 4) -> tuple[DemoEvent, ...]:
    dried = harvest - drying_days
    return (
        DemoEvent(
            "planting", harvest + 3 * 365, 8, f"Bản {area_village}", HTX_TQ, "Trồng cây con dưới tán rừng."
        ),
        DemoEvent(
            "harvest", harvest, 7, f"Bản {area_village}", "Tổ thu hái bản " + area_village, "Hái quả chín đỏ."
        ),
        DemoEvent(
            "processing",
            dried,
            16,
            "Lò sấy HTX, bản Sì Lở Lầu",
            HTX_TQ,
            "Sấy củi 4 ngày đến khi vỏ khô giòn.",
        ),
        DemoEvent("packing", dried - 2, 9, "Xưởng đóng gói HTX", HTX_TQ, "Phân loại, đóng túi, dán tem QR."),
        DemoEvent(
            "inspection", dried - 3, 10, "Xưởng đóng gói HTX", "Trạm Trồng trọt và BVTV huyện Phong Thổ"
        ),
        DemoEvent("shipping", dried - 5, 6, "Xưởng đóng gói HTX", "Xe của HTX", "Giao về cửa hàng Lai Châu."),
    )


DEMO_BATCHES = (
    DemoBatch(
        product="thao-qua-kho",
        lot="TQ2026-01",
        codes=("LC-PT-SLL-001",),
        harvest_days_ago=(40, 36),
        quantity_kg="320.00",
        package_count=900,
        packed_days_ago=30,
        shelf_life_days=365,
        events=cardamom_events(36, area_village="Sì Lở Lầu"),
        certifications=((CertificationScheme.VIETGAP, "VG-LC-2024-0112", PROVINCE_PLANT_PROTECTION),),
        voice=VOICE_LOT_TQ2026_01,
    ),
    # Harvested while LC-PT-SLL-006 was valid; the code was suspended 18 days ago, so buyers of
    # this lot are warned.
    DemoBatch(
        product="thao-qua-kho",
        lot="TQ2026-02",
        codes=("LC-PT-SLL-006",),
        harvest_days_ago=(70, 66),
        quantity_kg="140.00",
        package_count=400,
        packed_days_ago=60,
        shelf_life_days=365,
        events=cardamom_events(66, area_village="Tả Chải"),
    ),
    DemoBatch(
        product="sam-lai-chau",
        lot="SAM2026-01",
        codes=("LC-PT-SLL-002",),
        harvest_days_ago=(25, 25),
        quantity_kg="4.50",
        package_count=45,
        packed_days_ago=24,
        shelf_life_days=30,
        events=(
            DemoEvent("harvest", 25, 8, "Bản Tả Chải", "Thào A Dình", "Củ sâm 6 năm tuổi."),
            DemoEvent("packing", 24, 14, "Xưởng đóng gói HTX", HTX_TQ, "Rửa, hút chân không, đóng hộp."),
            DemoEvent("inspection", 24, 16, "Xưởng đóng gói HTX", "Cục Quản lý Y, Dược cổ truyền"),
        ),
        certifications=((CertificationScheme.GACP_WHO, "GACP-LC-2024-007", GACP_ISSUER),),
    ),
    DemoBatch(
        product="duong-quy-kho",
        lot="DQ2026-01",
        codes=("LC-PT-SLL-003",),
        harvest_days_ago=(50, 45),
        quantity_kg="180.00",
        package_count=600,
        packed_days_ago=38,
        shelf_life_days=540,
        events=(
            DemoEvent("harvest", 45, 7, "Bản Nậm Xe", "Hạng A Lử"),
            DemoEvent("processing", 42, 15, "Lò sấy HTX", HTX_TQ, "Thái lát, sấy ở 45 °C."),
            DemoEvent("packing", 38, 9, "Xưởng đóng gói HTX", HTX_TQ),
        ),
        certifications=((CertificationScheme.GACP_WHO, "GACP-LC-2024-007", GACP_ISSUER),),
    ),
    # Recalled by the officer: the buyer sees the date and the reason.
    DemoBatch(
        product="duong-quy-kho",
        lot="DQ2026-02",
        codes=("LC-PT-SLL-003",),
        harvest_days_ago=(30, 28),
        quantity_kg="95.00",
        package_count=300,
        packed_days_ago=22,
        shelf_life_days=540,
        events=(
            DemoEvent("harvest", 28, 7, "Bản Nậm Xe", "Giàng Thị Dợ"),
            DemoEvent("processing", 26, 15, "Lò sấy HTX", HTX_TQ, "Thái lát, sấy ở 45 °C."),
            DemoEvent("packing", 22, 9, "Xưởng đóng gói HTX", HTX_TQ),
            DemoEvent(
                "inspection",
                8,
                10,
                "Cửa hàng Lai Châu",
                "Trạm Trồng trọt và BVTV huyện Phong Thổ",
                "Mẫu lưu phát hiện nấm mốc.",
            ),
        ),
        recall=(
            7,
            "Mẫu lưu phát hiện nấm mốc do sấy chưa đủ khô. Không sử dụng; "
            "mang trả cửa hàng để được hoàn tiền.",
        ),
    ),
    DemoBatch(
        product="che-shan-tuyet-co-thu",
        lot="CHE2026-01",
        codes=("LC-PT-SLL-004",),
        harvest_days_ago=(21, 19),
        quantity_kg="60.00",
        package_count=500,
        packed_days_ago=15,
        shelf_life_days=730,
        events=(
            DemoEvent("harvest", 19, 6, "Bản Lả Dì Thàng", "Tổ hái chè bản Lả Dì Thàng", "Một tôm hai lá."),
            DemoEvent("processing", 18, 13, "Xưởng chè HTX", HTX_ST, "Sao suốt chảo gang, vò tay."),
            DemoEvent("packing", 15, 9, "Xưởng chè HTX", HTX_ST),
            DemoEvent("shipping", 12, 7, "Xưởng chè HTX", "Bưu điện huyện Phong Thổ"),
        ),
        certifications=((CertificationScheme.ORGANIC, "HC-2023-014", PGS_ISSUER),),
    ),
    DemoBatch(
        product="mang-kho",
        lot="MANG2026-01",
        codes=("LC-PT-SLL-005",),
        harvest_days_ago=(55, 50),
        quantity_kg="120.00",
        package_count=240,
        packed_days_ago=35,
        shelf_life_days=365,
        events=(
            DemoEvent("harvest", 50, 7, "Bản Lả Dì Thàng", "Ly Mỳ Xá"),
            DemoEvent("processing", 48, 10, "Giàn phơi HTX", HTX_ST, "Luộc kỹ, phơi nắng 10 ngày."),
            DemoEvent("packing", 35, 9, "Xưởng HTX", HTX_ST),
        ),
    ),
)


# Translations ----------------------------------------------------------------------------------
#
# Made as a translator makes them with Wagtail's "Translate" action (simple_translation): the
# Vietnamese page is copied into the other language's tree, its words replaced, and the copy
# published. The Vietnamese page stays the original that carries prices, stock and traceability;
# batches are never translated. Three products stay Vietnamese only, so that the "not translated
# yet" notice can be seen in the demo.


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


TRANSLATION_LANGUAGES = ("en", "hmn")
STREAM_FIELDS = ("description", "story")
# A translation shares the original's words only: its pack sizes (each GTIN is unique, and prices
# and stock live on the original) are not copied.
TRANSLATION_EXCLUDED_FIELDS = {ProductPage: ["variants"]}

TQ_COOP = "htx-thao-qua-si-lo-lau"
ST_COOP = "htx-che-shan-tuyet-la-di-thang"
DISTRICT_EN = "Sì Lở Lầu commune, Phong Thổ district, Lai Châu province"

# In tree order: a page's parent is translated before the page.
TRANSLATIONS = (
    PageTranslation(
        (),
        "en",
        "Sì Lở Lầu commune market",
        fields={
            "intro": (
                "<p>Black cardamom, Shan Tuyết tea, Lai Châu ginseng and medicinal herbs from the people "
                f"of {DISTRICT_EN}. Scan the QR code on a package to see where its batch comes from.</p>"
            )
        },
    ),
    PageTranslation(
        ("cooperatives",),
        "en",
        "Cooperatives",
        fields={
            "intro": (
                "The cooperatives of Sì Lở Lầu commune: who grows what, in which village, and what they make."
            )
        },
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP),
        "en",
        "Sì Lở Lầu Cardamom Cooperative",
        fields={"address": f"Sì Lở Lầu village, {DISTRICT_EN}"},
        paragraphs=(
            "<p>Hà Nhì and Dao households of Sì Lở Lầu village founded the cooperative in 2016. Black "
            "cardamom grows under old forest above 1,800 m; it is picked in October and November and "
            "dried over the kitchen fire or in the cooperative's kiln.</p>",
            "<p>Besides cardamom, member households grow <b>Lai Châu ginseng</b> and <b>dong quai</b> "
            "under the forest canopy, following GACP-WHO guidance, and record every batch they harvest.</p>",
        ),
        quote=("My cardamom dries over the kitchen fire; the whole village smells of it.", "Lý A Sử, member"),
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP, "thao-qua-kho"),
        "en",
        "Black cardamom (thảo quả)",
        fields={
            "summary": (
                "Ripe black cardamom pods (Amomum tsao-ko), dried over the kitchen fire; strongly "
                "aromatic, with reddish-brown skins."
            )
        },
        paragraphs=(
            "<p>Black cardamom grows under old forest, without chemical fertiliser. The pods are picked "
            "ripe and red, then dried over a wood fire for 3–4 days until the skins are dry and brittle.</p>",
            "<p>Use it in phở, stews, braised pork and infused rice spirit. Keep it in a dry place.</p>",
        ),
        voice_caption=(
            "Dried black cardamom from Sì Lở Lầu is grown under old forest, picked when the pods are "
            "ripe and red, then dried over the kitchen fire."
        ),
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP, "sam-lai-chau"),
        "en",
        "Lai Châu ginseng",
        fields={
            "summary": (
                "Roots of Lai Châu ginseng (Panax vietnamensis var. fuscidiscus) grown under forest "
                "canopy, at least 5 years old."
            )
        },
        paragraphs=(
            "<p>Lai Châu ginseng is a rare ginseng of the high mountains of Lai Châu. It grows under "
            "forest canopy above 1,600 m; every harvested batch has its GACP-WHO record.</p>",
            "<p>Sold as fresh roots, boxed with a certificate of origin.</p>",
        ),
        voice_caption=(
            "Lai Châu ginseng is grown under forest canopy, above one thousand six hundred metres; every "
            "harvested batch has a record of its origin."
        ),
    ),
    PageTranslation(
        ("cooperatives", ST_COOP),
        "en",
        "Lả Dì Thàng Shan Tuyết Tea Cooperative",
        fields={"address": f"Lả Dì Thàng village, {DISTRICT_EN}"},
        paragraphs=(
            "<p>Lả Dì Thàng village has hundreds of ancient Shan Tuyết tea trees, whose buds are covered "
            "in white down like snow. The cooperative picks one bud and two leaves, pan-fires them in "
            "cast-iron woks and rolls them by hand.</p>",
            "<p>Member households also keep bees for honey and dry bamboo shoots from the village's "
            "bamboo forest.</p>",
        ),
        quote=(
            "My grandfather planted this tea tree; now my grandchildren pick it.",
            "Tẩn Thị Mẩy, head of the cooperative",
        ),
    ),
    PageTranslation(
        ("cooperatives", ST_COOP, "che-shan-tuyet-co-thu"),
        "en",
        "Shan Tuyết tea",
        fields={"summary": "Buds from ancient Shan Tuyết tea trees over 100 years old, pan-fired by hand."},
        paragraphs=(
            "<p>The tea is golden and smooth, with a long sweet aftertaste. Brew 5 g of tea in 150 ml of "
            "water at about 90 °C for 2–3 minutes; the leaves give 4–5 brews.</p>",
        ),
    ),
    PageTranslation(
        ("shop",),
        "en",
        "Shop",
        fields={
            "intro": (
                "Specialities of Sì Lở Lầu commune, bought directly from the cooperatives. "
                "Pay by VietQR bank transfer."
            )
        },
    ),
    PageTranslation(
        ("growing-areas",),
        "en",
        "Growing-area codes",
        fields={
            "intro": (
                "The register of growing-area codes (mã số vùng trồng) of Sì Lở Lầu commune: which codes "
                "are valid, what is grown and in which village. Type the code printed on a package to "
                "check it."
            ),
            "report_contact": (
                "One-stop desk of the Sì Lở Lầu commune People's Committee, phone 0213 3890 000"
            ),
        },
    ),
    # PLACEHOLDER Hmong (White Hmong, RPA spelling), written by someone who does not speak it and
    # kept to a few common words; a Hmong translator must check it before the site is used for
    # real. The spoken clip (Vietnamese for now) carries the description.
    PageTranslation(
        (),
        "hmn",
        "Khw Sì Lở Lầu",
        fields={"intro": "<p>Nyob zoo! Thảo quả, chè Shan tuyết, sâm Lai Châu ntawm Sì Lở Lầu.</p>"},
    ),
    # PLACEHOLDER Hmong, as above. Wagtail puts aliases of the Vietnamese cooperative pages above
    # it in the Hmong tree (copy_parents), as its own "Translate" action does.
    PageTranslation(
        ("cooperatives", TQ_COOP, "thao-qua-kho"),
        "hmn",
        "Thảo quả qhuav Sì Lở Lầu",
        fields={"summary": "Thảo quả qhuav. Mloog lus Nyab Laj."},
        paragraphs=("<p>Thảo quả qhuav ntawm Sì Lở Lầu.</p>",),
        # No voice_caption: the clip keeps its Vietnamese transcript, which is what it says.
    ),
)


def translated_stream(stream, spec: PageTranslation) -> list[tuple[str, object]]:
    """The original's blocks in their order, with the translation's paragraphs where the first
    Vietnamese paragraph was (no Vietnamese paragraph is left behind), its quote and its caption
    under each voice clip; pictures and the clips themselves are kept."""
    paragraphs = [("paragraph", RichText(html)) for html in spec.paragraphs]
    blocks = []
    for block in stream:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            blocks += paragraphs
            paragraphs = []
            continue
        if kind == "quote" and spec.quote:
            value = {"text": spec.quote[0], "attribution": spec.quote[1]}
        elif kind == "audio" and spec.voice_caption:
            value = {**value, "caption": spec.voice_caption}
        blocks.append((kind, value))
    return blocks + paragraphs


def voice_value(document, clip: VoiceClip) -> dict:
    return {"audio": document, "caption": clip.transcript, "language": clip.language}


def voice_block_name(model) -> str | None:
    """The name of the AudioBlock in `model.voice`, or None while the model has no such
    StreamField (BatchPage gains one in issue 6)."""
    try:
        stream_block = model._meta.get_field("voice").stream_block
    except (FieldDoesNotExist, AttributeError):
        return None
    return next((name for name, b in stream_block.child_blocks.items() if isinstance(b, AudioBlock)), None)


class Command(BaseCommand):
    help = (
        "Build the Sì Lở Lầu demonstration site (marked as sample data on every page), with the "
        "demo accounts admin, officer, coop1 and coop2. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. The demo accounts have published passwords.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment, and seed_demo creates accounts "
                "whose passwords are published. Run it again with --force if you really mean to."
            )
        self.changes: list[str] = []
        self.new_area_codes: set[str] = set()
        self.batches: list[BatchPage] = []
        self.new_voice_ids: set[int] = set()
        with transaction.atomic():
            self.seed()

        if self.changes:
            for change in self.changes:
                self.stdout.write(f"  + {change}")
            self.stdout.write(self.style.SUCCESS(f"Demo data created ({len(self.changes)} changes)."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already present; nothing changed."))
        self.stdout.write("")
        self.stdout.write("Demo accounts (sample data only; never keep them on a real site):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<8}  password {user.password:<13}  {user.role}")
        self.stdout.write("Sign in at /admin/. Accounts that already existed keep their own passwords.")
        if self.batches:
            self.stdout.write("")
            self.stdout.write("Demo batches (scan or open the trace page):")
            base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            for batch in self.batches:
                note = " (recalled)" if batch.is_recalled else ""
                self.stdout.write(f"  {batch.lot:<12}  {base}/t/{batch.short_code}{note}")

    def changed(self, description: str) -> None:
        self.changes.append(description)

    # The seed, in dependency order.

    def seed(self) -> None:
        users = {user.username: self.ensure_user(user) for user in DEMO_USERS}
        self.admin = users["admin"]
        self.officer = users["officer"]
        self.ensure_officers(self.officer)
        home = self.ensure_home()
        self.ensure_site(home)
        self.categories = {slug: self.ensure_category(slug, name, order) for slug, name, order in CATEGORIES}
        index = self.ensure_page(
            home,
            CooperativeIndexPage(
                title="Hợp tác xã",
                slug="cooperatives",
                intro="Các hợp tác xã của xã Sì Lở Lầu: ai trồng, ở bản nào, làm ra sản phẩm gì.",
            ),
        )
        for cooperative in COOPERATIVES:
            self.ensure_cooperative(index, cooperative, users[cooperative.editor])
        self.ensure_page(
            home,
            ShopPage(
                title="Cửa hàng",
                slug="shop",
                intro=(
                    "Đặc sản của xã Sì Lở Lầu, mua trực tiếp từ hợp tác xã. Thanh toán chuyển khoản VietQR."
                ),
            ),
        )
        self.ensure_page(
            home,
            GrowingAreaIndexPage(
                title="Mã số vùng trồng",
                slug="growing-areas",
                intro=(
                    "Sổ đăng ký mã số vùng trồng của xã Sì Lở Lầu: mã số nào còn hiệu lực, trồng cây gì, "
                    "ở bản nào. Gõ mã số in trên bao bì để kiểm tra."
                ),
                report_contact="Bộ phận một cửa UBND xã Sì Lở Lầu, điện thoại 0213 3890 000",
            ),
        )
        self.ensure_translations(home)

    def ensure_user(self, spec: DemoUser):
        User = get_user_model()
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            return user
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@example.org",
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
        user.set_password(spec.password)
        user.save()
        self.changed(f"user {spec.username}")
        return user

    def ensure_membership(self, user, group: Group) -> None:
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            self.changed(f"{user.username} in group “{group.name}”")

    def ensure_officers(self, officer) -> None:
        # The service makes the group with the registry permissions (and completes it if someone
        # took some away); counting rows around it keeps "nothing changed" honest.
        before = (Group.objects.count(), Group.permissions.through.objects.count())
        group = ensure_officers_group()
        if (Group.objects.count(), Group.permissions.through.objects.count()) != before:
            self.changed(f"group “{group.name}” with the growing-area registry permissions")
        self.ensure_membership(officer, group)

    def ensure_home(self) -> HomePage:
        # The Vietnamese one: the translations are home pages too.
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home is not None:
            return home
        root = Page.get_first_root_node()
        for page in root.get_children():
            if page.slug != "home":
                continue
            # Wagtail's first migration leaves a bare "Welcome" page here; anything else with
            # the slug is somebody's content, which a demo seed must not delete.
            if page.specific_class is not Page or page.numchild:
                raise CommandError(
                    f"The root already has a page “{page.title}” with the slug “home” that is not a "
                    "home page; move or rename it, then run seed_demo again."
                )
            page.delete()
            self.changed("removed Wagtail's placeholder welcome page")
        return self.ensure_page(
            root,
            HomePage(
                title="Chợ xã Sì Lở Lầu",
                slug="home",
                intro=(
                    "<p>Thảo quả, chè Shan tuyết, sâm Lai Châu và dược liệu của bà con xã Sì Lở Lầu, "
                    "huyện Phong Thổ, tỉnh Lai Châu. Quét mã QR trên bao bì để biết lô hàng đến từ đâu.</p>"
                ),
            ),
        )

    def ensure_site(self, home: HomePage) -> None:
        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
        )
        if site is None:
            site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            self.changed(f"site {site.hostname}:{site.port}")
        elif site.root_page_id != home.pk or not site.is_default_site:
            site.root_page = home
            site.is_default_site = True
            site.save()
            self.changed(f"site {site.hostname}:{site.port} shows the home page by default")
        site_settings = SiteSettings.for_site(site)
        if not site_settings.sample_data_notice:
            site_settings.sample_data_notice = SAMPLE_DATA_NOTICE
            site_settings.save()
            self.changed("sample-data notice on every page")

    def ensure_category(self, slug: str, name: str, sort_order: int) -> Category:
        category, created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": sort_order}
        )
        if created:
            self.changed(f"category {name}")
        return category

    def find_child(self, parent: Page, page: Page) -> Page | None:
        existing = parent.get_children().filter(slug=page.slug).first()
        return existing.specific if existing is not None else None

    def ensure_page(self, parent: Page, page: Page, before_publish=None) -> Page:
        """Add and publish `page` under `parent` unless a page with its slug is already there.
        `before_publish(page)` can attach things that need the page to exist first (its
        editors' collection, images in it)."""
        existing = self.find_child(parent, page)
        if existing is not None:
            return existing
        page.owner = self.admin
        page.live = False
        parent.add_child(instance=page)
        if before_publish is not None:
            before_publish(page)
        # A revision per page, as if typed into the admin, so history and "compare" work.
        page.save_revision(user=self.admin).publish(user=self.admin)
        page.refresh_from_db()
        self.changed(f"page {page.url_path.removeprefix('/home')}")
        return page

    def ensure_image(self, collection: Collection, title: str, draw):
        Image = get_image_model()
        image = Image.objects.filter(collection=collection, title=title).first()
        if image is not None:
            return image
        image = Image(
            title=title,
            collection=collection,
            uploaded_by_user=self.admin,
            file=ImageFile(BytesIO(draw()), name=f"{slugify(title) or 'demo'}.png"),
        )
        image._set_image_file_metadata()
        image.save()
        self.changed(f"image “{title}”")
        return image

    def ensure_voice(self, collection: Collection, clip: VoiceClip):
        Document = get_document_model()
        document = Document.objects.filter(collection=collection, title=clip.title).first()
        if document is not None:
            return document
        document = Document(
            title=clip.title,
            collection=collection,
            uploaded_by_user=self.admin,
            file=ContentFile((DEMO_MEDIA / clip.file).read_bytes(), name=clip.file),
        )
        document._set_document_file_metadata()
        document.save()
        self.new_voice_ids.add(document.pk)
        self.changed(f"voice clip “{clip.title}”")
        return document

    def add_voice(self, page: Page, field_name: str, block_name: str, document, clip: VoiceClip) -> None:
        """Put a clip made in this run at the top of a page seeded before the clips existed, in a
        published revision, unless an editor has a draft in progress. A clip an editor removed
        later is not put back: its document is not new then."""
        stream = getattr(page, field_name)
        cited = any(block.block_type == block_name and block.value["audio"] == document for block in stream)
        if document.pk not in self.new_voice_ids or cited or page.has_unpublished_changes:
            return
        stream.insert(0, (block_name, voice_value(document, clip)))
        page.save_revision(user=self.admin).publish(user=self.admin)
        self.changed(f"{page.title} plays “{clip.title}”")

    @staticmethod
    def editor_permission_rows() -> tuple[int, ...]:
        return (
            Group.objects.count(),
            Group.permissions.through.objects.count(),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
            Collection.objects.count(),
        )

    def ensure_editors(self, page: CooperativePage, editor) -> Collection:
        # The service is idempotent but does not say what it did; counting rows around it
        # keeps "nothing changed" honest when it repairs a group someone edited.
        before = self.editor_permission_rows()
        group = ensure_cooperative_editors(cooperative=page)
        if self.editor_permission_rows() != before:
            self.changed(f"group “{group.name}” with its page and collection permissions")
        self.ensure_membership(editor, group)
        return cooperative_collection(page)

    def ensure_cooperative(self, index: CooperativeIndexPage, spec: Cooperative, editor) -> None:
        def attach(page: CooperativePage) -> None:
            collection = self.ensure_editors(page, editor)
            page.logo = self.ensure_image(
                collection,
                f"Logo {spec.title}",
                lambda: demo_images.logo(spec.initials, spec.title, spec.colour),
            )
            photo_title, caption = spec.photo
            page.photos = [
                CooperativePhoto(
                    image=self.ensure_image(
                        collection,
                        photo_title,
                        lambda: demo_images.illustration("landscape", photo_title, seed=spec.slug),
                    ),
                    caption=caption,
                )
            ]

        page = self.ensure_page(
            index,
            CooperativePage(
                title=spec.title,
                slug=spec.slug,
                village=spec.village,
                address=spec.address,
                phone=spec.phone,
                household_count=spec.household_count,
                bank_bin=spec.bank_bin,
                bank_account_number=spec.bank_account_number,
                bank_account_name=spec.bank_account_name,
                story=[
                    *[("paragraph", RichText(html)) for html in spec.story],
                    ("quote", {"text": spec.quote[0], "attribution": spec.quote[1]}),
                ],
                certifications=[
                    CooperativeCertification(
                        scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2)
                    )
                    for scheme, number, issuer in spec.certifications
                ],
            ),
            before_publish=attach,
        )
        # Also on reruns: the group and membership may be missing even if the page is not.
        collection = self.ensure_editors(page, editor)
        areas = {
            area.code: self.ensure_area(page, area) for area in DEMO_AREAS if area.cooperative == spec.slug
        }
        for product in spec.products:
            self.ensure_product(page, collection, product, areas)

    def ensure_area(self, cooperative: CooperativePage, spec: DemoArea) -> GrowingArea:
        """Register a demo code as an officer would, unless a code with its lookup key exists
        (then it is left as the officer has it). Suspended and revoked codes go through
        growers.services.change_status, so their history is there with a reason."""
        existing = GrowingArea.objects.by_code(spec.code).first()
        if existing is not None:
            return existing
        issued_on = days_from_today(-spec.issued_days_ago)
        area = GrowingArea(
            code=spec.code,
            name=spec.name,
            cooperative=cooperative,
            village=spec.village,
            crop_name=spec.crop_name,
            crop_scientific_name=spec.crop_scientific_name,
            area_hectares=Decimal(spec.area_hectares),
            latitude=Decimal(str(spec.latitude)),
            longitude=Decimal(str(spec.longitude)),
            boundary=spec.boundary,
            issuing_authority=PROVINCE_PLANT_PROTECTION,
            decision_number=spec.decision_number,
            issued_on=issued_on,
            valid_until=issued_on + datetime.timedelta(days=spec.valid_for_days),
            households=[
                Household(head_name=name, village=spec.village, phone=phone)
                for name, phone in spec.households
            ],
            certifications=[
                GrowingAreaCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                for scheme, number, issuer in spec.certifications
            ],
            inspections=[
                Inspection(date=days_from_today(-days), inspector=inspector, result=result, notes=notes)
                for days, inspector, result, notes in spec.inspections
            ],
        )
        area.full_clean()
        area.save()
        log(instance=area, action="wagtail.create", user=self.officer)
        if spec.status_change is not None:
            status, days_ago, reason = spec.status_change
            change_status(
                area=area,
                to_status=status,
                reason=reason,
                user=self.officer,
                effective_date=days_from_today(-days_ago),
            )
            area.refresh_from_db()
        self.new_area_codes.add(area.code)
        self.changed(f"growing-area code {area.code} ({area.effective_status})")
        return area

    def ensure_product(
        self,
        cooperative: CooperativePage,
        collection: Collection,
        spec: Product,
        areas: dict[str, GrowingArea],
    ) -> None:
        def attach(page: ProductPage) -> None:
            page.image = self.ensure_image(
                collection, spec.title, lambda: demo_images.illustration(spec.motif, spec.title)
            )
            page.gallery_images = [
                ProductGalleryImage(
                    image=self.ensure_image(
                        collection,
                        caption,
                        lambda caption=caption, motif=motif: demo_images.illustration(
                            motif, caption, seed=spec.slug
                        ),
                    ),
                    caption=caption,
                )
                for motif, caption in spec.gallery
            ]

        origin_areas = [areas[code] for code in spec.origin_codes]
        voice = self.ensure_voice(collection, spec.voice) if spec.voice else None
        product = self.ensure_page(
            cooperative,
            ProductPage(
                title=spec.title,
                slug=spec.slug,
                summary=spec.summary,
                category=self.categories[spec.category],
                ocop_stars=spec.ocop_stars,
                origin_areas=origin_areas,
                description=[
                    *([("audio", voice_value(voice, spec.voice))] if voice else []),
                    *[("paragraph", RichText(html)) for html in spec.description],
                ],
                variants=[
                    ProductVariant(
                        pack_label=v.pack_label,
                        weight_grams=v.weight_grams,
                        sku=v.sku,
                        gtin=demo_gtin(v.gtin_item) if v.gtin_item else None,
                        price=v.price,
                        stock=v.stock,
                    )
                    for v in spec.variants
                ],
                certifications=[
                    ProductCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                    for scheme, number, issuer in spec.certifications
                ],
            ),
            before_publish=attach,
        )
        # A product seeded before the registry existed: cite the codes registered in this run,
        # in a published revision, unless an editor has a draft of the product in progress.
        cited = set(product.origin_areas.values_list("code", flat=True))
        missing = [a for a in origin_areas if a.code in self.new_area_codes and a.code not in cited]
        if missing and not product.has_unpublished_changes:
            product.origin_areas.add(*missing)
            product.save_revision(user=self.admin).publish(user=self.admin)
            self.changed(f"{product.title} cites {', '.join(a.code for a in missing)}")
        if voice is not None:
            self.add_voice(product, "description", "audio", voice, spec.voice)
        for batch_spec in DEMO_BATCHES:
            if batch_spec.product == spec.slug:
                self.ensure_batch(product, collection, batch_spec, areas)

    def ensure_batch(
        self, product: ProductPage, collection: Collection, spec: DemoBatch, areas: dict[str, GrowingArea]
    ) -> None:
        """A published batch with its events, found by its lot under the product (short codes are
        random); a recalled one is recalled through the officer's service, as an officer would."""
        # The clip is made only once the model can hold it, so that the run that first can
        # attaches it (add_voice attaches only clips made in the same run).
        voice_block = voice_block_name(BatchPage)
        voice = self.ensure_voice(collection, spec.voice) if spec.voice and voice_block else None
        existing = BatchPage.objects.child_of(product).filter(lot=spec.lot).first()
        if existing is not None:
            if voice is not None:
                self.add_voice(existing, "voice", voice_block, voice, spec.voice)
            self.batches.append(existing)
            return
        extra = {"voice": [(voice_block, voice_value(voice, spec.voice))]} if voice is not None else {}
        zone = zoneinfo.ZoneInfo(LOCAL_ZONE)
        packed_on = days_from_today(-spec.packed_days_ago)
        batch = self.ensure_page(
            product,
            BatchPage(
                title=f"Lô {spec.lot}",
                slug=slugify(spec.lot),
                lot=spec.lot,
                harvest_start=days_from_today(-spec.harvest_days_ago[0]),
                harvest_end=days_from_today(-spec.harvest_days_ago[1]),
                quantity_kg=Decimal(spec.quantity_kg),
                package_count=spec.package_count,
                packed_on=packed_on,
                best_before=packed_on + datetime.timedelta(days=spec.shelf_life_days),
                growing_areas=[areas[code] for code in spec.codes],
                events=[
                    TraceEvent(
                        event_type=event.event_type,
                        occurred_at=datetime.datetime.combine(
                            days_from_today(-event.days_ago), datetime.time(event.hour), tzinfo=zone
                        ),
                        time_zone=LOCAL_ZONE,
                        place=event.place,
                        responsible=event.responsible,
                        notes=event.notes,
                    )
                    for event in sorted(spec.events, key=lambda e: (-e.days_ago, e.hour))
                ],
                certifications=[
                    BatchCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                    for scheme, number, issuer in spec.certifications
                ],
                **extra,
            ),
        )
        if spec.recall is not None:
            days_ago, reason = spec.recall
            recall_batch(
                batch=batch, recalled_on=days_from_today(-days_ago), reason=reason, user=self.officer
            )
            self.changed(f"batch {spec.lot} recalled")
        self.batches.append(batch)

    # Translations

    def ensure_translations(self, home: HomePage) -> None:
        locales = {code: self.ensure_locale(code) for code in TRANSLATION_LANGUAGES}
        for spec in TRANSLATIONS:
            self.ensure_translation(home, spec, locales[spec.language])

    def ensure_locale(self, language_code: str) -> Locale:
        locale, created = Locale.objects.get_or_create(language_code=language_code)
        if created:
            self.changed(f"language {language_code}")
        return locale

    def ensure_translation(self, home: HomePage, spec: PageTranslation, locale: Locale) -> None:
        """Translate the page once: a translation already there (by Wagtail's translation key) is
        left as the translator has it, and an original somebody removed is not recreated."""
        original: Page | None = home
        for slug in spec.path:
            original = original.get_children().filter(slug=slug).first()
            if original is None:
                return
        original = original.specific
        if original.get_translation_or_none(locale) is not None:
            return
        # A page with the translation's slug already in that language's tree (say, the English
        # registry page of a Vietnamese one somebody deleted and this run recreated) is somebody's
        # content: leave it, rather than let Wagtail add "growing-areas-2" beside it.
        parent = original.get_parent()
        if parent.is_root():  # Wagtail puts a home page's translation beside it as "home-en"
            translated_parent, slug = parent, f"{original.slug}-{locale.language_code}"
        else:
            translated_parent, slug = parent.get_translation_or_none(locale), original.slug
        if translated_parent is not None and translated_parent.get_children().filter(slug=slug).exists():
            return
        page = original.copy_for_translation(
            locale,
            # Parents missing in that language (Hmong has no cooperative pages) become aliases of
            # the Vietnamese ones, as with Wagtail's own "Translate" action.
            copy_parents=True,
            exclude_fields=TRANSLATION_EXCLUDED_FIELDS.get(type(original)),
        ).specific
        page.title = spec.title
        for name, value in spec.fields.items():
            setattr(page, name, value)
        for name in STREAM_FIELDS:
            if hasattr(page, name):
                setattr(page, name, translated_stream(getattr(page, name), spec))
        page.save_revision(user=self.admin).publish(user=self.admin)
        self.changed(f"{locale.language_code} translation of {original.url_path.removeprefix('/home')}")
