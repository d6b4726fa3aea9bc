"""Pages stage: the Jinja2 templates in site_templates/ become the Markdown pages of the site.

The other stages (maps, downloads, API, finder, changelog) have written their files by the
time this runs; what the pages list of them comes in as ``Artefacts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape
from generator.citations import References, citation
from generator.errors import BuildError
from generator.explainers import render_explainers
from generator.export import dataset_jsonld
from generator.finder import BASIS
from generator.map_features import ONS_ATTRIBUTION, region_colours
from generator.model import Catalog
from generator.site_maps import member_points, neighbours_of
from generator.timeline import (
    board_changes,
    first_boards,
    long_day,
    structure_on,
    structures,
    timeline,
    waves,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"
ICB_DAY = date(2022, 7, 1)  # the integrated care boards were established on this day


@dataclass(frozen=True)
class Page:
    """Where a page lives in the build folder, and the way back to the site root from it."""

    path: str  # e.g. systems/foo/index.md

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class Artefacts:
    """What other stages wrote that the pages list: downloads, API counts, changelog, finder."""

    datasets: list
    everything: list
    api_counts: dict[str, int]
    commits: list
    finder_counts: dict[str, int]
    districts: list[dict]


def render_pages(
    catalog: Catalog,
    docs_dir: Path,
    made: Artefacts,
    tiles: dict | None = None,
    site_url: str | None = None,
) -> None:
    """Write every Markdown page of the site into ``docs_dir``."""
    env = _environment(catalog, site_url)
    shared = {
        "catalog": catalog,
        "colours": region_colours(catalog),
        "attribution": ONS_ATTRIBUTION,
        "tiles": tiles,
    }

    def page(template: str, path: str, **context) -> None:
        try:
            text = env.get_template(template).render(**shared, **context, page=Page(path))
        except (jinja2.TemplateError, LookupError, TypeError, ValueError, AttributeError) as exc:
            where = _template_position(exc, template)
            raise BuildError(f"{where}: {exc} (while writing {path})") from exc
        write_text(docs_dir, path, text)

    page("home.md.j2", "index.md", systems=catalog.current_systems())
    _index_pages(catalog, page)
    _case_study_pages(catalog, page)
    _data_pages(catalog, page, made)
    _finder_pages(catalog, page, made)
    _history_page(catalog, page)
    render_explainers(catalog, page)
    _system_pages(catalog, page)


def _system_pages(catalog: Catalog, page) -> None:
    near = neighbours_of(catalog)
    for system in catalog.systems.values():
        page(
            "system.md.j2",
            f"systems/{system.id}/index.md",
            system=system,
            neighbours=near[system.id],
            member_points=member_points(catalog, system),
            ref=References(),
        )


def _data_pages(catalog: Catalog, page, made: Artefacts) -> None:
    page(
        "data.md.j2",
        "data/index.md",
        datasets=made.datasets,
        everything=made.everything,
        jsonld=dataset_jsonld(catalog, made.datasets),
    )
    page("api.md.j2", "api/index.md", counts=made.api_counts)
    page("changelog.md.j2", "changelog/index.md", commits=made.commits)


def _index_pages(catalog: Catalog, page) -> None:
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


def _history_page(catalog: Catalog, page) -> None:
    established = [e for e in catalog.events if e.type == "icb_established"]
    found = structures(catalog)
    page(
        "history.md.j2",
        "history/index.md",
        entries=timeline(catalog),
        waves=waves(catalog),
        structures=found,
        shown=structure_on(found, catalog.as_of),
        icbs_established=len(established),
        icb_day=established[0].date if established else None,
        first_boards=first_boards(catalog),
        board_changes=board_changes(catalog),
    )


def _finder_pages(catalog: Catalog, page, made: Artefacts) -> None:
    page(
        "find.md.j2",
        "find/index.md",
        postcode_count=made.finder_counts["postcodes"],
        district_count=len(made.districts),
    )
    page("places_index.md.j2", "places/index.md", districts=made.districts)
    councils: dict[str, list] = {}
    for o in catalog.organisations.values():
        if o.type == "local_authority" and o.ons_code:
            councils.setdefault(o.ons_code, []).append(o)
    for district in made.districts:
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


def _case_study_pages(catalog: Catalog, page) -> None:
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
    env.filters["long_day"] = long_day
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["vintage"] = lambda v: date.fromisoformat(f"{v}-01").strftime("%B %Y")
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


def write_text(docs_dir: Path, path: str, text: str) -> None:
    target = docs_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
