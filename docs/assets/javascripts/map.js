/* ICS Atlas maps: draw one map from its page's settings and the shared boundary files.
 *
 * Each map page carries only what is its own (which areas, colours, points, legend); the
 * boundaries come from one file per vintage under assets/geo/, which the browser caches and
 * every map shares. Names are put into the page as text, never as HTML. */
(function () {
  "use strict";

  function tooltip(spec) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = spec.name;
    box.appendChild(name);
    if (spec.label) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(spec.label));
    }
    return box;
  }

  function open(href) {
    window.top.location.href = new URL(href, document.baseURI).href;
  }

  // Selecting a shape opens its page. The press is remembered and acted on when the map
  // reports the click, because some browsers deliver the click to the map container. Each
  // shape is also a link for the keyboard: Tab reaches it, focus names it, Enter opens it.
  function linkable(layer, spec) {
    layer.bindTooltip(tooltip(spec), { sticky: true });
    layer.on("mousedown touchstart click", function () { window.atlasPressed = spec.href; });
    layer.on("add", function () {
      var el = layer.getElement && layer.getElement();
      if (!el) { return; }
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "link");
      el.setAttribute("aria-label", spec.name);
      el.addEventListener("focus", function () {
        var at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
        layer.openTooltip(at);
        layer.fire("mouseover", { latlng: at }, true);
      });
      el.addEventListener("blur", function () {
        layer.closeTooltip();
        layer.fire("mouseout", {}, true);
      });
      el.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { open(spec.href); }
      });
    });
  }

  // Areas tagged with a system id can be shown and hidden by the page around the map: the
  // history page's date control calls atlasShow with the ids in force on the chosen date.
  var tagged = {};
  var wanted = null;  // the ids to show; null shows every area

  function showing(id) { return !id || wanted === null || wanted.indexOf(id) >= 0; }

  function applyShown(map) {
    Object.keys(tagged).forEach(function (id) {
      var layer = tagged[id];
      if (showing(id) && !map.hasLayer(layer)) { layer.addTo(map); }
      if (!showing(id) && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
  }

  window.atlasShow = function (ids) {
    wanted = ids.slice();
    if (window.atlasMap) { applyShown(window.atlasMap); }
  };

  function drawAreas(map, areas, collections) {
    var geometry = {};
    collections.forEach(function (collection) {
      collection.features.forEach(function (f) {
        geometry[collection.name + " " + f.properties.code] = f.geometry;
      });
    });
    areas.forEach(function (spec) {
      var shape = geometry[spec.vintage + " " + spec.code];
      if (!shape) { return; }
      var style = {
        weight: 1, color: "#ffffff", fillColor: spec.colour,
        fillOpacity: spec.emphasis ? 0.8 : 0.25
      };
      var layer = L.geoJSON({ type: "Feature", geometry: shape, properties: {} }, {
        style: function () { return style; }
      });
      layer.eachLayer(function (shapeLayer) {
        linkable(shapeLayer, spec);
        shapeLayer.on("mouseover", function () { shapeLayer.setStyle({ weight: 3, color: "#000000" }); });
        shapeLayer.on("mouseout", function () { shapeLayer.setStyle(style); });
      });
      if (spec.id) { tagged[spec.id] = layer; }
      if (showing(spec.id)) { layer.addTo(map); }
    });
  }

  function drawPoints(map, points) {
    points.forEach(function (spec) {
      var marker = L.circleMarker([spec.lat, spec.lon], {
        radius: 8, fill: true, weight: 2, color: "#1a1a1a", fillColor: spec.colour,
        fillOpacity: spec.emphasis ? 0.9 : 0.35
      });
      linkable(marker, spec);
      marker.addTo(map);
    });
  }

  // A legend that folds away: open on wide screens, closed (one tap opens it) on phones.
  function drawLegend(map, legend) {
    if (!legend.length) { return; }
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div");
      var box = document.createElement("details");
      box.className = "atlas-legend-box";
      var summary = document.createElement("summary");
      summary.textContent = "Key";
      var list = document.createElement("ul");
      list.className = "atlas-legend";
      legend.forEach(function (entry) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = entry[0];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry[1]));
        list.appendChild(item);
      });
      box.appendChild(summary);
      box.appendChild(list);
      box.open = !window.matchMedia("(max-width: 600px)").matches;
      div.appendChild(box);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
  }

  window.atlasDraw = function (map, config) {
    window.atlasMap = map;
    if (config.show && wanted === null) { wanted = config.show; }
    map.fitBounds(config.bounds);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(config.attribution);
    drawLegend(map, config.legend);
    map.on("click", function () {
      var href = window.atlasPressed;
      window.atlasPressed = null;
      if (href) { open(href); }
    });
    map.on("dragstart", function () { window.atlasPressed = null; });
    // On a touch screen one finger scrolls the page past the map; two fingers move it.
    if (window.matchMedia("(pointer: coarse)").matches) {
      map.dragging.disable();
      map.getContainer().classList.add("atlas-touch");
    }
    var vintages = [];
    config.areas.forEach(function (a) {
      if (vintages.indexOf(a.vintage) < 0) { vintages.push(a.vintage); }
    });
    Promise.all(vintages.map(function (name) {
      return fetch(config.geo + "/" + name + ".json").then(function (r) { return r.json(); });
    })).then(function (collections) {
      drawAreas(map, config.areas, collections);
      drawPoints(map, config.points);  // points above the areas
      document.documentElement.setAttribute("data-map-ready", "true");
    });
  };
})();
