"""The one top-k of the project: highest score first, ties to the lower id.

A user's recommendations (Box 9), Box 6's model sets and the in-sample rows written for
them all rank this way, so the same scores always give the same list.
"""

from __future__ import annotations

import numpy as np

from core.vocabulary import TOP_K


def top_k_order(groups: np.ndarray, ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``int64[N]`` row order of every ranking: by group, highest score first, ties to the
    lower id, NaN scores last.

    Args:
        groups: ``int[N]`` group of each row (the user id).
        ids: ``int[N]`` id of each row (the movie id or item row).
        scores: ``float[N]`` scores (predicted stars).
    """
    scores = np.asarray(scores, dtype=np.float64)
    keys = -np.where(np.isnan(scores), -np.inf, scores)
    return np.lexsort((np.asarray(ids), keys, np.asarray(groups)))


def top_k_mask(groups: np.ndarray, ids: np.ndarray, scores: np.ndarray, k: int = TOP_K):
    """Which rows are among the ``k`` highest scores of their group: the one top-k.

    Every top list of the project (a user's recommendations, Box 6's sets, the ranking
    metrics' lists) ranks this way: highest score first, ties to the lower id.

    Args:
        groups: ``int[N]`` group of each row (the user id; all equal for one list).
        ids: ``int[N]`` id of each row (the movie id or item row), which breaks ties.
        scores: ``float[N]`` scores; NaN rows are never chosen.
        k: list length, ``>= 1``.

    Returns:
        ``bool[N]``; a group with fewer than ``k`` scored rows gets all of them.

    Raises:
        ValueError: misaligned inputs or ``k < 1``.
    """
    groups, ids = np.asarray(groups), np.asarray(ids)
    if not len(groups) == len(ids) == len(scores):
        raise ValueError("groups, ids and scores must have the same length")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    valid = ~np.isnan(np.asarray(scores, dtype=np.float64))
    order = top_k_order(groups, ids, scores)
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.arange(len(order)) - group_start
    mask = np.zeros(len(groups), dtype=bool)
    mask[order] = rank < k
    return mask & valid


def top_rows(predicted: np.ndarray, exclude: np.ndarray, n: int = TOP_K) -> np.ndarray:
    """Rows of the ``n`` highest predictions, best first (ties: lower row), skipping ``exclude``.

    One list of :func:`top_k_mask` (rows are ids: item rows follow sorted movie ids).

    Args:
        predicted: ``float[n_items]`` scores of every item row.
        exclude: ``int[m]`` item rows that may not be listed (the reader's rated movies).
        n: list length, ``>= 1``.

    Returns:
        ``int64[min(n, n_items - m)]`` item rows, best first.
    """
    scores = np.array(predicted, dtype=np.float64)
    scores[np.asarray(exclude, dtype=np.int64)] = np.nan
    rows = np.arange(len(scores))
    chosen = rows[top_k_mask(np.zeros(len(rows), dtype=np.int8), rows, scores, n)]
    return chosen[np.lexsort((chosen, -scores[chosen]))].astype(np.int64)
