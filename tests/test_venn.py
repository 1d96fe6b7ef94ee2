"""Box 6: Venn set logic, region labels, dot and line geometry, figure size."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from components import venn, venn_figure, venn_geometry, venn_models, venn_rows, venn_table
from components.readers import reader_table
from components.venn_figure import FIVE_STARS
from core.records import INSAMPLE, TEST

MAX_FIGURE_BYTES = 50_000


@pytest.fixture
def hand_made():
    """Six movies of one imaginary user, with two models' guesses."""
    return pd.DataFrame(
        {
            "movie_id": [1, 2, 3, 4, 5, 6],
            "rating": [5, 5, 1, 3, 5, 2],
            "in_test": [True] * 6,
            "embedding_mf": [4.9, 4.8, 4.7, 1.0, 2.0, 3.0],
            "deepfm": [4.0, 1.0, 4.5, 4.6, 2.0, 1.0],
        }
    )


def test_sets_and_regions_of_a_hand_made_user(hand_made):
    sets = venn_rows.venn_sets(hand_made, ["embedding_mf", "deepfm"], k=2)
    assert sets == {"embedding_mf": {1, 2}, "deepfm": {3, 4}, FIVE_STARS: {1, 2, 5}}
    members = venn_geometry.region_members(sets)
    assert len(members) == 7
    assert members[(True, False, True)] == [1, 2]
    assert members[(False, True, False)] == [3, 4]
    assert members[(False, False, True)] == [5]
    assert members[(True, True, True)] == []
    assert sum(len(movies) for movies in members.values()) == 5


def test_ties_go_to_the_lower_id_and_nan_never_ranks():
    rows = pd.DataFrame(
        {"movie_id": [9, 3, 7], "rating": [4, 4, 4], "embedding_mf": [4.0, 4.0, np.nan]}
    )
    assert venn_rows.venn_sets(rows, ["embedding_mf"], k=1)["embedding_mf"] == {3}
    assert venn_rows.venn_sets(rows, ["embedding_mf"], k=5)["embedding_mf"] == {3, 9}


def test_error_line_length_is_proportional_and_zero_without_error():
    assert venn_geometry.error_segment(0.2, 0.3, 4, 4.0, "embedding_mf") == (0.2, 0.3, 0.2, 0.3)
    x0, y0, x1, y1 = venn_geometry.error_segment(0.0, 0.0, 1, 3.0, "deepfm")
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(2 * venn_geometry.ERROR_SCALE)
    x0, _, x1, _ = venn_geometry.error_segment(0.0, 0.0, 5, 3.0, "embedding_mf")
    assert x1 < x0  # EmbeddingMF's line points left, DeepFM's right


@pytest.mark.parametrize("n_sets", [2, 3])
def test_dots_sit_inside_their_region(n_sets):
    centres = venn_geometry.circle_centres(n_sets)
    for pattern in venn_geometry.all_regions(n_sets):
        for x, y in venn_geometry.dot_positions(pattern, centres, 25):
            inside = tuple(math.hypot(x - cx, y - cy) < venn_geometry.RADIUS for cx, cy in centres)
            assert inside == pattern


@pytest.mark.parametrize("n_sets", [2, 3])
def test_slots_of_all_regions_keep_tap_distance_apart(n_sets):
    """Any two dots, in one region or two, are >= 0.375 radius apart (~34 px at 375 px)."""
    centres = venn_geometry.circle_centres(n_sets)
    slots = np.array(
        [
            slot
            for p in venn_geometry.all_regions(n_sets)
            for slot in venn_geometry.region_slots(p, centres)
        ]
    )
    gaps = np.hypot(*(slots[:, None, :] - slots[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() == pytest.approx(math.hypot(0.25, 0.28), abs=1e-3)
    # Every region has room; the small overlaps of three circles hold at least 3 dots.
    sizes = [len(venn_geometry.region_slots(p, centres)) for p in venn_geometry.all_regions(n_sets)]
    assert min(sizes) >= 3


def test_error_lines_stay_within_half_a_column():
    _, _, x1, _ = venn_geometry.error_segment(0.0, 0.0, 1, 5.9, "deepfm")
    assert x1 == pytest.approx(venn_geometry.ERROR_SCALE * venn_geometry.MAX_ERROR_STARS)
    # Two neighbours' facing lines (the right one's left line, the left one's right) never meet.
    assert 2 * x1 < venn_geometry.COLUMN_PITCH - 0.05


def _figure_for(frame, sets):
    return venn_figure.make_venn_figure(frame, sets, "test")


def test_three_circles_stay_circles_and_all_seven_regions_are_labelled(hand_made):
    sets = venn_rows.venn_sets(hand_made, ["embedding_mf", "deepfm"], k=2)
    members = venn_geometry.region_members(sets)
    centres = venn_geometry.circle_centres(3)
    rows = []
    by_movie = hand_made.set_index("movie_id")
    for pattern, movies in members.items():
        for movie, (x, y) in zip(
            movies, venn_geometry.dot_positions(pattern, centres, len(movies)), strict=True
        ):
            rows.append(
                {
                    **by_movie.loc[movie].to_dict(),
                    "movie_id": movie,
                    "region": pattern,
                    "shown": True,
                    "x": x,
                    "y": y,
                }
            )
    frame = pd.DataFrame(rows)
    frame["movie_id"] = [1617] * len(frame)  # titles with dots must render
    figure = _figure_for(frame, sets)
    layout = figure.layout
    assert layout.yaxis.scaleanchor == "x" and layout.yaxis.scaleratio == 1
    circles = [shape for shape in layout.shapes if shape.type == "circle"]
    assert len(circles) == 3
    assert {round(c.x1 - c.x0, 6) for c in circles} == {round(c.y1 - c.y0, 6) for c in circles}
    titles = [a.text for a in layout.annotations]
    assert titles[0] == "<b>EmbeddingMF</b><br>top-10 · 2 movies"
    assert [t.split("·")[-1].strip() for t in titles] == ["2 movies", "2 movies", "3 movies"]
    assert layout.showlegend is False  # the key is HTML (components.venn_legend)


def test_a_user_without_five_star_test_ratings_shows_zeros():
    frame = reader_table(TEST)
    fives = frame.groupby("user_id")["rating"].max()
    user = int(fives[fives < 5].index[0])
    rows, sets, _ = venn_rows.diagram_rows(user, "test", ())
    assert sets[FIVE_STARS] == set()
    figure = venn_figure.make_venn_figure(rows, sets, "test")
    titles = [a.text for a in figure.layout.annotations]
    assert titles[-1] == "<b>Rated</b><br>5 stars · 0 movies"


def test_xiao_sees_buffy_rated_one_and_who_is_that_girl_rated_five():
    rows, sets, _ = venn_rows.diagram_rows(1680, "test", (3391, 3264))
    buffy = rows[rows["movie_id"] == 3264].iloc[0]
    girl = rows[rows["movie_id"] == 3391].iloc[0]
    assert buffy["rating"] == 1 and girl["rating"] == 5
    for model in venn_models.venn_models():
        assert 0 < buffy[model] < 5.5
    figure = venn_figure.make_venn_figure(rows, sets, "test").to_plotly_json()
    hover = [text for trace in figure["data"] for text in (trace.get("hovertext") or [])]
    assert any("Buffy the Vampire Slayer" in text and "True rating: 1" in text for text in hover)


@pytest.mark.parametrize("scope", ["test", "all"])
def test_figures_stay_small_for_the_busiest_users(scope):
    frame = reader_table(INSAMPLE if scope == "all" else TEST)
    busiest = frame[frame["rating"] == 5].groupby("user_id").size().nlargest(2).index.tolist()
    for user in [1680, *busiest]:
        rows, sets, _ = venn_rows.diagram_rows(int(user), scope, (3264, 2858))
        focus = int(rows["movie_id"].iloc[0])
        figure = venn_figure.make_venn_figure(rows, sets, scope, focus=focus)
        assert len(figure.to_json()) < MAX_FIGURE_BYTES
        # A region hides movies only when its slots are full, and keeps one for "+N".
        centres = venn_geometry.circle_centres(len(sets))
        for pattern, part in rows[rows["region"].notna()].groupby("region", sort=False):
            slots = len(venn_geometry.region_slots(pattern, centres))
            shown = int(part["shown"].sum())
            assert shown == (len(part) if len(part) <= slots else slots - 1)
        table = venn_table.venn_table(rows, list(sets), "region")
        assert len(table) == len(rows)  # every movie listed, drawn or not
        assert (table["Drawn as"] != "dot").sum() == (~rows["shown"]).sum()


def test_some_users_have_a_top_ten_that_overlaps_their_five_stars():
    counts = venn_rows.overlap_count()
    print(f"users with top-10 ∩ 5 stars non-empty (test split): {counts}")
    assert counts and all(count > 0 for count in counts.values())


def test_callbacks_answer_for_la_confidential_and_unknown_focus():
    state = {"user": 1680, "movie": 1617, "compare": 3391}
    options, summary, *_ = venn.venn_overview(state, "test")
    assert all(isinstance(option["value"], int) for option in options)
    assert summary.startswith("User 1680: ")
    assert venn.venn_picture(state, "all", 999_999)[1].startswith("Pick a movie")
    table = venn.venn_listing(state, "weird", "nonsense")
    table = table[0] if isinstance(table, list) else table
    assert table.children[0].children.startswith("Movies of user 1680")
    figure, details = venn.venn_picture(state, "test", options[0]["value"])
    assert len(figure.to_json()) < MAX_FIGURE_BYTES
    assert any(str(trace.name).startswith("Selected: ") for trace in figure.data)
    assert details.startswith(f"{options[0]['label']}: rated ")


def test_the_three_callbacks_of_one_change_build_the_rows_once(monkeypatch):
    calls = []
    rows_of = venn_rows.user_rows
    monkeypatch.setattr(venn_rows, "user_rows", lambda *args: calls.append(args) or rows_of(*args))
    state = {"user": 2, "movie": 1617, "compare": 2858}
    venn.venn_overview(state, "all")
    venn.venn_picture(state, "all", 1617)
    venn.venn_listing(state, "all", "rating")
    assert calls == [(2, "all")]


def test_box_seven_movies_are_always_drawn_even_in_crowded_regions():
    rows, _, _ = venn_rows.diagram_rows(1680, "all", (3391, 3264))
    spots = rows[rows["movie_id"].isin([3391, 3264])]
    assert len(spots) == 2 and spots["shown"].all()


def _story(user: int, movie: int, scope: str = "test") -> str:
    from components.box import walk

    state = {"user": user, "movie": movie, "compare": 3391}
    _, _, story, *_ = venn.venn_overview(state, scope)
    return "".join(node for part in story for node in walk(part) if isinstance(node, str))


def test_xiao_story_quotes_the_held_out_buffy_predictions():
    row = venn_rows.known_rating(1680, 3264)
    assert row["rating"] == 1 and row["in_test"]
    text = _story(1680, 3264)
    assert text.startswith("Xiao (user 1680) and Buffy the Vampire Slayer (1992). ")
    assert "gave it 1 star; that rating is in the test split, so the models never saw it" in text
    for name in venn_models.venn_models():
        assert f"{row[name]:.1f}" in text
    rows, sets, _ = venn_rows.diagram_rows(1680, "test", (3264, 3391))
    inside = [name for name, movies in sets.items() if 3264 in movies]
    # Where the sentence says Buffy is drawn is where the diagram draws it.
    if inside:
        assert "It is in " in text and "drawn under the circles" not in text
    else:
        assert "It is in none of the sets, so it is drawn under the circles" in text
        assert rows.loc[rows["movie_id"] == 3264, "region"].isna().all()


@pytest.mark.parametrize("user", [6040, 42])
def test_the_story_follows_a_reader_who_never_rated_buffy(user):
    """Issue 9, item 6: at user 6040 Box 6 said Buffy "is drawn under the circles"."""
    assert venn_rows.known_rating(user, 3264) is None
    text = _story(user, 3264)
    assert text.startswith(f"User {user} and Buffy the Vampire Slayer (1992). ")
    assert "has not rated it, so it has no dot here" in text
    assert "under the circles" not in text and "Xiao" not in text
    rows, _, _ = venn_rows.diagram_rows(user, "test", (3264, 3391))
    assert 3264 not in set(rows["movie_id"])


def test_the_story_follows_a_movie_the_reader_rated_in_training():
    """Xiao's 4 stars for Toy Story are a training rating: real, and said to be one."""
    text = _story(1680, 1)
    assert "Xiao (user 1680) gave it 4 stars; that rating is in the training split" in text
    text_all = _story(1680, 1, "all")
    rows, sets, _ = venn_rows.diagram_rows(1680, "all", (1, 3391))
    in_sets = [name for name, movies in sets.items() if 1 in movies]
    assert ("It is in none of the sets" in text_all) == (not in_sets)


@pytest.mark.parametrize("user", [1680, 6040, 42])
def test_summary_counts_the_readers_own_movies(user):
    from components.readers import user_slice
    from core.records import INSAMPLE, TEST

    for scope, table in (("test", TEST), ("all", INSAMPLE)):
        _, summary, *_ = venn.venn_overview({"user": user, "movie": 3264, "compare": 3391}, scope)
        rows = user_slice(table, user)
        n_five = int((rows["rating"] == 5).sum())
        assert summary.startswith(f"User {user}: rated {len(rows):,} movies ")
        assert f", {n_five} of them with 5 stars." in summary
        assert "stored" not in summary and "in-sample" not in summary
    # "all" holds every rating the reader gave: the profile's count.
    from components.readers import profiles

    assert len(user_slice(INSAMPLE, user)) == int(profiles().at[user, "n_ratings"])
