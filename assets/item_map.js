/*
 * The map of the movies (components/item_map.py) and Box 9's "you are here"
 * (components/your_taste.py), drawn in the browser.
 *
 * The points are one JSON file (components/item_map_data.py). `watch` runs once per map
 * at load: when the map comes within a screen of view it fetches the file (once for both
 * maps) and sets the map's `-ready` store, which makes `draw` / `draw_you` run. The
 * payload stays here, not in Dash's state.
 *
 * Colours (Okabe & Ito, as components/theme.py): grey for all movies, blue for the chosen
 * genre, orange stars for the story's two movies, a vermillion ring for a found movie,
 * black for the reader. Shape and text labels repeat what colour says.
 */
(function () {
    "use strict";

    var OTHER = "#BBBBBB";
    var GENRE = "#0072B2";
    var STORY = "#E69F00";
    var FOUND = "#D55E00";
    var READER = "#000000";
    var FONT = "Georgia, 'Iowan Old Style', 'Times New Roman', serif";
    var MAX_LISTED = 5;

    var requests = {};
    var payloads = {};

    function prefix() {
        try {
            var config = JSON.parse(document.getElementById("_dash-config").textContent);
            return config.requests_pathname_prefix || "/";
        } catch (error) {
            return "/";
        }
    }

    function load(src) {
        if (!requests[src]) {
            requests[src] = fetch(prefix() + src).then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                return response.json();
            }).then(function (payload) {
                payloads[src] = prepare(payload);
                return src;
            });
        }
        return requests[src];
    }

    // Hover text and genre names, computed once per payload.
    function prepare(p) {
        p.hover = p.title.map(function (title, i) {
            var names = p.genres.filter(function (name, bit) { return p.genre_bits[i] & (1 << bit); });
            var mean = p.mean[i] === null ? "no ratings" : "mean " + p.mean[i].toFixed(2) + " ★";
            return [title, p.n[i].toLocaleString("en"), mean, names.join(", ")];
        });
        p.row = {};
        p.movie_id.forEach(function (id, i) { p.row[id] = i; });
        return p;
    }

    function setReady(readyId, value) {
        window.dash_clientside.set_props(readyId, {data: value});
    }

    function watch(source) {
        if (!source || !source.src) { return window.dash_clientside.no_update; }
        var start = function () {
            load(source.src).then(function (src) { setReady(source.ready, src); },
                function (error) { setReady(source.ready, {error: String(error)}); });
        };
        var element = document.getElementById(source.element);
        if (!element || !("IntersectionObserver" in window)) {
            start();
        } else {
            var observer = new IntersectionObserver(function (entries) {
                if (entries.some(function (entry) { return entry.isIntersecting; })) {
                    observer.disconnect();
                    start();
                }
            }, {rootMargin: "100% 0px"});
            observer.observe(element);
        }
        return window.dash_clientside.no_update;
    }

    function points(p, rows, name, marker, extra) {
        var trace = {
            type: "scatter", mode: "markers", name: name,
            x: rows.map(function (i) { return p.x[i]; }),
            y: rows.map(function (i) { return p.y[i]; }),
            customdata: rows.map(function (i) { return p.hover[i]; }),
            hovertemplate: "<b>%{customdata[0]}</b><br>%{customdata[1]} training ratings, " +
                "%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
            marker: marker,
        };
        return Object.assign(trace, extra || {});
    }

    function storyRows(p) {
        return p.marked.map(function (id) { return p.row[id]; })
            .filter(function (i) { return i !== undefined; });
    }

    function storyTrace(p) {
        return points(p, storyRows(p), "the story's two movies", {
            symbol: "star", size: 16, color: STORY, line: {color: "#000000", width: 1},
        });
    }

    // A label on a white ground, so that it stays readable over the dots.
    function label(p, i, text, colour, below) {
        return {
            x: p.x[i], y: p.y[i], text: text, showarrow: true, arrowhead: 0, arrowwidth: 1,
            arrowcolor: colour, ax: below ? 20 : -20, ay: below ? 28 : -28,
            bgcolor: "rgba(255,255,255,0.9)", bordercolor: colour, borderpad: 2,
            font: {size: 12, color: colour},
        };
    }

    function storyLabels(p) {
        return storyRows(p).map(function (i, k) {
            return label(p, i, p.title[i].replace(/ \(\d{4}\)$/, ""), "#000000", k > 0);
        });
    }

    function baseTraces(p, genre) {
        var bit = p.genres.indexOf(genre);
        var inGenre = [], others = [];
        p.x.forEach(function (value, i) {
            (bit >= 0 && (p.genre_bits[i] & (1 << bit)) ? inGenre : others).push(i);
        });
        var traces = [points(p, others, bit >= 0 ? "other movies" : "movies", {
            color: OTHER, size: 5, opacity: 0.6,
        })];
        if (bit >= 0) {
            traces.push(points(p, inGenre, genre, {
                color: GENRE, size: 6, opacity: 0.85, line: {color: "#ffffff", width: 0.5},
            }));
        }
        traces.push(storyTrace(p));
        return traces;
    }

    function layout(p, height, annotations) {
        var explained = p.explained.map(function (v) { return (100 * v).toFixed(1) + "%"; });
        var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
        var axis = function (title) {
            return {title: {text: title}, zeroline: true, zerolinecolor: "#d6d3cb",
                showgrid: false, ticks: "outside", showline: true, linecolor: "#444444"};
        };
        return {
            height: height, font: {family: FONT, size: 13},
            margin: {l: 50, r: 10, t: 30, b: 50},
            paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
            xaxis: axis("axis 1 (" + explained[0] + " of the variance): better rated →"),
            yaxis: axis("axis 2 (" + explained[1] + ")"),
            // Above the plot: below it, the legend would cover the x axis title on phones.
            legend: {orientation: "h", x: 0, y: 1.01, yanchor: "bottom"},
            hovermode: "closest",
            // On touch screens a drag scrolls the page instead of zooming the map.
            dragmode: coarse ? false : "zoom",
            uirevision: "item-map",
            annotations: annotations,
        };
    }

    // What a reader types, as the server's movie pickers read it (components/movie_search.py):
    // accents and punctuation dropped, case folded, so "whos that" finds Who's That Girl?
    function normalise(text) {
        return (text || "").normalize("NFKD").replace(/[^\p{L}\p{N}\s]/gu, "").toLowerCase();
    }

    // A title as written and in natural order: "Matrix, The (1999)" is found by "the matrix"
    // too (the same rule as components/movie_search.py's search_key and _MOVED_ARTICLE).
    var MOVED = /^(.*), (the|a|an|les|la|le|il|das|der|die|el)( \(\d{4}\))$/;
    function searchKey(title) {
        var written = title.toLowerCase();
        var moved = written.replace(MOVED, "$2 $1$3");
        return moved === written ? normalise(written) : normalise(written) + " " + normalise(moved);
    }

    // The titles holding every typed word, the most rated first.
    function search(p, text) {
        var words = normalise(text).split(/\s+/).filter(Boolean);
        if (words.join("").length < 2) { return []; }
        if (!p.search) { p.search = p.title.map(searchKey); }
        var found = [];
        p.search.forEach(function (title, i) {
            if (words.every(function (word) { return title.indexOf(word) >= 0; })) { found.push(i); }
        });
        return found.sort(function (a, b) { return p.n[b] - p.n[a]; });
    }

    function foundTrace(p, i) {
        return points(p, [i], "found: " + p.title[i], {
            symbol: "circle-open", size: 22, color: FOUND, line: {width: 3, color: FOUND},
        });
    }

    function place(p, i) {
        return p.title[i] + " is at (" + p.x[i].toFixed(2) + ", " + p.y[i].toFixed(2) + "), " +
            p.n[i].toLocaleString("en") + " training ratings, " + p.hover[i][2] + ".";
    }

    function failed(ready) {
        return ready && ready.error ? "The map could not be loaded (" + ready.error + ")." : null;
    }

    function draw(ready, genre, text) {
        var p = payloads[ready];
        if (!p) {
            return [window.dash_clientside.no_update, failed(ready) || ""];
        }
        var traces = baseTraces(p, genre);
        var labels = storyLabels(p);
        var status = "";
        var found = search(p, text);
        if (found.length) {
            traces.push(foundTrace(p, found[0]));
            labels.push(label(p, found[0], p.title[found[0]], "#8a3a00", false));
            status = place(p, found[0]);
            if (found.length > 1) {
                var more = found.slice(1, MAX_LISTED).map(function (i) { return p.title[i]; });
                status += " Also matching: " + more.join("; ") +
                    (found.length > MAX_LISTED ? " and " + (found.length - MAX_LISTED) + " more." : ".");
            }
        } else if ((text || "").trim().length >= 2) {
            status = "No title matches “" + text.trim().slice(0, 40) + "”.";
        }
        return [{data: traces, layout: layout(p, 520, labels)}, status];
    }

    function readerTraces(point) {
        if (!point) { return []; }
        return [{
            type: "scatter", mode: "lines", name: "your direction", hoverinfo: "skip",
            x: [0, point.x], y: [0, point.y], line: {color: READER, width: 2, dash: "dot"},
        }, {
            type: "scatter", mode: "markers+text", name: "you are here",
            x: [point.x], y: [point.y], text: ["you"], textposition: "top center",
            textfont: {size: 14, color: READER},
            marker: {symbol: "x-thin-open", size: 18, color: READER, line: {width: 3, color: READER}},
            hovertemplate: "you, from " + point.n + " rating" + (point.n === 1 ? "" : "s") +
                "<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
        }];
    }

    function drawYou(ready, point) {
        var p = payloads[ready];
        if (!p) {
            return window.dash_clientside.no_update;
        }
        var traces = baseTraces(p, null).concat(readerTraces(point));
        return {data: traces, layout: layout(p, 460, storyLabels(p))};
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.item_map = {watch: watch, draw: draw, draw_you: drawYou};
})();
