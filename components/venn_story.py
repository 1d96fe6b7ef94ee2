"""Box 6's sentences about the chosen reader, each computed from that reader's rows.

Nothing here assumes the reader is Xiao: the summary counts the reader's movies and hits,
and the story follows the movie chosen in Box 7 into this reader's diagram (rated or not,
in which sets, drawn where). The only sentence about Xiao alone, what the original article
told of him, says so (:func:`article_story`).
"""

from __future__ import annotations

import pandas as pd
from dash import html

from components.movie_search import movie_title
from components.outline import box_name
from components.theme import MODEL_LABELS
from components.venn_figure import FIVE_STARS
from components.wording import count_text, reader_name, stars_text
from core.vocabulary import STORY_MOVIE, STORY_USER, STORY_USER_NAME, TOP_K

#: What each scope counts, in plain words.
SCOPE_WORDS = {
    "test": "in the test split (ratings the models never saw)",
    "all": "in all (training and test split)",
}


def summary_text(user: int, scope: str, sets: dict[str, set[int]], n_candidates: int) -> str:
    """How many movies the reader rated in the scope, how many with 5 stars, and how many
    of those each model's top 10 holds.

    Args:
        user: the chosen reader; scope: ``"test"`` or ``"all"``;
        sets: set name -> movie ids (each model's top 10, then :data:`FIVE_STARS`);
        n_candidates: the reader's movies in the scope.
    """
    five = sets[FIVE_STARS]
    first = (
        f"User {user}: rated {count_text(n_candidates, 'movie')} {SCOPE_WORDS[scope]}, "
        f"{'none' if not five else len(five)} of them with 5 stars."
    )
    models = [name for name in sets if name != FIVE_STARS]
    if not five or not models:
        return first
    held = " and ".join(
        f"{MODEL_LABELS[name]}'s top {TOP_K} holds {len(sets[name] & five)}" for name in models
    )
    return f"{first} Of those, {held}."


def _where(region: object, names: list[str]) -> str:
    """Which sets a movie's region is inside, in words."""
    if not isinstance(region, tuple):
        return "It is in none of the sets, so it is drawn under the circles"
    inside = [
        "the 5-star circle" if name == FIVE_STARS else f"{MODEL_LABELS[name]}'s top {TOP_K}"
        for name, bit in zip(names, region, strict=True)
        if bit
    ]
    return "It is in " + " and ".join(inside)


def story_children(user: int, movie: int, frame: pd.DataFrame, names: list[str]) -> list:
    """The chosen reader and Box 7's movie: rated or not, the guesses, where it is drawn.

    Args:
        user: the chosen reader; movie: the first movie chosen in Box 7;
        frame: the reader's diagram rows (:func:`components.venn_rows.diagram_rows`), which
            hold Box 7's movies whenever the reader rated them;
        names: the sets in circle order.

    Returns:
        Dash children: a bold lead, then plain sentences.
    """
    title = movie_title(movie)
    name = reader_name(user)
    lead = html.Strong(f"{name} and {title}. ")
    hit = frame[frame["movie_id"] == movie]
    if not len(hit):
        return [
            lead,
            f"{name} has not rated it, so it has no dot here. Pick a movie this reader "
            f"rated in {box_name('movie-why')} to find it in the diagram.",
        ]
    row = hit.iloc[0]
    seen = (
        "that rating is in the test split, so the models never saw it"
        if bool(row["in_test"])
        else "that rating is in the training split, so the models learned from it"
    )
    models = [n for n in names if n != FIVE_STARS and pd.notna(row.get(n))]
    guesses = " and ".join(f"{MODEL_LABELS[n]} {float(row[n]):.1f}" for n in models)
    predicted = f" The models' guesses: {guesses} stars." if models else ""
    return [
        lead,
        f"{name} gave it {stars_text(int(row['rating']))}; {seen}.{predicted} "
        f"{_where(row['region'], names)}. {box_name('movie-why')} shows what everyone "
        "else thought of it.",
    ]


def article_story() -> html.P:
    """What the original article told of Xiao: about him only, whoever is chosen."""
    return html.P(
        [
            html.Strong("In the article. "),
            f"Both of the article's models put {movie_title(STORY_MOVIE)} on the list of "
            f"{STORY_USER_NAME} (user {STORY_USER}), who had rated it 1 star. Choose him "
            f"above and that movie in {box_name('movie-why')} to see where our models "
            "put it.",
        ],
        className="venn-story-article",
    )
