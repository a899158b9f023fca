// Draws every [data-figure] with plotly.js (served from static/, never a CDN).
// The figures are built on the server; this only hands them to Plotly.
(function () {
  "use strict";
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-figure]").forEach(function (element) {
      if (element.classList.contains("js-plotly-plot")) return; // drawn already
      var figure = JSON.parse(element.dataset.figure);
      if (reduceMotion) figure.layout.transition = { duration: 0 };
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displayModeBar: false,
        responsive: true,
        scrollZoom: false,
      });
      // Drawn: its table folds away (open for a page without scripts).
      var card = element.closest(".chart-card");
      var table = card && card.querySelector("details.chart-table");
      if (table) table.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  // A new range arrives through htmx: draw the charts it brought.
  document.addEventListener("htmx:afterSettle", function () {
    draw(document);
  });
  // htmx keeps a copy of the page for the back button. Plotly's drawings carry
  // inline style attributes the CSP would refuse on restore, so the copy keeps
  // only the figure data, and the charts are drawn again when it comes back.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (element) {
      window.Plotly.purge(element);
    });
    document.querySelectorAll("main [style]").forEach(function (element) {
      element.removeAttribute("style");
    });
    // Plotly's own helpers at the end of <body>; it makes them again when needed.
    document.querySelectorAll("#js-plotly-tester, .plotly-notifier").forEach(function (element) {
      element.remove();
    });
  });
  document.addEventListener("htmx:historyRestore", function () {
    draw(document);
  });
})();
