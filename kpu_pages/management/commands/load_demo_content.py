from django.core.management.base import BaseCommand
from django.db import transaction

from kpu_pages.demo import load_demo_content


class Command(BaseCommand):
    help = "Fill the site with realistic demo content (idempotent: existing content is kept)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_demo_content()
        self.stdout.write(f"Konten demo siap ({created} halaman baru).")
