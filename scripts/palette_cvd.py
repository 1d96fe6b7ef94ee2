"""Measure how far apart the palette's colours stay under simulated colour-vision deficiency.

For normal vision and for full-severity deuteranomaly, protanomaly and tritanomaly (the
Machado, Oliveira & Fernandes 2009 simulation, as implemented by ``colorspacious``), each
colour is simulated in sRGB, converted to CAM02-UCS (Luo, Cui & Li 2006) and compared pairwise
with Euclidean distance (``colorspacious.deltaE``); about 1 is a just-noticeable difference,
and the palette aims for at least :data:`MIN_MODEL_DISTANCE` between any two of its colours.

Run ``python -m scripts.palette_cvd`` to print the tables recorded in
``components/theme.py``; ``tests/test_palette.py`` recomputes them. Needs the ``test`` extra
(``colorspacious``); the app never imports this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
from colorspacious import cspace_convert, deltaE

#: Vision conditions compared: ``None`` is normal vision, the others colorspacious CVD types.
CONDITIONS: dict[str, str | None] = {
    "normal": None,
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}
#: Smallest CAM02-UCS distance allowed between two model colours (or the true ratings) in any
#: condition. The palette before issue 9 had 7.0 (Global mean vs User + item biases, simulated
#: deuteranopia); the one chosen reaches 24.5.
MIN_MODEL_DISTANCE = 20.0
#: Smallest distance allowed between an error-direction colour of Box 6 and any model colour
#: or the other direction's colour (those lines also differ by dash and end marker).
MIN_ERROR_DISTANCE = 15.0


def srgb(hex_colour: str) -> np.ndarray:
    """``"#RRGGBB"`` -> float[3] in 0..1 (``ValueError`` for anything else)."""
    text = hex_colour.removeprefix("#")
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    return np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64) / 255


def simulate(colour: np.ndarray, condition: str) -> np.ndarray:
    """``colour`` (sRGB1, float[3]) as seen in ``condition`` (a key of :data:`CONDITIONS`)."""
    kind = CONDITIONS[condition]
    if kind is None:
        return colour
    space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
    return np.clip(cspace_convert(colour, space, "sRGB1"), 0.0, 1.0)


def distance(first: str, second: str, condition: str) -> float:
    """CAM02-UCS distance between two ``#RRGGBB`` colours as seen in ``condition``."""
    a, b = simulate(srgb(first), condition), simulate(srgb(second), condition)
    return float(deltaE(a, b, input_space="sRGB1", uniform_space="CAM02-UCS"))


def pairwise(colours: Mapping[str, str]) -> dict[str, list[tuple[float, str, str]]]:
    """Per condition, every pair's distance, smallest first: ``[(distance, name, name)]``."""
    return {
        condition: sorted(
            (distance(colours[a], colours[b], condition), a, b)
            for a, b in itertools.combinations(colours, 2)
        )
        for condition in CONDITIONS
    }


def cross(first: Mapping[str, str], second: Mapping[str, str]) -> dict[str, list]:
    """Like :func:`pairwise`, for every pair of one colour of ``first`` and one of ``second``."""
    return {
        condition: sorted(
            (distance(first[a], second[b], condition), a, b) for a in first for b in second
        )
        for condition in CONDITIONS
    }


def markdown(table: dict[str, list[tuple[float, str, str]]], n: int = 3) -> str:
    """The ``n`` closest pairs per condition as a Markdown table."""
    lines = ["| condition | closest pairs (CAM02-UCS distance) |", "|---|---|"]
    for condition, pairs in table.items():
        closest = ", ".join(f"{a} / {b} {d:.1f}" for d, a, b in pairs[:n])
        lines.append(f"| {condition} | {closest} |")
    return "\n".join(lines)


def main() -> None:
    """Print the closest pairs of the palette and of the error colours."""
    from components import theme

    print("Model colours (and the true ratings):")
    print(markdown(pairwise(theme.MODEL_COLOURS)))
    errors = {"under": theme.UNDER_ESTIMATE, "over": theme.OVER_ESTIMATE}
    print("\nBox 6's error colours against each other and every model colour:")
    table = cross(errors, theme.MODEL_COLOURS)
    both = pairwise(errors)
    print(markdown({c: sorted(table[c] + both[c]) for c in CONDITIONS}))


if __name__ == "__main__":
    main()
