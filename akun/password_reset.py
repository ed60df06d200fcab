"""How many password reset mails may leave: so many an hour per account and per client address.

Counted in Django's cache (Redis in production, shared by every app server) in fixed windows that
start with the first mail. The client address is the one django-axes uses, so a forged
X-Forwarded-For buys nothing (``kpu_site.settings.base.client_ip_settings``). When the cache is
unreachable the mail goes out: the cache fails open (``kpu_site.caching.backend``) and a forgotten password
must still be recoverable.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def may_send(user_pk: int, client_address: str | None) -> bool:
    """Count one mail to ``user_pk`` asked from ``client_address``; False when either is over its limit."""
    address_key = f"akun:reset-mail:address:{client_address}" if client_address else None
    if address_key and not _take(address_key, settings.PASSWORD_RESET_MAILS_PER_ADDRESS):
        logger.warning("Password reset mail held back: address %s is over its limit", client_address)
        return False
    if not _take(f"akun:reset-mail:account:{user_pk}", settings.PASSWORD_RESET_MAILS_PER_ACCOUNT):
        if address_key:
            _give_back(address_key)  # not sent: the address keeps its allowance
        logger.warning("Password reset mail held back: account %s is over its limit", user_pk)
        return False
    return True


def _take(key: str, limit: int) -> bool:
    window = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
    cache.add(key, 0, timeout=window)  # the window starts with the first mail and is not extended
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the entry expired just now, or the cache is unreachable
        cache.add(key, 1, timeout=window)
        return True


def _give_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:
        pass
