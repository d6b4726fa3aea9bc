"""Crosswalks between vintages of boards, rebuilt from official figures (``make crosswalks``).

    python -m generator.crosswalks --official tests/fixtures/official --data data

reads four reduced ONS files in ``--official`` (their README says where each comes from):
the mid-2022 populations of the Sub-ICB Locations of April 2023 and of the CCGs of April 2021
(SAPE24; ``--workbook`` reduces them from ONS's workbook first), the Sub-ICB Location to ICB
lookup of April 2026, and the mid-2022 district populations; and from ``--data`` the codes
over time (``codes.csv``), the CCGs (``organisations.csv``), the partnerships
(``systems.csv``) and each district's board in April 2026 (``reference/lad_boards.csv``). It
writes ``crosswalks.csv``: the CCGs and partnerships of 2021/22 shared among the boards of
July 2022 (``crosswalks_2022``), those boards among the boards of April 2023, and these among
the boards of April 2026 (below).

A Sub-ICB Location that keeps its ONS code in the 2026 lookup goes whole to its 2026 board.
So does one that ONS recoded because it grew (its short code, such as 92A, stays, in one
board). The one ONS divided, Frimley's D4U1Y, is shared out by district figures:
Thames Valley takes the districts of east Berkshire; Hampshire and Isle of Wight the sum of
its 2026 districts less its area of 2023; Surrey and Sussex the rest, which must equal its
own district sum less its whole Sub-ICB Locations. Nothing is estimated: every figure is an
ONS figure or a sum or difference of ONS figures, and any that do not add up stop the run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

from generator import crosswalks_2022
from generator.crosswalks_2022 import joined, short_code

FROM_VINTAGE, TO_VINTAGE = "2023-04", "2026-04"
LAST_DAY, FIRST_DAY = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
DIVIDED = "D4U1Y"  # NHS Frimley ICB - D4U1Y, the Sub-ICB Location ONS divided in April 2026
THAMES_VALLEY, HAMPSHIRE, SURREY_SUSSEX = "E54000070", "E54000067", "E54000069"
EAST_BERKSHIRE = {  # the Frimley districts that joined Thames Valley
    "E06000036": "Bracknell Forest",
    "E06000039": "Slough",
    "E06000040": "Windsor and Maidenhead",
}
METHOD = "ons-mid2022-crosswalk-icb23-icb26"
WHOLE_SOURCES = f"{METHOD};ons-sape-mid2022;ons-sicbl26-icb26-nhser26"
PART_SOURCES = f"{METHOD};ons-sape-mid2022;ons-mye-mid2022-lad-sums-2026;ons-sicbl26-icb26-nhser26"
COLUMNS = (
    "from_vintage",
    "from_system_id",
    "from_organisation_id",
    "to_vintage",
    "to_system_id",
    "population",
    "share",
    "basis",
    "source_id",
)
OFFICIAL_FILES = ("sape24_mid2022_sicbl23.csv", "sicbl26_icb26_nhser26.csv", "mye_mid2022_lad.csv")
CCG_FILE = "sape24_mid2022_ccg21.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def board_ids(codes: list[dict], day: dt.date) -> dict[str, str]:
    """Each board's ONS code in force on ``day``, with the id of its row in systems.csv."""
    found = {}
    for row in codes:
        start = dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else dt.date.min
        end = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else dt.date.max
        if (row["entity_type"], row["code_type"]) == ("system", "ons") and start <= day <= end:
            found[row["code"]] = row["entity_id"]
    return found


def district_boards(lad_boards: list[dict], vintage: str = TO_VINTAGE) -> dict[str, str]:
    """Each district's board in ``vintage``: the one that holds most of its postcodes."""
    best: dict[str, tuple[float, str]] = {}
    for row in lad_boards:
        share = float(row["share"])
        if row["vintage"] == vintage and share > best.get(row["lad_code"], (-1.0, ""))[0]:
            best[row["lad_code"]] = (share, row["ons_code"])
    return {lad: code for lad, (_, code) in best.items()}


def build_crosswalk(
    sape: list[dict],
    lookup: list[dict],
    districts: list[dict],
    lad_board: dict[str, str],
    ids: tuple[dict[str, str], dict[str, str]],
) -> list[dict]:
    """The rows of crosswalks.csv: the boards of April 2023 shared among those of April 2026.

    ``ids`` maps ONS board codes to system ids on the last day of the old boards and the
    first day of the new. Raises ValueError where the figures do not add up.
    """
    whole, divided = _whole_locations(sape, lookup)
    people = {r["LAD_CODE"]: int(r["POPULATION"]) for r in districts}
    parts = _divided_parts(divided, whole, people, lad_board)
    rows = _whole_rows(whole) + [
        _part_row(divided, to, population, basis) for to, (population, basis) in parts.items()
    ]
    return [_finished(row, ids) for row in rows]


def _whole_locations(sape: list[dict], lookup: list[dict]) -> tuple[list[dict], dict]:
    """Each Sub-ICB Location of 2023 that goes whole to one board, and the one divided."""
    by_code = {r["SICBL26CD"]: r for r in lookup}
    by_short = {r["SICBL26CDH"]: r for r in lookup}
    whole, divided = [], None
    for r in sape:
        short = short_code(r["SICBL23NM"])
        new = by_code.get(r["SICBL23CD"]) or by_short.get(short)
        item = {**r, "short": short, "to": new and new["ICB26CD"], "recoded": False}
        if short == DIVIDED:
            divided = item
        elif new is None:
            raise ValueError(f"{short} is in neither the 2026 lookup nor the divided one")
        else:
            whole.append({**item, "recoded": new["SICBL26CD"] != r["SICBL23CD"]})
    if divided is None:
        raise ValueError(f"{DIVIDED} is not among the Sub-ICB Locations of 2023")
    return whole, divided


def _divided_parts(divided: dict, whole: list[dict], people: dict, lad_board: dict) -> dict:
    """The parts of the divided Sub-ICB Location: {2026 board: (population, basis)}."""

    def kept(board: str) -> int:
        return sum(int(r["Total"]) for r in whole if r["to"] == board)

    def districts_of(board: str) -> int:
        return sum(n for lad, n in people.items() if lad_board.get(lad) == board)

    total = int(divided["Total"])
    east = sum(people[lad] for lad in EAST_BERKSHIRE)
    south = districts_of(HAMPSHIRE) - kept(HAMPSHIRE)
    rest = total - east - south
    if rest != districts_of(SURREY_SUSSEX) - kept(SURREY_SUSSEX) or min(east, south, rest) < 1:
        raise ValueError(f"the parts of {DIVIDED} do not add up: {east}, {south}, {rest}")
    names = joined(list(EAST_BERKSHIRE.values()))
    return {
        THAMES_VALLEY: (east, f"the ONS mid-2022 estimates of {names}, which joined this board"),
        HAMPSHIRE: (
            south,
            f"the ONS mid-2022 estimates of this board's districts of April 2026 "
            f"({districts_of(HAMPSHIRE):,}) less the ONS figure of its Sub-ICB Locations of "
            f"April 2023 ({kept(HAMPSHIRE):,})",
        ),
        SURREY_SUSSEX: (
            rest,
            f"what is left of {DIVIDED}'s ONS figure ({total:,}) after the other two parts, "
            f"the same as the ONS mid-2022 estimates of this board's districts of April 2026 "
            f"({districts_of(SURREY_SUSSEX):,}) less the ONS figure of its Sub-ICB Locations "
            f"of April 2023 ({kept(SURREY_SUSSEX):,})",
        ),
    }


def _whole_rows(whole: list[dict]) -> list[dict]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in whole:
        groups[r["ICB23CD"], r["to"]].append(r)
    return [
        {
            "from": old,
            "to": new,
            "population": sum(int(r["Total"]) for r in group),
            "basis": _whole_basis(group),
            "source_id": WHOLE_SOURCES,
        }
        for (old, new), group in groups.items()
    ]


def _whole_basis(group: list[dict]) -> str:
    codes = sorted(r["short"] for r in group)
    noun = "Sub-ICB Location" if len(codes) == 1 else "Sub-ICB Locations"
    text = (
        f"{noun} {joined(codes)} counted whole (ONS mid-2022 estimates, boundaries of April "
        f"2023): the ONS lookup of April 2026 places {'it' if len(codes) == 1 else 'each'} "
        "in this board."
    )
    grown = sorted(r["short"] for r in group if r["recoded"])
    if grown:
        text += (
            f" ONS gave {joined(grown)} a new code in April 2026, when this board gained part "
            "of Frimley; the lookup keeps the short code in this board, so the area of 2023 "
            "is counted here whole."
        )
    return text


def _part_row(divided: dict, to: str, population: int, how: str) -> dict:
    return {
        "from": divided["ICB23CD"],
        "to": to,
        "population": population,
        "basis": f"Part of Frimley's Sub-ICB Location {DIVIDED}, which ONS divided in April "
        f"2026: {how}.",
        "source_id": PART_SOURCES,
    }


def _finished(row: dict, ids: tuple[dict, dict]) -> dict:
    return {
        "from_vintage": FROM_VINTAGE,
        "from_system_id": ids[0][row["from"]],
        "to_vintage": TO_VINTAGE,
        "to_system_id": ids[1][row["to"]],
        "population": row["population"],
        "basis": row["basis"],
        "source_id": row["source_id"],
    }


def with_shares(rows: list[dict]) -> list[dict]:
    """Every row with its share of its "from" total, in a stable order."""
    totals: dict[tuple, int] = defaultdict(int)
    for row in rows:
        totals[_from(row)] += row["population"]
    done = [
        {
            **{column: row.get(column, "") for column in COLUMNS},
            "share": f"{row['population'] / totals[_from(row)]:.6f}",
        }
        for row in rows
    ]
    return sorted(done, key=lambda r: (*_from(r), r["to_vintage"], r["to_system_id"]))


def _from(row: dict) -> tuple[str, str, str]:
    return (
        row["from_vintage"],
        row.get("from_system_id") or "",
        row.get("from_organisation_id") or "",
    )


def rebuild(official: Path, data: Path) -> list[dict]:
    """The crosswalk from the official files and the data folder's codes, organisations,
    systems and districts."""
    sape, lookup, districts = (read_rows(Path(official) / name) for name in OFFICIAL_FILES)
    codes = read_rows(Path(data) / "codes.csv")
    lad_board = district_boards(read_rows(Path(data) / "reference" / "lad_boards.csv"))
    ids = (board_ids(codes, LAST_DAY), board_ids(codes, FIRST_DAY))
    rows = build_crosswalk(sape, lookup, districts, lad_board, ids)
    rows += crosswalks_2022.build(
        read_rows(Path(official) / CCG_FILE),
        sape,
        ccg_ids(read_rows(Path(data) / "organisations.csv")),
        board_ids(codes, crosswalks_2022.FIRST_ICB23_DAY),
        partnership_ids(read_rows(Path(data) / "systems.csv"), codes),
    )
    return with_shares(rows)


def ccg_ids(organisations: list[dict]) -> dict[str, tuple[str, str]]:
    """Each CCG's ONS code, with its id in organisations.csv and its short (ODS) code."""
    return {r["ons_code"]: (r["id"], r["ods_code"]) for r in organisations if r["type"] == "ccg"}


def partnership_ids(systems: list[dict], codes: list[dict]) -> dict[str, str]:
    """The partnership in force on 30 June 2022 for each STP code of 2021: by its own ONS code,
    or, where its row has none, by the ONS code its board of July 2022 kept."""
    day = crosswalks_2022.LAST_CCG_DAY.isoformat()
    last = [
        row
        for row in systems
        if row["kind"] != "icb" and row["valid_from"] <= day <= (row["valid_to"] or day)
    ]
    boards = {v: k for k, v in board_ids(codes, crosswalks_2022.FIRST_ICB_DAY).items()}
    found = {}
    for system in last:
        code = system["ons_code"] or boards.get(system["successor_ids"], "")
        if not code:
            raise ValueError(f"{system['id']} has no ONS code of its own or of its board")
        if code in found:
            raise ValueError(f"{system['id']} and {found[code]} both have the ONS code {code}")
        found[code] = system["id"]
    return found


def write_crosswalk(rows: list[dict], path: Path) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m generator.crosswalks", description=__doc__)
    parser.add_argument("--official", type=Path, default=Path("tests/fixtures/official"))
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument(
        "--workbook",
        type=Path,
        help="the ONS SAPE24 workbook: reduce its sheets into --official first",
    )
    args = parser.parse_args(argv)
    if args.workbook:
        for path in crosswalks_2022.reduce_workbook(args.workbook, args.official):
            print(f"wrote {path}")
    try:
        rows = rebuild(args.official, args.data)
    except (OSError, KeyError, ValueError) as exc:
        reason = f"no {exc} in the official files or the data" if isinstance(exc, KeyError) else exc
        sys.exit(f"make crosswalks: {reason}; nothing was written (see {args.official}/README.md)")
    write_crosswalk(rows, args.data / "crosswalks.csv")
    print(f"wrote {len(rows)} rows to {args.data / 'crosswalks.csv'}")


if __name__ == "__main__":
    main()
