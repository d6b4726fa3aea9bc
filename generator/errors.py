"""Data errors, reported like a compiler: ``file:row:field: message (hint: ...)``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one cell, row or file of the data.

    ``row`` is the line in the file (the CSV header is line 1); 0 means the whole file.
    """

    path: str
    row: int
    field: str
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.path}:{self.row}:{self.field}: {self.message}{hint}"


class DataErrors(Exception):
    """Raised when the data cannot be used; carries every error found."""

    def __init__(self, errors: list[DataError]):
        super().__init__(f"{len(errors)} data errors")
        self.errors = sorted(set(errors))


def summarise(errors: list[DataError]) -> str:
    """The closing line, e.g. ``3 errors in 2 files``."""
    files = len({e.path for e in errors})
    return f"{_plural(len(errors), 'error')} in {_plural(files, 'file')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class BuildError(Exception):
    """Raised when the pages cannot be made: a template, theme or MkDocs problem, not the data."""
