"""Drive the SOP through Wagtail's admin views, as a person would."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.conftest import PASSWORD
from tests.otp import otp_code_for


def login(user, password: str = PASSWORD) -> Client:
    """Sign in through the admin's own views: the password form, then the 2FA code form.

    The user gets a confirmed TOTP device if they have none (as if enrolled earlier); the code
    posted is the one their authenticator app would show now.
    """
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password})
    assert response.status_code == 302, f"password login of {user.username} failed ({response.status_code})"
    response = client.post(reverse("akun_verify"), {"code": otp_code_for(user)})
    # On to the dashboard; someone without admin access is then turned away by Wagtail itself.
    assert response.status_code == 302 and "/2fa/" not in urlsplit(response.url).path, (
        f"2FA step of {user.username} failed ({response.status_code} to {response.get('Location')})"
    )
    return client


def news_form_data(page, **overrides) -> dict:
    """The edit form of a Berita / Liputan / Artikel page, as the browser posts it."""
    page = page.specific
    data = {
        "title": page.title,
        "slug": page.slug,
        "tanggal": page.tanggal.astimezone().strftime("%d-%m-%Y %H:%M"),
        "kota": page.kota,
        "lead": page.lead,
        "feature_image_alt": page.feature_image_alt,
        "body": streamfield([("paragraph", rich_text("<p>Isi konsep.</p>"))]),
        "related_pages": streamfield([]),
        "tags": "",
        "comments": inline_formset([]),
    }
    if hasattr(page, "penulis"):
        data["penulis"] = page.penulis
        data["bio_penulis"] = page.bio_penulis
    if hasattr(page, "tempat_kegiatan"):
        data["tanggal_kegiatan"] = page.tanggal_kegiatan.strftime("%d-%m-%Y")
        data["tempat_kegiatan"] = page.tempat_kegiatan
    data.update(overrides)
    return nested_form_data(data)


def edit(client: Client, page: Page, action: str | None = None, **overrides):
    data = news_form_data(page, **overrides)
    if action:
        data[action] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def submit(client: Client, page: Page, **overrides):
    return edit(client, page, "action-submit", **overrides)


def act(client: Client, page: Page, action: str, comment: str = ""):
    page = Page.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    assert task_state is not None, "the page is not in moderation"
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def current_step(page: Page) -> str | None:
    task = Page.objects.get(pk=page.pk).current_workflow_task
    return task.specific.step_key if task else None


def assert_refused(response) -> None:
    """Wagtail's admin answers a refused action with 403, or a redirect to the dashboard."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response.url in ("/admin/", reverse("wagtailadmin_home"))
    ), (response.status_code, getattr(response, "url", None))
