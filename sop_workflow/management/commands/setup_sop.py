from django.core.management.base import BaseCommand
from django.db import transaction

from sop_workflow.setup import setup_sop


class Command(BaseCommand):
    help = (
        "Build the SOP in Wagtail (groups, permissions, tasks, the two workflows). Idempotent. "
        "Reports time standards edited in the admin; changes them only with --perbarui-mutu-baku."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--perbarui-mutu-baku",
            action="store_true",
            dest="update_standards",
            help="Reset time standards edited in the admin to the SOP's values.",
        )

    def handle(self, *args, update_standards=False, **options):
        with transaction.atomic():
            report = setup_sop(update_standards=update_standards)
        for line in report.lines():
            self.stdout.write(line)
