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
    "zhaoshang.core",
    "zhaoshang.org",
    "zhaoshang.enterprises",
    "zhaoshang.evaluation",
    "zhaoshang.projects",
    "zhaoshang.promotion",
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhaoshang.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock a user name at one address for 15 minutes after 5 failed log-ins (等保 身份鉴别 b).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind nginx (or any proxy) set ZHAOSHANG_PROXY_COUNT=1: the audit log and the lockout then see the
# client's address instead of the proxy's, and a client cannot choose its own by sending the header.
ZHAOSHANG_PROXY_COUNT = env.int("ZHAOSHANG_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.context.request_client_ip"

# Idle timeout: every request renews a 30-minute session.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

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
WHITENOISE_USE_FINDERS = not PRODUCTION

# Where notifications go besides the in-app inbox; add an SMS or 钉钉/企业微信 sender here.
ZHAOSHANG_NOTIFICATION_SENDERS = env.list(
    "ZHAOSHANG_NOTIFICATION_SENDERS", default=["zhaoshang.core.notifications.LoggingSender"]
)
# A running job whose worker has not beaten its heart for this long is taken over by another worker.
ZHAOSHANG_JOB_STALE_AFTER = timedelta(seconds=env.int("ZHAOSHANG_JOB_STALE_SECONDS", default=120))

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
