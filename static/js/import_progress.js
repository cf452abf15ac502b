/* Follow an import: poll its status every second, move the progress bar, and reload the
   page once the import has ended, to show the seizures it created or why it stopped.
   Without script, reloading the page by hand shows the same. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-import-status]");
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-import-text]");
    var template = text.textContent;
    function poll() {
      fetch(box.dataset.importStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.finished) { window.location.reload(); return; }
          if (state && state.total) {
            bar.value = state.percent;
            bar.textContent = state.percent + " %";
            text.textContent = box.dataset.importFormat
              .replace("%(status)s", state.status_label)
              .replace("%(done)s", state.done)
              .replace("%(total)s", state.total || "?");
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { text.textContent = template; window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  });
})();
