"""Django settings. Everything configurable comes from AIRCOP_* environment variables
(see aircop.core.config and the README); nothing here needs editing per machine."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from aircop.core import config as _config
from aircop.core.logs import logging_config

CONFIG = _config.load()

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = CONFIG.var

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "channels",
    "ninja",
    "csp",
    "aircop.core",
    "aircop.audit",
    "aircop.network",
    "aircop.accounts",
    "aircop.messaging",
    "aircop.seizures",
    "aircop.passengers",
    "aircop.screening",
    "aircop.operations",
    "aircop.capacity",
    "aircop.analytics",
    "aircop.web",
]

MIDDLEWARE = [
    "aircop.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aircop.core.middleware.RequestContextMiddleware",
    "aircop.core.middleware.IdleAwareSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aircop.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "aircop.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "aircop.urls"
ASGI_APPLICATION = "aircop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aircop.messaging.context_processors.unread_alerts",
                "aircop.screening.context_processors.open_hits",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if CONFIG.redis_url:
    # Pub/sub layer: measured ~1.7x cheaper per delivery than the list-based layer (ARCHITECTURE.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub ignores the Redis database number: a prefix per database keeps two
            # installations (or test runs) on one Redis from hearing each other.
            "CONFIG": {"hosts": [CONFIG.redis_url], "prefix": CONFIG.channel_prefix},
        }
    }
else:
    # One process only. A generous capacity: a consumer busy catching up must not drop pushes.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 5000}}
    }

# The cache holds the rate-limit counters (accounts/ratelimit.py). With Redis they are shared
# by every worker process; embedded, one process counts in its own memory.
if CONFIG.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
            # Same per-database prefix as the channel layer: two installations on one Redis
            # never share counters.
            "KEY_PREFIX": CONFIG.channel_prefix,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "aircop"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["aircop.accounts.backends.LockoutAwareBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AIRCOP_MAX_FAILED_LOGINS = 5
AIRCOP_DEMO_PASSWORD = CONFIG.demo_password
AIRCOP_FLASH_ACK_MINUTES = CONFIG.flash_ack_minutes
AIRCOP_WS_HEARTBEAT_SECONDS = CONFIG.ws_heartbeat_seconds
AIRCOP_FLASH_CHECK_SECONDS = CONFIG.flash_check_seconds
AIRCOP_WS_RECONCILE_SECONDS = CONFIG.ws_reconcile_seconds
AIRCOP_PASSENGER_MASK_DAYS = CONFIG.passenger_mask_days
AIRCOP_PASSENGER_DELETE_DAYS = CONFIG.passenger_delete_days
AIRCOP_RETENTION_CHECK_SECONDS = CONFIG.retention_check_seconds
OTP_TOTP_ISSUER = "AIRCOP"
# Rate limits (docs/security.md): "off" only for benchmarks.
AIRCOP_RATE_LIMITS = CONFIG.rate_limits
AIRCOP_RATE_LOGIN = CONFIG.rate_login  # sign-in attempts per username (password and code steps)
AIRCOP_RATE_LOGIN_IP = CONFIG.rate_login_ip  # sign-in attempts per client IP
AIRCOP_RATE_API = CONFIG.rate_api  # API requests per token, or per signed-in user (session)
AIRCOP_RATE_ANON = CONFIG.rate_anon  # API requests per client IP without valid credentials

# Sessions: expire after AIRCOP_SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = CONFIG.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG.secure_cookies
SESSION_COOKIE_NAME = "aircop_session"
CSRF_COOKIE_SECURE = CONFIG.secure_cookies
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "aircop_csrf"
LANGUAGE_COOKIE_NAME = "aircop_language"
LANGUAGE_COOKIE_SECURE = CONFIG.secure_cookies
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000 if CONFIG.secure_cookies else 0
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Internationalisation: five languages, Arabic right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "web" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "files"  # outside the web root, served only through views
AIRCOP_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = logging_config(CONFIG.log_format)  # AIRCOP_LOG_FORMAT=json: one JSON object per line
