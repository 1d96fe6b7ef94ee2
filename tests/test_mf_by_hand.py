"""Box 2 (matrix factorization by hand) and the toy arithmetic it shares with Box 3."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from components.box import walk
from components.mf_by_hand import layout
from components.toy_mf import (
    MOVIE_FACTORS,
    USER_FACTORS,
    arithmetic_text,
    dot,
    exact,
    format_fixed,
    format_number,
    round_half_up,
)


@pytest.mark.parametrize(
    ("user", "movie", "text"),
    [
        ("Anna", "Zombieland", "0.6×3 + 0.5×2 = 2.8"),
        ("Anna", "Modern Times", "0.6×5 + 0.5×1 = 3.5"),
        ("Jonny", "The Grudge", "0.7×1 + 0.1×5 = 1.2"),
        ("Kimi", "The Grudge", "0.4×1 + 0.9×5 = 4.9"),
        ("You", "Modern Times", "0.5×5 + 0.5×1 = 3"),
    ],
)
def test_arithmetic_text(user, movie, text):
    assert arithmetic_text(USER_FACTORS[user], MOVIE_FACTORS[movie]) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.8000000000000003, "2.8"),
        (3.0, "3"),
        (0.45, "0.45"),
        (-1.5, "-1.5"),
        (-0.001, "0"),
        (Decimal("3.625"), "3.63"),  # half up, as by hand
        (0.125, "0.13"),  # f"{0.125:.2f}" would give 0.12 (half to even)
        (1.005, "1.01"),  # the float 1.005 is 1.00499999...; its written form is 1.005
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(3.625, "3.63"), (2.675, "2.68"), ("0.285", "0.29"), (3.6249, "3.62"), (-2.345, "-2.35")],
)
def test_round_half_up_on_written_decimals(value, rounded):
    assert round_half_up(value) == Decimal(rounded)
    assert format_fixed(value) == rounded


def test_dot_is_exact():
    """Binary floats give 0.1*3 + 0.2*3 = 0.9000000000000001; the toy arithmetic does not."""
    assert 0.1 * 3 + 0.2 * 3 != 0.9
    assert dot((0.1, 0.2), (3, 3)) == Decimal("0.9")
    assert dot((0.8, 0.5), (5.0, 1.0)) == Decimal("4.5")


@pytest.mark.parametrize("bad", [None, True, "abc", math.nan, math.inf, [1]])
def test_exact_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        exact(bad)


def test_dot_rejects_mismatched_vectors():
    with pytest.raises(ValueError):
        dot((1.0, 2.0), (1.0,))
    with pytest.raises(ValueError):
        dot((), ())


def test_result_matrix_shows_the_article_numbers():
    cells = {
        c.id: c.children
        for c in walk(layout())
        if "result-cell" in (getattr(c, "className", "") or "")
    }
    # ARTICLE.md, Box 3: Anna 2.8 / 3.5 / 3.1, Jonny 2.3 / 3.6 / 1.2, Kimi 3.0 / 2.9 / 4.9,
    # You 2.5 / 3.0 / 3.0; one number format in the table (issue 9, item 8: "3" beside "2.8").
    assert [cells[f"mf-by-hand-cell-{i}-{j}"] for i in range(4) for j in range(3)] == [
        "2.8", "3.5", "3.1", "2.3", "3.6", "1.2", "3.0", "2.9", "4.9", "2.5", "3.0", "3.0",
    ]  # fmt: skip


def test_every_result_cell_is_focusable_and_described():
    cells = [c for c in walk(layout()) if "result-cell" in (getattr(c, "className", "") or "")]
    assert len(cells) == len(USER_FACTORS) * len(MOVIE_FACTORS)
    first = cells[0]
    assert first.tabIndex == 0
    assert first.id == "mf-by-hand-cell-0-0"
    assert getattr(first, "aria-describedby") == "mf-by-hand-sum-0-0"
    assert getattr(first, "data-arithmetic") == "Anna and Zombieland: 0.6×3 + 0.5×2 = 2.8"
