"""Box 9's callbacks: each of the reader's ratings is checked once per request."""

from __future__ import annotations

import pytest

from components import your_taste, your_taste_lists
from components.box import walk
from components.movie_search import movie_option

RATINGS = {"2571": 5, "260": 4, "2858": 1}


@pytest.fixture
def checks(monkeypatch):
    """Every mapping given to ``validate_ratings`` during a test."""
    seen = []
    validate = your_taste_lists.validate_ratings
    monkeypatch.setattr(
        your_taste_lists,
        "validate_ratings",
        lambda ratings, factors: seen.append(dict(ratings)) or validate(ratings, factors),
    )
    your_taste_lists.recommend_for.cache_clear()
    return seen


def _text(component) -> str:
    parts = component if isinstance(component, list) else [component]
    return " ".join(node for part in parts for node in walk(part) if isinstance(node, str))


def test_one_update_of_the_box_checks_the_ratings_once(checks):
    listed, results, compare = your_taste.your_taste_outputs(RATINGS, "F", 25, -1)
    assert checks == [RATINGS]
    assert [item.children[0].children for item in listed] == [
        "Matrix, The (1999)",
        "Star Wars: Episode IV - A New Hope (1977)",
        "American Beauty (1999)",
    ]
    assert "Calibrated to your 3 ratings" in _text(results)
    assert "The average of" in _text(compare) and "MovieLens women aged 25-34" in _text(compare)


def test_adding_a_rating_checks_the_stored_ones_and_the_new_one_once_each(checks):
    new, message = your_taste_lists.update_ratings("your-taste-add", 1, 3, RATINGS)
    assert new == {**RATINGS, "1": 3} and message == "Added: Toy Story (1995), 3 stars."
    assert checks == [RATINGS, {"1": 3}]


def test_the_group_changes_but_the_reader_is_folded_in_once(monkeypatch):
    your_taste_lists.recommend_for.cache_clear()
    folds = []
    fold = your_taste_lists.fold_in
    monkeypatch.setattr(
        your_taste_lists, "fold_in", lambda *args: folds.append(args[1]) or fold(*args)
    )
    for gender in ("F", "M", "all"):
        your_taste.your_taste_outputs(RATINGS, gender, 25, -1)
    assert len(folds) == 1


def test_a_full_store_refuses_one_more_rating():
    ids = [int(movie_id) for movie_id in your_taste_lists.catalogue()["movie_id"]]
    full = {str(movie_id): 4 for movie_id in ids[: your_taste_lists.MAX_RATINGS]}
    new, message = your_taste_lists.update_ratings("your-taste-add", ids[-1], 5, full)
    assert new is your_taste_lists.no_update
    assert message == "That rating was not added: At most 500 ratings, got 501."
    again, message = your_taste_lists.update_ratings("your-taste-add", ids[0], 2, full)
    assert again[str(ids[0])] == 2 and message.startswith("Updated: ")


def test_the_movie_picker_offers_a_few_titles_and_searches_the_rest():
    """Box 9's 3,706 titles stay on the server: 20 most rated, then what is typed."""
    first = your_taste_lists.movie_options()
    assert len(first) == your_taste_lists.FIRST_OPTIONS == 20
    assert first[0] == movie_option(2858, "American Beauty (1999)")
    typed = your_taste_lists.movie_options("alien")
    assert typed[0] == movie_option(1214, "Alien (1979)")
    assert all("alien" in option["label"].lower() for option in typed)
    # "the matrix" finds "Matrix, The (1999)", as Box 7's pickers do.
    assert your_taste_lists.movie_options("the matrix")[0]["value"] == 2571
    # The picker's own movie stays listed (its label would vanish otherwise) ...
    kept = your_taste_lists.movie_options("alien", chosen=3264)
    assert kept[-1] == movie_option(3264, "Buffy the Vampire Slayer (1992)")
    # ... but nothing else a forged request sends gets in.
    for chosen in (True, "3264", 10**30, [3264], None):
        assert your_taste_lists.movie_options("alien", chosen) == typed
    assert your_taste_lists.movie_options({"a": 1}) == first
