"""Alias of config.settings.test for one release (see website/settings/__init__.py)."""

from website.settings import say_moved

say_moved(__name__)

from config.settings.test import *  # noqa: E402, F403
