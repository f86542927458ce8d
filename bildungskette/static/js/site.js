/* Small screens: the main navigation folds behind a "Menü" button. Without JavaScript the
   navigation simply stays open, so every link remains reachable. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var button = document.querySelector(".menu-toggle");
  if (!nav || !button) { return; }
  var small = window.matchMedia("(max-width: 639px)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("main-nav--closed", !open);
  }

  function adapt() {
    button.hidden = !small.matches;
    setOpen(!small.matches);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && small.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  if (small.addEventListener) { small.addEventListener("change", adapt); }
  adapt();
})();
