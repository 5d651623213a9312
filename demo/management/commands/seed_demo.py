"""`python manage.py seed_demo`: the Sì Lở Lầu demonstration site (DESIGN §4).

Everything is found by a natural key (username, group name, page slug under its parent,
category slug, image title in its collection) and created only when missing, so a rerun
leaves the database as it is, including anything an editor has changed since; existing
users keep the passwords they have. Translations (English, placeholder Hmong) are found by
Wagtail's translation key; the spoken clips come from demo/clips/. The data is in demo/data/,
the steps in demo/services/."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.data.accounts import DEMO_USERS
from demo.services import SeedRun, seed


class Command(BaseCommand):
    help = (
        "Build the Sì Lở Lầu demonstration site (marked as sample data on every page), with the "
        "demo accounts admin, officer, coop1 and coop2. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. The demo accounts have published passwords.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment, and seed_demo creates accounts "
                "whose passwords are published. Run it again with --force if you really mean to."
            )
        run = SeedRun()
        with transaction.atomic():
            seed(run)
        self.report(run)

    def report(self, run: SeedRun) -> None:
        if run.changes:
            for change in run.changes:
                self.stdout.write(f"  + {change}")
            self.stdout.write(self.style.SUCCESS(f"Demo data created ({len(run.changes)} changes)."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already present; nothing changed."))
        self.stdout.write("")
        self.stdout.write("Demo accounts (sample data only; never keep them on a real site):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<8}  password {user.password:<13}  {user.role}")
        self.stdout.write("Sign in at /admin/. Accounts that already existed keep their own passwords.")
        if run.batches:
            self.stdout.write("")
            self.stdout.write("Demo batches (scan or open the trace page):")
            base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            for batch in run.batches:
                note = " (recalled)" if batch.is_recalled else ""
                self.stdout.write(f"  {batch.lot:<12}  {base}/t/{batch.short_code}{note}")
