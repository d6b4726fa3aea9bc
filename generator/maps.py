"""Maps: folium pages that load Leaflet from the site itself and nothing from elsewhere.

Each map is a standalone HTML file shown in an iframe. That keeps Leaflet apart from the
theme, works from any sub-path, and survives page changes. Every map has a text
alternative on the page that embeds it.
"""

from __future__ import annotations

import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

import folium
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from generator.escape import script_json

ENGLAND_BOUNDS = [[49.9, -5.8], [55.85, 1.8]]

# Okabe-Ito colours: told apart with colour-blindness too. Colour is never the only cue:
# the legend and the text alternative name every region.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00", "#555555"]

# Selecting a feature opens its page. The press is remembered and acted on when the map
# reports the click, because some browsers deliver the click to the map container rather
# than to the shape that was pressed. Each shape is also a link for the keyboard: Tab reaches
# it, focus shows its name, and Enter opens its page.
_REMEMBER_PRESS = JsCode(
    """function (feature, layer) {
        layer.on('mousedown touchstart click', function () {
            window.atlasPressed = feature.properties.href;
        });
        layer.on('add', function () {
            var el = layer.getElement && layer.getElement();
            if (!el) { return; }
            el.setAttribute('tabindex', '0');
            el.setAttribute('role', 'link');
            el.setAttribute('aria-label', feature.properties.text);
            el.addEventListener('focus', function () {
                layer.fire('mouseover', {latlng: layer.getBounds ? layer.getBounds().getCenter()
                    : layer.getLatLng()}, true);
            });
            el.addEventListener('blur', function () { layer.fire('mouseout', {}, true); });
            el.addEventListener('keydown', function (event) {
                if (event.key === 'Enter') {
                    var href = new URL(feature.properties.href, document.baseURI).href;
                    window.top.location.href = href;
                }
            });
        });
    }"""
)
_OPEN_PRESSED = """map.on('click', function () {
    var href = window.atlasPressed;
    window.atlasPressed = null;
    if (href) { window.top.location.href = new URL(href, document.baseURI).href; }
});
map.on('dragstart', function () { window.atlasPressed = null; });"""
# On a touch screen one finger scrolls the page past the map; two fingers zoom and move it.
_TOUCH = """window.atlasMap = map;
if (window.matchMedia('(pointer: coarse)').matches) {
    map.dragging.disable();
    map.getContainer().classList.add('atlas-touch');
}"""


@dataclass(frozen=True)
class MapFeature:
    """One thing on a map: a point (lat, lon) or a GeoJSON geometry, linking to a page."""

    name: str
    href: str
    colour: str
    label: str
    lat: float | None = None
    lon: float | None = None
    geometry: dict | None = None
    emphasis: bool = True


class _Script(MacroElement):
    """A snippet of JavaScript run once the map exists; ``map`` names the Leaflet map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) { {{ this.code }} })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, code: str):
        super().__init__()
        self._name = "Script"
        self.code = code


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


def render_map(
    features: list[MapFeature],
    *,
    title: str,
    assets: str,
    attribution: str,
    legend: list[tuple[str, str]],
    bounds=None,
    tiles: dict | None = None,
) -> str:
    """The HTML document of one map. ``assets`` is the relative URL of the site's assets folder."""
    with _stable_ids():
        fmap = folium.Map(tiles=None, zoom_control=True, prefer_canvas=False, control_scale=False)
        if tiles:
            folium.TileLayer(tiles=tiles["url"], attr=tiles["attribution"], name="tiles").add_to(
                fmap
            )
        fmap.default_js = [("leaflet", f"{assets}/leaflet/leaflet.js")]
        fmap.default_css = [
            ("leaflet_css", f"{assets}/leaflet/leaflet.css"),
            ("atlas_map_css", f"{assets}/stylesheets/map.css"),
        ]
        _add_features(fmap, features)
        fmap.add_child(_Script(_OPEN_PRESSED))
        fmap.add_child(_Script(_TOUCH))
        fmap.fit_bounds(bounds or ENGLAND_BOUNDS)
        fmap.add_child(_Script(_attribution_js(attribution)))
        if legend:
            fmap.add_child(_Script(_legend_js(legend)))
        html = fmap.get_root().render()
    return _finish_document(html, title)


def _add_features(fmap: folium.Map, features: list[MapFeature]) -> None:
    areas = [f for f in features if f.geometry]
    points = [f for f in features if not f.geometry and f.lat is not None]
    style = {"weight": 1, "color": "#ffffff", "fillOpacity": 0.75}
    if areas:
        folium.GeoJson(
            _collection(areas),
            name="areas",
            style_function=lambda f: {
                **style,
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.8 if f["properties"]["emphasis"] else 0.25,
            },
            highlight_function=lambda f: {"weight": 3, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
            on_each_feature=_REMEMBER_PRESS,
        ).add_to(fmap)
    if points:
        folium.GeoJson(
            _collection(points),
            name="points",
            marker=folium.CircleMarker(radius=8, fill=True, weight=2),
            style_function=lambda f: {
                "color": "#1a1a1a",
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.9 if f["properties"]["emphasis"] else 0.35,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
            on_each_feature=_REMEMBER_PRESS,
        ).add_to(fmap)


def _collection(features: list[MapFeature]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": f.geometry or {"type": "Point", "coordinates": [f.lon, f.lat]},
                "properties": {
                    # folium's tooltip writes name and label into the page as HTML;
                    # text is the plain name, for the shape's accessible name
                    "name": escape(f.name),
                    "text": f.name,
                    "href": f.href,
                    "colour": f.colour,
                    "label": escape(f.label),
                    "emphasis": f.emphasis,
                },
            }
            for f in features
        ],
    }


def _attribution_js(text: str) -> str:
    control = "map.attributionControl"
    return f"{control}.setPrefix(false); {control}.addAttribution({script_json(text)});"


def _legend_js(legend: list[tuple[str, str]]) -> str:
    """A legend that folds away: open on wide screens, closed (one tap opens it) on phones."""
    rows = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{escape(label)}</li>'
        for colour, label in legend
    )
    html = (
        '<details class="atlas-legend-box"><summary>Key</summary>'
        f'<ul class="atlas-legend">{rows}</ul></details>'
    )
    return (
        "var legend = L.control({position: 'topright'});"
        "legend.onAdd = function () { var div = L.DomUtil.create('div');"
        f" div.innerHTML = {script_json(html)};"
        " div.firstChild.open = !window.matchMedia('(max-width: 600px)').matches;"
        " L.DomEvent.disableClickPropagation(div); return div; };"
        "legend.addTo(map);"
    )


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
