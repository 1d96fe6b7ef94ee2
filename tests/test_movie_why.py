"""Box 7: per-movie training histograms and means against pandas on the real split."""

from __future__ import annotations

import numpy as np
import pytest

from components import movie_why


@pytest.mark.parametrize("movie", [3264, 3391, 2858])
def test_histogram_matches_pandas_on_the_training_split(prepared, movie):
    ratings = prepared.movielens.ratings
    train = ratings[prepared.train_mask]
    mine = train.loc[train["movie_id"] == movie, "rating"]
    stats = movie_why.movie_stats(movie)
    expected = mine.value_counts().reindex([1, 2, 3, 4, 5], fill_value=0).tolist()
    assert stats["counts"] == expected
    assert stats["n_train"] == len(mine)
    assert stats["mean_train"] == pytest.approx(mine.mean(), abs=1e-5)
    test = ratings[prepared.test_mask]
    assert stats["n_test"] == int((test["movie_id"] == movie).sum())


def test_training_counts_are_close_to_the_article():
    assert movie_why.movie_stats(3264)["n_train"] == pytest.approx(465, abs=10)
    assert movie_why.movie_stats(3391)["n_train"] == pytest.approx(88, abs=5)


def test_model_means_are_over_the_movies_ratings(prepared):
    from components.venn_models import venn_models

    stats = movie_why.movie_stats(3264)
    assert set(stats["means"]) == set(venn_models()) & set(stats["means"])
    for value in stats["means"].values():
        assert 1 < value < 5


def test_xiao_rating_is_marked_and_figures_are_small():
    figure, _, _ = movie_why.movie_why_outputs({"user": 1680, "movie": 3264, "compare": 3391})
    names = [trace.name for trace in figure.data]
    assert any((name or "").startswith("User 1680's rating: 1") for name in names)
    assert movie_why.user_rating_of(1680, 3391) == 5
    for movie in (2858, 3264, 3391):
        _, big, _ = movie_why.movie_why_outputs({"user": 1, "movie": 3264, "compare": movie})
        assert len(big.to_json()) < 50_000


def test_mean_marks_are_distinct_and_labelled():
    """Issue 9 item 3: close means (Buffy: 3.10, 3.08, 3.08) each get a row and a label."""
    stats = movie_why.movie_stats(3264)
    figure = movie_why.make_movie_figure(stats, 1680, 1)
    rows = [trace for trace in figure.data if getattr(trace, "mode", None) == "markers+text"]
    labels = [trace.text[0] for trace in rows]
    expected = [f"training mean {stats['mean_train']:.2f}"] + [
        f"{movie_why.MODEL_LABELS[name]} {value:.2f}" for name, value in stats["means"].items()
    ]
    assert labels[: len(expected)] == expected
    heights = [trace.y[0] for trace in rows]
    assert len(set(heights)) == len(heights)  # one row each, the star on top
    assert max(heights) < figure.layout.yaxis.range[1]
    assert figure.layout.showlegend is False  # the labels replace the legend


def test_table_names_the_article_counts():
    views = [movie_why.movie_view(1680, movie) for movie in (3264, 3391)]
    table = movie_why.why_table(views, 1680)
    assert table["In the article"].tolist() == ["465", "88"]
    assert np.all(table["User 1680"] == ["1 ★", "5 ★"])
