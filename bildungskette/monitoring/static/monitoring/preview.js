// Live preview in the indicator editor: validates the formula and shows recent values.
(function () {
  const aside = document.getElementById("indicator-preview");
  const form = document.getElementById("indicator-form");
  if (!aside || !form) return;
  const out = document.getElementById("preview-output");
  let timer = null;
  function field(name) { const el = form.elements[name]; return el ? el.value : ""; }
  function render(data) {
    out.replaceChildren();
    if (!data.ok) {
      const list = document.createElement("ul");
      list.className = "error";
      for (const p of data.problems) { const li = document.createElement("li"); li.textContent = p; list.append(li); }
      out.append(list);
      return;
    }
    if (!data.results.length) {
      const p = document.createElement("p"); p.textContent = "Noch keine Daten für diese Merkmale."; out.append(p); return;
    }
    const table = document.createElement("table");
    for (const r of data.results) {
      const tr = document.createElement("tr");
      const th = document.createElement("th"); th.scope = "row"; th.textContent = r.period;
      const td = document.createElement("td"); td.className = "num"; td.textContent = r.value;
      const note = document.createElement("td"); note.textContent = r.reason;
      tr.append(th, td, note); table.append(tr);
    }
    out.append(table);
  }
  async function update() {
    const params = new URLSearchParams({
      numerator: field("numerator"), denominator: field("denominator"), factor: field("factor"),
      decimals: field("decimals"), code: field("code"), gebiet: aside.dataset.region,
    });
    try {
      const response = await fetch(aside.dataset.previewUrl + "?" + params.toString());
      render(await response.json());
    } catch (e) { /* keep the last preview */ }
  }
  form.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(update, 400); });
  update();
})();
