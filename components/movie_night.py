"""Box 3: movie night.

You and three friends pick one movie. Everyone is two numbers (how much they like comedy and
horror); every movie is two numbers (how much comedy and horror it has). "Calculate Matrix
Factorization" multiplies the two matrices and averages each movie's column over the group.

Why a server callback and not a clientside one (STYLE.md prefers clientside arithmetic):
the arithmetic lives once, in :func:`compute_movie_night`, which the tests call directly; a
JavaScript copy would be a second implementation to keep in step. The work is tiny and runs
only when the button is pressed.
"""

from __future__ import annotations

import math

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from components.box import box_section
from components.mf_by_hand import FACTORS, MOVIE_FACTORS, USER_FACTORS, dot, format_number

PREFIX = "movie-night"
AVERAGE_LABEL = "Group average"
FACTOR_MIN, FACTOR_MAX, FACTOR_STEP = 0.0, 1.0, 0.1
DEFAULT_YOU: dict[str, float] = dict(zip(FACTORS, USER_FACTORS["You"], strict=True))


def sanitize_factor(value: object, last_good: float) -> float:
    """Turn whatever a slider's number box sent into a usable factor in ``[0, 1]``.

    Dash 4's slider has a number box: clearing it sends ``None`` and a reader can type any
    number. Numbers (and numeric strings) are clamped to ``[0, 1]`` and rounded to two
    decimals; anything else (``None``, ``NaN``, ``inf``, ``"abc"``, booleans) gives back
    ``last_good``. Never raises for a bad ``value``.

    Args:
        value: what the slider sent: usually a float, possibly ``None`` or a string.
        last_good: the value to keep when ``value`` is unusable; must be in ``[0, 1]``.

    Returns:
        A float in ``[0, 1]``.

    Raises:
        ValueError: if ``last_good`` itself is not a number in ``[0, 1]`` (a programming error,
            never the reader's input).
    """
    if not (
        isinstance(last_good, int | float)
        and not isinstance(last_good, bool)
        and FACTOR_MIN <= last_good <= FACTOR_MAX
    ):
        raise ValueError(f"last_good must be a number in [0, 1], got {last_good!r}")
    if isinstance(value, bool) or value is None:
        return float(last_good)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float(last_good)
    if not math.isfinite(number):
        return float(last_good)
    return round(min(FACTOR_MAX, max(FACTOR_MIN, number)), 2)


def clean_you(stored: object) -> dict[str, float]:
    """The stored taste of You (``movie-night-you``) made safe: the one reader of the store.

    Session edits or forged requests can put anything there; each factor that is not a
    usable number (or a missing or non-dict store) falls back to :data:`DEFAULT_YOU`.

    Returns:
        ``{"comedy": float, "horror": float}``, both in ``[0, 1]``.
    """
    stored = stored if isinstance(stored, dict) else {}
    return {factor: sanitize_factor(stored.get(factor), DEFAULT_YOU[factor]) for factor in FACTORS}


def compute_movie_night(you_comedy: float, you_horror: float) -> pd.DataFrame:
    """Predicted ratings of every person for every movie, plus the group average.

    Args:
        you_comedy: your comedy factor, in ``[0, 1]``.
        you_horror: your horror factor, in ``[0, 1]``.

    Returns:
        A DataFrame indexed by ``Anna, Jonny, Kimi, You, Group average`` with one column per
        movie (``Zombieland, Modern Times, The Grudge``), each value the dot product of the
        person's and the movie's factors, rounded to two decimals; the last row is the
        mean over the four people (of the unrounded values), rounded to two decimals.

    Raises:
        ValueError: if a factor is not a finite number in ``[0, 1]``.
    """
    for name, value in (("you_comedy", you_comedy), ("you_horror", you_horror)):
        if not (isinstance(value, int | float) and FACTOR_MIN <= value <= FACTOR_MAX):
            raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    users = {**USER_FACTORS, "You": (you_comedy, you_horror)}
    scores = pd.DataFrame(
        [[dot(w, q) for q in MOVIE_FACTORS.values()] for w in users.values()],
        index=list(users),
        columns=list(MOVIE_FACTORS),
    )
    scores.loc[AVERAGE_LABEL] = scores.mean(axis=0)
    return scores.round(2)


def best_movie(result: pd.DataFrame) -> str:
    """The movie with the highest group average (the first one on a tie).

    Args:
        result: a frame from :func:`compute_movie_night`.

    Returns:
        The movie's title.
    """
    return str(result.loc[AVERAGE_LABEL].idxmax())


def result_table(result: pd.DataFrame | None) -> html.Table:
    """The users × movies result as an HTML table; empty cells before the first calculation.

    The average row's cells have ids ``movie-night-average-0`` .. ``-2`` (movie order) and the
    best movie's average cell gets the class ``best``.

    Args:
        result: a frame from :func:`compute_movie_night`, or ``None`` for a blank table.

    Returns:
        An ``html.Table`` with a caption, a header row of movies and one row per person plus
        the group average.
    """
    movies = list(MOVIE_FACTORS)
    people = [*USER_FACTORS, AVERAGE_LABEL]
    best = best_movie(result) if result is not None else None

    def cell(person: str, j: int) -> html.Td:
        text = "–" if result is None else f"{result.loc[person, movies[j]]:.2f}"
        if person != AVERAGE_LABEL:
            return html.Td(text)
        is_best = movies[j] == best
        return html.Td(
            [text, html.Span(" (best)", className="visually-hidden")] if is_best else text,
            id=f"{PREFIX}-average-{j}",
            className="average best" if is_best else "average",
        )

    rows = [
        html.Tr(
            [html.Th(person, scope="row")] + [cell(person, j) for j in range(len(movies))],
            className="average-row" if person == AVERAGE_LABEL else None,
        )
        for person in people
    ]
    return html.Table(
        [
            html.Caption("Predicted rating of each movie for each person"),
            html.Thead(
                html.Tr([html.Td(className="corner")] + [html.Th(m, scope="col") for m in movies])
            ),
            html.Tbody(rows),
        ],
        className="matrix movie-night-table",
    )


def _factor_slider(factor: str) -> html.Div:
    """One labelled slider for your taste in ``factor`` (0..1)."""
    slider_id = f"{PREFIX}-slider-{factor}"
    label = f"How much you like {factor} (0 to 1)"
    return html.Div(
        className="movie-night-control",
        # assets/sliders.js names the slider's handle and number box after this label.
        **{"data-slider-labelledby": f"{slider_id}-label"},
        children=[
            html.Div(label, id=f"{slider_id}-label", className="control-label"),
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


def _inputs_table() -> html.Table:
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


def _verdict(result: pd.DataFrame | None) -> str:
    """One sentence naming the group's best movie."""
    if result is None:
        return "Press the button to see which movie suits the group best."
    best = best_movie(result)
    return (
        f"Best pick for the group: {best}, with a predicted average of "
        f"{result.loc[AVERAGE_LABEL, best]:.2f}."
    )


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
                        className="movie-night-output",
                        children=[
                            html.Div(result_table(None), id=f"{PREFIX}-result"),
                            html.P(
                                _verdict(None),
                                id=f"{PREFIX}-verdict",
                                className="verdict",
                                **{"aria-live": "polite"},
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


@callback(
    Output(f"{PREFIX}-slider-comedy", "value"),
    Output(f"{PREFIX}-slider-horror", "value"),
    Output(f"{PREFIX}-you", "data"),
    # You are the last person in USER_FACTORS.
    Output(f"{PREFIX}-factors-{len(USER_FACTORS) - 1}", "children"),
    Input(f"{PREFIX}-slider-comedy", "value"),
    Input(f"{PREFIX}-slider-horror", "value"),
    State(f"{PREFIX}-you", "data"),
)
def sanitize_sliders(comedy, horror, last_good):
    """Keep each slider at its last good value; store the sanitized pair.

    A slider's value is written back only when sanitizing changed it, so a good value does
    not trigger a second round.
    """
    last_good = clean_you(last_good)
    clean = {
        "comedy": sanitize_factor(comedy, last_good["comedy"]),
        "horror": sanitize_factor(horror, last_good["horror"]),
    }
    return (
        no_update if clean["comedy"] == comedy else clean["comedy"],
        no_update if clean["horror"] == horror else clean["horror"],
        clean,
        f"{format_number(clean['comedy'])}, {format_number(clean['horror'])}",
    )


@callback(
    Output(f"{PREFIX}-result", "children"),
    Output(f"{PREFIX}-verdict", "children"),
    Input(f"{PREFIX}-calculate", "n_clicks"),
    State(f"{PREFIX}-you", "data"),
    prevent_initial_call=True,
)
def calculate(_n_clicks, you):
    """Fill the result table from the stored (already sanitized) taste of You."""
    you = clean_you(you)
    result = compute_movie_night(you["comedy"], you["horror"])
    return result_table(result), _verdict(result)
