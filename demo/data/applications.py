"""Applications for growing-area codes, one in every status of the officer's queue, as
households and a cooperative of the commune would bring them; and the declared seasons."""

from dataclasses import dataclass, field

from demo.data.commune import INSPECTOR


@dataclass(frozen=True)
class DemoApplication:
    applicant_name: str
    phone: str
    village: str
    crop: str  # a key of growers.crops.CROPS
    plots: tuple[tuple[str, str, float | None, float | None], ...]  # ha, where, latitude, longitude
    households: tuple[tuple[str, str], ...]  # head of household, area (ha) or ""
    received_days_ago: int
    # The officer's steps after receipt, in order: (status, days ago, message to the applicant),
    # "inspected" taking (result, inspector notes), "granted" taking the code to issue.
    steps: tuple[tuple, ...] = ()
    language: str = "vi"
    variety: str = ""
    standard: str = ""
    cooperative: str = ""  # a cooperative's slug when it applies
    channel: str = "web"
    notes: str = ""
    extra: dict = field(default_factory=dict)


DEMO_APPLICATIONS = (
    DemoApplication(
        applicant_name="Sùng A Lử",
        phone="0912000301",
        village="Seo Lèng",
        crop="thao-qua",
        plots=(("0.60", "Sườn đồi phía đông bản, dưới tán rừng", 22.6311, 103.2551),),
        households=(("Sùng A Lử", "0.60"),),
        received_days_ago=2,
        language="hmn",
        notes="Gia đình tôi trồng thảo quả 4 năm nay.",
    ),
    DemoApplication(
        applicant_name="Lò Thị Xuân",
        phone="0912000302",
        village="Hồng Thu Mán",
        crop="duong-quy",
        plots=(("0.30", "Nương sau nhà văn hoá", None, None),),
        households=(("Lò Thị Xuân", "0.30"),),
        received_days_ago=9,
        steps=(
            (
                "needs-info",
                6,
                "Xin cho biết vị trí nương (gần mốc nào) và số hộ cùng trồng. Gọi 0212 3876 xxx "
                "hoặc đến UBND xã vào thứ Năm.",
            ),
        ),
    ),
    DemoApplication(
        applicant_name="HTX Thảo quả Sì Lở Lầu",
        phone="0912000100",
        village="Sì Lở Lầu",
        crop="thao-qua",
        cooperative="htx-thao-qua-si-lo-lau",
        channel="desk",
        standard="vietgap",
        plots=(
            ("2.40", "Khe suối Nậm Lò, lô 1", 22.6102, 103.2633),
            ("1.10", "Khe suối Nậm Lò, lô 2", 22.6110, 103.2650),
        ),
        households=(("Pờ A Dơ", "1.20"), ("Chu Thị Sa", "1.20"), ("Lý A Chinh", "1.10")),
        received_days_ago=16,
        steps=(("inspection", 12, "Cán bộ sẽ đến kiểm tra vườn cùng tổ trưởng.", 4),),
    ),
    DemoApplication(
        applicant_name="Giàng Thị Dợ",
        phone="0912000304",
        village="Tả Chải",
        crop="sam-lai-chau",
        standard="gacp-who",
        plots=(("1.30", "Rừng già phía trên bản", 22.6421, 103.2871),),
        households=(("Giàng Thị Dợ", "0.70"), ("Vàng A Sình", "0.60")),
        received_days_ago=30,
        steps=(
            ("inspection", 26, "Cán bộ sẽ đến kiểm tra vườn.", -20),
            ("inspected", 20, ("passed", "Cây sâm 3 năm tuổi, có hàng rào, sổ ghi chép đầy đủ.")),
        ),
    ),
    DemoApplication(
        applicant_name="Chảo Láo Sử",
        phone="0912000305",
        village="Nậm Xe",
        crop="duong-quy",
        plots=(
            ("0.80", "Ruộng bậc thang đầu bản", 22.5981, 103.3012),
            ("0.40", "Nương cạnh suối", None, None),
        ),
        households=(("Chảo Láo Sử", "0.80"), ("Chảo Thị Mẩy", "0.40")),
        received_days_ago=75,
        steps=(
            ("inspection", 70, "Cán bộ sẽ đến kiểm tra.", -62),
            ("inspected", 62, ("passed", "Đất tơi xốp, không gần nguồn ô nhiễm.")),
            ("granted", 50, "LC-PT-SLL-009"),
        ),
    ),
    DemoApplication(
        applicant_name="Phàn A Tả",
        phone="0912000306",
        village="Pa Chải",
        crop="tam-that",
        plots=(("0.50", "Trong rừng phòng hộ đầu nguồn", 22.6555, 103.2404),),
        households=(("Phàn A Tả", "0.50"),),
        received_days_ago=40,
        steps=(
            (
                "refused",
                33,
                "Lô đất nằm trong rừng phòng hộ đầu nguồn, không được cấp mã số vùng trồng. "
                "Cán bộ xã có thể giúp tìm lô đất khác.",
            ),
        ),
    ),
    # The same household asking twice (the officer's queue flags the pair).
    DemoApplication(
        applicant_name="Sùng A Lử",
        phone="0912000301",
        village="Seo Lèng",
        crop="thao-qua",
        plots=(("0.60", "Đồi phía đông", None, None),),
        households=(("Sùng A Lử", "0.60"),),
        received_days_ago=1,
        language="hmn",
    ),
)

# Seasons declared by the holders: (code, crop key, variety, ha, standard, expected kg,
# start, expected harvest, end (days from today, negative = past), market, actual kg or None).
# Đương quy LC-PT-SLL-003 declared 250 kg for a season in which its published batches cite
# 275 kg: the code over its yield that the officer's dashboard lists.
DEMO_SEASONS = (
    (
        "LC-PT-SLL-001",
        "thao-qua",
        "Thảo quả bản địa",
        "18.50",
        "vietgap",
        "5000",
        -150,
        -38,
        30,
        "site",
        None,
    ),
    ("LC-PT-SLL-003", "duong-quy", "Đương quy Nhật", "5.20", "", "250", -200, -48, -10, "local", "260"),
)
INSPECTOR_NAME = INSPECTOR
