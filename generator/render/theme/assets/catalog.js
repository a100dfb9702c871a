/* 事项清单 filter: narrows the table in place. Without JavaScript the facet pages do the same job. */
(function () {
  "use strict";
  var form = document.getElementById("catalog-filter");
  var table = document.getElementById("catalog-table");
  if (!form || !table) return;
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("catalog-count");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

  function matches(row, key, value) {
    if (key === "levels") return (" " + row.getAttribute("data-levels") + " ").indexOf(" " + value + " ") >= 0;
    return row.getAttribute("data-" + key) === value;
  }

  function apply() {
    var wanted = {};
    selects.forEach(function (s) { if (s.value) wanted[s.name] = s.value; });
    var q = form.elements.q.value.trim();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = Object.keys(wanted).every(function (k) { return matches(row, k, wanted[k]); });
      if (ok && q) ok = row.getAttribute("data-name").indexOf(q) >= 0;
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = String(shown);
    var params = new URLSearchParams(wanted);
    if (q) params.set("q", q);
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname);
  }

  var initial = new URLSearchParams(location.hash.slice(1));
  selects.forEach(function (s) { if (initial.get(s.name)) s.value = initial.get(s.name); });
  if (initial.get("q")) form.elements.q.value = initial.get("q");
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();
