"""Render stage: Jinja2 templates from site_templates/ become Markdown pages, maps and assets
in a build folder that MkDocs then turns into the site."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import xstatic.pkg.leaflet

from generator.maps import PALETTE, MapFeature, render_map
from generator.model import Catalog, System

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
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2022"
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
    context = {"catalog": catalog, "colours": colours, "attribution": ONS_ATTRIBUTION}
    _write(
        docs_dir,
        "index.md",
        env.get_template("home.md.j2").render(
            **context, page=Page("index.md"), systems=catalog.current_systems()
        ),
    )
    _write(docs_dir, "maps/england.html", _national_map(catalog, colours))
    _write(
        docs_dir,
        "systems/index.md",
        env.get_template("systems_index.md.j2").render(
            **context, page=Page("systems/index.md"), systems=list(catalog.systems.values())
        ),
    )
    system_template = env.get_template("system.md.j2")
    for system in catalog.systems.values():
        folder = f"systems/{system.id}"
        _write(
            docs_dir,
            f"{folder}/index.md",
            system_template.render(**context, page=Page(f"{folder}/index.md"), system=system),
        )
        _write(docs_dir, f"{folder}/map.html", _system_map(catalog, system, colours))


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
    env.globals["source"] = catalog.sources.__getitem__
    env.globals["region"] = catalog.region_of
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
        emphasis=emphasis,
    )


def _legend(catalog: Catalog, colours: dict, systems: list[System]) -> list[tuple[str, str]]:
    used = sorted({s.region_id for s in systems})
    return [(colours[rid], catalog.regions[rid].name) for rid in used]


def _national_map(catalog: Catalog, colours: dict) -> str:
    systems = catalog.current_systems()
    features = [_feature(catalog, s, f"../systems/{s.id}/", colours) for s in systems]
    return render_map(
        features,
        title=f"Map of the {len(systems)} systems in force on {catalog.as_of}",
        assets="../assets",
        attribution=ONS_ATTRIBUTION,
        legend=_legend(catalog, colours, systems),
    )


def _system_map(catalog: Catalog, system: System, colours: dict) -> str:
    features = [_feature(catalog, system, "./", colours)] if system.lat is not None else []
    bounds = None
    if system.lat is not None:
        bounds = [[system.lat - 0.45, system.lon - 0.7], [system.lat + 0.45, system.lon + 0.7]]
    return render_map(
        features,
        title=f"Map of {system.short_name}",
        assets="../../assets",
        attribution=ONS_ATTRIBUTION,
        legend=[],
        bounds=bounds,
    )
