"""Deploy checks of the SMS settings: `manage.py check --deploy`, and a log line at start-up
(config/wsgi.py logs the checks tagged as website's)."""

from django.conf import settings
from django.core import checks

from website.checks import TAG
from website.weak_secrets import guessable


@checks.register(TAG, deploy=True)
def check_sms_webhook_secret(app_configs=None, **kwargs):
    secret = getattr(settings, "SMS_WEBHOOK_SECRET", "")
    if secret and guessable(secret, 32):
        return [
            checks.Warning(
                "SMS_WEBHOOK_SECRET is short or guessable (under 32 random characters): anyone who "
                "guesses it can send texts in any phone number's name and read the answers.",
                hint="Set a longer random secret in the SMS gateway and here "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))').",
                id="sms.W001",
            )
        ]
    return []
