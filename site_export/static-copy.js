/*
 * Loaded first by the static copy of the article (written by `python -m site_export OUT`).
 *
 * 1. Dash's renderer fetches `_dash-layout` and `_dash-dependencies` and insists on a JSON
 *    content type; a static server gives one only to names ending in `.json`, so those two
 *    fetches get the suffix.
 * 2. Every server callback of the live app is replaced by `static_copy.needs_live_app`:
 *    using such a control shows, beside it, that it needs the live app, and changes nothing.
 * 3. Opened from disk (file://) the renderer cannot fetch anything: the page says what to
 *    run instead of staying blank.
 */
(function () {
    "use strict";

    var HINT =
        "This is a static copy of the article: serve this folder with any web server, " +
        "for example `python -m http.server 8000` run inside it, then open " +
        "http://localhost:8000/ (a page opened from disk cannot load its data).";
    var LIVE_ONLY =
        "This needs the live app: this static copy shows the article's default reader, " +
        "Xiao. Run the app (`python app.py`, see the README) to choose another reader, " +
        "other movies or models, or to rate movies.";

    if (window.location.protocol === "file:") {
        document.addEventListener("DOMContentLoaded", function () {
            var note = document.createElement("p");
            note.className = "static-copy-hint";
            note.setAttribute("role", "alert");
            note.textContent = HINT;
            document.body.replaceChildren(note);
        });
        return;
    }

    var fetchBefore = window.fetch;
    window.fetch = function (resource, init) {
        if (typeof resource === "string" && /(^|\/)_dash-(layout|dependencies)$/.test(resource)) {
            resource += ".json";
        }
        return fetchBefore.call(this, resource, init);
    };

    // The DOM element of a callback id (pattern-matching ids are JSON with sorted keys).
    function elementOf(id) {
        if (!id) { return null; }
        if (typeof id === "object") {
            var keys = Object.keys(id).sort();
            var sorted = {};
            keys.forEach(function (key) { sorted[key] = id[key]; });
            id = JSON.stringify(sorted);
        }
        return document.getElementById(id);
    }

    // One note per box, after the control's field (its label and input), or after the
    // box's heading when the trigger has no element of its own (a shared link).
    function showNote(anchor) {
        var box = anchor.closest("section") || document.getElementById("main") || document.body;
        var field = anchor;
        if (anchor === box) {
            field = box.querySelector("h2");
        } else if (anchor.parentElement && anchor.parentElement !== box) {
            field = anchor.parentElement;
        }
        var note = box.querySelector(".static-copy-note") || document.createElement("p");
        note.className = "static-copy-note";
        note.setAttribute("role", "status");
        note.textContent = LIVE_ONLY;
        if (!field) {
            box.prepend(note);
        } else if (field.nextSibling !== note) {
            field.after(note);
        }
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.static_copy = {
        needs_live_app: function () {
            var clientside = window.dash_clientside;
            var context = clientside.callback_context || {};
            var triggered = (context.triggered || []).filter(function (t) {
                return t && t.prop_id && t.prop_id !== ".";
            });
            var ids = triggered.map(function (t) {
                var id = t.prop_id.slice(0, t.prop_id.lastIndexOf("."));
                try { return JSON.parse(id); } catch (error) { return id; }
            });
            var anchor = null;
            ids.forEach(function (id) { anchor = anchor || elementOf(id); });
            if (triggered.length && !anchor) {
                anchor = document.getElementById("selection") || document.getElementById("main");
            }
            if (anchor) { showNote(anchor); }
            throw clientside.PreventUpdate;
        },
    };
})();
