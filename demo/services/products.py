"""A product's page with its pictures, pack sizes and origin codes, then its batches."""

from wagtail.models import Collection
from wagtail.rich_text import RichText

from demo import drawings
from demo.data.batches import DEMO_BATCHES
from demo.data.products import DEMO_GTIN_COMPANY_PREFIX
from demo.services.batches import ensure_batch
from demo.services.media import add_voice, ensure_image, ensure_voice, voice_value
from demo.services.pages import ensure_page
from demo.services.run import SeedRun, in_years
from demo.specs import Product
from growers.models import CooperativePage, GrowingArea
from products.gtin import gtin_check_digit, normalise_gtin
from products.models import ProductCertification, ProductGalleryImage, ProductPage, ProductVariant


def demo_gtin(item_reference: int) -> str:
    """GTIN-13 stored as 14 digits. The model's field only normalises in full_clean, which
    inline children saved with their page do not go through, so normalise here."""
    body = f"{DEMO_GTIN_COMPANY_PREFIX}{item_reference:05d}"
    return normalise_gtin(f"{body}{gtin_check_digit(body)}")


def ensure_product(
    run: SeedRun,
    cooperative: CooperativePage,
    collection: Collection,
    spec: Product,
    areas: dict[str, GrowingArea],
) -> None:
    def attach(page: ProductPage) -> None:
        page.image = ensure_image(
            run, collection, spec.title, lambda: drawings.illustration(spec.motif, spec.title)
        )
        page.gallery_images = [
            ProductGalleryImage(
                image=ensure_image(
                    run,
                    collection,
                    caption,
                    lambda caption=caption, motif=motif: drawings.illustration(
                        motif, caption, seed=spec.slug
                    ),
                ),
                caption=caption,
            )
            for motif, caption in spec.gallery
        ]

    origin_areas = [areas[code] for code in spec.origin_codes]
    voice = ensure_voice(run, collection, spec.voice) if spec.voice else None
    product = ensure_page(
        run,
        cooperative,
        ProductPage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            category=run.categories[spec.category],
            ocop_stars=spec.ocop_stars,
            origin_areas=origin_areas,
            description=[
                *([("audio", voice_value(voice, spec.voice))] if voice else []),
                *[("paragraph", RichText(html)) for html in spec.description],
            ],
            variants=[
                ProductVariant(
                    pack_label=v.pack_label,
                    weight_grams=v.weight_grams,
                    sku=v.sku,
                    gtin=demo_gtin(v.gtin_item) if v.gtin_item else None,
                    price=v.price,
                    stock=v.stock,
                )
                for v in spec.variants
            ],
            certifications=[
                ProductCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                for scheme, number, issuer in spec.certifications
            ],
        ),
        before_publish=attach,
    )
    # A product seeded before the registry existed: cite the codes registered in this run,
    # in a published revision, unless an editor has a draft of the product in progress.
    cited = set(product.origin_areas.values_list("code", flat=True))
    missing = [a for a in origin_areas if a.code in run.new_area_codes and a.code not in cited]
    if missing and not product.has_unpublished_changes:
        product.origin_areas.add(*missing)
        product.save_revision(user=run.admin).publish(user=run.admin)
        run.changed(f"{product.title} cites {', '.join(a.code for a in missing)}")
    if voice is not None:
        add_voice(run, product, "description", "audio", voice, spec.voice)
    for batch_spec in DEMO_BATCHES:
        if batch_spec.product == spec.slug:
            ensure_batch(run, product, collection, batch_spec, areas)
