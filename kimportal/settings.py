"""KIM Portal settings: one module, configured by environment variables (12-factor)."""

from pathlib import Path

import django
import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key is only ever allowed with DEBUG on; production must supply its own.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)

BASE_DOMAIN = env.str("BASE_DOMAIN", default="kim.localhost").lower()
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
# "http" in development, "https" behind the production proxy; used to build absolute links.
SITE_SCHEME = env.str("SITE_SCHEME", default="http" if DEBUG else "https")
SITE_PORT = env.str("SITE_PORT", default="")  # e.g. ":8000" in development links

# --- apps: public schema (shared) and each community's schema (tenant) ---------------------------

SHARED_APPS = [
    "django_tenants",
    "accounts",
    "communities",
    "notices",
    "moderation",
    "feed",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    # Background jobs: their tables live in public; a job that touches a community switches itself.
    "django_tasks",
    # By its AppConfig: its label (django_tasks_database) differs from its module, and django-tenants'
    # admin finds shared apps by label.
    "django_tasks_db.apps.TasksAppConfig",
    "kimportal",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    # taggit's generic object_id would collide across schemas if it were shared.
    "taggit",
    "posts",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "communities.Community"
TENANT_DOMAIN_MODEL = "communities.Domain"
PUBLIC_SCHEMA_URLCONF = "kimportal.urls_public"
ROOT_URLCONF = "kimportal.urls_community"
# New communities copy this schema instead of running every migration (see docs/architecture.md).
COMMUNITY_TEMPLATE_SCHEMA = "community_template"

MIDDLEWARE = [
    # CSP, Permissions-Policy and no-store on private answers, on every answer (kimportal/security.py).
    "kimportal.security.SecurityHeadersMiddleware",
    # Request id, one JSON log line and the metrics for every request; answers /metrics.
    "kimportal.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed for readers on slow data (static files come precompressed from WhiteNoise),
    # at zlib level 1 (kimportal/fastpath.py).
    "kimportal.fastpath.GZipMiddleware",
    # Old names of the paging parameter answer a permanent redirect to the page's current address.
    "kimportal.pagination.RetiredPageParamMiddleware",
    # Anonymous readers' cached pages are served from here, before any other work (feed/cache.py).
    "feed.cache.CachedPageMiddleware",
    "communities.middleware.CommunityHostMiddleware",
    # A body over UPLOAD_MAX_REQUEST_BYTES is refused before anything reads it (kimportal/uploads.py).
    "kimportal.uploads.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Django's own admin templates before django-tenants' copies, whose inline <style> and
        # style="" the CSP refuses (kimportal/security.py).
        "DIRS": [BASE_DIR / "templates", Path(django.__file__).parent / "contrib/admin/templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.site",
                "moderation.context_processors.review_count",
            ],
        },
    },
]

WSGI_APPLICATION = "kimportal.wsgi.application"

# --- database and cache -----------------------------------------------------------------------


def _database(url: str) -> dict:
    config = env.db_url_config(url)
    config["ENGINE"] = "kimportal.postgresql"  # django-tenants' backend, see its module
    # Persistent connections; session pooling only (transaction-mode PgBouncer breaks search_path).
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    # A server that vanished without closing (host crash, failover) is noticed on an idle connection
    # within ~25 s, so the health check above (kimportal/postgresql) replaces it before a reader does.
    # Options given in the URL (`?keepalives_idle=30`) win.
    config["OPTIONS"] = {
        # An unreachable server answers the friendly 503 (kimportal/outage.py) within seconds.
        "connect_timeout": 3,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        **config.get("OPTIONS", {}),
    }
    return config


DATABASES = {"default": _database(env.str("DATABASE_URL"))}
# Lets parallel test runs (several checkouts, one server) keep their own test databases.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
# A PostgreSQL streaming replica of the same database (optional): anonymous readers' public pages
# read it while it has replayed their pages' current version (kimportal/routers.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests make no second database
    DATABASE_ROUTERS.insert(0, "kimportal.routers.ReplicaRouter")
# A persistent connection is replaced once it has used this many schemas (0: never): each schema a
# PostgreSQL backend touches stays in its memory (kimportal/postgresql, docs/operations.md).
DB_SCHEMAS_PER_CONNECTION = env.int("DB_SCHEMAS_PER_CONNECTION", default=500)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
_CACHE_BACKEND = (
    "kimportal.cache.RedisCache" if REDIS_URL else "django.core.cache.backends.locmem.LocMemCache"
)
# Redis is only a cache and fails open (kimportal/cache.py): a slow or unreachable Redis must cost a
# request little, so connecting and answering have short limits, and a failed call is not retried.
_CACHE_OPTIONS = (
    {
        "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
        "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
    }
    if REDIS_URL
    else {}
)
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": REDIS_URL or "kimportal",
        "OPTIONS": _CACHE_OPTIONS,
        # The schema is part of every key, so one community's entry never serves another host.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Host-to-community answers: global by nature, read before any schema is chosen.
    "hosts": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": REDIS_URL or "kimportal-hosts",
        "OPTIONS": _CACHE_OPTIONS,
        "KEY_PREFIX": "hosts",
    },
    # Anonymous readers' pages and their hosts' versions (feed/cache.py), keyed by host name.
    "pages": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": REDIS_URL or "kimportal-pages",
        "OPTIONS": _CACHE_OPTIONS or {"MAX_ENTRIES": 2000},
        "KEY_PREFIX": "pages",
    },
}
# Whether every worker shares the cache (Redis): decides where cached pages read their version.
SHARED_CACHE = bool(REDIS_URL)
# How long a worker may keep a host-to-community answer; a change drops it at once in a shared
# cache (Redis), and within this time in other workers' local-memory caches.
TENANT_CACHE_SECONDS = env.int("TENANT_CACHE_SECONDS", default=300)

# --- accounts, sessions and cookies across subdomains ----------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Sessions live in PostgreSQL, never only in Redis: losing the cache must not sign anyone out or stop
# a sign-in. (CSRF tokens live in a cookie.)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Argon2id for new and changed passwords; a PBKDF2 hash from before is re-hashed at its next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Sign-in limits, counted in the database (accounts/throttle.py): (failures, seconds, counted per).
# One client may fail 5 times at one account per 15 minutes, 30 times at any accounts; every
# client together may fail 10 times a minute at one account, so many addresses guess slowly and
# the owner is kept out for a minute at most. A client is an IPv4 address or an IPv6 /64.
LOGIN_LIMITS = [(5, 15 * 60, "account+client"), (30, 15 * 60, "client"), (10, 60, "account")]
# Reset mails (same form as above): 3 per address and client, 5 per address and 10 per client an hour.
PASSWORD_RESET_LIMITS = [(3, 3600, "account+client"), (5, 3600, "account"), (10, 3600, "client")]
# Every reset answer takes at least this long, so a known address (a mail built and handed to SMTP)
# cannot be told from an unknown one by the time it takes.
PASSWORD_RESET_SECONDS = env.float("PASSWORD_RESET_SECONDS", default=0.4)
# Invitation mails: 30 an hour per inviting admin, 3 a day per invited address.
INVITATION_EMAIL_LIMITS = [(30, 3600, "client"), (3, 24 * 3600, "account")]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One login for every host: the cookies belong to the base domain and all its subdomains.
SESSION_COOKIE_DOMAIN = f".{BASE_DOMAIN}"
CSRF_COOKIE_DOMAIN = f".{BASE_DOMAIN}"
LANGUAGE_COOKIE_DOMAIN = f".{BASE_DOMAIN}"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_SCHEME == "https"
CSRF_TRUSTED_ORIGINS = [f"{SITE_SCHEME}://{BASE_DOMAIN}", f"{SITE_SCHEME}://*.{BASE_DOMAIN}"]
if SITE_PORT:
    CSRF_TRUSTED_ORIGINS += [f"{origin}{SITE_PORT}" for origin in CSRF_TRUSTED_ORIGINS]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SITE_SCHEME == "https" else None
# Over https: plain-http requests are sent to https (not the proxy's health check), and browsers are
# told to keep to https on every host, subdomains included: they all share the login cookie.
SECURE_SSL_REDIRECT = SITE_SCHEME == "https"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31_536_000 if SITE_SCHEME == "https" else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No script reads the CSRF cookie (forms carry the token), so it is HttpOnly like the session's.
CSRF_COOKIE_HTTPONLY = True
# Image sources beyond the portal's hosts and an absolute MEDIA_URL, e.g. an object storage's CDN.
CSP_EXTRA_IMG_SRC = env.list("CSP_EXTRA_IMG_SRC", default=[])

# --- language and time -------------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- static and media files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Each community's files sit under its own folder (media/<schema>/...).
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django_tenants.files.storage.TenantFileSystemStorage")
    },
    # Files no URL may serve (a KIM's decree): read only through permission-checked views.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")},
    },
    # Where a taken-down or rejected post's photos go (posts/photos.py): never served. On object
    # storage, point this at a private bucket or prefix.
    "withheld": {
        "BACKEND": env.str("WITHHELD_MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": env.str("WITHHELD_MEDIA_LOCATION", default=str(BASE_DIR / "media-withheld"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Upload caps, enforced as the bytes arrive (kimportal/uploads.py). The proxy's body cap (nginx
# client_max_body_size) is rendered from UPLOAD_MAX_REQUEST_BYTES too (deploy/nginx/render.py, compose.yaml).
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=20 * 1024 * 1024)  # as posts/images.py
# A whole form: 12 phone photos of 8 MB fit; a file past the per-file cap keeps the form (see above).
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=100 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "kimportal.uploads.FileSizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files up to 2.5 MB stay in memory, larger ones go to a temporary file; form fields other than
# files may take 2.5 MB (a post body is at most 100,000 characters). Django's defaults, stated.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Serve media from Django only in development; production uses object storage or the proxy.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# --- object storage (issue 19) -------------------------------------------------------------------

# MEDIA_STORAGE=kimportal.storage.TenantS3Storage keeps media on S3-compatible object storage
# (django-storages, the `s3` extra); README "Object storage" says what to set for a provider.
# The access keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None  # empty: Amazon S3
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None  # "path" for some
# Where readers fetch media: a host name (and path) of the operator's own, e.g. media.kim.id pointed
# at the bucket, so the URLs that published snapshots store survive a change of provider.
AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
AWS_S3_URL_PROTOCOL = env.str("AWS_S3_URL_PROTOCOL", default="https:")
AWS_LOCATION = env.str("AWS_LOCATION", default="")  # a folder inside the bucket
# "public-read" where the provider uses object ACLs; empty where a bucket policy makes it public.
AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default="") or None
# Public, unsigned URLs: a snapshot keeps the URL made at approval, so it must never expire.
AWS_QUERYSTRING_AUTH = False
# Every upload gets a new folder, so no name is reused and readers may cache a file for good.
AWS_S3_FILE_OVERWRITE = False
AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}

# PRIVATE_STORAGE=s3: decree files in the media bucket too (several web nodes share no disk), under
# their own prefix, private whatever the bucket's public media use: no ACL grant, no cache headers.
PRIVATE_S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "location": env.str("PRIVATE_S3_LOCATION", default="private"),
        "default_acl": "private",
        "querystring_auth": True,
        "custom_domain": None,
        "object_parameters": {"CacheControl": "private, no-store"},
        "file_overwrite": False,
    },
}
if env.str("PRIVATE_STORAGE", default="file") == "s3":
    STORAGES["private"] = PRIVATE_S3_STORAGE

# --- email -------------------------------------------------------------------------------------

# Every email is queued as a background job (kimportal/mail.py): a request never waits on SMTP.
# The worker delivers it through EMAIL_DELIVERY_BACKEND (SMTP with the settings below).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="kimportal.mail.QueuedEmailBackend")
EMAIL_DELIVERY_BACKEND = env.str(
    "EMAIL_DELIVERY_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# Seconds the worker waits on an unresponsive mail server before the job is retried later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"KIM Portal <noreply@{BASE_DOMAIN}>")

# --- background jobs (issue 19) ----------------------------------------------------------------

# Jobs are rows in PostgreSQL (django-tasks' database backend, the API that becomes django.tasks in
# Django 6); `manage.py jobs_worker` runs them, and the schedules below (kimportal/jobs.py).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A failed job is tried again after JOBS_RETRY_SECONDS, then twice that, ... up to JOBS_MAX_ATTEMPTS
# attempts in all; after that it shows as failed in the Django admin, where a superuser can retry it.
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=6)
JOBS_RETRY_SECONDS = env.int("JOBS_RETRY_SECONDS", default=30)
JOBS_RETRY_MAX_SECONDS = env.int("JOBS_RETRY_MAX_SECONDS", default=3600)
# A job still running after this long lost its worker (killed mid-job) and is queued again.
JOBS_STALLED_MINUTES = env.int("JOBS_STALLED_MINUTES", default=60)
# Recurring jobs, kept here rather than in the operator's cron: each runs once per day at a local
# (TIME_ZONE) time, or every so many minutes; a worker that was down runs a missed one once on start.
JOB_SCHEDULES: dict[str, dict[str, str | int]] = {
    # The editors' digest of submissions waiting too long, at the start of their working day.
    "moderation-overdue-reminders": {"task": "moderation.tasks.overdue_reminders_send", "daily_at": "08:00"},
    # Photos chosen in forms that were abandoned, at night.
    "photos-abandoned-cleanup": {"task": "posts.tasks.abandoned_photos_delete", "daily_at": "03:00"},
    # Decree files of registration forms that were never sent.
    "decrees-abandoned-cleanup": {"task": "communities.tasks.abandoned_decrees_delete", "daily_at": "03:30"},
    # Every email is a job row: those done more than two weeks ago go (failed ones stay).
    "jobs-prune": {"task": "kimportal.jobs.finished_jobs_prune", "daily_at": "04:00"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kimportal.logs.JsonFormatter"}},
    "filters": {"short_warning": {"()": "kimportal.logs.ShortWarning"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One JSON line per request (kimportal/observability.py).
        "kimportal.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
        # A request with a Host that is not ours: one short warning, not an ERROR with a traceback.
        "django.security.DisallowedHost": {"filters": ["short_warning"]},
    },
}

# --- observability (issue 19) -------------------------------------------------------------------

# Prometheus metrics (kimportal/metrics.py), answered only to these networks (after TRUSTED_PROXIES).
METRICS_PATH = "/metrics"
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])

# The province whose feed the main domain's home page shows (Kemendagri code).
HOME_PROVINCE_CODE = env.str("HOME_PROVINCE_CODE", default="33")
LOGIN_URL = f"{SITE_SCHEME}://{BASE_DOMAIN}{SITE_PORT}/akun/masuk/"

# --- moderation ----------------------------------------------------------------------------------

# A submission waiting longer than this is highlighted and goes into the reminder digest.
MODERATION_OVERDUE_HOURS = env.int("MODERATION_OVERDUE_HOURS", default=48)
# Distinct reader reports after which a published post is hidden until an editor looks at it.
REPORT_HIDE_THRESHOLD = env.int("REPORT_HIDE_THRESHOLD", default=3)
# Reports one client may send per hour.
REPORT_RATE_PER_HOUR = env.int("REPORT_RATE_PER_HOUR", default=5)
# Addresses or networks of the deploy's reverse proxies, which append the reader's address to
# X-Forwarded-For (kimportal/clients.py). Empty: readers connect directly and the header is ignored.
# Behind a proxy that is not listed, every reader shares one report allowance.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Whole-page cache for anonymous readers (feed/cache.py); off for benchmarks of the cold path.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# Set search_path once per connection switch, not before every query (django-tenants).
TENANT_LIMIT_SET_CALLS = True
