// Draws every [data-figure] with plotly.js (served from static/, never a CDN).
// The figures are built on the server; this only hands them to Plotly.
//
// Light on a phone: plotly.js (1.2 MB) is fetched only when the first chart comes
// near the screen, and a chart is drawn only when it does, one chart a task, so
// that no long task holds up the first paint or a tap. The overview at the top of
// the page is drawn on the server and needs none of this.
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlySrc = script && script.dataset.plotly;
  var plotlyStyle = script && script.dataset.plotlyStyle;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var loading = null; // the promise of plotly.js, once asked for
  var queue = []; // charts come into view, waiting their turn
  var observer = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve();
    if (!loading) {
      // plotly.js looks for this id; finding it, it adds no inline <style> of its
      // own (the CSP refuses those). Fetched with plotly.js, so it never blocks
      // the first paint.
      if (plotlyStyle && !document.getElementById("plotly.js-style-global")) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.id = "plotly.js-style-global";
        link.className = "no-inline-styles";
        link.href = plotlyStyle;
        document.head.appendChild(link);
      }
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlySrc;
        tag.onload = resolve;
        tag.onerror = function () {
          loading = null; // a later scroll tries again
          openTables(); // meanwhile the tables stand in for the charts
          reject(new Error("plotly.js did not load"));
        };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  // The charts' tables are open for a page without scripts. With one, each chart
  // is drawn when seen, so the tables fold at once: laying out 18 open tables
  // was most of the first screen's work on a phone.
  function chartTables(root) {
    return root.querySelectorAll(".chart-card details.chart-table");
  }
  function foldTables(root) {
    chartTables(root).forEach(function (table) {
      table.open = false;
    });
  }
  function openTables() {
    document.querySelectorAll(".chart-card").forEach(function (card) {
      var table = card.querySelector("details.chart-table");
      if (table && !card.querySelector(".js-plotly-plot")) table.open = true;
    });
  }

  function drawOne(element) {
    if (element.classList.contains("js-plotly-plot") || !element.isConnected) return;
    var figure = JSON.parse(element.dataset.figure);
    if (reduceMotion) figure.layout.transition = { duration: 0 };
    var config = { displayModeBar: false, responsive: true, scrollZoom: false };
    // A page in another language than English: the figure's config says how plotly
    // writes its dates there (Django's month names; see tracker/trends/charts.py).
    if (figure.config) {
      config.locale = figure.config.locale;
      config.locales = figure.config.locales;
    }
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  }

  // One chart a task: a screenful of charts drawn at once would be one long task.
  var draining = false;
  function step() {
    var element = queue.shift();
    if (element) drawOne(element);
    if (queue.length) setTimeout(step, 0);
    else draining = false;
  }

  function enqueue(element) {
    if (queue.indexOf(element) !== -1) return;
    queue.push(element);
    if (draining) return;
    draining = true;
    loadPlotly().then(
      function () {
        setTimeout(step, 0);
      },
      function () {
        draining = false; // not loaded: the tables stay open
      }
    );
  }

  function watch(root) {
    foldTables(root);
    var charts = root.querySelectorAll("[data-figure]:not(.js-plotly-plot)");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(enqueue);
      return;
    }
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          enqueue(entry.target);
        });
      }, { rootMargin: "100px 0px" }); // start just before it shows
    }
    charts.forEach(function (element) {
      observer.observe(element);
    });
  }

  // Every chart at once, for printing: a print shows the whole page.
  function drawAll() {
    var charts = document.querySelectorAll("[data-figure]:not(.js-plotly-plot)");
    if (!charts.length) return Promise.resolve();
    return loadPlotly().then(function () {
      charts.forEach(function (element) {
        if (observer) observer.unobserve(element);
        drawOne(element);
      });
      queue = [];
    });
  }
  window.rippleCharts = { drawAll: drawAll };

  document.addEventListener("DOMContentLoaded", function () {
    watch(document);
  });
  // A new range arrives through htmx: watch the charts it brought.
  document.addEventListener("htmx:afterSettle", function () {
    watch(document);
  });
  // Printing from the browser's menu: whatever is loaded is drawn first.
  window.addEventListener("beforeprint", function () {
    if (window.Plotly) drawAll();
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
    queue = [];
    watch(document);
  });
})();
