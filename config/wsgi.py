import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Every web worker classifies incoming messages: load the triage model as the worker starts, not inside
# its first request (where it would hold a database transaction open for seconds).
from guanjia.triage.model import default_model  # noqa: E402

default_model()
