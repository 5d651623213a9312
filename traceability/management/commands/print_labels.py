import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from products.gtin import is_valid_gtin, normalise_gtin
from traceability.codes import normalise_short_code
from traceability.labels import (
    LAYOUTS,
    MAX_LABELS,
    PIN_LAYOUTS,
    LabelError,
    default_count,
    render_labels,
    render_unit_labels,
)
from traceability.links import label_url
from traceability.models import BatchPage
from traceability.unit_services import UnitPrintingError, units_for_printing


class Command(BaseCommand):
    help = "Write a PDF of QR labels for the batch with this short trace code."

    def add_arguments(self, parser):
        parser.add_argument("short_code", help="The batch's short trace code, as printed (any case).")
        parser.add_argument("--out", required=True, type=Path, help="The PDF file to write.")
        parser.add_argument(
            "--layout",
            choices=sorted(LAYOUTS),
            default="a4",
            help="a4: sheets of 3 × 8 labels of 70 × 37 mm; roll: 50 × 30 mm, one label per page.",
        )
        parser.add_argument(
            "--count",
            type=int,
            help=f"How many labels (default: the batch's package count, at most {MAX_LABELS}).",
        )
        parser.add_argument("--skip", type=int, default=0, help="A4: labels already used on the first sheet.")
        parser.add_argument(
            "--pack",
            help="The pack size the labels are for: its SKU or GTIN (needed with --units when the "
            "product has several). Default for batch labels: the first pack size with a GTIN.",
        )
        parser.add_argument(
            "--units",
            type=int,
            help="Print N serialised units instead of batch labels: each its own QR, serial and PIN. "
            "The same N print the same units again; a larger N makes only the extra ones.",
        )
        parser.add_argument(
            "--pin-layout",
            choices=PIN_LAYOUTS,
            default="inside",
            help="With --units: inside (PIN labels on sheets of their own, to stick inside each "
            "package) or scratch (the PIN in a box on the label, for a scratch-off sticker).",
        )

    def handle(self, *args, short_code, out, layout, count, skip, pack, units, pin_layout, **options):
        code = normalise_short_code(short_code)
        batch = BatchPage.objects.filter(short_code=code).first()
        if batch is None:
            raise CommandError(f"No batch has the short code {short_code!r}.")
        spec = LAYOUTS[layout]
        variant = self.pack(batch, pack)
        if units is not None:
            return self.print_units(
                batch, variant, units, out=out, layout=layout, pin_layout=pin_layout, skip=skip
            )
        count = default_count(batch, spec) if count is None else count
        try:
            pdf = render_labels(batch, layout=layout, count=count, skip=skip, variant=variant)
        except LabelError as error:
            raise CommandError(str(error)) from error
        try:
            out.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        pages = math.ceil((count + skip) / spec.per_page)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {count} labels on {pages} pages ({spec.name}) for {batch.title}, "
                f"lot {batch.lot}, code {batch.short_code}."
            )
        )
        self.stdout.write(f"The QR opens {label_url(batch, variant)}")

    def pack(self, batch, wanted):
        """The pack size named by SKU or GTIN, of this batch's product; None when not named."""
        if not wanted:
            return None
        variants = batch.product.variants.all() if batch.product else []
        gtin = normalise_gtin(wanted) if is_valid_gtin(wanted) else None
        for variant in variants:
            if variant.sku == wanted.strip() or (gtin and variant.gtin == gtin):
                return variant
        raise CommandError(
            f"The product of batch {batch.short_code} has no pack size {wanted!r} (SKU or GTIN)."
        )

    def print_units(self, batch, variant, count, *, out, layout, pin_layout, skip):
        if variant is None and batch.product is not None:
            variants = list(batch.product.variants.filter(is_active=True))
            if len(variants) > 1:
                raise CommandError("Name the pack size with --pack (SKU or GTIN): the product has several.")
            variant = variants[0] if variants else None
        try:
            units = units_for_printing(batch, variant, count)
            pdf = render_unit_labels(batch, units, pin_layout=pin_layout, layout=layout, skip=skip)
        except (UnitPrintingError, LabelError) as error:
            raise CommandError(str(error)) from error
        try:
            out.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {count} units ({LAYOUTS[layout].name}), PINs {pin_layout}, for {batch.title}, "
                f"lot {batch.lot}, code {batch.short_code}."
            )
        )
        # Never a PIN here: the serials are on the labels, and in the admin's units list.
