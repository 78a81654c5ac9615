// "Insert citation" beside an answer box: puts the citation at the cursor of the textarea named by
// the panel's data-target, replacing any selected text, and leaves the cursor after it. A box the
// advisor has not yet clicked or typed into has no cursor of its own (browsers report position 0
// for text the server filled in), so there the citation goes at the end instead of the start.
// Event delegation, so it works for fragments htmx swaps in later.
(function () {
  var PLACED = "data-cursor-placed";

  // Any focus of a textarea gives it a cursor the advisor chose (click, tap, Tab or typing).
  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box && box.tagName === "TEXTAREA") box.setAttribute(PLACED, "");
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-citation]");
    if (!button) return;
    var panel = button.closest("[data-target]");
    var box = panel && document.getElementById(panel.getAttribute("data-target"));
    if (!box) return;
    var text = button.getAttribute("data-insert-citation");
    var hasCursor = box.hasAttribute(PLACED) && box.selectionStart != null;
    var start = hasCursor ? box.selectionStart : box.value.length;
    var end = hasCursor && box.selectionEnd != null ? box.selectionEnd : start;
    box.focus();
    if (typeof box.setRangeText === "function") {
      box.setRangeText(text, start, end, "end");
    } else {
      box.value = box.value.slice(0, start) + text + box.value.slice(end);
      box.selectionStart = box.selectionEnd = start + text.length;
    }
    // Tell listeners (a character counter, a draft saver) that the text changed.
    box.dispatchEvent(new Event("input", { bubbles: true }));
    button.textContent = button.getAttribute("data-done") || button.textContent;
  });
})();
