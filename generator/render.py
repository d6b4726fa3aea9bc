"""Render stage: Jinja2 templates from site_templates/ become Markdown pages, maps and assets
in a build folder that MkDocs then turns into the site."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import xstatic.pkg.leaflet
import yaml

from generator.api import write_api
from generator.boundaries import bounds, neighbours
from generator.changelog import atom_feed, data_changes
from generator.errors import BuildError
from generator.export import dataset_jsonld, write_downloads
from generator.maps import PALETTE, MapFeature, render_map
from generator.model import Catalog, System
from generator.timeline import Wave, timeline, waves

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"
DOCS = ROOT / "docs"
LEAFLET_FILES = [
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
]
ICB_DAY = date(2022, 7, 1)  # the integrated care boards were established on this day
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2026"
)


@dataclass(frozen=True)
class Page:
    """Where a page lives in the build folder, and the way back to the site root from it."""

    path: str  # e.g. systems/foo/index.md

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


def render_site(catalog: Catalog, docs_dir: Path) -> None:
    """Write every page, map and asset of the site into ``docs_dir``."""
    shutil.copytree(DOCS, docs_dir, dirs_exist_ok=True)
    _copy_leaflet(docs_dir / "assets" / "leaflet")
    env = _environment(catalog)
    colours = region_colours(catalog)
    tiles = map_tiles()
    shared = {
        "catalog": catalog,
        "colours": colours,
        "attribution": ONS_ATTRIBUTION,
        "tiles": tiles,
    }

    def page(template: str, path: str, **context) -> None:
        try:
            text = env.get_template(template).render(**shared, **context, page=Page(path))
        except (jinja2.TemplateError, LookupError, TypeError, ValueError, AttributeError) as exc:
            where = _template_position(exc, template)
            raise BuildError(f"{where}: {exc} (while writing {path})") from exc
        _write(docs_dir, path, text)

    page("home.md.j2", "index.md", systems=catalog.current_systems())
    _write(docs_dir, "maps/england.html", _national_map(catalog, colours, tiles))
    icbs_2022 = [s for s in catalog.systems.values() if s.kind == "icb" and s.valid_from == ICB_DAY]
    page(
        "systems_index.md.j2",
        "systems/index.md",
        systems=list(catalog.systems.values()),
        icbs_2022=icbs_2022,
    )
    organisations = sorted(catalog.organisations.values(), key=lambda o: (o.name.lower(), o.id))
    types = sorted({(o.type, o.type_label) for o in organisations}, key=lambda t: t[1])
    page("organisations.md.j2", "organisations/index.md", organisations=organisations, types=types)
    _render_case_studies(catalog, page, docs_dir, tiles)
    datasets, everything = write_downloads(catalog, docs_dir / "data", ROOT)
    page(
        "data.md.j2",
        "data/index.md",
        datasets=datasets,
        everything=everything,
        jsonld=dataset_jsonld(catalog, datasets),
    )
    page("api.md.j2", "api/index.md", counts=write_api(catalog, docs_dir / "api"))
    commits = _changelog(catalog)
    page("changelog.md.j2", "changelog/index.md", commits=commits)
    _write(
        docs_dir, "feed.xml", atom_feed(commits, catalog.meta["title"], catalog.as_of.isoformat())
    )
    history = waves(catalog)
    established = [e for e in catalog.events if e.type == "icb_established"]
    page(
        "history.md.j2",
        "history/index.md",
        entries=timeline(catalog),
        waves=history,
        icbs_established=len(established),
        icb_day=established[0].date if established else None,
    )
    for wave in history:
        _write(docs_dir, f"history/wave-{wave.name}.html", _wave_map(catalog, wave, tiles))
    near = neighbours_of(catalog)
    for system in catalog.systems.values():
        folder = f"systems/{system.id}"
        points = _member_points(catalog, system)
        page(
            "system.md.j2",
            f"{folder}/index.md",
            system=system,
            neighbours=near[system.id],
            member_points=points,
        )
        if points:
            area = _feature(catalog, system, "./", colours, emphasis=False)
            _write(
                docs_dir, f"{folder}/members-map.html", _members_map(system, area, points, tiles)
            )
        _write(
            docs_dir,
            f"{folder}/map.html",
            _system_map(catalog, system, colours, near[system.id], tiles),
        )


def _template_position(exc: Exception, template: str) -> str:
    """``site_templates/<name>:<line>`` of the innermost template frame in the traceback."""
    where = f"site_templates/{template}:{getattr(exc, 'lineno', None) or 0}"
    tb = exc.__traceback__
    while tb:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(str(TEMPLATES)):
            where = f"site_templates/{Path(name).relative_to(TEMPLATES)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _render_case_studies(catalog: Catalog, page, docs_dir: Path, tiles: dict | None) -> None:
    cases = list(catalog.case_studies.values())
    themes = sorted({t for c in cases for t in c.theme_ids})
    case_systems = sorted(
        {catalog.systems[i] for c in cases for i in c.system_ids},
        key=lambda s: (s.short_name, s.id),
    )
    page(
        "case_studies_index.md.j2",
        "case-studies/index.md",
        cases=cases,
        themes=themes,
        case_systems=case_systems,
    )
    for case in cases:
        page("case_study.md.j2", f"case-studies/{case.id}/index.md", case=case)
    points = [p for c in cases if (p := _case_point(catalog, c))]
    _write(
        docs_dir,
        "case-studies/map.html",
        render_map(
            points,
            title="Map of the case studies",
            assets="../assets",
            attribution=ONS_ATTRIBUTION,
            legend=[],
            tiles=tiles,
        ),
    )


def _case_point(catalog: Catalog, case) -> MapFeature | None:
    """The case study's own place, or the centre of its system's area (or a successor's)."""
    lat, lon = case.lat, case.lon
    queue = list(case.system_ids)
    while lat is None and queue:
        system = catalog.systems[queue.pop(0)]
        lat, lon = system.lat, system.lon
        queue += system.successor_ids
    if lat is None:
        return None
    return MapFeature(
        name=case.title, href=f"{case.id}/", colour="#0072B2", label=case.summary, lat=lat, lon=lon
    )


def _changelog(catalog: Catalog) -> list:
    """Changes to the data, from git, when the site is built from this repository's data/."""
    if catalog.data_dir.resolve() != (ROOT / "data").resolve():
        return []
    datasets = {}
    for table in catalog.tables.values():
        if table.descriptor.get("flatten") == "figures":
            continue  # a case study's figures change with its file, counted as the case study
        keys = table.schema.get("primaryKey", [])
        datasets[table.descriptor["path"]] = (table.name, [keys] if isinstance(keys, str) else keys)
    return data_changes(ROOT, datasets)


def citation(catalog: Catalog, title: str, path: str) -> dict:
    """APA-style text and BibTeX for one page of the site."""
    meta, year = catalog.meta, catalog.as_of.year
    key = "icsatlas-" + "".join(c if c.isalnum() else "-" for c in path.strip("/#")).strip("-")
    where = f"ICS Atlas, version {meta['version']}, data as of {catalog.as_of}, page {path}"
    apa = f"{meta['publisher']} ({year}). {title} [Data set]. {where}."
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{meta['publisher']}}}}},",
            f"  title = {{{title}}},",
            f"  year = {{{year}}},",
            f"  note = {{{where}}}",
            "}",
        ]
    )
    return {"key": key, "apa": apa, "bibtex": bibtex}


def format_figure(figure) -> str:
    """A figure as people read it: £2.5m, 54%, 100,000, 9.2 days."""
    value, unit = figure.value, figure.unit
    number = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    if unit == "gbp":
        for size, suffix in ((1e9, "bn"), (1e6, "m")):
            if abs(value) >= size:
                return f"£{value / size:,.2f}".rstrip("0").rstrip(".") + suffix
        return f"£{number}"
    if unit == "percent":
        return f"{number}%"
    if unit in ("days", "hours", "minutes", "weeks", "years"):
        return f"{number} {unit[:-1] if value == 1 else unit}"
    return number


def region_colours(catalog: Catalog) -> dict[str, str]:
    return {rid: PALETTE[i % len(PALETTE)] for i, rid in enumerate(sorted(catalog.regions))}


def _environment(catalog: Catalog) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["figure"] = format_figure
    env.filters["bytes"] = lambda n: f"{n / 1024:,.1f} KB" if n >= 1024 else f"{n} bytes"
    env.filters["constraints"] = lambda f: "; ".join(
        f"{k} {v}" if k != "required" else "required"
        for k, v in f.get("constraints", {}).items()
        if v is not False
    )
    env.filters["theme_label"] = lambda theme: theme.replace("-", " ").capitalize()
    env.filters["system"] = catalog.systems.__getitem__
    env.filters["number"] = lambda n: f"{int(n):,}" if float(n).is_integer() else f"{n:,}"
    env.globals["source"] = catalog.sources.__getitem__
    env.globals["region"] = catalog.region_of
    env.globals["citation"] = lambda title, path: citation(catalog, title, path)
    return env


def _write(docs_dir: Path, path: str, text: str) -> None:
    target = docs_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _copy_leaflet(target: Path) -> None:
    source = Path(xstatic.pkg.leaflet.BASE_DIR)
    for name in LEAFLET_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)


def _feature(catalog: Catalog, system: System, href: str, colours: dict, emphasis=True):
    region = catalog.region_of(system)
    return MapFeature(
        name=system.short_name,
        href=href,
        colour=colours[region.id],
        label=f"{region.name} region",
        lat=system.lat,
        lon=system.lon,
        geometry=catalog.area_of(system),
        emphasis=emphasis,
    )


def _legend(catalog: Catalog, colours: dict, systems: list[System]) -> list[tuple[str, str]]:
    used = sorted({s.region_id for s in systems})
    return [(colours[rid], catalog.regions[rid].name) for rid in used]


def map_tiles(config: Path = ROOT / "mkdocs.yml") -> dict | None:
    """The optional tile layer from mkdocs.yml ``extra.map_tiles``: {url, attribution} or None."""
    loader = type("_Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("", lambda _loader, _suffix, _node: None)  # skip !!python tags
    extra = (yaml.load(config.read_text(encoding="utf-8"), Loader=loader) or {}).get("extra") or {}
    tiles = extra.get("map_tiles")
    if not tiles:
        return None
    if not str(tiles.get("url", "")).startswith("https://") or not tiles.get("attribution"):
        raise BuildError("mkdocs.yml: extra.map_tiles needs an https:// url and an attribution")
    return {"url": tiles["url"], "attribution": tiles["attribution"]}


def _national_map(catalog: Catalog, colours: dict, tiles: dict | None) -> str:
    systems = catalog.current_systems()
    features = [_feature(catalog, s, f"../systems/{s.id}/", colours) for s in systems]
    title = f"Map of the {len(systems)} systems in force on {catalog.as_of}"
    return render_map(
        features,
        title=title,
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=_legend(catalog, colours, systems),
        tiles=tiles,
    )


WAVE_COLOURS = {"new": "#D55E00", "ics": "#0072B2", "other": "#BBBBBB"}


def _wave_map(catalog: Catalog, wave: Wave, tiles: dict | None) -> str:
    def feature(system: System, status: str) -> MapFeature:
        return MapFeature(
            name=system.short_name,
            href=f"../systems/{system.id}/",
            colour=WAVE_COLOURS[status],
            label=LEGEND[status],
            lat=system.lat,
            lon=system.lon,
            geometry=catalog.area_of(system),
            emphasis=status != "other",
        )

    status = {s.id: "new" if s in wave.new else "ics" for s in wave.in_force}
    features = [feature(s, "other") for s in wave.others]
    features += [feature(s, status[s.id]) for s in wave.in_force]
    return render_map(
        features,
        title=f"Integrated care systems after the wave of {wave.name}",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[(WAVE_COLOURS[k], LEGEND[k]) for k in ("new", "ics", "other")],
        tiles=tiles,
    )


LEGEND = {"new": "Designated in this wave", "ics": "Already an ICS", "other": "Not yet an ICS"}


OSM_ATTRIBUTION = "Trust points: © OpenStreetMap contributors, ODbL, geocoded from ODS postcodes"
TYPE_COLOURS = {
    "acute_trust": "#0072B2",
    "mental_health_trust": "#CC79A7",
    "community_trust": "#009E73",
    "ambulance_trust": "#D55E00",
}


def _member_points(catalog: Catalog, system: System) -> list[MapFeature]:
    """Member organisations with a sourced location, as map points."""
    return [
        MapFeature(
            name=o.name,
            href=f"../../organisations/#{o.id}",
            colour=TYPE_COLOURS.get(o.type, "#555555"),
            label=o.type_label,
            lat=o.lat,
            lon=o.lon,
        )
        for m, o in catalog.members_of(system)
        if o.lat is not None and m.role != "predecessor_ccg"
    ]


def _members_map(
    system: System, area: MapFeature, points: list[MapFeature], tiles: dict | None
) -> str:
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    pad = 0.1
    box = [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]
    legend = sorted({(p.colour, p.label) for p in points}, key=lambda item: item[1])
    return render_map(
        points,
        title=f"Member trusts of {system.short_name}",
        assets="../../assets",
        attribution=OSM_ATTRIBUTION,
        legend=legend,
        bounds=box,
        tiles=tiles,
    )


def neighbours_of(catalog: Catalog) -> dict[str, list[System]]:
    """For each system with an area, the systems of its time whose areas touch it."""
    by_code: dict[str, list[System]] = {}
    for system in catalog.systems.values():
        by_code.setdefault(system.ons_code or "", []).append(system)
    touching = neighbours(catalog.boundaries)
    return {
        system.id: [
            other
            for code in sorted(touching.get(system.ons_code or "", ()))
            for other in by_code.get(code, [])
            if _overlap(system, other)
        ]
        for system in catalog.systems.values()
    }


def _overlap(a: System, b: System) -> bool:
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def _system_map(
    catalog: Catalog, system: System, colours: dict, near: list[System], tiles: dict | None
) -> str:
    own = _feature(catalog, system, "./", colours)
    others = [_feature(catalog, s, f"../{s.id}/", colours, emphasis=False) for s in near]
    features = [f for f in [*others, own] if f.geometry or f.lat is not None]
    if own.geometry:
        box = bounds(own.geometry)
    elif system.lat is not None:
        box = [[system.lat - 0.45, system.lon - 0.7], [system.lat + 0.45, system.lon + 0.7]]
    else:
        box = None
    return render_map(
        features,
        title=f"Map of {system.short_name}",
        assets="../../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[],
        bounds=box,
        tiles=tiles,
    )
