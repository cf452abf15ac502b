/* Follow a background task (an import, a report): poll its status every second, move the
   progress bar, and reload the page once the task has ended, to show what it made or why it
   stopped. Without script, reloading the page by hand shows the same.
   The box names its status URL (data-task-status) and the sentence to show, with
   %(status)s, %(done)s and %(total)s in it (data-task-format). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-task-status]");
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-task-text]");
    var template = text.textContent;
    function poll() {
      fetch(box.dataset.taskStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.finished) { window.location.reload(); return; }
          if (state && state.total) {
            bar.value = state.percent;
            bar.textContent = state.percent + " %";
            text.textContent = box.dataset.taskFormat
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
