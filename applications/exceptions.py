class ApplicationRefused(Exception):
    """A step the rules refuse (wrong status, missing reason or date, a code that does not
    validate); its message is written for the officer and shown as it is."""
