"""Fast, deterministic settings for the test suite."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0  # tests of the page cache turn it on (tests/kpu_pages/test_page_cache.py)
FRAGMENT_CACHE_SECONDS = 0  # tests/kpu_pages/test_fragments.py turns it on
SEARCH_RATE_LIMIT = 0  # tests/kpu_pages/test_search_limit.py turns these on
SEARCH_CONCURRENCY = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
WAGTAILADMIN_BASE_URL = "http://testserver"
PPID_PRIVATE_ROOT = tempfile.mkdtemp(prefix="kpu-ppid-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "ppid_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PPID_PRIVATE_ROOT, "base_url": "/tidak-untuk-umum/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_CONTENT_ALLOWED = True
# Twelve renditions for every test image would slow the suite; tests/kpu_pages/test_renditions.py turns it on.
KPU_RENDITIONS_ON_UPLOAD = False
