"""Reading one field of a record whatever the upstream put there, and keeping the rest."""

from typing import Any

# Set by Final POS on every record; never sent back.
SERVER_FIELDS = frozenset({"id", "companyId", "createdAt", "updatedAt"})


def text(data: dict, key: str) -> str:
    """A field shown as text. NUL characters go: no database column can hold them."""
    value = data.get(key)
    shown = value if isinstance(value, str) else ("" if value is None else str(value))
    return shown.replace("\x00", "")


def optional_text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    return text(data, key)


def others(data: dict, known: frozenset[str]) -> dict[str, Any]:
    """The fields of a record the dashboard neither reads nor writes, as they came."""
    return {key: value for key, value in data.items() if key not in known | SERVER_FIELDS}
