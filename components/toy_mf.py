"""The toy matrix factorization of Boxes 2 and 3: its numbers and its exact arithmetic.

Four people and three movies, each described by two latent factors (comedy, horror), as in
the article. This module is the one Python reference of the toy arithmetic: Box 2 renders
its result matrix from it, and for Box 3 (movie night), which computes in the browser
(``assets/movie_night.js``), :func:`compute_movie_night` and :func:`sanitize_factor` are
what the tests compare the page with.

Why exact decimals: a student multiplies and averages these numbers by hand and rounds half
up (3.625 -> 3.63). Binary floats cannot do that (``0.8 * 5 + 0.5`` and friends average to
``3.6249999...``), so every number is turned into a :class:`~decimal.Decimal` of its shortest
written form first and rounded with ``ROUND_HALF_UP``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: The latent factors of the toy example, in column order.
FACTORS: tuple[str, ...] = ("comedy", "horror")

#: The person whose taste the reader sets in Box 3.
YOU = "You"

#: How much each person likes each factor, in 0..1 (order as in ``FACTORS``). ``YOU`` comes
#: last: Box 3 lets the reader change it.
USER_FACTORS: dict[str, tuple[float, float]] = {
    "Anna": (0.6, 0.5),
    "Jonny": (0.7, 0.1),
    "Kimi": (0.4, 0.9),
    "You": (0.5, 0.5),
}

#: How strongly each movie carries each factor, in 0..5 (order as in ``FACTORS``).
MOVIE_FACTORS: dict[str, tuple[float, float]] = {
    "Zombieland": (3.0, 2.0),
    "Modern Times": (5.0, 1.0),
    "The Grudge": (1.0, 5.0),
}

#: The range and step of a person's factor (Box 3's sliders).
FACTOR_MIN, FACTOR_MAX, FACTOR_STEP = 0.0, 1.0, 0.1

#: Results are shown to two decimals, as a student would write them.
HUNDREDTH = Decimal("0.01")


def exact(value: float | int | str | Decimal) -> Decimal:
    """The exact decimal a number is written as: ``0.1`` -> ``Decimal("0.1")``.

    Floats go through their shortest round-trip form (``repr``), so ``0.1`` is one tenth,
    not ``0.1000000000000000055...``.

    Args:
        value: a finite int, float, numeric string or Decimal.

    Returns:
        The Decimal.

    Raises:
        ValueError: for booleans, non-numbers and non-finite values.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"not a number: {value!r}")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except ArithmeticError as error:  # decimal.InvalidOperation for "abc"
        raise ValueError(f"not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def round_half_up(value: float | int | str | Decimal, step: Decimal = HUNDREDTH) -> Decimal:
    """Round as by hand: to a multiple of ``step``, halves away from zero (3.625 -> 3.63).

    Args:
        value: a finite number (see :func:`exact`).
        step: the precision, a power of ten such as ``Decimal("0.01")``.

    Returns:
        The rounded Decimal, with as many decimals as ``step``.

    Raises:
        ValueError: if ``value`` is not a finite number.
    """
    return exact(value).quantize(step, rounding=ROUND_HALF_UP)


def format_fixed(value: float | int | str | Decimal) -> str:
    """Two decimals, rounded half up: ``2.8`` -> ``"2.80"``, ``3.625`` -> ``"3.63"``."""
    return f"{round_half_up(value):.2f}"


def format_guess(value: float | int | str | Decimal) -> str:
    """One decimal, rounded half up, as Box 2's table of guesses shows every cell:
    ``Decimal("3.00")`` -> ``"3.0"``, ``2.8`` -> ``"2.8"``, ``2.25`` -> ``"2.3"``.

    Raises:
        ValueError: if ``value`` is not a finite number.
    """
    return f"{exact(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):.1f}"


def format_number(value: float | int | str | Decimal) -> str:
    """At most two decimals (rounded half up), no trailing zeros.

    Args:
        value: a finite number, e.g. ``2.8000000000000003`` or ``Decimal("3.00")``.

    Returns:
        The short form: ``2.8``, ``3``, ``0.45``, ``-1.5``; ``0`` rather than ``-0``.

    Raises:
        ValueError: if ``value`` is not a finite number.
    """
    text = format_fixed(value).rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def dot(user: Sequence[float], item: Sequence[float]) -> Decimal:
    """Predicted interest of a user in an item: the dot product ``w_u · q_i``, exactly.

    Args:
        user: the user's factor vector ``w_u`` (length k).
        item: the item's factor vector ``q_i`` (same length k).

    Returns:
        ``sum(w * q)`` as an exact, unrounded Decimal.

    Raises:
        ValueError: if the vectors differ in length or are empty, or hold a non-number.
    """
    if len(user) != len(item) or not user:
        raise ValueError(f"vectors must be non-empty and equally long: {user!r} vs {item!r}")
    return sum((exact(w) * exact(q) for w, q in zip(user, item, strict=True)), Decimal(0))


def arithmetic_text(user: Sequence[float], item: Sequence[float]) -> str:
    """The dot product written out, e.g. ``"0.6×3 + 0.5×2 = 2.8"``.

    Args:
        user: the user's factor vector (length k).
        item: the item's factor vector (same length k).

    Returns:
        Each product ``w×q`` joined by `` + ``, then `` = `` and the sum to at most two
        decimals (see :func:`format_number`).

    Raises:
        ValueError: if the vectors differ in length or are empty.
    """
    total = dot(user, item)
    terms = " + ".join(
        f"{format_number(w)}×{format_number(q)}" for w, q in zip(user, item, strict=True)
    )
    return f"{terms} = {format_number(total)}"


def is_factor(value: object, low: float = 0.0, high: float = 1.0) -> bool:
    """Whether ``value`` is a real, finite number (not a bool) in ``[low, high]``."""
    return (
        isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and low <= value <= high
    )


def sanitize_factor(value: object, last_good: float) -> float:
    """Turn whatever a slider sent into a usable factor in ``[0, 1]`` (as the browser does).

    The Python reference of ``sanitizeFactor`` in ``assets/movie_night.js``. Numbers (and
    numeric strings) are clamped to ``[0, 1]`` and rounded half up to two decimals;
    anything else (``None``, ``NaN``, ``inf``, ``"abc"``, booleans) gives back
    ``last_good``. Never raises for a bad ``value``.

    Args:
        value: what the slider sent: usually a float, possibly ``None`` or a string.
        last_good: the value to keep when ``value`` is unusable; must be in ``[0, 1]``.

    Returns:
        A float in ``[0, 1]`` with at most two decimals.

    Raises:
        ValueError: if ``last_good`` itself is not a number in ``[0, 1]`` (a programming error,
            never the reader's input).
    """
    if not is_factor(last_good, FACTOR_MIN, FACTOR_MAX):
        raise ValueError(f"last_good must be a number in [0, 1], got {last_good!r}")
    try:
        number = exact(value)  # type: ignore[arg-type]
    except ValueError:
        return float(last_good)
    clamped = min(exact(FACTOR_MAX), max(exact(FACTOR_MIN), number))
    return float(round_half_up(clamped))


@dataclass(frozen=True)
class MovieNightResult:
    """The filled result table of movie night, rounded half up to two decimals.

    Attributes:
        predictions: person (``Anna, Jonny, Kimi, You``) -> one predicted rating per movie
            (order of ``movies``): the dot product of the person's and the movie's factors.
        averages: per movie, the mean of the four exact (unrounded) predictions.
        movies: the movie titles, in column order.
    """

    predictions: dict[str, tuple[Decimal, ...]]
    averages: tuple[Decimal, ...]
    movies: tuple[str, ...]

    @property
    def best(self) -> str:
        """The movie with the highest shown group average (the first one on a tie)."""
        return self.movies[self.averages.index(max(self.averages))]


def compute_movie_night(you_comedy: float, you_horror: float) -> MovieNightResult:
    """Predicted ratings of every person for every movie, plus the group average.

    The Python reference of ``calculate`` in ``assets/movie_night.js``; exact decimal
    arithmetic, so 3.625 is shown as 3.63 as a student rounds it.

    Args:
        you_comedy: your comedy factor, in ``[0, 1]``.
        you_horror: your horror factor, in ``[0, 1]``.

    Returns:
        A :class:`MovieNightResult`.

    Raises:
        ValueError: if a factor is not a finite number in ``[0, 1]``.
    """
    for name, value in (("you_comedy", you_comedy), ("you_horror", you_horror)):
        if not is_factor(value, FACTOR_MIN, FACTOR_MAX):
            raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    users = {**USER_FACTORS, YOU: (you_comedy, you_horror)}
    exact_scores = {
        person: [dot(w, q) for q in MOVIE_FACTORS.values()] for person, w in users.items()
    }
    columns = list(zip(*exact_scores.values(), strict=True))
    return MovieNightResult(
        predictions={p: tuple(map(round_half_up, s)) for p, s in exact_scores.items()},
        averages=tuple(round_half_up(sum(col) / len(users)) for col in columns),
        movies=tuple(MOVIE_FACTORS),
    )
