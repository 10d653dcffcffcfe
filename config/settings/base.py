"""Settings shared by every environment; each value that varies comes from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_fraction, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("GUANJIA_DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_secret("GUANJIA_SECRET_KEY", insecure_default="insecure-dev-key-change-me")
# Encrypts ID numbers at rest. Separate from SECRET_KEY so rotating sessions never loses data.
FIELD_ENCRYPTION_KEY = env_secret("GUANJIA_FIELD_KEY", insecure_default="insecure-dev-field-key")
DEBUG = env_bool("GUANJIA_DEBUG", False)
ALLOWED_HOSTS = env_list("GUANJIA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "guanjia.audit",
    "guanjia.estates",
    "guanjia.people",
    "guanjia.org",
    "guanjia.notify",
    "guanjia.tickets",
    "guanjia.triage",
    "guanjia.intake",
    "guanjia.intake.wechat",
    "guanjia.intake.email",
    "guanjia.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guanjia.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guanjia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]


def _database() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=env_int("GUANJIA_DB_CONN_MAX_AGE", 60))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("GUANJIA_SQLITE_PATH", str(DATA_DIR / "guanjia.sqlite3")),
        "OPTIONS": {
            # Several workers share one file: WAL lets readers run beside the writer, IMMEDIATE
            # takes the write lock at BEGIN so two writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one account lock it for 15 minutes, whichever address they come from.
AXES_FAILURE_LIMIT = env_int("GUANJIA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GUANJIA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# A service centre's desks share one office address: locking by IP would lock out the whole centre.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "guanjia" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "guanjia.web.paging.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guanjia API",
    "DESCRIPTION": "管家 — property-management customer service",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page works offline: Swagger UI is served from the sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
GUANJIA_MAX_UPLOAD_BYTES = env_int("GUANJIA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
GUANJIA_CLOCK_SWEEP_SECONDS = env_int("GUANJIA_CLOCK_SWEEP_SECONDS", 30)
GUANJIA_MAIL_POLL_SECONDS = env_int("GUANJIA_MAIL_POLL_SECONDS", 60)

# Outbox delivery (guanjia/notify). An empty SMS gateway URL or WeChat template id switches that channel
# off: its messages wait in the outbox with a reason instead of failing.
GUANJIA_SMS_GATEWAY_URL = env_str("GUANJIA_SMS_GATEWAY_URL", "")
GUANJIA_SMS_GATEWAY_KEY = env_str("GUANJIA_SMS_GATEWAY_KEY", "")
GUANJIA_WECHAT_API_BASE = env_str("GUANJIA_WECHAT_API_BASE", "https://api.weixin.qq.com/")
GUANJIA_WECHAT_TEMPLATE_ID = env_str("GUANJIA_WECHAT_TEMPLATE_ID", "")
GUANJIA_NOTIFY_TIMEOUT_SECONDS = env_int("GUANJIA_NOTIFY_TIMEOUT_SECONDS", 10)
# Triage: below this category confidence a clerk checks the labels before a ticket is routed (triage/README.md,
# "Routed without a clerk": 0.55 routes 94 % of messages, 0.65 routes 87 % more accurately).
GUANJIA_TRIAGE_REVIEW_THRESHOLD = env_fraction("GUANJIA_TRIAGE_REVIEW_THRESHOLD", 0.55)

# Outgoing mail (notices by email). Mail to and from owners' mailboxes is configured per estate (intake.email).
EMAIL_HOST = env_str("GUANJIA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GUANJIA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("GUANJIA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("GUANJIA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GUANJIA_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("GUANJIA_EMAIL_FROM", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GUANJIA_LOG_LEVEL", "INFO")},
}
LOGGING["loggers"] = {"axes": {"level": env_str("GUANJIA_AXES_LOG_LEVEL", "WARNING")}}
