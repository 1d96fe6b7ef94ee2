"""Box 6's figure and table, drawn from the rows :func:`components.venn.diagram_rows` places.

Each helper adds one layer to the figure, in drawing order: circles and their labels, the
region counts, the error lines, the dots, the highlighted dot, Box 7's movies outside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.figure_table import data_table, notice
from components.movie_search import movie_option, movie_title
from components.outline import box_name
from components.theme import (
    FONT_FAMILY,
    MODEL_COLOURS,
    MODEL_LABELS,
    OVER_ESTIMATE,
    UNDER_ESTIMATE,
)
from components.venn_geometry import (
    DIRECTIONS,
    OUTSIDE_Y,
    RADIUS,
    all_regions,
    circle_centres,
    error_segment,
    region_anchor,
)
from core.vocabulary import TOP_K

FIVE_STARS = "five_stars"
#: The two signs of an error: (sign, colour, line dash, end marker, words).
ERROR_STYLES = (
    (-1, UNDER_ESTIMATE, "dot", "triangle-down", "under-estimated"),
    (1, OVER_ESTIMATE, "solid", "triangle-up", "over-estimated"),
)


def set_label(name: str) -> str:
    """Legend text of a set."""
    return "Rated 5 stars" if name == FIVE_STARS else f"{MODEL_LABELS[name]} top-{TOP_K}"


def region_label(pattern: tuple[bool, ...], names: list[str]) -> str:
    """Words for a region: ``"EmbeddingMF top-10 & Rated 5 stars only"``."""
    inside = [set_label(name) for name, bit in zip(names, pattern, strict=True) if bit]
    return " & ".join(inside) + (" only" if len(inside) < len(names) else " (all)")


def _add_circles(figure: go.Figure, sets: dict[str, set[int]], centres: tuple) -> None:
    """One outlined circle per set, labelled above (or beside, for the bottom one)."""
    for (cx, cy), name, dash in zip(centres, sets, ("solid", "dash", "dot"), strict=False):
        figure.add_shape(
            type="circle",
            x0=cx - RADIUS,
            y0=cy - RADIUS,
            x1=cx + RADIUS,
            y1=cy + RADIUS,
            line={"color": MODEL_COLOURS.get(name, "#333333"), "width": 2.5, "dash": dash},
            fillcolor="rgba(0,0,0,0.03)",
            layer="below",
        )
        figure.add_annotation(
            # Stacked over three short lines, the two top labels never meet on a phone.
            x=cx * 1.2 if cy >= 0 else cx + 1.3,
            y=cy + RADIUS + 0.05 if cy >= 0 else cy - 0.8,
            yanchor="bottom" if cy >= 0 else "middle",
            text=f"<b>{set_label(name).replace(' ', '<br>', 1)}</b><br>({len(sets[name])} movies)",
            showarrow=False,
            font={"size": 13, "color": MODEL_COLOURS.get(name, "#000000")},
        )


def _add_region_counts(figure: go.Figure, frame: pd.DataFrame, names: list[str], centres) -> None:
    """Each region's number of movies (drawn or not) at its roomiest point."""
    counts = {pattern: 0 for pattern in all_regions(len(names))}
    for pattern in frame["region"].dropna():
        counts[pattern] += 1
    for pattern, count in counts.items():
        x, y = region_anchor(pattern, centres)
        figure.add_annotation(
            x=x,
            y=y,
            text=f"<b>{count}</b>",
            showarrow=False,
            font={"size": 15, "color": "#000"},
            bgcolor="rgba(255,255,255,0.85)",
            bordercolor="#777",
            borderpad=2,
            hovertext=region_label(pattern, names),
        )


def _add_error_lines(figure: go.Figure, shown: pd.DataFrame, name: str, style: tuple) -> None:
    """One model's error lines of one sign, and a marker at each line's end."""
    sign, colour, dash, symbol, word = style
    part = shown[np.sign(shown[name] - shown["rating"]) == sign]
    xs, ys, ends_x, ends_y = [], [], [], []
    for x, y, truth, guess in zip(part["x"], part["y"], part["rating"], part[name], strict=True):
        x0, y0, x1, y1 = error_segment(x, y, truth, guess, name)
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        ends_x.append(x1)
        ends_y.append(y1)
    side = "left" if DIRECTIONS[name][0] < 0 else "right"
    label = f"{MODEL_LABELS[name]} {word} (line to the {side})"
    line = {"color": colour, "width": 2.5, "dash": dash}
    figure.add_scatter(
        x=xs, y=ys, mode="lines", line=line, name=label, legendgroup=label, hoverinfo="skip"
    )
    figure.add_scatter(
        x=ends_x,
        y=ends_y,
        mode="markers",
        marker={"symbol": symbol, "size": 7, "color": colour},
        name=label,
        legendgroup=label,
        showlegend=False,
        hoverinfo="skip",
    )


def _hover(row: dict, models: list[str], where: str) -> str:
    predictions = "<br>".join(
        f"{MODEL_LABELS[name]}: "
        + ("not stored" if pd.isna(row.get(name)) else f"{row[name]:.2f} ★")
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
        marker={"size": 10, "color": "#222222", "line": {"color": "white", "width": 1.5}},
        name="A movie (hover for details)",
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


def _add_outside_titles(figure: go.Figure, shown: pd.DataFrame) -> None:
    """Box 7's movies that fall in no set, titled in a row under the circles."""
    outside = shown[shown["region"].isna()]
    if not len(outside):
        return
    figure.add_annotation(
        x=0,
        y=OUTSIDE_Y + 0.3,
        text=f"{box_name('movie-why')}'s movies, in none of the sets:",
        showarrow=False,
        font={"size": 12, "color": "#555"},
    )
    figure.add_scatter(
        x=outside["x"].tolist(),
        # Alternate above and below the dots so neighbouring titles do not overlap.
        y=[y + (0.15 if i % 2 == 0 else -0.17) for i, y in enumerate(outside["y"])],
        mode="text",
        text=[movie_title(int(movie)) for movie in outside["movie_id"]],
        textfont={"size": 11},
        showlegend=False,
        hoverinfo="skip",
    )


def _style(figure: go.Figure, centres: tuple, scope: str) -> None:
    """Hidden equal-scale axes around the circles, the legend below."""
    # No template: its validation alone costs ~30 ms a call, and the axes are hidden.
    figure.update_layout(
        template=None,
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        hovermode="closest",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 12}},
        xaxis={"visible": False, "range": [-1.85, 1.85], "constrain": "domain"},
        yaxis={
            "visible": False,
            "range": [OUTSIDE_Y - 0.3, max(cy for _, cy in centres) + RADIUS + 0.6],
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
        },
        meta={"scope": scope},
    )


def make_venn_figure(
    frame: pd.DataFrame, sets: dict[str, set[int]], scope: str, focus: int | None = None
) -> go.Figure:
    """The Venn diagram: circles, region counts, dots, error lines, legend.

    Args:
        frame: rows from :func:`components.venn.diagram_rows` (``region``, ``shown``,
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
    _add_region_counts(figure, frame, names, centres)
    for name in models:
        for style in ERROR_STYLES:
            _add_error_lines(figure, shown, name, style)
    _add_dots(figure, shown, models)
    _add_focus_ring(figure, shown, focus)
    _add_outside_titles(figure, shown)
    _style(figure, centres, scope)
    return figure


def venn_table(frame: pd.DataFrame, names: list[str], sort: str) -> pd.DataFrame:
    """The table under the diagram: one row per movie, sortable.

    ``sort``: ``"region"`` (default), ``"rating"`` (true rating, high first) or a model
    name (that model's absolute error, largest first).
    """
    models = [name for name in names if name != FIVE_STARS]
    outside = f"{box_name('movie-why')} movie, no set"
    table = frame.assign(
        movie=[movie_title(int(movie)) for movie in frame["movie_id"]],
        where=[
            region_label(pattern, names) if isinstance(pattern, tuple) else outside
            for pattern in frame["region"]
        ],
    )
    if sort in models:
        table = table.assign(key=-(table[sort] - table["rating"]).abs()).sort_values("key")
    elif sort == "rating":
        table = table.sort_values(["rating", "movie"], ascending=[False, True])
    out = pd.DataFrame({"Movie": table["movie"], "Region": table["where"]})
    out["True rating"] = table["rating"].astype(int).astype(str) + " ★"
    for name in models:
        out[MODEL_LABELS[name]] = [
            "—" if pd.isna(value) else f"{value:.2f}" for value in table[name]
        ]
    out["Split"] = np.where(table["in_test"].astype(bool), "test", "training")
    return out


def summary_text(user: int, scope: str, sets: dict[str, set[int]], n_candidates: int) -> str:
    """One sentence on the chosen user's sets and their overlaps.

    ``n_candidates``: the user's movies in the scope (``"test"`` or ``"all"``).
    """
    parts = [
        f"{set_label(name)} ∩ 5 stars: {len(sets[name] & sets[FIVE_STARS])}"
        for name in sets
        if name != FIVE_STARS
    ]
    scope_words = "test-split movies" if scope == "test" else "stored in-sample movies"
    return (
        f"User {user}: {n_candidates} {scope_words}, "
        f"{len(sets[FIVE_STARS])} rated 5 stars. " + "; ".join(parts)
    )


def table_children(frame: pd.DataFrame, names: list[str], sort: object, caption: str) -> object:
    """The same movies as the diagram, as a table (and a note on movies not drawn)."""
    sort = sort if isinstance(sort, str) else "region"
    table = data_table(venn_table(frame[frame["shown"]], names, sort), caption)
    hidden = int((~frame["shown"]).sum())
    if not hidden:
        return table
    more = f"{hidden} more movies of crowded regions are counted but not drawn or listed."
    return [table, notice(more)]


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
        + ("(not stored)" if pd.isna(row[name]) else f"{row[name]:.2f}")
        for name in models
    )
    return (
        f"{movie_title(int(focus))}: rated {int(row['rating'])} stars; {guesses}. Region: {where}."
    )


def story_paragraph(row: dict, models: list[str], in_top: list[str]) -> html.P:
    """Xiao and Buffy: what our models predict for the rating the article tells of.

    In the article both models recommended *Buffy the Vampire Slayer* (1992) to Xiao, who
    had rated it 1 star. ``row``: that held-out rating with one prediction per model;
    ``in_top``: the models whose top 10 it reaches.
    """
    guesses = " and ".join(f"{MODEL_LABELS[name]} {row[name]:.1f}" for name in models)
    ranked = (
        f"high enough for the top 10 of {' and '.join(MODEL_LABELS[name] for name in in_top)}"
        if in_top
        else "not quite enough for either top 10, so it is drawn under the circles"
    )
    return html.P(
        [
            html.Strong("Xiao and Buffy. "),
            "In the article, both models put Buffy the Vampire Slayer (1992) on Xiao's "
            f"list, and he had given it one star. Our models never saw that rating: they "
            f"expect {guesses} stars from him, {ranked}. {box_name('movie-why')} shows what "
            "everyone else thought of it.",
        ],
        className="venn-story",
    )
