"""Box 2 (matrix factorization by hand): dot products and their written-out arithmetic."""

from __future__ import annotations

import pytest

from components.box import walk
from components.mf_by_hand import (
    MOVIE_FACTORS,
    USER_FACTORS,
    arithmetic_text,
    dot,
    format_number,
    layout,
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
    [(2.8000000000000003, "2.8"), (3.0, "3"), (0.45, "0.45"), (-1.5, "-1.5"), (-0.001, "0")],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_dot_rejects_mismatched_vectors():
    with pytest.raises(ValueError):
        dot((1.0, 2.0), (1.0,))
    with pytest.raises(ValueError):
        dot((), ())


def test_every_result_cell_is_focusable_and_described():
    cells = [c for c in walk(layout()) if "result-cell" in (getattr(c, "className", "") or "")]
    assert len(cells) == len(USER_FACTORS) * len(MOVIE_FACTORS)
    first = cells[0]
    assert first.tabIndex == 0
    assert first.id == "mf-by-hand-cell-0-0"
    assert getattr(first, "aria-describedby") == "mf-by-hand-sum-0-0"
    assert getattr(first, "data-arithmetic") == "Anna and Zombieland: 0.6×3 + 0.5×2 = 2.8"
