"""Second factor of the demo accounts (dev and test settings only, like the demo content).

Every demo account and the local ``admin`` share one TOTP key, generated once per checkout and kept in
``var/demo-totp-key``: a newcomer adds it to an authenticator app once (QR code printed by
``make run``) and logs in as any role, or prints the current code with ``manage.py kode_2fa_demo``.
"""

from __future__ import annotations

import io
import secrets
from base64 import b32encode
from functools import partial

from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.core.management.base import CommandError

from kpu_site.demo_accounts import kept_secret

DEMO_DEVICE_NAME = "Aplikasi autentikator (demo)"


def require_demo_allowed() -> None:
    if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
        raise CommandError("Kunci 2FA demo tidak boleh dipakai dengan pengaturan produksi.")


def demo_totp_key() -> str:
    """The demo TOTP key (hex), generated once and kept in var/demo-totp-key."""
    require_demo_allowed()
    return kept_secret("demo-totp-key", partial(secrets.token_hex, 20))


def give_demo_device(user) -> None:
    """A confirmed device with the demo key, unless the account already enrolled its own app."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True, key=demo_totp_key())


def current_code() -> str:
    device = TOTPDevice(key=demo_totp_key())
    from django_otp.oath import TOTP

    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{generator.token():0{device.digits}d}"


def instructions() -> str:
    """What `make run` prints: the key as text, the QR code in the terminal, and the code command."""
    import qrcode

    device = TOTPDevice(key=demo_totp_key(), name=DEMO_DEVICE_NAME)
    secret = b32encode(device.bin_key).decode()
    url = f"otpauth://totp/KPU%20Jateng%20demo?secret={secret}&issuer=KPU%20Jateng%20demo&digits=6&period=30"
    qr = qrcode.QRCode(border=1)
    qr.add_data(url)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    return (
        "Verifikasi dua langkah (akun demo dan admin lokal): pindai kode QR ini dengan aplikasi "
        f"autentikator, atau ketik kuncinya: {secret}\n{out.getvalue()}"
        "Tanpa aplikasi: `.venv/bin/python manage.py kode_2fa_demo` menampilkan kode 6 digit saat ini."
    )
