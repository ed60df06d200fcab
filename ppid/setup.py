"""The three PPID groups and their permissions, from ``ppid.rules.ROLES`` (idempotent).

Run by migration ``0002_groups`` and again after every ``migrate`` (permissions of a new database
only exist once ``migrate`` has created them).
"""

from __future__ import annotations

from ppid.rules import ROLES

#: the model each permission codename belongs to (Django's own ``view_*`` and ours in Meta.permissions)
PERMISSION_MODELS = {
    "view_informationrequest": "informationrequest",
    "view_objection": "objection",
    "answer_request": "informationrequest",
    "answer_objection": "informationrequest",
    "record_response": "informationrequest",
    "register_request": "informationrequest",
    "view_report": "informationrequest",
}


def _permission(apps, app_label: str, model: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def setup_groups(apps) -> list[str]:
    """Create the PPID groups with admin access and their permissions; the names of groups created."""
    Group = apps.get_model("auth", "Group")
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    created = []
    for info in ROLES.values():
        group, was_created = Group.objects.get_or_create(name=info.group_name)
        if was_created:
            created.append(info.group_name)
        group.permissions.add(
            access_admin,
            *(
                _permission(apps, "ppid", PERMISSION_MODELS[codename], codename)
                for codename in info.permissions
            ),
        )
    return created


def setup_after_migrate(sender=None, apps=None, **kwargs) -> None:
    if apps is not None:
        setup_groups(apps)
