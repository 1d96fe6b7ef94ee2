"""Ranking metrics of models.evaluate against hand computations on tiny inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from models.evaluate import (
    ndcg_at_k,
    precision_at_k,
    ranking_metrics,
    recall_at_k,
    top_k_lists,
)


def test_precision_counts_relevant_items_in_the_list():
    assert precision_at_k([1, 0, 1, 1], k=2) == pytest.approx(1 / 2)
    assert precision_at_k([True, False, True, True], k=4) == pytest.approx(3 / 4)
    # Three candidates, k = 10: the list has 3 slots, not 10.
    assert precision_at_k([1, 0, 1], k=10) == pytest.approx(2 / 3)
    assert precision_at_k([0, 0, 0], k=10) == 0.0


def test_recall_divides_by_all_relevant_items():
    assert recall_at_k([1, 0, 1, 1], k=2) == pytest.approx(1 / 3)
    assert recall_at_k([0, 0, 0, 1], k=3) == 0.0
    assert recall_at_k([0, 1, 0], k=10) == 1.0


def test_ndcg_worked_example():
    # Flags in ranked order [0, 1, 1, 0, 1], k = 10 (all five ranks in the list):
    #   DCG  = 1/log2(3) + 1/log2(4) + 1/log2(6)
    #        = 0.63093 + 0.5 + 0.38685 = 1.51778
    #   IDCG = three relevant items at ranks 1..3 = 1/log2(2) + 1/log2(3) + 1/log2(4)
    #        = 1 + 0.63093 + 0.5 = 2.13093
    #   NDCG = 1.51778 / 2.13093 = 0.71226
    assert ndcg_at_k([0, 1, 1, 0, 1], k=10) == pytest.approx(0.71226, abs=1e-5)


def test_ndcg_cuts_the_list_and_caps_the_ideal_at_k():
    # k = 2: DCG = 1/log2(3); IDCG over min(k, 3 relevant) = 2 ranks = 1 + 1/log2(3).
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([0, 1, 1, 1], k=2) == pytest.approx(expected)
    assert ndcg_at_k([1, 1, 0, 0], k=2) == pytest.approx(1.0)
    assert ndcg_at_k([0, 0, 1], k=2) == 0.0


@pytest.mark.parametrize("metric", [recall_at_k, ndcg_at_k])
def test_user_without_relevant_items_is_undefined(metric):
    with pytest.raises(ValueError, match="no relevant"):
        metric([0, 0], k=10)


@pytest.mark.parametrize("metric", [precision_at_k, recall_at_k, ndcg_at_k])
@pytest.mark.parametrize(
    ("flags", "k"), [([], 10), ([[1, 0]], 10), ([1, 2], 10), ([1, 0], 0), ([1, 0], 1.5)]
)
def test_per_user_metrics_reject_bad_input(metric, flags, k):
    with pytest.raises(ValueError):
        metric(flags, k=k)


def toy_frame() -> pd.DataFrame:
    """Three users; user 3 has no relevant movie (all true ratings < 4)."""
    return pd.DataFrame(
        {
            "user_id": [1, 1, 1, 2, 2, 3, 3],
            "movie_id": [10, 20, 30, 10, 40, 20, 50],
            "rating": [5, 2, 4, 3, 4, 1, 3],
            "prediction": [3.0, 4.5, 4.0, 2.0, 2.0, 4.0, 3.5],
        }
    )


def test_top_k_lists_rank_by_prediction_with_ties_to_the_lower_movie_id():
    ranked = top_k_lists(toy_frame(), k=2)
    assert ranked["movie_id"].tolist() == [20, 30, 10, 10, 40, 20, 50]
    assert ranked["rank"].tolist() == [1, 2, 3, 1, 2, 1, 2]
    assert ranked["in_top_k"].tolist() == [True, True, False, True, True, True, True]


def test_ranking_metrics_on_a_toy():
    counts = pd.Series({10: 100, 20: 50, 30: 10, 40: 1})  # movie 50 has no training rating
    result = ranking_metrics(toy_frame(), counts, catalogue_size=8, k=2)
    # User 1 ranks 20 (2 stars), 30 (4), 10 (5): flags [0, 1, 1]; top-2 = [0, 1].
    #   P@2 = 1/2, R@2 = 1/2, NDCG@2 = (1/log2 3) / (1 + 1/log2 3) = 0.38685.
    # User 2 ranks 10 (3), 40 (4) (tie at 2.0, lower id first): flags [0, 1].
    #   P@2 = 1/2, R@2 = 1, NDCG@2 = (1/log2 3) / 1 = 0.63093.
    # User 3 has no relevant movie: left out of the three means.
    assert result["precision_at_k"] == pytest.approx(0.5)
    assert result["recall_at_k"] == pytest.approx(0.75)
    assert result["ndcg_at_k"] == pytest.approx((0.38685 + 0.63093) / 2, abs=1e-5)
    assert (result["n_users"], result["n_users_scored"], result["n_users_without_relevant"]) == (
        3,
        2,
        1,
    )
    # Top-2 lists: {20, 30}, {10, 40}, {20, 50}: 5 distinct movies of 8.
    assert result["coverage"] == pytest.approx(5 / 8)
    # Popularity over the 6 entries: 50 + 10 + 100 + 1 + 50 + 0 = 211.
    assert result["mean_popularity"] == pytest.approx(211 / 6)
    assert result["k"] == 2


def test_ranking_metrics_with_no_relevant_user_gives_nan_means():
    frame = toy_frame()
    frame = frame[frame["user_id"] == 3]
    result = ranking_metrics(frame, pd.Series({20: 3}), catalogue_size=5)
    assert math.isnan(result["ndcg_at_k"])
    assert result["n_users_without_relevant"] == 1
    assert result["coverage"] == pytest.approx(2 / 5)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda f: f.iloc[0:0],
        lambda f: f.drop(columns="prediction"),
        lambda f: f.assign(prediction=f["prediction"].where(f.index != 2)),
        lambda f: f.assign(prediction=np.inf),
        lambda f: pd.concat([f, f.iloc[[0]]]),
    ],
    ids=["empty", "missing-column", "nan-prediction", "inf-prediction", "duplicate-pair"],
)
def test_ranking_metrics_reject_empty_or_misaligned_frames(mangle):
    with pytest.raises(ValueError):
        ranking_metrics(mangle(toy_frame()), pd.Series({10: 1}), catalogue_size=10)


def test_ranking_metrics_reject_bad_counts_and_catalogue():
    frame = toy_frame()
    with pytest.raises(ValueError, match="catalogue_size"):
        ranking_metrics(frame, pd.Series({10: 1}), catalogue_size=3, k=2)
    with pytest.raises(ValueError, match="train_counts"):
        ranking_metrics(frame, pd.Series({10: -1}), catalogue_size=10)
    with pytest.raises(ValueError, match="k must"):
        ranking_metrics(frame, pd.Series({10: 1}), catalogue_size=10, k=0)
