"""What the translation tests share: the strings the source marks for translation, collected as
`make messages` collects them but from a copy of the source, so no test ever rewrites locale/
(makemessages writes into the `locale` folder it finds); and a text as a language's compiled
catalogue says it."""

import contextlib
import re
import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.helpers import present

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the django domain


def messages_ignored() -> set[str]:
    """The folders `make messages` leaves out: the Makefile's MESSAGES_IGNORE."""
    makefile = (ROOT / "Makefile").read_text()
    return set(present(re.search(r"^MESSAGES_IGNORE := (.+)$", makefile, re.M))[1].split())


def _collected(path: Path) -> bool:
    """Whether makemessages, run as `make messages` runs it, reads this file."""
    skipped = messages_ignored() | {"locale", "staticfiles"}  # staticfiles: STATIC_ROOT
    parts = path.relative_to(ROOT).parts
    hidden_or_skipped = any(part.startswith(".") or part in skipped for part in parts)
    return path.suffix in SOURCE_SUFFIXES and not hidden_or_skipped and path.is_file()


def source_catalogue(workdir: Path) -> Catalog:
    """Every string the source marks for translation, as `make messages` would add it to a
    catalogue (the msgids, no translations)."""
    copy = workdir / "source"
    for top in ROOT.iterdir():
        if top.name.startswith(".") or top.name in messages_ignored():
            continue  # never walk .venv or node_modules
        for path in [top] if top.is_file() else top.rglob("*"):
            if _collected(path):
                target = copy / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
        call_command("makemessages", locale=["en"], verbosity=0)
    with (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as collected:
        return read_po(collected)


def catalogue(language: str) -> Catalog:
    """The language's catalogue as the translators left it in locale/."""
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, abort_invalid=True)


def translated(language: str, text: str, context: str | None = None) -> str:
    """``text`` as the language's compiled catalogue says it. Fails, naming it, when the
    catalogue has no translation for it yet, so a test reading translated text can never pass
    on the English."""
    with translation.override(language):
        said = translation.pgettext(context, text) if context else translation.gettext(text)
    assert said != text, f"locale/{language} has no translation of {text!r} yet"
    return said


def translated_plural(language: str, singular: str, plural: str, count: int) -> str:
    """The form of a plural text the language's catalogue gives for ``count``; fails when it
    has no translation yet."""
    with translation.override(language):
        said = translation.ngettext(singular, plural, count)
    assert said not in (singular, plural), f"locale/{language} has no translation of {singular!r}"
    return said


def filled(template: str) -> re.Pattern[str]:
    """A text with %(name)s placeholders, as a pattern that any filling of them matches."""
    parts = re.split(r"%\(\w+\)[sd]", template)
    return re.compile("(.+?)".join(re.escape(part) for part in parts))
