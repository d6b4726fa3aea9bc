"""Reading a data file safely: inside the data folder, within a size limit, UTF-8, no NUL bytes.

Every problem becomes a DataError naming the file (and the line, where there is one), so no
input can end in a traceback.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from generator.errors import DataError

MAX_BYTES = 5 * 1024 * 1024  # no data file needs more; a bigger one is a mistake or an attack
MAX_MB = MAX_BYTES // (1024 * 1024)


def read_text(path: Path, shown: str, data_dir: Path, errors: list[DataError]) -> str | None:
    """The text of ``path``, or None after adding the error that stops it being read.

    A UTF-8 byte-order mark (as Excel writes) is dropped; CRLF and LF endings are both fine.
    """
    problem = _where_problem(path, data_dir)
    if problem:
        errors.append(DataError(shown, 0, "-", *problem))
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        errors.append(
            DataError(
                shown,
                0,
                "-",
                "too-large",
                f"the file is {size / 1024 / 1024:.1f} MB, over the limit of {MAX_MB} MB",
                "data files are small text files; split it, or leave large originals out of data/",
            )
        )
        return None
    return _decode(path.read_bytes(), shown, errors)


def _where_problem(path: Path, data_dir: Path) -> tuple[str, str, str] | None:
    """(code, message, hint) when ``path`` is missing, not a file, or outside ``data_dir``."""
    if not path.exists() and not path.is_symlink():
        return "missing-file", "file not found", f"check that {path.name} exists and is listed"
    if not path.resolve().is_relative_to(data_dir.resolve()):
        return (
            "outside-data",
            "the file lies outside the data folder (through ../ or a symbolic link)",
            "keep every data file inside data/ itself; do not link to files elsewhere",
        )
    if not path.is_file():
        return "missing-file", "not a readable file", f"{path.name} should be a plain file"
    return None


def _decode(data: bytes, shown: str, errors: list[DataError]) -> str | None:
    data = data.removeprefix(codecs.BOM_UTF8)
    nul = data.find(b"\x00")
    if nul >= 0:
        errors.append(
            DataError(
                shown,
                data.count(b"\n", 0, nul) + 1,
                "-",
                "nul-byte",
                "the file holds a NUL byte (an invisible character 0)",
                "save it again as plain UTF-8 text; the file may be damaged or not text at all",
            )
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.append(
            DataError(
                shown,
                data.count(b"\n", 0, exc.start) + 1,
                "-",
                "encoding",
                f"byte 0x{data[exc.start]:02x} is not UTF-8 ({exc.reason})",
                "save the file as UTF-8"
                + (" (in Excel: Save As, CSV UTF-8)" if shown.endswith(".csv") else ""),
            )
        )
        return None


def inside(path_text: str) -> bool:
    """A path written in a descriptor stays inside the data folder: relative, with no ``..``."""
    parts = Path(path_text).parts
    return bool(parts) and not Path(path_text).is_absolute() and ".." not in parts
