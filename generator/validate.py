"""Validate stage: Frictionless Table Schemas first, then our own cross-row checks.

Every check returns a list of DataError; nothing stops at the first problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from frictionless import Resource, Schema

from generator.boundaries import GEO_DIR
from generator.errors import DataError
from generator.load import META_FILE, RawData, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = {"integer", "number"}
META_REQUIRED = ("title", "version", "as_of", "publisher", "licence")
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)
_POSITION = re.compile(r"position (\d+)")


def check_data(raw: RawData) -> list[DataError]:
    """Every problem in the data, sorted by file and row."""
    errors = _check_meta(raw)
    for table in raw.tables.values():
        errors += check_table_schema(table)
        errors += check_formula_cells(table)
        errors += check_date_order(table)
    errors += check_foreign_keys(raw)
    errors += check_successors(raw)
    errors += check_codes_unique_in_time(raw)
    errors += check_successor_dates(raw)
    errors += check_events(raw)
    errors += check_boundaries(raw)
    return sorted(set(errors))


# --- Frictionless -------------------------------------------------------------------------


def check_table_schema(table: Table) -> list[DataError]:
    """Run Frictionless on one table and word its errors our way."""
    descriptor = {k: v for k, v in table.schema.items() if k != "foreignKeys"}
    resource = Resource(
        path=table.file.name,
        basepath=str(table.file.parent),
        schema=Schema.from_descriptor(descriptor),
        format="csv",
        encoding="utf-8",
    )
    report = resource.validate(limit_errors=10_000)
    return [_word(table, error.to_descriptor()) for task in report.tasks for error in task.errors]


def _line(table: Table, row_number: int | None) -> int:
    """Frictionless counts logical rows (header = 1); turn that into a file line."""
    if not row_number:
        return 1
    index = row_number - 2
    return table.lines[index] if 0 <= index < len(table.lines) else row_number


def _word(table: Table, err: dict) -> DataError:
    kind, name = err.get("type", ""), err.get("fieldName") or err.get("label") or "-"
    cell, note = err.get("cell"), err.get("note", "")
    row = _line(table, err.get("rowNumber"))
    field = table.field(name)
    hint = field.get("hint", "")
    if kind == "constraint-error" and (match := _CONSTRAINT.match(note)):
        constraint, value = match.groups()
        return DataError(
            table.path,
            row,
            name,
            constraint,
            _constraint_message(constraint, value, cell, field),
            hint,
        )
    if kind == "type-error":
        expected = field.get("type", "value")
        hint = hint or {"date": "dates are ISO 8601, YYYY-MM-DD"}.get(expected, "")
        return DataError(table.path, row, name, "type", f'"{cell}" is not a valid {expected}', hint)
    if kind in ("unique-error", "primary-key"):
        return _duplicate(table, row, name, kind, cell, note)
    if kind in (
        "missing-label",
        "extra-label",
        "incorrect-label",
        "duplicate-label",
        "blank-label",
    ):
        return DataError(
            table.path,
            1,
            name,
            kind,
            f"header problem: {note or kind}",
            "the header must be: " + ",".join(f["name"] for f in table.schema["fields"]),
        )
    return DataError(table.path, row, name, kind, note or err.get("message", kind))


def _constraint_message(constraint: str, value: str, cell, field: dict) -> str:
    if constraint == "required":
        return "a value is required"
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


def _duplicate(table: Table, row: int, name: str, kind: str, cell, note: str) -> DataError:
    match = _POSITION.search(note)
    first = _line(table, int(match.group(1))) if match else "?"
    if kind == "primary-key":
        keys = table.schema.get("primaryKey", [])
        keys = [keys] if isinstance(keys, str) else keys
        name = ",".join(keys)
        cell = (
            ",".join(table.rows[table.lines.index(row)].get(k, "") for k in keys)
            if row in table.lines
            else "?"
        )
    return DataError(
        table.path,
        row,
        name,
        "unique",
        f'"{cell}" is already used in row {first}',
        "every value in this column must be different",
    )


# --- Our own checks -----------------------------------------------------------------------


def _cells(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    yield from zip(table.lines, table.rows, strict=True)


def _check_meta(raw: RawData) -> list[DataError]:
    path = (raw.data_dir / META_FILE).as_posix()
    errors = [
        DataError(path, 0, key, "required", "a value is required")
        for key in META_REQUIRED
        if not raw.meta.get(key)
    ]
    as_of = raw.meta.get("as_of")
    if as_of and not isinstance(as_of, dt.date):
        errors.append(
            DataError(
                path,
                0,
                "as_of",
                "type",
                f'"{as_of}" is not a date',
                "write it as YYYY-MM-DD, unquoted",
            )
        )
    return errors


def check_formula_cells(table: Table) -> list[DataError]:
    """Text that a spreadsheet would run as a formula is refused at the source."""
    text_fields = [f["name"] for f in table.schema["fields"] if f.get("type") not in NUMERIC_TYPES]
    return [
        DataError(
            table.path,
            line,
            name,
            "formula",
            f'"{row[name]}" starts like a spreadsheet formula',
            "text may not begin with = + - @, a tab or a carriage return",
        )
        for line, row in _cells(table)
        for name in text_fields
        if row.get(name, "").startswith(FORMULA_START)
    ]


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_date_order(table: Table) -> list[DataError]:
    if not {"valid_from", "valid_to"} <= set(table.header):
        return []
    errors = []
    for line, row in _cells(table):
        start, end = _date(row["valid_from"]), _date(row["valid_to"])
        if start and end and end < start:
            errors.append(
                DataError(
                    table.path,
                    line,
                    "valid_to",
                    "date-order",
                    f"{end} is before valid_from {start}",
                    "valid_to is the last day the row was in force",
                )
            )
    return errors


def check_foreign_keys(raw: RawData) -> list[DataError]:
    """Each foreign key in a schema names a table and field; every value must be found there."""
    errors = []
    for table in raw.tables.values():
        for fk in table.schema.get("foreignKeys", []):
            field, ref = fk["fields"], fk["reference"]
            target = raw.tables.get(ref["resource"])
            if target is None:
                continue
            known = {row.get(ref["fields"]) for row in target.rows}
            for line, row in _cells(table):
                for value in _keys(row.get(field, ""), field):
                    if value in known:
                        continue
                    errors.append(
                        DataError(
                            table.path,
                            line,
                            field,
                            "foreign-key",
                            f'"{value}" is not in the {ref["fields"]} column of {target.path}',
                            f"use an existing {ref['fields']}, or add a row to {target.path} first",
                        )
                    )
    return errors


def _keys(value: str, field: str) -> list[str]:
    """The keys a cell holds: source columns may cite several sources, separated by ;."""
    if not value:
        return []
    return value.split(";") if field.endswith("source_id") else [value]


def check_successors(raw: RawData) -> list[DataError]:
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    ids = {row["id"] for row in systems.rows}
    return [
        DataError(
            systems.path,
            line,
            "successor_ids",
            "foreign-key",
            f'"{successor}" is not in the id column of {systems.path}',
            "separate several ids with ;",
        )
        for line, row in _cells(systems)
        for successor in filter(None, row.get("successor_ids", "").split(";"))
        if successor not in ids
    ]


def check_successor_dates(raw: RawData) -> list[DataError]:
    """A system with successors has ended, and each successor is in force the day after.

    A successor may be new that day, or an older system that took over part of the area
    (as Hampshire and the Isle of Wight took part of Frimley in 2026).
    """
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    rows = {row["id"]: row for row in systems.rows}
    errors = []
    for line, row in _cells(systems):
        successors = list(filter(None, row.get("successor_ids", "").split(";")))
        end = _date(row.get("valid_to", ""))
        if successors and end is None:
            errors.append(
                DataError(
                    systems.path,
                    line,
                    "valid_to",
                    "required",
                    "a system with successors needs a valid_to",
                    "the last day before its successors took over",
                )
            )
            continue
        for successor in successors:
            after = rows.get(successor)
            if end and after and _consistent(after) and not _in_force(after, _next(end)):
                errors.append(
                    DataError(
                        systems.path,
                        line,
                        "successor_ids",
                        "date-order",
                        f'successor "{successor}" is not in force on {_next(end)}, '
                        f"the day after this row ends",
                        "a successor takes over the day after its predecessor ends",
                    )
                )
    return errors


# Vanguards (2015) came before the footprints they are filed under, and an announcement
# comes before the system it announces, so neither is held to its system's dates.
UNDATED_TYPES = {"vanguard", "announced"}
# An ending takes effect the day after the system's last day in force.
ENDING_TYPES = {"abolished", "merged"}


def check_events(raw: RawData) -> list[DataError]:
    """Events fall within their system's dates, and no system is designated twice."""
    events, systems = raw.tables.get("events"), raw.tables.get("systems")
    if events is None or systems is None:
        return []
    spans = {row["id"]: row for row in systems.rows}
    designated: dict[str, int] = {}
    errors = []
    for line, row in _cells(events):
        system, day, kind = (
            spans.get(row.get("system_id", "")),
            _date(row.get("date", "")),
            row.get("type"),
        )
        if kind == "ics_designated":
            first = designated.setdefault(row.get("system_id", ""), line)
            if first != line:
                errors.append(
                    DataError(
                        events.path,
                        line,
                        "type",
                        "unique",
                        f'"{row["system_id"]}" is already designated in row {first}',
                        "a system is designated an ICS once",
                    )
                )
        if not (system and day and _consistent(system)) or kind in UNDATED_TYPES:
            continue
        ends_here = (
            kind in ENDING_TYPES
            and _date(system.get("valid_to", ""))
            and day == _next(_date(system["valid_to"]))
        )
        if not _in_force(system, day) and not ends_here:
            span = f"{system['valid_from']} to {system.get('valid_to') or 'now'}"
            errors.append(
                DataError(
                    events.path,
                    line,
                    "date",
                    "date-range",
                    f"{day} is outside the dates of {row['system_id']} ({span})",
                    "file the event under the system in force on that day",
                )
            )
    return errors


def _next(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def check_codes_unique_in_time(raw: RawData) -> list[DataError]:
    """Two systems in force on the same day may not share an ODS or ONS code.

    An ICB keeps the code of the ICS before it, so a code may repeat across time but
    never within it.
    """
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    errors = []
    for code in ("ods_code", "ons_code"):
        seen: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for line, row in _cells(systems):
            value = row.get(code, "") if _consistent(row) else ""
            for first_line, first in seen[value] if value else []:
                if _overlap(first, row):
                    errors.append(
                        DataError(
                            systems.path,
                            line,
                            code,
                            "unique",
                            f'"{value}" is already used in row {first_line} ({first.get("id")}) '
                            "for a system in force at the same time",
                            "each code belongs to one system at a time",
                        )
                    )
            seen[value].append((line, row))
    return errors


def _overlap(a: dict, b: dict) -> bool:
    far = dt.date.max
    a_start, b_start = _date(a["valid_from"]) or dt.date.min, _date(b["valid_from"]) or dt.date.min
    a_end, b_end = _date(a.get("valid_to", "")) or far, _date(b.get("valid_to", "")) or far
    return a_start <= b_end and b_start <= a_end


def check_boundaries(raw: RawData) -> list[DataError]:
    """With a boundary file, every ICB in force on as_of has an area, and every area a system."""
    systems = raw.tables.get("systems")
    as_of = raw.meta.get("as_of")
    if not raw.boundaries or systems is None or not isinstance(as_of, dt.date):
        return []
    path = (raw.data_dir / GEO_DIR).as_posix() + "/"
    known = {row.get("ons_code") for row in systems.rows}
    errors = [
        DataError(
            path,
            0,
            "ons_code",
            "foreign-key",
            f'area "{code}" is not the ons_code of any row in {systems.path}',
            "the boundary file and systems.csv must use the same ONS codes",
        )
        for code in sorted(set(raw.boundaries) - known)
    ]
    for line, row in _cells(systems):
        if (
            row.get("kind") == "icb"
            and _in_force(row, as_of)
            and row.get("ons_code") not in raw.boundaries
        ):
            errors.append(
                DataError(
                    systems.path,
                    line,
                    "ons_code",
                    "no-boundary",
                    f'"{row.get("ons_code")}" has no area in {path}',
                    "run make boundaries with a file that covers every ICB",
                )
            )
    return errors


def _consistent(row: dict) -> bool:
    """Its dates parse and are in order, so checks that lean on them can trust them."""
    start, end = _date(row.get("valid_from", "")), _date(row.get("valid_to", "") or "9999-12-31")
    return bool(start and end and start <= end)


def _in_force(row: dict, day: dt.date) -> bool:
    start, end = _date(row.get("valid_from", "")), _date(row.get("valid_to", ""))
    return bool(start) and start <= day and (end is None or day <= end)
