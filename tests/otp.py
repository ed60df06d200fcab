"""The second factor for tests: a real TOTP device and the code an authenticator app would show."""

from __future__ import annotations

import time

from django_otp.oath import TOTP

# A fixed key for users that servers in other processes (tests/servers.py) log in as.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_code(key_hex: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for the hex key at ``at`` (default: now)."""
    generator = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


def ensure_device(user, key_hex: str | None = None):
    """The user's confirmed TOTP device, created (as enrolment would) if there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        extra = {"key": key_hex} if key_hex else {}
        device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True, **extra)
    return device


def otp_code_for(user) -> str:
    """The current code for ``user``'s device (created if missing).

    A TOTP device refuses a code from a 30-s step it has already accepted (replay protection);
    tests sign the same person in several times within one step, so the guard is rewound here,
    as if the previous login had been half a minute earlier. Throttling is cleared the same way.
    """
    device = ensure_device(user)
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    return totp_code(device.key)
