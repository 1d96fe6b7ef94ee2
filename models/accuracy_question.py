"""The conclusion's numbers: does a better RMSE put more of a reader's 5-star movies on top?

Writes ``precomputed/conclusion.json`` (one small aggregate, no reader's rows except the
story reader's own counts), for every model with per-reader predictions
(:data:`core.vocabulary.READER_MODELS`):

``models``
    per model, on the test split: ``rmse``; ``mean`` and ``std`` of its predictions (the
    true ratings' own in ``true``); per true star 1 and 5, the ``rmse`` and ``mean``
    prediction on those ratings (does it still pull towards the average?).
``scopes``
    per Box 6 scope (``"test"``: each user's test-split movies; ``"all"``: every movie the
    user rated), Box 6's sets for every user exactly as Box 6 draws them: each model's
    top-10 of the user's movies by predicted stars (:func:`core.top_k.top_k_mask`, ties to
    the lower id) and the user's 5-star movies. Per model: ``mean_hits`` (5-star movies in
    the top-10), ``mean_precision`` (hits / list length), ``mean_recall`` (hits / 5-star
    movies, over users with at least one), ``share_with_hit`` and ``hits_histogram``
    (users with 0, 1, ..., 10 hits, over users with at least one 5-star movie). Per pair of
    models: the users for whom the second model has ``more``/``same``/``fewer`` hits than
    the first, and the mean ``shared`` movies of the two top-10s. ``random``: the same
    means for a random order of each user's movies (:func:`random_order`).
``story``
    the story reader's (user 1680) hits, list lengths, 5-star count and test RMSE per
    model and scope, and each model's prediction for the story movie (Buffy, rated 1).

Rebuilt by ``python -m models.pipeline`` (a writer of :data:`models.pipeline.WRITERS`) and
by ``python -m models.bayes_fm_export``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import numpy as np

from core.top_k import top_k_mask
from core.vocabulary import MODEL_ORDER, STORY_MOVIE, STORY_USER, TOP_K
from models.prepare import PreparedData

FILE = "conclusion.json"
#: Box 6's scopes, as its radio buttons name them.
SCOPES = ("test", "all")


def _rmse(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.asarray(predicted, np.float64) - truth) ** 2)))


def pull_to_average(truth: np.ndarray, predictions: np.ndarray) -> dict:
    """Spread and extreme-star errors of one model's test predictions (stars).

    Args:
        truth: ``float[n]`` true stars; predictions: ``float[n]`` predicted stars.
    """
    record = {
        "rmse": _rmse(truth, predictions),
        "mean": float(np.mean(predictions)),
        "std": float(np.std(predictions, ddof=1)),
    }
    for star in (1, 5):
        rows = truth == star
        record[f"star_{star}"] = {
            "n": int(rows.sum()),
            "rmse": _rmse(truth[rows], predictions[rows]),
            "mean": float(np.mean(predictions[rows])),
        }
    return record


def user_hits(
    users: np.ndarray, movies: np.ndarray, ratings: np.ndarray, scores: np.ndarray, n_users: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per user row: 5-star movies in the model's top-10, list length, and the top-10 mask.

    Args:
        users: ``int[N]`` user rows (0..n_users-1) of the candidate ratings.
        movies: ``int[N]`` movie ids (they break ties); ratings: ``float[N]`` true stars.
        scores: ``float[N]`` predicted stars.

    Returns:
        ``(hits int64[n_users], list_length int64[n_users], in_top bool[N])``.
    """
    in_top = top_k_mask(users, movies, scores, TOP_K)
    hits = np.bincount(users[in_top & (ratings == 5)], minlength=n_users)
    return hits, np.bincount(users[in_top], minlength=n_users), in_top


def random_order(n_candidates: np.ndarray, n_five: np.ndarray) -> dict:
    """Expected hits, precision and recall@10 if each user's movies were ordered at random.

    A top 10 drawn at random from ``n`` movies of which ``f`` are 5-star holds
    ``min(10, n) * f / n`` of them on average (hypergeometric mean): the bar a model's
    order has to clear, since most readers have few test movies.

    Args:
        n_candidates: ``int[n_users]`` movies per user in the scope; n_five: 5-star ones.
    """
    has_list, judged = n_candidates > 0, n_five > 0
    length = np.minimum(TOP_K, n_candidates)
    hits = np.where(has_list, length * n_five / np.maximum(n_candidates, 1), 0.0)
    return {
        "mean_hits": float(hits[has_list].mean()),
        "mean_precision": float((hits[has_list] / length[has_list]).mean()),
        "mean_recall": float((hits[judged] / n_five[judged]).mean()),
    }


def scope_summary(
    users: np.ndarray,
    movies: np.ndarray,
    ratings: np.ndarray,
    predictions: Mapping[str, np.ndarray],
    n_users: int,
) -> tuple[dict, dict]:
    """One scope's aggregate over users and the per-user arrays it came from.

    Returns:
        ``(summary, per_user)``: ``summary`` as the module docstring's ``scopes`` entry;
        ``per_user`` maps ``"n_five"`` and each model to ``(hits, list_length)``.
    """
    n_five = np.bincount(users[ratings == 5], minlength=n_users)
    has_list = np.bincount(users, minlength=n_users) > 0
    judged = n_five > 0  # recall and the hit histogram need a 5-star movie
    per_user, tops, models = {"n_five": n_five}, {}, {}
    for name, scores in predictions.items():
        hits, length, tops[name] = user_hits(users, movies, ratings, scores, n_users)
        per_user[name] = (hits, length)
        models[name] = {
            "mean_hits": float(hits[has_list].mean()),
            "mean_precision": float((hits[has_list] / length[has_list]).mean()),
            "mean_recall": float((hits[judged] / n_five[judged]).mean()),
            "share_with_hit": float((hits[judged] > 0).mean()),
            "hits_histogram": np.bincount(hits[judged], minlength=TOP_K + 1).tolist(),
        }
    pairs = {}
    for first, second in combinations(predictions, 2):
        difference = per_user[second][0][judged] - per_user[first][0][judged]
        shared = np.bincount(users[tops[first] & tops[second]], minlength=n_users)
        pairs[f"{first}|{second}"] = {
            "more": int((difference > 0).sum()),
            "same": int((difference == 0).sum()),
            "fewer": int((difference < 0).sum()),
            "mean_shared": float(shared[has_list].mean()),
        }
    summary = {
        "n_users": int(has_list.sum()),
        "n_users_with_five": int(judged.sum()),
        "models": models,
        "pairs": pairs,
        "random": random_order(np.bincount(users, minlength=n_users), n_five),
    }
    return summary, per_user


def conclusion_numbers(data: PreparedData, predictions: Mapping[str, np.ndarray]) -> dict:
    """The whole artifact (see the module docstring) from every rating's predictions.

    Args:
        data: the prepared ratings and split.
        predictions: model -> ``float32[N]`` predicted stars of every rating (any order:
            models, and pairs ``"first|second"``, follow :data:`MODEL_ORDER`).
    """
    predictions = {name: predictions[name] for name in MODEL_ORDER if name in predictions}
    test, rating = data.test_mask, data.rating.astype(np.float64)
    movies = data.movielens.ratings["movie_id"].to_numpy()
    rows_of_story = np.flatnonzero(data.user_ids == STORY_USER)  # absent from toy data
    story_row = int(rows_of_story[0]) if len(rows_of_story) else None
    payload = {
        "k": TOP_K,
        "true": {"mean": float(rating[test].mean()), "std": float(rating[test].std(ddof=1))},
        "models": {name: pull_to_average(rating[test], p[test]) for name, p in predictions.items()},
        "scopes": {},
        "story": {"user_id": STORY_USER, "movie_id": STORY_MOVIE, "scopes": {}},
    }
    for scope in SCOPES:
        rows = test if scope == "test" else np.ones_like(test)
        summary, per_user = scope_summary(
            data.user_index[rows],
            movies[rows],
            rating[rows],
            {name: p[rows] for name, p in predictions.items()},
            len(data.user_ids),
        )
        payload["scopes"][scope] = summary
        if story_row is None:
            continue
        payload["story"]["scopes"][scope] = {
            "n_five": int(per_user["n_five"][story_row]),
            "hits": {name: int(per_user[name][0][story_row]) for name in predictions},
            "list_length": {name: int(per_user[name][1][story_row]) for name in predictions},
        }
    story = (data.user_index == story_row) & test
    story_movie = story & (movies == STORY_MOVIE)
    payload["story"]["test_rmse"] = {
        name: _rmse(rating[story], p[story]) for name, p in predictions.items() if story.any()
    }
    payload["story"]["story_movie_prediction"] = {
        name: float(p[story_movie][0]) for name, p in predictions.items() if story_movie.any()
    }
    return payload


def write_conclusion(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`FILE` into ``stage`` from the reader models this run can score."""
    from models.user_views import venn_predictions  # user_views imports the records builder

    predictions = venn_predictions(data, models, stage)
    payload = conclusion_numbers(data, predictions)
    (stage / FILE).write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
    return [FILE]
