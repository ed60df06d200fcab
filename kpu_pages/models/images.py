"""An image chosen in the editor always comes with its alternative text, declared once.

A model with a picture carries an image field ``<name>`` and its text ``<name>_alt`` (built by
``image_with_alt``), edits them side by side (``image_panels``) and refuses an image without its
text (``ImageAltTextMixin``). Names, labels and help texts stay each model's own: no migration.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel


def image_with_alt(
    image_label,
    alt_label,
    *,
    image_help="",
    alt_help="",
    alt_max_length: int = 250,
    editable: bool = True,
) -> tuple[models.ForeignKey, models.CharField]:
    """The image field and its alternative text, unpacked in a class body:
    ``foto, foto_alt = image_with_alt(...)``."""
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=image_label,
        null=True,
        blank=True,
        editable=editable,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=image_help,
    )
    alt = models.CharField(
        alt_label, max_length=alt_max_length, blank=True, editable=editable, help_text=alt_help
    )
    return image, alt


def image_panels(name: str) -> list[FieldPanel]:
    """The image and its alternative text, to place in the model's own panel layout."""
    return [FieldPanel(name), FieldPanel(f"{name}_alt")]


class ImageAltTextMixin(models.Model):
    """Refuses a chosen image without its alternative text.

    ``alt_text_required`` maps each image field to the message shown on its ``<field>_alt``; a
    model with further checks of the same kind adds them in ``alt_text_errors``.
    """

    alt_text_required: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def alt_text_errors(self) -> dict[str, str]:
        errors = {}
        for name, message in self.alt_text_required.items():
            alt = getattr(self, f"{name}_alt")
            if getattr(self, f"{name}_id") and not (alt or "").strip():
                errors[f"{name}_alt"] = message
        return errors

    def clean(self):
        super().clean()
        errors = self.alt_text_errors()
        if errors:
            raise ValidationError(errors)
