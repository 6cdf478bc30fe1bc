"""WSGI entry point for gunicorn (see the Procfile)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finalpos_dashboard.settings")

application = get_wsgi_application()

from finalpos_dashboard.warmup import warm_up  # noqa: E402 - needs the settings loaded above

warm_up()
