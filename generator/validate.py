"""Validate stage: Frictionless Table Schemas first, then our own cross-row checks.

Every check returns a list of DataError; nothing stops at the first problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from frictionless import FrictionlessException, Resource, Schema

from generator import checks_present
from generator.boundaries import GEO_DIR
from generator.checks_present import parse_date as _date
from generator.errors import DataError
from generator.load import META_FILE, RawData, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = {"integer", "number"}
META_REQUIRED = ("title", "version", "as_of", "publisher", "licence")
# Vanguards (2015) came before the footprints they are filed under, and an announcement
# comes before the system it announces, so neither is held to its system's dates.
UNDATED_TYPES = {"vanguard", "announced"}
# An ending takes effect the day after the system's last day in force.
ENDING_TYPES = {"abolished", "merged"}
_RAW_HTML = re.compile(r"<\s*[a-zA-Z!/?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TYPE_HINTS = {
    "date": "dates are ISO 8601, YYYY-MM-DD, and must exist: no 30 February",
    "integer": "digits only: no thousands separators, spaces or units (e.g. 1234567)",
    "number": "a plain number: no thousands separators, % or units (e.g. 12.5)",
    "year": "a four-digit year, e.g. 2022",
}
# An acute trust counts in a board where at least this share of its patients live (OHID).
CATCHMENT_THRESHOLD = 0.10
# England, with a margin: latitude and longitude in degrees.
ENGLAND_LAT, ENGLAND_LON = (49.8, 55.9), (-6.5, 1.9)
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)
_POSITION = re.compile(r"position (\d+)")

Where = tuple[str, int]


def check_data(raw: RawData) -> list[DataError]:
    """Every problem in the data, sorted by file and row."""
    errors = _check_meta(raw)
    for table in raw.tables.values():
        errors += check_table_schema(table)
        errors += check_formula_cells(table)
        errors += check_text_cells(table)
        errors += check_coordinates(table)
        errors += check_date_order(table)
    errors += check_foreign_keys(raw)
    errors += check_successors(raw)
    errors += check_codes_unique_in_time(raw)
    errors += check_successor_dates(raw)
    errors += check_events(raw)
    errors += check_boundaries(raw)
    errors += check_case_study_bodies(raw)
    errors += check_figure_dates(raw)
    errors += check_shares(raw)
    errors += check_mergers(raw)
    for check in checks_present.CHECKS:
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


def _error(where: Where, field: str, code: str, message: str, hint: str = "") -> DataError:
    return DataError(where[0], where[1], field, code, message, hint)


def _cells(table: Table) -> Iterator[tuple[Where, dict[str, str]]]:
    yield from zip(table.origins, table.rows, strict=True)


# --- Frictionless -------------------------------------------------------------------------


def check_table_schema(table: Table) -> list[DataError]:
    """Run Frictionless on one table's rows and word its errors our way."""
    descriptor = {k: v for k, v in table.schema.items() if k != "foreignKeys"}
    data = [list(table.header)] + [[row.get(h, "") for h in table.header] for row in table.rows]
    try:
        resource = Resource(data=data, schema=Schema.from_descriptor(descriptor))
    except FrictionlessException as exc:
        return [_error((table.schema_path, 0), "-", "schema", f"not a valid Table Schema: {exc}")]
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
        return _error(
            where, name, constraint, _constraint_message(constraint, value, cell, field), hint
        )
    if kind == "type-error":
        expected = field.get("type", "value")
        hint = hint or _TYPE_HINTS.get(expected, "")
        return _error(where, name, "type", f'"{cell}" is not a valid {expected}', hint)
    if kind in ("unique-error", "primary-key"):
        return _duplicate(table, where, name, kind, cell, note)
    if kind.endswith("-label"):
        header = ",".join(f["name"] for f in table.schema["fields"])
        return _error(
            (where[0], 1),
            name,
            kind,
            f"header problem: {note or kind}",
            f"the header must be: {header}",
        )
    return _error(where, name, kind, note or err.get("message", kind))


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
    return _error(
        where,
        name,
        "unique",
        f'"{cell}" is already used in {place}',
        "every value in this column must be different",
    )


# --- Our own checks -----------------------------------------------------------------------


def _check_meta(raw: RawData) -> list[DataError]:
    path = (raw.data_dir / META_FILE).as_posix()

    def where(key: str) -> Where:
        return (path, raw.meta_lines.get((key,), 0))

    errors = [
        _error(where(key), key, "required", "a value is required")
        for key in META_REQUIRED
        if raw.meta.get(key) in (None, "")
    ]
    for key in ("title", "version", "publisher"):
        if raw.meta.get(key) not in (None, "") and not isinstance(raw.meta[key], str | int | float):
            errors.append(_error(where(key), key, "type", "expected one line of text"))
    as_of = raw.meta.get("as_of")
    if as_of not in (None, "") and not (isinstance(as_of, str) and _date(as_of)):
        errors.append(
            _error(
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
            _error(
                where("licence"),
                "licence",
                "type",
                "the licence needs an id, a title and an http(s) url",
                "see the licence block in the atlas.yaml of the repository",
            )
        )
    return errors


def check_formula_cells(table: Table) -> list[DataError]:
    """Text that a spreadsheet would run as a formula is refused at the source."""
    text_fields = [f["name"] for f in table.schema["fields"] if f.get("type") not in NUMERIC_TYPES]
    return [
        _error(
            where,
            name,
            "formula",
            f'"{row[name]}" starts like a spreadsheet formula',
            "text may not begin with = + - @, a tab or a carriage return",
        )
        for where, row in _cells(table)
        for name in text_fields
        if row.get(name, "").startswith(FORMULA_START)
    ]


def _text_fields(table: Table) -> list[str]:
    """Free-text columns: strings with no pattern or list of allowed values."""
    return [
        f["name"]
        for f in table.schema["fields"]
        if f.get("type", "string") == "string"
        and not {"pattern", "enum"} & set(f.get("constraints", {}))
    ]


def check_text_cells(table: Table) -> list[DataError]:
    """Plain text holds no HTML and no invisible control characters."""
    errors = []
    fields = _text_fields(table)
    for where, row in _cells(table):
        for name in fields:
            value = row.get(name, "")
            if _CONTROL.search(value):
                errors.append(
                    _error(
                        where,
                        name,
                        "control-character",
                        "the text holds an invisible control character",
                        "retype the value; such characters often come from copying out of a PDF",
                    )
                )
            if name != "body" and _RAW_HTML.search(value):
                errors.append(
                    _error(
                        where,
                        name,
                        "raw-html",
                        "the text holds something like an HTML tag",
                        "write plain text: no < followed by a letter",
                    )
                )
    return errors


def check_coordinates(table: Table) -> list[DataError]:
    """A point lies in England; a latitude and longitude given the wrong way round is named."""
    if not {"lat", "lon"} <= set(table.header):
        return []
    errors = []
    for where, row in _cells(table):
        lat, lon = _number(row.get("lat", "")), _number(row.get("lon", ""))
        if lat is None or lon is None or (_within(lat, ENGLAND_LAT) and _within(lon, ENGLAND_LON)):
            continue
        swapped = _within(lon, ENGLAND_LAT) and _within(lat, ENGLAND_LON)
        errors.append(
            _error(
                where,
                "lat",
                "coordinates",
                f"{lat}, {lon} is not in England",
                "latitude and longitude look swapped: lat is about 50 to 56, lon about -6 to 2"
                if swapped
                else "lat is about 50 to 56 and lon about -6 to 2, in decimal degrees",
            )
        )
    return errors


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def check_date_order(table: Table) -> list[DataError]:
    if not {"valid_from", "valid_to"} <= set(table.header):
        return []
    errors = []
    for where, row in _cells(table):
        start, end = _date(row["valid_from"]), _date(row["valid_to"])
        if start and end and end < start:
            errors.append(
                _error(
                    where,
                    "valid_to",
                    "date-order",
                    f"{end} is before valid_from {start}",
                    "valid_to is the last day the row was in force",
                )
            )
    return errors


def _keys(value: str, field: str, schema_field: dict) -> list[str]:
    """The keys a cell holds: sources, systems and themes may list several, separated by ;."""
    if not value:
        return []
    several = field.endswith("source_id") or schema_field.get("x-list")
    return value.split(";") if several else [value]


def check_foreign_keys(raw: RawData) -> list[DataError]:
    """Each foreign key in a schema names a table and field; every value must be found there."""
    errors = []
    for table in raw.tables.values():
        for fk in table.schema.get("foreignKeys", []):
            field, ref = fk["fields"], fk["reference"]
            target = raw.tables.get(ref["resource"])
            if target is None:
                continue
            known = _known_keys(target, ref["fields"])
            for where, row in _cells(table):
                for value in _keys(row.get(field, ""), field, table.field(field)):
                    if value not in known:
                        errors.append(
                            _error(
                                where,
                                field,
                                "foreign-key",
                                f'"{value}" is not in the {ref["fields"]} column of {target.path}',
                                f"use an existing {ref['fields']}, "
                                f"or add a row to {target.path} first",
                            )
                        )
    return errors


def _known_keys(target: Table, field: str) -> set[str]:
    """The values a key may take. A former id of a system is not one: it only keeps old URLs
    working, and the data names the dated row it means."""
    return {row.get(field) for row in target.rows} - {""}


def check_successors(raw: RawData) -> list[DataError]:
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    ids = {row["id"] for row in systems.rows}
    return [
        _error(
            where,
            "successor_ids",
            "foreign-key",
            f'"{successor}" is not in the id column of {systems.path}',
            "separate several ids with ;",
        )
        for where, row in _cells(systems)
        for successor in filter(None, row.get("successor_ids", "").split(";"))
        if successor not in ids
    ]


def check_successor_dates(raw: RawData) -> list[DataError]:
    """A system with successors has ended, and each successor is in force the day after.

    A successor may be new that day, or an older system that took over part of the area.
    """
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    rows = {row["id"]: row for row in systems.rows}
    errors = []
    for where, row in _cells(systems):
        successors = list(filter(None, row.get("successor_ids", "").split(";")))
        end = _date(row.get("valid_to", ""))
        if successors and end is None:
            errors.append(
                _error(
                    where,
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
                    _error(
                        where,
                        "successor_ids",
                        "date-order",
                        f'successor "{successor}" is not in force on {_next(end)}, '
                        "the day after this row ends",
                        "a successor takes over the day after its predecessor ends",
                    )
                )
    return errors


def check_events(raw: RawData) -> list[DataError]:
    """Events fall within their system's dates, and no system is designated twice."""
    events, systems = raw.tables.get("events"), raw.tables.get("systems")
    if events is None or systems is None:
        return []
    spans = {row["id"]: row for row in systems.rows}
    designated: dict[str, Where] = {}
    errors = []
    for where, row in _cells(events):
        system, day, kind = (
            spans.get(row.get("system_id", "")),
            _date(row.get("date", "")),
            row.get("type"),
        )
        if kind == "ics_designated":
            first = designated.setdefault(row.get("system_id", ""), where)
            if first != where:
                errors.append(
                    _error(
                        where,
                        "type",
                        "unique",
                        f'"{row["system_id"]}" is already designated in row {first[1]}',
                        "a system is designated an ICS once",
                    )
                )
        if not (system and day and _consistent(system)) or kind in UNDATED_TYPES:
            continue
        end = _date(system.get("valid_to", ""))
        ends_here = kind in ENDING_TYPES and end is not None and day == _next(end)
        if not _in_force(system, day) and not ends_here:
            span = f"{system['valid_from']} to {system.get('valid_to') or 'now'}"
            errors.append(
                _error(
                    where,
                    "date",
                    "date-range",
                    f"{day} is outside the dates of {row['system_id']} ({span})",
                    "file the event under the system in force on that day",
                )
            )
    return errors


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
        seen: dict[str, list[tuple[Where, dict]]] = defaultdict(list)
        for where, row in _cells(systems):
            value = row.get(code, "") if _consistent(row) else ""
            for first_where, first in seen[value] if value else []:
                if _overlap(first, row):
                    errors.append(
                        _error(
                            where,
                            code,
                            "unique",
                            f'"{value}" is already used in row {first_where[1]} '
                            f"({first.get('id')}) "
                            "for a system in force at the same time",
                            "each code belongs to one system at a time",
                        )
                    )
            seen[value].append((where, row))
    return errors


def check_boundaries(raw: RawData) -> list[DataError]:
    """With boundary files, every ICB in force on as_of has an area, and every area a system."""
    systems = raw.tables.get("systems")
    as_of = _date(str(raw.meta.get("as_of")))
    if not raw.boundaries or systems is None or as_of is None:
        return []
    folder = ((raw.data_dir / GEO_DIR).as_posix() + "/", 0)
    known = {row.get("ons_code") for row in systems.rows}
    errors = [
        _error(
            folder,
            "ons_code",
            "foreign-key",
            f'area "{code}" is not the ons_code of any row in {systems.path}',
            "the boundary files and systems.csv must use the same ONS codes",
        )
        for code in sorted(set(raw.boundaries) - known)
    ]
    for where, row in _cells(systems):
        current = row.get("kind") == "icb" and _consistent(row) and _in_force(row, as_of)
        if current and row.get("ons_code") not in raw.boundaries:
            errors.append(
                _error(
                    where,
                    "ons_code",
                    "no-boundary",
                    f'"{row.get("ons_code")}" has no area in {folder[0]}',
                    "run make boundaries with a file that covers every ICB",
                )
            )
    return errors


def _next(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def _overlap(a: dict, b: dict) -> bool:
    far = dt.date.max
    a_start, b_start = _date(a["valid_from"]) or dt.date.min, _date(b["valid_from"]) or dt.date.min
    a_end, b_end = _date(a.get("valid_to", "")) or far, _date(b.get("valid_to", "")) or far
    return a_start <= b_end and b_start <= a_end


def _consistent(row: dict) -> bool:
    """Its dates parse and are in order, so checks that lean on them can trust them."""
    start, end = _date(row.get("valid_from", "")), _date(row.get("valid_to", "") or "9999-12-31")
    return bool(start and end and start <= end)


def _in_force(row: dict, day: dt.date) -> bool:
    start, end = _date(row.get("valid_from", "")), _date(row.get("valid_to", ""))
    return bool(start) and start <= day and (end is None or day <= end)


_SCRIPT_LINK = re.compile(r"(javascript|vbscript|data)\s*:", re.I)


def check_case_study_bodies(raw: RawData) -> list[DataError]:
    """A body is plain Markdown: no raw HTML, and no script or data links."""
    table = raw.tables.get("case_studies")
    errors = []
    for where, row in _cells(table) if table else []:
        body = row.get("body", "")
        if _RAW_HTML.search(body):
            errors.append(
                _error(
                    where,
                    "body",
                    "raw-html",
                    "the body holds raw HTML",
                    "write plain Markdown; HTML tags are not allowed",
                )
            )
        if _SCRIPT_LINK.search(body):
            errors.append(
                _error(
                    where,
                    "body",
                    "unsafe-link",
                    "the body holds a javascript: or data: link",
                    "links must be http:// or https:// addresses",
                )
            )
    return errors


def check_figure_dates(raw: RawData) -> list[DataError]:
    """Every figure, in a case study or national, says when it applies: a period, or an
    as_of date."""
    tables = [raw.tables.get(name) for name in ("case_study_figures", "national_figures")]
    return [
        _error(
            where,
            "period",
            "required",
            "a figure needs a period or an as_of date",
            "e.g. period: 2018/19, or as_of: 2019-06-20",
        )
        for table in filter(None, tables)
        for where, row in _cells(table)
        if not row.get("period") and not row.get("as_of")
    ]


def check_shares(raw: RawData) -> list[DataError]:
    """A catchment row gives its share, at least the threshold; only measured bases give one."""
    table = raw.tables.get("memberships")
    return [
        error for where, row in (_cells(table) if table else []) if (error := _share(where, row))
    ]


def _share(where: Where, row: dict) -> DataError | None:
    basis, share = row.get("basis"), _number(row.get("share", "") or "x")
    if basis == "catchment" and share is None:
        hint = "the share of the trust's patients who live in the area, from 0 to 1"
        return _error(where, "share", "required", "a catchment row needs its share", hint)
    if basis == "catchment" and share < CATCHMENT_THRESHOLD:
        message = f"{share} is below the catchment threshold, {CATCHMENT_THRESHOLD}"
        return _error(where, "share", "threshold", message, "see docs/methodology.md")
    if share is not None and basis not in ("catchment", "geography"):
        message = f'a "{basis}" row has no measured share'
        return _error(where, "share", "unexpected", message, "leave share blank")
    return None


def check_mergers(raw: RawData) -> list[DataError]:
    """Nothing falls through a change of boards.

    An organisation that belongs to a system on the last day of any system belongs to one
    the next day too, unless the organisation itself closed that day or before.
    """
    tables = [raw.tables.get(name) for name in ("systems", "memberships", "organisations")]
    if not all(tables):
        return []
    systems, members, organisations = tables
    closed = {row["id"]: _date(row.get("valid_to", "")) for row in organisations.rows}
    eves = sorted({day for row in systems.rows if (day := _date(row.get("valid_to", "")))})
    return [error for eve in eves for error in _lost_on(members, closed, eve)]


def _lost_on(members: Table, closed: dict, eve: dt.date) -> list[DataError]:
    serving: dict[str, Where] = {}
    after = set()
    for where, row in _cells(members):
        if _member_on(row, eve):
            serving[row["organisation_id"]] = where
        if _member_on(row, _next(eve)):
            after.add(row["organisation_id"])
    lost = [
        (o, w) for o, w in serving.items() if o not in after and not _closed(closed.get(o), eve)
    ]
    return [_lost(where, org, eve) for org, where in lost]


def _lost(where: Where, org: str, eve: dt.date) -> DataError:
    message = f'"{org}" belongs to a board on {eve} but to none on {_next(eve)}'
    hint = "add its row in the board that took over its area, or give the organisation a valid_to"
    return _error(where, "valid_to", "lost-in-merger", message, hint)


def _member_on(row: dict, day: dt.date) -> bool:
    start = _date(row.get("valid_from", "")) or dt.date.min
    return start <= day <= (_date(row.get("valid_to", "")) or dt.date.max)


def _closed(end: dt.date | None, eve: dt.date) -> bool:
    return end is not None and end <= eve
