"""Read a folder of YAML files (one record each) as flat tables, keeping file and line.

A case study is one YAML file. Its top-level keys become one row of ``case_studies``; its
list of figures becomes rows of ``case_study_figures``. Lists of ids are joined with ``;``,
as in the CSV files, so the same Frictionless checks apply. A value of the wrong shape (a
list where one value belongs, a mapping anywhere but ``location`` and ``figures``) is an
error, never flattened silently.
"""

from __future__ import annotations

from pathlib import Path

from generator.cells import join_ids
from generator.errors import DataError, reading
from generator.files import read_text
from generator.safe_yaml import key_lines, parse_yaml

SCALARS = (str, int, float, bool)


def read_yaml_folder(
    data_dir: Path,
    path: str,
    shown: str,
    descriptor: dict,
    schema: dict,
    errors: list[DataError],
    parsed: dict,
):
    """(rows, origins) for the table ``descriptor`` describes; None if unreadable.

    ``parsed`` keeps each folder's files once read, as two tables come from one folder.
    """
    folder = data_dir / path
    if not folder.is_dir():
        errors.append(
            DataError(
                shown, 0, "-", "missing-file", "folder not found", f"the data package lists {path}"
            )
        )
        return None
    header = tuple(f["name"] for f in schema["fields"])
    lists = {f["name"] for f in schema["fields"] if f.get("x-list")}
    if folder not in parsed:
        parsed[folder] = _parse_folder(data_dir, folder, shown, errors)
    flatten = _figure_rows if descriptor.get("flatten") == "figures" else _record_row
    rows, origins, cell_lines = [], [], []
    for file, record, lines in parsed[folder]:
        for row, line, cells in flatten(record, lines, (header, lists), file, errors):
            rows.append(row)
            origins.append((file, line))
            cell_lines.append(cells)
    return tuple(rows), tuple(origins), tuple(cell_lines)


def _record_row(record: dict, lines: dict, fields, file: str, errors):
    header = fields[0]
    location = record.get("location") or {}
    if not isinstance(location, dict):
        errors.append(_shape_error(file, lines.get(("location",), 1), "location", "lat: and lon:"))
        location = {}
    allowed = set(header) | {"figures", "location"}
    for key in record:
        if key not in allowed:
            errors.append(
                DataError(
                    file,
                    lines.get((key,), 1),
                    str(key),
                    "unknown-field",
                    f'"{key}" is not a field of a case study',
                    "the fields are: " + ", ".join(sorted(allowed)),
                )
            )
    row = {k: v for k, v in {**record, **location}.items() if k in header}
    cells = {name: lines[(name,)] for name in header if (name,) in lines}
    yield _cells(row, fields, file, cells, errors), lines.get(("id",), 1), cells


def _figure_rows(record: dict, lines: dict, fields, file: str, errors):
    figures = record.get("figures") or []
    if not isinstance(figures, list):
        errors.append(_shape_error(file, lines.get(("figures",), 1), "figures", "a list"))
        return
    for index, figure in enumerate(figures):
        line = lines.get(("figures", index), 1)
        if not isinstance(figure, dict):
            errors.append(_shape_error(file, line, "figures", "label:, value:, unit: and so on"))
            continue
        row = {"case_study_id": record.get("id"), **figure}
        cells = {k: lines[("figures", index, k)] for k in figure if ("figures", index, k) in lines}
        yield _cells(row, fields, file, cells, errors, line), line, cells


def _shape_error(file: str, line: int, field: str, expected: str) -> DataError:
    return DataError(
        file, line, field, "yaml-type", f"{field} has the wrong shape", f"write {expected} here"
    )


def _parse_folder(data_dir: Path, folder: Path, shown: str, errors):
    for stray in sorted(folder.iterdir()):
        if stray.suffix != ".yaml" and not stray.name.startswith("."):
            errors.append(
                DataError(
                    f"{shown.rstrip('/')}/{stray.name}",
                    0,
                    "-",
                    "unknown-file",
                    "only .yaml files belong in this folder; this one would be ignored",
                    f"rename it to {stray.stem}.yaml, or move it out of the data folder",
                )
            )
    found = []
    for file in sorted(folder.glob("*.yaml")):
        path = f"{shown.rstrip('/')}/{file.name}"
        with reading(path):
            record = _parse(data_dir, file, path, errors)
        if record:
            found.append(record)
    return found


def _parse(data_dir: Path, file: Path, path: str, errors: list[DataError]):
    text = read_text(file, path, data_dir, errors)
    parsed = parse_yaml(text, path, errors) if text is not None else None
    if parsed is None:
        return None
    record, node = parsed
    if not isinstance(record, dict):
        errors.append(DataError(path, 1, "-", "yaml", "expected a mapping of fields"))
        return None
    if record.get("id") != file.stem:
        errors.append(
            DataError(
                path,
                1,
                "id",
                "id",
                f'id "{record.get("id")}" differs from the file name',
                f"the file of case study <id> is <id>.yaml, here {file.stem}",
            )
        )
    return path, record, key_lines(node)


def _cells(row: dict, fields, file: str, lines: dict, errors, line: int = 1) -> dict[str, str]:
    """The row as text cells; a list only where the schema allows one (``x-list``)."""
    header, lists = fields
    cells = {}
    for name in header:
        value = row.get(name)
        text = _text(value) if name in lists or not isinstance(value, list) else None
        if text is None:
            shape = "a list of ids" if name in lists else "one value, not a list"
            errors.append(_shape_error(file, lines.get(name, line), name, shape))
            text = ""
        cells[name] = text
    return cells


def _text(value) -> str | None:
    """A YAML value as the text a CSV cell would hold; None for a shape no cell can hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_text(v) if isinstance(v, SCALARS) else None for v in value]
        return None if None in items else join_ids(items)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | str):
        return str(value)
    return None
