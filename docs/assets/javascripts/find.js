/* The finder: a postcode, a town or village, a council or district, or the browser's position
   -> the board in force on the data's date, with the boards before it. Everything is read from
   the site's own static API; no request leaves the site. Data is written with textContent,
   never as HTML. */
(function () {
  "use strict";
  var form = document.querySelector("form.atlas-find");
  if (!form) { return; }
  var api = form.getAttribute("data-api");
  var root = form.getAttribute("data-root");
  var asOf = form.getAttribute("data-as-of");
  var input = form.querySelector("input[name=q]");
  var out = document.querySelector(".atlas-find-results");
  var locate = form.querySelector("[data-find-location]");
  var FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$/;
  var OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
  var cache = {};
  /* Answers by kind, largest first; generator/finder.py has the same list (KIND_ORDER). */
  var KINDS = ["district", "council", "city", "town", "suburb", "village", "hamlet", "settlement"];
  var KIND_WORDS = { district: "council district", council: "council" };
  var MORE = 12;  /* names that only begin with the query, shown after the exact ones */
  var DETAILED = 3;  /* up to this many exact answers get their history */

  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(api + path).then(function (r) { return r.ok ? r.json() : null; });
    }
    return cache[path];
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function day(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function link(system) {
    return el("a", system.name, { href: root + "systems/" + system.id + "/" });
  }

  function percent(share) { return Math.round(share * 100) + "%"; }

  function boardsLine(label, shares, systems) {
    var p = el("p");
    p.appendChild(el("strong", label + " "));
    shares.forEach(function (s, i) {
      if (i) { p.appendChild(document.createTextNode(i === shares.length - 1 ? " and " : ", ")); }
      p.appendChild(link(systems[s.id]));
      if (shares.length > 1 && s.share !== null) {
        p.appendChild(document.createTextNode(" (about " + percent(s.share) + ")"));
      }
    });
    return p;
  }

  function ids(v) { return v.systems.map(function (s) { return s.id; }).join(" "); }

  function history(box, vintages, systems) {
    /* Vintages with the same boards are one period, from the older one's start (newest shares). */
    vintages = vintages.reduce(function (kept, v) {
      var last = kept[kept.length - 1];
      if (last && ids(last) === ids(v)) { last.from = v.from; } else { kept.push({ from: v.from, systems: v.systems }); }
      return kept;
    }, []);
    vintages.forEach(function (v, i) {
      var first = systems[v.systems[0].id];
      var label = i === 0 ? "From " + day(v.from) + ":" :
        first.from.slice(0, 4) + "–" + (first.to ? first.to.slice(0, 4) : "") + ":";
      box.appendChild(boardsLine(label, v.systems, systems));
    });
    var oldest = vintages[vintages.length - 1];
    var before = systems[oldest.systems[0].id].before;
    if (before.length) {
      var p = el("p");
      p.appendChild(el("strong", "Before " + systems[oldest.systems[0].id].from.slice(0, 4) + ": "));
      before.forEach(function (s, i) {
        if (i) { p.appendChild(document.createTextNode("; ")); }
        p.appendChild(el("a", s.name, { href: root + "systems/" + s.id + "/" }));
        p.appendChild(document.createTextNode(" (" + s.from.slice(0, 4) + "–" + (s.to || "").slice(0, 4) + ")"));
      });
      box.appendChild(p);
    }
  }

  function splitNote(box, shares, area) {
    if (shares.length > 1) {
      box.appendChild(el("p", (area || "This area") + " is split between boards. The shares " +
        "are those of its postcodes, so they are approximate near a border. Your GP practice's " +
        "board is the one that plans your care: a full postcode narrows it down."));
    }
  }

  function show(title, nodes) {
    out.textContent = "";
    var box = el("section", null, { "class": "atlas-find-answer" });
    box.appendChild(el("h2", title));
    nodes.forEach(function (n) { box.appendChild(n); });
    out.appendChild(box);
    return box;
  }

  function postcode(q, full) {
    var outward = full ? full[1] : q;
    var sector = full ? full[1] + " " + full[2] : null;
    return Promise.all([getJSON("postcodes/" + outward + ".json"), getJSON("find/systems.json")])
      .then(function (found) {
        var doc = found[0], systems = found[1];
        if (!doc) {
          show(q, [el("p", "No English postcode area " + outward + " is in the data. Check the " +
            "postcode, or try a council or district name.")]);
          return;
        }
        var vintages = doc.vintages.map(function (v) {
          var shares = sector && v.sectors[sector] ? v.sectors[sector] : v.systems;
          return { from: v.from, systems: shares };
        });
        var title = full ? full[1] + " " + full[2] + full[3] : outward;
        var box = show(title, []);
        if (full) {
          box.appendChild(el("p", (doc.vintages[0].sectors[sector] ? "For the postcode sector " +
            sector : "For the postcode area " + outward) + ", as of " + day(asOf) + "."));
        }
        history(box, vintages, systems);
        splitNote(box, vintages[0].systems);
      });
  }

  /* As generator/finder.py fold(): no accents or apostrophes, lower case, other runs one space. */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function byKind(a, b) {
    return KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      ((a.district || "") < (b.district || "") ? -1 : (a.district || "") > (b.district || "") ? 1 : 0);
  }

  function describe(e) {
    var kind = KIND_WORDS[e.kind] || e.kind;
    if (e.district) { return " (" + kind + " in " + e.district + ")"; }
    return " (" + kind + (e.code ? ", " + e.code : "") + ")";
  }

  function detailed(box, e, systems, histories) {
    var part = el("section");
    var heading = el("h3");
    heading.appendChild(el("a", e.name, { href: root + e.url }));
    heading.appendChild(document.createTextNode(describe(e)));
    part.appendChild(heading);
    var known = e.systems.filter(function (s) { return systems[s.id]; });
    var district = e.lad && histories ? histories[e.lad] : null;
    if (e.district) {
      part.appendChild(el("p", "A " + e.kind + " in " + e.district + ": its board is the " +
        "district's, as of " + day(asOf) + "."));
    }
    if (district) {
      history(part, district.vintages, systems);
    } else if (known.length) {
      part.appendChild(boardsLine("From " + day(asOf) + ":", known, systems));
    }
    splitNote(part, known, e.district || e.name);
    box.appendChild(part);
  }

  function listed(box, hits, systems) {
    var list = el("ul");
    hits.forEach(function (e) {
      var item = el("li");
      item.appendChild(el("a", e.name, { href: root + e.url }));
      item.appendChild(document.createTextNode(describe(e)));
      var shares = e.systems.filter(function (s) { return systems[s.id]; });
      if (shares.length) { item.appendChild(boardsLine(" From " + day(asOf) + ":", shares, systems)); }
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function names(q) {
    var key = fold(q);
    var piece = key.replace(/ /g, "").slice(0, 2);
    if (piece.length < 2) {
      return Promise.resolve(show(q, [el("p", "Type a postcode, or at least two letters of a " +
        "place, council or district.")]));
    }
    return Promise.all([getJSON("find/names/" + piece + ".json"), getJSON("find/systems.json"),
      getJSON("find/districts.json")])
      .then(function (found) {
        var entries = found[0] || [], systems = found[1], histories = found[2];
        var code = q.trim().toLowerCase(), exact = [], begins = [];
        entries.forEach(function (e) {
          var name = fold(e.name);
          if (name === key || (e.code && e.code.toLowerCase() === code)) { exact.push(e); }
          else if (name.indexOf(key) === 0) { begins.push(e); }
        });
        /* A place in the district of its own name (Guildford in Guildford) is the district's answer. */
        exact = exact.filter(function (e) {
          return !e.district || !exact.some(function (d) { return d.kind === "district" && d.lad === e.lad; });
        });
        exact.sort(byKind);
        begins.sort(byKind);
        if (!exact.length && !begins.length) {
          show(q, [el("p", "Nothing in the data is called \u201c" + q + "\u201d. Try a postcode " +
            "(such as SE1 7EH or SE1), a town or village, a council, or a district.")]);
          return;
        }
        var box = show(q, []);
        if (exact.length > 1) {
          box.appendChild(el("p", exact.length + " places and areas are called \u201c" +
            exact[0].name + "\u201d, the largest first: check the district."));
        }
        var shown = exact.length <= DETAILED ? exact : [];
        shown.forEach(function (e) { detailed(box, e, systems, histories); });
        var rest = exact.slice(shown.length).concat(begins.slice(0, MORE));
        if (rest.length) {
          if (shown.length) { box.appendChild(el("h3", "Names that begin the same way")); }
          listed(box, rest, systems);
        }
      });
  }

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  function inArea(x, y, geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      return rings.reduce(function (inside, ring) { return inRing(x, y, ring) ? !inside : inside; }, false);
    });
  }

  function position(lat, lon) {
    return Promise.all([getJSON("find/areas.json"), getJSON("find/systems.json")])
      .then(function (found) {
        var areas = found[0], systems = found[1];
        var id = Object.keys(areas).filter(function (k) { return inArea(lon, lat, areas[k]); })[0];
        if (!id) {
          show("Your location", [el("p", "That position is not inside an English board's area.")]);
          return;
        }
        var box = show("Your location", [el("p", "Worked out in your browser; your position " +
          "was not sent anywhere.")]);
        history(box, [{ from: systems[id].from, systems: [{ id: id, share: 1 }] }], systems);
      });
  }

  function run(raw) {
    var q = raw.trim();
    if (!q) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("q", q);
    window.history.replaceState(null, "", url);
    var upper = q.toUpperCase().replace(/\s+/g, " ");
    var full = upper.match(FULL);
    out.textContent = "Looking\u2026";
    var done = full || OUTWARD.test(upper) ? postcode(upper, full) : names(q);
    done.catch(function () { show(q, [el("p", "The data could not be loaded. Try again.")]); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
  });
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      out.textContent = "Asking your browser for your position\u2026";
      navigator.geolocation.getCurrentPosition(
        function (p) { position(p.coords.latitude, p.coords.longitude); },
        function () { show("Your location", [el("p", "Your browser did not give a position.")]); }
      );
    });
  }
  var start = new URLSearchParams(window.location.search).get("q");
  if (start) { input.value = start; run(start); }
})();
