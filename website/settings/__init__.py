"""The settings moved to `config.settings` in 0.2. These modules are aliases for one release, so
that a deployment whose DJANGO_SETTINGS_MODULE still says `website.settings.<name>` keeps
starting, saying on stderr what to change. They go in 0.3."""

import sys


def say_moved(old_name: str) -> None:
    new_name = old_name.replace("website.settings.", "config.settings.", 1)
    sys.stderr.write(
        f"DJANGO_SETTINGS_MODULE={old_name} has moved to {new_name}; "
        "the old name works until the next release. Set the new one.\n"
    )
