"""``manage.py load_ppid_demo``: the information service's demo accounts and requests in every state.

Idempotent; refused under production settings. See ``ppid.demo``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from akun.demo import give_demo_device, instructions
from ppid.demo import demo_password, load_demo_requests, load_demo_users, require_demo_allowed


class Command(BaseCommand):
    help = (
        "Create the demo accounts of the information service (desk, PPID, Atasan PPID) and demo requests "
        "in every state: new, near the deadline, overdue, extended, answered with each decision, refused, "
        "objected. Idempotent. Refused under production settings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_allowed()
        with transaction.atomic():
            password = demo_password()
            users = load_demo_users(password)
            for user in users.values():
                give_demo_device(user)
            created = load_demo_requests(users)
        self.stdout.write(f"Data demo layanan informasi siap ({created} permohonan baru).")
        names = ", ".join(user.username for user in users.values())
        self.stdout.write(f"Akun demo layanan informasi: {names}  Password: {password}")
        if options["verbosity"] > 1:
            self.stdout.write(instructions())
