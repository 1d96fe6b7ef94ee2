"""Box 6's figure and table, drawn from the rows :func:`components.venn_rows.diagram_rows` places.

Each helper adds one layer to the figure, in drawing order: circles and their titles, the
error lines, the dots, the "+N more" marks of full regions, the highlighted dot, Box 7's
movies outside. The key to the marks is HTML (:mod:`components.venn_legend`), not a Plotly
legend, so it wraps on a phone instead of squeezing the diagram.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.movie_search import movie_option, movie_title
from components.outline import box_name
from components.theme import (
    FONT_FAMILY,
    MIN_FONT_SIZE,
    MODEL_COLOURS,
    MODEL_DASHES,
    MODEL_LABELS,
    OVER_ESTIMATE,
    UNDER_ESTIMATE,
)
from components.venn_geometry import (
    OUTSIDE_STEP,
    OUTSIDE_Y,
    RADIUS,
    SIDES,
    circle_centres,
    error_segment,
    region_slots,
)
from components.wording import stars_text
from core.vocabulary import TOP_K

FIVE_STARS = "five_stars"
#: The 5-star circle is no model's: dark grey, dotted.
FIVE_STAR_COLOUR = "#555555"
DOT_COLOUR = "#222222"
#: Horizontal extent of the figure (radius units); titles sit flush with its edges.
X_RANGE = (-1.85, 1.85)
#: Longest movie title drawn under the circles (the table and hover have the full one).
OUTSIDE_TITLE_CHARS = 40
#: The two signs of an error: (sign, colour, line dash, end marker, words).
ERROR_STYLES = (
    (-1, UNDER_ESTIMATE, "dot", "triangle-down", "under-estimated"),
    (1, OVER_ESTIMATE, "solid", "triangle-up", "over-estimated"),
)


def set_label(name: str) -> str:
    """Legend text of a set."""
    return "Rated 5 stars" if name == FIVE_STARS else f"{MODEL_LABELS[name]} top-{TOP_K}"


def title_lines(name: str) -> tuple[str, str]:
    """A circle's title in two lines: the model's name, then ``top-10`` (or ``Rated`` and
    ``5 stars``), so a two-word name such as "Bayesian FM" stays on its first line."""
    if name in MODEL_LABELS:
        return MODEL_LABELS[name], f"top-{TOP_K}"
    first, _, rest = set_label(name).partition(" ")
    return first, rest


def region_label(pattern: tuple[bool, ...], names: list[str]) -> str:
    """Words for a region: ``"EmbeddingMF top-10 & Rated 5 stars only"``."""
    inside = [set_label(name) for name, bit in zip(names, pattern, strict=True) if bit]
    return " & ".join(inside) + (" only" if len(inside) < len(names) else " (all)")


def _circle_style(name: str) -> tuple[str, str]:
    """Colour and dash of a set's circle: the model's own, or dark grey dots for 5 stars."""
    if name in MODEL_COLOURS and name in MODEL_DASHES:
        return MODEL_COLOURS[name], MODEL_DASHES[name]
    return FIVE_STAR_COLOUR, "dot"


def _add_circles(figure: go.Figure, sets: dict[str, set[int]], centres: tuple) -> None:
    """One outlined circle per set; its title (two short lines) outside it, in the figure.

    Top circles are titled above, flush with the figure's left or right edge so the titles
    never meet or leave the figure on a 375 px phone; the bottom circle is titled under it.
    """
    for (cx, cy), name in zip(centres, sets, strict=False):
        colour, dash = _circle_style(name)
        figure.add_shape(
            type="circle",
            x0=cx - RADIUS,
            y0=cy - RADIUS,
            x1=cx + RADIUS,
            y1=cy + RADIUS,
            line={"color": colour, "width": 2.5, "dash": dash},
            fillcolor="rgba(0,0,0,0.03)",
            layer="below",
        )
        first, rest = title_lines(name)
        text = f"<b>{first}</b><br>{rest} · {len(sets[name])} movies"
        if cy >= 0:
            left = cx < 0
            place = {
                "x": X_RANGE[0] if left else X_RANGE[1],
                "xanchor": "left" if left else "right",
                "align": "left" if left else "right",
                "y": cy + RADIUS + 0.04,
                "yanchor": "bottom",
            }
        else:
            place = {"x": cx, "xanchor": "center", "y": cy - RADIUS - 0.04, "yanchor": "top"}
        figure.add_annotation(
            **place, text=text, showarrow=False, font={"size": 13, "color": "#111111"}
        )


def _add_more_marks(figure: go.Figure, frame: pd.DataFrame, names: list[str], centres) -> None:
    """In each region with more movies than slots, "+N" in its last slot (hover: the count).

    The N movies are listed in the table under the diagram.
    """
    regions = frame[frame["region"].notna()]
    xs, ys, texts, hovers = [], [], [], []
    for pattern, part in regions.groupby("region", sort=False):
        hidden = int((~part["shown"]).sum())
        if not hidden:
            continue
        x, y = region_slots(pattern, centres)[int(part["shown"].sum())]
        xs.append(x)
        ys.append(y)
        texts.append(f"+{hidden}")
        hovers.append(
            f"{region_label(pattern, names)}: {len(part)} movies, {hidden} more than "
            "drawn here; all are in the table"
        )
    if not xs:
        return
    figure.add_scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        marker={"size": 30, "color": "white", "line": {"color": "#444444", "width": 1.5}},
        text=texts,
        textfont={"size": MIN_FONT_SIZE, "color": "#111111"},
        name="More movies, listed in the table",
        hovertext=hovers,
        hoverinfo="text",
        showlegend=False,
    )


def _add_error_lines(
    figure: go.Figure, shown: pd.DataFrame, name: str, side: tuple, style: tuple
) -> None:
    """One model's error lines of one sign (towards ``side``), and a marker at each end."""
    sign, colour, dash, symbol, word = style
    part = shown[np.sign(shown[name] - shown["rating"]) == sign]
    xs, ys, ends_x, ends_y = [], [], [], []
    for x, y, truth, guess in zip(part["x"], part["y"], part["rating"], part[name], strict=True):
        x0, y0, x1, y1 = error_segment(x, y, truth, guess, name, side)
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        ends_x.append(x1)
        ends_y.append(y1)
    figure.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": colour, "width": 2.5, "dash": dash},
        name=f"{MODEL_LABELS[name]} {word}",
        showlegend=False,
        hoverinfo="skip",
    )
    figure.add_scatter(
        x=ends_x,
        y=ends_y,
        mode="markers",
        marker={"symbol": symbol, "size": 7, "color": colour},
        showlegend=False,
        hoverinfo="skip",
    )


def _hover(row: dict, models: list[str], where: str) -> str:
    predictions = "<br>".join(
        f"{MODEL_LABELS[name]}: "
        + ("no prediction" if pd.isna(row.get(name)) else f"{row[name]:.2f} ★")
        for name in models
    )
    return (
        f"<b>{movie_title(int(row['movie_id']))}</b><br>True rating: {int(row['rating'])} ★"
        f"<br>{predictions}<br><i>{where}</i>"
    )


def _add_dots(figure: go.Figure, shown: pd.DataFrame, models: list[str]) -> None:
    """One dot per drawn movie; hovering it names the movie and every guess."""
    records = shown.to_dict("records")
    where = np.where(shown["in_test"].astype(bool), "test split", "training split")
    hovertext = [
        _hover(row, models, f"rated in the {place}")
        for row, place in zip(records, where, strict=True)
    ]
    customdata = [
        [int(row["movie_id"]), int(row["rating"])]
        + [None if pd.isna(row.get(name)) else round(float(row[name]), 2) for name in models]
        for row in records
    ]
    figure.add_scatter(
        x=shown["x"].tolist(),
        y=shown["y"].tolist(),
        mode="markers",
        marker={"size": 12, "color": DOT_COLOUR, "line": {"color": "white", "width": 1.5}},
        name="A movie (hover or tap for details)",
        hovertext=hovertext,
        hoverinfo="text",
        customdata=customdata,
    )


def _add_focus_ring(figure: go.Figure, shown: pd.DataFrame, focus: int | None) -> None:
    """A ring around the movie picked in the "Highlight a movie" dropdown, if drawn."""
    if focus is None or focus not in set(shown["movie_id"]):
        return
    spot = shown[shown["movie_id"] == focus].iloc[0]
    figure.add_scatter(
        x=[spot["x"]],
        y=[spot["y"]],
        mode="markers",
        marker={"size": 24, "color": "rgba(0,0,0,0)", "line": {"color": "#000", "width": 3}},
        name=f"Selected: {movie_title(int(focus))}",
        hoverinfo="skip",
    )


def _short(title: str) -> str:
    return title if len(title) <= OUTSIDE_TITLE_CHARS else title[: OUTSIDE_TITLE_CHARS - 1] + "…"


def _add_outside_titles(figure: go.Figure, shown: pd.DataFrame) -> None:
    """Box 7's movies that fall in no set: one row each under the circles, titled.

    Each title starts right of its dot's longest possible error line, at the figure's
    left, so it has the whole width (long titles are shortened; hover has the full one).
    """
    outside = shown[shown["region"].isna()]
    if not len(outside):
        return
    figure.add_annotation(
        x=X_RANGE[0],
        xanchor="left",
        y=OUTSIDE_Y + OUTSIDE_STEP,
        text=f"{box_name('movie-why')}'s movies, in none of the sets:",
        showarrow=False,
        font={"size": MIN_FONT_SIZE, "color": "#444444"},
    )
    figure.add_scatter(
        x=[x + 0.25 for x in outside["x"]],
        y=outside["y"].tolist(),
        mode="text",
        text=[_short(movie_title(int(movie))) for movie in outside["movie_id"]],
        textposition="middle right",
        textfont={"size": MIN_FONT_SIZE},
        showlegend=False,
        hoverinfo="skip",
    )


def _style(figure: go.Figure, frame: pd.DataFrame, centres: tuple, scope: str) -> None:
    """Hidden equal-scale axes around the circles, titles and rows under them; no legend."""
    n_outside = int(frame["region"].isna().sum())
    bottom = min(cy for _, cy in centres) - RADIUS - 0.5
    if n_outside:
        bottom = OUTSIDE_Y - OUTSIDE_STEP * (n_outside - 1) - 0.25
    # No template: its validation alone costs ~30 ms a call, and the axes are hidden.
    figure.update_layout(
        template=None,
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        hovermode="closest",
        showlegend=False,
        xaxis={"visible": False, "range": list(X_RANGE), "constrain": "domain"},
        yaxis={
            "visible": False,
            "range": [bottom, max(cy for _, cy in centres) + RADIUS + 0.5],
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
        },
        meta={"scope": scope},
    )


def make_venn_figure(
    frame: pd.DataFrame, sets: dict[str, set[int]], scope: str, focus: int | None = None
) -> go.Figure:
    """The Venn diagram: circles, dots, error lines, "+N more" marks; the key is HTML.

    Args:
        frame: rows from :func:`components.venn_rows.diagram_rows` (``region``, ``shown``,
            ``x``, ``y``, ``rating``, ``in_test`` and one column per model).
        sets: set name -> movie ids, in circle order (the models' top-k, then 5 stars).
        scope: ``"test"`` or ``"all"``, kept in ``layout.meta``.
        focus: a movie id to ring, or ``None``.
    """
    names = list(sets)
    models = [name for name in names if name != FIVE_STARS]
    centres = circle_centres(len(names))
    shown = frame[frame["shown"]]
    figure = go.Figure()
    _add_circles(figure, sets, centres)
    for name, side in zip(models, SIDES, strict=False):
        for style in ERROR_STYLES:
            _add_error_lines(figure, shown, name, side, style)
    _add_dots(figure, shown, models)
    _add_more_marks(figure, frame, names, centres)
    _add_focus_ring(figure, shown, focus)
    _add_outside_titles(figure, shown)
    _style(figure, frame, centres, scope)
    return figure


def focus_options(frame: pd.DataFrame) -> list[dict]:
    """The drawn movies, for keyboard users to highlight one."""
    shown = frame[frame["shown"]]
    return [movie_option(int(m)) for m in shown["movie_id"]]


def details_text(frame: pd.DataFrame, names: list[str], focus: int | None) -> str:
    """What hovering the highlighted dot would show, in words."""
    hit = frame[frame["movie_id"] == focus] if focus is not None else frame.iloc[:0]
    if not len(hit):
        return "Pick a movie to read its ratings here."
    row = hit.iloc[0].to_dict()
    models = [name for name in names if name != FIVE_STARS]
    where = region_label(row["region"], names) if row["region"] else "in none of the sets"
    guesses = "; ".join(
        f"{MODEL_LABELS[name]} predicted "
        + ("nothing" if pd.isna(row[name]) else f"{row[name]:.2f}")
        for name in models
    )
    return (
        f"{movie_title(int(focus))}: rated {stars_text(int(row['rating']))}; {guesses}. "
        f"Region: {where}."
    )
