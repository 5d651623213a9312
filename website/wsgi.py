"""Alias of config.wsgi for one release: a server still started as `gunicorn website.wsgi` keeps
working (see website/settings/__init__.py)."""

import sys

sys.stderr.write("website.wsgi has moved to config.wsgi; the old name works until the next release.\n")

from config.wsgi import application  # noqa: E402, F401
