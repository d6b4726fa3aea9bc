/* The history page's date control: the systems in force from the chosen date, as lists and on
   the map beside them, from the site's own api/timeline.json. Names are written with
   textContent, never as HTML. Without JavaScript the control stays hidden, and the timeline and
   the waves give the same facts. */
(function () {
  "use strict";
  var box = document.querySelector(".atlas-on-date");
  if (!box) { return; }
  var root = box.getAttribute("data-root");
  var frame = box.querySelector("iframe");
  var status = box.querySelector(".atlas-on-date-status");
  var systemsList = box.querySelector(".atlas-on-date-systems");
  var othersLabel = box.querySelector(".atlas-on-date-others-label");
  var othersList = box.querySelector(".atlas-on-date-others");
  var PLURALS = {
    ics: "integrated care systems",
    icb: "integrated care boards",
    stp: "sustainability and transformation partnerships not yet integrated care systems"
  };

  function day(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function counted(ids, details) {
    var byKind = {};
    ids.forEach(function (id) {
      var kind = details[id].kind;
      byKind[kind] = (byKind[kind] || 0) + 1;
    });
    return Object.keys(byKind).sort().map(function (kind) {
      return byKind[kind] + " " + (PLURALS[kind] || kind);
    });
  }

  function fill(list, ids, details) {
    list.replaceChildren();
    ids.forEach(function (id) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + "systems/" + id + "/";
      link.textContent = details[id].short_name;
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  // The map page is on this site, so its atlasShow can be called once it has loaded.
  function showOnMap(ids) {
    var win = frame && frame.contentWindow;
    if (win && typeof win.atlasShow === "function") { win.atlasShow(ids); }
  }

  function draw(entry, details) {
    var parts = counted(entry.systems, details).concat(counted(entry.partnerships, details));
    status.textContent = "From " + day(entry.date) + ": " + (parts.join(" and ") || "none") + ".";
    fill(systemsList, entry.systems, details);
    fill(othersList, entry.partnerships, details);
    othersLabel.hidden = entry.partnerships.length === 0;
    showOnMap(entry.systems.concat(entry.partnerships));
  }

  box.hidden = false;
  fetch(root + "api/timeline.json")
    .then(function (response) { return response.json(); })
    .then(function (timeline) {
      var byDate = {};
      timeline.dates.forEach(function (entry) { byDate[entry.date] = entry; });
      function chosen() {
        var input = box.querySelector("input[name=atlas-on-date]:checked");
        return input && byDate[input.value];
      }
      function update() {
        var entry = chosen();
        if (entry) { draw(entry, timeline.details); }
      }
      box.addEventListener("change", update);
      if (frame) { frame.addEventListener("load", update); }
      update();
    })
    .catch(function () { status.textContent = "The dates could not be loaded."; });
})();
