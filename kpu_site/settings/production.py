"""Production: refuses to start without a secret key and allowed hosts; secure by default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASE_CONN_MAX_AGE, DATABASES, SECRET_KEY, SECURE_HSTS_SECONDS

if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 32 characters) for production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set (comma-separated host names) for production.")

DEBUG = False
# gunicorn serves one request at a time per worker thread, so a SQLite database (`make serve`, the
# load bench) keeps its connection between requests as PostgreSQL does: a new SQLite connection reads
# the whole schema again on its first query. base.py closes them after each request for runserver.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# Notifications always go out through real SMTP in production (EMAIL_HOST, default localhost:25).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
