/* Add rows to a Django formset from its <template data-empty-row>; rows are removed with
   their "Delete" box, which the server honours. Without script, the form still has one
   blank row to fill in and save. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-add-row]"), function (button) {
      var prefix = button.dataset.addRow;
      var template = document.querySelector('template[data-empty-row="' + prefix + '"]');
      var rows = document.querySelector('[data-rows="' + prefix + '"]');
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      if (!template || !rows || !total) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var row = holder.firstElementChild;
        var none = rows.querySelector("[data-none]");
        if (none) none.remove();
        rows.appendChild(row);
        total.value = String(index + 1);
        row.dispatchEvent(new CustomEvent("ncen:rows-added", { bubbles: true }));
        var first = row.querySelector("input, select, textarea");
        if (first) first.focus();
      });
    });
  });
})();
