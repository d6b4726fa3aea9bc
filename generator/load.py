"""Load stage: read atlas.yaml, the data package descriptor and every dataset it lists.

Rows stay as strings, each with the file and line it came from, so later stages can name
``file:line:field`` precisely. Every file is read through ``files.read_text`` (inside data/,
size limit, UTF-8, no NUL bytes) and YAML through ``safe_yaml`` (no tags, aliases or
duplicate keys). A CSV must have exactly the schema's columns, in any order, and every row
exactly one cell per column: nothing is dropped or filled in silently.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from generator.boundaries import GEO_DIR, Boundaries, load_boundaries
from generator.errors import DataError, DataErrors, reading
from generator.files import inside, read_text
from generator.safe_yaml import key_lines, parse_yaml
from generator.yaml_tables import read_yaml_folder

PACKAGE_FILE = "schemas/datapackage.yaml"
META_FILE = "atlas.yaml"


@dataclass(frozen=True)
class Table:
    """One dataset: its descriptor, its schema and its rows as read, as text.

    ``header`` is the schema's field order. ``origins`` gives, for each row, the file it came
    from (as shown in messages, e.g. data/systems.csv) and its line there. A CSV's rows all
    come from one file; the rows of a YAML folder come one or more from each file.
    """

    name: str
    path: str  # the dataset as shown in messages: data/systems.csv, or data/case_studies/
    schema_path: str  # its schema as shown in messages: data/schemas/systems.json
    descriptor: dict
    schema: dict
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    origins: tuple[tuple[str, int], ...]
    cell_lines: tuple[dict[str, int], ...]  # per row of a YAML folder: field -> line; CSV: {}

    def field(self, name: str) -> dict:
        return next((f for f in self.schema["fields"] if f["name"] == name), {})


@dataclass(frozen=True)
class RawData:
    data_dir: Path
    meta: dict
    meta_lines: dict[tuple, int]  # the line of each key of atlas.yaml
    package: dict
    tables: dict[str, Table]
    boundaries: Boundaries  # GeoJSON geometry by ONS code; empty without a boundary file


def load_data(data_dir: Path) -> RawData:
    """Read everything under ``data_dir``; raise DataErrors if a file cannot be read at all."""
    data_dir = Path(data_dir)
    errors: list[DataError] = []
    meta, meta_lines = _read_yaml(data_dir, META_FILE, errors)
    package, package_lines = _read_yaml(data_dir, PACKAGE_FILE, errors)
    tables, parsed = {}, {}
    for descriptor in _resources(data_dir, package, package_lines, errors):
        with reading(_shown(data_dir, descriptor["path"])):
            table = _read_table(data_dir, descriptor, errors, parsed)
        if table:
            tables[table.name] = table
    if not errors and not tables:
        errors.append(
            _package_error(data_dir, 0, "resources", "the data package lists no datasets")
        )
    with reading(_shown(data_dir, GEO_DIR)):
        boundaries = _read_boundaries(data_dir, errors)
    if errors:
        raise DataErrors(errors)
    return RawData(data_dir, meta, meta_lines, package, tables, boundaries)


def _package_error(data_dir: Path, line: int, field: str, message: str, hint: str = ""):
    return DataError(_shown(data_dir, PACKAGE_FILE), line, field, "package", message, hint)


def _resources(data_dir: Path, package: dict, lines: dict, errors: list[DataError]) -> list[dict]:
    """The resources of the package whose name, path and schema are usable."""
    resources = package.get("resources", [])
    if not isinstance(resources, list):
        errors.append(_package_error(data_dir, 0, "resources", "resources must be a list"))
        return []
    usable, names = [], set()
    for index, descriptor in enumerate(resources):
        keys = ("name", "path", "schema")
        line = lines.get(("resources", index), 0)
        if not isinstance(descriptor, dict) or not all(
            isinstance(descriptor.get(k), str) for k in keys
        ):
            errors.append(
                _package_error(
                    data_dir,
                    line,
                    f"resources[{index + 1}]",
                    "a resource needs a name, path and schema",
                )
            )
        elif not (inside(descriptor["path"]) and inside(descriptor["schema"])):
            bad = "path" if not inside(descriptor["path"]) else "schema"
            errors.append(
                _package_error(
                    data_dir,
                    lines.get(("resources", index, bad), line),
                    descriptor["name"],
                    "a path leaves the data folder",
                    "paths are relative to data/ and never contain ..",
                )
            )
        elif descriptor["name"] in names:
            errors.append(_package_error(data_dir, line, descriptor["name"], "listed twice"))
        else:
            names.add(descriptor["name"])
            usable.append(descriptor)
    return usable


def _read_boundaries(data_dir: Path, errors: list[DataError]) -> Boundaries:
    try:
        return load_boundaries(data_dir, errors)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
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
        return Boundaries()


def _shown(data_dir: Path, name: str) -> str:
    return (data_dir / name).as_posix() + ("/" if name.endswith("/") else "")


def _read_yaml(data_dir: Path, name: str, errors: list[DataError]) -> tuple[dict, dict]:
    shown = _shown(data_dir, name)
    with reading(shown):
        text = read_text(data_dir / name, shown, data_dir, errors)
        parsed = parse_yaml(text, shown, errors) if text is not None else None
    if parsed is None:
        return {}, {}
    value, node = parsed
    if not isinstance(value, dict):
        errors.append(DataError(shown, 1, "-", "yaml", "expected a mapping of keys to values"))
        return {}, {}
    return value, key_lines(node)


def _read_schema(data_dir: Path, descriptor: dict, errors: list[DataError]) -> dict | None:
    shown = _shown(data_dir, descriptor["schema"])
    text = read_text(data_dir / descriptor["schema"], shown, data_dir, errors)
    if text is None:
        return None
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(DataError(shown, exc.lineno, "-", "schema", f"invalid JSON: {exc.msg}"))
        return None
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
    ):
        errors.append(
            DataError(shown, 1, "fields", "schema", "a schema needs a list of fields, each named")
        )
        return None
    return schema


def _read_table(
    data_dir: Path, descriptor: dict, errors: list[DataError], parsed: dict
) -> Table | None:
    schema = _read_schema(data_dir, descriptor, errors)
    if schema is None:
        return None
    path = descriptor["path"]
    shown = _shown(data_dir, path)
    header = tuple(f["name"] for f in schema["fields"])
    if path.endswith("/"):
        read = read_yaml_folder(data_dir, path, shown, descriptor, schema, errors, parsed)
    else:
        read = _read_csv(data_dir, path, shown, header, errors)
    if read is None:
        return None
    schema_shown = _shown(data_dir, descriptor["schema"])
    return Table(descriptor["name"], shown, schema_shown, descriptor, schema, header, *read)


def _read_csv(data_dir: Path, path: str, shown: str, header: tuple[str, ...], errors):
    text = read_text(data_dir / path, shown, data_dir, errors)
    if text is None:
        return None
    before = len(errors)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, origins, line = [], [], 0
    try:
        columns = next(reader, None)
        if not _check_header(columns, header, shown, errors):
            return None
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if _check_cells(cells, columns, shown, start, errors):
                rows.append(dict(zip(columns, cells, strict=True)))
                origins.append((shown, start))
    except csv.Error as exc:
        errors.append(
            DataError(
                shown,
                line + 1,  # where the record that could not be read begins
                "-",
                "csv",
                f"cannot read the CSV: {exc}",
                "a value with a comma, quote or line break goes in double quotes, "
                'and a quote inside it is doubled ("")',
            )
        )
    if not rows and len(errors) == before:
        errors.append(
            DataError(
                shown,
                1,
                "-",
                "no-rows",
                "the file has a header but no rows",
                "add at least one row, or remove the dataset from schemas/datapackage.yaml",
            )
        )
    if len(errors) > before:
        return None
    return tuple(rows), tuple(origins), tuple({} for _ in rows)


def _check_header(columns, expected: tuple[str, ...], shown: str, errors) -> bool:
    """The header names each of the schema's columns once, in any order, and nothing else."""
    expected_text = ",".join(expected)
    if not columns:
        errors.append(
            DataError(
                shown,
                1,
                "-",
                "empty",
                "the file is empty",
                f"line 1 is the header: {expected_text}",
            )
        )
        return False
    found = len(errors)
    for name in sorted({c for c in columns if columns.count(c) > 1}):
        errors.append(
            DataError(shown, 1, name, "duplicate-column", f'the column "{name}" appears twice')
        )
    for name in [c for c in columns if c not in expected]:
        errors.append(
            DataError(
                shown,
                1,
                name or "-",
                "extra-column",
                f'"{name}" is not a column of this dataset',
                f"the columns are: {expected_text}",
            )
        )
    for name in [c for c in expected if c not in columns]:
        errors.append(
            DataError(
                shown,
                1,
                name,
                "missing-column",
                f'the column "{name}" is missing',
                f"the columns are: {expected_text}",
            )
        )
    return len(errors) == found


def _check_cells(cells: list[str], columns: list[str], shown: str, line: int, errors) -> bool:
    if len(cells) == len(columns):
        return True
    if not cells or cells == [""]:
        errors.append(
            DataError(shown, line, "-", "blank-row", "the line is empty", "delete the empty line")
        )
        return False
    many = len(cells) > len(columns)
    errors.append(
        DataError(
            shown,
            line,
            "-" if many else columns[len(cells)],
            "row-length",
            f"the row has {len(cells)} cells; the header has {len(columns)}",
            "a value that contains a comma must be in double quotes"
            if many
            else "every row needs a cell for each column, even an empty one",
        )
    )
    return False
