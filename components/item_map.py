"""A map of the movies: EmbeddingMF's 3,706 item vectors on their first two principal axes.

The points come as one JSON file fetched when the map nears the screen (see
:mod:`components.item_map_data`); drawing, the genre highlight and the title search run in
the browser (``assets/item_map.js``), so the map costs no server round trip. The layout
holds an empty frame, the controls, and the summary a screen reader needs: how much
variance the two axes keep, which well-known movies sit at each end, where each genre sits.
"""

from __future__ import annotations

import flask
import numpy as np
import pandas as pd
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, hooks, html

from components.artifacts import ArtifactError
from components.box import box_section, figure_caption
from components.figure_table import GRAPH_CONFIG, data_table, notice
from components.item_map_data import (
    DATA_PATH,
    MARKED,
    data_url,
    map_table,
    payload_bytes,
    payload_version,
    projection,
)
from core.vocabulary import GENRES

PREFIX = "item-map"
#: The genre highlighted first: horror sits apart (left, low), and Buffy is one.
DEFAULT_GENRE = "Horror"
#: "Well-known" for the summary: at least this many training ratings.
WELL_KNOWN = 300
#: Movies named at each end of an axis.
ENDS = 4
#: "Rarely rated" in the text: fewer training ratings than this.
FEW_RATINGS = 10
IMMUTABLE = "public, max-age=31536000, immutable"


@hooks.route(name=DATA_PATH)
def serve_points() -> flask.Response:
    """The map's points as JSON; cached for good when asked for by the current version."""
    try:
        body = payload_bytes()
    except ArtifactError:
        return flask.Response("The map's data is unavailable.\n", status=404, mimetype="text/plain")
    response = flask.Response(body, mimetype="application/json")
    current = flask.request.args.get("v") == payload_version()
    response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
    return response


def placeholder_figure(message: str) -> dict:
    """An empty frame with one centred line of text, before the points arrive."""
    axis = {"visible": False, "range": [-1, 1]}
    return {
        "data": [],
        "layout": {
            "height": 420,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": axis,
            "yaxis": axis,
            "annotations": [{"text": message, "showarrow": False, "x": 0, "y": 0}],
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }


def axis_ends(table: pd.DataFrame, well_known: int = WELL_KNOWN, n: int = ENDS) -> pd.DataFrame:
    """Which well-known movies sit at each end of each axis (display strings).

    Returns:
        Rows "Left", "Right", "Bottom", "Top"; columns ``Where`` and ``Movies`` (the ``n``
        movies with at least ``well_known`` training ratings furthest out, ``; ``-joined).
    """
    known = table[table["n_train"] >= well_known]
    rows = []
    for where, column, ascending in (
        ("Left (lowest x)", "x", True),
        ("Right (highest x)", "x", False),
        ("Bottom (lowest y)", "y", True),
        ("Top (highest y)", "y", False),
    ):
        titles = known.sort_values(column, ascending=ascending)["title"].head(n)
        rows.append({"Where": where, "Movies": "; ".join(titles)})
    return pd.DataFrame(rows)


def genre_positions(table: pd.DataFrame) -> pd.DataFrame:
    """Per genre: how many movies, and their average position (display strings)."""
    rows = []
    for genre in GENRES:
        members = table[[genre in names for names in table["genres"]]]
        rows.append(
            {
                "Genre": genre,
                "Movies": f"{len(members):,}",
                "Mean x": f"{members['x'].mean():+.2f}" if len(members) else "",
                "Mean y": f"{members['y'].mean():+.2f}" if len(members) else "",
            }
        )
    return pd.DataFrame(rows)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two float arrays (NaN pairs left out)."""
    keep = ~(np.isnan(a) | np.isnan(b))
    return float(np.corrcoef(a[keep], b[keep])[0, 1])


def _spread(table: pd.DataFrame) -> float:
    """How widely the rarely rated movies spread, as a share of the others' spread (mean
    of the two axes' standard deviations)."""
    few = table["n_train"] < FEW_RATINGS
    spread = [table.loc[mask, ["x", "y"]].std().mean() for mask in (few, ~few)]
    return float(spread[0] / spread[1])


def _marked_sentence(table: pd.DataFrame) -> str:
    marked = table.set_index("movie_id").loc[list(MARKED)]
    parts = [
        f"{row.title} at ({row.x:+.2f}, {row.y:+.2f}), {row.n_train:,} training ratings"
        for row in marked.itertuples()
    ]
    return "The story's two movies are marked with stars: " + "; ".join(parts) + "."


def explanation(table: pd.DataFrame) -> list[html.P]:
    """What the map shows and what it cannot, with the numbers read from the artifacts."""
    shares = projection().explained_variance_ratio
    x = table["x"].to_numpy(np.float64)
    y = table["y"].to_numpy(np.float64)
    mean = table["mean_train"].to_numpy(np.float64)
    popularity = np.log1p(table["n_train"].to_numpy(np.float64))
    few = table[table["n_train"] < FEW_RATINGS]
    return [
        html.P(
            f"Two axes keep only {shares[0] + shares[1]:.1%} of the variance of the 128 "
            f"numbers per movie (the first {shares[0]:.1%}, the second {shares[1]:.1%}; "
            f"the first {len(shares)} axes together {shares.sum():.1%}). Movies that look "
            "close here can still be far apart in the other 126 directions, so read the map "
            "for broad drifts, not for neighbours.",
            id=f"{PREFIX}-variance",
        ),
        html.P(
            "Nobody told the model what the axes mean; their directions were learned from "
            "ratings alone. Left to right, movies go from poorly to highly rated on average "
            f"(correlation of x with a movie's mean training rating: {correlation(x, mean):.2f}"
            "). Bottom to top, they go roughly from rarely to often rated (correlation of y "
            f"with the log of its number of ratings: {correlation(y, popularity):.2f}). The "
            f"{len(few):,} movies with fewer than {FEW_RATINGS} training ratings huddle "
            f"around ({few['x'].mean():+.2f}, {few['y'].mean():+.2f}), spread {_spread(table):.0%} "
            "as widely as the rest: a handful of ratings gives the model little to tell them "
            "apart."
        ),
        html.P(_marked_sentence(table)),
    ]


def _caption(table: pd.DataFrame) -> str:
    """The figure's one sentence: where the default genre gathers, read from the map."""
    members = table[[DEFAULT_GENRE in names for names in table["genres"]]]
    height = "low" if members["y"].mean() < 0 else "high"
    side = "left" if members["x"].mean() < 0 else "right"
    return (
        f"Well-rated movies drift right and {DEFAULT_GENRE.lower()} gathers {height} on the "
        f"{side}, though nobody told the model about either."
    )


def _controls() -> html.Div:
    return html.Div(
        className=f"{PREFIX}-controls",
        children=[
            html.Div(
                [
                    html.Label("Highlight a genre", htmlFor=f"{PREFIX}-genre"),
                    dcc.Dropdown(
                        id=f"{PREFIX}-genre",
                        options=[{"label": genre, "value": genre} for genre in GENRES],
                        value=DEFAULT_GENRE,
                        clearable=False,
                        searchable=False,
                    ),
                ]
            ),
            html.Div(
                [
                    html.Label("Find a movie", htmlFor=f"{PREFIX}-search"),
                    dcc.Input(
                        id=f"{PREFIX}-search",
                        type="search",
                        placeholder="Part of a title, e.g. Fargo",
                        autoComplete="off",
                        className=f"{PREFIX}-search",
                    ),
                ]
            ),
        ],
    )


def _summary(table: pd.DataFrame) -> html.Details:
    """The map in words and numbers, for screen readers and anyone who prefers tables."""
    return html.Details(
        className=f"{PREFIX}-summary",
        children=[
            html.Summary("The map in tables"),
            data_table(
                axis_ends(table),
                f"Well-known movies (≥ {WELL_KNOWN} ratings) at the ends of each axis",
                table_id=f"{PREFIX}-ends",
            ),
            data_table(
                genre_positions(table),
                "Where each genre sits on average",
                table_id=f"{PREFIX}-genres",
            ),
        ],
    )


def map_stores(prefix: str) -> list[dcc.Store]:
    """The two stores a map needs: where its points are (read at load to watch the map) and
    which version has arrived (set by ``assets/item_map.js``)."""
    # The figure element, not the graph's: Dash replaces the graph's node when its code
    # arrives, and an observer of the old node would never fire.
    source = {"src": data_url(), "element": f"{prefix}-figure", "ready": f"{prefix}-ready"}
    return [dcc.Store(id=f"{prefix}-source", data=source), dcc.Store(id=f"{prefix}-ready")]


def map_graph(prefix: str, label: str, caption: str) -> html.Figure:
    """The map's graph, an empty frame until the points arrive, and its caption."""
    return html.Figure(
        [
            dcc.Graph(
                id=f"{prefix}-graph",
                figure=placeholder_figure("The map loads when you reach it…"),
                config=GRAPH_CONFIG,
                className=f"item-map-graph {prefix}-graph",
            ),
            figure_caption(caption),
        ],
        id=f"{prefix}-figure",
        **{"aria-label": label},
    )


def layout() -> html.Section:
    """The map: controls, the graph, what it shows, and the summary tables."""
    intro = html.P(
        "Every movie EmbeddingMF learned is a list of 128 numbers. Principal component "
        "analysis finds the two directions in which those lists differ most, and each dot "
        "below is one movie placed along them. Hover or tap a dot for its title, how many "
        "training ratings it has and its mean rating; pick a genre to colour its movies "
        "blue, the rest stay grey."
    )
    try:
        table = map_table()
        content = [
            *map_stores(PREFIX),
            _controls(),
            html.P(id=f"{PREFIX}-status", role="status", className=f"{PREFIX}-status"),
            map_graph(
                PREFIX,
                "Map of the movies: EmbeddingMF item vectors, first two axes",
                _caption(table),
            ),
            *explanation(table),
            _summary(table),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    return box_section(PREFIX, "A map of the movies", [intro, *content])


clientside_callback(
    ClientsideFunction("item_map", "watch"),
    Output(f"{PREFIX}-ready", "data"),
    Input(f"{PREFIX}-source", "data"),
)
clientside_callback(
    ClientsideFunction("item_map", "draw"),
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-status", "children"),
    Input(f"{PREFIX}-ready", "data"),
    Input(f"{PREFIX}-genre", "value"),
    Input(f"{PREFIX}-search", "value"),
    prevent_initial_call=True,
)
