"""Model stage: typed, immutable records built from validated rows.

"Current" always means in force on the release's ``as_of`` date from atlas.yaml,
never the clock of the machine that builds the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from generator.load import RawData, Table


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    read_at: str | None  # the copy actually read, where it was not the publisher's own
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
    former_ids: tuple[str, ...]  # ids it was published under before; their URLs redirect here
    website: str | None
    website_source_id: str | None
    source_id: str

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Code:
    entity_type: str  # system or region
    entity_id: str
    code_type: str  # ods or ons
    code: str
    valid_from: dt.date | None  # None: the start is not sourced
    valid_to: dt.date | None
    source_id: str
    note: str | None

    def in_force(self, day: dt.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Event:
    id: str
    system_id: str
    date: dt.date
    type: str
    wave: str | None
    description: str
    source_id: str


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    ods_code: str | None
    ons_code: str | None
    type: str
    website: str | None
    lat: float | None
    lon: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_id: str

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPES[self.type]

    @property
    def type_plural(self) -> str:
        label = self.type_label
        return label[:-1] + "ies" if label.endswith("y") else label + "s"


@dataclass(frozen=True)
class Membership:
    system_id: str
    organisation_id: str
    role: str
    basis: str
    share: float | None
    place_id: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_id: str
    note: str | None

    def in_force(self, day: dt.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)

    def basis_text(self, organisation_type: str) -> str:
        """Why the organisation is counted in the system, in plain words."""
        if self.basis == "catchment":
            return f"{_about(self.share)} of its hospital patients live in this area"
        if self.basis != "geography":
            return BASIS_LABELS[self.basis]
        if organisation_type.endswith("_trust") or organisation_type == "other":
            return "head office here"
        whole = self.share is None or self.share >= 0.995
        noun = "council" if organisation_type == "local_authority" else "CCG"
        return (
            f"{noun} area in this board"
            if whole
            else f"{_about(self.share)} of the {noun} area is in this board"
        )


def _about(share: float | None) -> str:
    percent = round((share or 0) * 100)
    return f"about {percent}%" if percent >= 1 else "less than 1%"


BASIS_LABELS = {
    "constitution": "named in the board's constitution",
    "partner_list": "named by the board as a partner",
    "service_area": "serves this area",
}


@dataclass(frozen=True)
class OrganisationName:
    organisation_id: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_id: str


@dataclass(frozen=True)
class Place:
    id: str
    system_id: str
    name: str
    local_authority_id: str | None
    population: int | None
    source_id: str


@dataclass(frozen=True)
class Stat:
    system_id: str
    measure: str
    value: float
    as_of: dt.date
    source_id: str
    note: str | None


@dataclass(frozen=True)
class CaseStudy:
    id: str
    title: str
    systems: str  # ids separated by ;
    themes: str
    summary: str
    body: str
    sources: str
    lat: float | None
    lon: float | None

    @property
    def system_ids(self) -> list[str]:
        return self.systems.split(";")

    @property
    def theme_ids(self) -> list[str]:
        return self.themes.split(";")


@dataclass(frozen=True)
class Figure:
    case_study_id: str
    label: str
    value: float
    unit: str
    period: str | None
    as_of: dt.date | None
    source_id: str


@dataclass(frozen=True)
class NationalFigure:
    """A national fact the explainer pages quote, such as the number of STP footprints."""

    id: str
    label: str
    value: float
    unit: str
    period: str | None
    as_of: dt.date | None
    source_id: str
    note: str | None


@dataclass(frozen=True)
class Term:
    """A glossary entry: a term or acronym the site uses, defined in one line."""

    id: str
    term: str
    abbreviation: str | None
    definition: str
    link: str  # a path from the site's root, such as systems/ or data/#systems
    source_id: str | None


@dataclass(frozen=True)
class PostcodeSector:
    """How many of a postcode sector's postcodes lie in one board's area, for one vintage."""

    sector: str
    outward: str
    vintage: str
    ons_code: str
    postcodes: int
    source_id: str


@dataclass(frozen=True)
class DistrictBoard:
    """The share of a local authority district's postcodes in one board, for one vintage."""

    lad_code: str
    lad_name: str
    vintage: str
    ons_code: str
    postcodes: int
    share: float
    source_id: str


ORGANISATION_TYPES = {
    "acute_trust": "Acute trust",
    "mental_health_trust": "Mental health trust",
    "community_trust": "Community trust",
    "ambulance_trust": "Ambulance trust",
    "combined_trust": "Combined trust",
    "ccg": "Clinical commissioning group",
    "icb": "Integrated care board",
    "local_authority": "Local authority",
    "pcn": "Primary care network",
    "gp_federation": "GP federation",
    "voluntary_sector": "Voluntary sector",
    "hospice": "Hospice",
    "university": "University",
    "other": "Other",
}

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
    data_dir: Path
    sources: dict[str, Source]
    regions: dict[str, Region]
    systems: dict[str, System]
    codes: tuple[Code, ...]
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
    tables: dict[str, Table]
    boundaries: dict[str, dict]  # GeoJSON geometry by ONS code
    national_figures: dict[str, NationalFigure] = dataclasses.field(default_factory=dict)
    glossary: tuple[Term, ...] = ()

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

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, list]]:
        cases = self.case_studies.values()
        systems = self.systems.values()
        return {
            "events": _group(self.events, lambda e: e.system_id),
            "codes": _group(self.codes, lambda c: (c.entity_type, c.entity_id, c.code_type)),
            "members": _group(self.memberships, lambda m: m.system_id),
            "memberships": _group(self.memberships, lambda m: m.organisation_id),
            "names": _group(self.organisation_names, lambda n: n.organisation_id),
            "places": _group(self.places, lambda p: p.system_id),
            "stats": _group(self.stats, lambda s: s.system_id),
            "figures": _group(self.figures, lambda f: f.case_study_id),
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
        return [self.sources[i] for i in source_ids.split(";")]

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


def _group(items, key, value=lambda item: item) -> dict:
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(value(item))
    return groups


def build_catalog(raw: RawData) -> Catalog:
    """Turn validated raw tables into a Catalog."""
    systems = sorted(_records(raw.tables["systems"], System), key=lambda s: (s.short_name, s.id))
    return Catalog(
        meta=raw.meta,
        as_of=dt.date.fromisoformat(raw.meta["as_of"]),
        data_dir=raw.data_dir,
        sources={s.id: s for s in _records(raw.tables["sources"], Source)},
        regions={r.id: r for r in _records(raw.tables["regions"], Region)},
        systems={s.id: s for s in systems},
        codes=tuple(_optional(raw, "codes", Code)),
        events=tuple(sorted(_optional(raw, "events", Event), key=lambda e: (e.date, e.id))),
        organisations={o.id: o for o in _optional(raw, "organisations", Organisation)},
        memberships=tuple(_optional(raw, "memberships", Membership)),
        organisation_names=tuple(_optional(raw, "organisation_names", OrganisationName)),
        places=tuple(_optional(raw, "places", Place)),
        stats=tuple(_optional(raw, "system_stats", Stat)),
        case_studies={
            c.id: c
            for c in sorted(_optional(raw, "case_studies", CaseStudy), key=lambda c: c.title)
        },
        figures=tuple(_optional(raw, "case_study_figures", Figure)),
        postcode_sectors=tuple(_optional(raw, "postcode_sectors", PostcodeSector)),
        district_boards=tuple(_optional(raw, "lad_boards", DistrictBoard)),
        tables=raw.tables,
        boundaries=raw.boundaries,
        national_figures={f.id: f for f in _optional(raw, "national_figures", NationalFigure)},
        glossary=tuple(
            sorted(_optional(raw, "glossary", Term), key=lambda t: (t.term.lower(), t.id))
        ),
    )


_PARSERS = {
    "integer": int,
    "year": int,
    "number": float,
    "date": dt.date.fromisoformat,
}


def _optional(raw: RawData, name: str, cls: type) -> list:
    return _records(raw.tables[name], cls) if name in raw.tables else []


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
