/* The link chart: draws the graph the page carries (#chart-data) with the vendored
   Cytoscape.js, and saves it as a PNG image. */
(function () {
  "use strict";
  var COLOURS = { seizure: "#8a3b12", person: "#1f5f8b", business: "#2e7d32", conveyance: "#6a1b9a" };
  var SHAPES = { seizure: "round-rectangle", person: "ellipse", business: "hexagon", conveyance: "diamond" };

  function start() {
    var holder = document.getElementById("chart");
    var data = document.getElementById("chart-data");
    if (!holder || !data || typeof cytoscape !== "function") return;
    var graph = JSON.parse(data.textContent);
    var elements = graph.nodes.map(function (node) { return { group: "nodes", data: node }; })
      .concat(graph.edges.map(function (edge) { return { group: "edges", data: edge }; }));
    var cy = cytoscape({
      container: holder,
      elements: elements,
      layout: { name: "cose", animate: false, padding: 30 },
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
          "background-color": function (n) { return COLOURS[n.data("kind")] || "#555"; },
          "shape": function (n) { return SHAPES[n.data("kind")] || "ellipse"; },
          "width": 22, "height": 22 } },
        { selector: "node[id = '" + graph.centre + "']", style: {
          "width": 34, "height": 34, "border-width": 3, "border-color": "#f2b705" } },
        { selector: "edge", style: {
          "label": "data(label)", "font-size": 9, "width": 1.5, "line-color": "#9aa5b1",
          "curve-style": "bezier", "text-rotation": "autorotate", "color": "#5b6675" } }
      ]
    });
    cy.on("dbltap", "node", function (event) { window.location.href = event.target.data("url"); });
    window.ncenChart = cy;
    var save = document.getElementById("chart-save");
    if (save) {
      save.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
        link.download = save.dataset.filename;
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
  }
  document.addEventListener("DOMContentLoaded", start);
})();
