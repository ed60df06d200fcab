"""Build the SOP in Wagtail from its declaration (sop_workflow.sop): groups, permissions, tasks, workflows.

Used by a data migration (with historical models) and by ``manage.py setup_sop``. Idempotent. Time
standards are the one thing an admin may revise in the Workflows admin: when they differ from the
declaration, setup reports the difference and changes nothing unless asked (``update_standards``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps

from kpu_pages.kinds import available_kinds
from sop_workflow.sop import CHAINS, ROLES, STEPS, Chain, Role, chain_for_kind

#: Django permissions per role, besides access to the admin.
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
#: Page permissions per role, granted on the site's home page (and so on every section below it).
#: Nobody but a superuser may publish: the last step of the chain publishes.
PAGE_PERMISSIONS: dict[Role, list[str]] = {
    Role.PENGAMPU: ["add_page"],
    Role.PENGELOLA: [],
    Role.WEB_ADMIN: [],
    Role.TEKMAS: [],
    Role.KABAG_HTH: [],
    Role.SEKRETARIS: [],
    Role.KOMISIONER: [],
}


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"dibuat: {item}" for item in self.created]
        out += [f"berbeda: {item}" for item in self.differences]
        out += [f"diperbarui: {item}" for item in self.updated]
        return out or ["SOP sudah sesuai; tidak ada perubahan."]


def _perm(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        model = codename.split("_", 1)[1]
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        return permission


def _check_task_groups(task, step_name: str, group, report: Report, update: bool) -> None:
    """Who holds a step is part of the SOP: a new step gets its role's group; a difference found on an
    existing step is reported, and changed only when asked (``update``)."""
    current = sorted(task.groups.values_list("name", flat=True))
    if current == [group.name]:
        return
    if not current:
        task.groups.set([group])
        return
    difference = f"penanggung jawab '{step_name}': {', '.join(current)} di admin, {group.name} di SOP"
    if update:
        task.groups.set([group])
        report.updated.append(difference)
    else:
        report.differences.append(difference)


def setup_sop(
    apps=global_apps, update_standards: bool = False, home=None, update_groups: bool = False
) -> Report:
    report = Report()
    Page = apps.get_model("wagtailcore", "Page")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    home = home or Page.objects.filter(depth=2).order_by("path").first()
    groups = _setup_groups(apps, home, report)
    tasks = _setup_tasks(apps, groups, report, update_standards, update_groups)
    workflows = _setup_workflows(apps, tasks, report)
    _close_other_routes(apps, report)
    # Default assignment: the whole site takes the long chain; short-chain kinds are routed by kind.
    if home is not None and not WorkflowPage.objects.filter(page_id=home.pk).exists():
        WorkflowPage.objects.create(page_id=home.pk, workflow=workflows[Chain.LONG])
        report.created.append("alur kerja SOP Lengkap untuk seluruh situs")
    if apps is global_apps:
        _assign_kind_sections(workflows, report)
    return report


def _setup_groups(apps, home, report: Report) -> dict[Role, Any]:
    """One group per role, with admin access, media permissions on the root collection, and its page
    permissions on the home page."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    access_admin = _perm(apps, "wagtailadmin", "access_admin")
    media = [_perm(apps, app_label, codename) for app_label, codename in MEDIA_PERMISSIONS]
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for role, info in ROLES.items():
        group, created = Group.objects.get_or_create(name=info.group_name)
        if created:
            report.created.append(f"grup {info.group_name}")
        group.permissions.add(access_admin)
        # Wagtail's image and document screens read permissions per collection, not the group's own.
        if root_collection is not None:
            for permission in media:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[role] = group
        if home is not None:
            for codename in PAGE_PERMISSIONS[role]:
                permission = _perm(apps, "wagtailcore", codename)
                GroupPagePermission.objects.get_or_create(group=group, page_id=home.pk, permission=permission)
    return groups


def _setup_tasks(apps, groups, report: Report, update_standards: bool, update_groups: bool) -> dict[str, Any]:
    """One ``SOPTask`` per step; a time standard that differs from the SOP is reported, and changed only
    when asked (``update_standards``)."""
    SOPTask = apps.get_model("sop_workflow", "SOPTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type = ContentType.objects.get_or_create(app_label="sop_workflow", model="soptask")[0]
    tasks = {}
    for key, step in STEPS.items():
        task = SOPTask.objects.filter(step_key=key).first()
        if task is None:
            task = SOPTask.objects.create(
                name=step.name,
                step_key=key,
                role=step.role.value,
                sop_step=step.sop_step,
                standard_minutes=step.standard_minutes,
                publishes=step.publishes,
                active=True,
                content_type=task_type,
            )
            report.created.append(f"langkah {step.name}")
        elif task.standard_minutes != step.standard_minutes:
            difference = (
                f"mutu baku '{task.name}': {task.standard_minutes} menit di admin, "
                f"{step.standard_minutes} menit di SOP"
            )
            if update_standards:
                task.standard_minutes = step.standard_minutes
                task.save(update_fields=["standard_minutes"])
                report.updated.append(difference)
            else:
                report.differences.append(difference)
        _check_task_groups(task, step.name, groups[step.role], report, update_groups)
        tasks[key] = task
    return tasks


def _setup_workflows(apps, tasks, report: Report) -> dict[Chain, Any]:
    """One workflow per chain, its tasks in the SOP's order."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    workflows = {}
    for chain, info in CHAINS.items():
        workflow = Workflow.objects.filter(name=info.workflow_name).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=info.workflow_name, active=True)
            report.created.append(f"alur kerja {info.workflow_name}")
        wanted = [tasks[key].pk for key in info.steps]
        current = list(
            WorkflowTask.objects.filter(workflow=workflow)
            .order_by("sort_order")
            .values_list("task_id", flat=True)
        )
        if current != wanted:
            WorkflowTask.objects.filter(workflow=workflow).delete()
            for order, task_id in enumerate(wanted):
                WorkflowTask.objects.create(workflow=workflow, task_id=task_id, sort_order=order)
            if current:
                report.updated.append(f"urutan langkah {info.workflow_name}")
        workflows[chain] = workflow
    return workflows


def _close_other_routes(apps, report: Report) -> None:
    """Nobody outside a superuser holds publish permission; Wagtail's sample workflow and its unused
    sample groups ("Moderators", "Editors") go, so they cannot become a way around the chain."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    sop_workflow_names = [info.workflow_name for info in CHAINS.values()]
    for other in Workflow.objects.exclude(name__in=sop_workflow_names).filter(active=True):
        WorkflowPage.objects.filter(workflow=other).delete()
        other.active = False
        other.save(update_fields=["active"])
        report.updated.append(f"alur kerja {other.name} dinonaktifkan")
    sop_group_names = [info.group_name for info in ROLES.values()]
    publish = GroupPagePermission.objects.filter(permission__codename="publish_page").exclude(
        group__name__in=sop_group_names
    )
    for grant in publish.select_related("group"):
        report.updated.append(f"izin terbit grup {grant.group.name} dicabut")
    publish.delete()
    for name in ("Moderators", "Editors"):
        sample = Group.objects.filter(name=name, user__isnull=True).first()
        if sample is not None:
            sample.delete()
            report.updated.append(f"grup contoh Wagtail {name} dihapus")


def _assign_kind_sections(workflows, report: Report) -> None:
    """Make the routing by kind visible in the Workflows admin: each section of a short-chain kind is
    assigned "SOP Ringkas" (pages themselves follow their kind wherever they sit, see routing.py).
    Only with the installed models (not a migration's), whose page query knows ``type()``."""
    Page = global_apps.get_model("wagtailcore", "Page")
    WorkflowPage = global_apps.get_model("wagtailcore", "WorkflowPage")
    for kind in available_kinds():
        workflow = workflows[chain_for_kind(kind.key)]
        parent_models = kind.model.allowed_parent_page_models()
        for section in Page.objects.type(*parent_models).exclude(depth__lte=2):
            current = WorkflowPage.objects.filter(page=section).first()
            if current is None:
                WorkflowPage.objects.create(page=section, workflow=workflow)
                report.created.append(f"alur kerja {workflow.name} untuk bagian {section.title}")
            elif current.workflow_id != workflow.pk:
                report.differences.append(
                    f"bagian {section.title} memakai {current.workflow.name}; "
                    f"jenisnya memakai {workflow.name}"
                )
