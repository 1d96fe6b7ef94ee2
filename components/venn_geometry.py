"""Box 6's layout maths: circles, regions, the slots where dots go, error lines.

Pure numpy (no Plotly, no data): the diagram lives around the origin in units of the circle
radius. :mod:`components.venn_figure` draws what this module places.

Every dot sits on one lattice shared by all regions: rows :data:`ROW_PITCH` apart, dots
:data:`COLUMN_PITCH` apart in a row, odd rows shifted by half a pitch. Any two dots are
therefore at least ``hypot(COLUMN_PITCH / 2, ROW_PITCH)`` = 0.375 radius apart, about 34 px on
a 375 px phone (the figure shows ~90 px per radius there), so each is its own tap target
(issue 9 asks for 24 px). A region holds as many dots as it has lattice slots; the rest are
counted in a "+N more" mark in the region's last slot, and listed in the table.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

RADIUS = 1.0
#: Lattice of dot positions (radius units): distance between rows, and between dots in a row.
ROW_PITCH = 0.28
COLUMN_PITCH = 0.5
#: Lattice offset per number of circles, chosen so every region gets slots (3 circles: the
#: small overlaps hold 3-4 dots, the others 10).
LATTICE_OFFSET = {2: (0.0, 0.21), 3: (0.0, 0.07)}
#: A slot keeps this far from every circle edge, so no dot sits on a line.
EDGE_CLEARANCE = 0.08
#: Line length per star of error. An error line stays within half a column pitch minus a dot:
#: errors beyond :data:`MAX_ERROR_STARS` are drawn at that length (the table has the value).
ERROR_SCALE = 0.05
MAX_ERROR_STARS = 4.0
#: Direction of the error lines of the diagram's first and second model: left, then right.
SIDES = ((-1.0, 0.0), (1.0, 0.0))
#: The default models' directions (the first and second circle of the default diagram).
DIRECTIONS = {"embedding_mf": SIDES[0], "deepfm": SIDES[1]}
#: Box 7's movies in no set: one row each under the circles, from this height down.
OUTSIDE_Y = -2.75
OUTSIDE_STEP = 0.32
OUTSIDE_X = -1.45


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


def _lattice(n_sets: int) -> np.ndarray:
    """The shared dot lattice over [-2.5, 2.5]^2, shape ``(n, 2)``."""
    dx, dy = LATTICE_OFFSET.get(n_sets, (0.0, 0.0))
    rows = np.arange(-2.5, 2.5, ROW_PITCH) + dy
    return np.array(
        [
            (x + (COLUMN_PITCH / 2 if i % 2 else 0.0), y)
            for i, y in enumerate(rows)
            for x in np.arange(-2.5, 2.5, COLUMN_PITCH) + dx
        ]
    )


def _membership(points: np.ndarray, centres: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Per point: inside each circle (bool[k, n]) and clearance from the nearest edge."""
    distances = np.stack([np.hypot(points[:, 0] - cx, points[:, 1] - cy) for cx, cy in centres])
    return distances < RADIUS, np.abs(distances - RADIUS).min(axis=0)


def _dense_points(pattern: tuple[bool, ...], centres: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Points of a fine grid inside a region, and their clearance from the edges."""
    axis = np.arange(-2.0, 2.0, 0.02)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    inside, clearance = _membership(grid, centres)
    hit = np.all(inside == np.array(pattern)[:, None], axis=0)
    return grid[hit], clearance[hit]


@cache
def region_anchor(pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...]) -> tuple:
    """A region's roomiest point: farthest from every circle edge."""
    points, clearance = _dense_points(pattern, centres)
    x, y = points[int(np.argmax(clearance))]
    return round(float(x), 4), round(float(y), 4)


@cache
def region_slots(
    pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...]
) -> tuple[tuple[float, float], ...]:
    """Every lattice slot inside a region, nearest its anchor first (at least one slot).

    A region too small for a lattice slot (not the case for 2 or 3 circles) gets its
    anchor as its only slot.
    """
    lattice = _lattice(len(centres))
    inside, clearance = _membership(lattice, centres)
    hit = np.all(inside == np.array(pattern)[:, None], axis=0) & (clearance > EDGE_CLEARANCE)
    points = lattice[hit]
    if not len(points):
        return (region_anchor(pattern, centres),)
    anchor = np.array(region_anchor(pattern, centres))
    order = np.lexsort((points[:, 0], np.hypot(*(points - anchor).T).round(6)))
    return tuple((round(float(x), 4), round(float(y), 4)) for x, y in points[order])


def dot_positions(
    pattern: tuple[bool, ...], centres: tuple[tuple[float, float], ...], n: int
) -> list[tuple[float, float]]:
    """Positions for the first ``min(n, capacity)`` dots of a region (see :func:`region_slots`).

    When ``n`` exceeds the region's slots, the last slot is left for the "+N more" mark:
    ``capacity - 1`` positions are returned. :func:`shown_count` says how many.
    """
    return list(region_slots(pattern, centres)[: shown_count(pattern, centres, n)])


def shown_count(pattern: tuple[bool, ...], centres: tuple, n: int) -> int:
    """How many of a region's ``n`` movies get a dot (the others go in "+N more")."""
    capacity = len(region_slots(pattern, centres))
    return n if n <= capacity else capacity - 1


def outside_positions(n: int) -> list[tuple[float, float]]:
    """``n`` positions under the circles, one row each (for Box 7's movies in no set)."""
    return [(OUTSIDE_X, OUTSIDE_Y - i * OUTSIDE_STEP) for i in range(n)]


def error_segment(
    x: float,
    y: float,
    truth: float,
    prediction: float,
    model: str,
    direction: tuple[float, float] | None = None,
) -> tuple[float, float, float, float]:
    """The error line of one model from a dot's centre: ``(x0, y0, x1, y1)``.

    Its length is :data:`ERROR_SCALE` times ``|prediction - truth|`` (0 for no error, capped
    at :data:`MAX_ERROR_STARS`), along ``direction`` (one of :data:`SIDES`: the figure
    passes the model's position), else the model's entry of :data:`DIRECTIONS` (right when
    it has none).
    """
    dx, dy = direction or DIRECTIONS.get(model, SIDES[1])
    length = ERROR_SCALE * min(abs(prediction - truth), MAX_ERROR_STARS)
    return x, y, round(x + dx * length, 4), round(y + dy * length, 4)
