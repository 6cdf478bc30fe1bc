"""The deploy guide tells the truth about the deploy files: docs/deploy.md, render.yaml,
fly.toml, the README's configuration table and the settings agree on the variables; each
platform's recipe gives every process what production refuses to start without; every
`manage.py` command the guides name exists; and the Python the guide names is the one in
.python-version and the Dockerfile."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.helpers import present

PROJECT = Path(__file__).resolve().parents[1]
GUIDE = (PROJECT / "docs" / "deploy.md").read_text()
README = (PROJECT / "README.md").read_text()
PYTHON_VERSION = (PROJECT / ".python-version").read_text().strip()

# Without these a production process refuses to start, or mail and links go wrong.
REQUIRED = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "FINALPOS_API_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SECURE_SSL_REDIRECT",
    "TRUSTED_PROXY_COUNT",
}
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]{2,})`")


def _table_variables(text: str, heading_cell: str) -> set[str]:
    """The variables in the first column of the markdown table whose header starts with
    ``heading_cell``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {heading_cell}"))
    names: set[str] = set()
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names |= set(VARIABLE.findall(line.split("|")[1]))
    return names


def _code_block_after(marker: str) -> str:
    section = GUIDE[GUIDE.index(marker) :]
    return present(re.search(r"```sh\n(.*?)```", section, re.S))[1]


def _assigned(block: str) -> set[str]:
    return set(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]{2,})=", block, re.M))


GUIDE_TABLE = _table_variables(GUIDE, "variable | value")
README_TABLE = _table_variables(README, "variable | default")


def test_the_guides_table_names_only_documented_variables():
    assert GUIDE_TABLE <= README_TABLE, GUIDE_TABLE - README_TABLE
    assert REQUIRED <= GUIDE_TABLE, REQUIRED - GUIDE_TABLE


def test_every_variable_the_settings_read_is_in_the_readmes_table():
    settings_source = (PROJECT / "finalpos_dashboard" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_source))
    read |= set(re.findall(r'_amount_setting\("([A-Z][A-Z0-9_]+)"', settings_source))
    assert read, "no variables found: the pattern no longer matches settings.py"
    assert read <= README_TABLE, read - README_TABLE


def test_render_gives_both_services_what_production_needs_and_only_documented_variables():
    blueprint = yaml.safe_load((PROJECT / "render.yaml").read_text())
    [group] = blueprint["envVarGroups"]
    shared = {variable["key"] for variable in group["envVars"]}
    for service in blueprint["services"]:
        if service["type"] not in ("web", "worker"):
            continue
        own = {variable["key"] for variable in service["envVars"] if "key" in variable}
        given = shared | own
        assert given >= REQUIRED, (service["name"], REQUIRED - given)
        assert given <= GUIDE_TABLE, given - GUIDE_TABLE
    asked = {variable["key"] for variable in group["envVars"] if variable.get("sync") is False}
    for name in asked:
        assert f"`{name}`" in GUIDE[GUIDE.index("## Render") :], f"{name} not in the Render guide"


def test_fly_gives_every_process_what_production_needs_and_only_documented_variables():
    fly = tomllib.loads((PROJECT / "fly.toml").read_text())
    secrets = _assigned(_code_block_after("## Fly.io"))
    attached = {"DATABASE_URL"}  # `fly postgres attach` sets it
    given = set(fly["env"]) | secrets | attached
    assert given >= REQUIRED, REQUIRED - given
    assert set(fly["env"]) | secrets <= GUIDE_TABLE, (set(fly["env"]) | secrets) - GUIDE_TABLE


def test_heroku_gets_what_production_needs():
    config = _assigned(_code_block_after("## Heroku"))
    add_ons = {"DATABASE_URL", "REDIS_URL"}  # heroku-postgresql and heroku-redis set them
    assert config | add_ons >= REQUIRED, REQUIRED - config - add_ons
    assert config <= GUIDE_TABLE, config - GUIDE_TABLE


def test_the_one_machine_recipe_sets_what_production_needs():
    exported = _assigned(_code_block_after("## The production processes on one machine"))
    assert REQUIRED - {"SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT", "CSRF_TRUSTED_ORIGINS"} <= (
        exported
    )


@pytest.mark.parametrize("document", ["docs/deploy.md", "README.md"])
def test_every_manage_py_command_named_exists_and_roles_are_never_set_in_a_shell(document):
    text = (PROJECT / document).read_text()
    named = set(re.findall(r"manage\.py (\w+)", text))
    assert named, document
    assert named <= set(get_commands()), named - set(get_commands())
    assert "manage.py shell" not in text


def test_the_python_the_guide_names_is_the_one_of_python_version_and_the_dockerfile():
    assert f"`.python-version` ({PYTHON_VERSION})" in GUIDE
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert f"ARG PYTHON_VERSION={PYTHON_VERSION}\n" in dockerfile
    assert re.findall(r"^FROM python:\$\{PYTHON_VERSION\}-slim", dockerfile, re.M)
