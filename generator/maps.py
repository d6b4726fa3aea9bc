"""Maps: folium pages that load Leaflet from the site itself and nothing from elsewhere.

Each map is a standalone HTML file shown in an iframe. That keeps Leaflet apart from the
theme, works from any sub-path, and survives page changes. Every map has a text
alternative on the page that embeds it.
"""

from __future__ import annotations

import itertools
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

import folium
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode

ENGLAND_BOUNDS = [[49.9, -5.8], [55.85, 1.8]]

# Okabe-Ito colours: told apart with colour-blindness too. Colour is never the only cue:
# the legend and the text alternative name every region.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00", "#555555"]

_CLICK_TO_OPEN = JsCode(
    """function (feature, layer) {
        layer.on('click', function () {
            window.top.location.href = new URL(feature.properties.href, document.baseURI).href;
        });
    }"""
)


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


def render_map(features: list[MapFeature], *, title: str, leaflet: str, attribution: str,
               legend: list[tuple[str, str]], bounds=None) -> str:
    """The HTML document of one map. ``leaflet`` is the relative URL of the Leaflet folder."""
    with _stable_ids():
        fmap = folium.Map(tiles=None, zoom_control=True, prefer_canvas=False, control_scale=False)
        fmap.default_js = [("leaflet", f"{leaflet}/leaflet.js")]
        fmap.default_css = [("leaflet_css", f"{leaflet}/leaflet.css")]
        _add_features(fmap, features)
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
            style_function=lambda f: {**style, "fillColor": f["properties"]["colour"],
                                      "fillOpacity": 0.8 if f["properties"]["emphasis"] else 0.25},
            highlight_function=lambda f: {"weight": 3, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
            on_each_feature=_CLICK_TO_OPEN,
        ).add_to(fmap)
    if points:
        folium.GeoJson(
            _collection(points),
            name="points",
            marker=folium.CircleMarker(radius=8, fill=True, weight=2),
            style_function=lambda f: {"color": "#1a1a1a", "fillColor": f["properties"]["colour"],
                                      "fillOpacity": 0.9 if f["properties"]["emphasis"] else 0.35},
            tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
            on_each_feature=_CLICK_TO_OPEN,
        ).add_to(fmap)


def _collection(features: list[MapFeature]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": f.geometry or {"type": "Point", "coordinates": [f.lon, f.lat]},
                "properties": {"name": f.name, "href": f.href, "colour": f.colour,
                               "label": f.label, "emphasis": f.emphasis},
            }
            for f in features
        ],
    }


def _attribution_js(text: str) -> str:
    return f"map.attributionControl.setPrefix(false); map.attributionControl.addAttribution({json.dumps(text)});"


def _legend_js(legend: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{_escape(label)}</li>'
        for colour, label in legend
    )
    html = f'<ul class="atlas-legend">{rows}</ul>'
    return (
        "var legend = L.control({position: 'bottomleft'});"
        f"legend.onAdd = function () {{ var div = L.DomUtil.create('div', 'atlas-legend-box');"
        f" div.innerHTML = {json.dumps(html)}; return div; }};"
        "legend.addTo(map);"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EXTRA_HEAD = """<style>
  html, body { background: #f4f6f8; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  .leaflet-container { background: #f4f6f8; font: inherit; }
  .atlas-legend-box { background: #fff; padding: 6px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .atlas-legend { list-style: none; margin: 0; padding: 0; font-size: 12px; line-height: 18px; color: #1a1a1a; }
  .atlas-legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border: 1px solid #1a1a1a; }
  .leaflet-control-attribution, .leaflet-control-attribution a { color: #1a1a1a; font-size: 11px; }
</style>
"""


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.S)


def _finish_document(html: str, title: str) -> str:
    """Give the document a language and a title, as every page (framed or not) needs."""
    html = html.replace("<html>", '<html lang="en">', 1)
    # folium forbids zooming the page; people who need to zoom must be able to.
    html = _VIEWPORT.sub('<meta name="viewport" content="width=device-width, initial-scale=1.0">', html)
    head = f"<head>\n<title>{_escape(title)}</title>\n{_EXTRA_HEAD}"
    return html.replace("<head>", head, 1)
