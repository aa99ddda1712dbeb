"""Settings, all from environment variables with safe local defaults.

`ZHAOSHANG_ENV=production` switches on everything `check --deploy` asks for and refuses to
start without a real SECRET_KEY and ALLOWED_HOSTS; the local default needs nothing set.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("ZHAOSHANG_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
PRODUCTION = env.str("ZHAOSHANG_ENV", default="local") == "production" or env.bool(
    "ZHAOSHANG_PRODUCTION", default=False
)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# Demo mode prints demo log-ins and allows loading the demo county; never on in production.
DEMO = env.bool("ZHAOSHANG_DEMO", default=not PRODUCTION) and not PRODUCTION


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (at least 50 random characters).")
    # A per-checkout key kept out of the repository, so no two machines share a key.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production, e.g. zhaoshang.example.gov.cn")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    # Two-factor authentication (等保 身份鉴别 d): TOTP apps and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zhaoshang.core",
    "zhaoshang.org",
    "zhaoshang.enterprises",
    "zhaoshang.evaluation",
    "zhaoshang.projects",
    "zhaoshang.promotion",
    "zhaoshang.chains",
    "zhaoshang.outreach",
    "zhaoshang.dashboard",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 等保 headers: CSP (django-csp), Permissions-Policy and no-store on signed-in pages and downloads.
    "csp.middleware.CSPMiddleware",
    "zhaoshang.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhaoshang.org.middleware.PrincipalMiddleware",
    "zhaoshang.core.middleware.RequestContextMiddleware",
    # 等保: refusals and out-of-scope answers audited (capped per user), probing alerted.
    "zhaoshang.core.middleware.RefusalAuditMiddleware",
    "zhaoshang.core.middleware.LoginRequiredMiddleware",
    # Session lifetime, two-factor step, forced password change (等保 身份鉴别 a, b, d).
    "zhaoshang.org.security.AccountSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
    "zhaoshang.core.middleware.OwnErrorPagesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.context_processors.layout",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, which serialises writers: the audit
    # chain relies on that to give every event the right predecessor.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# --- Authentication, passwords and sessions (等保 三级 身份鉴别) -------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhaoshang.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhaoshang.core.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhaoshang.org.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling (等保 身份鉴别 b). Three limits, each counted over the last 15 minutes of failures:
# - one account at one address: 5 failures (a person mistyping);
# - one account from any address: 10 (guessing one account from many addresses, e.g. 20 addresses x 4);
# - one address for any account: 15 (password spraying). A county office reaches us from one NAT
#   address, so this limit is the highest: a successful log-in clears that account's failures, so
#   only failures nobody followed with a correct password add up, and 15 such in 15 minutes from
#   one office is an attack, not typing. The administrator lifts a lock on the 登录锁定 page.
AXES_HANDLER = "zhaoshang.org.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
ZHAOSHANG_LOCKOUT_LIMITS = {"username+ip_address": 5, "username": 10, "ip_address": 15}
AXES_FAILURE_LIMIT = 5  # the scale the handler maps each limit onto; see org/lockout.py
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind nginx (or any proxy) set ZHAOSHANG_PROXY_COUNT=1: the audit log and the lockout then see the
# client's address instead of the proxy's, and a client cannot choose its own by sending the header.
ZHAOSHANG_PROXY_COUNT = env.int("ZHAOSHANG_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.context.request_client_ip"

# Password expiry in days (0: never). 等保 asks for periodic change; production defaults to 90.
ZHAOSHANG_PASSWORD_MAX_AGE_DAYS = env.int("ZHAOSHANG_PASSWORD_MAX_AGE_DAYS", default=90 if PRODUCTION else 0)
# Roles that must use two-factor authentication; locally and in the demo nobody has to.
ZHAOSHANG_2FA_REQUIRED_ROLES = env.list(
    "ZHAOSHANG_2FA_REQUIRED_ROLES", default=["coordinator", "inspector", "admin"] if PRODUCTION else []
)
OTP_TOTP_ISSUER = "招商平台"

# Idle timeout 30 minutes: the session records when it was last seen and is saved at most once a
# minute (not on every request), which moves its expiry on; the middleware ends it after 30 idle
# minutes. Besides, every session ends 12 hours after its log-in, and a user keeps at most 3.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
ZHAOSHANG_SESSION_TOUCH_SECONDS = 60
ZHAOSHANG_SESSION_ABSOLUTE_SECONDS = env.int("ZHAOSHANG_SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
ZHAOSHANG_MAX_SESSIONS = env.int("ZHAOSHANG_MAX_SESSIONS", default=3)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# --- end of authentication block ------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
# Simplified Chinese only: the interface is written in Chinese; Django's own catalog translates its
# messages (form errors, password rules).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Smaller than Django's defaults: no form here needs more (ASVS 5.1.1).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # 403 and 404 are answered with a page and recorded in the audit log; only errors need a traceback.
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
# Pagination with the offset bounded too (an offset of 10^20 answered 500; see core/api/pagination.py).
NINJA_PAGINATION_CLASS = "zhaoshang.core.api.pagination.BoundedLimitOffset"
WHITENOISE_USE_FINDERS = not PRODUCTION

# Where notifications go besides the in-app inbox; add an SMS or 钉钉/企业微信 sender here.
ZHAOSHANG_NOTIFICATION_SENDERS = env.list(
    "ZHAOSHANG_NOTIFICATION_SENDERS", default=["zhaoshang.core.notifications.LoggingSender"]
)
# A running job whose worker has not beaten its heart for this long is taken over by another worker.
ZHAOSHANG_JOB_STALE_AFTER = timedelta(seconds=env.int("ZHAOSHANG_JOB_STALE_SECONDS", default=120))
# The hour (Asia/Shanghai) from which the worker queues each day's daily jobs (the alert digest).
ZHAOSHANG_DAILY_JOBS_HOUR = env.int("ZHAOSHANG_DAILY_JOBS_HOUR", default=7)

# --- Uploaded spreadsheets: limits that keep a crafted file from taking the server down -----------
# Checked before any reader touches the file (core/sheets/preflight.py), then parsed in a child
# process with its own memory and CPU limits (core/sheets/sandbox.py). The county's largest real
# list (250,000 rows × 14 columns, about 20 MB unpacked) is far inside every one of them.
ZHAOSHANG_UPLOAD_MAX_MB = env.int("ZHAOSHANG_UPLOAD_MAX_MB", default=20)  # the file as uploaded
ZHAOSHANG_UPLOAD_UNPACKED_MAX_MB = env.int("ZHAOSHANG_UPLOAD_UNPACKED_MAX_MB", default=512)  # all parts
ZHAOSHANG_UPLOAD_MEMBER_MAX_MB = env.int("ZHAOSHANG_UPLOAD_MEMBER_MAX_MB", default=256)  # one part
ZHAOSHANG_UPLOAD_SHARED_STRINGS_MAX_MB = env.int("ZHAOSHANG_UPLOAD_SHARED_STRINGS_MAX_MB", default=128)
ZHAOSHANG_UPLOAD_MAX_RATIO = env.int("ZHAOSHANG_UPLOAD_MAX_RATIO", default=100)  # unpacked ÷ packed
ZHAOSHANG_UPLOAD_MAX_MEMBERS = env.int("ZHAOSHANG_UPLOAD_MAX_MEMBERS", default=1000)
# A sheet's extent: its largest row and column address, and rows × columns.
ZHAOSHANG_UPLOAD_MAX_ROWS = env.int("ZHAOSHANG_UPLOAD_MAX_ROWS", default=300_000)
ZHAOSHANG_UPLOAD_MAX_COLUMNS = env.int("ZHAOSHANG_UPLOAD_MAX_COLUMNS", default=200)
ZHAOSHANG_UPLOAD_MAX_CELLS = env.int("ZHAOSHANG_UPLOAD_MAX_CELLS", default=10_000_000)
# The parsing child: address space, CPU seconds, and the wall-clock wait before it is killed.
ZHAOSHANG_UPLOAD_CHILD_MEMORY_MB = env.int("ZHAOSHANG_UPLOAD_CHILD_MEMORY_MB", default=2048)
ZHAOSHANG_UPLOAD_CHILD_CPU_SECONDS = env.int("ZHAOSHANG_UPLOAD_CHILD_CPU_SECONDS", default=60)
ZHAOSHANG_UPLOAD_CHILD_WALL_SECONDS = env.int("ZHAOSHANG_UPLOAD_CHILD_WALL_SECONDS", default=120)

# --- Security headers (等保: 安全通信) ------------------------------------------------------------
# No inline script anywhere (templates load static files; JSON islands are type="application/json").
# Styles: <style> elements only from our files, but style attributes are allowed ('unsafe-inline' in
# style-src-attr only): ECharts writes its tooltips through innerHTML with style="" markers, which the
# CSSOM exemption does not cover, and the job progress bar sets its width so. Templates otherwise use
# classes (core/zhaoshang.css). A style attribute cannot run code; scripts stay 'self' only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ZHAOSHANG_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), interest-cohort=()"
)

# --- Audit chain seal (等保: 审计记录防篡改) -------------------------------------------------------
# The HMAC key sealing every audit event is kept outside the database: ZHAOSHANG_AUDIT_KEY, or a
# per-checkout file beside secret_key. The daily anchors (`zhaoshang audit_anchor`) go to a second
# place: in production point ZHAOSHANG_AUDIT_ANCHOR_DIR at another disk or a mounted share.


def _audit_key() -> str:
    key = env.str("ZHAOSHANG_AUDIT_KEY", default="")
    if key:
        return key
    path = VAR_DIR / "audit_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


ZHAOSHANG_AUDIT_KEY = _audit_key()
ZHAOSHANG_AUDIT_ANCHOR_DIR = Path(
    env.str("ZHAOSHANG_AUDIT_ANCHOR_DIR", default=str(VAR_DIR / "audit-anchors"))
)
# Refusals (403, and 404 for a record outside one's scope) are audited up to this many per user per
# window; past it one summary event, and at the alert count the security administrators are told.
ZHAOSHANG_REFUSAL_WINDOW_MINUTES = env.int("ZHAOSHANG_REFUSAL_WINDOW_MINUTES", default=10)
ZHAOSHANG_REFUSAL_AUDIT_LIMIT = env.int("ZHAOSHANG_REFUSAL_AUDIT_LIMIT", default=10)
ZHAOSHANG_REFUSAL_ALERT_AT = env.int("ZHAOSHANG_REFUSAL_ALERT_AT", default=20)
