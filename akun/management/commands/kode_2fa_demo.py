from django.core.management.base import BaseCommand

from akun.demo import current_code


class Command(BaseCommand):
    help = "Print the current 2FA code of the demo accounts (dev only; refused under production settings)."

    def handle(self, *args, **options):
        self.stdout.write(f"Kode 2FA akun demo saat ini: {current_code()} (berlaku sekitar 30 detik)")
