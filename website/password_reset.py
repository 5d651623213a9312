"""The admin's "forgot password" form (settings.WAGTAILADMIN_USER_PASSWORD_RESET_FORM), with its
mails limited per recipient and per client (website/ratelimit.py): over the limit nothing is
sent, and the asker gets the same page as always, whether the address has an account or not."""

import logging

from wagtail.admin.forms.auth import PasswordResetForm

from .ratelimit import allow_mail, client_address

logger = logging.getLogger(__name__)


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        if request is not None and not allow_mail("password_reset_client", client_address(request)):
            logger.warning("Password reset mails held: too many asked for from one client.")
            return None
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if not allow_mail("password_reset_recipient", to_email):
            logger.warning("Password reset mail held: too many sent to one address.")
            return
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)
