"""Development: DEBUG on, so an error shows Django's debug page with the settings to whoever
caused it. Refuses to start for any host but this machine's or the local network's, and for a
database anywhere else (a proxy forwarding `Host: 127.0.0.1` would pass the host check; the
database shows the environment is production's), where the production settings belong."""

import ipaddress
import os
import sys
from urllib.parse import urlsplit

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
        f"set DJANGO_SETTINGS_MODULE=config.settings.production for a public site.\n"
    )
    raise SystemExit(2)


def database_host(url: str) -> str:
    """The host of DATABASE_URL ("" for SQLite, a local socket, or an address that cannot be read,
    which base.py already refused)."""
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def is_local_database_host(host: str) -> bool:
    """A local socket (""), this machine, the local network, or a single-label name (a container's
    name on this machine's network, e.g. compose's "db"); never a public name or address."""
    if not host or is_local_host(host):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." not in host.strip(".")
    return False


if not is_local_database_host(db_host := database_host(os.environ.get("DATABASE_URL", ""))):
    sys.stderr.write(
        f"Refusing to start: the development settings (DEBUG on, Django's debug page shows the "
        f"settings) with DATABASE_URL on {db_host}, which is not this machine or its network; "
        f"set DJANGO_SETTINGS_MODULE=config.settings.production for a production database.\n"
    )
    raise SystemExit(2)
