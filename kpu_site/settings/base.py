"""Settings shared by every environment.

The environment is read here and only here: ``dev``, ``test`` and ``production`` adjust the
values below but never read ``os.environ`` themselves. Safe by default: ``DEBUG`` is off and no
secret key is invented here.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- Values from the environment (documented in README.md) -------------------------------
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
REDIS_URL = env_str("REDIS_URL")
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "kpu")
# The page cache needs a cache shared by every process (Redis): off by default without one.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0)
# Cache hits each worker also keeps in its memory (kpu_site.caching.middleware.LocalPages); 0 turns it off.
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 8 * 1024 * 1024)
# Menu and home sections kept per worker until the next public change (kpu_site.caching.fragments).
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 300 if REDIS_URL else 0)
FRONTEND_CACHE_URL = env_str("FRONTEND_CACHE_URL")
MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
# With nginx in front of local files: the `internal` location /media/ hands a checked file to
# (X-Accel-Redirect), e.g. "/media-internal/" (kpu_site/media_views.py, docs/deployment.md step 7).
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "")
STATIC_ROOT = env_str("STATIC_ROOT", str(VAR_DIR / "static"))
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
S3_BUCKET = env_str("S3_BUCKET")
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL")
S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY")
S3_REGION = env_str("S3_REGION", "us-east-1")
S3_CUSTOM_DOMAIN = env_str("S3_CUSTOM_DOMAIN")
S3_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 60)
BACKUP_DIR = env_str("BACKUP_DIR", str(VAR_DIR / "backups"))
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KPU Provinsi Jawa Tengah <noreply@jateng.kpu.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
CONTENT_SECURITY_POLICY_REPORT_URI = env_str("CSP_REPORT_URI")
CONTENT_SECURITY_POLICY_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES", "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com"
)
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 50)
IMAGE_MAX_UPLOAD_MB = env_int("IMAGE_MAX_UPLOAD_MB", 10)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
FORWARDED_FOR_PROXIES = env_int("FORWARDED_FOR_PROXIES", 0)
# Search (kpu_pages/search.py, kpu_pages/search_limit.py): searches running at once in one gunicorn
# (by default all workers but one, which stays free for pages), searches one client address may ask
# for per window, how long one search statement may run on PostgreSQL (each 0: no limit).
SEARCH_CONCURRENCY = env_int("SEARCH_CONCURRENCY", max(1, env_int("WEB_CONCURRENCY", 2) - 1))
SEARCH_RATE_LIMIT = env_int("SEARCH_RATE_LIMIT", 10)
SEARCH_RATE_WINDOW = env_int("SEARCH_RATE_WINDOW", 20)
SEARCH_STATEMENT_TIMEOUT_MS = env_int("SEARCH_STATEMENT_TIMEOUT_MS", 1000)
# The search slots are locks on files here (the systemd unit's private /tmp in production).
SEARCH_SLOT_DIR = Path(tempfile.gettempdir()) / "kpu-search-slots"
SESSION_HOURS = env_float("SESSION_HOURS", 8)

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "kpu_pages",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Login security: two-factor step, lockout screen, audit of login events (see docs/security.md).
    "akun",
    # Public-information services: requests, objections, the DIP's upkeep (see docs/architecture.md).
    "ppid",
    # After wagtail.admin: replaces Wagtail's workflow emails with the SOP's own (see sop_workflow.apps).
    "sop_workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: a cached page gets the policy of the moment it is served.
    "kpu_site.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache; before sessions so a hit costs no database query.
    "kpu_site.caching.middleware.PageCacheMiddleware",
    # A search the cache could not answer: a free search slot and the client's budget, or a refusal.
    "kpu_pages.search_limit.SearchLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail Site, kept per worker until the next public change (after the host check).
    "kpu_site.caching.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Until the second factor is verified, /admin/ leads only to the 2FA step (akun/middleware.py).
    "akun.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An upload S3 could not store: a message on the form, not a 500 (kpu_site/storage.py).
    "kpu_site.storage_faults.StorageUnavailableMiddleware",
    # An id longer than any database id in a URL of Wagtail's own: 404, not 500 (kpu_site/url_ids.py).
    "kpu_site.url_ids.OverlongIdMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a lockout during login into the Indonesian lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpu_site.urls"
WSGI_APPLICATION = "kpu_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kpu_pages.context_processors.identity",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite holds a write lock per transaction; wait for it rather than failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# Redis is shared by every app server. If it goes away the site keeps serving: the fail-open backend
# (kpu_site/caching/backend.py) treats errors as misses, with short socket timeouts.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kpu_site.caching.backend.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 600,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "RETRY_AFTER": 5,
                # Read on every request, written a few times a day: kept in each worker, which
                # Redis pub/sub tells of every change (kpu_site/caching/backend.py): the page cache's
                # generation, and the sites' root paths every page URL is built from (Wagtail's key).
                "WATCHED_KEYS": ["page-cache:generation", "wagtail_site_root_paths"],
            },
        },
        # Wagtail looks up each image rendition shown (and writes it back) on every render: kept in
        # the worker instead, that costs no Redis round trip. Entries cannot go stale: the key holds
        # the image's file hash and focal point, which change whenever the rendition would.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
    # Sessions are written to the database and read through Redis: a Redis restart (or outage) logs
    # nobody out, and most requests read the session without touching the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A per-process memory cache would let one gunicorn worker keep a session another has ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Authentication -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Axes first: it refuses a locked-out username+address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions end after SESSION_HOURS (a working shift), counted from login, not from the last request.
# Without "Ingat saya" on the login form the cookie also ends when the browser closes.
SESSION_COOKIE_AGE = int(SESSION_HOURS * 60 * 60)


def client_ip_settings(proxies: int) -> dict:
    """How axes finds the client's address behind ``proxies`` reverse proxies.

    Each proxy (nginx, then perhaps Varnish) appends the address it saw to X-Forwarded-For, so the
    header has exactly ``proxies`` entries, the first being the client. A longer header means the
    client sent its own (spoofed) one: python-ipware's strict check then falls back to REMOTE_ADDR
    (the proxy), so made-up addresses never buy an attacker fresh attempts. Without a proxy the header
    is ignored altogether (the proxy order is then unused; "left-most" is axes' own default).
    """
    if proxies <= 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "AXES_IPWARE_PROXY_COUNT": None,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
    }


# Lockout (django-axes): LOGIN_FAILURE_LIMIT failed passwords or 2FA codes for one username from one
# address lock that pair for LOGIN_COOLOFF_MINUTES. Keyed on the pair, not the username alone, so an
# attacker cannot lock the approvers out on election night; not on the address alone, so one office
# behind one NAT address is not locked out by a colleague's typos. Why this is enough: docs/security.md.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe the count of wrong 2FA codes
AXES_LOCKOUT_CALLABLE = "akun.views.lockout_response"
AXES_ENABLE_ADMIN = False  # Django's admin site is not installed; Wagtail's site history has the log
AXES_VERBOSE = False
# Password reset mails (akun/password_reset.py): at most so many per account and per client address in
# each window, the address found as for the lockout; the page shown is the same whether sent or not.
PASSWORD_RESET_MAILS_PER_ACCOUNT = 3
PASSWORD_RESET_MAILS_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW = timedelta(hours=1)
# The client's address behind FORWARDED_FOR_PROXIES reverse proxies (client_ip_settings above).
_CLIENT_IP = client_ip_settings(FORWARDED_FOR_PROXIES)
AXES_IPWARE_META_PRECEDENCE_ORDER = _CLIENT_IP["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_ORDER = _CLIENT_IP["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_PROXY_COUNT = _CLIENT_IP["AXES_IPWARE_PROXY_COUNT"]
# Two-factor authentication (django-otp): TOTP apps and one-time recovery codes.
OTP_TOTP_ISSUER = "KPU Jateng"

# --- Language, time, formats --------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kpu_site.formats"]

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"

# With S3 the bucket stays private (no ACL, no anonymous read): images and renditions are linked as
# /media/<name> and documents as /documents/<id>/<name>; after the SOP's checks (sop_workflow.media)
# those redirect to signed URLs that expire after S3_SIGNED_URL_SECONDS (kpu_site/storage.py).
if S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "kpu_site.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "region_name": S3_REGION,
            "custom_domain": S3_CUSTOM_DOMAIN or None,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": S3_SIGNED_URL_SECONDS,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Identity scans and answer documents of information requests (ppid): never under MEDIA_URL, read
# only through ppid's checked views. With S3: the same private bucket, under ``ppid-private/``.
PPID_PRIVATE_ROOT = env_str("PPID_PRIVATE_ROOT", str(VAR_DIR / "private"))
if S3_BUCKET:
    PPID_PRIVATE_STORAGE = {
        "BACKEND": MEDIA_STORAGE["BACKEND"],
        "OPTIONS": {**MEDIA_STORAGE["OPTIONS"], "location": "ppid-private"},
    }
else:
    PPID_PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PPID_PRIVATE_ROOT, "base_url": "/tidak-untuk-umum/"},
    }

STORAGES = {
    "default": MEDIA_STORAGE,
    "ppid_private": PPID_PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# --- Email --------------------------------------------------------------------------------
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 20

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "KPU Provinsi Jawa Tengah"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend; on PostgreSQL pages meet their index entries by content type
        "BACKEND": "kpu_pages.search_backend",
        "SEARCH_CONFIG": "indonesian" if IS_POSTGRESQL else None,
    }
}
# Uploads are checked by content, not only by name (kpu_site/uploads.py, docs/security.md).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "pptx", "odt", "ods", "jpg", "jpeg", "png"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "kpu_site.uploads.SafeDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "kpu_site.uploads.SafeImageForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = IMAGE_MAX_UPLOAD_MB * 1024 * 1024
# Every rendition the templates use is made when an image is stored, not in a reader's request
# (kpu_pages/renditions.py).
KPU_RENDITIONS_ON_UPLOAD = True
WAGTAILDOCS_MAX_UPLOAD_SIZE = DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party avatars: editors' e-mail hashes stay here, and the admin CSP needs no other origin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d-%m-%Y"
WAGTAIL_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Wagtail's oEmbed finder (every provider it knows): an embed is fetched once, when an editor saves
# the page, and readers are shown it from the database.
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed"}]
if FRONTEND_CACHE_URL:
    # A caching reverse proxy in front (docs/varnish.vcl) receives an HTTP PURGE on every change.
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security headers (kpu_site/security.py, docs/security.md) --------------------------------
# Public pages: no inline script or style at all, nothing from other origins but video embeds.
# No nonces: the page cache stores whole responses, so a nonce would be replayed to every reader.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
_MEDIA_ORIGINS = [
    origin
    for origin in (
        f"https://{S3_CUSTOM_DOMAIN}" if S3_CUSTOM_DOMAIN else "",
        "/".join(S3_ENDPOINT_URL.split("/")[:3]) if S3_BUCKET and S3_ENDPOINT_URL else "",
    )
    if origin
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": CONTENT_SECURITY_POLICY_FRAME_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": CONTENT_SECURITY_POLICY_REPORT_URI} if CONTENT_SECURITY_POLICY_REPORT_URI else {}),
    }
}
# The Wagtail admin (and its previews, framed by the editor) ships inline scripts and style
# attributes, so it gets 'unsafe-inline'; everything else stays as strict as the public policy.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-src": ["'self'", *CONTENT_SECURITY_POLICY_FRAME_SOURCES],
        "frame-ancestors": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/admin/",)

# --- Site identity (shown in the header, footer, reports and approval records) -------------
KPU_IDENTITY = {
    "name": "KPU Provinsi Jawa Tengah",
    "long_name": "Komisi Pemilihan Umum Provinsi Jawa Tengah",
    "address": "Jl. Veteran No. 1 A, Kota Semarang, Jawa Tengah",
    "telephone": "(024) 8413393",
    "fax": "(024) 8413391",
    "email": "kpu.jatengprov@kpu.go.id",
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django_tasks": {"level": "WARNING"},
        # Wagtail logs every page action at INFO; the same audit trail is kept in the database.
        "wagtail": {"level": "WARNING"},
        # Every login attempt is in the audit log (akun/audit.py); the console gets lockouts only.
        "axes": {"level": "WARNING"},
    },
}
WAGTAILADMIN_USER_LOGIN_FORM = "akun.forms.LoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "akun.forms.PasswordResetForm"  # noqa: S105 - a dotted path
WAGTAIL_FINISH_WORKFLOW_ACTION = "sop_workflow.enforcement.publish_workflow_state"
# Documents are served only by /documents/<id>/<name>, which applies collection view restrictions
# and the SOP's hook (sop_workflow.media) first. With local files the view streams the file;
# with S3 it then redirects to a signed URL that expires after S3_SIGNED_URL_SECONDS, so no
# gunicorn worker is held for a slow download. Never "direct": that would skip the checks.
WAGTAILDOCS_SERVE_METHOD = "redirect" if S3_BUCKET else "serve_view"
DEMO_CONTENT_ALLOWED = False  # dev and test settings allow `load_demo_content`
