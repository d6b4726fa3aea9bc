"""The designation history as the pages show it: a timeline and the waves of ICSs.

Everything here is computed from the events and systems, never typed into a template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from generator.cells import id_list
from generator.model import Catalog
from generator.records import Event, System

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
