"""Box 2: matrix factorization by hand.

A user-factor matrix times an item-factor matrix gives a matrix of predicted interest.
The toy numbers and their arithmetic come from :mod:`components.toy_mf`, shared with movie
night (Box 3), so the reader meets them twice.
Hovering or focusing a result cell highlights the user row and item column that produce it
and shows the arithmetic; that is done in the browser by ``assets/mf_by_hand.js`` (no server
round trip). Every cell also carries its arithmetic as an accessible description, so the
box works without a pointer and without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from components.box import box_section, figure_caption
from components.toy_mf import (
    FACTORS,
    MOVIE_FACTORS,
    USER_FACTORS,
    arithmetic_text,
    dot,
    format_guess,
    format_number,
)
from components.wording import formula

PREFIX = "mf-by-hand"


def _factor_table(
    caption: str,
    row_names: Sequence[str],
    col_names: Sequence[str],
    cells: Sequence[Sequence[str]],
    row_class: str,
    col_class: str,
) -> html.Table:
    """A small matrix as an HTML table; row i gets ``row_class-i``, column j ``col_class-j``."""
    header = html.Tr(
        [html.Td(className="corner")]
        + [
            html.Th(name, scope="col", className=f"{col_class}-{j}")
            for j, name in enumerate(col_names)
        ]
    )
    body = [
        html.Tr(
            [html.Th(name, scope="row", className=f"{row_class}-{i}")]
            + [
                html.Td(value, className=f"{row_class}-{i} {col_class}-{j}")
                for j, value in enumerate(row)
            ]
        )
        for i, (name, row) in enumerate(zip(row_names, cells, strict=True))
    ]
    return html.Table(
        [html.Caption(caption), html.Thead(header), html.Tbody(body)], className="matrix"
    )


def _result_table(users: dict[str, tuple[float, float]], movies: dict[str, tuple[float, float]]):
    """The result matrix; each cell is focusable and described by its arithmetic."""
    header = html.Tr(
        [html.Td(className="corner")]
        + [html.Th(name, scope="col", className=f"item-{j}") for j, name in enumerate(movies)]
    )
    rows = []
    descriptions = []
    for i, (user, w) in enumerate(users.items()):
        cells = [html.Th(user, scope="row", className=f"user-{i}")]
        for j, (movie, q) in enumerate(movies.items()):
            text = f"{user} and {movie}: {arithmetic_text(w, q)}"
            desc_id = f"{PREFIX}-sum-{i}-{j}"
            descriptions.append(html.Li(text, id=desc_id))
            cells.append(
                html.Td(
                    # One format per table: every guess with one decimal ("3.0", "2.8").
                    format_guess(dot(w, q)),
                    className="result-cell",
                    tabIndex=0,
                    id=f"{PREFIX}-cell-{i}-{j}",
                    **{"data-row": str(i), "data-col": str(j), "data-arithmetic": text},
                    **{"aria-describedby": desc_id},
                )
            )
        rows.append(html.Tr(cells))
    table = html.Table(
        [
            html.Caption("Predicted interest (user · movie)"),
            html.Thead(header),
            html.Tbody(rows),
        ],
        className="matrix result",
    )
    return table, html.Ul(descriptions, className="visually-hidden", id=f"{PREFIX}-sums")


def _operator(symbol: str) -> html.Span:
    """A × or = between matrices, hidden from screen readers (the captions say it)."""
    return html.Span(symbol, className="operator", **{"aria-hidden": "true"})


def layout() -> html.Section:
    """Box 2: the two factor matrices, their product, and a line that shows the arithmetic."""
    factor_names = [f.capitalize() for f in FACTORS]
    users = _factor_table(
        "User factors (P)",
        list(USER_FACTORS),
        factor_names,
        [[format_number(v) for v in vec] for vec in USER_FACTORS.values()],
        "user",
        "factor",
    )
    # The item matrix is shown transposed (k × n) so that "row times column" reads naturally.
    items = _factor_table(
        "Movie factors (Q)",
        factor_names,
        list(MOVIE_FACTORS),
        [[format_number(vec[f]) for vec in MOVIE_FACTORS.values()] for f in range(len(FACTORS))],
        "factor",
        "item",
    )
    result, sums = _result_table(USER_FACTORS, MOVIE_FACTORS)
    return box_section(
        PREFIX,
        "Matrix factorization by hand",
        [
            html.P(
                [
                    "Collaborative filtering can be done by describing every user and every "
                    "item with the same short list of numbers, called ",
                    html.Em("latent factors"),
                    ". A user's numbers say how much they care about each factor; an item's "
                    "numbers say how much of that factor it has. The model's guess of how "
                    "much user u will like item i is the dot product of the two lists: ",
                    formula("r̂(u, i) = p_u · q_i"),
                    ", multiply factor by factor and add up.",
                ]
            ),
            html.P(
                "Below, four people and three movies are described by two factors, comedy "
                "and horror. Multiplying the user matrix by the movie matrix fills in a "
                "guess for every person and every movie at once. Point at a result, or move "
                "to it with the Tab key, to see which row and column produce it."
            ),
            html.Figure(
                className="mf-by-hand-figure",
                children=[
                    html.Div(
                        className="mf-by-hand-matrices",
                        children=[
                            # Each operator stays with the matrix after it when the row wraps.
                            html.Div(users, className="matrix-group"),
                            html.Div([_operator("×"), items], className="matrix-group"),
                            html.Div([_operator("="), result], className="matrix-group"),
                        ],
                    ),
                    figure_caption(
                        "Each guess is one row of P times one column of Q: Kimi's large "
                        "horror factor makes The Grudge her highest guess (4.9)."
                    ),
                ],
            ),
            html.P(
                "Point at or focus a result cell to see its arithmetic.",
                id=f"{PREFIX}-arithmetic",
                className="arithmetic",
                **{"aria-live": "polite"},
            ),
            sums,
        ],
    )
