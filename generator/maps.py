"""Maps: folium pages that load Leaflet from the site itself and nothing from elsewhere.

Each map is a standalone HTML file shown in an iframe, beside a text alternative on the page
that embeds it. folium builds the map document once; each map page is that document with its
own settings (areas by code, colours, points, legend) as JSON. The boundaries themselves are
shared: one file per vintage under assets/geo/, which map.js fetches and the browser caches.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

import folium
import xstatic.pkg.leaflet
from branca.element import Element, MacroElement
from folium.template import Template

from generator.escape import script_json

ENGLAND_BOUNDS = [[49.9, -5.8], [55.85, 1.8]]

# Okabe-Ito colours: told apart with colour-blindness too. Colour is never the only cue:
# the legend and the text alternative name every region.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00", "#555555"]
_TITLE, _CONFIG = "@@ATLAS-MAP-TITLE@@", "@@ATLAS-MAP-CONFIG@@"
_PLACEHOLDER = re.compile(f"{_TITLE}|{_CONFIG}")


@dataclass(frozen=True)
class MapFeature:
    """One thing on a map: a point (lat, lon) or an area (its boundary file and ONS code),
    linking to a page."""

    name: str
    href: str
    colour: str
    label: str
    lat: float | None = None
    lon: float | None = None
    vintage: str | None = None  # the boundary file the area is drawn from
    code: str | None = None
    emphasis: bool = True
    id: str | None = None  # tags the area, so that the page around the map can show or hide it

    def settings(self) -> dict:
        own = {"name": self.name, "href": self.href, "colour": self.colour, "label": self.label}
        if self.id:
            own["id"] = self.id
        if self.code:
            return {**own, "vintage": self.vintage, "code": self.code, "emphasis": self.emphasis}
        return {**own, "lat": self.lat, "lon": self.lon, "emphasis": self.emphasis}


class _Draw(MacroElement):
    """Calls map.js's ``atlasDraw`` with the page's settings once the map exists."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.atlasDraw({{ this._parent.get_name() }}, """
        + _CONFIG
        + """);
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "Draw"


@contextmanager
def _stable_ids():
    """folium names elements with random ids; number them instead so builds are identical."""
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):04x}")
    try:
        yield
    finally:
        Element._generate_id = original


@functools.cache
def _document(assets: str, tiles_url: str | None, tiles_attribution: str | None) -> str:
    """The map document folium builds, once for each folder depth, with placeholders."""
    with _stable_ids():
        fmap = folium.Map(tiles=None, zoom_control=True, prefer_canvas=False, control_scale=False)
        if tiles_url:
            folium.TileLayer(tiles=tiles_url, attr=tiles_attribution, name="tiles").add_to(fmap)
        fmap.default_js = [
            ("leaflet", f"{assets}/leaflet/leaflet.js"),
            ("atlas_map", f"{assets}/javascripts/map.js"),
        ]
        fmap.default_css = [
            ("leaflet_css", f"{assets}/leaflet/leaflet.css"),
            ("atlas_map_css", f"{assets}/stylesheets/map.css"),
        ]
        fmap.add_child(_Draw())
        html = fmap.get_root().render()
    return _finish_document(html, _TITLE)


def render_map(
    features: list[MapFeature],
    *,
    title: str,
    assets: str,
    attribution: str,
    legend: list[tuple[str, str]],
    bounds=None,
    tiles: dict | None = None,
    show: list[str] | None = None,
) -> str:
    """The HTML document of one map. ``assets`` is the relative URL of the site's assets folder.

    ``show``, if given, lists the ids of the tagged areas drawn at first; map.js's
    ``atlasShow`` changes them. Without it, every area is drawn.
    """
    tiles = tiles or {}
    document = _document(assets, tiles.get("url"), tiles.get("attribution"))
    config = {
        "geo": f"{assets}/geo",
        "areas": [f.settings() for f in features if f.code],
        "points": [f.settings() for f in features if not f.code and f.lat is not None],
        "bounds": bounds or ENGLAND_BOUNDS,
        "legend": [list(entry) for entry in legend],
        "attribution": escape(attribution),  # Leaflet shows attribution as HTML
    }
    if show is not None:
        config["show"] = show
    values = {_TITLE: escape(title), _CONFIG: script_json(config)}
    return _PLACEHOLDER.sub(lambda found: values[found.group()], document)


def geometry_file(vintage: str, geometries: dict[str, dict]) -> str:
    """One vintage's boundaries as the file map.js fetches: a FeatureCollection by code."""
    features = [
        {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
        for code, geometry in sorted(geometries.items())
    ]
    collection = {"type": "FeatureCollection", "name": vintage, "features": features}
    return json.dumps(collection, separators=(",", ":"))


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.S)
_ZOOMABLE = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'


def _finish_document(html: str, title: str) -> str:
    """Give the document a language and a title, as every page (framed or not) needs."""
    html = html.replace("<html>", '<html lang="en">', 1)
    # folium forbids zooming the page; people who need to zoom must be able to.
    html = _VIEWPORT.sub(_ZOOMABLE, html)
    head = f'<head>\n<title>{escape(title)}</title>\n<link rel="icon" href="data:,">'
    html = html.replace("<head>", head, 1)
    body = f'<body>\n<main>\n<h1 class="atlas-visually-hidden">{escape(title)}</h1>'
    return html.replace("<body>", body, 1).replace("</body>", "</main>\n</body>", 1)


LEAFLET_FILES = [
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
]


def copy_leaflet(target: Path) -> None:
    """Leaflet itself, from its Python package, into the site: the maps load nothing from
    elsewhere."""
    source = Path(xstatic.pkg.leaflet.BASE_DIR)
    for name in LEAFLET_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
