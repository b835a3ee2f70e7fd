// Sortable tables: click (or Enter on) a column header; numbers sort as numbers.
(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) v = cell.textContent.trim();
    var n = parseFloat(v);
    return (v !== "" && isFinite(v) && !isNaN(n)) ? { n: n } : { s: v.toLowerCase() };
  }
  function compare(a, b) {
    if ("n" in a && "n" in b) return a.n - b.n;
    if ("n" in a) return -1;
    if ("n" in b) return 1;
    return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  }
  function sortBy(table, index, th) {
    var next = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].setAttribute("aria-sort", "none");
    th.setAttribute("aria-sort", next);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = next === "ascending" ? 1 : -1;
    rows.sort(function (r1, r2) { return sign * compare(key(r1.cells[index]), key(r2.cells[index])); });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector("button") || th;
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  });
  // printing shows everything: open the collapsed sections
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
  });
})();
