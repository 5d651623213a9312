"""The site around the catalogue: its notice, categories and the pages that list things."""

SAMPLE_DATA_NOTICE = (
    "Dữ liệu mẫu — đây là trang trình diễn, không phải hàng bán thật. Sample data for demonstration."
)

# slug, name, sort order
CATEGORIES = (
    ("gia-vi", "Gia vị", 10),
    ("che", "Chè", 20),
    ("duoc-lieu", "Dược liệu", 30),
    ("dac-san-khac", "Đặc sản khác", 40),
)

# The fields of each page, by the page's model.
HOME_PAGE = {
    "title": "Chợ xã Sì Lở Lầu",
    "slug": "home",
    "intro": (
        "<p>Thảo quả, chè Shan tuyết, sâm Lai Châu và dược liệu của bà con xã Sì Lở Lầu, "
        "huyện Phong Thổ, tỉnh Lai Châu. Quét mã QR trên bao bì để biết lô hàng đến từ đâu.</p>"
    ),
}
COOPERATIVE_INDEX_PAGE = {
    "title": "Hợp tác xã",
    "slug": "cooperatives",
    "intro": "Các hợp tác xã của xã Sì Lở Lầu: ai trồng, ở bản nào, làm ra sản phẩm gì.",
}
SHOP_PAGE = {
    "title": "Cửa hàng",
    "slug": "shop",
    "intro": "Đặc sản của xã Sì Lở Lầu, mua trực tiếp từ hợp tác xã. Thanh toán chuyển khoản VietQR.",
}
GROWING_AREA_INDEX_PAGE = {
    "title": "Mã số vùng trồng",
    "slug": "growing-areas",
    "intro": (
        "Sổ đăng ký mã số vùng trồng của xã Sì Lở Lầu: mã số nào còn hiệu lực, trồng cây gì, "
        "ở bản nào. Gõ mã số in trên bao bì để kiểm tra."
    ),
    "report_contact": "Bộ phận một cửa UBND xã Sì Lở Lầu, điện thoại 0213 3890 000",
}
