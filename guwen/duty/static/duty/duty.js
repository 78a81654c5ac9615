// "全选" on the list of shifts to confirm: ticks or clears every box named by data-select-all.
document.addEventListener("change", function (event) {
  var box = event.target;
  var name = box && box.getAttribute && box.getAttribute("data-select-all");
  if (!name || !box.form) return;
  box.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (item) {
    item.checked = box.checked;
  });
});
