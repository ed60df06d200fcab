from django.core.management.base import BaseCommand
from django.db import transaction

from sop_workflow.setup import setup_sop


class Command(BaseCommand):
    help = (
        "Build the SOP in Wagtail (groups, permissions, tasks, the two workflows). Idempotent. "
        "Reports time standards and step groups edited in the admin; changes them only with "
        "--perbarui-mutu-baku / --perbarui-penanggung-jawab."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--perbarui-mutu-baku",
            action="store_true",
            dest="update_standards",
            help="Reset time standards edited in the admin to the SOP's values.",
        )

        parser.add_argument(
            "--perbarui-penanggung-jawab",
            action="store_true",
            dest="update_groups",
            help="Reset the group that holds each step to the SOP's role.",
        )

    def handle(self, *args, update_standards=False, update_groups=False, **options):
        with transaction.atomic():
            report = setup_sop(update_standards=update_standards, update_groups=update_groups)
        for line in report.lines():
            self.stdout.write(line)
