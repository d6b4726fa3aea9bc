"""A static JSON API: one document per system, organisation and case study, plus indexes.

URLs are stable: /api/systems.json, /api/systems/<id>.json, and the same for
organisations and case-studies. Each document carries the sources it cites.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

from generator.cells import id_list
from generator.escape import neutralise
from generator.model import Catalog

SUMMARIES = {
    "systems": (
        "id",
        "name",
        "short_name",
        "kind",
        "ods_code",
        "ons_code",
        "region_id",
        "valid_from",
        "valid_to",
    ),
    "organisations": ("id", "name", "type", "ods_code", "ons_code"),
    "case-studies": ("id", "title", "summary", "systems", "themes"),
}
# The theme reads sitemap.xml beside every <link rel="alternate"> (for language versions);
# an empty one in api/systems/ answers it, so system pages make no failing request.
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def write_api(catalog: Catalog, folder: Path) -> dict[str, int]:
    """Write the API under ``folder`` (the site's api/); return document counts by kind."""
    documents = {
        "systems": {s.id: _system(catalog, s) for s in catalog.systems.values()},
        "organisations": {o.id: _organisation(catalog, o) for o in catalog.organisations.values()},
        "case-studies": {c.id: _case(catalog, c) for c in catalog.case_studies.values()},
    }
    for kind, found in documents.items():
        _write_kind(catalog, folder, kind, found)
    systems = documents["systems"]
    for system in catalog.systems.values():
        _write_members_csv(catalog, system, folder / "systems" / f"{system.id}.csv")
    for old, system in catalog.redirects().items():  # former ids keep answering, with the row now
        _write(folder / "systems" / f"{old}.json", systems[system.id] | {"moved_to": system.id})
        _write_members_csv(catalog, system, folder / "systems" / f"{old}.csv")
    (folder / "systems" / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")
    return {kind: len(found) for kind, found in documents.items()}


def _write_kind(catalog: Catalog, folder: Path, kind: str, documents: dict[str, dict]) -> None:
    """One kind's index (``<kind>.json``) and a document per record (``<kind>/<id>.json``)."""
    index = [
        {k: doc["record"][k] for k in SUMMARIES[kind]} | {"url": f"{kind}/{key}.json"}
        for key, doc in documents.items()
    ]
    _write(folder / f"{kind}.json", {"as_of": catalog.as_of, "count": len(index), kind: index})
    for key, doc in documents.items():
        _write(folder / kind / f"{key}.json", doc)


MEMBER_COLUMNS = [
    "organisation_id",
    "name",
    "type",
    "ods_code",
    "ons_code",
    "role",
    "valid_from",
    "valid_to",
    "note",
    "source_id",
]


def _write_members_csv(catalog: Catalog, system, path: Path) -> None:
    """A system's members as a CSV, for its page's "members as CSV" link."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MEMBER_COLUMNS)
    for m, o in catalog.members_of(system):
        values = [
            o.id,
            o.name,
            o.type,
            o.ods_code,
            o.ons_code,
            m.role,
            m.valid_from,
            m.valid_to,
            m.note,
            m.source_id,
        ]
        writer.writerow(["" if v is None else neutralise(str(v)) for v in values])
    path.write_bytes(out.getvalue().encode("utf-8"))


def _system(catalog: Catalog, system) -> dict:
    members = catalog.members_of(system)
    events = catalog.events_of(system)
    cases = catalog.case_studies_of(system)
    crosswalks = catalog.crosswalks_of(system)
    cited = [system.source_id, *(m.source_id for m, _ in members), *(e.source_id for e in events)]
    cited += [c.source_id for rows in crosswalks.values() for c in rows]
    return {
        "as_of": catalog.as_of,
        "in_force": system.in_force(catalog.as_of),
        "record": _plain(system),
        "predecessors": [p.id for p in catalog.predecessors_of(system)],
        "members": [_plain(m) | {"organisation": _plain(o)} for m, o in members],
        "events": [_plain(e) for e in events],
        "case_studies": [c.id for c in cases],
        "crosswalks": {side: [_plain(c) for c in rows] for side, rows in crosswalks.items()},
        "sources": _sources(catalog, cited),
    }


def _organisation(catalog: Catalog, organisation) -> dict:
    memberships = catalog.memberships_of(organisation)
    return {
        "as_of": catalog.as_of,
        "record": _plain(organisation),
        "memberships": [_plain(m) for m in memberships],
        "sources": _sources(catalog, [organisation.source_id, *(m.source_id for m in memberships)]),
    }


def _case(catalog: Catalog, case) -> dict:
    figures = catalog.figures_of(case)
    return {
        "as_of": catalog.as_of,
        "record": _plain(case),
        "figures": [_plain(f) for f in figures],
        "sources": _sources(catalog, [case.sources, *(f.source_id for f in figures)]),
    }


def _sources(catalog: Catalog, cited: list[str]) -> list[dict]:
    ids = sorted({i for ids in cited for i in id_list(ids)})
    return [_plain(catalog.sources[i]) for i in ids]


def _plain(record) -> dict:
    return dataclasses.asdict(record)


def _write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=_default)
    path.write_text(text + "\n", encoding="utf-8")


def _default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
