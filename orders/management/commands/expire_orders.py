from django.core.management.base import BaseCommand

from orders.services import expire_unpaid_orders


class Command(BaseCommand):
    help = (
        "Cancel unpaid orders past their payment deadline (ORDER_PAYMENT_TIMEOUT) and release their "
        "stock. Safe to run often and concurrently. Run it every five minutes from cron, e.g. "
        "'*/5 * * * * cd /app && python manage.py expire_orders --verbosity 0'; with a django-tasks "
        "worker, orders.tasks.expire_orders_task does the same (django-tasks has no scheduler)."
    )

    def handle(self, *args, **options):
        count = expire_unpaid_orders()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} unpaid order(s) expired.")
