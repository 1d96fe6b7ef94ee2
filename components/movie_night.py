"""Box 3: movie night.

You and three friends pick one movie. Everyone is two numbers (how much they like comedy and
horror); every movie is two numbers (how much comedy and horror it has). "Calculate Matrix
Factorization" multiplies the two matrices and averages each movie's column over the group.

Everything runs in the browser (``assets/movie_night.js``, two clientside callbacks), so the
box costs the server nothing and works in a static copy of the page:

- ``applyTaste``: a slider (dragged, or its number box typed into) -> the stored taste of
  You and You's row in the people table. It reads the slider's ``drag_value`` as well as
  its ``value``: Dash 4's slider sets ``drag_value`` on every valid keystroke in its number
  box but ``value`` only when the box loses focus.
- ``calculate``: the button, or a change of the stored taste -> the result table. Taking
  the taste as an *Input* (not a State) lets Dash wait for ``applyTaste`` before it
  calculates, so a value typed just before pressing the button is never lost. A taste that
  differs from the one the table was computed from marks the table out of date (visibly
  and through a status message) until the button is pressed again.

``assets/sliders.js`` gives the sliders their names, puts each number box after its
slider in the keyboard order, applies a typed value on Enter and keeps the last value when
a box is left empty.

:func:`components.toy_mf.compute_movie_night` and :func:`~components.toy_mf.sanitize_factor`
are the Python reference of the browser's arithmetic; the browser tests check that the page
shows the same numbers (:func:`page_texts`).
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from components.box import box_section
from components.toy_mf import (
    FACTOR_MAX,
    FACTOR_MIN,
    FACTOR_STEP,
    FACTORS,
    MOVIE_FACTORS,
    USER_FACTORS,
    YOU,
    MovieNightResult,
    format_fixed,
    format_number,
)

PREFIX = "movie-night"
AVERAGE_LABEL = "Group average"
YOU_ROW = list(USER_FACTORS).index(YOU)
DEFAULT_YOU: dict[str, float] = dict(zip(FACTORS, USER_FACTORS[YOU], strict=True))

#: Sentences the browser fills in; kept here so the page's words live in one place.
VERDICT_BEFORE = "Press the button to see which movie suits the group best."
VERDICT = "Best pick for the group: {movie}, with a predicted average of {average}."
STALE = (
    "Out of date: your taste has changed since this calculation. "
    "Press Calculate Matrix Factorization to update it."
)
STALE_CAPTION = " (out of date)"


def cell_id(person_row: int, movie_column: int) -> str:
    """The id of one prediction cell (rows in ``USER_FACTORS`` order, columns by movie)."""
    return f"{PREFIX}-cell-{person_row}-{movie_column}"


def average_id(movie_column: int) -> str:
    """The id of one group-average cell."""
    return f"{PREFIX}-average-{movie_column}"


def page_texts(result: MovieNightResult) -> dict[str, str]:
    """What the page should show after Calculate, by element id (for the browser tests).

    Args:
        result: a result from :func:`compute_movie_night`.

    Returns:
        ``{cell id: "2.80", ..., average id: "3.25", "movie-night-verdict": "Best pick ..."}``
        as each element's ``textContent``: the best average ends in the words a screen
        reader reads, ``"3.65 (best)"`` (the star beside it is CSS).
    """
    texts = {
        cell_id(i, j): format_fixed(value)
        for i, values in enumerate(result.predictions.values())
        for j, value in enumerate(values)
    }
    best_column = result.movies.index(result.best)
    texts |= {
        average_id(j): format_fixed(value) + (" (best)" if j == best_column else "")
        for j, value in enumerate(result.averages)
    }
    best_average = result.averages[best_column]
    texts[f"{PREFIX}-verdict"] = VERDICT.format(
        movie=result.best, average=format_fixed(best_average)
    )
    return texts


def toy_data() -> dict:
    """The toy numbers and sentences the browser's ``calculate`` needs, as JSON data.

    Returns:
        ``{"factors": [...], "you": "You", "people": [{"name", "factors"}...],
        "movies": [{"name", "factors"}...], "text": {"verdict", "stale", "stale_caption"}}``.
    """
    return {
        "factors": list(FACTORS),
        "you": YOU,
        "people": [{"name": n, "factors": list(f)} for n, f in USER_FACTORS.items()],
        "movies": [{"name": n, "factors": list(f)} for n, f in MOVIE_FACTORS.items()],
        "text": {"verdict": VERDICT, "stale": STALE, "stale_caption": STALE_CAPTION},
    }


def result_table() -> html.Table:
    """The users × movies result as an HTML table with empty cells, filled in the browser.

    Every prediction cell has an id from :func:`cell_id`; the average row's cells have ids
    from :func:`average_id`; the caption ends in a span that says when the table is out
    of date.

    Returns:
        An ``html.Table`` with a caption, a header row of movies and one row per person plus
        the group average.
    """
    movies = list(MOVIE_FACTORS)
    people = [*USER_FACTORS, AVERAGE_LABEL]

    def cell(i: int, person: str, j: int) -> html.Td:
        if person != AVERAGE_LABEL:
            return html.Td("–", id=cell_id(i, j))
        return html.Td("–", id=average_id(j), className="average")

    rows = [
        html.Tr(
            [html.Th(person, scope="row")] + [cell(i, person, j) for j in range(len(movies))],
            className="average-row" if person == AVERAGE_LABEL else None,
        )
        for i, person in enumerate(people)
    ]
    return html.Table(
        [
            html.Caption(
                [
                    "Predicted rating of each movie for each person",
                    html.Span(id=f"{PREFIX}-caption-state", className="visually-hidden"),
                ]
            ),
            html.Thead(
                html.Tr([html.Td(className="corner")] + [html.Th(m, scope="col") for m in movies])
            ),
            html.Tbody(rows),
        ],
        className="matrix movie-night-table",
    )


def _factor_slider(factor: str) -> html.Div:
    """One labelled slider for your taste in ``factor`` (0..1), with its number box."""
    slider_id = f"{PREFIX}-slider-{factor}"
    label = f"How much you like {factor} (0 to 1)"
    return html.Div(
        className="movie-night-control",
        # assets/sliders.js names the slider's handle and number box after the label and
        # describes the box by the hint.
        **{
            "data-slider-labelledby": f"{slider_id}-label",
            "data-input-describedby": f"{slider_id}-hint",
        },
        children=[
            html.Div(label, id=f"{slider_id}-label", className="control-label"),
            html.Span(
                "Type a number from 0 to 1 and press Enter.",
                id=f"{slider_id}-hint",
                className="visually-hidden",
            ),
            dcc.Slider(
                id=slider_id,
                min=FACTOR_MIN,
                max=FACTOR_MAX,
                step=FACTOR_STEP,
                value=DEFAULT_YOU[factor],
                marks={0: "0", 0.5: "0.5", 1: "1"},
                updatemode="mouseup",
            ),
        ],
    )


def _inputs_table() -> html.Div:
    """Everyone's and every movie's factors, as the reader starts from them."""
    people = html.Table(
        [
            html.Caption("People (comedy, horror)"),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(name, scope="row"),
                            html.Td(
                                ", ".join(format_number(v) for v in vec),
                                id=f"{PREFIX}-factors-{i}",
                            ),
                        ]
                    )
                    for i, (name, vec) in enumerate(USER_FACTORS.items())
                ]
            ),
        ],
        className="matrix",
    )
    movies = html.Table(
        [
            html.Caption("Movies (comedy, horror)"),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(name, scope="row"), html.Td(", ".join(map(format_number, vec)))]
                    )
                    for name, vec in MOVIE_FACTORS.items()
                ]
            ),
        ],
        className="matrix",
    )
    return html.Div([people, movies], className="movie-night-inputs")


def layout() -> html.Section:
    """Box 3: two sliders for your taste, the button, and the result table."""
    return box_section(
        PREFIX,
        "Movie night",
        [
            html.P(
                "You, Anna, Jonny and Kimi want to watch one movie together. Each of you is "
                "described by two numbers: how much you enjoy comedy and how much you enjoy "
                "horror. Each movie is described by how much comedy and horror it contains. "
                "Set your own taste with the sliders (or type a number in the box next to "
                "each), then let matrix factorization predict a rating for every pair."
            ),
            dcc.Store(id=f"{PREFIX}-you", data=DEFAULT_YOU),
            dcc.Store(id=f"{PREFIX}-toy", data=toy_data()),
            # The taste the table was last computed from; None before the first calculation.
            dcc.Store(id=f"{PREFIX}-computed", data=None),
            html.Div(
                className="movie-night-layout",
                children=[
                    html.Div(
                        className="movie-night-setup",
                        children=[
                            _inputs_table(),
                            _factor_slider("comedy"),
                            _factor_slider("horror"),
                            html.Button(
                                "Calculate Matrix Factorization",
                                id=f"{PREFIX}-calculate",
                                type="button",
                                n_clicks=0,
                                className="button-primary",
                            ),
                        ],
                    ),
                    html.Div(
                        id=f"{PREFIX}-output",
                        className="movie-night-output",
                        children=[
                            html.Div(result_table(), id=f"{PREFIX}-result"),
                            html.P(
                                VERDICT_BEFORE,
                                id=f"{PREFIX}-verdict",
                                className="verdict",
                                **{"aria-live": "polite"},
                            ),
                            html.P(
                                id=f"{PREFIX}-status", className="movie-night-status", role="status"
                            ),
                        ],
                    ),
                ],
            ),
            html.P(
                [
                    "With real data the same product is much larger: for m users, n items and "
                    "k factors, computing every prediction this naive way takes ",
                    html.Span("O(mnk)", className="formula"),
                    " multiplications. And the factors are rarely this tidy. A model that "
                    "learns dozens or hundreds of factors from ratings finds whatever patterns "
                    "help it predict; as k grows, the factors stop meaning anything a person "
                    "could name, like “comedy” or “horror”, and the model becomes harder to "
                    "interpret.",
                ]
            ),
        ],
    )


def _slider_inputs() -> list[Input]:
    """Each slider's committed ``value`` and live ``drag_value``, in ``FACTORS`` order."""
    return [
        Input(f"{PREFIX}-slider-{factor}", prop)
        for factor in FACTORS
        for prop in ("value", "drag_value")
    ]


# A slider moved or a number typed -> the stored taste and You's row (assets/movie_night.js).
clientside_callback(
    ClientsideFunction(namespace="movie_night", function_name="applyTaste"),
    Output(f"{PREFIX}-you", "data"),
    Output(f"{PREFIX}-factors-{YOU_ROW}", "children"),
    *_slider_inputs(),
    State(f"{PREFIX}-you", "data"),
    State(f"{PREFIX}-toy", "data"),
    prevent_initial_call=True,
)

# The button, or a new taste -> the result table, or its out-of-date mark. The outputs'
# order is the order of the array movie_night.js returns.
clientside_callback(
    ClientsideFunction(namespace="movie_night", function_name="calculate"),
    Output(f"{PREFIX}-computed", "data"),
    *[
        Output(cell_id(i, j), "children")
        for i in range(len(USER_FACTORS))
        for j in range(len(MOVIE_FACTORS))
    ],
    *[Output(average_id(j), "children") for j in range(len(MOVIE_FACTORS))],
    *[Output(average_id(j), "className") for j in range(len(MOVIE_FACTORS))],
    Output(f"{PREFIX}-verdict", "children"),
    Output(f"{PREFIX}-status", "children"),
    Output(f"{PREFIX}-output", "className"),
    Output(f"{PREFIX}-caption-state", "children"),
    Input(f"{PREFIX}-calculate", "n_clicks"),
    Input(f"{PREFIX}-you", "data"),
    State(f"{PREFIX}-toy", "data"),
    State(f"{PREFIX}-computed", "data"),
    prevent_initial_call=True,
)
