"""Shared helpers for demo content: indexes, locally generated images and PDFs."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.text import slugify

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

PALETTE = [(139, 20, 20), (30, 78, 140), (36, 110, 70), (180, 120, 20), (90, 40, 120), (20, 110, 120)]


def get_or_create_index(parent: Page, model, title: str, slug: str, **fields) -> Page:
    """The child of ``parent`` with this slug, created (and published) if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(title=title, slug=slug, show_in_menus=True, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_published(parent: Page, page: Page) -> bool:
    """Add ``page`` under ``parent`` and publish it, unless a child with its slug exists."""
    page.slug = page.slug or slugify(page.title)[:80]
    if parent.get_children().filter(slug=page.slug).exists():
        return False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return True


def demo_image(title: str, seed: int = 0, width: int = 1200, height: int = 675) -> Image:
    """A generated photo-like picture (gradient and shapes), stored as a Wagtail image."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    rng = random.Random(seed)  # noqa: S311 - decoration only
    base = PALETTE[seed % len(PALETTE)]
    picture = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = int(80 * y / height)
        draw.line([(0, y), (width, y)], fill=tuple(min(255, c + shade) for c in base))
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(30, 160)
        tone = tuple(min(255, c + rng.randrange(40, 120)) for c in base)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tone)
    draw.rectangle([0, height - 90, width, height], fill=(255, 255, 255))
    draw.text((30, height - 65), title[:80], fill=(40, 40, 40))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    image = Image(title=title, file=ImageFile(buffer, name=f"{slugify(title)[:60] or 'gambar'}.jpg"))
    image.save()
    return image


def demo_pdf(title: str, paragraphs: list[str] | None = None) -> Document:
    """A small generated PDF (ReportLab), stored as a Wagtail document."""
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph("KOMISI PEMILIHAN UMUM PROVINSI JAWA TENGAH", styles["Title"]), Spacer(1, 12)]
    story.append(Paragraph(title, styles["Heading2"]))
    for text in paragraphs or ["Dokumen contoh untuk situs demo KPU Provinsi Jawa Tengah."]:
        story += [Spacer(1, 8), Paragraph(text, styles["BodyText"])]
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="KPU Provinsi Jawa Tengah").build(story)
    document = Document(title=title)
    document.file.save(f"{slugify(title)[:60] or 'dokumen'}.pdf", ContentFile(buffer.getvalue()), save=False)
    document.save()
    return document
