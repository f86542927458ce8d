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

/* Wide tables scroll sideways inside their .table-wrap on small screens. A box that scrolls must be
   reachable with the keyboard: where the table holds nothing focusable (a link, a button), the box
   itself takes the focus (Tab, then the arrow keys scroll) and is named after the table's caption. */
(function () {
  "use strict";
  var focusable = "a[href], button, input, select, textarea, [tabindex]";
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap, index) {
    if (wrap.hasAttribute("tabindex") || wrap.querySelector(focusable)) { return; }
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "group");
    var caption = wrap.querySelector("caption");
    if (caption) {
      caption.id = caption.id || "table-caption-" + index;
      wrap.setAttribute("aria-labelledby", caption.id);
    }
  });
})();
