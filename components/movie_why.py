"""Box 7: why the models guessed what they did, seen from one movie's ratings.

For each of two movies (side by side): how every user rated it in the training split (bars
per star), the movie's training mean, each model's mean prediction over all its ratings,
and the chosen user's own rating. Few or one-sided ratings pull a model's guesses toward
the crowd, whatever one reader thinks.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html

from components.artifacts import ArtifactError
from components.box import box_section, figure_caption
from components.chart_marks import MeanMark, add_mean_rows
from components.figure_table import GRAPH_CONFIG, data_table, notice, transposed
from components.movie_search import movies
from components.selection import DEFAULT_STORE, STORE, movie_controls
from components.selection_state import read_selection
from components.theme import (
    FONT_FAMILY,
    FONT_SIZE,
    MIN_FONT_SIZE,
    MODEL_COLOURS,
    MODEL_LABELS,
    MODEL_MARKERS,
    PLOT_TEMPLATE,
    TRAINING_MEAN,
)
from components.venn_rows import known_rating
from components.wording import reader_name, stars_text
from core.vocabulary import STARS, STORY_COMPARE, STORY_MOVIE, VENN_MODELS

PREFIX = "movie-why"
#: Training counts the article reports, to compare with this split's.
ARTICLE_TRAINING_COUNTS = {STORY_MOVIE: 465, STORY_COMPARE: 88}
USER_MARK = "#000000"


def movie_stats(movie_id: int) -> dict:
    """One movie's training histogram and means.

    Returns:
        ``title``, ``counts`` (list of 5 ints, stars 1..5, training split), ``n_train``,
        ``n_test``, ``mean_train`` (float, NaN without training ratings) and ``means``
        (model -> mean prediction over all the movie's ratings, for the Venn models
        stored). Raises ``KeyError`` for an unknown movie.
    """
    row = movies().loc[movie_id]
    return {
        "title": str(row["title"]),
        "counts": [int(row[f"n_{star}"]) for star in STARS],
        "n_train": int(row["n_train"]),
        "n_test": int(row["n_test"]),
        "mean_train": float(row["mean_train"]),
        "means": {
            name: float(row[f"mean_{name}"])
            for name in VENN_MODELS
            if f"mean_{name}" in row.index and pd.notna(row[f"mean_{name}"])
        },
    }


def _mean_marks(stats: dict) -> list[MeanMark]:
    """The movie's training mean, then each Venn model's mean prediction for it."""
    marks = [MeanMark("training mean", stats["mean_train"], TRAINING_MEAN, "line-ns-open", "")]
    marks += [
        MeanMark(MODEL_LABELS[name], value, MODEL_COLOURS[name], MODEL_MARKERS[name], name)
        for name, value in stats["means"].items()
    ]
    return [mark for mark in marks if pd.notna(mark.value)]


def make_movie_figure(stats: dict, user: int, user_rating: int | None) -> go.Figure:
    """Bars of training ratings per star, one labelled row per mean, and the user's rating.

    The means often lie within 0.05 star of each other, so each has its own row above the
    bars (marker and label) instead of a legend entry; the figure needs no legend.
    """
    figure = go.Figure()
    highest = max(stats["counts"]) or 1
    figure.add_bar(
        x=STARS,
        y=stats["counts"],
        name="Training ratings",
        marker={"color": MODEL_COLOURS["true"], "line": {"color": "#444", "width": 1}},
        hovertemplate="%{x} ★: %{y} training ratings<extra></extra>",
    )
    if pd.notna(stats["mean_train"]):
        figure.add_scatter(
            x=[stats["mean_train"]] * 2,
            y=[0, highest * 1.05],
            mode="lines",
            line={"color": TRAINING_MEAN, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    ceiling = add_mean_rows(figure, _mean_marks(stats), highest * 1.05, 3.0)
    if user_rating is not None:
        figure.add_scatter(
            x=[user_rating],
            y=[ceiling + highest * 0.05],
            mode="markers+text",
            marker={"symbol": "star", "size": 18, "color": USER_MARK},
            text=[f"user {user}: {user_rating} ★"],
            textposition="middle right" if user_rating < 4 else "middle left",
            textfont={"size": MIN_FONT_SIZE + 1},
            cliponaxis=False,
            name=f"User {user}'s rating: {user_rating}",
            hovertemplate=f"User {user} rated it {user_rating} ★<extra></extra>",
        )
        ceiling += highest * 0.12
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": FONT_SIZE - 1},
        title={"text": stats["title"], "font": {"size": FONT_SIZE + 1}, "x": 0.02},
        margin={"l": 50, "r": 10, "t": 40, "b": 45},
        height=400,
        showlegend=False,
        xaxis={"title": "Rating (stars)", "range": [0.4, 5.6], "dtick": 1},
        yaxis={"title": "Training ratings", "range": [0, ceiling]},
        bargap=0.15,
    )
    return figure


def user_rating_of(user: int, movie: int) -> int | None:
    """The user's stars for a movie, ``None`` when they did not rate it
    (:func:`components.venn_rows.known_rating`)."""
    row = known_rating(user, movie)
    return None if row is None else int(row["rating"])


class MovieView(NamedTuple):
    """One movie as Box 7 shows it to one user: its statistics and the user's rating."""

    movie: int
    stats: dict
    user_rating: int | None


def movie_view(user: int, movie: int) -> MovieView:
    """:func:`movie_stats` and :func:`user_rating_of` for one known movie and user."""
    return MovieView(movie, movie_stats(movie), user_rating_of(user, movie))


def why_table(views: list[MovieView], user: int) -> pd.DataFrame:
    """Per movie: training count (and the article's), means, the user's rating."""
    rows = []
    for movie, stats, rating in views:
        row = {
            "Movie": stats["title"],
            "Training ratings": f"{stats['n_train']:,}",
            "In the article": f"{ARTICLE_TRAINING_COUNTS[movie]}"
            if movie in ARTICLE_TRAINING_COUNTS
            else "—",
            "Training mean": f"{stats['mean_train']:.2f}",
        }
        for name in VENN_MODELS:
            value = stats["means"].get(name)
            row[f"{MODEL_LABELS[name]} mean"] = "—" if value is None else f"{value:.2f}"
        row[f"User {user}"] = "not rated" if rating is None else f"{rating} ★"
        rows.append(row)
    return pd.DataFrame(rows)


def layout() -> html.Section:
    """Box 7: two movie pickers, two histograms, and a table of the numbers."""
    intro = html.P(
        "Why would a model expect a reader to like a movie they hated? Look at everyone "
        "else. "
        "The bars count how the training split's users rated each movie; the dashed line "
        "is that movie's average rating; above the bars, each labelled marker gives one "
        "average (the movie's, or a model's guesses for it), and the star the chosen "
        "reader's own rating."
    )
    try:
        # The default movies, computed once with the layout (no request on a first visit).
        first, second, table = movie_why_outputs(DEFAULT_STORE)
        figures = {"movie": first, "compare": second}
        content = [
            movie_controls(),
            html.Figure(
                className="movie-why-pair",
                children=[
                    html.Figure(
                        dcc.Graph(
                            id=f"{PREFIX}-{key}",
                            figure=figures[key],
                            config={**GRAPH_CONFIG, "displayModeBar": False},
                        ),
                        className="movie-why-figure",
                        **{"aria-label": f"Training ratings of the {word} movie"},
                    )
                    for key, word in (("movie", "first"), ("compare", "second"))
                ]
                + [
                    figure_caption(
                        "For a movie with many ratings, each model's average guess lands "
                        "near the crowd's mean, however far the chosen reader's own star is "
                        "from it."
                    )
                ],
            ),
            html.Div(table, id=f"{PREFIX}-table", className="figure-table"),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    explain = html.P(
        "A movie with hundreds of ratings teaches a model what people in general think of "
        "it, so a guess for one reader lands near the crowd's average, however far that "
        "reader is from the crowd: Xiao's single star for Buffy and his five stars for "
        "Who's That Girl? are both far from it. A movie with few ratings gives the model "
        "little to go on, and its guesses stay close to the movie's mean. The article "
        "counted 465 training ratings for Buffy and 88 for Who's That Girl?; our own "
        "random split lands within a few ratings of that."
    )
    return box_section(PREFIX, "Why? What everyone else thought", [intro, *content, explain])


def movie_why_outputs(state: object) -> tuple:
    """Box 7's two histograms and its table; each movie's numbers are read once.

    Args:
        state: ``selection-store``, read with :func:`read_selection`.

    Returns:
        ``(first movie's figure, second movie's figure, table children)``.
    """
    user, movie, compare = read_selection(state)
    views = [movie_view(user, movie), movie_view(user, compare)]
    figures = [make_movie_figure(view.stats, user, view.user_rating) for view in views]
    table = why_table(views, user)
    caption = "Training ratings and mean guesses for the two movies"
    reader = html.P(reader_sentences(views, user), className="movie-why-reader")
    # One column per movie: two narrow columns fit a phone, where seven did not.
    return *figures, [data_table(transposed(table, "For each movie"), caption), reader]


def reader_sentences(views: list[MovieView], user: int) -> str:
    """The chosen reader's own rating of each movie against the crowd's, in words.

    ``"User 42 gave Buffy the Vampire Slayer (1992) 2 stars, 1.3 below its training mean
    (3.31)."``, or ``"... has not rated ..."``; computed for whoever is chosen.
    """
    rated, unrated = [], []
    for _, stats, rating in views:
        if rating is None:
            unrated.append(stats["title"])
            continue
        gap = rating - stats["mean_train"]
        side = "at" if abs(gap) < 0.05 else f"{abs(gap):.1f} {'above' if gap > 0 else 'below'}"
        rated.append(
            f"{stats['title']} {stars_text(rating)}, {side} its training mean "
            f"({stats['mean_train']:.2f})"
        )
    name = reader_name(user)
    sentences = [f"{name} gave " + ", and ".join(rated) + "."] if rated else []
    if len(unrated) == 2 and unrated[0] != unrated[1]:
        sentences.append(f"{name} has rated neither {unrated[0]} nor {unrated[1]}.")
    elif unrated:
        sentences.append(f"{name if not rated else 'This reader'} has not rated {unrated[0]}.")
    return " ".join(sentences)


@callback(
    Output(f"{PREFIX}-movie", "figure"),
    Output(f"{PREFIX}-compare", "figure"),
    Output(f"{PREFIX}-table", "children"),
    Input(STORE, "data"),
    prevent_initial_call=True,
)
def update_movie_why(state):
    """Box 7's one callback: both histograms and the table for the store's movies."""
    return movie_why_outputs(state)
