"""Box 3 (movie night): the toy MF numbers, exact to two decimals, and input sanitizing."""

from __future__ import annotations

import math

import pytest

from components import movie_night
from components.movie_night import (
    AVERAGE_LABEL,
    best_movie,
    compute_movie_night,
    sanitize_factor,
)

MOVIES = ["Zombieland", "Modern Times", "The Grudge"]

DEFAULT_EXPECTED = {
    "Anna": [2.80, 3.50, 3.10],
    "Jonny": [2.30, 3.60, 1.20],
    "Kimi": [3.00, 2.90, 4.90],
    "You": [2.50, 3.00, 3.00],
    AVERAGE_LABEL: [2.65, 3.25, 3.05],
}


def test_defaults_match_the_article():
    result = compute_movie_night(0.5, 0.5)
    assert list(result.columns) == MOVIES
    assert list(result.index) == list(DEFAULT_EXPECTED)
    for person, expected in DEFAULT_EXPECTED.items():
        assert [f"{v:.2f}" for v in result.loc[person]] == [f"{v:.2f}" for v in expected]


def test_comedy_lover_changes_the_average():
    result = compute_movie_night(0.9, 0.1)
    assert [f"{v:.2f}" for v in result.loc[AVERAGE_LABEL]] == ["2.75", "3.65", "2.65"]
    assert [f"{v:.2f}" for v in result.loc["You"]] == ["2.90", "4.60", "1.40"]


@pytest.mark.parametrize(
    ("you", "best"),
    [((0.5, 0.5), "Modern Times"), ((0.9, 0.1), "Modern Times"), ((0.0, 1.0), "The Grudge")],
)
def test_best_movie(you, best):
    assert best_movie(compute_movie_night(*you)) == best


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, None, "0.5"])
def test_compute_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        compute_movie_night(bad, 0.5)


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
    ],
)
def test_sanitize_factor(value, last_good, expected):
    assert sanitize_factor(value, last_good) == expected


@pytest.mark.parametrize("last_good", [None, 2, -0.5, "0.5", math.nan])
def test_sanitize_factor_rejects_bad_fallback(last_good):
    with pytest.raises(ValueError):
        sanitize_factor(0.5, last_good)


def test_sanitize_callback_keeps_last_good_value():
    """The slider callback body: a cleared box snaps back, 99 clamps, good values pass."""
    last = {"comedy": 0.9, "horror": 0.1}
    comedy, horror, stored, you_text = movie_night.sanitize_sliders(None, 99, last)
    assert comedy == 0.9
    assert horror == 1.0
    assert stored == {"comedy": 0.9, "horror": 1.0}
    assert you_text == "0.9, 1"
    comedy, horror, stored, _ = movie_night.sanitize_sliders(0.2, 0.4, last)
    assert comedy is movie_night.no_update and horror is movie_night.no_update
    assert stored == {"comedy": 0.2, "horror": 0.4}


def _cell_text(td) -> str:
    children = td.children
    return children if isinstance(children, str) else children[0]


def test_calculate_callback_fills_the_average_row():
    table, verdict = movie_night.calculate(1, {"comedy": 0.9, "horror": 0.1})
    cells = {
        c.id: _cell_text(c)
        for row in table.children[2].children
        for c in row.children
        if getattr(c, "id", None)
    }
    assert cells == {
        "movie-night-average-0": "2.75",
        "movie-night-average-1": "3.65",
        "movie-night-average-2": "2.65",
    }
    assert "Modern Times" in verdict


def test_blank_table_has_stable_average_ids():
    table = movie_night.result_table(None)
    ids = [
        c.id for row in table.children[2].children for c in row.children if getattr(c, "id", None)
    ]
    assert ids == [f"movie-night-average-{j}" for j in range(3)]
