"""Box 6's rows: one reader's candidate movies, the diagram's sets, each movie's region
and position (:class:`Diagram`), built once per reader, scope, Box 7's movies and models.

:mod:`components.venn` lays the box out and answers its callbacks from these rows; the
layout maths lives in :mod:`components.venn_geometry`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from components.artifacts import ArtifactError
from components.readers import on_clear, reader_table, user_slice
from components.venn_figure import FIVE_STARS
from components.venn_geometry import (
    circle_centres,
    dot_positions,
    outside_positions,
    region_members,
    shown_count,
)
from components.venn_models import venn_models
from core.records import INSAMPLE, TEST
from core.top_k import top_k_mask
from core.vocabulary import TOP_K


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


def diagram_rows(
    user: int, scope: str, spotlight: tuple[int, ...], models: tuple[str, ...] | None = None
) -> Diagram:
    """The rows of every movie drawn for a user, with region and position (:class:`Diagram`).

    Built once per (user, scope, spotlight, models) and cached (64 entries); read-only.

    Args:
        user: a known user id; scope: ``"test"`` or ``"all"`` (see :func:`user_rows`);
        spotlight: Box 7's movie ids, drawn first in their regions or under the circles;
        models: the circles' models (default :func:`components.venn_models.venn_models`:
            EmbeddingMF and DeepFM).
    """
    with _BUILDING:
        return _build_diagram(user, scope, spotlight, tuple(models or venn_models()))


@lru_cache(maxsize=64)
def _build_diagram(
    user: int, scope: str, spotlight: tuple[int, ...], models: tuple[str, ...]
) -> Diagram:
    models = list(models)
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
