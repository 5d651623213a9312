"""Payment URLs (namespace "payments"): the two webhooks (DESIGN §4) and the redirect to Stripe
Checkout. Mounted at the site root in config/urls.py, before Wagtail's pages."""

from django.urls import path

from . import stripe_checkout, webhooks

app_name = "payments"

urlpatterns = [
    path("webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("webhooks/bank/", webhooks.bank_webhook, name="bank_webhook"),
    path("checkout/stripe/<uuid:checkout_id>/", stripe_checkout.stripe_checkout, name="stripe_checkout"),
]
