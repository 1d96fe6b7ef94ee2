"""Marks several figures share: labelled mean markers in their own rows above the data.

Means of different models often sit within a few hundredths of a star of each other (Box 4:
3.53 to 3.59; Box 7: 3.10, 3.08, 3.08), so vertical lines alone draw on top of each other.
Each mean gets a row above the plotted data instead: a marker at its value (the model's
symbol and colour) and a label with its name and value, so every one stays visible.
"""

from __future__ import annotations

from typing import NamedTuple

import plotly.graph_objects as go

from components.theme import MIN_FONT_SIZE

#: Height of one row of mean markers, as a share of the data's top.
ROW_STEP = 0.1


class MeanMark(NamedTuple):
    """One mean to mark: its label, value (stars), colour, marker symbol and legend group."""

    label: str
    value: float
    colour: str
    symbol: str
    group: str


def add_mean_rows(figure: go.Figure, marks: list[MeanMark], top: float, x_mid: float) -> float:
    """One row per mark above ``top`` (data units of y): a thin rule from 0, a marker, a label.

    Labels go right of markers left of ``x_mid`` and left of markers beyond it, so they stay
    inside the plot. Returns the y value above the last row (for the axis range).
    """
    step = top * ROW_STEP
    for row, mark in enumerate(marks):
        y = top + step * (row + 0.6)
        figure.add_scatter(
            x=[mark.value, mark.value],
            y=[0, y],
            mode="lines",
            line={"color": mark.colour, "width": 1, "dash": "dot"},
            legendgroup=mark.group,
            showlegend=False,
            hoverinfo="skip",
        )
        figure.add_scatter(
            x=[mark.value],
            y=[y],
            mode="markers+text",
            marker={"symbol": mark.symbol, "size": 11, "color": mark.colour},
            text=[f"{mark.label} {mark.value:.2f}"],
            textposition="middle right" if mark.value < x_mid else "middle left",
            textfont={"size": MIN_FONT_SIZE + 1, "color": "#222222"},
            cliponaxis=False,
            legendgroup=mark.group,
            showlegend=False,
            hovertemplate=f"{mark.label}: {mark.value:.2f} ★<extra></extra>",
        )
    return top + step * (len(marks) + 0.4)
