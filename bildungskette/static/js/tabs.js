// Accessible tabs (WAI-ARIA Authoring Practices): the table tab comes first; arrow keys move
// between tabs. Without JavaScript the tab list stays hidden and both panels are shown.
document.querySelectorAll("[data-tabs]").forEach(function (box) {
  var list = box.querySelector("[role=tablist]");
  var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
  function select(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) { tab.focus(); }
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var next = null;
      if (e.key === "ArrowRight") { next = tabs[(i + 1) % tabs.length]; }
      if (e.key === "ArrowLeft") { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
      if (e.key === "Home") { next = tabs[0]; }
      if (e.key === "End") { next = tabs[tabs.length - 1]; }
      if (next) { e.preventDefault(); select(next, true); }
    });
  });
  list.hidden = false;
  select(tabs[0], false);
});
