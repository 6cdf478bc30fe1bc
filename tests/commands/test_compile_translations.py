"""manage.py compile_translations: every .po under LOCALE_PATHS (or those named) compiled
beside it into the .mo Django reads, without GNU gettext; a broken catalogue fails the build."""

import gettext

import pytest
from django.core.management import CommandError, call_command

CATALOGUE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"

msgid "Tills"
msgstr "Caisses"

#, python-format
msgid "%(count)s shift"
msgid_plural "%(count)s shifts"
msgstr[0] "%(count)s poste"
msgstr[1] "%(count)s de postes"
msgstr[2] "%(count)s postes"

#, fuzzy
msgid "History"
msgstr "Histoire"

#, python-format
msgid "%(count)s till open"
msgid_plural "%(count)s tills open"
msgstr[0] "%(count)s caisse ouverte"
msgstr[1] ""
msgstr[2] "%(count)s caisses ouvertes"
"""


@pytest.fixture
def french(settings, tmp_path):
    catalogue = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(CATALOGUE)
    settings.LOCALE_PATHS = [tmp_path]
    return catalogue


def _compiled(catalogue) -> gettext.GNUTranslations:
    with catalogue.with_suffix(".mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def test_it_compiles_every_catalogue_beside_it(french):
    call_command("compile_translations", verbosity=0)
    translations = _compiled(french)
    assert translations.gettext("Tills") == "Caisses"
    assert [translations.ngettext("%(count)s shift", "%(count)s shifts", n) for n in (1, 2)] == [
        "%(count)s poste",
        "%(count)s postes",
    ]
    assert translations.ngettext("%(count)s shift", "%(count)s shifts", 1_000_000) == (
        "%(count)s de postes"  # French's third form: the catalogue's own plural rule
    )


def test_a_fuzzy_or_partly_translated_message_reads_in_english_never_blank(french):
    call_command("compile_translations", str(french), verbosity=0)
    translations = _compiled(french)
    assert translations.gettext("History") == "History"
    assert translations.ngettext("%(count)s till open", "%(count)s tills open", 1_000_000) == (
        "%(count)s tills open"
    )


def test_a_catalogue_that_does_not_parse_fails_naming_it(french):
    """(Babel's reader lets more through than msgfmt; tests/test_translations.py runs
    msgfmt --check on every catalogue.)"""
    french.write_text(CATALOGUE + '\nmsgid "Close"\n')  # no msgstr
    with pytest.raises(CommandError, match=str(french)):
        call_command("compile_translations", verbosity=0)
    assert not french.with_suffix(".mo").exists()
