"""Batches (lots) and their trace events."""

from demo.data.commune import GACP_ISSUER, PGS_ISSUER, PROVINCE_PLANT_PROTECTION
from demo.data.voices import VOICE_LOT_TQ2026_01
from demo.specs import DemoBatch, DemoEvent
from growers.models import CertificationScheme

HTX_TQ = "HTX Thảo quả Sì Lở Lầu"
HTX_ST = "HTX Chè Shan tuyết Lả Dì Thàng"


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
