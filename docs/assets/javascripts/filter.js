// Filters for the index tables: each <select data-filter="x"> keeps the rows whose data-x
// matches. Without JavaScript the filters stay hidden and every row shows.
(function () {
  document.querySelectorAll(".atlas-filter").forEach(function (box) {
    var table = document.getElementById(box.dataset.table);
    if (!table) return;
    var selects = box.querySelectorAll("select[data-filter]");
    var count = box.querySelector(".atlas-filter-count");
    var rows = table.querySelectorAll("tbody tr, [data-row]");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = Array.prototype.every.call(selects, function (select) {
          var want = select.value;
          var have = (row.dataset[select.dataset.filter] || "").split(" ");
          return !want || have.indexOf(want) !== -1;
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      if (count) count.textContent = shown + " of " + rows.length + " rows shown";
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    box.hidden = false;
    apply();
  });
})();
