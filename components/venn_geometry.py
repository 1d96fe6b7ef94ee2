"""Box 6's layout maths: circles, regions, where each dot and error line goes.

Pure numpy (no Plotly, no data): the diagram lives in a square of side 4 around the origin,
in units of the circle radius. :mod:`components.venn_figure` draws what this module places.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

RADIUS = 1.0
#: Line length per star of error, in units of the circle radius.
ERROR_SCALE = 0.09
#: Direction of each model's error line: EmbeddingMF to the left, DeepFM to the right.
DIRECTIONS = {"embedding_mf": (-1.0, 0.0), "deepfm": (1.0, 0.0)}
#: Height of the row under the circles for Box 7's movies that fall in no set.
OUTSIDE_Y = -2.2
#: Horizontal gap between those movies.
OUTSIDE_SPACING = 1.2


def all_regions(n_sets: int) -> list[tuple[bool, ...]]:
    """The ``2**n - 1`` non-empty membership patterns, biggest overlap last."""
    patterns = [tuple(bool(code >> i & 1) for i in range(n_sets)) for code in range(1, 2**n_sets)]
    return sorted(patterns, key=lambda pattern: (sum(pattern), [not bit for bit in pattern]))


def region_members(sets: dict[str, set[int]]) -> dict[tuple[bool, ...], list[int]]:
    """Movie ids per Venn region, every region present (empty ones as ``[]``).

    Args:
        sets: set name -> movie ids, in circle order.

    Returns:
        Membership pattern (one bool per set, in ``sets`` order) -> sorted movie ids.
    """
    names = list(sets)
    members: dict[tuple[bool, ...], list[int]] = {key: [] for key in all_regions(len(names))}
    for movie in sorted(set().union(*sets.values())):
        members[tuple(movie in sets[name] for name in names)].append(movie)
    return members


def circle_centres(n_sets: int) -> tuple[tuple[float, float], ...]:
    """Centres of ``n_sets`` (2 or 3) equal circles of radius :data:`RADIUS`."""
    if n_sets == 2:
        return ((-0.6, 0.0), (0.6, 0.0))
    angles = (150.0, 30.0, 270.0)
    return tuple(
        (round(0.68 * math.cos(math.radians(a)), 4), round(0.68 * math.sin(math.radians(a)), 4))
        for a in angles
    )


def _grid(spacing: float) -> np.ndarray:
    """A hexagonal grid of points covering [-2, 2]^2, shape ``(n, 2)``."""
    rows = np.arange(-2.0, 2.0, spacing * math.sqrt(3) / 2)
    points = [
        (x + (spacing / 2 if i % 2 else 0.0), y)
        for i, y in enumerate(rows)
        for x in np.arange(-2.0, 2.0, spacing)
    ]
    return np.array(points)


def region_points(
    pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...], spacing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Grid points inside a region, and their clearance from the circle edges.

    Returns:
        ``(points float[m, 2], clearance float[m])`` (clearance in radius units).
    """
    grid = _grid(spacing)
    distances = np.stack([np.hypot(grid[:, 0] - cx, grid[:, 1] - cy) for cx, cy in centres])
    inside = distances < RADIUS
    hit = np.all(inside == np.array(pattern)[:, None], axis=0)
    clearance = np.abs(distances[:, hit] - RADIUS).min(axis=0)
    return grid[hit], clearance


@cache
def region_anchor(pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...]) -> tuple:
    """Where a region's count label goes: its point farthest from every circle edge."""
    points, clearance = region_points(pattern, centres, 0.02)
    x, y = points[int(np.argmax(clearance))]
    return float(x), float(y)


@cache
def dot_positions(
    pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...], n: int
) -> list[tuple[float, float]]:
    """``n`` deterministic positions inside a region, spread around its label.

    Points keep clear of the circle edges and of the count label; the grid gets finer
    until ``n`` fit.
    """
    if n == 0:
        return []
    anchor = np.array(region_anchor(pattern, centres))
    spacing = 0.16
    while True:
        points, clearance = region_points(pattern, centres, spacing)
        distance = np.hypot(*(points - anchor).T)
        ok = (clearance > min(0.05, spacing / 2)) & (distance > 0.11)
        if ok.sum() >= n or spacing < 0.02:
            order = np.lexsort((points[ok][:, 0], distance[ok]))
            return [(round(float(x), 4), round(float(y), 4)) for x, y in points[ok][order][:n]]
        spacing *= 0.85


def outside_positions(n: int) -> list[tuple[float, float]]:
    """``n`` positions in one centred row under the circles (for movies in no set)."""
    return [((i - (n - 1) / 2) * OUTSIDE_SPACING, OUTSIDE_Y) for i in range(n)]


def error_segment(
    x: float, y: float, truth: float, prediction: float, model: str
) -> tuple[float, float, float, float]:
    """The error line of one model from a dot's centre: ``(x0, y0, x1, y1)``.

    Its length is :data:`ERROR_SCALE` times ``|prediction - truth|`` (0 for no error), in
    the model's direction (:data:`DIRECTIONS`).
    """
    dx, dy = DIRECTIONS[model]
    length = ERROR_SCALE * abs(prediction - truth)
    return x, y, round(x + dx * length, 4), round(y + dy * length, 4)
