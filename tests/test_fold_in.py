"""Box 9's fold-in (core/scoring.py), its artifacts and its callback bodies.

The quality check uses the committed EmbeddingMF weights and every reader's test predictions
(the records the session builds from the archive, :mod:`models.reader_records`): a user folded
in from their training ratings should predict their test ratings about as well as the user
vector the model learned for them.
"""

from __future__ import annotations

import numpy as np
import pytest
from dash import no_update

from components.artifacts import read_array, read_json, read_table
from components.readers import reader_table
from components.your_taste_lists import (
    catalogue,
    compute_comparison,
    compute_your_taste,
    item_factors,
    read_ratings,
    update_ratings,
)
from core.records import TEST
from core.scoring import MAX_RATINGS, RatingError, fold_in, predict, recommend
from models.split import unpack_mask


@pytest.fixture(scope="module")
def factors():
    return item_factors()


def heaviest_test_users(n: int = 5) -> list[int]:
    """The ``n`` users with the most test ratings (ties: lower id first)."""
    counts = reader_table(TEST).groupby("user_id").size()
    return sorted(counts.index, key=lambda user: (-counts[user], user))[:n]


def fold_in_check(prepared, factors, user_id: int) -> tuple[float, float]:
    """``(trained-model RMSE, fold-in RMSE)`` on one user's test ratings.

    The split is the committed one (``split.npy``), the one the weights were trained on,
    which need not be the split of the current default seed.
    """
    committed_test = unpack_mask(read_array("split.npy"), len(prepared.rating))
    mine = prepared.user_index == np.searchsorted(prepared.user_ids, user_id)
    train, test = mine & ~committed_test, mine & committed_test
    fit = fold_in(factors, prepared.item_index[train], prepared.rating[train])
    folded = predict(factors, fit.vector, fit.bias)[prepared.item_index[test]]
    truth = prepared.rating[test]
    rows = reader_table(TEST).query("user_id == @user_id")
    trained = float(np.sqrt(np.mean((rows["embedding_mf"] - rows["rating"]) ** 2)))
    return trained, float(np.sqrt(np.mean((folded - truth) ** 2)))


@pytest.mark.parametrize("rank", range(5))
def test_fold_in_predicts_test_ratings_like_the_trained_user(prepared, factors, rank):
    user_id = heaviest_test_users()[rank]
    trained, folded = fold_in_check(prepared, factors, user_id)
    assert folded == pytest.approx(trained, abs=0.05), (user_id, trained, folded)


def test_parts_sum_to_the_solution(factors):
    rows = factors.rows_of(np.array([1, 260, 1196, 2571]))
    fit = fold_in(factors, rows, np.array([5.0, 4.0, 2.0, 1.0]))
    np.testing.assert_allclose(fit.parts.sum(axis=1), np.append(fit.vector, fit.bias))


def test_zero_ratings_give_the_cold_start_list(factors):
    fit, picks = recommend(factors, {})
    assert [pick.row for pick in picks] == factors.cold_start.tolist()
    assert not fit.vector.any() and fit.bias == 0 and all(not p.reasons for p in picks)
    frame, cold = compute_your_taste(read_ratings({}))
    assert cold and len(frame) == 10
    movies = catalogue().iloc[factors.cold_start]
    assert (
        movies["n_train"] >= read_json("embedding_mf_fold_in.json")["cold_start_min_ratings"]
    ).all()
    assert movies["mean_train"].is_monotonic_decreasing


def test_ratings_change_the_list_and_skip_rated_movies(factors):
    ratings = {"2571": 5, "260": 5, "1196": 5, "2858": 1}
    frame, cold = compute_your_taste(read_ratings(ratings))
    assert not cold and len(frame) == 10
    titles = set(catalogue().set_index("movie_id").loc[[2571, 260, 1196, 2858], "title"])
    assert not titles & set(frame["Movie"])
    assert frame["Why"].str.startswith(("Pushed up by your", "No single rating")).all()
    stars = frame["Predicted stars"].astype(float)
    assert stars.is_monotonic_decreasing and stars.between(0, 5.5).all()


@pytest.mark.parametrize(
    "ratings",
    [
        {"1": 0},
        {"1": 6},
        {"1": 3.5},
        {"1": "5"},
        {"1": True},
        {"1": None},
        {"99999": 4},
        {"51": 4},  # listed in movies.dat but never rated: not in the model
        {"Toy Story": 4},
        ["1", 5],
    ],
)
def test_invalid_ratings_are_refused(factors, ratings):
    with pytest.raises(RatingError):
        recommend(factors, ratings)


def test_at_most_500_ratings(factors):
    ids = [int(movie_id) for movie_id in catalogue()["movie_id"]]
    five_hundred = {str(movie_id): 1 + i % 5 for i, movie_id in enumerate(ids[:MAX_RATINGS])}
    _, picks = recommend(factors, five_hundred)
    assert len(picks) == 10
    with pytest.raises(RatingError, match="500"):
        recommend(factors, {**five_hundred, str(ids[MAX_RATINGS]): 3})


def test_update_keeps_the_last_good_state():
    start = {"1": 4}
    assert update_ratings("your-taste-add", 260, 5, start)[0] == {"1": 4, "260": 5}
    for movie_id, stars in ((260, 7), (99999, 3), (None, 3)):
        new, message = update_ratings("your-taste-add", movie_id, stars, start)
        assert new is no_update and message
    removed, _ = update_ratings({"type": "your-taste-remove", "movie": 1}, None, 4, start)
    assert removed == {}
    assert update_ratings("your-taste-clear", None, 4, start)[0] == {}


def test_group_comparison(factors):
    frame, n_users = compute_comparison(read_ratings({"2571": 5}), "F", 25, -1)
    assert n_users > 100 and len(frame) == 10
    with pytest.raises(LookupError):
        compute_comparison(read_ratings({}), "F", 1, 13)  # no retired women under 18 in MovieLens


def test_catalogue_and_group_artifacts(factors):
    movies = read_table("movies.parquet")
    # The one per-movie table: Box 9's catalogue and Box 7's histograms alike.
    assert {"movie_id", "title", "year", "n_train", "mean_train", "n_test"} <= set(movies.columns)
    assert len(movies) == 3706 and movies["movie_id"].dtype == np.int16
    assert movies["movie_id"].is_monotonic_increasing
    assert movies["title"].notna().all()
    counts = movies[[f"n_{star}" for star in range(1, 6)]].to_numpy()
    assert (counts.sum(axis=1) == movies["n_train"].to_numpy()).all()
    assert int(movies["n_train"].sum()) == 900_188
    rated = movies["n_train"] > 0
    assert movies.loc[rated, "mean_train"].between(1, 5).all()
    assert movies.loc[~rated, "mean_train"].isna().all()
    groups = read_table("embedding_mf_group_users.parquet")
    everyone = groups.query("gender == 'all' and age == 0 and occupation == -1")
    assert int(everyone["n_users"].iloc[0]) == 6040
    assert groups["n_users"].ge(1).all()
    vectors = np.stack(groups["user_embedding"].to_numpy())
    assert vectors.shape == (len(groups), factors.dim) and np.isfinite(vectors).all()
    settings = read_json("embedding_mf_fold_in.json")
    assert (
        settings["ridge_scale"]
        == min(settings["grid"], key=lambda g: g["rmse_vs_trained"])["ridge_scale"]
    )


def test_re_rating_a_movie_says_updated():
    new, message = update_ratings("your-taste-add", 260, 3, {"260": 5, "1": 4})
    assert new == {"260": 3, "1": 4}
    assert message.startswith("Updated: Star Wars") and message.endswith("3 stars.")
    new, message = update_ratings("your-taste-add", 260, 5, {"1": 4})
    assert new == {"1": 4, "260": 5} and message.startswith("Added: Star Wars")
