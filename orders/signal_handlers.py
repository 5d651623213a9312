"""Notifications hooked to the orders' saves, so that services/ stays free of them: a new
order, and a new payment, each enqueue their emails once the transaction has committed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Order, Payment


@receiver(post_save, sender=Order, dispatch_uid="orders_new_order_emails")
def order_placed(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from .tasks import send_new_order_emails_task

    order_id = instance.pk
    # After commit: the order's lines are written in the same transaction, after this save.
    transaction.on_commit(lambda: send_new_order_emails_task.enqueue(order_id), robust=True)


@receiver(post_save, sender=Payment, dispatch_uid="orders_payment_emails")
def payment_recorded(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from .tasks import send_payment_emails_task

    payment_id = instance.pk
    transaction.on_commit(lambda: send_payment_emails_task.enqueue(payment_id), robust=True)
