import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sop_workflow.sop import ROLES, Role

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def home_page(db):
    from kpu_pages.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def sop_users(db):
    """One user per SOP role, plus a second author and a second Kabag HTH, keyed by Role / name."""
    User = get_user_model()
    users = {}
    for role, info in ROLES.items():
        user = User.objects.create_user(
            username=info.demo_username,
            password=PASSWORD,
            email=f"{info.demo_username}@kpu.test",
            first_name=info.demo_username.capitalize(),
        )
        user.groups.add(Group.objects.get(name=info.group_name))
        users[role] = user
    extra_kabag = User.objects.create_user(
        username="kabaghth2", password=PASSWORD, email="kabaghth2@kpu.test"
    )
    extra_kabag.groups.add(Group.objects.get(name=ROLES[Role.KABAG_HTH].group_name))
    users["kabaghth2"] = extra_kabag
    return users
