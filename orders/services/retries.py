"""Transactions run again when the database rolls them back as a deadlock's victim."""

import logging
import random
import time

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from ..exceptions import CheckoutBusy

# The package's logger, one name for all its modules (what log filters and alerts look for).
logger = logging.getLogger("orders.services")


# How often a transaction the database chose as a deadlock's victim (or could not serialise) is
# run again from the start before the buyer is asked to try again.
TRANSACTION_ATTEMPTS = 5
# SQLSTATEs of PostgreSQL that mean "nothing was done, run it again": deadlock_detected,
# serialization_failure.
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def is_retryable(error: OperationalError) -> bool:
    """A deadlock or serialisation failure (PostgreSQL), or a busy database file (SQLite):
    the transaction was rolled back and running it again may well succeed."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE_SQLSTATES or "database is locked" in str(error)


def run_atomically_with_retries(function, /, *args, **kwargs):
    """Run function in its own transaction; when the database rolls it back as a deadlock's
    victim, run the whole of it again (a few times, after a short random pause), then raise
    CheckoutBusy. Nothing of a failed attempt remains: each is one transaction."""
    for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
            logger.warning(
                "%s: attempt %d of %d rolled back: %s",
                function.__name__,
                attempt,
                TRANSACTION_ATTEMPTS,
                error,
            )
            if attempt == TRANSACTION_ATTEMPTS:
                raise CheckoutBusy(
                    _("The shop is very busy right now. Nothing was ordered; please try again.")
                ) from error
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")
