"""Data errors, reported like a compiler: ``file:line:field: message (hint: ...)``.

The same errors print as text, as GitHub annotations or as JSON (``--format``).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from dataclasses import asdict, dataclass

FORMATS = ("text", "github", "json")


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one cell, row or file of the data.

    ``line`` is the line in the file (a CSV header is line 1); 0 means the whole file.
    """

    path: str
    line: int
    field: str
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.field}: {self.message}{hint}"


class DataErrors(Exception):
    """Raised when the data cannot be used; carries every error found."""

    def __init__(self, errors: list[DataError]):
        super().__init__(f"{len(errors)} data errors")
        self.errors = sorted(set(errors))


class BuildError(Exception):
    """Raised when the pages cannot be made: a template, theme or MkDocs problem, not the data."""


# The file being read, so an unexpected failure can still say where it happened.
_reading: contextvars.ContextVar[str] = contextvars.ContextVar("reading", default="-")


@contextlib.contextmanager
def reading(path: str):
    """Mark ``path`` as the file being read until the block ends."""
    token = _reading.set(path)
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, "atlas_reading"):  # the innermost file is the one to name
            exc.atlas_reading = path
        raise
    finally:
        _reading.reset(token)


def internal_error(exc: BaseException) -> DataError:
    """An unexpected exception, reported as one error naming the file being read."""
    return DataError(
        getattr(exc, "atlas_reading", _reading.get()),
        0,
        "-",
        "internal",
        f"internal error while reading this file: {type(exc).__name__}: {exc}",
        "this is a bug in the generator, not in your data; please report it with this line",
    )


def format_errors(errors: list[DataError], style: str = "text") -> str:
    """Every error, one per line, in ``style`` (text, github or json), with a count at the end."""
    if style == "json":
        return json.dumps(
            {"count": len(errors), "errors": [asdict(e) for e in errors]},
            indent=2,
            ensure_ascii=False,
        )
    lines = [_github(e) if style == "github" else str(e) for e in errors]
    return "\n".join([*lines, summarise(errors)])


def _github(error: DataError) -> str:
    """A GitHub workflow annotation, escaped as the runner expects."""
    hint = f" (hint: {error.hint})" if error.hint else ""
    file, title = _property(error.path), _property(error.field)
    line = max(error.line, 1)
    return f"::error file={file},line={line},title={title}::{_data(error.message + hint)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def summarise(errors: list[DataError]) -> str:
    """The closing line, e.g. ``3 errors in 2 files``."""
    files = len({e.path for e in errors})
    return f"{_plural(len(errors), 'error')} in {_plural(files, 'file')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
