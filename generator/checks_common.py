"""What the checks share: where a row is, how an error is made, and how cells are read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.errors import DataError
from generator.load import Table

Where = tuple[str, int]  # a file as shown in messages, and a line in it


def error(where: Where, field: str, code: str, message: str, hint: str = "") -> DataError:
    return DataError(where[0], where[1], field, code, message, hint)


def cells(table: Table) -> Iterator[tuple[Where, dict[str, str]]]:
    """Each row of a table with the file and line it came from."""
    yield from zip(table.origins, table.rows, strict=True)


def parse_date(value: str) -> dt.date | None:
    """An ISO date, or None when the text is not a real date (reported by the schema check)."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
