/* Searchable pickers: a filter box in front of every <select data-searchable>.
   Typing narrows the options (ignoring case and accents) and selects the first match;
   the select itself stays the form field, so the page works without this script. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.setAttribute("aria-label", (document.documentElement.lang === "fr" ? "Filtrer : " : "Filter: ") +
      (select.labels && select.labels[0] ? select.labels[0].textContent.replace(/:$/, "") : ""));
    box.setAttribute("aria-controls", select.id);
    box.placeholder = document.documentElement.lang === "fr" ? "Tapez pour filtrer" : "Type to filter";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      // The best match starts earliest in its name, then is the shortest name:
      // "united states" picks the United States of America, not its outlying islands.
      var first = null, bestAt = Infinity, bestLength = Infinity;
      Array.prototype.forEach.call(select.options, function (option) {
        var at = fold(option.text).indexOf(wanted);
        var match = !wanted || option.value === "" || at !== -1;
        option.hidden = !match;
        if (wanted && at !== -1 && option.value !== "" &&
            (at < bestAt || (at === bestAt && option.text.length < bestLength))) {
          first = option; bestAt = at; bestLength = option.text.length;
        }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      if (wanted && first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }
  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-searchable]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("ncen:rows-added", function (event) { enhanceAll(event.target); });
})();
