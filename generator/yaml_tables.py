"""Read a folder of YAML files (one record each) as flat tables, keeping file and line.

A case study is one YAML file. Its top-level keys become one row of ``case_studies``; its
list of figures becomes rows of ``case_study_figures``. Lists of ids are joined with ``;``,
as in the CSV files, so the same Frictionless checks apply. Only ``yaml.safe_load`` and
``yaml.compose`` with the safe loader are used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from generator.errors import DataError


def read_yaml_folder(
    folder: Path, shown: str, descriptor: dict, schema: dict, errors: list[DataError], parsed: dict
):
    """(header, rows, origins) for the table ``descriptor`` describes; None if unreadable.

    ``parsed`` keeps each folder's files once read, as two tables come from one folder.
    """
    if not folder.is_dir():
        errors.append(
            DataError(
                shown,
                0,
                "-",
                "missing-file",
                "folder not found",
                f"the data package lists {folder.name}/",
            )
        )
        return None
    header = tuple(f["name"] for f in schema["fields"])
    rows, origins = [], []
    if folder not in parsed:
        parsed[folder] = _parse_folder(folder, shown, errors)
    for path, record, lines in parsed[folder]:
        if descriptor.get("flatten") == "figures":
            figures = record.get("figures") or []
            for index, figure in enumerate(figures if isinstance(figures, list) else []):
                item = figure if isinstance(figure, dict) else {}
                row = {"case_study_id": record.get("id"), **item}
                rows.append(_cells(row, header))
                origins.append((path, lines.get(("figures", index), 1)))
        else:
            location = record.get("location") or {}
            row = {**record, **(location if isinstance(location, dict) else {})}
            rows.append(_cells(row, header))
            origins.append((path, lines.get(("id",), 1)))
            _check_keys(record, header, path, lines, errors)
    return header, tuple(rows), tuple(origins)


def _check_keys(record: dict, header: tuple[str, ...], path: str, lines: dict, errors) -> None:
    allowed = set(header) | {"figures", "location"}
    for key in record:
        if key not in allowed:
            errors.append(
                DataError(
                    path,
                    lines.get((key,), 1),
                    str(key),
                    "unknown-field",
                    f'"{key}" is not a field of a case study',
                    "the fields are: " + ", ".join(sorted(allowed)),
                )
            )


def _parse_folder(folder: Path, shown: str, errors: list[DataError]):
    return [r for f in sorted(folder.glob("*.yaml")) if (r := _parse(f, shown, errors))]


def _parse(file: Path, shown: str, errors: list[DataError]):
    path = f"{shown.rstrip('/')}/{file.name}"
    try:
        text = file.read_text(encoding="utf-8")
        record = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(
            DataError(
                path,
                mark.line + 1 if mark else 0,
                "-",
                "yaml",
                f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            )
        )
        return None
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
    return path, record, _lines(node)


def _lines(node) -> dict[tuple, int]:
    """The line of each top-level key, and of each item of each top-level list."""
    found: dict[tuple, int] = {}
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        found[(key.value,)] = key.start_mark.line + 1
        if isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                found[(key.value, index)] = item.start_mark.line + 1
    return found


def _cells(row: dict, header: tuple[str, ...]) -> dict[str, str]:
    return {name: _text(row.get(name)) for name in header}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
