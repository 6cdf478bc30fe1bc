"""Spanish, French and German are complete and current: each catalogue has every string the
source marks for translation, each translated in every plural form, none fuzzy, with the
placeholders of the English; msgfmt accepts it; and what every build compiles reads as
msgfmt's compilation would. Each failure names the strings."""

import gettext
import io
import re
import shutil
import subprocess
from collections.abc import Iterable

import pytest
from babel.messages.catalog import Catalog, Message
from django.conf import settings

from sessions_app.management.commands.compile_translations import mo_bytes
from tests.catalogues import LOCALE, catalogue, source_catalogue
from tests.helpers import present

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
MSGFMT = shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(
    MSGFMT is None or shutil.which("xgettext") is None, reason="needs GNU gettext (apt gettext)"
)

# A printf placeholder as Python's % reads it: %s, %d, %(name)s, %.2f; "%%" is a percent sign.
PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # the name
    r"[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"\{[^{}]*\}")  # {name}, {0}, {}, once {{ and }} are taken out


def _path(language: str) -> str:
    return f"locale/{language}/LC_MESSAGES/django.po"


def _name(message: Message) -> str:
    singular = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{singular!r}" + (f" (context {message.context!r})" if message.context else "")


def _fail_naming(problems: list[str], what: str, language: str) -> None:
    if problems:
        listed = "\n  ".join(problems)
        pytest.fail(f"{_path(language)}, {what} ({len(problems)}):\n  {listed}", pytrace=False)


def _forms(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, tuple | list) else (str(string),)


def _messages(catalog: Catalog) -> Iterable[Message]:
    return (message for message in catalog if message.id)  # not the header


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Catalog:
    return source_catalogue(tmp_path_factory.mktemp("messages"))


# --- (a) current ----------------------------------------------------------------------------


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_every_string_the_source_marks(language, source):
    kept = {(message.context, message.id) for message in _messages(catalogue(language))}
    missing = [
        _name(message) for message in _messages(source) if (message.context, message.id) not in kept
    ]
    _fail_naming(
        missing,
        "missing strings the source marks (run `make messages`, then translate them)",
        language,
    )


# --- (b) complete ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    catalog = catalogue(language)
    problems = ['the header (msgid "") is marked fuzzy'] if catalog.fuzzy else []
    for message in _messages(catalog):
        if message.fuzzy:
            problems.append(f"fuzzy: {_name(message)}")
        elif not all(_forms(message)):
            problems.append(f"not translated: {_name(message)}")
    _fail_naming(problems, "strings that would show in English", language)


# --- (c) well formed ------------------------------------------------------------------------


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language, tmp_path):
    checked = subprocess.run(
        [
            present(MSGFMT),
            "--check",
            "-o",
            str(tmp_path / "django.mo"),
            str(LOCALE.parent / _path(language)),
        ],
        capture_output=True,
        text=True,
    )
    if checked.returncode != 0:
        pytest.fail(f"msgfmt --check refuses {_path(language)}:\n{checked.stderr}", pytrace=False)


# --- (d) placeholders -----------------------------------------------------------------------


def _placeholders(text: str, flags: set[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The named placeholders (any order, any number of times) and the positional ones (in
    order) that Python fills in this text; only in texts that the code formats, which
    xgettext flags python-format or python-brace-format."""
    named: set[str] = set()
    positional: list[str] = []
    if "python-format" in flags:
        for match in PYTHON_FORMAT.finditer(text):
            if match["type"] == "%":
                continue
            (named.add if match["name"] is not None else positional.append)(match[0])
    if "python-brace-format" in flags:
        for match in BRACE_FORMAT.finditer(text.replace("{{", "").replace("}}", "")):
            (named.add if match[0] != "{}" else positional.append)(match[0])
    return frozenset(named), tuple(positional)


def _placeholder_problems(message: Message) -> list[str]:
    """A placeholder of the English missing from a translation (the page loses a figure), or
    one the English does not have (formatting it fails)."""
    flags = set(message.flags)
    english = tuple(message.id) if isinstance(message.id, tuple | list) else (str(message.id),)
    offered = set().union(*(_placeholders(text, flags)[0] for text in english))
    problems = []
    for form, text in enumerate(_forms(message)):
        if not text:
            continue  # not translated: the test above says so
        counterpart = english[min(form, len(english) - 1)]  # form 0: the singular
        want_named, want_positional = _placeholders(counterpart, flags)
        named, positional = _placeholders(text, flags)
        label = f"{_name(message)}" + (f" form {form}" if len(english) > 1 else "")
        if want_named - named:
            problems.append(f"{label} lacks {', '.join(sorted(want_named - named))}")
        if named - offered:
            problems.append(f"{label} has {', '.join(sorted(named - offered))}, not in the English")
        if positional != want_positional:
            problems.append(f"{label} has {positional or 'none'}, the English {want_positional}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_the_english(language):
    problems = [
        problem
        for message in _messages(catalogue(language))
        if not message.fuzzy
        for problem in _placeholder_problems(message)
    ]
    _fail_naming(problems, "placeholders unlike the English's", language)


def test_a_lost_or_invented_placeholder_is_named():
    message = Message(
        ("%(count)s shift at %(outlet)s", "%(count)s shifts at %(outlet)s"),
        ("%(count)s poste à %(outlet)s", "%(count)s postes", "%(count)s postes à %(till)s"),
        flags=["python-format"],
    )
    assert _placeholder_problems(message) == [
        "'%(count)s shift at %(outlet)s' form 1 lacks %(outlet)s",
        "'%(count)s shift at %(outlet)s' form 2 lacks %(outlet)s",
        "'%(count)s shift at %(outlet)s' form 2 has %(till)s, not in the English",
    ]
    percent = Message("%(rate)s%% of shifts", "%(rate)s % des postes", flags=["python-format"])
    assert _placeholder_problems(percent) == ["'%(rate)s%% of shifts' has ('% d',), the English ()"]


# --- (e) what the build compiles ------------------------------------------------------------

PLURAL_SAMPLES = [0, 1, 2, 3, 5, 11, 21, 101, 1_000_000, 1_000_001, 2_000_000]


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_build_compiles_what_msgfmt_would(language, tmp_path):
    """Every message reads the same from both, but one with an empty plural form: msgfmt
    would show a blank, the build leaves it out (English, like any untranslated text)."""
    po = LOCALE.parent / _path(language)
    subprocess.run([present(MSGFMT), "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    gnu = gettext.GNUTranslations((tmp_path / "gnu.mo").open("rb"))
    ours = gettext.GNUTranslations(io.BytesIO(mo_bytes(po)))
    plurals = [ours.plural(n) for n in PLURAL_SAMPLES]  # type: ignore[attr-defined]
    assert plurals == [gnu.plural(n) for n in PLURAL_SAMPLES]  # type: ignore[attr-defined]
    differing = []
    for message in _messages(catalogue(language)):
        if any(_forms(message)) and not all(_forms(message)):
            continue
        context = message.context
        if isinstance(message.id, tuple):
            singular, plural = message.id
            said = [
                (
                    translations.npgettext(context, singular, plural, n)
                    if context
                    else translations.ngettext(singular, plural, n)
                )
                for translations in (ours, gnu)
                for n in PLURAL_SAMPLES
            ]
            same = said[: len(PLURAL_SAMPLES)] == said[len(PLURAL_SAMPLES) :]
        else:
            ours_said, gnu_said = (
                translations.pgettext(context, str(message.id))
                if context
                else translations.gettext(str(message.id))
                for translations in (ours, gnu)
            )
            same = ours_said == gnu_said
        if not same:
            differing.append(_name(message))
    _fail_naming(differing, "strings compile differently", language)
