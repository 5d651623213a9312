class StatusChangeRefused(Exception):
    """A growing-area status change that the rules do not allow; the message says why."""
