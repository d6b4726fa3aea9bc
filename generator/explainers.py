"""Explainers: the /understand/ and /glossary/ pages, and the abbreviations that explain the
glossary's acronyms wherever they appear in a page's text.

Every number on /understand/ comes from the data: national figures are looked up by id in
national_figures.csv, and counts and dates come from the other datasets. The page marks each
one (``<data>`` for a number, ``<time>`` for a date), so a test can check that nothing is
typed into the template.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from markupsafe import Markup

from generator import escape
from generator.cells import id_list, join_ids
from generator.citations import References
from generator.model import Catalog
from generator.records import NationalFigure, System, Term
from generator.timeline import waves

ICB_KINDS = ("icb",)
_SPACE = re.compile(r"\s+")


def render_explainers(catalog: Catalog, page: Callable) -> None:
    """Write /understand/ and /glossary/ with the pages stage's ``page`` function."""
    page("understand.md.j2", "understand/index.md", **understand_context(catalog))
    page("glossary.md.j2", "glossary/index.md", terms=catalog.glossary, ref=References())


def abbreviations(terms: tuple[Term, ...]) -> dict[str, str]:
    """Each acronym (and its plural) with the text its ``<abbr title>`` shows: the term and its
    definition on one line. The abbr extension escapes it into the attribute."""
    found = {}
    for term in terms:
        if term.abbreviation:
            text = _SPACE.sub(" ", f"{term.term}: {term.definition}").strip()
            found[term.abbreviation] = found[term.abbreviation + "s"] = text
    return found


def understand_context(catalog: Catalog) -> dict:
    """What understand.md.j2 needs: figure lookups, formatters and counts from the data."""
    used: list[NationalFigure] = []

    def fig(figure_id: str) -> NationalFigure:
        if figure_id not in catalog.national_figures:
            raise LookupError(f'no row with id "{figure_id}" in national_figures.csv')
        figure = catalog.national_figures[figure_id]
        if figure not in used:
            used.append(figure)
        return figure

    def term(term_id: str) -> Term:
        found = [t for t in catalog.glossary if t.id == term_id]
        if not found:
            raise LookupError(f'no row with id "{term_id}" in glossary.csv')
        return found[0]

    return {
        "fig": fig,
        "term": term,
        "first_source": lambda source_ids: catalog.sources_for(source_ids or "")[0],
        "used_figures": used,
        "amount": amount,
        "when": when,
        "month": month,
        "data_text": data_text,
        "ref": References(),
        "examples": _examples(catalog),
        "story": _story(catalog),
    }


def amount(figure: NationalFigure | float, plain: bool = False) -> Markup:
    """A number as people read it (2.5 million, 30,000, 20%), marked as data; ``plain``
    leaves out the ``<data>`` element, for SVG text, where HTML elements are not drawn."""
    value = figure.value if isinstance(figure, NationalFigure) else figure
    unit = figure.unit if isinstance(figure, NationalFigure) else "count"
    shown = f"{value / 1e6:,.2f}".rstrip("0").rstrip(".") + " million"
    if abs(value) < 1e6 or unit not in ("people", "count"):
        shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    if unit == "percent":
        shown += "%"
    if plain:
        return Markup(shown)
    number = int(value) if float(value).is_integer() else value
    return Markup(f'<data value="{number}">{shown}</data>')


def when(day: dt.date | None) -> Markup:
    """A date as people read it (1 July 2022), marked up as a date."""
    if day is None:
        return Markup("")
    return Markup(f'<time datetime="{day.isoformat()}">{day.day} {day:%B %Y}</time>')


def month(day: dt.date) -> Markup:
    """A month (June 2017), for events the sources date to the month."""
    return Markup(f'<time datetime="{day:%Y-%m}">{day:%B %Y}</time>')


def data_text(value: str | None) -> Markup:
    """Text from the data that may hold digits (a period, a name), escaped and marked."""
    return Markup(f'<span class="atlas-data-text">{escape.text(value or "")}</span>')


def _examples(catalog: Catalog) -> dict:
    """Real examples of each level from the data: PCN counts, named places, current systems."""
    current = catalog.current_systems()
    pcn_counts = [s for s in catalog.stats if s.measure == "pcn_count"]
    places = [p for p in catalog.places if catalog.systems[p.system_id] in current]
    sized = sorted((s for s in current if s.population), key=lambda s: (s.population, s.id))
    return {
        "pcn_counts": sorted(pcn_counts, key=lambda s: (s.as_of, s.system_id)),
        "places": sorted(places, key=lambda p: (p.name, p.id))[:3],
        "place_count": len(catalog.places),
        "place_systems": len({p.system_id for p in catalog.places}),
        "smallest": sized[0] if sized else None,
        "largest": sized[-1] if sized else None,
    }


def _story(catalog: Catalog) -> dict:
    """Dates and counts for "how we got here" and "what is changing now", from the data."""
    events = catalog.events
    established = [e for e in events if e.type == "icb_established"]
    clustered = [e for e in events if e.type == "clustered"]
    boards = catalog.in_force_on(catalog.as_of, ICB_KINDS)
    icb_day = established[0].date if established else None
    changes = sorted({s.valid_from for s in boards} - {icb_day})
    last_change = changes[-1] if changes else None
    return {
        "first_vanguard": next((e for e in events if e.type == "vanguard"), None),
        "waves": waves(catalog),
        "established": established,
        "icb_day": icb_day,
        "clustered": clustered,
        "cluster_boards": len({e.system_id for e in clustered}),
        "change_sources": _sources_of(e for e in events if e.date == last_change),
        "cluster_sources": _sources_of(clustered),
        "last_change": last_change,
        "boards_ended": _ended_before(catalog, last_change),
        "boards_new": [s for s in boards if s.valid_from == last_change],
        "current": catalog.current_systems(),
    }


def _ended_before(catalog: Catalog, day: dt.date | None) -> list[System]:
    """The boards whose last day was the eve of ``day``."""
    if day is None:
        return []
    eve = day - dt.timedelta(days=1)
    return [s for s in catalog.systems.values() if s.kind == "icb" and s.valid_to == eve]


def _sources_of(events) -> str:
    """The sources of some events, each once, in order, separated by ;."""
    return join_ids(dict.fromkeys(i for e in events for i in id_list(e.source_id)))
