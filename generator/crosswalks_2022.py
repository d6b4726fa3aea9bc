"""The crosswalks into and out of the boards of July 2022, from ONS mid-2022 estimates.

Three steps, each from the same ONS release (SAPE24), counted on two sets of boundaries:
the 106 clinical commissioning groups of April 2021 (whose STP code says which partnership
each was in) and the 106 Sub-ICB Locations of April 2023.

- **CCGs of 2021/22 to the boards of July 2022.** A CCG whose ONS code the Sub-ICB Locations
  of 2023 still use kept its area, and goes whole to that Sub-ICB Location's board. A CCG
  whose area changed on 1 July 2022 is matched with the Sub-ICB Location of its short code:
  what it lost (the CCG's figure less the Sub-ICB Location's) went to the board named in
  ``MOVED_JULY_2022``, which must have gained exactly as many.
- **Partnerships of 2021/22 to the boards of July 2022**: the same parts, summed by the
  STP code of each CCG.
- **The boards of July 2022 to those of April 2023**: unchanged but for ``MOVED_APRIL_2023``.

Every figure is an ONS figure, or a sum or difference of ONS figures; any that do not add up
stop the run.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from generator.cells import id_list, join_ids

CCG_VINTAGE, ICB22_VINTAGE, ICB23_VINTAGE = "2021-04", "2022-07", "2023-04"
LAST_CCG_DAY, FIRST_ICB_DAY = dt.date(2022, 6, 30), dt.date(2022, 7, 1)
FIRST_ICB23_DAY = dt.date(2023, 4, 1)


class Move(NamedTuple):
    """Part of one short code's area that went to another's board."""

    losing: str
    gaining: str
    area: str
    source_id: str


MOVED_JULY_2022 = (
    Move("01Y", "15M", "Glossop", "jucd-2021-10-glossop"),
    Move("D2P2L", "15E", "West Birmingham", "hansard-2021-07-22-ics-boundaries"),
    Move("06H", "78H", "the Oundle area", "northamptonshire-hcp-2022-oundle"),
)
MOVED_APRIL_2023 = (
    Move("92A", "70F", "four small areas of Chichester (001A to 001D)", "ons-lsoa21-icb24"),
)
CCG_SOURCES = "ons-mid2022-crosswalk-ccg21-icb22;ons-sape-mid2022;ons-loc22-icb22-nhser22"
ICB22_SOURCES = "ons-mid2022-crosswalk-icb22-icb23;ons-sape-mid2022;ons-loc22-icb22-nhser22"


SAPE_SHEETS = {  # the sheets of the ONS workbook read, and the names their columns are given
    "sape24_mid2022_sicbl23.csv": (
        "Mid-2022 ICB 2023",
        {"SICBL 2023 Code": "SICBL23CD", "SICBL 2023 Name": "SICBL23NM",
         "ICB 2023 Code": "ICB23CD", "ICB 2023 Name": "ICB23NM",
         "NHSER 2023 Code": "NHSER23CD", "NSHER 2023 Name": "NHSER23NM", "Total": "Total"},
    ),
    "sape24_mid2022_ccg21.csv": (
        "Mid-2022 CCG 2021",
        {"CCG 2021 Code": "CCG21CD", "CCG 2021 Name": "CCG21NM",
         "STP 2021 Code": "STP21CD", "STP 2021 Name": "STP21NM",
         "NHSER 2021 Code": "NHSER21CD", "NHSER 2021 Name": "NHSER21NM", "Total": "Total"},
    ),
}  # fmt: skip


def reduce_workbook(workbook: Path, official: Path) -> list[Path]:
    """Write the reduced CSV files of ``SAPE_SHEETS`` from the ONS workbook (SAPE24)."""
    import openpyxl  # only this reduction reads a workbook

    book = openpyxl.load_workbook(workbook, read_only=True)
    written = []
    for name, (sheet, columns) in SAPE_SHEETS.items():
        rows = list(book[sheet].iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row[0] == next(iter(columns)))
        names = list(rows[header][: len(columns)])
        if names != list(columns):
            raise ValueError(f"{sheet}: the columns are {names}, not {list(columns)}")
        with (Path(official) / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns.values())
            writer.writerows(row[: len(columns)] for row in rows[header + 1 :] if row[0])
        written.append(Path(official) / name)
    return written


def short_code(name: str) -> str:
    """The short code at the end of an ONS Sub-ICB Location name: "NHS Frimley ICB - D4U1Y"."""
    return name.rsplit(" - ", 1)[-1]


def build(
    ccgs: list[dict],
    sicbls: list[dict],
    ccg_ids: dict[str, tuple[str, str]],
    board_ids: dict[str, str],
    partnership_ids: dict[str, str],
) -> list[dict]:
    """Rows of crosswalks.csv from the CCGs and partnerships of 2021/22 to the boards of July
    2022, and from those to the boards of April 2023.

    ``ccgs`` and ``sicbls`` are the reduced ONS rows; ``ccg_ids`` maps a CCG's ONS code to its
    organisation id and short code; ``board_ids`` an ICB's ONS code of April 2023 to its
    system id; ``partnership_ids`` an STP code of 2021 to the system in force on 30 June 2022.
    """
    figures = Figures(
        {ccg_ids[r["CCG21CD"]][1]: r for r in ccgs},
        {short_code(r["SICBL23NM"]): r for r in sicbls},
    )
    parts = _ccg_parts(ccgs, sicbls, figures, ccg_ids, board_ids)
    rows = [_ccg_row(ccg_ids[code][0], part) for code, group in parts.items() for part in group]
    rows += _partnership_rows(ccgs, parts, partnership_ids)
    rows += _april_2023_rows(parts, figures, board_ids)
    return rows


class Part(NamedTuple):
    board: str
    population: int
    basis: str
    source_id: str


class Figures(NamedTuple):
    """The ONS rows by short code: the CCGs of April 2021, the Sub-ICB Locations of 2023."""

    ccgs: dict[str, dict]
    sicbls: dict[str, dict]

    def moved(self, move: Move) -> int:
        """The residents of ``move``: what its losing area lost from the one set of boundaries
        to the other, which must be what the gaining area gained."""
        lost = int(self.ccgs[move.losing]["Total"]) - int(self.sicbls[move.losing]["Total"])
        gained = int(self.sicbls[move.gaining]["Total"]) - int(self.ccgs[move.gaining]["Total"])
        if lost < 1 or lost != gained:
            message = f"{move.area}: {move.losing} lost {lost}, which {move.gaining} did not gain"
            raise ValueError(f"{message} (it gained {gained})")
        return lost


def _ccg_parts(ccgs, sicbls, figures: Figures, ccg_ids, board_ids) -> dict[str, list[Part]]:
    """Each CCG's residents by their board of July 2022: {CCG's ONS code: [Part, ...]}."""
    by_code = {r["SICBL23CD"]: r for r in sicbls}
    parts: dict[str, list[Part]] = {}
    for ccg in ccgs:
        short = ccg_ids[ccg["CCG21CD"]][1]
        kept = by_code.get(ccg["CCG21CD"]) or figures.sicbls.get(short)
        if kept is None:
            raise ValueError(f"CCG {short} has no Sub-ICB Location of 2023 with its code")
        total, board = int(ccg["Total"]), board_ids[kept["ICB23CD"]]
        move = _move_of(short, MOVED_JULY_2022, "losing")
        if move:
            lost = figures.moved(move)
            parts[ccg["CCG21CD"]] = [
                Part(board, total - lost, _kept_basis(short, total, lost, move), CCG_SOURCES),
                # what moved, sourced also by who says it did
                Part(
                    board_ids[figures.sicbls[move.gaining]["ICB23CD"]],
                    lost,
                    _moved_basis(short, total, total - lost, move),
                    join_ids([CCG_SOURCES, move.source_id]),
                ),
            ]
            continue
        later = _move_of(short, MOVED_APRIL_2023, "losing", "gaining")
        gained_2022 = _move_of(short, MOVED_JULY_2022, "gaining")
        if total != int(kept["Total"]) and not (later or gained_2022):
            difference = total - int(kept["Total"])
            raise ValueError(
                f"CCG {short}'s figure differs from its Sub-ICB Location's: {difference}"
            )
        parts[ccg["CCG21CD"]] = [Part(board, total, _whole_basis(short, gained_2022), CCG_SOURCES)]
    return parts


def _move_of(short: str, moves: tuple[Move, ...], *sides: str) -> Move | None:
    return next((m for m in moves if short in (getattr(m, side) for side in sides)), None)


def _whole_basis(short: str, gained: Move | None) -> str:
    text = (
        f"CCG {short} counted whole (ONS mid-2022 estimates on the CCG boundaries of April "
        "2021): its area is in this board in July 2022."
    )
    if gained:
        text += f" The board also took {gained.area} from CCG {gained.losing}."
    return text


def _kept_basis(short: str, total: int, lost: int, move: Move) -> str:
    return (
        f"CCG {short} less {move.area}: the ONS mid-2022 figure of Sub-ICB Location {short} "
        f"of this board, which is the CCG ({total:,}) without the {lost:,} residents who moved."
    )


def _moved_basis(short: str, total: int, kept: int, move: Move) -> str:
    return (
        f"{_capital(move.area)}, which moved from CCG {short} to this board on 1 July 2022: "
        f"the CCG's ONS mid-2022 figure ({total:,}) less that of Sub-ICB Location {short} "
        f"({kept:,}), the same number that Sub-ICB Location {move.gaining} gained over its CCG."
    )


def _ccg_row(ccg_id: str, part: Part) -> dict:
    return {
        "from_vintage": CCG_VINTAGE,
        "from_organisation_id": ccg_id,
        "to_vintage": ICB22_VINTAGE,
        "to_system_id": part.board,
        "population": part.population,
        "basis": part.basis,
        "source_id": part.source_id,
    }


def _partnership_rows(ccgs, parts, partnership_ids) -> list[dict]:
    sums: dict[tuple[str, str], list] = defaultdict(lambda: [0, [], set()])
    for ccg in ccgs:
        for part in parts[ccg["CCG21CD"]]:
            entry = sums[partnership_ids[ccg["STP21CD"]], part.board]
            entry[0] += part.population
            entry[1].append(ccg["CCG21NM"] + (" (part)" if len(parts[ccg["CCG21CD"]]) > 1 else ""))
            entry[2].update(id_list(part.source_id))
    return [
        {
            "from_vintage": CCG_VINTAGE,
            "from_system_id": partnership,
            "to_vintage": ICB22_VINTAGE,
            "to_system_id": board,
            "population": population,
            "basis": "The ONS mid-2022 estimates of the partnership's CCGs of April 2021 (by "
            f"ONS's STP code) that went to this board: {joined(sorted(names))}.",
            "source_id": _sources("ons-mid2022-crosswalk-ccg21-icb22", sources),
        }
        for (partnership, board), (population, names, sources) in sums.items()
    ]


def _april_2023_rows(parts, figures: Figures, board_ids) -> list[dict]:
    areas: dict[str, int] = defaultdict(int)
    for group in parts.values():
        for part in group:
            areas[part.board] += part.population
    moved = {
        board_ids[figures.sicbls[move.losing]["ICB23CD"]]: (
            board_ids[figures.sicbls[move.gaining]["ICB23CD"]],
            figures.moved(move),
            move,
        )
        for move in MOVED_APRIL_2023
    }
    rows = []
    for board, population in areas.items():
        to, lost, move = moved.get(board, (board, 0, None))
        extra = move.source_id if move else ""
        rows.append(_icb22_row(board, board, population - lost, _same_basis(move), extra))
        if move:
            basis = (
                f"{_capital(move.area)}, which moved to this board on 1 April 2023: Sub-ICB "
                f"Location {move.losing}'s ONS mid-2022 figure on the boundaries of July 2022 "
                f"less that on those of April 2023 ({lost:,}), the same number "
                f"{move.gaining} gained."
            )
            rows.append(_icb22_row(board, to, lost, basis, extra))
    return rows


def _same_basis(move: Move | None) -> str:
    if move is None:
        return "Its area did not change on 1 April 2023: all its residents stay."
    return (
        f"Its area of April 2023, without {move.area} (the ONS mid-2022 figure of Sub-ICB "
        f"Location {move.losing})."
    )


def _icb22_row(board: str, to: str, population: int, basis: str, extra: str = "") -> dict:
    return {
        "from_vintage": ICB22_VINTAGE,
        "from_system_id": board,
        "to_vintage": ICB23_VINTAGE,
        "to_system_id": to,
        "population": population,
        "basis": basis,
        "source_id": join_ids([ICB22_SOURCES, extra] if extra else [ICB22_SOURCES]),
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources(first: str, others: set[str]) -> str:
    return join_ids([first, *sorted(others - {first})])


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
