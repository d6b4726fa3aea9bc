"""Render stage: Jinja2 templates from site_templates/ become Markdown pages, maps and assets
in a build folder that MkDocs then turns into the site."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import xstatic.pkg.leaflet
from markupsafe import Markup

from generator import escape
from generator.api import write_api
from generator.changelog import atom_feed, data_changes
from generator.errors import BuildError
from generator.explainers import render_explainers
from generator.export import dataset_jsonld, write_downloads
from generator.finder import BASIS, districts, write_finder
from generator.model import Catalog
from generator.redirects import write_redirects
from generator.site_maps import (
    ONS_ATTRIBUTION,
    case_studies_map,
    feature,
    map_tiles,
    member_points,
    members_map,
    national_map,
    neighbours_of,
    region_colours,
    system_map,
    wave_map,
)
from generator.timeline import timeline, waves

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


class References:
    """Numbered references to sources for one page: [1], [2], listed in full at its end."""

    def __init__(self):
        self.ids: list[str] = []

    def __call__(self, source_ids: str | None) -> Markup:
        marks = []
        for source_id in filter(None, (source_ids or "").split(";")):
            if source_id not in self.ids:
                self.ids.append(source_id)
            number = self.ids.index(source_id) + 1
            marks.append(f'<a class="atlas-ref" href="#source-{number}">[{number}]</a>')
        return Markup(" ".join(marks))


@dataclass(frozen=True)
class Page:
    """Where a page lives in the build folder, and the way back to the site root from it."""

    path: str  # e.g. systems/foo/index.md

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


def render_site(catalog: Catalog, docs_dir: Path, site_url: str | None = None) -> None:
    """Write every page, map and asset of the site into ``docs_dir``."""
    shutil.copytree(DOCS, docs_dir, dirs_exist_ok=True)
    _copy_leaflet(docs_dir / "assets" / "leaflet")
    env = _environment(catalog, site_url)
    colours = region_colours(catalog)
    tiles = map_tiles(ROOT / "mkdocs.yml")
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
    _write(docs_dir, "maps/england.html", national_map(catalog, tiles))
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
    _render_finder(catalog, page, docs_dir)
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
        _write(docs_dir, f"history/wave-{wave.name}.html", wave_map(catalog, wave, tiles))
    write_redirects(catalog, docs_dir)
    render_explainers(catalog, page, docs_dir)
    near = neighbours_of(catalog)
    for system in catalog.systems.values():
        folder = f"systems/{system.id}"
        points = member_points(catalog, system)
        page(
            "system.md.j2",
            f"{folder}/index.md",
            system=system,
            neighbours=near[system.id],
            member_points=points,
            ref=References(),
        )
        if points:
            area = feature(catalog, system, "./", colours[system.region_id], emphasis=False)
            _write(docs_dir, f"{folder}/members-map.html", members_map(system, area, points, tiles))
        _write(
            docs_dir,
            f"{folder}/map.html",
            system_map(catalog, system, colours, near[system.id], tiles),
        )


def _render_finder(catalog: Catalog, page, docs_dir: Path) -> None:
    found = districts(catalog)
    counts = write_finder(catalog, docs_dir / "api", found)
    page(
        "find.md.j2", "find/index.md", postcode_count=counts["postcodes"], district_count=len(found)
    )
    page("places_index.md.j2", "places/index.md", districts=found)
    councils: dict[str, list] = {}
    for o in catalog.organisations.values():
        if o.type == "local_authority" and o.ons_code:
            councils.setdefault(o.ons_code, []).append(o)
    for district in found:
        page(
            "place.md.j2",
            f"places/{district['slug']}/index.md",
            district=district,
            councils_of=lambda code: councils.get(code, []),
            basis=BASIS,
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
    _write(docs_dir, "case-studies/map.html", case_studies_map(catalog, cases, tiles))


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


def citation(catalog: Catalog, title: str, path: str, site_url: str | None = None) -> dict:
    """APA-style text and BibTeX for one page of the site."""
    meta, year = catalog.meta, catalog.as_of.year
    key = "icsatlas-" + "".join(c if c.isalnum() else "-" for c in path.strip("/#")).strip("-")
    page = f"{site_url.rstrip('/')}{path}" if site_url else path
    where = f"ICS Atlas, version {meta['version']}, data as of {catalog.as_of}, page {page}"
    apa = f"{meta['publisher']} ({year}). {title} [Data set]. {where}."
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{escape.bibtex(meta['publisher'])}}}}},",
            f"  title = {{{escape.bibtex(title)}}},",
            f"  year = {{{year}}},",
            f"  note = {{{escape.bibtex(where)}}}",
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


def _environment(catalog: Catalog, site_url: str | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=escape.text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["front_matter"] = escape.front_matter
    env.filters["markdown"] = escape.markdown
    env.filters["http"] = escape.url
    env.filters["script_json"] = lambda value: Markup(escape.script_json(value))
    env.filters["day"] = lambda day: Markup(f'<time datetime="{day}">{day}</time>')
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
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
    env.globals["citation"] = lambda title, path: citation(catalog, title, path, site_url)
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
