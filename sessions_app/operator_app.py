"""Django's admin app with the operator's view as its site (sessions_app/operator_site.py):
listed in INSTALLED_APPS instead of django.contrib.admin. Imports no model, as an app config
module must not."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "sessions_app.operator_site.OperatorSite"
