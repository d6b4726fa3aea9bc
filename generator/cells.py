"""The one rule for cells that list several ids: ``a;b;c``, no spaces, blanks ignored."""

from __future__ import annotations

SEPARATOR = ";"


def id_list(text: str | None) -> tuple[str, ...]:
    """The ids in a list cell, in order: ``"a;b"`` gives ``("a", "b")``, a blank gives ``()``."""
    return tuple(part for part in (text or "").split(SEPARATOR) if part)


def join_ids(ids) -> str:
    return SEPARATOR.join(ids)
