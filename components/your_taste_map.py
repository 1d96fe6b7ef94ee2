"""Box 9's "you are here": the reader's folded-in vector on the map of the movies.

Box 9's server callback folds the reader in (:mod:`components.your_taste_lists`); this
module turns the vector into two numbers on the map's axes
(:meth:`core.item_map.Projection.project_user`) and a sentence for screen readers. The
points of the map come from the same file as the map of the movies and are drawn in the
browser (``assets/item_map.js``, ``draw_you``), so a new rating sends two numbers back,
not a figure.
"""

from __future__ import annotations

import numpy as np
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html

from components.item_map import map_graph, map_stores
from components.item_map_data import projection
from components.your_taste_lists import PREFIX, Rated, recommend_for

MAP = f"{PREFIX}-map"
POINT = f"{PREFIX}-point"
WHERE = f"{PREFIX}-where"
DECIMALS = 3


def reader_point(rated: Rated) -> dict | None:
    """The reader on the map: ``{"x", "y", "n"}`` (axis units, number of ratings), or None
    before the first rating (there is no vector yet, only the cold-start list)."""
    if not rated.rows:
        return None
    fit, _ = recommend_for(rated)
    x, y = projection().project_user(np.asarray(fit.vector, dtype=np.float64))
    return {"x": round(float(x), DECIMALS), "y": round(float(y), DECIMALS), "n": len(rated.rows)}


def where_text(point: dict | None) -> str:
    """Where the reader is, in words (the map's text alternative)."""
    if point is None:
        return "Rate a movie to appear on the map."
    side = "right" if point["x"] >= 0 else "left"
    end = "top" if point["y"] >= 0 else "bottom"
    count = f"{point['n']} rating{'s' if point['n'] != 1 else ''}"
    return (
        f"From your {count}, you are at ({point['x']:+.2f}, {point['y']:+.2f}): the movies "
        f"furthest out to the {side} and {end} of the map get the biggest lift from these "
        "two axes."
    )


def map_outputs(rated: Rated) -> tuple[dict | None, str]:
    """The two outputs of Box 9's callback for the map: the point and its sentence."""
    point = reader_point(rated)
    return point, where_text(point)


def map_section(rated: Rated) -> list:
    """Box 9's map: a heading, what the point means, the map and the sentence."""
    kept = projection().kept
    point, where = map_outputs(rated)
    return [
        html.H3("You on the map of the movies"),
        html.P(
            "Your vector has the same 128 numbers as every movie's, so it can be drawn on "
            "the same two axes as the map of the movies above: the cross, with a dotted line "
            "from the centre. It is not a spot among movies like you. A prediction is a dot "
            "product, so what counts is your direction: the further a movie lies out along "
            "it, the more these two axes raise its prediction for you, and the movies on "
            "the opposite side are lowered. Rate a few movies and watch it move; with only a "
            "few, your vector is kept short on purpose (the same regularisation that keeps "
            "the fold-in from overreacting), so you start near the centre. These two "
            f"axes keep only {kept:.0%} of what tells movies apart, so most of what your "
            "ratings taught the model does not show here."
        ),
        dcc.Store(id=POINT, data=point),
        *map_stores(MAP),
        map_graph(
            MAP,
            "You on the map of the movies",
            "Your ratings turn into a direction: the movies furthest out along it get the "
            "biggest lift from these two axes.",
        ),
        html.P(where, id=WHERE, role="status", className=f"{PREFIX}-where"),
    ]


clientside_callback(
    ClientsideFunction("item_map", "watch"),
    Output(f"{MAP}-ready", "data"),
    Input(f"{MAP}-source", "data"),
)
clientside_callback(
    ClientsideFunction("item_map", "draw_you"),
    Output(f"{MAP}-graph", "figure"),
    Input(f"{MAP}-ready", "data"),
    Input(POINT, "data"),
    prevent_initial_call=True,
)
