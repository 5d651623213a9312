"""The cooperatives' products, with their pack sizes, certificates and pictures."""

from demo.data.commune import PROVINCE_PLANT_PROTECTION
from demo.data.voices import VOICE_SAM, VOICE_THAO_QUA
from demo.specs import Product, Variant
from growers.models import CertificationScheme

# A made-up GS1 Vietnam company prefix (893 + 4 digits); each Variant's gtin_item follows it.
DEMO_GTIN_COMPANY_PREFIX = "8938542"

# HTX Thảo quả Sì Lở Lầu
THAO_QUA_PRODUCTS = (
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
        summary=("Củ sâm Lai Châu (Panax vietnamensis var. fuscidiscus) trồng dưới tán rừng, từ 5 năm tuổi."),
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
)

# HTX Chè Shan tuyết Lả Dì Thàng
SHAN_TUYET_PRODUCTS = (
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
)
