/* The work layout's menu button. Loaded in <head> without defer so that the "js" class is set before
   the page is drawn: only then does the stylesheet fold the menu away behind the button on a phone.
   Without script the menu stays open, so nothing depends on this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setOpen(button, open) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }

  document.addEventListener("click", function (event) {
    var toggle = document.querySelector(".nav-toggle");
    if (!toggle) return;
    if (toggle.contains(event.target)) {
      setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
    } else if (!event.target.closest || !event.target.closest(".site-nav")) {
      setOpen(toggle, false);
    }
  });

  // A read-only field to copy from (a signing secret, an address) selects itself when focused.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  document.addEventListener("keydown", function (event) {
    var toggle = document.querySelector(".nav-toggle");
    if (event.key === "Escape" && toggle && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(toggle, false);
      toggle.focus();
    }
  });
})();
