"""Demo accounts of every app (dev and test settings only): one password, one way to make an account.

The SOP, PPID and 2FA demos keep their secrets (the demo password, the demo TOTP key) once per checkout
in ``var/``, readable by the owner only, so a newcomer signs in as any demo role alike.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_EMAIL_DOMAIN = "jateng.kpu.go.id"


def kept_secret(name: str, generate: Callable[[], str]) -> str:
    """The secret kept in ``settings.VAR_DIR / name`` (mode 0600), made by ``generate`` the first time."""
    path = settings.VAR_DIR / name
    if path.exists():
        return path.read_text().strip()
    secret = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)  # owner-only before the secret is written
    path.chmod(0o600)
    path.write_text(secret + "\n")
    return secret


def demo_password() -> str:
    """DEMO_PASSWORD, or the one generated once and kept in var/demo-password."""
    return os.environ.get("DEMO_PASSWORD", "").strip() or kept_secret(
        "demo-password", partial(secrets.token_urlsafe, 10)
    )


def ensure_demo_user(username: str, first_name: str, last_name: str, group_name: str, password: str):
    """The demo account, created if missing, signing in with ``password``, in the group ``group_name``."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
        },
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user
