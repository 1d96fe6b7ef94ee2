"""The conclusion's numbers: Box 6's sets summarised over readers, and how they are shown."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.artifacts import CONCLUSION, precomputed_dir
from core.vocabulary import STORY_USER
from models.accuracy_question import pull_to_average, scope_summary


def test_pull_to_average_by_hand():
    record = pull_to_average(np.array([1.0, 5, 5, 3]), np.array([2.0, 4, 4.5, 3]))
    assert record["rmse"] == pytest.approx(0.75)
    assert record["mean"] == pytest.approx(3.375)
    assert record["std"] == pytest.approx(np.sqrt(3.6875 / 3))
    assert record["star_1"] == pytest.approx({"n": 1, "rmse": 1.0, "mean": 2.0})
    assert record["star_5"] == pytest.approx({"n": 2, "rmse": np.sqrt(0.625), "mean": 4.25})


def test_scope_summary_by_hand():
    # User row 0 rated movies 1..12, 5 stars for 1-3; model "a" ranks movie 3 last, "b" first.
    # User row 1 rated movies 1 and 2 (1 and 2 stars): a list of 2 and no 5-star movie.
    users = np.r_[np.zeros(12, int), 1, 1]
    movies = np.r_[np.arange(1, 13), 1, 2]
    ratings = np.r_[5, 5, 5, np.full(9, 3), 1, 2].astype(float)
    rest = 4.0 - 0.1 * np.arange(9)
    scores = {
        "a": np.r_[5.0, 4.9, 1.0, rest, 3.0, 3.0],
        "b": np.r_[5.0, 4.9, 4.8, rest, 3.0, 3.0],
    }
    summary, per_user = scope_summary(users, movies, ratings, scores, n_users=2)
    assert (summary["n_users"], summary["n_users_with_five"]) == (2, 1)
    a, b = summary["models"]["a"], summary["models"]["b"]
    assert a["mean_hits"] == 1.0 and b["mean_hits"] == 1.5
    assert a["mean_precision"] == pytest.approx((2 / 10 + 0 / 2) / 2)
    assert b["mean_precision"] == pytest.approx((3 / 10 + 0 / 2) / 2)
    assert a["mean_recall"] == pytest.approx(2 / 3) and b["mean_recall"] == 1.0
    assert a["hits_histogram"] == [0, 0, 1] + [0] * 8
    assert summary["pairs"]["a|b"] == {"more": 1, "same": 0, "fewer": 0, "mean_shared": 5.5}
    assert per_user["a"][1].tolist() == [10, 2]  # list lengths


@pytest.fixture(scope="module")
def numbers():
    return json.loads((precomputed_dir() / CONCLUSION).read_text())


def test_story_numbers_are_box_6_sets(numbers):
    """The artifact's counts for Xiao are those of Box 6's own sets, in both scopes."""
    from components.venn_figure import FIVE_STARS
    from components.venn_rows import user_rows, venn_sets

    for scope in ("test", "all"):
        rows = user_rows(STORY_USER, scope)
        models = [name for name in numbers["models"] if name in rows.columns]
        sets = venn_sets(rows, models)
        story = numbers["story"]["scopes"][scope]
        assert story["n_five"] == len(sets[FIVE_STARS])
        for name in models:
            assert story["hits"][name] == len(sets[name] & sets[FIVE_STARS]), (scope, name)
            assert story["list_length"][name] == len(sets[name])


def test_conclusion_rmse_agrees_with_the_model_table(numbers):
    """Same test rows, same models: the table's figures come from the trained modules, the
    conclusion's from the served arrays (float16 weights: about 1e-5 stars apart)."""
    metrics = json.loads((precomputed_dir() / "metrics.json").read_text())
    assert {"embedding_mf", "deepfm", "bayes_fm"} <= set(numbers["models"])
    for name, record in numbers["models"].items():
        assert record["rmse"] == pytest.approx(metrics[name]["test"]["rmse"], abs=1e-4)
        by_rating = {row["rating"]: row for row in metrics[name]["test_rmse_by_rating"]}
        assert record["star_5"]["rmse"] == pytest.approx(by_rating[5]["rmse"], abs=1e-4)
        assert record["star_1"]["n"] == by_rating[1]["n"]


def test_conclusion_text_and_table_come_from_the_artifact(numbers):
    from components.accuracy_question import answer, summary_frame

    frame = summary_frame(numbers)
    row = frame.set_index("Model").loc["Bayesian FM"]
    assert row["Test RMSE"] == f"{numbers['models']['bayes_fm']['rmse']:.4f}"
    story = numbers["story"]["scopes"]["test"]
    assert row["Xiao: 5★ in top 10"] == f"{story['hits']['bayes_fm']} of {story['n_five']}"
    text = " ".join(str(child.children) for child in answer() if hasattr(child, "children"))
    assert f"{numbers['models']['bayes_fm']['std']:.2f}" in text
    assert f"{numbers['scopes']['test']['n_users_with_five']:,}" in text


def test_random_order_by_hand():
    from models.accuracy_question import random_order

    chance = random_order(np.array([20, 5, 0]), np.array([4, 1, 0]))
    # 20 movies, 4 five-star: a random 10 holds 2; 5 movies: all in the list, 1 hit.
    assert chance["mean_hits"] == pytest.approx(1.5)
    assert chance["mean_precision"] == pytest.approx((2 / 10 + 1 / 5) / 2)
    assert chance["mean_recall"] == pytest.approx((2 / 4 + 1) / 2)


def test_hits_table_shares_sum_to_one(numbers):
    from components.accuracy_question import hits_frame

    frame = hits_frame(numbers).set_index("Model")
    assert list(frame.columns) == ["0", "1", "2", "3", "4", "5", "6+"]
    for label, row in frame.iterrows():
        assert sum(float(cell.rstrip("%")) for cell in row) == pytest.approx(100, abs=0.4), label
    histogram = numbers["scopes"]["test"]["models"]["bayes_fm"]["hits_histogram"]
    zero = histogram[0] / sum(histogram)
    assert frame.loc["Bayesian FM", "0"] == f"{zero:.1%}"
