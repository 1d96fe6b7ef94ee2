"""Box 6: one reader's recommendations as a Venn diagram of three sets.

For the chosen user the sets are EmbeddingMF's top-10, DeepFM's top-10 and the movies the
user rated 5 stars, among the user's test-split movies (or, in-sample, among every movie
the user rated). Each movie is a dot in its region; from its centre one line per model has
a length proportional to that model's error (left: EmbeddingMF, right: DeepFM), coloured
and dashed by the sign of the error. The movies chosen in Box 7 are drawn below the
circles when the user rated them but they fall in none of the sets.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html

from components.artifacts import (
    ArtifactError,
    available_models,
    predictions_test_split,
    read_table,
)
from components.box import box_section
from components.figure_table import GRAPH_CONFIG, data_table, notice
from components.selection import STORE, clean_state, movie_title
from components.theme import (
    FONT_FAMILY,
    MODEL_COLOURS,
    MODEL_LABELS,
    OVER_ESTIMATE,
    UNDER_ESTIMATE,
)

PREFIX = "venn"
VENN_MODELS = ("embedding_mf", "deepfm")
FIVE_STARS = "five_stars"
TOP_K = 10
RADIUS = 1.0
#: Line length per star of error, in units of the circle radius.
ERROR_SCALE = 0.09
#: Direction of each model's error line: EmbeddingMF to the left, DeepFM to the right.
DIRECTIONS = {"embedding_mf": (-1.0, 0.0), "deepfm": (1.0, 0.0)}
MAX_DOTS_PER_REGION = 40
OUTSIDE_Y = -2.2
SCOPES = {"test": "Test split (unseen by the models)", "all": "Every movie rated (in-sample)"}


def venn_models() -> list[str]:
    """The Venn models that have artifacts, EmbeddingMF first."""
    return [name for name in VENN_MODELS if name in available_models()]


def set_names(models: list[str]) -> list[str]:
    """The sets of the diagram, in circle order: each model's top-10, then the 5 stars."""
    return [*models, FIVE_STARS]


def set_label(name: str) -> str:
    """Legend text of a set."""
    return "Rated 5 stars" if name == FIVE_STARS else f"{MODEL_LABELS[name]} top-{TOP_K}"


@cache
def _test_by_user() -> tuple[pd.DataFrame, np.ndarray]:
    frame = predictions_test_split().sort_values(["user_id", "movie_id"], ignore_index=True)
    return frame, frame["user_id"].to_numpy()


@cache
def _insample_by_user() -> tuple[pd.DataFrame, np.ndarray]:
    frame = read_table("user_insample.parquet")
    return frame, frame["user_id"].to_numpy()


def _slice(table: tuple[pd.DataFrame, np.ndarray], user: int) -> pd.DataFrame:
    frame, users = table
    start, stop = np.searchsorted(users, [user, user + 1])
    return frame.iloc[start:stop]


def user_rows(user: int, scope: str) -> pd.DataFrame:
    """The user's candidate movies: ``movie_id``, ``rating`` and one column per model.

    ``scope`` ``"test"``: every test-split rating of the user; ``"all"``: the stored
    in-sample rows (each model's top-10 over all rated movies, the 5-star movies, the
    story movies). Raises :class:`ArtifactError` when an artifact is missing.
    """
    if scope == "all":
        rows = _slice(_insample_by_user(), user)
    else:
        rows = _slice(_test_by_user(), user).assign(in_test=True)
    return rows.drop(columns="user_id").reset_index(drop=True)


def known_rating(user: int, movie: int) -> dict | None:
    """The user's stored rating of a movie and the models' predictions, if stored.

    Looks in the test split first, then in the in-sample rows. Returns ``None`` when the
    pair is not stored (a training rating below 5 stars of a non-story movie).
    """
    for table, in_test in ((_test_by_user, True), (_insample_by_user, None)):
        try:
            rows = _slice(table(), user)
        except ArtifactError:
            continue
        hit = rows[rows["movie_id"] == movie]
        if len(hit):
            row = hit.iloc[0].to_dict()
            row["in_test"] = bool(row.get("in_test", in_test))
            return row
    return None


def venn_sets(rows: pd.DataFrame, models: list[str], k: int = TOP_K) -> dict[str, set[int]]:
    """Each model's top-``k`` movie ids (ties to the lower id) and the 5-star movie ids.

    Rows whose prediction is missing (NaN) never enter a top-``k``.
    """
    sets = {}
    for name in models:
        scored = rows[rows[name].notna()] if name in rows else rows.iloc[:0]
        ranked = scored.sort_values([name, "movie_id"], ascending=[False, True], kind="stable")
        sets[name] = set(ranked["movie_id"].head(k).astype(int))
    sets[FIVE_STARS] = set(rows.loc[rows["rating"] == 5, "movie_id"].astype(int))
    return sets


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


def region_label(pattern: tuple[bool, ...], names: list[str]) -> str:
    """Words for a region: ``"EmbeddingMF top-10 & Rated 5 stars only"``."""
    inside = [set_label(name) for name, bit in zip(names, pattern, strict=True) if bit]
    return " & ".join(inside) + (" only" if len(inside) < len(names) else " (all)")


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


@lru_cache(maxsize=64)
def diagram_rows(user: int, scope: str, spotlight: tuple[int, ...]) -> tuple[pd.DataFrame, dict]:
    """Rows of every movie drawn for a user, with region and position.

    Returns:
        ``(frame, sets)``: ``frame`` has ``movie_id``, ``rating``, ``in_test``, one column
        per model, ``region`` (membership tuple, ``None`` for spotlight movies outside
        all sets), ``shown`` (whether it is drawn; big regions are capped at
        :data:`MAX_DOTS_PER_REGION`, Box 7's movies then largest errors first), ``x``,
        ``y``; ``sets`` maps set names to movie ids. Cached: treat the result as read-only.
    """
    models = venn_models()
    rows = user_rows(user, scope)
    sets = venn_sets(rows, models)
    names = set_names(models)
    centres = circle_centres(len(names))
    members = region_members(sets)
    by_movie = rows.drop_duplicates("movie_id").set_index("movie_id")
    parts = []
    for pattern, movies in members.items():
        part = by_movie.loc[movies].reset_index()
        error = np.zeros(len(part))
        for name in models:
            error = np.fmax(error, (part[name] - part["rating"]).abs().fillna(0).to_numpy())
        spot = part["movie_id"].isin(spotlight)
        part = part.assign(region=[pattern] * len(part), error=error, spot=spot)
        part = part.sort_values(
            ["spot", "error", "movie_id"], ascending=[False, False, True], kind="stable"
        ).drop(columns="spot")
        part["shown"] = np.arange(len(part)) < MAX_DOTS_PER_REGION
        spots = dot_positions(pattern, centres, int(part["shown"].sum()))
        part["x"] = [p[0] for p in spots] + [None] * (len(part) - len(spots))
        part["y"] = [p[1] for p in spots] + [None] * (len(part) - len(spots))
        parts.append(part)
    drawn = set().union(*sets.values())
    extra = []
    for movie in dict.fromkeys(spotlight):
        if movie in drawn:
            continue
        row = known_rating(user, movie)
        if row is not None:
            extra.append({**row, "region": None, "shown": True, "error": 0.0})
    for i, row in enumerate(extra):
        row["x"], row["y"] = (i - (len(extra) - 1) / 2) * 1.2, OUTSIDE_Y
    frame = pd.concat([*parts, pd.DataFrame(extra)], ignore_index=True) if extra else None
    frame = frame if frame is not None else pd.concat(parts, ignore_index=True)
    return frame, sets


def make_venn_figure(
    frame: pd.DataFrame, sets: dict[str, set[int]], scope: str, focus: int | None = None
) -> go.Figure:
    """The Venn diagram: circles, region counts, dots, error lines, legend."""
    names = list(sets)
    models = [name for name in names if name != FIVE_STARS]
    centres = circle_centres(len(names))
    figure = go.Figure()
    counts = {pattern: 0 for pattern in all_regions(len(names))}
    for pattern in frame["region"].dropna():
        counts[pattern] += 1
    for (cx, cy), name, dash in zip(centres, names, ("solid", "dash", "dot"), strict=False):
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
    shown = frame[frame["shown"]]
    for name in models:
        for sign, colour, dash, symbol, word in (
            (-1, UNDER_ESTIMATE, "dot", "triangle-down", "under-estimated"),
            (1, OVER_ESTIMATE, "solid", "triangle-up", "over-estimated"),
        ):
            part = shown[np.sign(shown[name] - shown["rating"]) == sign]
            xs, ys, ends_x, ends_y = [], [], [], []
            for row in part.itertuples(index=False):
                row = row._asdict()
                x0, y0, x1, y1 = error_segment(row["x"], row["y"], row["rating"], row[name], name)
                xs += [x0, x1, None]
                ys += [y0, y1, None]
                ends_x.append(x1)
                ends_y.append(y1)
            side = "left" if DIRECTIONS[name][0] < 0 else "right"
            label = f"{MODEL_LABELS[name]} {word} (line to the {side})"
            figure.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 2.5, "dash": dash},
                name=label,
                legendgroup=label,
                hoverinfo="skip",
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
    where = np.where(shown["in_test"].astype(bool), "test split", "training split")
    hovertext = [
        _hover(row, models, f"rated in the {place}")
        for row, place in zip(shown.to_dict("records"), where, strict=True)
    ]
    customdata = [
        [int(row["movie_id"]), int(row["rating"])]
        + [None if pd.isna(row.get(name)) else round(float(row[name]), 2) for name in models]
        for row in shown.to_dict("records")
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
    if focus is not None and focus in set(shown["movie_id"]):
        spot = shown[shown["movie_id"] == focus].iloc[0]
        figure.add_scatter(
            x=[spot["x"]],
            y=[spot["y"]],
            mode="markers",
            marker={"size": 24, "color": "rgba(0,0,0,0)", "line": {"color": "#000", "width": 3}},
            name=f"Selected: {movie_title(int(focus))}",
            hoverinfo="skip",
        )
    outside = shown[shown["region"].isna()]
    if len(outside):
        figure.add_annotation(
            x=0,
            y=OUTSIDE_Y + 0.3,
            text="Box 7's movies, in none of the sets:",
            showarrow=False,
            font={"size": 12, "color": "#555"},
        )
        figure.add_scatter(
            x=outside["x"].tolist(),
            y=[y + (0.15 if i % 2 == 0 else -0.17) for i, y in enumerate(outside["y"])],
            mode="text",
            text=[movie_title(int(movie)) for movie in outside["movie_id"]],
            textfont={"size": 11},
            showlegend=False,
            hoverinfo="skip",
        )
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
    return figure


def venn_table(frame: pd.DataFrame, names: list[str], sort: str) -> pd.DataFrame:
    """The table under the diagram: one row per movie, sortable.

    ``sort``: ``"region"`` (default), ``"rating"`` (true rating, high first) or a model
    name (that model's absolute error, largest first).
    """
    models = [name for name in names if name != FIVE_STARS]
    table = frame.assign(
        movie=[movie_title(int(movie)) for movie in frame["movie_id"]],
        where=[
            region_label(pattern, names) if isinstance(pattern, tuple) else "Box 7 movie, no set"
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


def overlap_count(models: list[str] | None = None) -> dict[str, int]:
    """Over every user (test split): how many have a model's top-10 ∩ 5 stars non-empty."""
    frame, _ = _test_by_user()
    result = {}
    for name in models or venn_models():
        ranked = frame.sort_values(
            ["user_id", name, "movie_id"], ascending=[True, False, True], kind="stable"
        )
        top = ranked.groupby("user_id", sort=False).head(TOP_K)
        result[name] = int(top.loc[top["rating"] == 5, "user_id"].nunique())
    return result


def _state(state: dict | None) -> tuple[int, tuple[int, ...]]:
    state = clean_state(state)
    return state["user"], (state["movie"], state["compare"])


XIAO, BUFFY = 1680, 3264


def xiao_story(models: list[str]) -> html.P | None:
    """The article's turn of Xiao's story, told with our models' numbers (or ``None``).

    In the article both models recommended *Buffy the Vampire Slayer* (1992) to Xiao, who
    had rated it 1 star; here we say what our models predict for that held-out rating.
    """
    row = known_rating(XIAO, BUFFY)
    if row is None or not models:
        return None
    guesses = " and ".join(f"{MODEL_LABELS[name]} {row[name]:.1f}" for name in models)
    in_top = [MODEL_LABELS[name] for name in models if row[name] >= _top_k_floor(name)]
    ranked = (
        f"high enough for the top 10 of {' and '.join(in_top)}"
        if in_top
        else "not quite enough for either top 10, so it is drawn under the circles"
    )
    return html.P(
        [
            html.Strong("Xiao and Buffy. "),
            "In the article, both models put Buffy the Vampire Slayer (1992) on Xiao's "
            f"list, and he had given it one star. Our models never saw that rating: they "
            f"expect {guesses} stars from him, {ranked}. Box 7 shows what everyone else "
            "thought of it.",
        ],
        className="venn-story",
    )


def _top_k_floor(name: str) -> float:
    """The lowest prediction in Xiao's test-split top 10 for one model."""
    rows = user_rows(XIAO, "test")
    return float(rows[name].nlargest(TOP_K).min())


def layout() -> html.Section:
    """Box 6: scope switch, the diagram, a keyboard picker with details, the table."""
    intro = html.P(
        "Each circle is a set of the chosen reader's movies: the ten each model would "
        "put first, and the ones the reader gave five stars. A dot is a movie. Its two "
        "short lines show how far each model's guess was from the true rating: the left "
        "line for EmbeddingMF, the right one for DeepFM; the longer the line, the bigger "
        "the miss. Orange, solid lines with an upward triangle mean the model guessed too "
        "high; blue, dotted lines with a downward triangle, too low."
    )
    try:
        models = venn_models()
    except ArtifactError as error:
        return box_section(PREFIX, "Box 6 · One reader's recommendations", [notice(str(error))])
    missing = [MODEL_LABELS[name] for name in VENN_MODELS if name not in models]
    story = xiao_story(models)
    content = [
        intro,
        *([story] if story is not None else []),
        *(
            [notice(f"No results yet for {', '.join(missing)}: its circle is left out.")]
            if missing
            else []
        ),
        dcc.RadioItems(
            id=f"{PREFIX}-scope",
            options=[{"label": label, "value": key} for key, label in SCOPES.items()],
            value="test",
            inline=True,
            className="venn-scope",
        ),
        html.P(id=f"{PREFIX}-summary", className="venn-summary", **{"aria-live": "polite"}),
        html.Figure(
            dcc.Graph(
                id=f"{PREFIX}-graph",
                config={**GRAPH_CONFIG, "displayModeBar": False},
                className="venn-graph",
                # Inline, so Plotly's autosize reads the same height the page gives it.
                style={"height": "clamp(24rem, 110vw, 40rem)"},
            ),
            **{"aria-label": "Venn diagram of the reader's top-10 lists and 5-star movies"},
        ),
        html.Div(
            className="venn-focus",
            children=[
                html.Label("Highlight a movie", htmlFor=f"{PREFIX}-focus"),
                dcc.Dropdown(id=f"{PREFIX}-focus", placeholder="Pick a movie of the diagram"),
                html.P(id=f"{PREFIX}-details", className="venn-details", **{"aria-live": "polite"}),
            ],
        ),
        html.Fieldset(
            className="venn-sort",
            children=[
                html.Legend("Sort the table by"),
                dcc.RadioItems(
                    id=f"{PREFIX}-sort",
                    options=[
                        {"label": "region", "value": "region"},
                        {"label": "true rating", "value": "rating"},
                        *(
                            {"label": f"{MODEL_LABELS[name]} error", "value": name}
                            for name in models
                        ),
                    ],
                    value="region",
                    inline=True,
                ),
            ],
        ),
        html.Div(id=f"{PREFIX}-table", className="figure-table venn-table"),
    ]
    return box_section(PREFIX, "Box 6 · One reader's recommendations", content)


def _build(state, scope):
    user, spotlight = _state(state)
    scope = scope if isinstance(scope, str) and scope in SCOPES else "test"
    frame, sets = diagram_rows(user, scope, spotlight)
    return user, scope, frame, sets


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-focus", "value"),
)
def update_figure(state, scope, focus):
    """Redraw the diagram for the chosen user, scope and highlighted movie."""
    _, scope, frame, sets = _build(state, scope)
    return make_venn_figure(frame, sets, scope, focus if isinstance(focus, int) else None)


@callback(
    Output(f"{PREFIX}-table", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-sort", "value"),
)
def update_table(state, scope, sort):
    """The same movies as the diagram, as a table."""
    user, scope, frame, sets = _build(state, scope)
    caption = f"Movies of user {user} in the diagram ({SCOPES[scope].lower()})"
    table = data_table(venn_table(frame[frame["shown"]], list(sets), sort or "region"), caption)
    hidden = int((~frame["shown"]).sum())
    if not hidden:
        return table
    more = f"{hidden} more movies of crowded regions are counted but not drawn or listed."
    return [table, notice(more)]


@callback(
    Output(f"{PREFIX}-focus", "options"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
)
def update_focus_options(state, scope):
    """The drawn movies, for keyboard users to highlight one."""
    _, _, frame, _ = _build(state, scope)
    shown = frame[frame["shown"]]
    return [{"label": movie_title(int(m)), "value": int(m)} for m in shown["movie_id"]]


@callback(
    Output(f"{PREFIX}-details", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-focus", "value"),
)
def update_details(state, scope, focus):
    """What hovering the highlighted dot would show, in words."""
    _, _, frame, sets = _build(state, scope)
    hit = frame[frame["movie_id"] == focus] if isinstance(focus, int) else frame.iloc[:0]
    if not len(hit):
        return "Pick a movie to read its ratings here."
    row = hit.iloc[0].to_dict()
    names = list(sets)
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


@callback(
    Output(f"{PREFIX}-summary", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
)
def update_summary(state, scope):
    """One sentence on the chosen user's sets and their overlaps."""
    user, scope, frame, sets = _build(state, scope)
    parts = [
        f"{set_label(name)} ∩ 5 stars: {len(sets[name] & sets[FIVE_STARS])}"
        for name in sets
        if name != FIVE_STARS
    ]
    n = len(user_rows(user, scope))
    scope_words = "test-split movies" if scope == "test" else "stored in-sample movies"
    return f"User {user}: {n} {scope_words}, {len(sets[FIVE_STARS])} rated 5 stars. " + "; ".join(
        parts
    )
