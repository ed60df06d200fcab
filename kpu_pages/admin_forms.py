"""Admin page forms: refuse what a browser never sends before Wagtail reads it, and keep dates storable.

Wagtail reads StreamField counts, chooser ids and rich-text or table JSON with ``int()`` and
``json.loads()`` and lets a malformed value become a server error; ``unreadable_field`` and
``unusable_next`` let the page hooks in ``wagtail_hooks.py`` send the editor back with a message
instead. ``register_date_bounds`` limits every admin date to what the database can store.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import BlockField
from wagtail.contrib.table_block.blocks import TableBlock

#: the dates the site stores and shows; outside them a date is a typing slip, or an attack
#: (``01-01-0001 00:00`` WIB is year 0 in UTC, which the database cannot store)
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
OUT_OF_RANGE = _("Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100.")

#: what a database id looks like in a form: ASCII digits, within a signed 64-bit integer
_ID = re.compile(r"[0-9]{1,19}")
_MAX_ID = 2**63 - 1

#: what Wagtail's StreamField, chooser and table code raise on data its editor never sends
#: (StreamField: wagtail/wagtail#11920; choosers: ``BaseChooser.get_instance``)
_UNREADABLE = (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError, RecursionError)

UNUSABLE_NEXT_MESSAGE = _(
    "Alamat tujuan sesudah menyimpan (“next”) tidak sah. Tidak ada yang disimpan. Buka halaman ini dari "
    "menu admin, lalu ulangi perubahan Anda."
)
UNREADABLE_MESSAGE = _(
    "Isian “%(field)s” tidak dapat dibaca: data dari formulir rusak atau tidak lengkap. Tidak ada yang "
    "disimpan. Muat ulang halaman ini, lalu ulangi perubahan Anda."
)


class _DateBounds:
    """A date (or date-time, read in Asia/Jakarta) between ``MIN_DATE`` and ``MAX_DATE``."""

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        if not MIN_DATE <= day <= MAX_DATE:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class BoundedDateField(_DateBounds, forms.DateField):
    pass


class BoundedDateTimeField(_DateBounds, forms.DateTimeField):
    pass


def register_date_bounds() -> None:
    """Every admin model form's date fields are bounded; the widgets stay Wagtail's own."""
    from wagtail.admin import widgets
    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(
        models.DateField, override={"form_class": BoundedDateField, "widget": widgets.AdminDateInput}
    )
    register_form_field_override(
        models.DateTimeField,
        override={"form_class": BoundedDateTimeField, "widget": widgets.AdminDateTimeInput},
    )


def unusable_next(request) -> bool:
    """A ``next`` that Wagtail's views would pass to ``redirect()`` as a URL name after saving.

    ``get_valid_next_url_from_request`` lets a bare word through (no host, no scheme), and Django's
    ``redirect("kata")`` then tries it as a URL pattern name: ``NoReverseMatch`` after the page was
    saved or the step decided. Wagtail's own forms only ever send a path.
    """
    value = request.POST.get("next") or request.GET.get("next") or ""
    return bool(value) and "/" not in value and "." not in value


def unreadable_field(model: type[models.Model], data, files, user) -> str | None:
    """The label of the first field of ``model``'s admin form whose posted data cannot be read, or None."""
    form_class = model.get_edit_handler().get_form_class()
    # A field behind a permission the user lacks is not in their form (FieldPanel(permission=...)).
    hidden = {
        name for name, perm in (form_class._meta.field_permissions or {}).items() if not user.has_perm(perm)
    }
    for name, field in form_class.base_fields.items():
        if name not in hidden and _unreadable(field, name, data, files):
            return str(field.label or name)
    for name, formset_class in getattr(form_class, "formsets", {}).items():
        rows = min(_count(data, f"{name}-TOTAL_FORMS"), formset_class.absolute_max)
        existing = min(_count(data, f"{name}-INITIAL_FORMS"), rows)
        pk_name = formset_class.model._meta.pk.name
        for row in range(rows):
            prefix = f"{name}-{row}-"
            # modelcluster reads the id of a saved row without a check (ClusterForm's formsets)
            if row < existing and not (
                data.get(prefix + pk_name) == "" or _is_id(data.get(prefix + pk_name))
            ):
                return str(formset_class.model._meta.verbose_name)
            for child_name, field in formset_class.form.base_fields.items():
                if _unreadable(field, prefix + child_name, data, files):
                    return str(field.label or child_name)
    return None


def _count(data, key: str) -> int:
    value = data.get(key, "")
    return int(value) if isinstance(value, str) and _ID.fullmatch(value) else 0


def _unreadable(field: forms.Field, key: str, data, files) -> bool:
    if isinstance(field, BlockField):
        if f"{key}-count" not in data:
            return True  # Wagtail reads the count without asking whether it is there
        value = None
        try:
            value = field.widget.value_from_datadict(data, files, key)
            if _has_nul(field.block.get_prep_value(value)):
                return True  # PostgreSQL's jsonb refuses \u0000 (a block id, a table cell)
            field.block.clean(value)
        except ValidationError:
            pass  # the form will say what is wrong (a draft may even be saved without it)
        except _UNREADABLE:
            return True
        return _has_broken_table(field.block, value)
    if isinstance(field, forms.ModelChoiceField) and _has_integer_ids(field):
        posted: list[Any] = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
        return any(value not in (None, "") and not _is_id(value) for value in posted)
    return False


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def _has_broken_table(block: blocks.Block, value: Any) -> bool:
    """A table block whose value is not the rows of cells the table editor posts: Wagtail keeps it, then
    fails to render or index it (``TableBlock.render`` and ``get_searchable_content`` assume the shape)."""
    if value is None:
        return False
    if isinstance(block, TableBlock):
        return not _is_table(value)
    if isinstance(block, blocks.StreamBlock):
        return any(_has_broken_table(child.block, child.value) for child in value)
    if isinstance(block, blocks.ListBlock):
        return any(_has_broken_table(block.child_block, item) for item in value)
    if isinstance(block, blocks.StructBlock):
        return any(_has_broken_table(child, value.get(name)) for name, child in block.child_blocks.items())
    return False


def _is_table(value: Any) -> bool:
    if not value:
        return True  # an empty table renders as nothing
    if not isinstance(value, dict):
        return False
    rows = value.get("data", [])
    cell = (str, int, float, type(None))
    if not isinstance(rows, list) or not all(
        isinstance(row, list) and all(isinstance(item, cell) for item in row) for row in rows
    ):
        return False
    if not isinstance(value.get("table_caption") or "", str):
        return False
    places = ("row", "col")
    for key, needed in (("cell", places), ("mergeCells", (*places, "rowspan", "colspan"))):
        entries = value.get(key) or []
        if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and all(isinstance(entry.get(name), int) for name in needed)
            for entry in entries
        ):
            return False
    return True


def _has_integer_ids(field: forms.ModelChoiceField) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField)  # AutoField and BigAutoField too


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.fullmatch(value)) and int(value) <= _MAX_ID
