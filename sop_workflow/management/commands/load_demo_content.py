"""``manage.py load_demo_content``: the demo site in one command.

It lives on the SOP side because it joins the apps together: the pages of ``kpu_pages``, the SOP's
groups, demo accounts and their past (``sop_workflow``) and the accounts' second factor (``akun``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from akun.demo import give_demo_device, instructions
from kpu_pages.demo import load_demo_content
from sop_workflow.demo import demo_password, load_demo_users, load_demo_workflow_content
from sop_workflow.demo_history import load_demo_history
from sop_workflow.setup import setup_sop


class Command(BaseCommand):
    help = (
        "Fill the site with realistic demo content, one demo account per SOP role, a past of items that "
        "walked their SOP chains over the last weeks, and drafts waiting at several SOP steps. Idempotent. "
        "Refused under production settings."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError("Konten dan akun demo tidak boleh dibuat dengan pengaturan produksi.")
        with transaction.atomic():
            created = load_demo_content()
            setup_sop()
            password = demo_password()
            users = load_demo_users(password)
            for user in users.values():
                give_demo_device(user)
            superuser = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
            past = load_demo_history(users, superuser)
            in_flight = load_demo_workflow_content(users)
        self.stdout.write(
            f"Konten demo siap ({created} halaman baru, {past} konten dengan riwayat SOP, "
            f"{in_flight} draf dalam alur SOP)."
        )
        names = ", ".join(user.username for user in users.values())
        self.stdout.write(f"Akun demo per peran SOP: {names}  Password: {password}")
        self.stdout.write(instructions())
