from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from akun import audit, views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("2fa/verifikasi/", views.verify, name="akun_verify"),
        path("2fa/daftar/", views.enrol, name="akun_enrol"),
        path("2fa/kode-pemulihan/", views.recovery_codes, name="akun_recovery_codes"),
        path("2fa/kode-pemulihan/unduh/", views.recovery_codes_download, name="akun_recovery_codes_download"),
        path("2fa/reset/<int:user_id>/", views.reset, name="akun_reset"),
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_account_menu_item")
def recovery_codes_menu_item(request):
    return {
        "url": reverse("akun_recovery_codes"),
        "label": _("Kode pemulihan 2FA"),
        "help_text": _("Lihat sisa kode pemulihan atau buat kode baru (kode lama tidak berlaku lagi)."),
    }


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Reset 2FA"),
            reverse("akun_reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )
