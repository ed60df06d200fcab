"""Publishing in the admin: only the chain's last step publishes an SOP-governed page.

The editor's Publish button is taken out (a superuser gets "Terbitkan di luar SOP…", which asks for a
written reason, recorded and archived as "di luar SOP"); bulk publish, publishing copies and making
aliases are refused; the log shows a publication outside the chain with its reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.action_menu import PublishMenuItem
from wagtail.log_actions import LogFormatter

from sop_workflow.bypass import BYPASS_ACTION
from sop_workflow.enforcement import REFUSAL, grant_bypass, is_governed

REASON_FIELD = "sop_bypass_reason"
#: The shortest reason a superuser may give for publishing outside the chain.
REASON_MIN_LENGTH = 10


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


@hooks.register("before_publish_page")
def require_reason_outside_chain(request, page):
    if not is_governed(page):
        return None
    reason = (request.POST.get(REASON_FIELD) or "").strip()
    if not request.user.is_superuser or len(reason) < REASON_MIN_LENGTH:
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
