"""Box 9's lists, without Dash components: the reader's ratings in, top 10s out.

The reader's ratings are checked once per request (:func:`read_ratings`); everything after
takes the checked :class:`Rated` and folds the reader into the trained EmbeddingMF
(:mod:`core.scoring`: regularised least squares against the fixed item vectors and
biases, ``lambda = c * sqrt(m)`` with ``c`` from ``precomputed/embedding_mf_fold_in.json``).

Artifacts: ``movies.parquet``, ``embedding_mf_item_{ids,embedding,bias}.npy``,
``embedding_mf_group_users.parquet``, ``embedding_mf_fold_in.json`` (see
:mod:`core.artifacts`).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from dash import no_update

from components.artifacts import ArtifactError, rating_range, read_array, read_json, read_table
from components.movie_search import movie_option, movies, normalise, search_movies
from components.wording import ANY_LABELS, age_phrase, stars_text
from core.scoring import (
    MAX_RATINGS,
    ItemFactors,
    RatingError,
    Recommendation,
    UserFit,
    cold_start_rows,
    fold_in,
    predict,
    reasons,
    validate_ratings,
)
from core.top_k import top_rows
from core.vocabulary import AGE_BANDS as MOVIELENS_AGE_BANDS
from core.vocabulary import OCCUPATIONS as MOVIELENS_OCCUPATIONS
from core.vocabulary import TOP_K

PREFIX = "your-taste"
ANY = "all"
GENDERS = {"all": ANY_LABELS["gender"], "F": "Women", "M": "Men"}
#: Group picker choices: "any" first, then MovieLens 1M's codes and labels.
AGE_BANDS = {0: ANY_LABELS["age"], **MOVIELENS_AGE_BANDS}
OCCUPATIONS = {-1: ANY_LABELS["occupation"], **MOVIELENS_OCCUPATIONS}
#: Ratings up to this many stars read as "disliked" when they push a movie up.
LOW_STARS = 2
#: How many titles the movie picker offers before the reader types.
FIRST_OPTIONS = 20


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
            movies["n_train"].to_numpy(),
            movies["mean_train"].fillna(0).to_numpy(),
            int(settings["cold_start_min_ratings"]),
        ),
        ridge_scale=float(settings["ridge_scale"]),
        rating_range=rating_range(),
    )


@cache
@cache
def _most_rated(limit: int) -> tuple[tuple[str, int], ...]:
    movies = catalogue().sort_values(["n_train", "movie_id"], ascending=[False, True])
    top = movies.head(limit)
    return tuple(zip(top["title"], map(int, top["movie_id"]), strict=True))


def movie_options(text: object = None, chosen: object = None) -> list[dict]:
    """The movie picker's options (:func:`components.movie_search.movie_option`).

    The 3,706 titles stay on the server: before two characters are typed the picker offers
    the :data:`FIRST_OPTIONS` most rated movies, then the titles matching what is typed
    (most rated first, the same search as Box 7's pickers). ``chosen``, the picker's
    movie, is kept in the list so its label stays (Dash's dropdown drops a value missing
    from its options); anything that is not a catalogue id is ignored.
    """
    typed = isinstance(text, str) and len(normalise(text).replace(" ", "")) >= 2
    if typed:
        options = search_movies(text)
    else:
        options = [movie_option(movie, title) for title, movie in _most_rated(FIRST_OPTIONS)]
    known = isinstance(chosen, int) and not isinstance(chosen, bool)
    if known and chosen in movies().index and all(o["value"] != chosen for o in options):
        options.append(movie_option(chosen))
    return options


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
        parts.append(age_phrase(AGE_BANDS[age]))
    if occupation >= 0:
        parts.append(f"working as {OCCUPATIONS[occupation]}")
    return " ".join(parts)


def explain(reasons: list[tuple[int, float, float]], stars_by_row: dict[int, int]) -> str:
    """A recommendation's reasons in plain words.

    A low rating can push a movie up too: the reader's taste is fitted to all their ratings
    at once, so disliking one movie raises the movies the model places opposite it. Such a
    reason says so (issue 9, item 8: "Pushed up by your 1 star for Pretty Woman (+0.2)"
    read as a contradiction).
    """
    if not reasons:
        return "No single rating of yours pushed it up: it is simply well liked overall."
    phrases = []
    for row, _, lift in reasons:
        stars = stars_by_row[row]
        size = f"+{lift:.1f}" if lift >= 0.05 else "under +0.1"
        why = f"{size}: you disliked it, and the model sees this movie as its opposite"
        phrases.append(
            f"{stars_text(stars)} for {title_of(row)} ({why if stars <= LOW_STARS else size})"
        )
    return "Pushed up by your ratings: " + "; ".join(phrases) + "."


class Rated(NamedTuple):
    """A reader's ratings once checked: item rows and whole stars, in the order given."""

    rows: tuple[int, ...]
    stars: tuple[int, ...]

    def movie_ids(self) -> list[int]:
        """The MovieLens ids of the rated movies."""
        return [int(item_factors().item_ids[row]) for row in self.rows]


NO_RATINGS = Rated((), ())


def read_ratings(ratings: object) -> Rated:
    """The browser's ``{movie_id: stars}`` checked, the one check of a request.

    Raises:
        RatingError: see :func:`core.scoring.validate_ratings`.
        ArtifactError: missing artifacts.
    """
    rows, stars = validate_ratings(ratings, item_factors())
    return Rated(tuple(int(row) for row in rows), tuple(int(star) for star in stars))


@lru_cache(maxsize=32)
def recommend_for(rated: Rated) -> tuple[UserFit, list[Recommendation]]:
    """The reader's top :data:`TOP_K` with reasons, or the cold-start list without ratings.

    :func:`core.scoring.recommend` for ratings already checked; cached, so a group
    change does not fold the reader in again.
    """
    factors = item_factors()
    rows = np.array(rated.rows, dtype=np.int64)
    fit = fold_in(factors, rows, np.array(rated.stars, dtype=np.float64))
    predicted = predict(factors, fit.vector, fit.bias)
    top = factors.cold_start if not rated.rows else top_rows(predicted, rows)
    return fit, [
        Recommendation(int(row), float(predicted[row]), reasons(factors, fit, int(row)))
        for row in top
    ]


def _why_cold(row: int) -> str:
    movies = catalogue()
    # One decimal, as the table's "Average rating" column beside it.
    return (
        f"Popular and well rated: {int(movies['n_train'].iat[row]):,} "
        f"ratings averaging {movies['mean_train'].iat[row]:.1f} stars."
    )


def compute_your_taste(rated: Rated) -> tuple[pd.DataFrame, bool]:
    """The reader's top 10 as a table, and whether it is the cold-start list.

    Args:
        rated: the reader's checked ratings (:func:`read_ratings`).

    Returns:
        ``(frame, cold)``; ``frame`` has columns "Rank", "Movie", "Predicted stars" (for the
        cold-start list "Average rating" of the training split instead) and "Why".
    """
    _, picks = recommend_for(rated)
    cold = not rated.rows
    stars_by_row = dict(zip(rated.rows, rated.stars, strict=True))
    means = catalogue()["mean_train"]
    rows = [
        {
            "Rank": rank,
            "Movie": title_of(pick.row),
            "Average rating" if cold else "Predicted stars": (
                f"{means.iat[pick.row] if cold else pick.stars:.1f}"
            ),
            "Why": _why_cold(pick.row) if cold else explain(pick.reasons, stars_by_row),
        }
        for rank, pick in enumerate(picks, start=1)
    ]
    return pd.DataFrame(rows), cold


def compute_comparison(rated: Rated, gender, age, occupation) -> tuple[pd.DataFrame, int]:
    """The reader's top 10 beside the top 10 of their group's average user.

    Both lists skip the movies the reader rated. Returns ``(frame, n_users in the group)``;
    the frame has "Rank", "Your top 10", "Average of the group" (a star marks titles on
    both lists).

    Raises:
        LookupError: empty group.
    """
    factors = item_factors()
    mine = [title_of(pick.row) for pick in recommend_for(rated)[1]]
    vector, bias, n_users = group_user(gender, age, occupation)
    group_rows = top_rows(predict(factors, vector, bias), np.array(rated.rows, dtype=np.int64))
    group_titles = [title_of(int(row)) for row in group_rows]
    both = set(mine) & set(group_titles)
    frame = pd.DataFrame(
        {
            "Rank": range(1, TOP_K + 1),
            "Your top 10": [f"{t} *" if t in both else t for t in mine],
            "Average of the group": [f"{t} *" if t in both else t for t in group_titles],
        }
    )
    return frame, n_users


def update_ratings(trigger, movie_id, stars, ratings) -> tuple[object, str]:
    """New ratings after an add, remove or clear, and a message; bad input keeps the old.

    The stored ratings and the new one are each checked once; stored ratings that fail the
    check count as none.

    Args:
        trigger: ``ctx.triggered_id``: ``"your-taste-add"``, ``"your-taste-clear"`` or a
            remove button's dict id ``{"type": ..., "movie": movie_id}``.
        movie_id, stars: the dropdown's and the star picker's values.
        ratings: the stored ``{movie_id: stars}`` (JSON keys are strings).

    Returns:
        ``(new ratings or no_update, message)``; re-rating a movie says "Updated".
    """
    if trigger == f"{PREFIX}-clear":
        return {}, "Your ratings are cleared."
    try:
        rated = read_ratings(ratings or {})
    except RatingError:
        rated = NO_RATINGS
    current = dict(zip(map(str, rated.movie_ids()), rated.stars, strict=True))
    if isinstance(trigger, dict):
        current.pop(str(trigger.get("movie")), None)
        return current, "Rating removed."
    if movie_id is None:
        return no_update, "Pick a movie first."
    try:
        (row,), _ = validate_ratings({str(movie_id): stars}, item_factors())
    except RatingError as error:
        return no_update, f"That rating was not added: {error}"
    key = str(int(item_factors().item_ids[row]))
    new = {**current, key: int(stars)}
    if len(new) > MAX_RATINGS:
        # The same words as validate_ratings, without checking the stored ratings again.
        return (
            no_update,
            f"That rating was not added: At most {MAX_RATINGS} ratings, got {len(new)}.",
        )
    verb = "Updated" if key in current else "Added"
    return new, f"{verb}: {title_of(int(row))}, {stars_text(int(stars))}."
