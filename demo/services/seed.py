"""The whole demo, in dependency order."""

from demo.data.accounts import DEMO_USERS
from demo.data.cooperatives import COOPERATIVES
from demo.data.site import CATEGORIES, COOPERATIVE_INDEX_PAGE, GROWING_AREA_INDEX_PAGE, SHOP_PAGE
from demo.services.accounts import ensure_officers, ensure_user
from demo.services.applications import ensure_applications_and_seasons
from demo.services.cooperatives import ensure_cooperative
from demo.services.pages import ensure_category, ensure_home, ensure_page, ensure_site
from demo.services.run import SeedRun
from demo.services.translations import ensure_translations
from growers.models import CooperativeIndexPage, GrowingAreaIndexPage
from products.models import ShopPage


def seed(run: SeedRun) -> None:
    users = {user.username: ensure_user(run, user) for user in DEMO_USERS}
    run.admin = users["admin"]
    run.officer = users["officer"]
    ensure_officers(run, run.officer)
    home = ensure_home(run)
    ensure_site(run, home)
    run.categories = {slug: ensure_category(run, slug, name, order) for slug, name, order in CATEGORIES}
    index = ensure_page(run, home, CooperativeIndexPage(**COOPERATIVE_INDEX_PAGE))
    for cooperative in COOPERATIVES:
        ensure_cooperative(run, index, cooperative, users[cooperative.editor])
    ensure_page(run, home, ShopPage(**SHOP_PAGE))
    ensure_page(run, home, GrowingAreaIndexPage(**GROWING_AREA_INDEX_PAGE))
    # After the batches: a season counts the published batches harvested in it.
    ensure_applications_and_seasons(run)
    ensure_translations(run, home)
