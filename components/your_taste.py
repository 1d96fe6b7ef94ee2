"""Box 9: rate a few movies yourself and get recommendations calibrated to you.

The reader's ratings live only in their browser (``dcc.Store`` with session storage,
``{movie_id: stars}``); every update sends them to a stateless callback that folds the reader
into the trained EmbeddingMF (:mod:`components.fold_in`: regularised least squares against
the fixed item vectors and biases, ``lambda = c * sqrt(m)`` with ``c`` from
``precomputed/embedding_mf_fold_in.json``) and returns the top 10, the ratings behind each
pick, and the top 10 of the average user of a demographic group the reader picks. The server
keeps nothing between requests.

Artifacts: ``movies.parquet``, ``embedding_mf_item_{ids,embedding,bias}.npy``,
``embedding_mf_group_users.parquet``, ``embedding_mf_fold_in.json`` (see
:mod:`models.catalogue`).
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from components.artifacts import ArtifactError, read_array, read_json, read_table
from components.box import box_section
from components.figure_table import data_table, notice
from components.fold_in import (
    MAX_RATINGS,
    STARS,
    TOP_N,
    ItemFactors,
    RatingError,
    cold_start_rows,
    predict,
    recommend,
    top_rows,
    validate_ratings,
)
from models.data import AGE_BANDS as MOVIELENS_AGE_BANDS
from models.data import OCCUPATIONS as MOVIELENS_OCCUPATIONS

PREFIX = "your-taste"
ANY = "all"
GENDERS = {"all": "Any gender", "F": "Women", "M": "Men"}
#: Group picker choices: "any" first, then MovieLens 1M's codes and labels.
AGE_BANDS = {0: "any age", **MOVIELENS_AGE_BANDS}
OCCUPATIONS = {-1: "any occupation", **MOVIELENS_OCCUPATIONS}
SMALL_GROUP = 10


@cache
def catalogue() -> pd.DataFrame:
    """``movies.parquet``: rows aligned with the EmbeddingMF item rows (read-only)."""
    return read_table("movies.parquet")


@cache
def item_factors() -> ItemFactors:
    """The trained item side of EmbeddingMF, the cold-start list and the ridge scale.

    Raises:
        ArtifactError: an artifact is missing, or the catalogue and the weights disagree.
    """
    ids = read_array("embedding_mf_item_ids.npy")
    movies = catalogue()
    if not np.array_equal(movies["movie_id"].to_numpy(), ids):
        raise ArtifactError("movies.parquet does not match embedding_mf_item_ids.npy.")
    settings = read_json("embedding_mf_fold_in.json")

    return ItemFactors(
        item_ids=ids.astype(np.int64),
        item_embedding=read_array("embedding_mf_item_embedding.npy").astype(np.float32),
        item_bias=read_array("embedding_mf_item_bias.npy").astype(np.float32),
        cold_start=cold_start_rows(
            movies["n_train_ratings"].to_numpy(),
            movies["mean_train_rating"].fillna(0).to_numpy(),
            int(settings["cold_start_min_ratings"]),
        ),
        ridge_scale=float(settings["ridge_scale"]),
    )


@cache
def movie_options() -> list[dict]:
    """Dropdown options, most rated first: ``{"label": title, "value": movie_id}``."""
    movies = catalogue().sort_values(["n_train_ratings", "movie_id"], ascending=[False, True])
    return [
        {"label": title, "value": int(movie_id)}
        for movie_id, title in zip(movies["movie_id"], movies["title"], strict=True)
    ]


def title_of(row: int) -> str:
    """The title (with its year) of item ``row``."""
    return str(catalogue()["title"].iat[row])


def clean_group(gender: object, age: object, occupation: object) -> tuple[str, int, int]:
    """The group picker's values made safe: anything not offered falls back to "any".

    Only the offered keys count (a string gender, int age and occupation, never a bool,
    list or other JSON a forged request could send).
    """

    def pick(value: object, choices: dict, kind: type, default):
        ok = isinstance(value, kind) and not isinstance(value, bool) and value in choices
        return value if ok else default

    return (
        pick(gender, GENDERS, str, ANY),
        pick(age, AGE_BANDS, int, 0),
        pick(occupation, OCCUPATIONS, int, -1),
    )


def group_user(gender: object, age: object, occupation: object) -> tuple[np.ndarray, float, int]:
    """The average trained user of a group: ``(vector float64[k], bias, n_users)``.

    Unknown picks fall back to "any" (:func:`clean_group`). Raises :class:`LookupError` for
    an empty group.
    """
    gender, age, occupation = clean_group(gender, age, occupation)
    groups = read_table("embedding_mf_group_users.parquet")
    match = groups[
        (groups["gender"] == gender) & (groups["age"] == age) & (groups["occupation"] == occupation)
    ]
    if match.empty:
        raise LookupError("No MovieLens user belongs to this group.")
    row = match.iloc[0]
    return (
        np.asarray(row["user_embedding"], dtype=np.float64),
        float(row["user_bias"]),
        int(row["n_users"]),
    )


def group_label(gender: object, age: object, occupation: object) -> str:
    """Plain words for a group, e.g. "women aged 25-34, programmer"."""
    gender, age, occupation = clean_group(gender, age, occupation)
    who = {"F": "women", "M": "men"}.get(gender, "users")
    parts = [who]
    if age:
        parts.append(f"aged {AGE_BANDS[age].lower()}")
    if occupation >= 0:
        parts.append(f"working as {OCCUPATIONS[occupation]}")
    return " ".join(parts)


def _stars_text(stars: int) -> str:
    return "1 star" if stars == 1 else f"{stars} stars"


def explain(reasons: list[tuple[int, float, float]], stars_by_row: dict[int, int]) -> str:
    """A recommendation's reasons in plain words."""
    if not reasons:
        return "No single rating of yours pushed it up: it is simply well liked overall."
    phrases = [
        f"{_stars_text(stars_by_row[row])} for {title_of(row)} "
        + (f"(+{lift:.1f})" if lift >= 0.05 else "(under +0.1)")
        for row, _, lift in reasons
    ]
    return "Pushed up by your " + "; ".join(phrases) + "."


def _ratings_key(ratings: object) -> object:
    """A hashable copy of the ratings (the mapping itself when it cannot be hashed)."""
    try:
        key = tuple(ratings.items()) if isinstance(ratings, dict) else ratings
        hash(key)
    except TypeError:
        return _Unhashable(ratings)
    return key


class _Unhashable:
    """Wraps junk input so the cache can take it (``recommend`` then refuses it)."""

    def __init__(self, value: object) -> None:
        self.value = value


@lru_cache(maxsize=32)
def _recommend(key: object):
    """:func:`components.fold_in.recommend`, shared by the two callbacks of one update."""
    if isinstance(key, _Unhashable):
        return recommend(item_factors(), key.value)
    return recommend(item_factors(), dict(key) if isinstance(key, tuple) else key)


def compute_your_taste(ratings: object) -> tuple[pd.DataFrame, bool]:
    """The reader's top 10 as a table, and whether it is the cold-start list.

    Args:
        ratings: ``{movie_id: stars}`` from the browser.

    Returns:
        ``(frame, cold)``; ``frame`` has columns "Rank", "Movie", "Predicted stars" (for the
        cold-start list "Average rating" of the training split instead) and "Why".

    Raises:
        RatingError: invalid ratings (see :func:`components.fold_in.validate_ratings`).
        ArtifactError: missing artifacts.
    """
    factors = item_factors()
    fit, picks = _recommend(_ratings_key(ratings or {}))
    cold = len(fit.rows) == 0
    stars_by_row = {}
    if not cold:
        rows, stars = validate_ratings(ratings, factors)
        stars_by_row = dict(zip(rows.tolist(), stars.astype(int).tolist(), strict=True))
    movies = catalogue()
    rows = []
    for rank, pick in enumerate(picks, start=1):
        if cold:
            why = (
                f"Popular and well rated: {int(movies['n_train_ratings'].iat[pick.row]):,} "
                f"ratings averaging {movies['mean_train_rating'].iat[pick.row]:.2f} stars."
            )
        else:
            why = explain(pick.reasons, stars_by_row)
        stars = movies["mean_train_rating"].iat[pick.row] if cold else pick.stars
        rows.append(
            {
                "Rank": rank,
                "Movie": title_of(pick.row),
                "Average rating" if cold else "Predicted stars": f"{stars:.1f}",
                "Why": why,
            }
        )
    return pd.DataFrame(rows), cold


def compute_comparison(ratings: object, gender, age, occupation) -> tuple[pd.DataFrame, int]:
    """The reader's top 10 beside the top 10 of their group's average user.

    Both lists skip the movies the reader rated. Returns ``(frame, n_users in the group)``;
    the frame has "Rank", "Your top 10", "Average of the group" (a star marks titles on
    both lists).

    Raises:
        RatingError, ArtifactError, LookupError (empty group).
    """
    factors = item_factors()
    yours, _ = compute_your_taste(ratings)
    rows, _ = validate_ratings(ratings or {}, factors)
    vector, bias, n_users = group_user(gender, age, occupation)
    group_rows = top_rows(predict(factors, vector, bias), rows, TOP_N)
    group_titles = [title_of(int(row)) for row in group_rows]
    mine = yours["Movie"].tolist()
    both = set(mine) & set(group_titles)
    frame = pd.DataFrame(
        {
            "Rank": range(1, TOP_N + 1),
            "Your top 10": [f"{t} *" if t in both else t for t in mine],
            "Average of the group": [f"{t} *" if t in both else t for t in group_titles],
        }
    )
    return frame, n_users


def _ratings_list(ratings: dict) -> list:
    if not ratings:
        return [html.Li("No ratings yet.", className=f"{PREFIX}-empty")]
    movies = catalogue()
    ids = movies["movie_id"].to_numpy()
    items = []
    for key, stars in ratings.items():
        movie_id = int(key)
        row = int(np.searchsorted(ids, movie_id))
        title = str(movies["title"].iat[row])
        items.append(
            html.Li(
                [
                    html.Span(title, className=f"{PREFIX}-title"),
                    html.Span(
                        "★" * int(stars),
                        className=f"{PREFIX}-stars",
                        **{"aria-label": _stars_text(int(stars))},
                    ),
                    html.Button(
                        "Remove",
                        id={"type": f"{PREFIX}-remove", "movie": movie_id},
                        className=f"{PREFIX}-remove",
                        n_clicks=0,
                        **{"aria-label": f"Remove your rating of {title}"},
                    ),
                ]
            )
        )
    return items


def _controls() -> html.Div:
    return html.Div(
        className=f"{PREFIX}-controls",
        children=[
            html.Label("Find a movie", htmlFor=f"{PREFIX}-movie", className="control-label"),
            dcc.Dropdown(
                id=f"{PREFIX}-movie",
                options=movie_options(),
                placeholder="Type part of a title…",
                searchable=True,
                clearable=True,
                className=f"{PREFIX}-dropdown",
            ),
            html.Fieldset(
                className=f"{PREFIX}-star-picker",
                children=[
                    html.Legend("Your rating", className="control-label"),
                    dcc.RadioItems(
                        id=f"{PREFIX}-stars",
                        options=[{"label": f"{s} ★", "value": s} for s in STARS],
                        value=4,
                        inline=True,
                        className=f"{PREFIX}-radio",
                    ),
                ],
            ),
            html.Button("Add rating", id=f"{PREFIX}-add", n_clicks=0, className="button"),
            html.P(id=f"{PREFIX}-message", role="status", className=f"{PREFIX}-message"),
        ],
    )


def _group_picker() -> html.Fieldset:
    def picker(name: str, label: str, labels: dict, value) -> html.Div:
        return html.Div(
            [
                html.Label(label, htmlFor=f"{PREFIX}-{name}"),
                dcc.Dropdown(
                    id=f"{PREFIX}-{name}",
                    options=[{"label": text, "value": key} for key, text in labels.items()],
                    value=value,
                    clearable=False,
                    searchable=False,
                ),
            ]
        )

    return html.Fieldset(
        className=f"{PREFIX}-group",
        children=[
            html.Legend("Your group", className="control-label"),
            picker("gender", "Gender", GENDERS, ANY),
            picker("age", "Age", AGE_BANDS, 25),
            picker("occupation", "Occupation", OCCUPATIONS, -1),
        ],
    )


def layout() -> html.Section:
    """Box 9: the rating controls, the reader's ratings, their top 10 and the comparison."""
    intro = [
        html.P(
            "The article ends on an open question: can a model trained on everyone be "
            "tuned to one person from that person's own ratings? Here is one answer you "
            "can try. Rate a few movies you know. After each rating the app keeps "
            "EmbeddingMF's movie vectors exactly as trained and solves a small "
            "regularised least-squares problem for a vector and a bias that describe "
            "you alone. No retraining is needed, and it takes a few milliseconds."
        ),
        html.P(
            "Your ratings stay in this browser tab (session storage) and disappear when "
            "you close it; the server computes your list and forgets it.",
            className=f"{PREFIX}-privacy",
        ),
    ]
    try:
        item_factors()
        content = [
            dcc.Store(id=f"{PREFIX}-store", storage_type="session", data={}),
            html.Div(
                className=f"{PREFIX}-layout",
                children=[
                    html.Div(
                        [
                            _controls(),
                            html.H3("Your ratings", id=f"{PREFIX}-ratings-title"),
                            html.Ul(
                                id=f"{PREFIX}-ratings",
                                className=f"{PREFIX}-ratings",
                                **{"aria-labelledby": f"{PREFIX}-ratings-title"},
                            ),
                            html.Button(
                                "Clear my ratings",
                                id=f"{PREFIX}-clear",
                                n_clicks=0,
                                className="button secondary",
                            ),
                        ]
                    ),
                    html.Div(
                        id=f"{PREFIX}-results",
                        className=f"{PREFIX}-results",
                        **{"aria-live": "polite"},
                    ),
                ],
            ),
            html.H3("You and your group"),
            html.P(
                "EmbeddingMF knows nothing about age or occupation, but the trained users of "
                "a group can be averaged into one typical member. Pick a group to see what "
                "that typical member would be shown, beside your own list."
            ),
            _group_picker(),
            html.Div(id=f"{PREFIX}-compare", **{"aria-live": "polite"}),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    return box_section(PREFIX, "Box 9 · Your own taste", [*intro, *content])


def stored_ratings(ratings: object) -> dict[str, int]:
    """The browser's stored ratings as ``{"movie_id": stars}``, or ``{}`` when unusable.

    The one reader of ``your-taste-store`` for updates and the list: anything
    :func:`components.fold_in.validate_ratings` refuses (a string, a list, unknown or huge
    ids, bad stars) counts as no ratings; ids are written in their plain form.
    """
    try:
        validate_ratings(ratings, item_factors())
    except RatingError:
        return {}
    return {str(int(key)): int(stars) for key, stars in ratings.items()}


def update_ratings(trigger, movie_id, stars, ratings) -> tuple[object, str]:
    """New ratings after an add, remove or clear, and a message; bad input keeps the old.

    Args:
        trigger: ``ctx.triggered_id``: ``"your-taste-add"``, ``"your-taste-clear"`` or a
            remove button's dict id ``{"type": ..., "movie": movie_id}``.
        movie_id, stars: the dropdown's and the star picker's values.
        ratings: the stored ``{movie_id: stars}`` (JSON keys are strings).

    Returns:
        ``(new ratings or no_update, message)``; re-rating a movie says "Updated".
    """
    factors = item_factors()
    current = stored_ratings(ratings or {})
    if trigger == f"{PREFIX}-clear":
        return {}, "Your ratings are cleared."
    if isinstance(trigger, dict):
        current.pop(str(trigger.get("movie")), None)
        return current, "Rating removed."
    if movie_id is None:
        return no_update, "Pick a movie first."
    try:
        (row,), _ = validate_ratings({str(movie_id): stars}, factors)
        key = str(int(factors.item_ids[row]))
        new = {**current, key: int(stars)}
        validate_ratings(new, factors)
    except RatingError as error:
        return no_update, f"That rating was not added: {error}"
    verb = "Updated" if key in current else "Added"
    return new, f"{verb}: {title_of(int(row))}, {_stars_text(int(stars))}."


@callback(
    Output(f"{PREFIX}-store", "data"),
    Output(f"{PREFIX}-message", "children"),
    Input(f"{PREFIX}-add", "n_clicks"),
    Input({"type": f"{PREFIX}-remove", "movie": ALL}, "n_clicks"),
    Input(f"{PREFIX}-clear", "n_clicks"),
    State(f"{PREFIX}-movie", "value"),
    State(f"{PREFIX}-stars", "value"),
    State(f"{PREFIX}-store", "data"),
    prevent_initial_call=True,
)
def on_rating_change(_add, _remove, _clear, movie_id, stars, ratings):
    """Add, remove or clear; ignores the remove buttons' own creation."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    return update_ratings(ctx.triggered_id, movie_id, stars, ratings)


@callback(Output(f"{PREFIX}-ratings", "children"), Input(f"{PREFIX}-store", "data"))
def show_ratings(ratings):
    """The reader's ratings with remove buttons (invalid stored data shows none)."""
    return _ratings_list(stored_ratings(ratings or {}))


@callback(Output(f"{PREFIX}-results", "children"), Input(f"{PREFIX}-store", "data"))
def show_recommendations(ratings):
    """The reader's top 10 with reasons, or the cold-start list before any rating."""
    try:
        frame, cold = compute_your_taste(ratings)
    except RatingError as error:
        return notice(f"Your stored ratings could not be read ({error}); clear them to start.")
    count = len(ratings or {})
    lead = (
        "You have not rated anything yet, so this is the cold-start answer: the most "
        "popular movies with the best average ratings, the same for everyone."
        if cold
        else f"Calibrated to your {count} rating{'s' if count != 1 else ''}, "
        "among movies you have not rated. The numbers in brackets are roughly how many "
        "stars each of your ratings added."
    )
    return [
        html.H3("Your top 10" if not cold else "Top 10 for a newcomer"),
        html.P(lead),
        data_table(frame, "Recommended movies", table_id=f"{PREFIX}-top"),
    ]


@callback(
    Output(f"{PREFIX}-compare", "children"),
    Input(f"{PREFIX}-store", "data"),
    Input(f"{PREFIX}-gender", "value"),
    Input(f"{PREFIX}-age", "value"),
    Input(f"{PREFIX}-occupation", "value"),
)
def show_comparison(ratings, gender, age, occupation):
    """Side by side: the reader's top 10 and the group's average user's top 10."""
    try:
        frame, n_users = compute_comparison(ratings, gender, age, occupation)
    except RatingError:
        return notice("Your stored ratings could not be read; clear them to start.")
    except LookupError as error:
        return notice(f"{error} Pick a broader group.")
    who = group_label(gender, age, occupation)
    caution = f" Only {n_users} users: this average is shaky." if n_users < SMALL_GROUP else ""
    return [
        html.P(
            f"The average of {n_users:,} MovieLens {who}.{caution} "
            "A star (*) marks a movie on both lists."
        ),
        data_table(
            frame, "Your top 10 beside the group's average user's", table_id=f"{PREFIX}-versus"
        ),
    ]


__all__ = ["MAX_RATINGS", "compute_comparison", "compute_your_taste", "layout", "update_ratings"]
