"""Box 3 (movie night): the Python reference of the toy numbers, input sanitizing, and the
box's wiring (browser-only callbacks). What the browser shows: test_browser_toys.py."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from components import movie_night
from components.box import walk
from components.movie_night import AVERAGE_LABEL, page_texts
from components.toy_mf import compute_movie_night, sanitize_factor

MOVIES = ("Zombieland", "Modern Times", "The Grudge")

# ARTICLE.md, Box 3 (exact to two decimals).
DEFAULT_EXPECTED = {
    "Anna": ["2.80", "3.50", "3.10"],
    "Jonny": ["2.30", "3.60", "1.20"],
    "Kimi": ["3.00", "2.90", "4.90"],
    "You": ["2.50", "3.00", "3.00"],
    AVERAGE_LABEL: ["2.65", "3.25", "3.05"],
}


def _shown(values) -> list[str]:
    return [f"{v:.2f}" for v in values]


def test_defaults_match_the_article():
    result = compute_movie_night(0.5, 0.5)
    assert result.movies == MOVIES
    assert list(result.predictions) == ["Anna", "Jonny", "Kimi", "You"]
    for person, values in result.predictions.items():
        assert _shown(values) == DEFAULT_EXPECTED[person]
    assert _shown(result.averages) == DEFAULT_EXPECTED[AVERAGE_LABEL]


def test_comedy_lover_changes_the_average():
    """Issue 8's example: comedy 0.9, horror 0.1 (You: 2.9 / 4.6 / 1.4)."""
    result = compute_movie_night(0.9, 0.1)
    assert _shown(result.averages) == ["2.75", "3.65", "2.65"]
    assert _shown(result.predictions["You"]) == ["2.90", "4.60", "1.40"]


def test_average_rounds_half_up():
    """Modern Times with You at (0.8, 0.5): (3.5 + 3.6 + 2.9 + 4.5) / 4 = 3.625 -> 3.63.

    Float formatting (and pandas' ``round``) rounds that half to even: 3.62.
    """
    assert f"{(3.5 + 3.6 + 2.9 + (0.8 * 5 + 0.5 * 1)) / 4:.2f}" == "3.62"
    result = compute_movie_night(0.8, 0.5)
    assert result.averages[1] == Decimal("3.63")
    assert _shown(result.averages) == ["2.88", "3.63", "3.13"]


@pytest.mark.parametrize(
    ("you", "best"),
    [((0.5, 0.5), "Modern Times"), ((0.9, 0.1), "Modern Times"), ((0.0, 1.0), "The Grudge")],
)
def test_best_movie(you, best):
    assert compute_movie_night(*you).best == best


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, None, "0.5", True])
def test_compute_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        compute_movie_night(bad, 0.5)


def test_page_texts_name_every_cell_and_the_verdict():
    texts = page_texts(compute_movie_night(0.9, 0.1))
    assert texts["movie-night-cell-0-0"] == "2.80"  # Anna, Zombieland
    assert texts["movie-night-cell-3-1"] == "4.60"  # You, Modern Times
    assert [texts[f"movie-night-average-{j}"] for j in range(3)] == [
        "2.75",
        "3.65 (best)",
        "2.65",
    ]
    assert texts["movie-night-verdict"] == (
        "Best pick for the group: Modern Times, with a predicted average of 3.65."
    )
    assert len(texts) == 4 * 3 + 3 + 1


@pytest.mark.parametrize(
    ("value", "last_good", "expected"),
    [
        (None, 0.3, 0.3),  # cleared number box
        (99, 0.3, 1.0),  # typed far too much: clamp
        (-1, 0.3, 0.0),  # below the range: clamp
        ("abc", 0.3, 0.3),  # not a number
        ("0.7", 0.3, 0.7),  # numeric string
        (math.nan, 0.3, 0.3),
        (math.inf, 0.3, 0.3),
        (True, 0.3, 0.3),
        (0.9, 0.3, 0.9),
        (0, 0.3, 0.0),
        (1, 0.3, 1.0),
        (0.30000000000000004, 0.5, 0.3),
        (0.125, 0.5, 0.13),  # half up, not Python's round() (0.12)
    ],
)
def test_sanitize_factor(value, last_good, expected):
    assert sanitize_factor(value, last_good) == expected


@pytest.mark.parametrize("last_good", [None, 2, -0.5, "0.5", math.nan])
def test_sanitize_factor_rejects_bad_fallback(last_good):
    with pytest.raises(ValueError):
        sanitize_factor(0.5, last_good)


def test_layout_has_every_output_the_browser_fills():
    ids = {getattr(c, "id", None) for c in walk(movie_night.layout())}
    assert set(page_texts(compute_movie_night(0.5, 0.5))) <= ids
    assert {
        "movie-night-status",
        "movie-night-output",
        "movie-night-caption-state",
        "movie-night-factors-3",
    } <= ids
    before = {
        c.id: getattr(c, "children", None)
        for c in walk(movie_night.layout())
        if getattr(c, "id", None)
    }
    assert before["movie-night-average-1"] == "–"
    assert before["movie-night-status"] is None


def test_toy_data_for_the_browser_is_the_reference():
    toy = movie_night.toy_data()
    assert toy["factors"] == ["comedy", "horror"]
    assert [p["name"] for p in toy["people"]] == ["Anna", "Jonny", "Kimi", "You"]
    assert toy["people"][0]["factors"] == [0.6, 0.5]
    assert [m["factors"] for m in toy["movies"]] == [[3.0, 2.0], [5.0, 1.0], [1.0, 5.0]]
    assert "{movie}" in toy["text"]["verdict"] and "{average}" in toy["text"]["verdict"]


def test_toys_need_no_server_callback():
    """Boxes 2 and 3 run in the browser: the page's callbacks that write to them are all
    clientside, and the server has no Python callback for them."""
    from app import app

    dependencies = app.server.test_client().get("/_dash-dependencies").get_json()
    toys = [cb for cb in dependencies if "movie-night" in cb["output"]]
    assert {cb["clientside_function"]["function_name"] for cb in toys} == {
        "applyTaste",
        "calculate",
    }
    assert all(cb["clientside_function"]["namespace"] == "movie_night" for cb in toys)
    assert not [cb for cb in dependencies if "mf-by-hand" in cb["output"]]
    python_callbacks = [key for key, spec in app.callback_map.items() if "callback" in spec]
    assert python_callbacks, "the other boxes' Python callbacks should be listed"
    assert not [key for key in python_callbacks if "movie-night" in key or "mf-by-hand" in key]
