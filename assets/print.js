/* Figures printed at the paper's width (assets/print.css).
 *
 * Plotly draws a figure at its container's width on screen (up to ~900 px), wider than a
 * printed page (A4 or Letter with 14 mm margins: ~690 px), and does not redraw when the
 * page is laid out for print. So before printing (Ctrl+P, or print media in headless
 * Chromium) every wider figure is redrawn at the page's width, and given back its
 * automatic width after. Plotly's relayout draws synchronously, so the print sees it. */
(function () {
  "use strict";

  var PAPER_WIDTH = 680; // CSS px: A4's 182 mm of text width, a little to spare
  var narrowed = [];

  function forPaper() {
    if (!window.Plotly || narrowed.length) {
      return;
    }
    document.querySelectorAll(".js-plotly-plot").forEach(function (figure) {
      if (figure.getClientRects().length && figure.offsetWidth > PAPER_WIDTH) {
        narrowed.push(figure);
        window.Plotly.relayout(figure, { width: PAPER_WIDTH });
      }
    });
  }

  function forScreen() {
    narrowed.splice(0).forEach(function (figure) {
      window.Plotly.relayout(figure, { width: null, autosize: true });
    });
  }

  window.addEventListener("beforeprint", forPaper);
  window.addEventListener("afterprint", forScreen);
  var print = window.matchMedia("print");
  if (print.addEventListener) {
    print.addEventListener("change", function (event) {
      (event.matches ? forPaper : forScreen)();
    });
  }
})();
