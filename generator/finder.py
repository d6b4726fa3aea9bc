"""The finder's static API: which board covers a postcode or a council area, and since when.

- ``api/postcodes/<OUTWARD>.json``: the boards of an outward code (SE1), largest share first,
  with the shares of each sector (SE1 7) and the boards of earlier vintages;
- ``api/find/names/<piece>.json``: districts, councils and places (towns, villages and suburbs
  from OS Open Names, each with its district's boards) by name or code, in pieces by the first
  two letters or digits of the folded key (see ``fold``), so the page loads only one piece;
- ``api/find/districts.json``: each district's boards by vintage, for a district's or a
  place's history;
- ``api/find/systems.json``: each board's name, dates, page and the partnerships before it;
- ``api/find/areas.json``: the areas of the boards in force, for "use my location".

Shares come from counts of postcodes whose point lies in each board's area, so near a border
they are approximate; every document says so in ``basis``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from generator.model import Catalog
from generator.records import System

BASIS = (
    "share of the live postcodes whose point (OS Code-Point Open) lies in each board's area "
    "(ONS boundaries, simplified); approximate near a border, and a board with under 1% of "
    "the postcodes is left out, as those are points a few metres over a simplified border"
)
NOISE = 0.01  # below this share, a board is border noise of the simplified boundaries
_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile("['\u2019]")
# OS Open Names' kinds of place as the finder words them; the order of KIND_ORDER is the
# order of the answers, largest first (find.js has the same list)
PLACE_KINDS = {
    "City": "city",
    "Town": "town",
    "Suburban Area": "suburb",
    "Village": "village",
    "Hamlet": "hamlet",
    "Other Settlement": "settlement",
}
KIND_ORDER = ("district", "council", *PLACE_KINDS.values())


def vintage_day(vintage: str) -> dt.date:
    """The day a vintage's boundaries took effect: "2026-04" is 1 April 2026."""
    return dt.date.fromisoformat(f"{vintage}-01")


def slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")


def fold(text: str) -> str:
    """A name as the finder compares it: no accents or apostrophes, lower case, and each run
    of other characters one space ("Bishop's Stortford" -> "bishops stortford"); find.js
    folds the query the same way."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SLUG.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


def boards_by_vintage(catalog: Catalog) -> dict[str, dict[str, System]]:
    """For each vintage in the finder data, the boards in force that day by ONS code."""
    vintages = {r.vintage for r in catalog.postcode_sectors} | {
        r.vintage for r in catalog.district_boards
    }
    found = {}
    for vintage in sorted(vintages):
        day = vintage_day(vintage)
        found[vintage] = {s.ons_code: s for s in catalog.in_force_on(day, ("icb",)) if s.ons_code}
    return found


def current_vintage(catalog: Catalog, boards: dict) -> str | None:
    """The newest vintage in force on as_of."""
    return max((v for v in boards if vintage_day(v) <= catalog.as_of), default=None)


def districts(catalog: Catalog) -> list[dict]:
    """Each local authority district with its boards by vintage (newest first), by name."""
    boards = boards_by_vintage(catalog)
    current = current_vintage(catalog, boards)
    rows: dict = defaultdict(lambda: defaultdict(dict))
    names = {}
    for row in catalog.district_boards:
        rows[row.lad_code][row.vintage][row.ons_code] = row.postcodes
        names[row.lad_code] = row.lad_name
    found = []
    for code, vintages in rows.items():
        history = [
            {"vintage": v, "from": vintage_day(v), "systems": _shares(counts, boards[v])}
            for v, counts in sorted(vintages.items(), reverse=True)
        ]
        now = next((h["systems"] for h in history if h["vintage"] == current), [])
        name = names[code]
        found.append(
            {"code": code, "name": name, "slug": slug(name), "systems": now, "vintages": history}
        )
    return sorted(found, key=lambda d: (d["name"], d["code"]))


def write_finder(catalog: Catalog, folder: Path, found: list[dict]) -> dict[str, int]:
    """Write the finder's documents under ``folder`` (the site's api/); return counts."""
    boards = boards_by_vintage(catalog)
    outwards = _postcode_documents(catalog, boards)
    for outward, document in outwards.items():
        _write(folder / "postcodes" / f"{outward}.json", document)
    names = _names(catalog, found)
    for piece, entries in names.items():
        _write(folder / "find" / "names" / f"{piece}.json", entries)
    _write(folder / "find" / "districts.json", _district_histories(found))
    _write(folder / "find" / "systems.json", _systems(catalog, boards))
    areas = {s.id: catalog.area_of(s) for s in catalog.current_systems() if catalog.area_of(s)}
    _write(folder / "find" / "areas.json", areas)
    return {
        "postcodes": len(outwards),
        "names": sum(len(e) for e in names.values()),
        "places": len(catalog.place_names),
    }


def _shares(counts: dict[str, int], by_code: dict[str, System]) -> list[dict]:
    """Shares of the postcodes by board, largest first, adding up to 1 (within rounding)."""
    total = sum(counts.values())
    kept = {code: n for code, n in counts.items() if n / total >= NOISE} or counts
    total = sum(kept.values())
    shares = [{"id": by_code[code].id, "share": round(n / total, 4)} for code, n in kept.items()]
    return sorted(shares, key=lambda s: (-s["share"], s["id"]))


def _postcode_documents(catalog: Catalog, boards: dict) -> dict[str, dict]:
    current = current_vintage(catalog, boards)
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in catalog.postcode_sectors:
        counts[row.outward][row.vintage][row.sector, row.ons_code] += row.postcodes
    documents = {}
    for outward, vintages in sorted(counts.items()):
        history = []
        for vintage, cells in sorted(vintages.items(), reverse=True):
            whole: dict[str, int] = defaultdict(int)
            sectors: dict = defaultdict(dict)
            for (sector, code), n in sorted(cells.items()):
                whole[code] += n
                sectors[sector][code] = n
            history.append(
                {
                    "vintage": vintage,
                    "from": vintage_day(vintage),
                    "systems": _shares(whole, boards[vintage]),
                    "sectors": {k: _shares(v, boards[vintage]) for k, v in sectors.items()},
                }
            )
        now = next((h for h in history if h["vintage"] == current), None)
        documents[outward] = {
            "outward": outward,
            "as_of": catalog.as_of,
            "basis": BASIS,
            "systems": now["systems"] if now else [],
            "sectors": now["sectors"] if now else {},
            "vintages": history,
        }
    return documents


def _systems(catalog: Catalog, boards: dict) -> dict[str, dict]:
    """Every board the finder can name, with its dates, page and the partnerships before it."""
    found = {}
    for by_code in boards.values():
        for board in by_code.values():
            found[board.id] = {
                **_summary(catalog, board),
                "before": [_summary(catalog, s) for s in _lineage(catalog, board)],
                "now": [s.id for s in catalog.current_successors(board)],
            }
    return dict(sorted(found.items()))


def _summary(catalog: Catalog, system: System) -> dict:
    return {
        "id": system.id,
        "name": system.name,
        "short_name": system.short_name,
        "kind": system.kind_label,
        "ods_code": system.ods_code,
        "from": system.valid_from,
        "to": system.valid_to,
        "in_force": system.in_force(catalog.as_of),
    }


def _lineage(catalog: Catalog, system: System) -> list[System]:
    """The partnerships before a board, newest first (its ICS, then its STP)."""
    found, queue = {}, list(catalog.predecessors_of(system))
    while queue:
        before = queue.pop(0)
        if before.id not in found and before.kind != "icb":
            found[before.id] = before
            queue += catalog.predecessors_of(before)
    return sorted(found.values(), key=lambda s: (s.valid_from, s.id), reverse=True)


def _district_histories(found: list[dict]) -> dict[str, dict]:
    """Each district's name, page and boards by vintage (newest first), by district code."""
    return {
        d["code"]: {
            "name": d["name"],
            "url": f"places/{d['slug']}/",
            "vintages": [{k: v[k] for k in ("vintage", "from", "systems")} for v in d["vintages"]],
        }
        for d in found
    }


def _place_entries(catalog: Catalog, found: list[dict]) -> list[dict]:
    """Each place name with its district and that district's boards on as_of."""
    by_code = {d["code"]: d for d in found}
    entries = []
    for place in catalog.place_names:
        district = by_code[place.lad_code]
        entries.append(
            {
                "name": place.name,
                "kind": PLACE_KINDS[place.kind],
                "district": district["name"],
                "lad": place.lad_code,
                "url": f"places/{district['slug']}/",
                "systems": district["systems"],
            }
        )
    return entries


def _names(catalog: Catalog, found: list[dict]) -> dict[str, list[dict]]:
    """Names and codes to search, in pieces by the first two letters or digits of each key;
    each piece sorted by name, then the largest kind first."""
    entries = [
        {"name": d["name"], "code": d["code"], "kind": "district", "lad": d["code"]}
        | {"url": f"places/{d['slug']}/", "systems": d["systems"]}
        for d in found
    ]
    for organisation in catalog.organisations.values():
        if organisation.type == "local_authority":
            systems = [s.id for s in catalog.systems_of(organisation) if s.in_force(catalog.as_of)]
            entries.append(
                {
                    "name": organisation.name,
                    "code": organisation.ons_code or "",
                    "kind": "council",
                    "url": f"organisations/#{organisation.id}",
                    "systems": [{"id": i, "share": None} for i in systems],
                }
            )
    entries += _place_entries(catalog, found)
    pieces: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        for piece in {piece_of(entry["name"]), piece_of(entry.get("code", ""))} - {""}:
            pieces[piece].append(entry)
    return {k: sorted(v, key=_entry_order) for k, v in sorted(pieces.items())}


def _entry_order(entry: dict) -> tuple:
    kind = KIND_ORDER.index(entry["kind"])
    return (fold(entry["name"]), kind, entry["name"], entry.get("district", ""), entry["url"])


def piece_of(key: str) -> str:
    """The piece a name or code is in: the first two letters or digits of its folded form."""
    return fold(key).replace(" ", "")[:2]


def _write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    path.write_text(text + "\n", encoding="utf-8")
