/* Searchable multi-select with chips, as progressive enhancement of every native
   <select multiple> (opt out with data-native). Without JavaScript the native select stays
   and works as before; with it, the select is hidden but remains the form field: every choice
   here sets or clears the <option selected> of the select, so the submitted form is the same.

   Keyboard (WAI-ARIA combobox with a multi-selectable listbox):
   type to filter · Arrow Down/Up move through the matches (Alt+Arrow Down opens the list) ·
   Enter or Space on a match (Space only while nothing is typed) selects or deselects it ·
   Home/End jump to the first/last match · Escape closes the list, or clears the search ·
   each chip has a remove button (Tab to it, Enter/Space), focus then moves to the next chip
   or the search field. Every change is announced in a polite live region.
   Texts come from the #multiselect-texts element in base.html (translated by Django). */
(function () {
  "use strict";
  var MAX_SHOWN = 200;
  var texts = (document.getElementById("multiselect-texts") || { dataset: {} }).dataset;

  function text(key, fallback, values) {
    var value = texts[key] || fallback;
    Object.keys(values || {}).forEach(function (name) {
      value = value.split("%(" + name + ")s").join(values[name]);
    });
    return value;
  }

  function folded(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var counter = 0;

  function enhance(select) {
    if (select.dataset.native !== undefined || select.disabled || select.dataset.enhanced) { return; }
    select.dataset.enhanced = "1";
    counter += 1;
    var base = (select.id || "multiselect-" + counter) + "-ms";
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
    var name = label ? label.textContent.replace(/\*/g, "").trim() : (select.getAttribute("aria-label") || "");

    var wrapper = document.createElement("div");
    wrapper.className = "ms";
    var chips = document.createElement("ul");
    chips.className = "ms__chips";
    chips.setAttribute("aria-label", text("chips", "Ausgewählt: %(name)s", { name: name }));
    var input = document.createElement("input");
    input.type = "text";
    input.id = base + "-input";
    input.className = "ms__input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-list");
    input.placeholder = text("placeholder", "Tippen zum Suchen …");
    var described = select.getAttribute("aria-describedby");
    var hint = document.createElement("span");
    hint.id = base + "-hint";
    hint.className = "visually-hidden";
    hint.textContent = text("hint", "Pfeil nach unten öffnet die Liste, Eingabetaste wählt aus oder ab.");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    if (select.required) { input.setAttribute("aria-required", "true"); }
    if (select.getAttribute("aria-invalid")) { input.setAttribute("aria-invalid", select.getAttribute("aria-invalid")); }
    var list = document.createElement("ul");
    list.id = base + "-list";
    list.className = "ms__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    list.setAttribute("aria-label", name);
    list.hidden = true;
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    var more = document.createElement("p");
    more.className = "ms__more hint";
    more.hidden = true;

    if (label) {
      label.htmlFor = input.id;
      label.id = label.id || base + "-label";
    } else if (name) {
      input.setAttribute("aria-label", name);
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(chips);
    wrapper.appendChild(input);
    wrapper.appendChild(hint);
    wrapper.appendChild(list);
    wrapper.appendChild(more);
    wrapper.appendChild(live);
    wrapper.appendChild(select);

    var options = Array.prototype.map.call(select.options, function (option, index) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label + ": " : "";
      return { option: option, label: group + option.textContent.trim(), key: folded(group + option.textContent),
               id: base + "-opt-" + index };
    }).filter(function (entry) { return entry.option.value !== ""; });
    var shown = [];
    var active = -1;

    function announce(message) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message; }, 30);
    }

    function selectedCount() {
      return options.filter(function (entry) { return entry.option.selected; }).length;
    }

    function renderChips(focusIndex) {
      chips.textContent = "";
      var selected = options.filter(function (entry) { return entry.option.selected; });
      selected.forEach(function (entry, index) {
        var chip = document.createElement("li");
        chip.className = "ms__chip";
        var caption = document.createElement("span");
        caption.textContent = entry.label;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "ms__remove";
        remove.setAttribute("aria-label", text("remove", "%(label)s entfernen", { label: entry.label }));
        remove.innerHTML = "<span aria-hidden=\"true\">×</span>";
        remove.addEventListener("click", function () {
          toggle(entry, false);
          var buttons = chips.querySelectorAll(".ms__remove");
          (buttons[Math.min(index, buttons.length - 1)] || input).focus();
        });
        chip.appendChild(caption);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      chips.hidden = selected.length === 0;
      if (focusIndex !== undefined) { (chips.querySelectorAll(".ms__remove")[focusIndex] || input).focus(); }
    }

    function toggle(entry, value) {
      entry.option.selected = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChips();
      renderList();
      announce(text(value ? "added" : "removed", value ? "%(label)s ausgewählt, %(n)s ausgewählt."
                                                       : "%(label)s entfernt, %(n)s ausgewählt.",
                    { label: entry.label, n: String(selectedCount()) }));
    }

    function renderList() {
      var query = folded(input.value.trim());
      var matches = options.filter(function (entry) { return entry.key.indexOf(query) !== -1; });
      shown = matches.slice(0, MAX_SHOWN);
      list.textContent = "";
      shown.forEach(function (entry, index) {
        var item = document.createElement("li");
        item.id = entry.id;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", entry.option.selected ? "true" : "false");
        item.className = "ms__option" + (index === active ? " ms__option--active" : "");
        item.textContent = entry.label;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () {
          active = index;
          toggle(entry, !entry.option.selected);
          input.focus();
        });
        list.appendChild(item);
      });
      more.hidden = matches.length <= MAX_SHOWN;
      more.textContent = text("more", "%(n)s weitere Treffer – bitte genauer suchen.",
                              { n: String(matches.length - MAX_SHOWN) });
      if (active >= shown.length) { active = shown.length - 1; }
      if (active >= 0 && shown.length) {
        input.setAttribute("aria-activedescendant", shown[active].id);
        var node = document.getElementById(shown[active].id);
        if (node && node.scrollIntoView) { node.scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
      return matches.length;
    }

    function open(show) {
      list.hidden = !show || shown.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      if (list.hidden) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
        more.hidden = true;
      }
    }

    function move(to) {
      if (list.hidden) { renderList(); open(true); }
      if (!shown.length) { return; }
      active = Math.max(0, Math.min(shown.length - 1, to));
      renderList();
    }

    input.addEventListener("input", function () {
      active = -1;
      var count = renderList();
      open(true);
      announce(count === 1 ? text("one", "1 Treffer") : text("many", "%(n)s Treffer", { n: String(count) }));
    });
    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          move(list.hidden || event.altKey ? Math.max(active, 0) : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          move(active - 1);
          break;
        case "Home":
        case "End":
          if (!list.hidden) {
            event.preventDefault();
            move(event.key === "Home" ? 0 : shown.length - 1);
          }
          break;
        case "Enter":
        case " ":
          if (event.key === " " && input.value !== "") { break; }
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            toggle(shown[active], !shown[active].option.selected);
          } else if (event.key === " " || input.value !== "") {
            event.preventDefault();
            move(0);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            open(false);
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            renderList();
          }
          break;
        default:
          break;
      }
    });
    input.addEventListener("click", function () { renderList(); open(true); });
    wrapper.addEventListener("focusout", function (event) {
      if (!wrapper.contains(event.relatedTarget)) { open(false); }
    });
    // A hidden required select cannot show the browser's message itself: the search field does.
    select.addEventListener("invalid", function () {
      input.setCustomValidity(select.validationMessage);
      input.reportValidity();
    });
    select.addEventListener("change", function () { input.setCustomValidity(""); });

    renderChips();
    renderList();
    open(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[multiple]"), enhance);
})();
