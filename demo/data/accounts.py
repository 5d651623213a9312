"""The demo accounts (README "Demo accounts", DESIGN §4): each password is `demo-<username>`."""

from demo.specs import DemoUser
from growers.services import OFFICERS_GROUP_NAME

DEMO_USERS = (
    DemoUser("admin", "Quản trị", "Viên", "superuser", superuser=True),
    DemoUser("officer", "Hùng", "Lò Văn", OFFICERS_GROUP_NAME),
    DemoUser("coop1", "Sử", "Lý A", "editor of HTX Thảo quả Sì Lở Lầu"),
    DemoUser("coop2", "Mẩy", "Tẩn Thị", "editor of HTX Chè Shan tuyết Lả Dì Thàng"),
)
