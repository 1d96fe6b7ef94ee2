/* plotly.js is loaded once, when first needed (hosting/lazy_plotly.py).
 *
 * The index does not load the bundle; <meta name="plotly-js"> names it. Until it has
 * loaded, window.Plotly is a thenable: dcc.Graph waits with Promise.resolve(window.Plotly)
 * and so starts the one download (the bundle then sets window.Plotly itself). Dash's own
 * fallback (window._dashPlotlyJSURL, the full bundle) would fetch a second copy, so it
 * points to the same file. window.articlePlotly.load() starts the download early, e.g.
 * when the reader starts reading. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="plotly-js"]');
  if (!meta || window.Plotly) {
    return;
  }
  var loading = null;

  function url() {
    var prefix = "/";
    try {
      prefix = JSON.parse(document.getElementById("_dash-config").textContent)
        .requests_pathname_prefix || "/";
    } catch (error) {
      // the default prefix
    }
    return prefix + meta.getAttribute("content");
  }

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url();
        script.async = true;
        script.onload = function () {
          resolve(window.Plotly);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  window.Plotly = {
    then: function (onLoaded, onFailed) {
      return load().then(onLoaded, onFailed);
    },
  };
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: url,
    set: function () {}, // the renderer's default would be the full bundle
  });
  window.articlePlotly = { load: load };
})();
