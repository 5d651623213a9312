"""A cooperative's page, its editors and collection, then its codes and products."""

from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.rich_text import RichText

from demo import drawings
from demo.data.areas import DEMO_AREAS
from demo.services.accounts import ensure_membership
from demo.services.areas import ensure_area
from demo.services.media import ensure_image
from demo.services.pages import ensure_page
from demo.services.products import ensure_product
from demo.services.run import SeedRun, in_years
from demo.specs import Cooperative
from growers.models import CooperativeCertification, CooperativeIndexPage, CooperativePage, CooperativePhoto
from growers.selectors import cooperative_collection
from growers.services import ensure_cooperative_editors


def editor_permission_rows() -> tuple[int, ...]:
    return (
        Group.objects.count(),
        Group.permissions.through.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )


def ensure_editors(run: SeedRun, page: CooperativePage, editor) -> Collection:
    # The service is idempotent but does not say what it did; counting rows around it
    # keeps "nothing changed" honest when it repairs a group someone edited.
    before = editor_permission_rows()
    group = ensure_cooperative_editors(cooperative=page)
    if editor_permission_rows() != before:
        run.changed(f"group “{group.name}” with its page and collection permissions")
    ensure_membership(run, editor, group)
    return cooperative_collection(page)


def ensure_cooperative(run: SeedRun, index: CooperativeIndexPage, spec: Cooperative, editor) -> None:
    def attach(page: CooperativePage) -> None:
        collection = ensure_editors(run, page, editor)
        page.logo = ensure_image(
            run,
            collection,
            f"Logo {spec.title}",
            lambda: drawings.logo(spec.initials, spec.title, spec.colour),
        )
        photo_title, caption = spec.photo
        page.photos = [
            CooperativePhoto(
                image=ensure_image(
                    run,
                    collection,
                    photo_title,
                    lambda: drawings.illustration("landscape", photo_title, seed=spec.slug),
                ),
                caption=caption,
            )
        ]

    page = ensure_page(
        run,
        index,
        CooperativePage(
            title=spec.title,
            slug=spec.slug,
            village=spec.village,
            address=spec.address,
            phone=spec.phone,
            household_count=spec.household_count,
            bank_bin=spec.bank_bin,
            bank_account_number=spec.bank_account_number,
            bank_account_name=spec.bank_account_name,
            story=[
                *[("paragraph", RichText(html)) for html in spec.story],
                ("quote", {"text": spec.quote[0], "attribution": spec.quote[1]}),
            ],
            certifications=[
                CooperativeCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                for scheme, number, issuer in spec.certifications
            ],
        ),
        before_publish=attach,
    )
    # Also on reruns: the group and membership may be missing even if the page is not.
    collection = ensure_editors(run, page, editor)
    areas = {area.code: ensure_area(run, page, area) for area in DEMO_AREAS if area.cooperative == spec.slug}
    for product in spec.products:
        ensure_product(run, page, collection, product, areas)
