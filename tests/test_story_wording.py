"""Issue 9, items 7 and 8 without a browser: the reader's real ratings, and one way of
saying each kind of thing (plurals, ages, "any", formulas, number formats)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from dash import html

import app
from components import movie_why, rmse_by_rating, selection, user_trends, your_taste_lists
from components.box import walk
from components.selection_state import describe_user
from components.wording import age_phrase, count_text, formula, reader_name, stars_text
from core.artifacts import precomputed_dir
from models.split import unpack_mask

XIAO, TOY_STORY, BUFFY, WHOS_THAT_GIRL = 1680, 1, 3264, 3391


def _text(node) -> str:
    return "".join(part for part in walk(node) if isinstance(part, str))


@pytest.fixture(scope="module")
def page():
    return app.build_layout()


@pytest.fixture(scope="module")
def test_mask(movielens) -> np.ndarray:
    return unpack_mask(np.load(precomputed_dir() / "split.npy"), len(movielens.ratings))


def test_plurals_ages_and_names():
    assert [stars_text(n) for n in (1, 2, 5)] == ["1 star", "2 stars", "5 stars"]
    assert count_text(1850, "movie") == "1,850 movies" and count_text(1, "movie") == "1 movie"
    assert age_phrase("Under 18") == "aged under 18"
    assert age_phrase("56+") == "aged 56 or over"
    assert age_phrase("25-34") == "aged 25-34"
    assert reader_name(XIAO) == "Xiao (user 1680)" and reader_name(42) == "User 42"


def test_a_reader_under_18_is_not_aged_under_18_with_a_capital():
    """Issue 9, item 8: "aged Under 18"; MovieLens user 1 is a woman under 18."""
    assert describe_user(1).startswith("User 1: female, aged under 18, K-12 student, ")
    assert your_taste_lists.group_label("F", 1, -1) == "women aged under 18"
    assert (
        your_taste_lists.group_label("all", 56, 12) == "users aged 56 or over working as programmer"
    )


def test_xiaos_real_rating_of_toy_story_is_shown():
    """Issue 9, item 7: Box 7 said "not stored" for Xiao's 4 stars for Toy Story."""
    _, _, children = movie_why.movie_why_outputs(
        {"user": XIAO, "movie": TOY_STORY, "compare": WHOS_THAT_GIRL}
    )
    text = " ".join(_text(child) for child in children)
    assert "not stored" not in text
    table = children[0]
    rows = [
        [_text(cell) for cell in row.children] for row in walk(table) if isinstance(row, html.Tr)
    ]
    assert rows[0][1:] == ["Toy Story (1995)", "Who's That Girl? (1987)"]
    assert rows[-1] == ["User 1680", "4 ★", "5 ★"]
    assert text.endswith(
        "Xiao (user 1680) gave Toy Story (1995) 4 stars, 0.1 below its training mean (4.13), "
        "and Who's That Girl? (1987) 5 stars, 2.7 above its training mean (2.31)."
    )
    _, _, summary = user_trends.user_trends_outputs(
        {"user": XIAO, "movie": TOY_STORY, "compare": WHOS_THAT_GIRL}, "occupation"
    )
    assert summary.endswith("User 1680 gave it 4 stars.")


@pytest.mark.parametrize("user", [6040, 42])
def test_a_reader_who_did_not_rate_a_movie_is_told_so(user):
    _, _, children = movie_why.movie_why_outputs({"user": user, "movie": BUFFY, "compare": 3391})
    text = " ".join(_text(child) for child in children)
    assert f"User {user} has rated neither Buffy the Vampire Slayer (1992) nor Who's That " in text
    assert "not rated" in text and "not stored" not in text
    state = {"user": user, "movie": BUFFY, "compare": WHOS_THAT_GIRL}
    summary = user_trends.user_trends_outputs(state, "age")[2]
    assert summary.endswith(f"User {user} has not rated it.")


def test_every_rating_the_app_shows_is_the_archives(movielens):
    """The reader's stars in Boxes 6-8 are the archive's, training split included."""
    ratings = movielens.ratings
    for user in (XIAO, 42, 6040):
        mine = ratings[ratings["user_id"] == user].set_index("movie_id")["rating"]
        for movie, stars in mine.sample(20, random_state=user).items():
            assert movie_why.user_rating_of(user, int(movie)) == stars, (user, movie)
        unrated = next(m for m in (BUFFY, 1, 2, 3, 4, 5) if m not in mine.index)
        assert movie_why.user_rating_of(user, unrated) is None


def test_a_low_rating_that_pushes_a_movie_up_is_explained():
    """Issue 9, item 8: "Pushed up by your 1 star for Pretty Woman (+0.2)"."""
    movies = your_taste_lists.catalogue()
    row = int(np.flatnonzero(movies["movie_id"].to_numpy() == 597)[0])  # Pretty Woman
    assert your_taste_lists.title_of(row) == "Pretty Woman (1990)"
    text = your_taste_lists.explain([(row, 0.0, 0.2)], {row: 1})
    assert text.startswith("Pushed up by your ratings: 1 star for ")
    assert "(+0.2: you disliked it, and the model sees this movie as its opposite)" in text
    liked = your_taste_lists.explain([(row, 0.0, 0.4)], {row: 5})
    assert liked.endswith(" 5 stars for " + your_taste_lists.title_of(row) + " (+0.4).")


def test_any_reads_the_same_in_every_group_picker(page):
    labels = {
        option["label"]
        for node in walk(page)
        for option in (getattr(node, "options", None) or [])
        if isinstance(option, dict) and str(option.get("label", "")).lower().startswith("any")
    }
    assert labels == {"Any gender", "Any age", "Any occupation", "Any region"}
    assert selection.ANY_CHOICE["age_band"] == "Any age"


def test_box5_keeps_the_test_counts_with_no_model_checked(movielens, test_mask):
    """Issue 9, item 8: Box 5's "Test n" column vanished when no model was checked."""
    empty = rmse_by_rating.rmse_table([])
    assert list(empty.columns) == ["Rating", "Train share", "Test n"]
    stars = movielens.ratings["rating"].to_numpy()[test_mask]
    assert empty["Test n"].tolist() == [f"{int((stars == s).sum()):,}" for s in range(1, 6)]


def test_formulas_use_the_models_letters_with_real_subscripts(page):
    """Issue 9, item 8: ``w_u`` in one box, real subscripts in another; the models'
    docstrings write ``p_u . q_i + b_u + b_i``."""
    text = _text(page)
    assert "w_u" not in text and "p_u" not in text and "q_i" not in text
    formulas = [node for node in walk(page) if "formula" in str(getattr(node, "className", ""))]
    written = ["".join(_flat(node)) for node in formulas]
    assert "r̂(u, i) = p_u · q_i" in written
    assert "r̂(u, i) = 5.5 · σ(p_u · q_i + b_u + b_i)" in written
    parts = formula("p_u · q_i").to_plotly_json()["props"]["children"]
    assert [getattr(part, "children", part) for part in parts] == ["p", "u", " · q", "i"]
    assert [type(part) for part in parts] == [str, html.Sub, str, html.Sub]


def _flat(node) -> list[str]:
    """A formula's text with each subscript written back as ``_x``."""
    parts = []
    for child in node.children if isinstance(node.children, list) else [node.children]:
        parts.append(f"_{child.children}" if isinstance(child, html.Sub) else str(child))
    return parts


def test_one_number_format_per_table_in_box2(page):
    section = next(n for n in walk(page) if getattr(n, "id", None) == "mf-by-hand")
    cells = [n.children for n in walk(section) if "result-cell" in str(getattr(n, "className", ""))]
    assert len(cells) == 12 and all(len(cell.split(".")[1]) == 1 for cell in cells)


def test_no_number_meets_a_wrong_plural(page):
    """No "1 stars" in the page or in the hover templates of the figures."""
    payload = json.dumps(page.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert " 1 stars" not in payload and "%{x:.0f} stars" not in payload
