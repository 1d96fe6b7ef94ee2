/* The selection box (components/selection.py) in the browser: which addresses need the server.
 *
 * The layout already shows the selection in the store (the default reader on a first visit),
 * and dcc.Location reports the address when it mounts, which would fire any callback
 * listening to it. So the address's query string is passed on (to `selection-link`, which
 * the store's writer reads) only when it asks for something other than what the page shows:
 * a first visit sends no callback request, a shared link one for the selection box. */
(function () {
  "use strict";

  var clientside = (window.dash_clientside = window.dash_clientside || {});

  clientside.selection = {
    linkFromAddress: function (search, state) {
      var shown = state
        ? "?user=" + state.user + "&movie=" + state.movie + "&compare=" + state.compare
        : "";
      if (!search || search === "?" || search === shown) {
        return clientside.no_update;
      }
      return search;
    },
  };
})();
