"""Validate stage: Frictionless Table Schemas first, then our own cross-row checks.

Every check returns a list of DataError; nothing stops at the first problem.
"""

from __future__ import annotations

import dataclasses
import re

from frictionless import FrictionlessException, Resource, Schema

from generator import checks_cells, checks_history, checks_present
from generator.checks_common import Where, error, parse_date
from generator.errors import DataError
from generator.load import META_FILE, RawData, Table

META_REQUIRED = ("title", "version", "as_of", "publisher", "licence")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TYPE_HINTS = {
    "date": "dates are ISO 8601, YYYY-MM-DD, and must exist: no 30 February",
    "integer": "digits only: no thousands separators, spaces or units (e.g. 1234567)",
    "number": "a plain number: no thousands separators, % or units (e.g. 12.5)",
    "year": "a four-digit year, e.g. 2022",
}
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)
_POSITION = re.compile(r"position (\d+)")


def check_data(raw: RawData) -> list[DataError]:
    """Every problem in the data, sorted by file and row."""
    errors = _check_meta(raw)
    for table in raw.tables.values():
        errors += check_table_schema(table)
        for check in checks_cells.TABLE_CHECKS:
            errors += check(table)
    for check in (*checks_cells.DATA_CHECKS, *checks_history.CHECKS, *checks_present.CHECKS):
        errors += check(raw)
    return sorted(set(_at_cells(raw, errors)))


def _at_cells(raw: RawData, errors: list[DataError]) -> list[DataError]:
    """An error in a YAML record points at its key's line, not the record's first line."""
    lines = {
        where: cells
        for table in raw.tables.values()
        for where, cells in zip(table.origins, table.cell_lines, strict=True)
    }
    return [
        dataclasses.replace(e, line=lines.get((e.path, e.line), {}).get(e.field, e.line))
        for e in errors
    ]


# --- Frictionless -------------------------------------------------------------------------


def check_table_schema(table: Table) -> list[DataError]:
    """Run Frictionless on one table's rows and word its errors our way."""
    descriptor = {k: v for k, v in table.schema.items() if k != "foreignKeys"}
    data = [list(table.header)] + [[row.get(h, "") for h in table.header] for row in table.rows]
    try:
        resource = Resource(data=data, schema=Schema.from_descriptor(descriptor))
    except FrictionlessException as exc:
        return [error((table.schema_path, 0), "-", "schema", f"not a valid Table Schema: {exc}")]
    report = resource.validate(limit_errors=10_000)
    return [_word(table, error.to_descriptor()) for task in report.tasks for error in task.errors]


def _where(table: Table, row_number: int | None) -> Where:
    """Frictionless counts rows from the header (1); turn that into a file and line."""
    index = (row_number or 1) - 2
    return table.origins[index] if 0 <= index < len(table.origins) else (table.path, 1)


def _word(table: Table, err: dict) -> DataError:
    kind, name = err.get("type", ""), err.get("fieldName") or err.get("label") or "-"
    cell, note = err.get("cell"), err.get("note", "")
    where = _where(table, err.get("rowNumber"))
    field = table.field(name)
    hint = field.get("hint", "")
    if kind == "constraint-error" and (match := _CONSTRAINT.match(note)):
        constraint, value = match.groups()
        return error(
            where, name, constraint, _constraint_message(constraint, value, cell, field), hint
        )
    if kind == "type-error":
        expected = field.get("type", "value")
        hint = hint or _TYPE_HINTS.get(expected, "")
        return error(where, name, "type", f'"{cell}" is not a valid {expected}', hint)
    if kind in ("unique-error", "primary-key"):
        return _duplicate(table, where, name, kind, cell, note)
    if kind.endswith("-label"):
        header = ",".join(f["name"] for f in table.schema["fields"])
        return error(
            (where[0], 1),
            name,
            kind,
            f"header problem: {note or kind}",
            f"the header must be: {header}",
        )
    return error(where, name, kind, note or err.get("message", kind))


def _constraint_message(constraint: str, value: str, cell, field: dict) -> str:
    if constraint == "required":
        return "a value is required"
    if constraint == "pattern" and value == SLUG_PATTERN:
        return f'"{cell}" is not an id: lower-case letters and digits joined by single hyphens'
    if constraint == "pattern":
        return f'"{cell}" does not match {value}'
    if constraint == "enum":
        allowed = ", ".join(str(v) for v in field.get("constraints", {}).get("enum", []))
        return f'"{cell}" is not one of: {allowed}'
    if constraint == "minimum":
        return f"{cell} is below the minimum, {value}"
    if constraint == "maximum":
        return f"{cell} is above the maximum, {value}"
    return f'"{cell}" breaks the {constraint} constraint ({value})'


def _duplicate(table: Table, where: Where, name: str, kind: str, cell, note: str) -> DataError:
    match = _POSITION.search(note)
    first = _where(table, int(match.group(1))) if match else (table.path, 0)
    if kind == "primary-key":
        keys = table.schema.get("primaryKey", [])
        keys = [keys] if isinstance(keys, str) else keys
        row = table.rows[table.origins.index(where)] if where in table.origins else {}
        name, cell = ",".join(keys), ",".join(row.get(k, "") for k in keys)
    place = f"row {first[1]}" if first[0] == where[0] else f"{first[0]} line {first[1]}"
    return error(
        where,
        name,
        "unique",
        f'"{cell}" is already used in {place}',
        "every value in this column must be different",
    )


# --- atlas.yaml ---------------------------------------------------------------------------


def _check_meta(raw: RawData) -> list[DataError]:
    path = (raw.data_dir / META_FILE).as_posix()

    def where(key: str) -> Where:
        return (path, raw.meta_lines.get((key,), 0))

    errors = [
        error(where(key), key, "required", "a value is required")
        for key in META_REQUIRED
        if raw.meta.get(key) in (None, "")
    ]
    for key in ("title", "version", "publisher"):
        if raw.meta.get(key) not in (None, "") and not isinstance(raw.meta[key], str | int | float):
            errors.append(error(where(key), key, "type", "expected one line of text"))
    as_of = raw.meta.get("as_of")
    if as_of not in (None, "") and not (isinstance(as_of, str) and parse_date(as_of)):
        errors.append(
            error(
                where("as_of"),
                "as_of",
                "type",
                f'"{as_of}" is not a real date',
                "write it as YYYY-MM-DD, e.g. 2026-04-01",
            )
        )
    licence = raw.meta.get("licence")
    if isinstance(licence, dict) and not (
        all(isinstance(licence.get(k), str) for k in ("id", "title", "url"))
        and _SAFE_URL.match(licence["url"])
    ):
        errors.append(
            error(
                where("licence"),
                "licence",
                "type",
                "the licence needs an id, a title and an http(s) url",
                "see the licence block in the atlas.yaml of the repository",
            )
        )
    return errors
