// The community finder on /: narrows the listed communities as the visitor types, before any
// round trip. Without script the same form searches on the server (a plain GET).
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var input = document.querySelector(".finder input[name=q]");
    var street = document.querySelector(".finder select[name=street]");
    var none = document.querySelector("[data-finder-none]");
    var lists = document.querySelectorAll("[data-finder-list]");
    if (!input || !lists.length) return;
    function filter() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      lists.forEach(function (list) {
        var inList = 0;
        list.querySelectorAll("li.community").forEach(function (item) {
          var name = (item.getAttribute("data-name") || "").toLowerCase();
          var match = words.every(function (w) { return name.indexOf(w) !== -1; });
          item.hidden = !match;
          if (match) inList += 1;
        });
        var header = list.querySelector("[data-street]");
        if (header) header.hidden = inList === 0;
        shown += inList;
      });
      if (none) none.hidden = shown !== 0 || !words.length;
    }
    input.addEventListener("input", function () {
      // Typing over a street choice searches everywhere on submit; live, it narrows what is listed.
      filter();
    });
    if (street) street.addEventListener("change", function () { street.form.submit(); });
  });
})();
