"""The user's second factors: one TOTP app (django-otp) and a set of one-time recovery codes."""

from __future__ import annotations

import time
from base64 import b32encode
from io import BytesIO

from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.db import transaction

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Aplikasi autentikator"
RECOVERY_DEVICE_NAME = "Kode pemulihan"


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def code_already_used(device: TOTPDevice, code: str) -> bool:
    """True when ``code`` is the app's code for a time step the device has already accepted.

    django-otp refuses such a code (``last_t``: each 30-s step admits one login), and refuses it
    exactly as it refuses a wrong one. Someone who signs in twice within one step, or presses the
    button twice, has typed nothing wrong: they need the app's next code. The check looks at the
    same steps ``TOTPDevice.verify_token`` would (the current one, give or take its tolerance),
    with django-otp's public ``TOTP`` helper; it reads the device and changes nothing.
    """
    if device is None or device.last_t < 0 or not code.isdigit() or len(code) != device.digits:
        return False
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    token = int(code)
    for offset in range(-device.tolerance, device.tolerance + 1):
        generator.drift = device.drift + offset
        if generator.t() <= device.last_t and generator.token() == token:
            return True
    return False


def pending_app(user) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace every recovery code of ``user`` with RECOVERY_CODE_COUNT new ones; returns them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def remove_all(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no script)."""
    import qrcode
    import qrcode.image.svg

    out = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
