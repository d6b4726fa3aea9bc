"""The records of the model: one frozen dataclass per kind of row, typed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.cells import id_list


class Dated:
    """A row in force from ``valid_from`` to ``valid_to``, either of them open."""

    def in_force(self, day: dt.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)


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
class System(Dated):
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

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Code(Dated):
    entity_type: str  # system or region
    entity_id: str
    code_type: str  # ods or ons
    code: str
    valid_from: dt.date | None  # None: the start is not sourced
    valid_to: dt.date | None
    source_id: str
    note: str | None


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
class Membership(Dated):
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
        return list(id_list(self.systems))

    @property
    def theme_ids(self) -> list[str]:
        return list(id_list(self.themes))


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


@dataclass(frozen=True)
class Crosswalk:
    """The residents of a board, partnership or CCG of one vintage who live in a board of the
    next. One of ``from_system_id`` and ``from_organisation_id`` is given."""

    from_vintage: str
    from_system_id: str | None
    from_organisation_id: str | None
    to_vintage: str
    to_system_id: str
    population: int
    share: float
    basis: str
    source_id: str

    @property
    def share_text(self) -> str:
        """The share in plain words: 57% (440,801 people)."""
        percent = round(self.share * 100)
        words = f"{percent}%" if percent >= 1 else "less than 1%"
        return f"{words} ({self.population:,} people)"


@dataclass(frozen=True)
class PlaceName:
    """A city, town, village or suburb (OS Open Names) and the district it lies in."""

    name: str
    kind: str
    lad_code: str
    lat: float
    lon: float
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
