"""Compiles the translation catalogues (<language>/LC_MESSAGES/*.po under LOCALE_PATHS) into
the .mo files Django reads. In Python, through Babel (a dependency already), so no build needs
GNU gettext: the Docker image's slim Python and the platforms' Python builds have no msgfmt."""

from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def catalogue_paths() -> list[Path]:
    return sorted(
        path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po")
    )


def _usable(message: Message) -> bool:
    """A translation to ship: not fuzzy, and every form written. (Babel would fill an empty
    plural form with the English and msgfmt would keep it empty, a blank on the page; left out,
    the whole message reads in English, like any other not yet translated.)"""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(forms)


def mo_bytes(catalogue: Path) -> bytes:
    """The compiled catalogue; PoFileError if the .po does not parse. (Babel's reader is more
    lenient than msgfmt's: the tests run msgfmt --check on every catalogue.)"""
    with catalogue.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    for message in list(catalog):
        if message.id and not _usable(message):
            catalog.delete(message.id, context=message.context)
    output = BytesIO()
    write_mo(output, catalog)
    return output.getvalue()


class Command(BaseCommand):
    help = (
        "Compiles the translations (.po) into the .mo files Django reads, without GNU gettext. "
        "Every build runs it; the .mo files are never committed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "catalogues",
            nargs="*",
            type=Path,
            help="the .po files to compile (default: every one under LOCALE_PATHS)",
        )

    def handle(self, *args: Any, catalogues: list[Path], **options: Any) -> None:
        paths = catalogues or catalogue_paths()
        for catalogue in paths:
            try:
                compiled = mo_bytes(catalogue)
            except (OSError, PoFileError) as error:
                raise CommandError(f"{catalogue}: {error}") from error
            # Written whole, then moved into place: a running server never reads half a file.
            partial = catalogue.with_name(f"{catalogue.stem}.partial.mo")
            partial.write_bytes(compiled)
            partial.replace(catalogue.with_suffix(".mo"))
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {len(paths)} translation catalogue(s).")
