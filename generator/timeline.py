"""The designation history as the pages show it: a timeline, the waves of ICSs, and the
structure in force on every date it changed (written as ``api/timeline.json``).

Everything here is computed from the events and systems, never typed into a template.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from generator.cells import id_list
from generator.model import Catalog
from generator.records import Crosswalk, Event, System

TITLES = {
    "vanguard": "New care model vanguards",
    "stp_formed": "Sustainability and transformation partnerships formed",
    "ics_designated": "Integrated care systems designated",
    "devolution_deal": "Health and care devolution deal",
    "icb_established": "Integrated care boards established",
    "boundary_change": "Boundary change",
    "clustered": "Boards cluster",
    "announced": "Changes announced",
    "merged": "Boards merged",
    "renamed": "Renamed",
    "abolished": "Abolished",
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: events of one type on one day (or in one wave)."""

    date: dt.date
    type: str
    title: str
    events: tuple[Event, ...]

    @property
    def source_ids(self) -> list[str]:
        return sorted({i for e in self.events for i in id_list(e.source_id)})

    @property
    def system_ids(self) -> list[str]:
        return [e.system_id for e in self.events]


@dataclass(frozen=True)
class Wave:
    """A wave of ICS designations and the systems that were ICSs once it had happened."""

    name: str
    date: dt.date
    new: tuple[System, ...]
    in_force: tuple[System, ...]  # ICSs in force on the wave's date, new ones included
    others: tuple[System, ...]  # footprints of that day that were not (yet) ICSs


def timeline(catalog: Catalog) -> list[Entry]:
    """Events grouped by type and by wave (or day), in date order."""

    def key(event: Event):
        return (event.type, event.wave or event.date.isoformat())

    entries = []
    for (kind, _), group in groupby(sorted(catalog.events, key=key), key=key):
        events = tuple(sorted(group, key=lambda e: (e.date, e.system_id)))
        title = TITLES[kind] + (f" (wave of {events[0].wave})" if events[0].wave else "")
        entries.append(Entry(events[0].date, kind, title, events))
    return sorted(entries, key=lambda e: (e.date, e.type))


def waves(catalog: Catalog) -> list[Wave]:
    """Each wave of designations, with the ICSs and other footprints in force on its day."""
    designations = [e for e in catalog.events if e.type == "ics_designated"]
    found = []
    by_wave = sorted(designations, key=lambda e: (e.wave or "", e.date))
    for name, group in groupby(by_wave, key=lambda e: e.wave or e.date.isoformat()):
        events = list(group)
        day = max(e.date for e in events)
        new_ids = {e.system_id for e in events}
        icss = tuple(catalog.in_force_on(day, ("ics",)))
        found.append(
            Wave(
                name=name,
                date=day,
                new=tuple(s for s in icss if s.id in new_ids),
                in_force=icss,
                others=tuple(catalog.in_force_on(day, ("stp",))),
            )
        )
    return sorted(found, key=lambda w: w.date)


COUNTED = ("ics", "icb")  # integrated care systems and boards; partnerships are listed apart


@dataclass(frozen=True)
class Structure:
    """The systems in force from ``date`` until the structure next changed."""

    date: dt.date
    systems: tuple[System, ...]  # integrated care systems and boards
    partnerships: tuple[System, ...]  # partnerships (STPs) that were not (yet) ICSs


def structures(catalog: Catalog) -> list[Structure]:
    """Every date on which the set of systems in force changed, from their valid_from and
    valid_to dates, with what was in force from that date; in date order."""
    systems = catalog.systems.values()
    ends = {s.valid_to + dt.timedelta(days=1) for s in systems if s.valid_to}
    found, before = [], set()
    for day in sorted({s.valid_from for s in systems} | ends):
        in_force = catalog.in_force_on(day, ("stp", *COUNTED))
        if {s.id for s in in_force} == before:
            continue
        before = {s.id for s in in_force}
        counted = tuple(s for s in in_force if s.kind in COUNTED)
        others = tuple(s for s in in_force if s.kind not in COUNTED)
        found.append(Structure(day, counted, others))
    return found


def structure_on(found: list[Structure], day: dt.date) -> Structure | None:
    """The structure in force on ``day``: the last one that began on or before it."""
    began = [s for s in found if s.date <= day]
    return began[-1] if began else None


def long_day(day: dt.date) -> str:
    """A date as people read it: 1 July 2022."""
    return f"{day.day} {day:%B %Y}"


def first_boards(catalog: Catalog) -> Structure | None:
    """The integrated care boards in force on the day they were established."""
    established = [e.date for e in catalog.events if e.type == "icb_established"]
    if not established:
        return None
    day = min(established)
    return Structure(day, tuple(catalog.in_force_on(day, ("icb",))), ())


@dataclass(frozen=True)
class Handover:
    """All or part of the area of a board that ended, passing to a board in force next day."""

    ended: System
    to: System
    crosswalk: Crosswalk | None  # the residents who moved, where the data counts them
    divided: bool  # the ended board's area went to more than one board


@dataclass(frozen=True)
class BoardChange:
    """A day on which integrated care boards ended or began, with the boards either side."""

    date: dt.date  # the first day of the boards that began
    before: tuple[System, ...]  # the boards in force the day before
    after: tuple[System, ...]
    ended: tuple[System, ...]  # in force the day before, not on the day
    began: tuple[System, ...]  # in force on the day, not the day before
    handovers: tuple[Handover, ...]

    @property
    def eve(self) -> dt.date:
        return self.date - dt.timedelta(days=1)

    @property
    def unchanged(self) -> tuple[System, ...]:
        return tuple(s for s in self.after if s not in self.began)


def board_changes(catalog: Catalog) -> list[BoardChange]:
    """Each day, after the boards were established, on which some ended or began; in date
    order. Where each ended board's area went comes from its successors and the crosswalks."""
    boards = [s for s in catalog.systems.values() if s.kind == "icb"]
    days = {s.valid_from for s in boards} | {
        s.valid_to + dt.timedelta(days=1) for s in boards if s.valid_to
    }
    found = []
    for day in sorted(days):
        before = tuple(catalog.in_force_on(day - dt.timedelta(days=1), ("icb",)))
        after = tuple(catalog.in_force_on(day, ("icb",)))
        ended = tuple(s for s in before if s not in after)
        began = tuple(s for s in after if s not in before)
        if before and (ended or began):
            moves = (h for board in ended for h in _handovers(catalog, board, day, after))
            found.append(BoardChange(day, before, after, ended, began, tuple(moves)))
    return found


def _handovers(
    catalog: Catalog, board: System, day: dt.date, after: tuple[System, ...]
) -> list[Handover]:
    """Where ``board``'s area went among ``after``, largest share of residents first. The
    crosswalk rows are those of the boards of ``day`` (vintage 2026-04 for 1 April 2026)."""
    vintage = f"{day:%Y-%m}"
    counted = {c.to_system_id: c for c in catalog.went_to(board) if c.to_vintage == vintage}
    ids = {s.id for s in after}
    to = [i for i in dict.fromkeys([*counted, *board.successor_ids]) if i in ids]
    to.sort(key=lambda i: (-counted[i].population if i in counted else 0, i))
    divided = len(to) > 1
    return [Handover(board, catalog.systems[i], counted.get(i), divided) for i in to]


def write_timeline(catalog: Catalog, folder: Path) -> int:
    """Write ``api/timeline.json`` under ``folder`` (the site's api/); return how many dates."""
    found = structures(catalog)
    ids = sorted({s.id for each in found for s in (*each.systems, *each.partnerships)})
    document = {
        "as_of": catalog.as_of.isoformat(),
        "dates": [
            {
                "date": each.date.isoformat(),
                "systems": [s.id for s in each.systems],
                "partnerships": [s.id for s in each.partnerships],
            }
            for each in found
        ],
        "details": {i: _details(catalog.systems[i]) for i in ids},
    }
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    (folder / "timeline.json").write_text(text + "\n", encoding="utf-8")
    return len(found)


def _details(system: System) -> dict:
    return {
        "short_name": system.short_name,
        "kind": system.kind,
        "url": f"systems/{system.id}.json",
    }
