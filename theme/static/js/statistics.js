/* Incident list: filter by year, region and attack type, and sort by any column.
   The table works without this script; it only enhances it. No dependencies. */
(function () {
  "use strict";
  var table = document.getElementById("incident-table");
  var form = document.getElementById("incident-filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.dataset.year; });
  var count = document.getElementById("filter-count");
  form.hidden = false;

  function applyFilters() {
    var wanted = {};
    form.querySelectorAll("select[data-filter]").forEach(function (s) { wanted[s.dataset.filter] = s.value; });
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!wanted.year || r.dataset.year === wanted.year) &&
               (!wanted.region || r.dataset.region === wanted.region) &&
               (!wanted.type || r.dataset.type === wanted.type);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " incidents shown";
  }
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  // a date cell sorts by its <time datetime> (ISO), not by the words people read
  function sortKey(cell) {
    var time = cell.querySelector("time[datetime]");
    return time ? time.getAttribute("datetime") : cell.textContent.trim();
  }
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = sortKey(a.cells[index]), y = sortKey(b.cells[index]);
        var c = x.localeCompare(y, undefined, { numeric: true });
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  applyFilters();
})();
