/* The analysis dashboard: draws the figures the page carries (#dashboard-data) with the
   vendored Chart.js. A click on a bar or a slice opens the records behind it; the tables
   under each chart hold the same figures and links without this script. */
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#8a3b12", "#2e7d32", "#6a1b9a", "#c77c02", "#00796b", "#ad1457",
    "#455a64", "#7cb342", "#5d4037", "#3949ab", "#d84315", "#00838f", "#9e9d24", "#6d4c41"];

  function colour(n) { return COLOURS[n % COLOURS.length]; }

  function opener(links) {
    return function (event, elements) {
      if (!elements.length) return;
      var link = links(elements[0].datasetIndex, elements[0].index);
      if (link) window.location.href = link;
    };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options);
    var chart = new Chart(canvas, config);
    canvas.addEventListener("mousemove", function (event) {
      var hit = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
      canvas.style.cursor = hit.length ? "pointer" : "default";
    });
    return chart;
  }

  function overTime(data) {
    var chart = data.over_time;
    return draw("over-time-chart", {
      type: "bar",
      data: {
        labels: chart.periods.map(function (p) { return p.label; }),
        datasets: chart.series.map(function (line, n) {
          return { label: line.label, data: line.counts, backgroundColor: colour(n) };
        })
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        onClick: opener(function (series, period) { return chart.series[series].records[period]; })
      }
    });
  }

  function sources(data) {
    var rows = data.source_countries;
    return draw("sources-chart", {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.name; }),
        datasets: [{ label: "", data: rows.map(function (r) { return r.count; }), backgroundColor: colour(0) }]
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        onClick: opener(function (_series, n) { return rows[n].records; })
      }
    });
  }

  function detection(data) {
    var rows = data.detection_methods;
    return draw("detection-chart", {
      type: "doughnut",
      data: {
        labels: rows.map(function (r) { return r.label + " (" + r.share + " %)"; }),
        datasets: [{ data: rows.map(function (r) { return r.count; }), backgroundColor: rows.map(function (_r, n) { return colour(n); }) }]
      },
      options: {
        plugins: { legend: { position: "right" } },
        onClick: opener(function (_series, n) { return rows[n].records; })
      }
    });
  }

  function start() {
    var holder = document.getElementById("dashboard-data");
    if (!holder || typeof Chart !== "function") return;
    var data = JSON.parse(holder.textContent);
    window.ncenDashboard = { overTime: overTime(data), sources: sources(data), detection: detection(data) };
  }
  document.addEventListener("DOMContentLoaded", start);
})();
