"""Growing-area codes (mã số vùng trồng): one in every status the register knows."""

from demo.data.commune import GACP_ISSUER, INSPECTOR, PGS_ISSUER, PROVINCE_PLANT_PROTECTION
from demo.specs import DemoArea
from growers.models import CertificationScheme, GrowingAreaStatus, InspectionResult


def ring(latitude: float, longitude: float, offsets: tuple[tuple[int, int], ...]) -> list[list[float]]:
    """A closed GeoJSON ring from corner offsets in ten-thousandths of a degree (about 11 m)
    east and north of the point."""
    points = [
        [round(longitude + east / 10_000, 6), round(latitude + north / 10_000, 6)] for east, north in offsets
    ]
    return [*points, points[0]]


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
