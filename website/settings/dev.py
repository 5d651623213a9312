"""Development: DEBUG on, so an error shows Django's debug page with the settings to whoever
caused it. Refuses to start for any host but this machine's or the local network's, where the
production settings belong."""

import ipaddress
import sys

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
# A key for local development only; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


LOCAL_NETWORKS = [
    ipaddress.ip_network(network)
    for network in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
]


def is_local_host(host: str) -> bool:
    """localhost, *.localhost, testserver, or a loopback or private address (a phone on the same
    Wi-Fi); never '*' or a public name."""
    name = host.lower().lstrip(".").removeprefix("[").removesuffix("]")
    if name in ("localhost", "testserver") or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return any(address in network for network in LOCAL_NETWORKS)


if public := [host for host in ALLOWED_HOSTS if not is_local_host(host)]:
    sys.stderr.write(
        f"Refusing to start: the development settings (DEBUG on, Django's debug page shows the "
        f"settings) with ALLOWED_HOSTS naming {', '.join(public)}; "
        f"set DJANGO_SETTINGS_MODULE=website.settings.production for a public site.\n"
    )
    raise SystemExit(2)
