"""The identity scan a requester attaches (KTP, or a legal entity's deed): PDF, JPG or PNG, judged by
its content as ``kpu_site.uploads`` judges the site's documents, within ``rules.IDENTITY_MAX_BYTES``."""

from __future__ import annotations

import os

import filetype
from PIL import Image

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from kpu_site.uploads import DOCUMENT_KINDS, HEAD_BYTES
from ppid import rules

KIND_NAMES = "PDF, JPG, atau PNG"


def refused(name: str, text: str) -> ValidationError:
    return ValidationError(f"Berkas “{name}” ditolak: {text}", code="identity_scan")


def validate_identity_scan(uploaded) -> None:
    """Raise a ValidationError in Indonesian unless the file is a PDF, JPG or PNG by its content."""
    name = os.path.basename(uploaded.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in rules.IDENTITY_EXTENSIONS:
        raise refused(name, f"jenis berkas tidak diterima. Unggah pindaian berupa {KIND_NAMES}.")
    if uploaded.size > rules.IDENTITY_MAX_BYTES:
        raise refused(
            name,
            f"ukurannya {filesizeformat(uploaded.size)}, melebihi batas "
            f"{filesizeformat(rules.IDENTITY_MAX_BYTES)}. Perkecil pindaiannya (misalnya simpan sebagai "
            "JPG dengan resolusi lebih rendah), lalu pilih lagi.",
        )
    if uploaded.size == 0:
        raise refused(name, "berkasnya kosong.")
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    kind = filetype.guess(head)
    found = kind.mime if kind else None
    if found != DOCUMENT_KINDS[extension]:
        described = f"berkas {kind.extension.upper()}" if kind else "bukan PDF, JPG, atau PNG"
        raise refused(
            name, f"namanya .{extension}, tetapi isinya {described}. Unggah pindaian {KIND_NAMES} yang asli."
        )
    if found.startswith("image/"):
        _check_image(uploaded, name)


def _check_image(uploaded, name: str) -> None:
    """An image must open as one (a cut-off or made-up file is refused, not stored)."""
    try:
        with Image.open(uploaded) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken or oversized image
        raise refused(
            name, "gambarnya rusak atau tidak dapat dibaca. Pindai ulang, lalu pilih lagi."
        ) from None
    finally:
        uploaded.seek(0)
