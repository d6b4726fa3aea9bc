"""Checks for the present day: former ids, codes over time, sources read at second hand,
and the dated rows that memberships and crosswalks name.

Each check takes the raw tables and returns a list of DataError, like those in validate.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from generator.cells import id_list
from generator.checks_common import cells, error, parse_date
from generator.errors import DataError
from generator.load import RawData, Table


def check_former_ids(raw: RawData) -> list[DataError]:
    """A former id belongs to one row and is no row's id now, so its old URL has one target."""
    systems = raw.tables.get("systems")
    if systems is None:
        return []
    ids = {row["id"] for row in systems.rows}
    seen: dict[str, int] = {}
    errors = []
    for where, row in cells(systems):
        for old in id_list(row.get("former_ids", "")):
            if old in ids or old in seen:
                errors.append(
                    error(
                        where,
                        "former_ids",
                        "unique",
                        f'"{old}" is already an id, or the former id of row {seen.get(old, "?")}',
                        "a former id names one row, and no row has it as its id",
                    )
                )
            seen.setdefault(old, where[1])
    return errors


def _span(row: dict) -> tuple[dt.date, dt.date]:
    return parse_date(row.get("valid_from", "")) or dt.date.min, parse_date(
        row.get("valid_to", "")
    ) or dt.date.max


def check_code_periods(raw: RawData) -> list[DataError]:
    """One entity has one code of each type on any day: its periods in codes.csv never overlap."""
    codes = raw.tables.get("codes")
    if codes is None:
        return []
    periods: dict[tuple, list] = defaultdict(list)
    errors = []
    for where, row in cells(codes):
        key = (row.get("entity_type"), row.get("entity_id"), row.get("code_type"))
        start, end = _span(row)
        for first_where, first_start, first_end, code in periods[key]:
            if start <= first_end and first_start <= end:
                errors.append(
                    error(
                        where,
                        "valid_from",
                        "overlap",
                        f'{key[2]} code "{row.get("code")}" of {key[1]} overlaps "{code}" '
                        f"of row {first_where[1]}",
                        "end the earlier code the day before the new one begins",
                    )
                )
        periods[key].append((where, start, end, row.get("code")))
    return errors


def check_code_entities(raw: RawData) -> list[DataError]:
    """Each code names a system or region that exists, and falls within that row's dates."""
    codes = raw.tables.get("codes")
    if codes is None:
        return []
    rows = {kind: _rows(raw.tables.get(kind + "s")) for kind in ("system", "region")}
    errors = []
    for where, row in cells(codes):
        entity = rows.get(row.get("entity_type"), {}).get(row.get("entity_id"))
        if entity is None:
            errors.append(
                error(
                    where,
                    "entity_id",
                    "foreign-key",
                    f'"{row.get("entity_id")}" is not a {row.get("entity_type")} id',
                    "use an id from systems.csv or regions.csv, as entity_type says",
                )
            )
        elif not _within(_span(row), _span(entity)):
            errors.append(
                error(
                    where,
                    "valid_from",
                    "date-range",
                    f"the code's dates fall outside those of {row['entity_id']}",
                    "a code is in force only while its system or region is",
                )
            )
    return errors


def _rows(table: Table | None) -> dict[str, dict]:
    return {row["id"]: row for row in table.rows} if table else {}


def _within(inner: tuple, outer: tuple) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def check_codes_agree(raw: RawData) -> list[DataError]:
    """A board's ods_code and ons_code in systems.csv are its codes on its first day."""
    codes, systems = raw.tables.get("codes"), raw.tables.get("systems")
    if codes is None or systems is None:
        return []
    starts = {i: row.get("valid_from") for i, row in _rows(systems).items()}
    first = {
        (row["entity_id"], row["code_type"]): row["code"]
        for row in codes.rows
        if row.get("entity_type") == "system"
        and row.get("valid_from") == starts.get(row["entity_id"])
    }
    errors = []
    for where, row in cells(systems):
        for kind in ("ods", "ons"):
            found = first.get((row["id"], kind))
            if found is not None and found != row.get(f"{kind}_code"):
                errors.append(
                    error(
                        where,
                        f"{kind}_code",
                        "codes",
                        f'"{row.get(f"{kind}_code")}" is not the code in codes.csv on '
                        f'{row["valid_from"]}, "{found}"',
                        "systems.csv holds the code in force when the row began",
                    )
                )
    return errors


UNREAD = re.compile(r"\bnot read directly\b", re.I)


def unread_sources(raw: RawData) -> set[str]:
    """Sources whose note says they were "not read directly": known of, but not read."""
    sources = raw.tables.get("sources")
    return (
        {row["id"] for row in sources.rows if UNREAD.search(row.get("note", ""))}
        if sources
        else set()
    )


def check_unread_not_alone(raw: RawData) -> list[DataError]:
    """A source marked "not read directly" may back a row, but never be its only source.

    The rule holds for each source column of each row (source_id, population_source_id, ...):
    at least one of the ids it lists must be a source that was read.
    """
    unread = unread_sources(raw)
    errors = []
    for table in raw.tables.values() if unread else []:
        columns = [n for n in table.header if n.endswith("source_id") or n == "sources"]
        for where, row in cells(table):
            for column in columns:
                ids = id_list(row.get(column, ""))
                if ids and set(ids) <= unread:
                    errors.append(
                        error(
                            where,
                            column,
                            "unread-source",
                            f'"{row[column]}" was not read directly, and is the only source here',
                            "cite a source that was read beside it, or leave the fact out",
                        )
                    )
    return errors


def check_membership_dates(raw: RawData) -> list[DataError]:
    """A membership falls within its system's dates, or ends the day before the system began
    (a predecessor's link): a row filed under the wrong dated row of a board is refused."""
    systems, memberships = raw.tables.get("systems"), raw.tables.get("memberships")
    if systems is None or memberships is None:
        return []
    spans = {row["id"]: _span(row) for row in systems.rows}
    errors = []
    for where, row in cells(memberships):
        start, end = _span(row)
        if row.get("system_id") not in spans:
            continue
        first, last = spans[row["system_id"]]
        if first == dt.date.min or last < first:
            continue  # the system's own dates are reported where they are wrong
        if end < first - dt.timedelta(days=1) or start > last:
            errors.append(
                error(
                    where,
                    "system_id",
                    "date-range",
                    f"the membership ({row.get('valid_from') or 'open'} to "
                    f"{row.get('valid_to') or 'open'}) is outside the dates of {row['system_id']}",
                    "file it under the row of the board in force at the time, "
                    "e.g. hampshire-and-isle-of-wight-2022 before April 2026",
                )
            )
    return errors


def check_crosswalk_dates(raw: RawData) -> list[DataError]:
    """A crosswalk row names the dated rows it means: its "from" board is in force on the last
    day before the "to" vintage begins, and its "to" board on that vintage's first day."""
    systems, crosswalks = raw.tables.get("systems"), raw.tables.get("crosswalks")
    if systems is None or crosswalks is None:
        return []
    organisations = raw.tables.get("organisations")
    spans = {
        "system": {row["id"]: _span(row) for row in systems.rows},
        "organisation": {row["id"]: _span(row) for row in organisations.rows}
        if organisations
        else {},
    }
    errors = []
    for where, row in cells(crosswalks):
        first = parse_date(f"{row.get('to_vintage')}-01")
        for field, table, day in (
            ("from_system_id", "system", -1),
            ("from_organisation_id", "organisation", -1),
            ("to_system_id", "system", 0),
        ):
            span = spans[table].get(row.get(field))
            when = first + dt.timedelta(days=day) if first else None
            if not span or span[1] < span[0]:
                continue  # an unknown id or a system's own dates are reported where they are
            if when and not span[0] <= when <= span[1]:
                errors.append(
                    error(
                        where,
                        field,
                        "date-range",
                        f'"{row[field]}" is not in force on {when}',
                        "name the board's row in force then, "
                        "e.g. hampshire-and-isle-of-wight-2022 before April 2026",
                    )
                )
    return errors


CHECKS = (
    check_membership_dates,
    check_crosswalk_dates,
    check_former_ids,
    check_code_periods,
    check_code_entities,
    check_codes_agree,
    check_unread_not_alone,
)
