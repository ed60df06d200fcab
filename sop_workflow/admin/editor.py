"""The page editor under the SOP: what its menus offer, what it refuses, what it tells the author.

A resubmission after the publishing step sent a concept back names the step it goes to; an action's
dialog data is checked before Wagtail reads it (``forms.extra_data_refusal``); the author sees the
reviewer's request for changes at the top of the editor; a page in the chain is not deleted; the page
chooser lists only titles the user may read (``visibility.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem

from sop_workflow.authors import is_author
from sop_workflow.forms import EXTRA_DATA_FIELD, extra_data_refusal
from sop_workflow.visibility import only_visible


class ResubmitMenuItem(SubmitForModerationMenuItem):
    """After the publishing step sent the concept back, say where the resubmission goes: to the last
    content approver (``SOPTask.start``), not to the publishing step."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page else None
        if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            task = workflow_state.current_task_state.task.specific
            if getattr(task, "publishes", False):
                previous = task.previous_task(workflow_state.workflow) or task
                context["label"] = _("Ajukan ulang ke %(task_name)s") % {"task_name": previous.name}
        return context


@hooks.register("construct_page_action_menu")
def name_the_step_a_resubmission_goes_to(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = ResubmitMenuItem(order=item.order)


@hooks.register("before_edit_page")
def refuse_unreadable_action_data(request, page):
    """Wagtail's editor hands every key of an action's dialog data to the step, after saving a revision:
    only what the action's form declares gets that far (``forms.extra_data_refusal``)."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    task = page.current_workflow_task
    if task is None:
        return None
    action_name = request.POST.get("workflow-action-name", "")
    refusal = extra_data_refusal(task, action_name, request.POST.get(EXTRA_DATA_FIELD, "{}"))
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def show_the_request_for_changes(request, page):
    """The author sees the reviewer's note at the top of the editor, not only behind an icon."""
    if request.method != "GET":
        return None
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES or state.current_task_state is None:
        return None
    asked = state.current_task_state
    if not is_author(page, request.user, state):
        return None
    reviewer = asked.finished_by
    messages.warning(
        request,
        _("Perbaikan diminta oleh %(person)s pada langkah “%(step)s”: %(comment)s")
        % {
            "person": (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "-",
            "step": asked.task.name,
            "comment": asked.comment or "-",
        },
    )
    return None


@hooks.register("before_delete_page")
def refuse_deleting_a_page_in_the_chain(request, page):
    """A run ends with a reason and a record (withdraw / cancel), never by deleting its page."""
    if page.current_workflow_state is None:
        return None
    messages.error(
        request,
        _(
            "Halaman ini sedang dalam alur SOP. Tarik konsep atau batalkan alurnya dulu (dengan alasan, "
            "dicatat di Arsip Persetujuan), baru hapus halamannya."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_page_chooser_queryset")
def chooser_hides_titles_not_yet_public(pages, request):
    """The page chooser lists every page to any admin user: only titles they may read (visibility.py)."""
    return only_visible(pages, request.user)
