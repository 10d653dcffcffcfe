from config.env import env_secret
from config.settings.base import *  # noqa: F403

# No defaults here: production refuses to start without its own secrets.
SECRET_KEY = env_secret("GUANJIA_SECRET_KEY")
FIELD_ENCRYPTION_KEY = env_secret("GUANJIA_FIELD_KEY")
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
