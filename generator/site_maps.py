"""The maps of the site: which systems, areas and points each one draws.

Every map is a standalone HTML document from ``maps.render_map``, shown in an iframe beside a
text alternative that its page renders.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from generator.boundaries import bounds, for_the_web, neighbours
from generator.errors import BuildError
from generator.history_maps import board_maps, on_date_map, wave_map
from generator.map_features import ONS_ATTRIBUTION, OVERVIEW, feature, region_colours
from generator.maps import PALETTE, MapFeature, copy_leaflet, geometry_file, render_map
from generator.model import Catalog
from generator.records import System
from generator.timeline import structure_on, structures, waves


def map_tiles(config: Path) -> dict | None:
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


def national_map(catalog: Catalog, tiles: dict | None) -> str:
    """The systems in force, each coloured apart from its neighbours; hover or focus names it."""
    systems = catalog.current_systems()
    colours = neighbour_colours(catalog, systems)
    features = [
        feature(catalog, s, f"../systems/{s.id}/", colours[s.id], overview=True) for s in systems
    ]
    title = f"Map of the {len(systems)} systems in force on {catalog.as_of}"
    return render_map(
        features,
        title=title,
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[],
        tiles=tiles,
    )


def neighbour_colours(catalog: Catalog, systems: list[System]) -> dict[str, str]:
    """A colour per system such that no two touching systems share one (greedy, stable)."""
    codes = {s.ons_code: s.id for s in systems if s.ons_code in catalog.boundaries}
    touching = neighbours({code: catalog.boundaries[code] for code in codes})
    order = sorted(systems, key=lambda s: (-len(touching.get(s.ons_code or "", ())), s.id))
    colours: dict[str, str] = {}
    for system in order:
        taken = [colours.get(codes[c]) for c in touching.get(system.ons_code or "", ())]
        # the first colour no neighbour has; with more neighbours than colours, the rarest
        colours[system.id] = min(PALETTE, key=lambda c: (taken.count(c), PALETTE.index(c)))
    return colours


OSM_ATTRIBUTION = "Trust points: © OpenStreetMap contributors, ODbL, geocoded from ODS postcodes"
TYPE_COLOURS = {
    "acute_trust": "#0072B2",
    "mental_health_trust": "#CC79A7",
    "community_trust": "#009E73",
    "ambulance_trust": "#D55E00",
}


def member_points(catalog: Catalog, system: System) -> list[MapFeature]:
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


def members_map(
    catalog: Catalog, system: System, area: MapFeature, points: list[MapFeature], tiles
) -> str:
    """The member trusts as points, over the system's own area where it has one."""
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    if area.code:
        (south, west), (north, east) = bounds(catalog.area_of(system))
        lats, lons = [*lats, south, north], [*lons, west, east]
    pad = 0.05
    box = [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]
    legend = sorted({(p.colour, p.label) for p in points}, key=lambda item: item[1])
    return render_map(
        [area, *points] if area.code else points,
        title=f"Member trusts of {system.short_name}",
        assets="../../assets",
        attribution=f"{OSM_ATTRIBUTION}. Area: {ONS_ATTRIBUTION}",
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


def system_map(
    catalog: Catalog, system: System, colours: dict, near: list[System], tiles: dict | None
) -> str:
    own = feature(catalog, system, "./", colours[system.region_id])
    others = [
        feature(catalog, s, f"../{s.id}/", colours[s.region_id], emphasis=False) for s in near
    ]
    features = [f for f in [*others, own] if f.code or f.lat is not None]
    if own.code:
        box = bounds(catalog.area_of(system))
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


def case_point(catalog: Catalog, case) -> MapFeature | None:
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


def case_studies_map(catalog: Catalog, cases: list, tiles: dict | None) -> str:
    points = [p for c in cases if (p := case_point(catalog, c))]
    return render_map(
        points,
        title="Map of the case studies",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[],
        tiles=tiles,
    )


def write_maps(catalog: Catalog, docs_dir: Path, tiles: dict | None) -> int:
    """Write every map document of the site into ``docs_dir``; return how many."""
    copy_leaflet(docs_dir / "assets" / "leaflet")
    colours = region_colours(catalog)
    maps = {"maps/england.html": national_map(catalog, tiles)}
    for wave in waves(catalog):
        maps[f"history/wave-{wave.name}.html"] = wave_map(catalog, wave, tiles)
    shown = structure_on(structures(catalog), catalog.as_of)
    maps["history/on-date.html"] = on_date_map(catalog, shown, tiles)
    maps.update(board_maps(catalog, tiles))
    cases = list(catalog.case_studies.values())
    maps["case-studies/map.html"] = case_studies_map(catalog, cases, tiles)
    near = neighbours_of(catalog)
    for system in catalog.systems.values():
        folder = f"systems/{system.id}"
        points = member_points(catalog, system)
        if points:
            area = feature(catalog, system, "./", colours[system.region_id], emphasis=False)
            maps[f"{folder}/members-map.html"] = members_map(catalog, system, area, points, tiles)
        maps[f"{folder}/map.html"] = system_map(catalog, system, colours, near[system.id], tiles)
    maps.update(_geometry_files(catalog))
    for path, html in maps.items():
        target = docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(maps)


# Detailed boundaries to about 10 m; the overview, for maps of all England, to about 1 km.
DETAIL, OVERVIEW_DETAIL = (0.0, 4), (0.01, 3)


def _geometry_files(catalog: Catalog) -> dict[str, str]:
    """One file per boundary vintage, and a lighter overview of each, that the maps share."""
    files = {}
    for vintage in sorted(set(catalog.boundaries.vintage.values())):
        codes = [c for c, v in catalog.boundaries.vintage.items() if v == vintage]
        geometries = {c: catalog.boundaries[c] for c in codes}
        for name, (tolerance, digits) in ((vintage, DETAIL), (vintage + OVERVIEW, OVERVIEW_DETAIL)):
            light = for_the_web(geometries, tolerance, digits)
            files[f"assets/geo/{name}.json"] = geometry_file(name, light)
    return files
