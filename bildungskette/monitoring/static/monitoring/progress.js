// Polls the import status and updates the progress bar; reloads the page when the import ends
// or when the preview of a large file (read in the background) is ready.
(function () {
  const box = document.querySelector(".progress-box");
  if (!box) return;
  const bar = document.getElementById("import-progress");
  const text = document.getElementById("import-progress-text");
  const status = document.getElementById("import-status");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const data = await response.json();
      bar.value = data.progress;
      text.textContent = data.progress + " %";
      status.textContent = data.status_label;
      if (data.status === "done" || data.status === "rejected" || data.status === "preview") {
        window.location.reload();
        return;
      }
    } catch (e) { /* network hiccup: try again */ }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
