// "Insert citation" beside an answer box: puts the citation at the cursor of the textarea named by
// the panel's data-target. Event delegation, so it works for fragments htmx swaps in later.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-insert-citation]");
  if (!button) return;
  var panel = button.closest("[data-target]");
  var box = panel && document.getElementById(panel.getAttribute("data-target"));
  if (!box) return;
  var text = button.getAttribute("data-insert-citation");
  var start = box.selectionStart == null ? box.value.length : box.selectionStart;
  var end = box.selectionEnd == null ? start : box.selectionEnd;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  box.focus();
  box.selectionStart = box.selectionEnd = start + text.length;
  button.textContent = button.getAttribute("data-done") || button.textContent;
});
