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
