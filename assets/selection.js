/* The selection box (components/selection.py) in the browser: the address bar.
 *
 * The layout already shows the selection in the store (the default reader on a first visit),
 * and dcc.Location reports the address when it mounts, which would fire any callback
 * listening to it. So the address's query string is passed on (to `selection-link`, which
 * the store's writer reads) only when it asks for something other than what the page shows:
 * a first visit sends no callback request, a shared link one for the selection box.
 *
 * Besides the selection (?user=&movie=&compare=), the address keeps one box's own choice,
 * outside the store so that changing it redraws that box only: Box 6's second circle
 * (&venn=bayes_fm; components/venn_models.py). It is written only when it is not the
 * box's default (the first of its choices), and read back only when it is one of them. */
(function () {
  "use strict";

  var clientside = (window.dash_clientside = window.dash_clientside || {});
  // Address keys that belong to a box, not to the selection store.
  var BOX_KEYS = ["venn"];

  function selectionQuery(state) {
    return "?user=" + state.user + "&movie=" + state.movie + "&compare=" + state.compare;
  }

  // The address's query without the boxes' keys (as typed when it has none of them).
  function withoutBoxKeys(search) {
    var params = new URLSearchParams(search || "");
    if (!BOX_KEYS.some(function (key) { return params.has(key); })) {
      return search;
    }
    BOX_KEYS.forEach(function (key) { params.delete(key); });
    var rest = params.toString();
    return rest ? "?" + rest : "";
  }

  // The boxes' keys of the address, as "&venn=..." (empty when there are none).
  function boxKeys() {
    var params = new URLSearchParams(window.location.search);
    var kept = new URLSearchParams();
    BOX_KEYS.forEach(function (key) {
      if (params.has(key)) { kept.set(key, params.get(key)); }
    });
    var text = kept.toString();
    return text ? "&" + text : "";
  }

  // Replace the query without reloading; the fragment stays (?user=42#box-6 keeps its box).
  function replaceQuery(query) {
    if (window.location.search !== query) {
      var here = window.location.pathname + query + window.location.hash;
      window.history.replaceState(null, "", here);
    }
  }

  // Set (or, with null, remove) one box key of the address.
  function setBoxKey(key, value) {
    var params = new URLSearchParams(window.location.search);
    if (value === null) {
      params.delete(key);
    } else {
      params.set(key, value);
    }
    var text = params.toString();
    replaceQuery(text ? "?" + text : "");
  }

  clientside.selection = {
    linkFromAddress: function (search, state) {
      var shown = state ? selectionQuery(state) : "";
      var asked = withoutBoxKeys(search);
      if (!asked || asked === "?" || asked === shown) {
        return clientside.no_update;
      }
      return search;
    },

    // The store's state into the address bar (no Dash output); the boxes' keys stay.
    addressFromState: function (state) {
      if (!state || !state.user) { return; }
      replaceQuery(selectionQuery(state) + boxKeys());
    },

    // Box 6's second circle from the address: one of the choices it offers, else the
    // default stays and the unknown value leaves the address.
    vennFromAddress: function (search, options, value) {
      var asked = new URLSearchParams(search || "").get("venn");
      if (asked === null) {
        return clientside.no_update;
      }
      var known = (options || []).some(function (option) { return option.value === asked; });
      if (!known) {
        setBoxKey("venn", null);
        return clientside.no_update;
      }
      return asked === value ? clientside.no_update : asked;
    },

    // Box 6's second circle into the address: only when it is not the default (the first).
    vennToAddress: function (value, options) {
      var first = options && options.length ? options[0].value : null;
      setBoxKey("venn", value === first || typeof value !== "string" ? null : value);
    },
  };
})();
