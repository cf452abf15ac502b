/* Match as you type: while an officer describes a person, business or conveyance, ask the
   match endpoint for existing records and list them with their reasons, each with a button
   that links it to the case. The page already works without this script: the search button
   reloads it with the candidates. */
(function () {
  "use strict";
  var DELAY = 250;

  function render(list, candidates) {
    var kind = list.dataset.kind;
    list.replaceChildren();
    if (!candidates.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = list.dataset.noneLabel;
      list.appendChild(none);
      return;
    }
    candidates.forEach(function (candidate) {
      var item = document.createElement("li");
      item.className = "candidate";
      var link = document.createElement("a");
      link.href = candidate.url;
      link.textContent = candidate.name;
      item.appendChild(link);
      if (candidate.birth) {
        var birth = document.createElement("span");
        birth.className = "muted";
        birth.textContent = " " + candidate.birth;
        item.appendChild(birth);
      }
      var score = document.createElement("span");
      score.className = "score";
      score.dataset.label = list.dataset.scoreLabel;
      score.textContent = candidate.score;
      item.appendChild(score);
      var reasons = document.createElement("span");
      reasons.className = "reasons";
      reasons.textContent = candidate.explanation;
      item.appendChild(reasons);
      var button = document.createElement("button");
      button.type = "submit";
      button.name = kind;
      button.value = candidate.id;
      button.textContent = list.dataset.linkLabel;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function start() {
    var form = document.getElementById("match-query");
    var list = document.getElementById("candidates");
    var recordNew = document.getElementById("record-new");
    if (!form || !list) return;
    var timer = null, latest = 0;
    function ask() {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value.trim()) params.set(field.name, field.value.trim());
      });
      if (recordNew) {
        var url = new URL(recordNew.href);
        url.searchParams.set("q", params.get("q") || "");
        recordNew.href = url.toString();
      }
      if (!params.toString()) { list.replaceChildren(); return; }
      var asked = ++latest;
      fetch(form.dataset.matchUrl + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (candidates) {
        // An older answer arriving after a newer one must not replace it.
        if (candidates && asked === latest) render(list, candidates);
      });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
