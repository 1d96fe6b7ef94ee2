"""Box 8: group aggregates against pandas on the real data."""

from __future__ import annotations

import pytest

from components import user_trends

GROUP_COLUMN = {"occupation": "occupation_name", "age": "age_band", "region": "region"}


@pytest.fixture(scope="module")
def joined(movielens):
    users = movielens.users.set_index("user_id")
    frame = movielens.ratings.join(users, on="user_id")
    frame["gender_label"] = frame["gender"].map({"F": "Female", "M": "Male"})
    return frame


@pytest.mark.parametrize("dimension", ["occupation", "age", "gender", "region"])
@pytest.mark.parametrize("movie", [0, 3264, 2858])
def test_groups_match_pandas(joined, dimension, movie):
    rows = joined[joined["occupation"] != 0] if dimension == "occupation" else joined
    column = GROUP_COLUMN.get(dimension, "gender_label")
    overall = rows.groupby(column)["rating"].agg(["size", "mean"])
    stats = user_trends.group_stats(dimension, movie).set_index("group")
    assert sorted(stats.index) == sorted(overall.index)
    assert stats["n_all"].to_dict() == overall["size"].to_dict()
    assert stats["mean_all"].to_numpy() == pytest.approx(
        overall["mean"].reindex(stats.index).to_numpy(), abs=1e-5
    )
    if movie:
        one = rows[rows["movie_id"] == movie].groupby(column)["rating"].agg(["size", "mean"])
        counts = one["size"].reindex(stats.index, fill_value=0)
        assert stats["n_movie"].to_dict() == counts.to_dict()
        seen = stats["n_movie"] > 0
        assert stats.loc[seen, "mean_movie"].to_numpy() == pytest.approx(
            one["mean"].reindex(stats.index[seen]).to_numpy(), abs=1e-5
        )


def test_occupation_zero_is_left_out():
    groups = user_trends.group_stats("occupation", 0)["group"].tolist()
    assert "other or not specified" not in groups and len(groups) == 20


def test_xiao_groups_are_highlighted_and_figure_is_small():
    state = {"user": 1680, "movie": 2858, "compare": 3391}
    for dimension in user_trends.DIMENSIONS:
        figure, _, _ = user_trends.user_trends_outputs(state, dimension)
        assert len(figure.to_json()) < 50_000
        labels = [note.text for note in figure.layout.annotations]
        assert sum(label.startswith("<b>▶") for label in labels) == 1
    assert user_trends.user_group(1680, "occupation") == "writer"
    assert "writer" in user_trends.user_trends_outputs(state, "occupation")[2]
    junk = user_trends.user_trends_outputs(state, "<script>")[0]
    assert junk.layout.annotations[0].text == "academic/educator"
