"""The two cooperatives of the demo commune, with their editors (demo/data/accounts.py)."""

from demo.data.commune import PROVINCE_PLANT_PROTECTION
from demo.data.products import SHAN_TUYET_PRODUCTS, THAO_QUA_PRODUCTS
from demo.specs import Cooperative
from growers.models import CertificationScheme

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
        products=THAO_QUA_PRODUCTS,
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
        products=SHAN_TUYET_PRODUCTS,
    ),
)
