"""The forms of a reviewer's decision, and the check of the data Wagtail's editor sends with one."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Opsional: catatan untuk langkah berikutnya dan arsip persetujuan."),
    )


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("Apa yang perlu diperbaiki?"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Tuliskan apa yang perlu diperbaiki agar penulis dapat memperbaikinya.")
        },
    )


#: The field of Wagtail's page editor that carries an action's dialog data as JSON: Wagtail's edit view
#: passes every key of it to ``Task.on_action`` (wagtail/admin/views/pages/edit.py).
EXTRA_DATA_FIELD = "workflow-action-extra-data"

NOT_DONE = _("Tindakan tidak dijalankan dan tidak ada yang disimpan: %(reason)s Langkah SOP tidak berubah.")
UNREADABLE = _("data dari dialog tindakan tidak dapat dibaca.")
UNKNOWN_FIELDS = _("data dari dialog tindakan memuat isian yang tidak dikenal.")


def extra_data_refusal(task: Any, action_name: str, raw: str) -> str | None:
    """Why the editor must not run ``action_name`` on ``task`` with ``raw`` as its dialog data, or None.

    Accepted: a JSON object whose keys are fields of the action's form (``task.get_form_for_action``),
    valid for that form, each value of the type the form gives back. Wagtail's own dialog sends exactly
    that (the form's cleaned data); anything else was made by hand and would reach ``on_action`` as is.
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        return _refusal(UNREADABLE)
    form_class = task.get_form_for_action(action_name)
    declared = form_class.base_fields if form_class else {}
    if any(key not in declared for key in data):
        return _refusal(UNKNOWN_FIELDS)
    if form_class is None:
        return None
    form = form_class(data=data)
    if not form.is_valid():
        return _refusal(" ".join(str(error) for errors in form.errors.values() for error in errors))
    if any(type(value) is not type(form.cleaned_data[key]) for key, value in data.items()):
        return _refusal(UNREADABLE)
    return None


def _refusal(reason: str) -> str:
    return str(NOT_DONE) % {"reason": reason}
