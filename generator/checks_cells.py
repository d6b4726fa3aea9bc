"""Checks of single cells and rows: formulas, raw HTML and control characters, coordinates,
date order, case-study bodies and figures, membership and crosswalk shares."""

from __future__ import annotations

import re
from collections import defaultdict

from generator.checks_common import Where, cells, error, parse_date
from generator.errors import DataError
from generator.escape import FORMULA_START
from generator.load import RawData, Table

NUMERIC_TYPES = {"integer", "number"}
_RAW_HTML = re.compile(r"<\s*[a-zA-Z!/?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCRIPT_LINK = re.compile(r"(javascript|vbscript|data)\s*:", re.I)
# An acute trust counts in a board where at least this share of its patients live (OHID).
CATCHMENT_THRESHOLD = 0.10
# England, with a margin: latitude and longitude in degrees.
ENGLAND_LAT, ENGLAND_LON = (49.8, 55.9), (-6.5, 1.9)
# How far a crosswalk share may stray from its population over the board's total.
SHARE_TOLERANCE = 0.001


def check_formula_cells(table: Table) -> list[DataError]:
    """Text that a spreadsheet would run as a formula is refused at the source."""
    text_fields = [f["name"] for f in table.schema["fields"] if f.get("type") not in NUMERIC_TYPES]
    return [
        error(
            where,
            name,
            "formula",
            f'"{row[name]}" starts like a spreadsheet formula',
            "text may not begin with = + - @, a tab or a carriage return",
        )
        for where, row in cells(table)
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
    for where, row in cells(table):
        for name in fields:
            value = row.get(name, "")
            if _CONTROL.search(value):
                errors.append(
                    error(
                        where,
                        name,
                        "control-character",
                        "the text holds an invisible control character",
                        "retype the value; such characters often come from copying out of a PDF",
                    )
                )
            if name != "body" and _RAW_HTML.search(value):
                errors.append(
                    error(
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
    for where, row in cells(table):
        lat, lon = _number(row.get("lat", "")), _number(row.get("lon", ""))
        if lat is None or lon is None or (_within(lat, ENGLAND_LAT) and _within(lon, ENGLAND_LON)):
            continue
        swapped = _within(lon, ENGLAND_LAT) and _within(lat, ENGLAND_LON)
        errors.append(
            error(
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
    for where, row in cells(table):
        start, end = parse_date(row["valid_from"]), parse_date(row["valid_to"])
        if start and end and end < start:
            errors.append(
                error(
                    where,
                    "valid_to",
                    "date-order",
                    f"{end} is before valid_from {start}",
                    "valid_to is the last day the row was in force",
                )
            )
    return errors


def check_case_study_bodies(raw: RawData) -> list[DataError]:
    """A body is plain Markdown: no raw HTML, and no script or data links."""
    table = raw.tables.get("case_studies")
    errors = []
    for where, row in cells(table) if table else []:
        body = row.get("body", "")
        if _RAW_HTML.search(body):
            errors.append(
                error(
                    where,
                    "body",
                    "raw-html",
                    "the body holds raw HTML",
                    "write plain Markdown; HTML tags are not allowed",
                )
            )
        if _SCRIPT_LINK.search(body):
            errors.append(
                error(
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
        error(
            where,
            "period",
            "required",
            "a figure needs a period or an as_of date",
            "e.g. period: 2018/19, or as_of: 2019-06-20",
        )
        for table in filter(None, tables)
        for where, row in cells(table)
        if not row.get("period") and not row.get("as_of")
    ]


def check_shares(raw: RawData) -> list[DataError]:
    """A catchment row gives its share, at least the threshold; only measured bases give one."""
    table = raw.tables.get("memberships")
    return [
        error for where, row in (cells(table) if table else []) if (error := _share(where, row))
    ]


def _share(where: Where, row: dict) -> DataError | None:
    basis, share = row.get("basis"), _number(row.get("share", "") or "x")
    if basis == "catchment" and share is None:
        hint = "the share of the trust's patients who live in the area, from 0 to 1"
        return error(where, "share", "required", "a catchment row needs its share", hint)
    if basis == "catchment" and share < CATCHMENT_THRESHOLD:
        message = f"{share} is below the catchment threshold, {CATCHMENT_THRESHOLD}"
        return error(where, "share", "threshold", message, "see docs/methodology.md")
    if share is not None and basis not in ("catchment", "geography"):
        message = f'a "{basis}" row has no measured share'
        return error(where, "share", "unexpected", message, "leave share blank")
    return None


def check_crosswalk_shares(raw: RawData) -> list[DataError]:
    """Each crosswalk share is its population over the total of its "from" board's rows, and
    the shares of one board add up to 1 (each within SHARE_TOLERANCE)."""
    table = raw.tables.get("crosswalks")
    groups: dict[tuple, list] = defaultdict(list)
    for where, row in cells(table) if table else []:
        groups[row.get("from_vintage"), _crosswalk_from(row)].append((where, row))
    return [e for group in groups.values() for e in _crosswalk_shares(group)]


def check_crosswalk_from(raw: RawData) -> list[DataError]:
    """A crosswalk row counts its residents from one system or one CCG, not both or neither."""
    table = raw.tables.get("crosswalks")
    both = ("from_system_id", "from_organisation_id")
    return [
        error(
            where,
            "from_system_id",
            "from",
            "give a from_system_id or a from_organisation_id"
            if not any(row.get(f) for f in both)
            else "give a from_system_id or a from_organisation_id, not both",
            "a board or partnership goes in from_system_id, a CCG in from_organisation_id",
        )
        for where, row in (cells(table) if table else [])
        if bool(row.get(both[0])) == bool(row.get(both[1]))
    ]


def _crosswalk_from(row: dict) -> str:
    return row.get("from_system_id") or row.get("from_organisation_id") or ""


def _crosswalk_shares(group: list[tuple[Where, dict]]) -> list[DataError]:
    shares = [_number(row.get("share") or "x") for _, row in group]
    people = [_number(row.get("population") or "x") for _, row in group]
    if None in shares or None in people or not sum(people):
        return []  # the schema check reports a missing or malformed number
    hint = "share is population divided by the sum of the populations of the board's rows"
    errors = [
        error(
            where,
            "share",
            "share",
            f"{share} is not its population's share, {n / sum(people):.6f}",
            hint,
        )
        for (where, _), share, n in zip(group, shares, people, strict=True)
        if abs(share - n / sum(people)) > SHARE_TOLERANCE
    ]
    if not errors and abs(sum(shares) - 1) > SHARE_TOLERANCE:
        board = _crosswalk_from(group[-1][1])
        message = f"the shares of {board} add up to {sum(shares):.6f}, not 1"
        errors.append(error(group[-1][0], "share", "share-sum", message, hint))
    return errors


TABLE_CHECKS = (check_formula_cells, check_text_cells, check_coordinates, check_date_order)
DATA_CHECKS = (
    check_case_study_bodies,
    check_figure_dates,
    check_shares,
    check_crosswalk_shares,
    check_crosswalk_from,
)
