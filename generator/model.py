"""Model stage: typed, immutable records built from validated rows.

"Current" always means in force on the release's ``as_of`` date from atlas.yaml,
never the clock of the machine that builds the site.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from generator.cells import id_list
from generator.load import RawData, Table
from generator.records import (
    CaseStudy,
    Code,
    Crosswalk,
    DistrictBoard,
    Event,
    Figure,
    Membership,
    NationalFigure,
    Organisation,
    OrganisationName,
    Place,
    PlaceName,
    PostcodeSector,
    Region,
    Source,
    Stat,
    System,
    Term,
)


@dataclass(frozen=True)
class Catalog:
    """Everything the site is made from, keyed by id and sorted by name."""

    meta: dict
    as_of: dt.date
    data_dir: Path
    sources: dict[str, Source]
    regions: dict[str, Region]
    systems: dict[str, System]
    codes: tuple[Code, ...]
    crosswalks: tuple[Crosswalk, ...]
    events: tuple[Event, ...]
    organisations: dict[str, Organisation]
    memberships: tuple[Membership, ...]
    organisation_names: tuple[OrganisationName, ...]
    places: tuple[Place, ...]
    stats: tuple[Stat, ...]
    case_studies: dict[str, CaseStudy]
    figures: tuple[Figure, ...]
    postcode_sectors: tuple[PostcodeSector, ...]
    district_boards: tuple[DistrictBoard, ...]
    place_names: tuple[PlaceName, ...]
    tables: dict[str, Table]
    rows: dict[str, tuple[dict, ...]]  # every table's rows, typed once (typed_rows)
    boundaries: dict[str, dict]  # GeoJSON geometry by ONS code
    national_figures: dict[str, NationalFigure]
    glossary: tuple[Term, ...]

    def current_systems(self) -> list[System]:
        return self.in_force_on(self.as_of)

    def in_force_on(
        self, day: dt.date, kinds: tuple[str, ...] = ("stp", "ics", "icb")
    ) -> list[System]:
        return [s for s in self.systems.values() if s.kind in kinds and s.in_force(day)]

    # Each "…_of" below reads an index built once, so pages cost time linear in the data.

    def events_of(self, system: System) -> list[Event]:
        return self._index["events"].get(system.id, [])

    def members_of(self, system: System) -> list[tuple[Membership, Organisation]]:
        found = [
            (m, self.organisations[m.organisation_id])
            for m in self._index["members"].get(system.id, [])
        ]
        return sorted(found, key=lambda pair: (pair[1].type, pair[1].name))

    def memberships_of(self, organisation: Organisation) -> list[Membership]:
        return self._index["memberships"].get(organisation.id, [])

    def links_of(self, organisation: Organisation) -> list[tuple[System, Membership]]:
        """Each system the organisation belongs to, with the membership that says why."""
        found = [(self.systems[m.system_id], m) for m in self.memberships_of(organisation)]
        return sorted(
            found, key=lambda pair: (pair[1].valid_from or dt.date.min, pair[0].short_name)
        )

    def former_names_of(self, organisation: Organisation) -> list[OrganisationName]:
        return self._index["names"].get(organisation.id, [])

    def systems_of(self, organisation: Organisation) -> list[System]:
        ids = sorted({m.system_id for m in self.memberships_of(organisation)})
        return [self.systems[i] for i in ids]

    def places_of(self, system: System) -> list[Place]:
        return sorted(self._index["places"].get(system.id, []), key=lambda p: p.name)

    def stats_of(self, system: System) -> list[Stat]:
        return sorted(self._index["stats"].get(system.id, []), key=lambda s: (s.measure, s.as_of))

    def case_studies_of(self, system: System) -> list[CaseStudy]:
        return self._index["case_studies"].get(system.id, [])

    def figures_of(self, case: CaseStudy) -> list[Figure]:
        return self._index["figures"].get(case.id, [])

    def current_successors(self, system: System) -> list[System]:
        """The systems in force on as_of that took over ``system``'s area, through every
        succession since; empty for a system still in force (or one with no successor)."""
        found, queue, seen = [], list(system.successor_ids), set()
        while queue:
            successor = self.systems[queue.pop(0)]
            if successor.id in seen:
                continue
            seen.add(successor.id)
            if successor.in_force(self.as_of):
                found.append(successor)
            else:
                queue += successor.successor_ids
        return sorted(found, key=lambda s: (s.short_name, s.id))

    def predecessors_of(self, system: System) -> list[System]:
        return self._index["predecessors"].get(system.id, [])

    def went_to(self, system: System) -> list[Crosswalk]:
        """Where the residents of ``system`` were counted next, by vintage, largest share
        first; an area that passed whole to one system and nothing else has none."""
        found = self._index["went_to"].get(system.id, [])
        return sorted(found, key=lambda c: (c.to_vintage, -c.population, c.to_system_id))

    def came_from(self, system: System) -> list[Crosswalk]:
        """Where the residents of ``system`` were counted before, by vintage, largest first;
        the CCGs it replaced are ``ccgs_replaced``."""
        found = self._index["came_from"].get(system.id, [])
        return sorted(found, key=lambda c: (c.from_vintage, -c.population, c.from_system_id))

    def crosswalks_of(self, system: System) -> dict[str, list[Crosswalk]]:
        """Every crosswalk row from ``system`` ("from") and into it ("to"), in file order."""
        return {
            "from": self._index["crosswalks_from"].get(("system", system.id), []),
            "to": self._index["crosswalks_to"].get(system.id, []),
        }

    def residents_went(self, organisation: Organisation) -> list[Crosswalk]:
        """Where a CCG's residents were counted from July 2022, largest share first."""
        found = self._index["crosswalks_from"].get(("organisation", organisation.id), [])
        return sorted(found, key=lambda c: (-c.population, c.to_system_id))

    def ccgs_replaced(self, system: System) -> list[Crosswalk]:
        """The clinical commissioning groups whose residents ``system`` took, largest first."""
        found = [c for c in self.crosswalks_of(system)["to"] if c.from_organisation_id]
        return sorted(found, key=lambda c: (-c.population, c.from_organisation_id))

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, list]]:
        cases = self.case_studies.values()
        systems = self.systems.values()
        between = [c for c in self.crosswalks if c.from_system_id]
        into = collections.Counter((c.to_vintage, c.to_system_id) for c in between)
        went, came = (
            _changed(between, into, "from_system_id"),
            _changed(between, into, "to_system_id"),
        )
        return {
            "events": _group(self.events, lambda e: e.system_id),
            "codes": _group(self.codes, lambda c: (c.entity_type, c.entity_id, c.code_type)),
            "members": _group(self.memberships, lambda m: m.system_id),
            "memberships": _group(self.memberships, lambda m: m.organisation_id),
            "names": _group(self.organisation_names, lambda n: n.organisation_id),
            "places": _group(self.places, lambda p: p.system_id),
            "stats": _group(self.stats, lambda s: s.system_id),
            "figures": _group(self.figures, lambda f: f.case_study_id),
            "went_to": _group(went, lambda c: c.from_system_id),
            "came_from": _group(came, lambda c: c.to_system_id),
            "crosswalks_from": _group(self.crosswalks, _crosswalk_from),
            "crosswalks_to": _group(self.crosswalks, lambda c: c.to_system_id),
            "case_studies": _group(
                ((i, c) for c in cases for i in c.system_ids), lambda p: p[0], value=lambda p: p[1]
            ),
            "predecessors": _group(
                ((i, s) for s in systems for i in s.successor_ids),
                lambda p: p[0],
                value=lambda p: p[1],
            ),
        }

    def sources_for(self, source_ids: str) -> list[Source]:
        """The sources a row cites; several are separated by ;."""
        return [self.sources[i] for i in id_list(source_ids)]

    def redirects(self) -> dict[str, System]:
        """Each id a system was published under before, with the system that has it now."""
        return {old: s for s in self.systems.values() for old in s.former_ids}

    def codes_of(self, entity_type: str, entity_id: str, code_type: str) -> list[Code]:
        """Every code of one type a system or region has had, oldest first."""
        found = self._index["codes"].get((entity_type, entity_id, code_type), [])
        return sorted(found, key=lambda c: c.valid_from or dt.date.min)

    def code_on(self, entity_type: str, entity_id: str, code_type: str, day: dt.date) -> str | None:
        """The code in force on ``day``, or None where none is recorded."""
        found = [c for c in self.codes_of(entity_type, entity_id, code_type) if c.in_force(day)]
        return found[0].code if found else None

    def region_of(self, system: System) -> Region:
        return self.regions[system.region_id]

    def area_of(self, system: System) -> dict | None:
        return self.boundaries.get(system.ons_code or "")


def _crosswalk_from(row: Crosswalk) -> tuple[str, str]:
    if row.from_system_id:
        return "system", row.from_system_id
    return "organisation", row.from_organisation_id


def _changed(rows: list[Crosswalk], into: collections.Counter, side: str) -> list[Crosswalk]:
    """The rows of each system (``side``) and vintage where its area changed: all of them,
    its row to or from itself included, wherever one is not ``_continued``."""
    groups = _group(rows, lambda c: (getattr(c, side), c.to_vintage))
    return [
        c for group in groups.values() if not all(_continued(c, into) for c in group) for c in group
    ]


def _continued(row: Crosswalk, into: collections.Counter) -> bool:
    """Whether ``row`` is a whole area that went on as the whole of one system: the same
    system, or a successor that took no one else's residents then (``into`` counts the rows
    into each system of each vintage)."""
    alone = row.share == 1 and into[row.to_vintage, row.to_system_id] == 1
    return row.from_system_id == row.to_system_id or alone


def _group(items, key, value=lambda item: item) -> dict:
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(value(item))
    return groups


def build_catalog(raw: RawData) -> Catalog:
    """Turn validated raw tables into a Catalog."""
    rows = {name: typed_rows(table) for name, table in raw.tables.items()}
    systems = sorted(_records(rows["systems"], System), key=lambda s: (s.short_name, s.id))
    return Catalog(
        meta=raw.meta,
        as_of=dt.date.fromisoformat(raw.meta["as_of"]),
        data_dir=raw.data_dir,
        sources={s.id: s for s in _records(rows["sources"], Source)},
        regions={r.id: r for r in _records(rows["regions"], Region)},
        systems={s.id: s for s in systems},
        codes=tuple(_optional(rows, "codes", Code)),
        crosswalks=tuple(_optional(rows, "crosswalks", Crosswalk)),
        events=tuple(sorted(_optional(rows, "events", Event), key=lambda e: (e.date, e.id))),
        organisations={o.id: o for o in _optional(rows, "organisations", Organisation)},
        memberships=tuple(_optional(rows, "memberships", Membership)),
        organisation_names=tuple(_optional(rows, "organisation_names", OrganisationName)),
        places=tuple(_optional(rows, "places", Place)),
        stats=tuple(_optional(rows, "system_stats", Stat)),
        case_studies={
            c.id: c
            for c in sorted(_optional(rows, "case_studies", CaseStudy), key=lambda c: c.title)
        },
        figures=tuple(_optional(rows, "case_study_figures", Figure)),
        postcode_sectors=tuple(_optional(rows, "postcode_sectors", PostcodeSector)),
        district_boards=tuple(_optional(rows, "lad_boards", DistrictBoard)),
        place_names=tuple(_optional(rows, "place_names", PlaceName)),
        tables=raw.tables,
        rows=rows,
        boundaries=raw.boundaries,
        national_figures={f.id: f for f in _optional(rows, "national_figures", NationalFigure)},
        glossary=tuple(
            sorted(_optional(rows, "glossary", Term), key=lambda t: (t.term.lower(), t.id))
        ),
    )


_PARSERS = {
    "integer": int,
    "year": int,
    "number": float,
    "date": dt.date.fromisoformat,
}


def typed_rows(table: Table) -> tuple[dict, ...]:
    """Each row with its values parsed once, by the schema: numbers, dates, None for blanks.

    Cells that list ids stay as written (``a;b``); ``cells.id_list`` splits them.
    """
    parsers = {
        f["name"]: _PARSERS.get(f.get("type", "string"), str) for f in table.schema["fields"]
    }
    return tuple(
        {name: parsers[name](row[name]) if row.get(name) else None for name in table.header}
        for row in table.rows
    )


def _optional(rows: dict[str, tuple[dict, ...]], name: str, cls: type) -> list:
    return _records(rows[name], cls) if name in rows else []


def _records(rows: tuple[dict, ...], cls: type) -> list:
    names = [f.name for f in dataclasses.fields(cls)]
    return [
        cls(**{n: id_list(row.get(n)) if n.endswith("_ids") else row.get(n) for n in names})
        for row in rows
    ]
