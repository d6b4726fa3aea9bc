"""Checks across rows and tables: keys, successors, events, codes in time, boundaries and
mergers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.boundaries import GEO_DIR
from generator.cells import id_list
from generator.checks_common import Where, cells, error, parse_date
from generator.errors import DataError
from generator.load import RawData, Table

# Vanguards (2015) came before the footprints they are filed under, and an announcement
# comes before the system it announces, so neither is held to its system's dates.
UNDATED_TYPES = {"vanguard", "announced"}
# An ending takes effect the day after the system's last day in force.
ENDING_TYPES = {"abolished", "merged"}


def _keys(value: str, field: str, schema_field: dict) -> list[str]:
    """The keys a cell holds: sources, systems and themes may list several, separated by ;."""
    if not value:
        return []
    several = field.endswith("source_id") or schema_field.get("x-list")
    return list(id_list(value)) if several else [value]


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
            for where, row in cells(table):
                for value in _keys(row.get(field, ""), field, table.field(field)):
                    if value not in known:
                        errors.append(
                            error(
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
        error(
            where,
            "successor_ids",
            "foreign-key",
            f'"{successor}" is not in the id column of {systems.path}',
            "separate several ids with ;",
        )
        for where, row in cells(systems)
        for successor in id_list(row.get("successor_ids"))
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
    for where, row in cells(systems):
        successors = list(id_list(row.get("successor_ids")))
        end = parse_date(row.get("valid_to", ""))
        if successors and end is None:
            errors.append(
                error(
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
                    error(
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
    for where, row in cells(events):
        system, day, kind = (
            spans.get(row.get("system_id", "")),
            parse_date(row.get("date", "")),
            row.get("type"),
        )
        if kind == "ics_designated":
            first = designated.setdefault(row.get("system_id", ""), where)
            if first != where:
                errors.append(
                    error(
                        where,
                        "type",
                        "unique",
                        f'"{row["system_id"]}" is already designated in row {first[1]}',
                        "a system is designated an ICS once",
                    )
                )
        if not (system and day and _consistent(system)) or kind in UNDATED_TYPES:
            continue
        end = parse_date(system.get("valid_to", ""))
        ends_here = kind in ENDING_TYPES and end is not None and day == _next(end)
        if not _in_force(system, day) and not ends_here:
            span = f"{system['valid_from']} to {system.get('valid_to') or 'now'}"
            errors.append(
                error(
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
        for where, row in cells(systems):
            value = row.get(code, "") if _consistent(row) else ""
            for first_where, first in seen[value] if value else []:
                if _overlap(first, row):
                    errors.append(
                        error(
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
    as_of = parse_date(str(raw.meta.get("as_of")))
    if not raw.boundaries or systems is None or as_of is None:
        return []
    folder = ((raw.data_dir / GEO_DIR).as_posix() + "/", 0)
    known = {row.get("ons_code") for row in systems.rows}
    errors = [
        error(
            folder,
            "ons_code",
            "foreign-key",
            f'area "{code}" is not the ons_code of any row in {systems.path}',
            "the boundary files and systems.csv must use the same ONS codes",
        )
        for code in sorted(set(raw.boundaries) - known)
    ]
    for where, row in cells(systems):
        current = row.get("kind") == "icb" and _consistent(row) and _in_force(row, as_of)
        if current and row.get("ons_code") not in raw.boundaries:
            errors.append(
                error(
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
    a_start, b_start = (
        parse_date(a["valid_from"]) or dt.date.min,
        parse_date(b["valid_from"]) or dt.date.min,
    )
    a_end, b_end = (
        parse_date(a.get("valid_to", "")) or far,
        parse_date(b.get("valid_to", "")) or far,
    )
    return a_start <= b_end and b_start <= a_end


def _consistent(row: dict) -> bool:
    """Its dates parse and are in order, so checks that lean on them can trust them."""
    start, end = (
        parse_date(row.get("valid_from", "")),
        parse_date(row.get("valid_to", "") or "9999-12-31"),
    )
    return bool(start and end and start <= end)


def _in_force(row: dict, day: dt.date) -> bool:
    start, end = parse_date(row.get("valid_from", "")), parse_date(row.get("valid_to", ""))
    return bool(start) and start <= day and (end is None or day <= end)


def check_mergers(raw: RawData) -> list[DataError]:
    """Nothing falls through a change of boards.

    An organisation that belongs to a system on the last day of any system belongs to one
    the next day too, unless the organisation itself closed that day or before.
    """
    tables = [raw.tables.get(name) for name in ("systems", "memberships", "organisations")]
    if not all(tables):
        return []
    systems, members, organisations = tables
    closed = {row["id"]: parse_date(row.get("valid_to", "")) for row in organisations.rows}
    eves = sorted({day for row in systems.rows if (day := parse_date(row.get("valid_to", "")))})
    return [error for eve in eves for error in _lost_on(members, closed, eve)]


def _lost_on(members: Table, closed: dict, eve: dt.date) -> list[DataError]:
    serving: dict[str, Where] = {}
    after = set()
    for where, row in cells(members):
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
    return error(where, "valid_to", "lost-in-merger", message, hint)


def _member_on(row: dict, day: dt.date) -> bool:
    start = parse_date(row.get("valid_from", "")) or dt.date.min
    return start <= day <= (parse_date(row.get("valid_to", "")) or dt.date.max)


def _closed(end: dt.date | None, eve: dt.date) -> bool:
    return end is not None and end <= eve


CHECKS = (
    check_foreign_keys,
    check_successors,
    check_codes_unique_in_time,
    check_successor_dates,
    check_events,
    check_boundaries,
    check_mergers,
)
