"""Rating and ranking metrics, written out so each can be checked by hand.

All functions take numpy arrays (or anything ``np.asarray`` accepts), raise
:class:`ValueError` on empty, misaligned or non-finite input instead of dropping rows, and
return plain Python floats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.top_k import top_k_order


def _aligned(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    true = np.asarray(y_true, dtype=np.float64)
    pred = np.asarray(y_pred, dtype=np.float64)
    if true.shape != pred.shape or true.ndim != 1:
        raise ValueError(f"y_true {true.shape} and y_pred {pred.shape} must be equal 1-D shapes.")
    if true.size == 0:
        raise ValueError("Cannot score an empty set of predictions.")
    if not (np.isfinite(true).all() and np.isfinite(pred).all()):
        raise ValueError("Ratings and predictions must be finite (found NaN or inf).")
    return true, pred


def mse(y_true, y_pred) -> float:
    """Mean squared error, in squared stars: mean((y_pred - y_true)^2)."""
    true, pred = _aligned(y_true, y_pred)
    return float(np.mean((pred - true) ** 2))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error, in stars: sqrt(MSE)."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true, y_pred) -> float:
    """Mean absolute error, in stars: mean(|y_pred - y_true|)."""
    true, pred = _aligned(y_true, y_pred)
    return float(np.mean(np.abs(pred - true)))


def rating_metrics(y_true, y_pred) -> dict[str, float]:
    """``{"mse", "rmse", "mae", "n"}`` for one set of predictions."""
    true, pred = _aligned(y_true, y_pred)
    return {
        "mse": mse(true, pred),
        "rmse": rmse(true, pred),
        "mae": mae(true, pred),
        "n": true.size,
    }


def rmse_by_true_rating(y_true, y_pred) -> pd.DataFrame:
    """RMSE within each true star value.

    Returns:
        One row per star value present, sorted: columns ``rating`` (int), ``rmse``
        (float, stars), ``mean_error`` (float, mean of prediction - truth: negative means
        the model under-estimates), ``n`` (int).
    """
    true, pred = _aligned(y_true, y_pred)
    frame = pd.DataFrame({"rating": true.astype(int), "error": pred - true})
    grouped = frame.groupby("rating")["error"]
    return pd.DataFrame(
        {
            "rmse": np.sqrt(grouped.apply(lambda e: float(np.mean(e**2)))),
            "mean_error": grouped.mean(),
            "n": grouped.size(),
        }
    ).reset_index()


# --- Ranking metrics ------------------------------------------------------------------------
#
# Binary relevance: a movie is relevant to a user when the user's true rating is at least
# RELEVANT_RATING stars. Each user's candidates are that user's own test movies (a
# re-ranking protocol: the model orders movies whose true ratings are known), ranked by
# predicted rating, highest first; ties go to the lower movie id so rankings are
# deterministic. Rank r counts from 1.

#: Smallest true rating (stars) that makes a movie relevant.
RELEVANT_RATING = 4.0


def _relevance(ranked_relevance, k: int) -> np.ndarray:
    """Validate one user's relevance flags in ranked order; return them as float64."""
    relevance = np.asarray(ranked_relevance, dtype=np.float64)
    if relevance.ndim != 1 or relevance.size == 0:
        raise ValueError(f"Need a non-empty 1-D ranked relevance array, got {relevance.shape}.")
    if not np.isin(relevance, (0.0, 1.0)).all():
        raise ValueError("Relevance flags must be 0/1 (or booleans).")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    return relevance


def precision_at_k(ranked_relevance, k: int = 10) -> float:
    """Share of the top-k list that is relevant, in [0, 1].

    ``Precision@k = (relevant items in ranks 1..min(k, n)) / min(k, n)`` for a user with
    ``n`` ranked candidates: the list holds ``min(k, n)`` movies, and a user with fewer
    than ``k`` test movies is not penalised for the missing slots. Example: flags
    ``[1, 0, 1]`` with ``k = 2`` give ``1 / 2``.

    Args:
        ranked_relevance: ``bool`` or 0/1 array ``[n]``, one user's candidates ordered by
            predicted rating (best first); ``True`` = relevant.
        k: list length, >= 1.

    Raises:
        ValueError: empty or non-1-D input, flags other than 0/1, or ``k < 1``.
    """
    relevance = _relevance(ranked_relevance, k)
    top = relevance[:k]
    return float(top.sum() / top.size)


def recall_at_k(ranked_relevance, k: int = 10) -> float:
    """Share of the user's relevant items that reach the top-k list, in [0, 1].

    ``Recall@k = (relevant items in ranks 1..k) / (relevant items among all n)``.
    Example: flags ``[1, 0, 1]`` with ``k = 2`` give ``1 / 2``.

    Args:
        ranked_relevance: as :func:`precision_at_k`.
        k: list length, >= 1.

    Raises:
        ValueError: as :func:`precision_at_k`, or a user with no relevant item (recall is
            undefined: 0 / 0).
    """
    relevance = _relevance(ranked_relevance, k)
    n_relevant = relevance.sum()
    if n_relevant == 0:
        raise ValueError("Recall is undefined for a user with no relevant items.")
    return float(relevance[:k].sum() / n_relevant)


def ndcg_at_k(ranked_relevance, k: int = 10) -> float:
    """Normalised discounted cumulative gain of the top-k list, in [0, 1].

    ``DCG@k = sum_{r=1..min(k, n)} rel_r / log2(r + 1)`` (binary gains ``rel_r``, the
    discount of Jarvelin & Kekalainen 2002 in its common log2(r + 1) form);
    ``IDCG@k = sum_{r=1..min(k, R)} 1 / log2(r + 1)`` with ``R`` the user's relevant
    items, i.e. the DCG of a list with all relevant items first; ``NDCG@k = DCG / IDCG``.
    Example: flags ``[0, 1, 1]`` with ``k = 10``: ``DCG = 1/log2(3) + 1/log2(4) = 1.1309``,
    ``IDCG = 1 + 1/log2(3) = 1.6309``, NDCG = 0.6934.

    Args:
        ranked_relevance: as :func:`precision_at_k`.
        k: list length, >= 1.

    Raises:
        ValueError: as :func:`precision_at_k`, or a user with no relevant item (IDCG = 0).
    """
    relevance = _relevance(ranked_relevance, k)
    n_relevant = int(relevance.sum())
    if n_relevant == 0:
        raise ValueError("NDCG is undefined for a user with no relevant items (IDCG = 0).")
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    top = relevance[:k]
    dcg = float(top @ discount[: top.size])
    idcg = float(discount[: min(k, n_relevant)].sum())
    return dcg / idcg


RANKING_COLUMNS = ("user_id", "movie_id", "rating", "prediction")


def _check_ranking_frame(test: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in RANKING_COLUMNS if column not in test.columns]
    if missing:
        raise ValueError(f"The test frame lacks columns {missing}.")
    if len(test) == 0:
        raise ValueError("Cannot rank an empty set of test rows.")
    frame = test[list(RANKING_COLUMNS)]
    if frame.isna().any().any():
        raise ValueError("The test frame has missing values (misaligned predictions?).")
    if not np.isfinite(frame[["rating", "prediction"]].to_numpy(dtype=np.float64)).all():
        raise ValueError("Ratings and predictions must be finite.")
    if frame.duplicated(["user_id", "movie_id"]).any():
        raise ValueError("The test frame has a (user_id, movie_id) pair twice.")
    return frame


def top_k_lists(test: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """Each user's test rows ranked by prediction (best first, ties to the lower movie id).

    Args:
        test: columns ``user_id``, ``movie_id``, ``rating`` (stars), ``prediction``
            (stars), one row per (user, movie) pair.
        k: list length, >= 1.

    Returns:
        All rows of ``test`` sorted by user then rank, with a 1-based ``rank`` column
        (int64) and ``in_top_k`` (bool, ``rank <= k``).

    Raises:
        ValueError: empty input, missing columns, NaN or infinite values, duplicated
            pairs, or ``k < 1``.
    """
    frame = _check_ranking_frame(test)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    order = top_k_order(frame["user_id"], frame["movie_id"], frame["prediction"])
    ranked = frame.iloc[order].reset_index(drop=True)
    ranked["rank"] = ranked.groupby("user_id").cumcount().astype(np.int64) + 1
    ranked["in_top_k"] = ranked["rank"] <= k
    return ranked


def ranking_metrics(
    test: pd.DataFrame,
    train_counts: pd.Series,
    catalogue_size: int,
    k: int = 10,
    relevant_rating: float = RELEVANT_RATING,
) -> dict[str, float]:
    """Top-k quality, coverage and popularity of per-user rankings of the test movies.

    Every user in ``test`` gets a top-k list: their test movies ranked by prediction
    (:func:`top_k_lists`). Then:

    * ``precision_at_k``, ``recall_at_k``, ``ndcg_at_k``: means over the users who have at
      least one relevant test movie (true rating >= ``relevant_rating``). Users without
      one have undefined recall and NDCG; they are left out of all three means, so the
      three are over the same users, and counted in ``n_users_without_relevant``.
    * ``coverage``: distinct movies in all top-k lists / ``catalogue_size``, in [0, 1].
    * ``mean_popularity``: mean number of training ratings of the movies in the top-k
      lists, over all list entries of all users (a movie in 100 lists counts 100 times);
      a movie absent from ``train_counts`` counts 0 ratings.

    Args:
        test: columns ``user_id``, ``movie_id``, ``rating``, ``prediction`` (stars).
        train_counts: training ratings per movie, indexed by ``movie_id``, non-negative.
        catalogue_size: movies that have ratings in the dataset (3,706 for MovieLens 1M),
            >= 1 and at least the number of distinct recommended movies.
        k: list length, >= 1.
        relevant_rating: smallest relevant true rating, stars.

    Returns:
        ``{"precision_at_k", "recall_at_k", "ndcg_at_k", "coverage", "mean_popularity",
        "k", "n_users", "n_users_scored", "n_users_without_relevant"}``; the three means
        are NaN if no user has a relevant movie.

    Raises:
        ValueError: as :func:`top_k_lists`, or a bad ``catalogue_size`` or
            ``train_counts``.
    """
    ranked = top_k_lists(test, k)
    counts = pd.Series(train_counts)
    top = ranked[ranked["in_top_k"]]
    n_recommended = top["movie_id"].nunique()
    _check_catalogue(counts, catalogue_size, n_recommended)
    per_user, n_users = _per_user_scores(ranked, k, relevant_rating)
    n_scored = len(per_user["ndcg_at_k"])
    popularity = counts.reindex(top["movie_id"].to_numpy(), fill_value=0).to_numpy(np.float64)
    return {
        **{
            name: float(np.mean(values)) if values else float("nan")
            for name, values in per_user.items()
        },
        "coverage": n_recommended / catalogue_size,
        "mean_popularity": float(popularity.mean()),
        "k": int(k),
        "n_users": n_users,
        "n_users_scored": n_scored,
        "n_users_without_relevant": n_users - n_scored,
    }


def _check_catalogue(counts: pd.Series, catalogue_size: int, n_recommended: int) -> None:
    """Raise ``ValueError`` for bad training counts or a catalogue smaller than the lists."""
    if counts.index.has_duplicates or (counts < 0).any() or counts.isna().any():
        raise ValueError("train_counts must map unique movie ids to non-negative counts.")
    if catalogue_size < max(1, n_recommended):
        raise ValueError(
            f"catalogue_size {catalogue_size} is smaller than the {n_recommended} distinct "
            "recommended movies."
        )


def _per_user_scores(
    ranked: pd.DataFrame, k: int, relevant_rating: float
) -> tuple[dict[str, list[float]], int]:
    """Precision, recall and NDCG at ``k`` of every user with a relevant movie; all users.

    ``ranked`` is :func:`top_k_lists`' output (rows grouped by user, best first).
    """
    per_user: dict[str, list[float]] = {"precision_at_k": [], "recall_at_k": [], "ndcg_at_k": []}
    relevant = (ranked["rating"].to_numpy() >= relevant_rating).astype(np.float64)
    users = ranked["user_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    for flags in np.split(relevant, starts[1:]):
        if flags.any():
            per_user["precision_at_k"].append(precision_at_k(flags, k))
            per_user["recall_at_k"].append(recall_at_k(flags, k))
            per_user["ndcg_at_k"].append(ndcg_at_k(flags, k))
    return per_user, len(starts)
