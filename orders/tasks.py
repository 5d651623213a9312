"""Background work for orders, through Django's task framework (django-tasks, as Wagtail 8
uses it). Arguments are primary keys, so the tasks run the same on any backend; the default
backend runs them at once, in the process that enqueues them."""

from django_tasks import task

from .models import Order, Payment


@task()
def send_new_order_emails_task(order_id: int) -> int:
    from .notifications import send_new_order_emails

    order = Order.objects.select_related("cooperative").filter(pk=order_id).first()
    return send_new_order_emails(order) if order else 0


@task()
def send_payment_emails_task(payment_id: int) -> int:
    from .notifications import send_payment_emails

    payment = Payment.objects.select_related("order__cooperative").filter(pk=payment_id).first()
    return send_payment_emails(payment) if payment else 0


@task()
def expire_orders_task() -> int:
    """Cancel unpaid orders past their deadline, releasing their stock. django-tasks has no
    scheduler: run it from cron (see `manage.py expire_orders --help`) or a worker's beat."""
    from .services import expire_unpaid_orders

    return expire_unpaid_orders()
