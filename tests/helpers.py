"""Helpers the tests of several apps share (fixtures live in tests/conftest.py)."""

from datetime import timedelta

from bs4 import BeautifulSoup

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def translate(page, locale, *, copy_parents=False, publish=True, **changes):
    """What a translator does with Wagtail's "Translate" action, then edits and (unless told
    otherwise) publishes. With `copy_parents` the parents not yet translated are copied too
    (as aliases), as the action does when asked."""
    translated = page.copy_for_translation(locale, copy_parents=copy_parents)
    for name, value in changes.items():
        setattr(translated, name, value)
    revision = translated.save_revision()
    if publish:
        revision.publish()
    translated.refresh_from_db()
    return translated.specific


def soup(response, status=200) -> BeautifulSoup:
    """The page as a browser parses it, once it answered `status`."""
    assert response.status_code == status, response.status_code
    return BeautifulSoup(response.content, "html.parser")


# What the admin's forms post ------------------------------------------------------------------


def variant_rows(page) -> list[dict]:
    """A product's pack sizes as its edit form posts them (one inline row each)."""
    return [
        {
            "id": str(v.pk),
            "pack_label": v.pack_label,
            "weight_grams": str(v.weight_grams),
            "sku": v.sku,
            "gtin": v.gtin or "",
            "price": str(v.price),
            "stock": str(v.stock),
            "is_active": "on" if v.is_active else "",
        }
        for v in page.variants.all()
    ]


def area_form_data(**overrides) -> dict:
    """What the register's add/edit form posts for a new code (VN-SLL-0100, valid three years),
    with no households, inspections or certifications unless given."""
    today = timezone.localdate()
    data = {
        "code": "VN-SLL-0100",
        "name": "Vùng thảo quả Séo Lử Phìn",
        "cooperative": "",
        "village": "Séo Lử Phìn",
        "commune": "Sì Lở Lầu",
        "district": "Phong Thổ",
        "province": "Lai Châu",
        "crop_name": "Thảo quả",
        "crop_scientific_name": "Amomum tsao-ko",
        "area_hectares": "8.25",
        "latitude": "22.610000",
        "longitude": "103.280000",
        "boundary": "",
        "issuing_authority": "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu",
        "decision_number": "45/QĐ-TTBVTV",
        "issued_on": (today - timedelta(days=10)).isoformat(),
        "valid_until": (today + timedelta(days=3 * 365)).isoformat(),
        "households": inline_formset([]),
        "inspections": inline_formset([]),
        "certifications": inline_formset([]),
        **overrides,
    }
    return nested_form_data(data)


def product_form_data(
    *,
    title: str,
    slug: str,
    variants: list[dict],
    initial: int = 0,
    summary: str = "Quả thảo quả phơi khô trên gác bếp.",
    description=None,
    **extra,
) -> dict:
    """What the page editor posts for a product page: the fields, the StreamField (a paragraph,
    or the `description` blocks) and the three inline formsets (pack sizes, gallery,
    certifications); `extra` overrides or adds form fields."""
    if description is None:
        description = [("paragraph", rich_text("<p>Trồng dưới tán rừng già ở độ cao 1.800 m.</p>"))]
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": summary,
            "image": "",
            "description": streamfield(description),
            "category": "",
            "ocop_stars": "",
            "variants": inline_formset(variants, initial=initial, min=1),
            "gallery_images": inline_formset([]),
            "certifications": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            **extra,
        }
    )


def product_edit_data(page, *, variants=None, description=None, **fields) -> dict:
    """The page editor's form for an existing product, as its editor posts it to publish: its
    own title, slug and summary, a paragraph of description (or the `description` blocks), its
    pack sizes as they are (or the `variants` rows); `fields` overrides or adds form fields."""
    variants = variant_rows(page) if variants is None else variants
    if description is None:
        description = [("paragraph", rich_text("<p>Phơi trên gác bếp.</p>"))]
    own = {"title": page.title, "slug": page.slug, "summary": page.summary}
    data = product_form_data(
        **{**own, **fields}, variants=variants, initial=len(variants), description=description
    )
    data["action-publish"] = "action-publish"
    return data
