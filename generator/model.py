"""Model stage: typed, immutable records built from validated rows.

"Current" always means in force on the release's ``as_of`` date from atlas.yaml,
never the clock of the machine that builds the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from generator.load import RawData, Table


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    published: dt.date | None
    accessed: dt.date
    licence: str | None
    note: str | None


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    ons_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_id: str


@dataclass(frozen=True)
class System:
    id: str
    name: str
    short_name: str
    kind: str
    ods_code: str | None
    ons_code: str | None
    region_id: str
    population: int | None
    population_year: int | None
    population_source_id: str | None
    lat: float | None
    lon: float | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor_ids: tuple[str, ...]
    website: str | None
    website_source_id: str | None
    source_id: str

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Event:
    id: str
    system_id: str
    date: dt.date
    type: str
    wave: str | None
    description: str
    source_id: str


KIND_LABELS = {
    "stp": "Sustainability and transformation partnership",
    "ics": "Integrated care system (non-statutory)",
    "icb": "Integrated care board",
}


@dataclass(frozen=True)
class Catalog:
    """Everything the site is made from, keyed by id and sorted by name."""

    meta: dict
    as_of: dt.date
    sources: dict[str, Source]
    regions: dict[str, Region]
    systems: dict[str, System]
    events: tuple[Event, ...]
    tables: dict[str, Table]
    boundaries: dict[str, dict]  # GeoJSON geometry by ONS code

    def current_systems(self) -> list[System]:
        return self.in_force_on(self.as_of)

    def in_force_on(
        self, day: dt.date, kinds: tuple[str, ...] = ("stp", "ics", "icb")
    ) -> list[System]:
        return [s for s in self.systems.values() if s.kind in kinds and s.in_force(day)]

    def events_of(self, system: System) -> list[Event]:
        return [e for e in self.events if e.system_id == system.id]

    def predecessors_of(self, system: System) -> list[System]:
        return [s for s in self.systems.values() if system.id in s.successor_ids]

    def region_of(self, system: System) -> Region:
        return self.regions[system.region_id]

    def area_of(self, system: System) -> dict | None:
        return self.boundaries.get(system.ons_code or "")


def build_catalog(raw: RawData) -> Catalog:
    """Turn validated raw tables into a Catalog."""
    systems = sorted(_records(raw.tables["systems"], System), key=lambda s: (s.short_name, s.id))
    return Catalog(
        meta=raw.meta,
        as_of=raw.meta["as_of"],
        sources={s.id: s for s in _records(raw.tables["sources"], Source)},
        regions={r.id: r for r in _records(raw.tables["regions"], Region)},
        systems={s.id: s for s in systems},
        events=tuple(sorted(_records(raw.tables["events"], Event), key=lambda e: (e.date, e.id)))
        if "events" in raw.tables
        else (),
        tables=raw.tables,
        boundaries=raw.boundaries,
    )


_PARSERS = {
    "integer": int,
    "year": int,
    "number": float,
    "date": dt.date.fromisoformat,
}


def _records(table: Table, cls: type) -> list:
    types = {f["name"]: f.get("type", "string") for f in table.schema["fields"]}
    names = [f.name for f in dataclasses.fields(cls)]
    records = []
    for row in table.rows:
        values = {}
        for name in names:
            text = row.get(name, "")
            if name.endswith("_ids"):
                values[name] = tuple(filter(None, text.split(";")))
            else:
                values[name] = _PARSERS.get(types.get(name), str)(text) if text else None
        records.append(cls(**values))
    return records
