from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    INBOUND = "in", pgettext_lazy("sms direction", "Received")
    OUTBOUND = "out", pgettext_lazy("sms direction", "Sent")


class Outcome(models.TextChoices):
    # Received texts
    ANSWERED = "answered", _("Answered")
    HELP = "help", _("Answered with the help text")
    RATE_LIMITED = "rate_limited", _("Too many texts: asked to wait")
    ERROR = "error", _("Failed: answered with an apology")
    # Sent texts
    SENT = "sent", pgettext_lazy("sms outcome", "Sent")
    FAILED = "failed", pgettext_lazy("sms outcome", "Not sent")


class Message(models.Model):
    """One text received by /webhooks/sms/ (with the reply it got) or sent through SMS_BACKEND,
    kept with its outcome. A received text is stored once per gateway message id: a delivery
    repeated by the gateway gets the stored reply and runs nothing again."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    # The gateway's id of a received text; empty for texts sent.
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, db_index=True)
    text = models.TextField(_("text"))
    reply = models.TextField(_("reply"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # Why a text could not be sent, or what failed while answering one.
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # The language the text was written in, where known (a sender's later texts are answered in it).
    language = models.CharField(_("language"), max_length=10, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=models.Q(direction="in"),
                name="sms_inbound_message_id_once",
            )
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.created:%Y-%m-%d %H:%M} ({self.outcome})"
