"""The demo commune and the authorities that certify and inspect its growers."""

COMMUNE_ADDRESS = "xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu"
# Trace events happen in the commune's own time.
LOCAL_ZONE = "Asia/Ho_Chi_Minh"

PROVINCE_PLANT_PROTECTION = "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu"
INSPECTOR = "Lò Văn Hùng"
GACP_ISSUER = "Cục Quản lý Y, Dược cổ truyền"
PGS_ISSUER = "Tổ chức chứng nhận hữu cơ PGS Lai Châu"
