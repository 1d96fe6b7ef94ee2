"""Box 6: one reader's recommendations as a Venn diagram of three sets.

For the chosen user the sets are EmbeddingMF's top-10, DeepFM's top-10 and the movies the
user rated 5 stars, among the user's test-split movies (or, in-sample, among every movie
the user rated). Each movie is a dot in its region; from its centre one line per model has
a length proportional to that model's error (left: EmbeddingMF, right: DeepFM), coloured
and dashed by the sign of the error. The movies chosen in Box 7 are drawn below the
circles when the user rated them but they fall in none of the sets.

This module picks the rows and answers the box's one callback; the layout maths lives in
:mod:`components.venn_geometry`, the drawing in :mod:`components.venn_figure`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, dcc, html

from components.artifacts import ArtifactError
from components.box import box_section, figure_caption
from components.figure_table import GRAPH_CONFIG, notice
from components.readers import on_clear, reader_table, user_slice
from components.selection import DEFAULT_STORE, STORE
from components.selection_state import read_selection
from components.theme import MODEL_LABELS, OVER_WORD, UNDER_WORD
from components.venn_figure import (
    FIVE_STAR_COLOUR,
    FIVE_STARS,
    details_text,
    focus_options,
    make_venn_figure,
)
from components.venn_geometry import (
    circle_centres,
    dot_positions,
    outside_positions,
    region_members,
    shown_count,
)
from components.venn_legend import venn_legend
from components.venn_story import article_story, story_children, summary_text
from components.venn_table import table_children
from core.records import INSAMPLE, TEST
from core.top_k import top_k_mask
from core.vocabulary import TOP_K, VENN_MODELS

PREFIX = "venn"
SCOPES = {
    "test": "Test split (ratings the models never saw)",
    "all": "Every movie rated (training split too)",
}
#: Announced by screen readers when a callback changes the text.
POLITE = {"aria-live": "polite"}


def venn_models() -> list[str]:
    """The Venn models with predictions in the per-reader rows, EmbeddingMF first."""
    columns = reader_table(TEST, story=True).columns
    return [name for name in VENN_MODELS if name in columns]


def set_names(models: list[str]) -> list[str]:
    """The sets of the diagram, in circle order: each model's top-10, then the 5 stars."""
    return [*models, FIVE_STARS]


def user_rows(user: int, scope: str) -> pd.DataFrame:
    """The user's candidate movies: ``movie_id``, ``rating`` and one column per model.

    ``scope`` ``"test"``: every test-split rating of the user; ``"all"``: every rating of
    the user, training split included. Raises :class:`ArtifactError` when an artifact is
    missing.
    """
    if scope == "all":
        rows = user_slice(INSAMPLE, user)
    else:
        rows = user_slice(TEST, user).assign(in_test=True)
    return rows.drop(columns="user_id").reset_index(drop=True)


def known_rating(user: int, movie: int) -> dict | None:
    """The user's rating of a movie and the models' predictions, or ``None`` when the user
    did not rate it.

    Looks in the test split first, then in the in-sample rows, which hold every rating
    (:mod:`core.records`); without those, only the test split is known.
    """
    for table, in_test in ((TEST, True), (INSAMPLE, None)):
        try:
            rows = user_slice(table, user)
        except ArtifactError:
            continue
        hit = rows[rows["movie_id"] == movie]
        if len(hit):
            row = hit.iloc[0].to_dict()
            row["in_test"] = bool(row.get("in_test", in_test))
            return row
    return None


def venn_sets(rows: pd.DataFrame, models: list[str], k: int = TOP_K) -> dict[str, set[int]]:
    """Each model's top-``k`` movie ids and the 5-star movie ids.

    The top-``k`` is the project's one (:func:`core.top_k.top_k_mask`): ties to the lower id.

    Rows whose prediction is missing (NaN) never enter a top-``k``.
    """
    sets = {}
    one_list = np.zeros(len(rows), dtype=np.int8)
    for name in models:
        scores = (
            rows[name].to_numpy(dtype=np.float64) if name in rows else np.full(len(rows), np.nan)
        )
        top = top_k_mask(one_list, rows["movie_id"].to_numpy(), scores, k)
        sets[name] = set(rows.loc[top, "movie_id"].astype(int))
    sets[FIVE_STARS] = set(rows.loc[rows["rating"] == 5, "movie_id"].astype(int))
    return sets


def _place_region(
    part: pd.DataFrame, pattern: tuple, centres: tuple, models: list[str], spotlight: tuple
) -> pd.DataFrame:
    """One region's rows, Box 7's movies then largest errors first, the first ones placed."""
    error = np.zeros(len(part))
    for name in models:
        error = np.fmax(error, (part[name] - part["rating"]).abs().fillna(0).to_numpy())
    spot = part["movie_id"].isin(spotlight)
    part = part.assign(region=[pattern] * len(part), error=error, spot=spot)
    part = part.sort_values(
        ["spot", "error", "movie_id"], ascending=[False, False, True], kind="stable"
    ).drop(columns="spot")
    part["shown"] = np.arange(len(part)) < shown_count(pattern, centres, len(part))
    spots = dot_positions(pattern, centres, len(part))
    part["x"] = [p[0] for p in spots] + [None] * (len(part) - len(spots))
    part["y"] = [p[1] for p in spots] + [None] * (len(part) - len(spots))
    return part


def _outside_rows(user: int, spotlight: tuple, drawn: set[int]) -> list[dict]:
    """Box 7's movies the user rated that fall in no set, in a row under the circles."""
    extra = []
    for movie in dict.fromkeys(spotlight):
        if movie in drawn:
            continue
        row = known_rating(user, movie)
        if row is not None:
            extra.append({**row, "region": None, "shown": True, "error": 0.0})
    for row, (x, y) in zip(extra, outside_positions(len(extra)), strict=True):
        row["x"], row["y"] = x, y
    return extra


class Diagram(NamedTuple):
    """Everything Box 6 shows for one user and scope (cached: treat as read-only).

    ``frame`` has ``movie_id``, ``rating``, ``in_test``, one column per model, ``region``
    (membership tuple, ``None`` for Box 7's movies outside all sets), ``shown`` (whether
    it has a dot; a region holds as many dots as it has lattice slots, Box 7's movies then
    largest errors first, the rest counted in its "+N more" mark), ``x``, ``y``; ``sets``
    maps set names to movie ids, in circle order; ``n_candidates`` counts the user's movies
    in the scope.
    """

    frame: pd.DataFrame
    sets: dict[str, set[int]]
    n_candidates: int


#: Box 6's three callbacks fire together on a change; the first builds the diagram, the
#: others wait for it and read it from the cache.
_BUILDING = threading.Lock()


def diagram_rows(user: int, scope: str, spotlight: tuple[int, ...]) -> Diagram:
    """The rows of every movie drawn for a user, with region and position (:class:`Diagram`).

    Built once per (user, scope, spotlight) and cached (64 entries); treat as read-only.

    Args:
        user: a known user id; scope: ``"test"`` or ``"all"`` (see :func:`user_rows`);
        spotlight: Box 7's movie ids, drawn first in their regions or under the circles.
    """
    with _BUILDING:
        return _build_diagram(user, scope, spotlight)


@lru_cache(maxsize=64)
def _build_diagram(user: int, scope: str, spotlight: tuple[int, ...]) -> Diagram:
    models = venn_models()
    rows = user_rows(user, scope)
    sets = venn_sets(rows, models)
    centres = circle_centres(len(sets))
    by_movie = rows.drop_duplicates("movie_id").set_index("movie_id")
    parts = [
        _place_region(by_movie.loc[movies].reset_index(), pattern, centres, models, spotlight)
        for pattern, movies in region_members(sets).items()
    ]
    extra = _outside_rows(user, spotlight, set().union(*sets.values()))
    frame = pd.concat([*parts, *([pd.DataFrame(extra)] if extra else [])], ignore_index=True)
    return Diagram(frame, sets, len(rows))


def overlap_count(models: list[str] | None = None) -> dict[str, int]:
    """Over every reader with records (test split): how many have a model's top-10 ∩ 5 stars
    non-empty (only Xiao without the host's records)."""
    frame = reader_table(TEST)
    result = {}
    for name in models or venn_models():
        top = frame[top_k_mask(frame["user_id"], frame["movie_id"], frame[name], TOP_K)]
        result[name] = int(top.loc[top["rating"] == 5, "user_id"].nunique())
    return result


on_clear(_build_diagram.cache_clear)


def layout() -> html.Section:
    """Box 6: scope switch, the diagram, a keyboard picker with details, the table."""
    intro = html.P(
        "Each circle is a set of the chosen reader's movies: the ten each model would "
        "put first, and the ones the reader gave five stars. A dot is a movie. Its two "
        "short lines show how far each model's guess was from the true rating: the left "
        "line for EmbeddingMF, the right one for DeepFM; the longer the line, the bigger "
        f"the miss. {OVER_WORD.capitalize()}, solid lines with an upward triangle mean the "
        f"model guessed too high; {UNDER_WORD}, dotted lines with a downward triangle, too low."
    )
    try:
        models = venn_models()
        # The default reader's box, built once with the layout: no request on a first visit.
        focus_choices, summary, story = venn_overview(DEFAULT_STORE, "test")
        figure, details = venn_picture(DEFAULT_STORE, "test", None)
        table = venn_listing(DEFAULT_STORE, "test", "region")
    except ArtifactError as error:
        return box_section(PREFIX, "One reader's recommendations", [notice(str(error))])
    missing = [MODEL_LABELS[name] for name in VENN_MODELS if name not in models]
    content = [
        intro,
        article_story(),
        html.P(story, id=f"{PREFIX}-story", className="venn-story", **POLITE),
        *(
            [notice(f"No results yet for {', '.join(missing)}: its circle is left out.")]
            if missing
            else []
        ),
        # Named as one group (assets/a11y.js takes Dash's unnamed listbox role off the list).
        html.Div(
            dcc.RadioItems(
                id=f"{PREFIX}-scope",
                options=[{"label": label, "value": key} for key, label in SCOPES.items()],
                value="test",
                inline=True,
                className="venn-scope",
            ),
            role="radiogroup",
            **{"aria-label": "Movies in the diagram"},
        ),
        html.P(summary, id=f"{PREFIX}-summary", className="venn-summary", **POLITE),
        html.Figure(
            [
                dcc.Graph(
                    id=f"{PREFIX}-graph",
                    figure=figure,
                    config={**GRAPH_CONFIG, "displayModeBar": False},
                    className="venn-graph",
                    # Inline, so Plotly's autosize reads the same height the page gives it.
                    # Tall enough on a phone that the width, not the height, sets the scale:
                    # ~90 px per circle radius at 375 px, so dots stay >= 24 px apart.
                    style={"height": "clamp(24rem, 125vw, 44rem)"},
                ),
                figure_caption(
                    "Hits sit where a model's circle meets the 5-star circle; a long line "
                    "inside a top-10 circle is a movie that model recommended by mistake."
                ),
            ],
            **{"aria-label": "Venn diagram of the reader's top-10 lists and 5-star movies"},
        ),
        venn_legend(models, FIVE_STAR_COLOUR, "dot"),
        html.Div(
            className="venn-focus",
            children=[
                html.Label("Highlight a movie", htmlFor=f"{PREFIX}-focus"),
                dcc.Dropdown(
                    id=f"{PREFIX}-focus",
                    options=focus_choices,
                    placeholder="Pick a movie of the diagram",
                ),
                html.P(details, id=f"{PREFIX}-details", className="venn-details", **POLITE),
            ],
        ),
        html.Fieldset(
            className="venn-sort",
            children=[
                html.Legend("Sort the table by"),
                dcc.RadioItems(
                    id=f"{PREFIX}-sort",
                    options=[
                        {"label": "region", "value": "region"},
                        {"label": "true rating", "value": "rating"},
                        *(
                            {"label": f"{MODEL_LABELS[name]} error", "value": name}
                            for name in models
                        ),
                    ],
                    value="region",
                    inline=True,
                ),
            ],
        ),
        html.Div(table, id=f"{PREFIX}-table", className="figure-table venn-table"),
    ]
    return box_section(PREFIX, "One reader's recommendations", content)


def _diagram(state: object, scope: object) -> tuple[int, str, Diagram]:
    """The store's user, a known scope and that user's diagram (built once, then cached)."""
    user, movie, compare = read_selection(state)
    scope = scope if isinstance(scope, str) and scope in SCOPES else "test"
    return user, scope, diagram_rows(user, scope, (movie, compare))


def _focus(focus: object) -> int | None:
    return focus if isinstance(focus, int) and not isinstance(focus, bool) else None


def venn_overview(state: object, scope: object) -> tuple[list[dict], str, list]:
    """The highlight picker's options, the summary sentence and the story of Box 7's movie
    (:mod:`components.venn_story`) for the store's user.

    Args:
        state: ``selection-store`` (validated by its writer, read with
            :func:`read_selection`); scope: ``"test"`` or ``"all"`` (else ``"test"``).
    """
    user, scope, (frame, sets, n_candidates) = _diagram(state, scope)
    movie = read_selection(state).movie
    return (
        focus_options(frame),
        summary_text(user, scope, sets, n_candidates),
        story_children(user, movie, frame, list(sets)),
    )


def venn_picture(state: object, scope: object, focus: object) -> tuple[object, str]:
    """The diagram and the highlighted movie's details (``focus``: a movie id, else none)."""
    _, scope, (frame, sets, _) = _diagram(state, scope)
    focus = _focus(focus)
    return make_venn_figure(frame, sets, scope, focus), details_text(frame, list(sets), focus)


def venn_listing(state: object, scope: object, sort: object) -> object:
    """The table of the diagram's movies, sorted by ``sort`` (see :func:`venn_table`)."""
    user, scope, (frame, sets, _) = _diagram(state, scope)
    caption = f"Movies of user {user} in the diagram ({SCOPES[scope].lower()})"
    return table_children(frame, list(sets), sort, caption)


# One callback per set of inputs; the three share the cached diagram of one change. (One
# callback answering only what its trigger changed lost updates: Dash drops a pending
# request when the same callback fires again.)
@callback(
    Output(f"{PREFIX}-focus", "options"),
    Output(f"{PREFIX}-summary", "children"),
    Output(f"{PREFIX}-story", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    prevent_initial_call=True,
)
def update_overview(state, scope):
    """The picker's options, the summary sentence and the story of Box 7's movie."""
    return venn_overview(state, scope)


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-details", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-focus", "value"),
    prevent_initial_call=True,
)
def update_picture(state, scope, focus):
    """The diagram and the highlighted movie's details."""
    return venn_picture(state, scope, focus)


@callback(
    Output(f"{PREFIX}-table", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-sort", "value"),
    prevent_initial_call=True,
)
def update_listing(state, scope, sort):
    """The diagram's movies as a table."""
    return venn_listing(state, scope, sort)


# A tap (or click) on a dot picks that movie in "Highlight a movie": on a phone, where
# there is no hover, the details appear in words under the diagram (assets/charts.js).
clientside_callback(
    ClientsideFunction(namespace="charts", function_name="vennTap"),
    Output(f"{PREFIX}-focus", "value"),
    Input(f"{PREFIX}-graph", "clickData"),
    prevent_initial_call=True,
)
