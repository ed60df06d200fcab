import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin account if it does not exist, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default=None, help="Default: $ADMIN_PASSWORD, else generated.")

    def handle(self, *args, username, password, **options):
        self._handle(username, password)
        user = get_user_model().objects.get(username=username)
        if getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            from akun.demo import give_demo_device

            give_demo_device(user)  # dev only: the demo 2FA key `make run` prints
        else:
            self.stdout.write(
                "Saat masuk pertama kali, daftarkan aplikasi autentikator (verifikasi dua langkah)."
            )

    def _handle(self, username, password):
        import os

        password = password or os.environ.get("ADMIN_PASSWORD") or None
        password_file = settings.VAR_DIR / "admin-password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=username, email="admin@localhost", password=password, first_name="Admin"
            )
            self._remember(password_file, password)
            self.stdout.write(f"Akun admin dibuat. Username: {username}  Password: {password}")
            return
        if password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self._remember(password_file, password)
            self.stdout.write(f"Password admin diperbarui dari ADMIN_PASSWORD. Username: {username}")
            return
        known = password or (password_file.read_text().strip() if password_file.exists() else "")
        if known and user.check_password(known):
            self.stdout.write(f"Akun admin sudah ada. Username: {username}  Password: {known}")
        else:
            self.stdout.write(
                f"Akun admin sudah ada. Username: {username} (password tidak diubah; "
                "setel ADMIN_PASSWORD untuk menggantinya)"
            )

    @staticmethod
    def _remember(path, password):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n")
        path.chmod(0o600)
