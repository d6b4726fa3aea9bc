"""Load stage: read atlas.yaml, the data package descriptor and every CSV it lists.

Rows stay as strings, each with the line it came from, so later stages can name
``file:row:field`` precisely. YAML is only ever read with ``yaml.safe_load``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.boundaries import GEO_DIR, load_boundaries
from generator.errors import DataError, DataErrors
from generator.yaml_tables import read_yaml_folder

PACKAGE_FILE = "schemas/datapackage.yaml"
META_FILE = "atlas.yaml"


@dataclass(frozen=True)
class Table:
    """One dataset: its descriptor, its schema and its rows as read, as text.

    ``origins`` gives, for each row, the file it came from (as shown in messages, e.g.
    data/systems.csv) and its line there. A CSV's rows all come from one file; the rows of
    a YAML folder come one or more from each file.
    """

    name: str
    path: str  # the dataset as shown in messages: data/systems.csv, or data/case_studies/
    descriptor: dict
    schema: dict
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    origins: tuple[tuple[str, int], ...]

    def field(self, name: str) -> dict:
        return next((f for f in self.schema["fields"] if f["name"] == name), {})


@dataclass(frozen=True)
class RawData:
    data_dir: Path
    meta: dict
    package: dict
    tables: dict[str, Table]
    boundaries: dict[str, dict]  # GeoJSON geometry by ONS code; empty without a boundary file


def load_data(data_dir: Path) -> RawData:
    """Read everything under ``data_dir``; raise DataErrors if a file cannot be read at all."""
    data_dir = Path(data_dir)
    errors: list[DataError] = []
    meta = _read_yaml(data_dir, META_FILE, errors)
    package = _read_yaml(data_dir, PACKAGE_FILE, errors)
    tables, parsed = {}, {}
    for descriptor in package.get("resources", []) if isinstance(package, dict) else []:
        table = _read_table(data_dir, descriptor, errors, parsed)
        if table:
            tables[table.name] = table
    if not errors and not tables:
        errors.append(
            DataError(
                _shown(data_dir, PACKAGE_FILE),
                0,
                "resources",
                "empty",
                "the data package lists no datasets",
            )
        )
    boundaries = _read_boundaries(data_dir, errors)
    if errors:
        raise DataErrors(errors)
    return RawData(data_dir, meta, package, tables, boundaries)


def _read_boundaries(data_dir: Path, errors: list[DataError]) -> dict[str, dict]:
    try:
        return load_boundaries(data_dir)
    except (ValueError, KeyError, TypeError) as exc:
        errors.append(
            DataError(
                _shown(data_dir, GEO_DIR),
                0,
                "-",
                "geojson",
                f"cannot read the boundaries: {exc}",
                "run make boundaries again",
            )
        )
        return {}


def _shown(data_dir: Path, name: str) -> str:
    return (data_dir / name).as_posix()


def _read_yaml(data_dir: Path, name: str, errors: list[DataError]) -> dict:
    path = data_dir / name
    try:
        value = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        errors.append(DataError(_shown(data_dir, name), 0, "-", "missing-file", "file not found"))
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(
            DataError(_shown(data_dir, name), line, "-", "yaml", f"invalid YAML: {problem}")
        )
        return {}
    if not isinstance(value, dict):
        errors.append(
            DataError(_shown(data_dir, name), 1, "-", "yaml", "expected a mapping of keys")
        )
        return {}
    return value


def _read_table(
    data_dir: Path, descriptor: dict, errors: list[DataError], parsed: dict
) -> Table | None:
    name, path = descriptor.get("name", "?"), descriptor.get("path", "")
    try:
        schema = json.loads((data_dir / descriptor["schema"]).read_text(encoding="utf-8"))
    except (KeyError, OSError, json.JSONDecodeError) as exc:
        errors.append(
            DataError(
                _shown(data_dir, PACKAGE_FILE),
                0,
                name,
                "schema",
                f"cannot read the schema of {name}: {exc}",
            )
        )
        return None
    if path.endswith("/"):
        read = read_yaml_folder(
            data_dir / path, _shown(data_dir, path), descriptor, schema, errors, parsed
        )
    else:
        read = _read_csv(data_dir / path, _shown(data_dir, path), errors)
    if read is None:
        return None
    header, rows, origins = read
    return Table(name, _shown(data_dir, path), descriptor, schema, header, rows, origins)


def _read_csv(file: Path, shown: str, errors: list[DataError]):
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = tuple(next(reader, []))
            rows, origins = [], []
            for cells in reader:
                rows.append(dict(zip(header, cells, strict=False)))
                origins.append((shown, reader.line_num))
    except FileNotFoundError:
        errors.append(
            DataError(
                shown,
                0,
                "-",
                "missing-file",
                "file not found",
                f"the data package lists {file.name}",
            )
        )
        return None
    except UnicodeDecodeError as exc:
        errors.append(
            DataError(
                shown, 0, "-", "encoding", f"not UTF-8 ({exc.reason})", "save the file as UTF-8"
            )
        )
        return None
    return header, tuple(rows), tuple(origins)
