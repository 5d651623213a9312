import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traceability.codes import normalise_short_code
from traceability.labels import LAYOUTS, MAX_LABELS, LabelError, default_count, render_labels
from traceability.links import label_url
from traceability.models import BatchPage


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

    def handle(self, *args, short_code, out, layout, count, skip, **options):
        code = normalise_short_code(short_code)
        batch = BatchPage.objects.filter(short_code=code).first()
        if batch is None:
            raise CommandError(f"No batch has the short code {short_code!r}.")
        spec = LAYOUTS[layout]
        count = default_count(batch, spec) if count is None else count
        try:
            pdf = render_labels(batch, layout=layout, count=count, skip=skip)
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
        self.stdout.write(f"The QR opens {label_url(batch)}")
