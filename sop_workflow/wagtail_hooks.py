"""Admin integration of the SOP: publish refusals and the superuser's "di luar SOP" publication."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.action_menu import (
    CancelWorkflowMenuItem,
    PublishMenuItem,
    RestartWorkflowMenuItem,
    SubmitForModerationMenuItem,
)
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sop_workflow import guide, history_views, run_end
from sop_workflow.bypass import BYPASS_ACTION
from sop_workflow.enforcement import REFUSAL, grant_bypass, is_governed
from sop_workflow.forms import EXTRA_DATA_FIELD, extra_data_refusal
from sop_workflow.models import HariLibur, is_author
from sop_workflow.visibility import only_visible

REASON_FIELD = "sop_bypass_reason"


class PublishOutsideChainMenuItem(PublishMenuItem):
    """For superusers only: publishing outside the chain needs a written reason."""

    label = gettext_lazy("Terbitkan di luar SOP…")
    template_name = "sop_workflow/publish_outside_chain_menu_item.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["reason_field"] = REASON_FIELD
        return context


@hooks.register("construct_page_action_menu")
def replace_publish_with_sop_publish(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    if page is None:
        return
    for index, item in enumerate(menu_items):
        if isinstance(item, PublishMenuItem) and not isinstance(item, PublishOutsideChainMenuItem):
            if request.user.is_superuser:
                menu_items[index] = PublishOutsideChainMenuItem(order=item.order)
            else:
                del menu_items[index]
            break


@hooks.register("construct_page_action_menu")
def replace_one_tap_endings(menu_items, request, context):
    """Wagtail's cancel/restart buttons end a run in one tap with no reason: ours ask for one."""
    menu_items[:] = [
        item for item in menu_items if not isinstance(item, CancelWorkflowMenuItem | RestartWorkflowMenuItem)
    ]
    # Wagtail has already dropped the items not shown; ours are checked here the same way.
    items = (
        run_end.EndRunMenuItem(ending, order=900 + index)
        for index, ending in enumerate((run_end.WITHDRAW, run_end.CANCEL, run_end.RESTART))
    )
    menu_items.extend(item for item in items if item.is_shown({**context, "request": request}))


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
def refuse_one_tap_endings(request, page):
    return run_end.refuse_one_tap_endings(request, page)


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


@hooks.register("construct_help_menu")
def guide_in_indonesian(request, menu_items):
    """The help menu's editor guide is Wagtail's, in English: ours explains the SOP in Indonesian."""
    english = ("editor-guide", "whats-new-in-wagtail-")
    menu_items[:] = [item for item in menu_items if not item.name.startswith(english)]
    menu_items.append(
        MenuItem(_("Panduan SOP"), reverse("sop_run:guide"), name="panduan-sop", icon_name="help")
    )


@hooks.register("insert_global_admin_css")
def sop_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/sop_admin.css"))


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


@hooks.register("register_admin_urls")
def register_run_end_urls():
    urls = [
        path("panduan/", guide.guide_view, name="guide"),
        path("<int:page_id>/riwayat/", history_views.history_view, name="history"),
        path("<int:page_id>/<slug:ending>/", run_end.end_run_view, name="end"),
    ]
    return [path("sop/alur/", include((urls, "sop_run"), namespace="sop_run"))]


def _require_reason(request, page):
    if not is_governed(page):
        return None
    reason = (request.POST.get(REASON_FIELD) or "").strip()
    if not request.user.is_superuser or len(reason) < 10:
        messages.error(
            request,
            _(
                "Draf tersimpan, tetapi belum diterbitkan: %(refusal)s Superuser yang menerbitkan di luar "
                "SOP wajib menuliskan alasannya (minimal 10 karakter)."
            )
            % {"refusal": _(REFUSAL)},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    grant_bypass(page.get_latest_revision().pk, request.user.pk, reason)
    return None


@hooks.register("before_publish_page")
def before_publish_page(request, page):
    return _require_reason(request, page)


@hooks.register("before_copy_page")
def refuse_publishing_copies_and_aliases(request, page):
    if request.method != "POST" or not is_governed(page):
        return None
    if request.POST.get("publish_copies") or request.POST.get("alias"):
        messages.error(
            request,
            _(
                "Salinan tidak dapat langsung diterbitkan dan alias tidak dapat dibuat: setiap halaman "
                "harus melalui alur SOP. Salin tanpa menerbitkan, lalu ajukan salinannya."
            ),
        )
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("before_serve_document")
def hide_documents_of_unpublished_pages(document, request):
    from django.http import HttpResponseNotFound
    from django.template.loader import render_to_string

    from sop_workflow.media import may_download

    if not may_download(document, request.user):
        return HttpResponseNotFound(render_to_string("404.html", {"request": request}, request=request))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(is_governed(obj) for obj in objects):
        messages.error(request, _("Penerbitan massal tidak diizinkan: %(refusal)s") % {"refusal": _(REFUSAL)})
        return redirect("wagtailadmin_explore_root")
    return None


class PublishOutsideChainFormatter(LogFormatter):
    label = gettext_lazy("Diterbitkan di luar SOP")

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason", "")
        return _("Diterbitkan di luar SOP. Alasan: %(reason)s") % {"reason": reason}


@hooks.register("register_log_actions")
def register_sop_log_actions(actions):
    actions.register_action(BYPASS_ACTION)(PublishOutsideChainFormatter)


class HariLiburViewSet(SnippetViewSet):
    model = HariLibur
    icon = "date"
    menu_label = gettext_lazy("Hari libur")
    menu_name = "hari-libur"
    add_to_admin_menu = False
    list_display = ["tanggal", "nama", "jenis"]
    list_filter = ["jenis"]
    ordering = ["tanggal"]


register_snippet(HariLiburViewSet)


# Each SOP admin area registers its own hooks: the compliance report, the approval archive, the clock.
@hooks.register("construct_page_chooser_queryset")
def chooser_hides_titles_not_yet_public(pages, request):
    """The page chooser lists every page to any admin user: only titles they may read (visibility.py)."""
    return only_visible(pages, request.user)


import sop_workflow.arsip_hooks  # noqa: E402, F401
import sop_workflow.laporan_hooks  # noqa: E402, F401
import sop_workflow.pengingat_hooks  # noqa: E402, F401
