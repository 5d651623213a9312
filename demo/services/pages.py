"""The home page, the site that shows it, categories, and adding a page the way an editor does."""

from django.core.management.base import CommandError

from wagtail.models import Locale, Page, Site

from demo.data.site import HOME_PAGE, SAMPLE_DATA_NOTICE
from demo.services.run import SeedRun
from products.models import Category
from website.models import HomePage, SiteSettings


def find_child(parent: Page, page: Page) -> Page | None:
    existing = parent.get_children().filter(slug=page.slug).first()
    return existing.specific if existing is not None else None


def ensure_page(run: SeedRun, parent: Page, page: Page, before_publish=None) -> Page:
    """Add and publish `page` under `parent` unless a page with its slug is already there.
    `before_publish(page)` can attach things that need the page to exist first (its
    editors' collection, images in it)."""
    existing = find_child(parent, page)
    if existing is not None:
        return existing
    page.owner = run.admin
    page.live = False
    parent.add_child(instance=page)
    if before_publish is not None:
        before_publish(page)
    # A revision per page, as if typed into the admin, so history and "compare" work.
    page.save_revision(user=run.admin).publish(user=run.admin)
    page.refresh_from_db()
    run.changed(f"page {page.url_path.removeprefix('/home')}")
    return page


def ensure_home(run: SeedRun) -> HomePage:
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
        run.changed("removed Wagtail's placeholder welcome page")
    return ensure_page(run, root, HomePage(**HOME_PAGE))


def ensure_site(run: SeedRun, home: HomePage) -> None:
    site = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.filter(hostname="localhost", port=80).first()
    )
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        run.changed(f"site {site.hostname}:{site.port}")
    elif site.root_page_id != home.pk or not site.is_default_site:
        site.root_page = home
        site.is_default_site = True
        site.save()
        run.changed(f"site {site.hostname}:{site.port} shows the home page by default")
    site_settings = SiteSettings.for_site(site)
    if not site_settings.sample_data_notice:
        site_settings.sample_data_notice = SAMPLE_DATA_NOTICE
        site_settings.save()
        run.changed("sample-data notice on every page")


def ensure_category(run: SeedRun, slug: str, name: str, sort_order: int) -> Category:
    category, created = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "sort_order": sort_order}
    )
    if created:
        run.changed(f"category {name}")
    return category
