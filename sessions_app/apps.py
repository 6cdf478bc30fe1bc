from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Till sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # runserver's autoreloader imports the URLconf in one thread while the system checks
        # load the template tags in another; both reach the Final POS client, and two threads
        # importing one chain of modules can meet a half-imported module. Importing the chain
        # here, before any thread starts, leaves nothing to import twice.
        import sessions_app.checks
        import sessions_app.languages
        import sessions_app.templatetags.tills  # noqa: F401
