"""Shared steps for the browser tests."""

from tests.conftest import PASSWORD


def log_in(page, base_url, user):
    """Sign in to the Wagtail admin through its login form, as a person would."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def public_paths() -> list[str]:
    """One URL of every public page type: home, search, 404, the fixed pages, each index and detail."""
    from kpu_pages.kinds import KINDS

    paths = ["/", "/cari/?q=pemilih", "/halaman-yang-tidak-ada/", "/profil/", "/kontak/", "/ppid/"]
    for kind in KINDS.values():
        paths.append(kind.index_path)
        detail = kind.model.objects.live().public().order_by("pk").first()
        if detail:
            paths.append(detail.url)
    return paths
