"""Box 8: do groups of readers rate differently, and where does the chosen reader sit?

Mean rating and number of ratings per group (occupation without MovieLens' code 0, age
band, gender, US region from the zip code), over all 1,000,209 ratings and over the chosen
movie's ratings; the chosen user's own groups are highlighted.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html

from components.artifacts import ArtifactError, read_table
from components.box import box_section, figure_caption
from components.figure_table import GRAPH_CONFIG, data_table, notice
from components.movie_search import movie_title
from components.movie_why import user_rating_of
from components.outline import box_name
from components.selection import DEFAULT_STORE, STORE
from components.selection_state import profiles, read_selection
from components.theme import (
    FONT_FAMILY,
    FONT_SIZE,
    LEGEND_ABOVE,
    MIN_FONT_SIZE,
    PEOPLE_ALL_MOVIES,
    PEOPLE_THIS_MOVIE,
    PLOT_TEMPLATE,
)
from components.wording import stars_text
from core.vocabulary import GENDER_LABELS

PREFIX = "user-trends"
DIMENSIONS = {
    "occupation": "Occupation",
    "age": "Age band",
    "gender": "Gender",
    "region": "US region",
}
PROFILE_COLUMN = {
    "occupation": "occupation_name",
    "age": "age_band",
    "gender": "gender",
    "region": "region",
}
ALL_COLOUR = PEOPLE_ALL_MOVIES
MOVIE_COLOUR = PEOPLE_THIS_MOVIE


@cache
def _groups() -> pd.DataFrame:
    return read_table("group_ratings.parquet").set_index("movie_id").sort_index()


def group_stats(dimension: str, movie: int) -> pd.DataFrame:
    """One dimension's groups in display order, over all ratings and for ``movie``.

    Returns:
        Columns ``group``, ``n_all`` (int), ``mean_all``, ``n_movie`` (int, 0 when the
        group never rated it) and ``mean_movie`` (NaN then).

    Raises:
        KeyError: unknown dimension.
    """
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    table = _groups()
    overall = table.loc[[0]]
    overall = overall[overall["dimension"] == dimension]
    one = table.loc[[movie]] if movie in table.index else table.iloc[:0]
    one = one[one["dimension"] == dimension]
    frame = overall[["group", "order", "n", "mean"]].merge(
        one[["group", "n", "mean"]], on="group", how="left", suffixes=("_all", "_movie")
    )
    frame["n_movie"] = frame["n_movie"].fillna(0).astype(int)
    return frame.sort_values("order").drop(columns="order").reset_index(drop=True)


def user_group(user: int, dimension: str) -> str:
    """The label of the user's group in a dimension (``"Male"``, ``"writer"`` ...)."""
    value = str(profiles().at[user, PROFILE_COLUMN[dimension]])
    return GENDER_LABELS.get(value, value) if dimension == "gender" else value


def _group_labels(figure: go.Figure, labels: list[str]) -> None:
    """Each group's name above its two bars, at the plot's left edge (bold for the user's)."""
    for row, label in enumerate(labels):
        figure.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=row - 0.48,
            yanchor="top",
            text=f"<b>{label}</b>" if label.startswith("▶ ") else label,
            showarrow=False,
            font={"size": FONT_SIZE - 1},
        )


def make_trends_figure(frame: pd.DataFrame, mine: str, title: str) -> go.Figure:
    """Horizontal bars of mean rating per group: all movies and the chosen movie.

    Group names sit above their bars rather than beside the axis, so on a 375 px phone the
    1-5 star axis keeps the figure's whole width (beside it, it had ~70 px).
    """
    labels = [f"▶ {group}" if group == mine else group for group in frame["group"]]
    width = [3 if group == mine else 0.5 for group in frame["group"]]
    rows = list(range(len(frame)))
    figure = go.Figure()
    for offset, (column, count, name, colour) in zip(
        (-0.12, 0.18),
        (
            ("mean_all", "n_all", "All movies", ALL_COLOUR),
            ("mean_movie", "n_movie", title, MOVIE_COLOUR),
        ),
        strict=True,
    ):
        figure.add_bar(
            y=rows,
            x=[None if pd.isna(v) else round(float(v), 3) for v in frame[column]],
            orientation="h",
            width=0.3,
            offset=offset,
            name=name,
            marker={"color": colour, "line": {"color": "#000", "width": width}},
            customdata=np.column_stack([labels, frame[count].astype(int)]).tolist(),
            text=[f"n={n:,}" for n in frame[count]],
            textposition="inside",
            insidetextanchor="end",
            textfont={"size": MIN_FONT_SIZE},
            hovertemplate="%{customdata[0]}: %{x:.2f} ★ from %{customdata[1]} ratings<extra>"
            + name
            + "</extra>",
        )
    _group_labels(figure, labels)
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": FONT_SIZE - 1},
        barmode="overlay",
        height=max(260, 58 * len(frame) + 110),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        legend={**LEGEND_ABOVE, "font": {"size": FONT_SIZE - 1}},
        uniformtext={"minsize": MIN_FONT_SIZE, "mode": "show"},
        xaxis={"title": "Mean rating (stars)", "range": [1, 5]},
        yaxis={
            "autorange": False,
            "range": [len(frame) - 0.45, -0.55],
            "showticklabels": False,
            "ticks": "",
            "showline": False,
        },
    )
    return figure


def trends_table(frame: pd.DataFrame, mine: str) -> pd.DataFrame:
    """The figure's numbers, the user's group marked."""
    return pd.DataFrame(
        {
            "Group": [f"{g} (this user)" if g == mine else g for g in frame["group"]],
            "Ratings, all movies": [f"{n:,}" for n in frame["n_all"]],
            "Mean, all movies": [f"{m:.2f}" for m in frame["mean_all"]],
            "Ratings, this movie": [f"{n:,}" for n in frame["n_movie"]],
            "Mean, this movie": ["—" if pd.isna(m) else f"{m:.2f}" for m in frame["mean_movie"]],
        }
    )


def layout() -> html.Section:
    """Box 8: a dimension switch, the bars and the table."""
    intro = html.P(
        "Are some kinds of readers harder to please? Pick a way of grouping the 6,040 "
        "users. Light grey bars give each group's average over every rating, dark grey bars its "
        f"average for the movie chosen in {box_name('movie-why')}; the chosen reader's group "
        "is outlined "
        "and marked ▶. Occupation 0 (“other or not specified”) is left out."
    )
    try:
        # The default reader's bars, computed once with the layout (no request at first).
        figure, table, summary = user_trends_outputs(DEFAULT_STORE, "occupation")
        content = [
            # Named as one group (assets/a11y.js takes Dash's unnamed listbox role off).
            html.Div(
                dcc.RadioItems(
                    id=f"{PREFIX}-dimension",
                    options=[{"label": label, "value": key} for key, label in DIMENSIONS.items()],
                    value="occupation",
                    inline=True,
                    className="user-trends-dimension",
                ),
                role="radiogroup",
                **{"aria-label": "Group readers by"},
            ),
            html.P(summary, id=f"{PREFIX}-summary", **{"aria-live": "polite"}),
            html.Figure(
                [
                    dcc.Graph(id=f"{PREFIX}-graph", figure=figure, config=GRAPH_CONFIG),
                    figure_caption(
                        "Where a group's two bars differ, that group rated this movie unlike "
                        "its usual ratings; the outlined bars are the chosen reader's group."
                    ),
                ],
                **{"aria-label": "Mean rating per user group"},
            ),
            html.Div(table, id=f"{PREFIX}-table", className="figure-table"),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    return box_section(PREFIX, "Trends among readers", [intro, *content])


def summary_text(
    user: int, dimension: str, title: str, frame: pd.DataFrame, mine: str, rating: int | None
) -> str:
    """The chosen user's group on the chosen movie, then the user's own rating of it.

    ``rating``: the user's stars for the movie, ``None`` when they did not rate it.
    """
    own = (
        f" User {user} has not rated it."
        if rating is None
        else f" User {user} gave it {stars_text(rating)}."
    )
    row = frame[frame["group"] == mine]
    if not len(row):
        return f"User {user}'s {DIMENSIONS[dimension].lower()} is not among the groups shown." + own
    row = row.iloc[0]
    if row["n_movie"] == 0:
        return f"No one in user {user}'s group ({mine}) rated {title}." + own
    return (
        f"In user {user}'s group ({mine}), {row['n_movie']:,} people rated {title}, "
        f"{row['mean_movie']:.2f} stars on average (all movies: {row['mean_all']:.2f})." + own
    )


def user_trends_outputs(state: object, dimension: object) -> tuple:
    """Box 8's bars, table and sentence; the group rows are built once for all three.

    Args:
        state: ``selection-store``, read with :func:`read_selection`;
        dimension: a key of :data:`DIMENSIONS` (anything else reads as ``"occupation"``).

    Returns:
        ``(figure, table, summary)``.
    """
    user, movie, _ = read_selection(state)
    dimension = (
        dimension if isinstance(dimension, str) and dimension in DIMENSIONS else "occupation"
    )
    frame, mine = group_stats(dimension, movie), user_group(user, dimension)
    title = movie_title(movie)
    caption = f"Ratings by {DIMENSIONS[dimension].lower()}: all movies and {title}"
    return (
        make_trends_figure(frame, mine, title),
        data_table(trends_table(frame, mine), caption),
        summary_text(user, dimension, title, frame, mine, user_rating_of(user, movie)),
    )


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-table", "children"),
    Output(f"{PREFIX}-summary", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-dimension", "value"),
    prevent_initial_call=True,
)
def update_user_trends(state, dimension):
    """Box 8's one callback: the bars, their numbers and one sentence."""
    return user_trends_outputs(state, dimension)
