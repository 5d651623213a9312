"""The SMS gateway's webhook, mounted at the site root in config/urls.py (namespace "sms")."""

from django.urls import path

from . import webhooks

app_name = "sms"

urlpatterns = [
    path("webhooks/sms/", webhooks.sms_webhook, name="webhook"),
]
