import datetime

from django.core.management.base import BaseCommand, CommandError

from growers.reminders import send_season_reminders


class Command(BaseCommand):
    help = (
        "Text the holders of growing-area codes whose season ended without an actual yield (once), "
        "or that have no season declared (at most every 30 days). Safe to run more than once a day. "
        "Run it daily from cron, e.g. '7 8 * * * cd /app && python manage.py send_season_reminders "
        "--verbosity 0'; with a django-tasks worker, growers.tasks.send_season_reminders_task does "
        "the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act as, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        sent = send_season_reminders(today)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sent.ends} end-of-season and {sent.starts} new-season reminder(s) sent.")
