"""What a web worker would otherwise do on its first request, done as it starts: a worker that
has just booted (a deploy, a restart) then answers its first request as fast as the next."""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view and all it uses
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Shift")  # reads the language's catalogue
    get_template("base.html")
