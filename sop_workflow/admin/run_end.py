"""Ending a run before publication: the author withdraws, a superuser cancels, the author restarts.

Reviewers send back; they never cancel. Each way to end a run asks for a reason on a confirmation
screen, archives the run with its steps (``archive.ending_run``) and tells the author and the
reviewers so far. Wagtail's own one-tap "Cancel workflow" and "Restart workflow" buttons are taken
out of the action menu, and a crafted POST of them to the editor is refused.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, CancelWorkflowMenuItem, RestartWorkflowMenuItem
from wagtail.models import Page, WorkflowState

from sop_workflow import archive, notifications
from sop_workflow.authors import is_author
from sop_workflow.models import ArsipPersetujuan

WITHDRAW = "tarik"
CANCEL = "batalkan"
RESTART = "mulai-ulang"

#: What each way of ending a run is called, and what its confirmation screen says it does.
ENDINGS = {
    WITHDRAW: {
        "outcome": ArsipPersetujuan.OUTCOME_CANCELLED,
        "title": gettext_lazy("Tarik konsep dari alur SOP"),
        "button": gettext_lazy("Ya, tarik konsep"),
        "explanation": gettext_lazy(
            "Konsep keluar dari alur persetujuan dan kembali menjadi draf Anda. Persetujuan yang sudah "
            "diberikan tidak berlaku lagi; untuk menerbitkannya, konsep harus diajukan lagi dari langkah "
            "pertama. Alur ini diarsipkan beserta alasan Anda, dan peninjau yang sudah menanganinya "
            "diberi tahu."
        ),
    },
    CANCEL: {
        "outcome": ArsipPersetujuan.OUTCOME_CANCELLED,
        "title": gettext_lazy("Batalkan alur SOP"),
        "button": gettext_lazy("Ya, batalkan alur"),
        "explanation": gettext_lazy(
            "Alur persetujuan konsep ini dihentikan. Persetujuan yang sudah diberikan tidak berlaku lagi. "
            "Alur ini diarsipkan beserta alasan Anda; penulis dan peninjau yang sudah menanganinya "
            "diberi tahu."
        ),
    },
    RESTART: {
        "outcome": ArsipPersetujuan.OUTCOME_RESTARTED,
        "title": gettext_lazy("Mulai ulang alur SOP dari langkah pertama"),
        "button": gettext_lazy("Ya, mulai ulang dari awal"),
        "explanation": gettext_lazy(
            "Konsep TIDAK dikirim ke peninjau yang meminta perbaikan, tetapi kembali ke langkah pertama "
            "(Pengelola Website) dan harus disetujui lagi oleh semua langkah. Untuk menjawab permintaan "
            "perbaikan, gunakan “Ajukan ulang” di editor. Alur sebelumnya tetap tersimpan di arsip."
        ),
    },
}

MIN_REASON_LENGTH = 10


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan (wajib)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=MIN_REASON_LENGTH,
        max_length=2000,
        help_text=gettext_lazy("Minimal 10 karakter. Alasan ini tersimpan di Arsip Persetujuan."),
        error_messages={
            "required": gettext_lazy("Tuliskan alasannya."),
            "min_length": gettext_lazy("Alasan terlalu singkat: tuliskan minimal %(limit_value)d karakter."),
        },
    )


def allowed_endings(user, page: Page, workflow_state: WorkflowState | None) -> list[str]:
    """The ways this user may end this run (none for a reviewer)."""
    if workflow_state is None or not user.is_authenticated or not user.is_active:
        return []
    endings = []
    if user.is_superuser:
        endings.append(CANCEL)
    elif is_author(page, user, workflow_state):
        endings.append(WITHDRAW)
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES and (
        user.is_superuser or is_author(page, user, workflow_state)
    ):
        endings.append(RESTART)
    return endings


def end_run_view(request, page_id: int, ending: str):
    page = get_object_or_404(Page, pk=page_id).specific
    workflow_state = page.current_workflow_state
    if ending not in ENDINGS:
        raise PermissionDenied
    if ending not in allowed_endings(request.user, page, workflow_state):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end_run(page, workflow_state, ending, request.user, form.cleaned_data["reason"].strip())
        messages.success(request, done_message(ending, page))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "sop_workflow/end_run.html",
        {
            "page": page,
            "form": form,
            "ending": ENDINGS[ending],
            "workflow_state": workflow_state,
            "current_task": workflow_state.current_task_state.task.specific
            if workflow_state.current_task_state
            else None,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )


@transaction.atomic
def end_run(page: Page, workflow_state: WorkflowState, ending: str, user, reason: str) -> None:
    """Cancel (or restart) the run, archive it with the reason, and tell the people involved."""
    outcome = ENDINGS[ending]["outcome"]
    with archive.ending_run(outcome, reason):
        workflow_state.cancel(user=user)
    notifications.notify_run_ended(workflow_state, outcome, user, reason)
    if ending == RESTART:
        page.get_workflow().start(page, user)


def done_message(ending: str, page: Page) -> str:
    title = page.get_admin_display_title()
    if ending == RESTART:
        return _("Alur SOP “%(title)s” dimulai ulang dari langkah pertama.") % {"title": title}
    if ending == WITHDRAW:
        return _("Konsep “%(title)s” ditarik dari alur SOP dan kembali menjadi draf.") % {"title": title}
    return _("Alur SOP “%(title)s” dibatalkan.") % {"title": title}


class EndRunMenuItem(ActionMenuItem):
    """A link to the confirmation screen of one way to end the run."""

    icon_name = "error"

    def __init__(self, ending: str, order: int | None = None):
        super().__init__(order=order)
        self.ending = ending
        self.name = f"sop-end-run-{ending}"
        self.label = {
            WITHDRAW: gettext_lazy("Tarik konsep…"),
            CANCEL: gettext_lazy("Batalkan alur SOP…"),
            RESTART: gettext_lazy("Mulai ulang dari langkah pertama…"),
        }[ending]

    def is_shown(self, context) -> bool:
        page = context.get("page")
        if context.get("view") != "edit" or page is None:
            return False
        return self.ending in allowed_endings(context["request"].user, page, page.current_workflow_state)

    def get_url(self, parent_context):
        page = parent_context.get("page")
        return reverse("sop_run:end", args=[page.pk, self.ending]) if page is not None else None


@hooks.register("construct_page_action_menu")
def replace_one_tap_endings(menu_items, request, context):
    """Wagtail's cancel/restart buttons end a run in one tap with no reason: ours ask for one."""
    menu_items[:] = [
        item for item in menu_items if not isinstance(item, CancelWorkflowMenuItem | RestartWorkflowMenuItem)
    ]
    # Wagtail has already dropped the items not shown; ours are checked here the same way.
    items = (
        EndRunMenuItem(ending, order=900 + index) for index, ending in enumerate((WITHDRAW, CANCEL, RESTART))
    )
    menu_items.extend(item for item in items if item.is_shown({**context, "request": request}))


@hooks.register("before_edit_page")
def refuse_one_tap_endings(request, page):
    """Wagtail's own cancel/restart POSTs have no reason and no confirmation."""
    if request.method == "POST" and (
        request.POST.get("action-cancel-workflow") or request.POST.get("action-restart-workflow")
    ):
        messages.error(
            request,
            _(
                "Alur SOP tidak dapat dibatalkan atau dimulai ulang dengan satu ketukan: gunakan menu "
                "“Tarik konsep…”, “Batalkan alur SOP…” atau “Mulai ulang…” dan tuliskan alasannya. "
                "Peninjau tidak membatalkan alur; mintalah perbaikan."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
