/* A download of any table a person sees on a work page, as they see it: a "下载表格" link above each
   table (of at least one row) saves it as a CSV file that Excel opens in Chinese (UTF-8 with BOM).
   The file holds the table's text only: masked numbers stay masked, and nothing is fetched again.
   A table opts out with data-no-export (one that has its own download next to it). */
(function () {
  "use strict";

  function cellText(cell) {
    var text = (cell.innerText || cell.textContent || "").replace(/\s+/g, " ").trim();
    // A cell that starts like a formula is kept as text, so a spreadsheet never runs it.
    if (/^[=+\-@]/.test(text) && !/^[+\-]?\d[\d,]*(\.\d+)?%?$/.test(text)) text = "'" + text;
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvOf(table) {
    var lines = [];
    table.querySelectorAll("tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      if (cells.length === 1 && cells[0].colSpan > 1) return; // an "empty list" row
      lines.push(Array.prototype.map.call(cells, cellText).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  function fileName(table) {
    var heading = document.querySelector("main h1");
    var title = (heading ? heading.textContent : document.title).trim().replace(/[\\/:*?"<>|\s]+/g, "_");
    var day = new Date();
    var stamp = day.getFullYear() + "-" + ("0" + (day.getMonth() + 1)).slice(-2) + "-" + ("0" + day.getDate()).slice(-2);
    var index = Array.prototype.indexOf.call(document.querySelectorAll("main table"), table);
    return title + (index > 0 ? "-" + (index + 1) : "") + "-" + stamp + ".csv";
  }

  function addLinks() {
    document.querySelectorAll("main[data-table-export] table").forEach(function (table) {
      if (table.hasAttribute("data-no-export") || table.closest("[data-no-export]")) return;
      if (table.dataset.exportReady || !table.querySelector("tbody tr td")) return;
      table.dataset.exportReady = "1";
      var bar = document.createElement("p");
      bar.className = "table-export";
      var link = document.createElement("a");
      link.href = "#";
      link.textContent = table.closest("main").dataset.tableExport; // translated in base_work.html
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var blob = new Blob([csvOf(table)], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        var anchor = document.createElement("a");
        anchor.href = url;
        anchor.download = fileName(table);
        document.body.appendChild(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      });
      bar.appendChild(link);
      table.parentNode.insertBefore(bar, table);
    });
  }

  document.addEventListener("DOMContentLoaded", addLinks);
  document.addEventListener("htmx:afterSettle", addLinks); // tables that htmx swaps in
})();
