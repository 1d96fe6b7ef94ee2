"""Box 9: rate a few movies yourself and get recommendations calibrated to you.

The reader's ratings live only in their browser (``dcc.Store`` with session storage,
``{movie_id: stars}``, which the browser copies into a tab opened from this one); every
update sends them to a stateless callback that folds the reader into the trained
EmbeddingMF and returns the top 10, the ratings behind each pick, and the top 10 of the
average user of a demographic group the reader picks (:mod:`components.your_taste_lists`).
The server keeps nothing between requests.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from components.artifacts import ArtifactError
from components.box import box_section
from components.figure_table import data_table, notice
from components.your_taste_lists import (
    AGE_BANDS,
    ANY,
    GENDERS,
    NO_RATINGS,
    OCCUPATIONS,
    PREFIX,
    Rated,
    compute_comparison,
    compute_your_taste,
    group_label,
    item_factors,
    movie_options,
    read_ratings,
    stars_text,
    title_of,
    update_ratings,
)
from components.your_taste_map import POINT, WHERE, map_outputs, map_section
from core.scoring import RatingError
from core.vocabulary import STARS

SMALL_GROUP = 10
#: The group picker's first choice: gender, age band, occupation ("any", 25-34, "any").
DEFAULT_GROUP = (ANY, 25, -1)


def _ratings_list(rated: Rated) -> list:
    """The reader's ratings, each with a remove button."""
    if not rated.rows:
        return [html.Li("No ratings yet.", className=f"{PREFIX}-empty")]
    items = []
    for row, movie_id, stars in zip(rated.rows, rated.movie_ids(), rated.stars, strict=True):
        title = title_of(row)
        items.append(
            html.Li(
                [
                    html.Span(title, className=f"{PREFIX}-title"),
                    html.Span(
                        "★" * stars,
                        className=f"{PREFIX}-stars",
                        **{"aria-label": stars_text(stars)},
                    ),
                    html.Button(
                        "Remove",
                        id={"type": f"{PREFIX}-remove", "movie": movie_id},
                        className=f"{PREFIX}-remove",
                        n_clicks=0,
                        **{"aria-label": f"Remove your rating of {title}"},
                    ),
                ]
            )
        )
    return items


def _controls() -> html.Div:
    return html.Div(
        className=f"{PREFIX}-controls",
        children=[
            html.Label("Find a movie", htmlFor=f"{PREFIX}-movie", className="control-label"),
            dcc.Dropdown(
                id=f"{PREFIX}-movie",
                options=movie_options(),  # a few titles; the rest are searched for
                placeholder="Type part of a title…",
                searchable=True,
                clearable=True,
                className=f"{PREFIX}-dropdown",
            ),
            html.Fieldset(
                className=f"{PREFIX}-star-picker",
                children=[
                    html.Legend("Your rating", className="control-label"),
                    dcc.RadioItems(
                        id=f"{PREFIX}-stars",
                        options=[{"label": f"{s} ★", "value": s} for s in STARS],
                        value=4,
                        inline=True,
                        className=f"{PREFIX}-radio",
                    ),
                ],
            ),
            html.Button("Add rating", id=f"{PREFIX}-add", n_clicks=0, className="button"),
            html.P(id=f"{PREFIX}-message", role="status", className=f"{PREFIX}-message"),
        ],
    )


def _group_picker() -> html.Fieldset:
    def picker(name: str, label: str, labels: dict, value) -> html.Div:
        return html.Div(
            [
                html.Label(label, htmlFor=f"{PREFIX}-{name}"),
                dcc.Dropdown(
                    id=f"{PREFIX}-{name}",
                    options=[{"label": text, "value": key} for key, text in labels.items()],
                    value=value,
                    clearable=False,
                    searchable=False,
                ),
            ]
        )

    return html.Fieldset(
        className=f"{PREFIX}-group",
        children=[
            html.Legend("Your group", className="control-label"),
            *(
                picker(name, label, labels, value)
                for (name, label, labels), value in zip(
                    (
                        ("gender", "Gender", GENDERS),
                        ("age", "Age", AGE_BANDS),
                        ("occupation", "Occupation", OCCUPATIONS),
                    ),
                    DEFAULT_GROUP,
                    strict=True,
                )
            ),
        ],
    )


def layout() -> html.Section:
    """Box 9: the rating controls, the reader's ratings, their top 10 and the comparison."""
    intro = [
        html.P(
            "The article ends on an open question: can a model trained on everyone be "
            "tuned to one person from that person's own ratings? Here is one answer you "
            "can try. Rate a few movies you know. After each rating the app keeps "
            "EmbeddingMF's movie vectors exactly as trained and solves a small "
            "regularised least-squares problem for a vector and a bias that describe "
            "you alone. No retraining is needed, and it takes a few milliseconds."
        ),
        html.P(
            "Your ratings are kept in this browser tab (session storage), not on the "
            "server, and disappear when you close the tab. A tab opened from this one (a "
            "duplicated tab, or a link opened in a new tab) can start with a copy of them. "
            "The server computes your list from each request and forgets it.",
            className=f"{PREFIX}-privacy",
        ),
    ]
    try:
        item_factors()
        # The cold-start list and the group's, computed once with the layout: a first
        # visit asks the server for nothing. (Ratings kept in this tab since an earlier
        # visit come back from session storage and fire the callback below.)
        ratings, results, comparison = your_taste_outputs({}, *DEFAULT_GROUP)
        on_the_map = map_section(NO_RATINGS)
        content = [
            dcc.Store(id=f"{PREFIX}-store", storage_type="session", data={}),
            html.Div(
                className=f"{PREFIX}-layout",
                children=[
                    html.Div(
                        [
                            _controls(),
                            html.H3("Your ratings", id=f"{PREFIX}-ratings-title"),
                            html.Ul(
                                ratings,
                                id=f"{PREFIX}-ratings",
                                className=f"{PREFIX}-ratings",
                                **{"aria-labelledby": f"{PREFIX}-ratings-title"},
                            ),
                            html.Button(
                                "Clear my ratings",
                                id=f"{PREFIX}-clear",
                                n_clicks=0,
                                className="button secondary",
                            ),
                        ]
                    ),
                    html.Div(
                        results,
                        id=f"{PREFIX}-results",
                        className=f"{PREFIX}-results",
                        **{"aria-live": "polite"},
                    ),
                ],
            ),
            *on_the_map,
            html.H3("You and your group"),
            html.P(
                "EmbeddingMF knows nothing about age or occupation, but the trained users of "
                "a group can be averaged into one typical member. Pick a group to see what "
                "that typical member would be shown, beside your own list."
            ),
            _group_picker(),
            html.Div(comparison, id=f"{PREFIX}-compare", **{"aria-live": "polite"}),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    return box_section(PREFIX, "Your own taste", [*intro, *content])


@callback(
    Output(f"{PREFIX}-store", "data"),
    Output(f"{PREFIX}-message", "children"),
    Input(f"{PREFIX}-add", "n_clicks"),
    Input({"type": f"{PREFIX}-remove", "movie": ALL}, "n_clicks"),
    Input(f"{PREFIX}-clear", "n_clicks"),
    State(f"{PREFIX}-movie", "value"),
    State(f"{PREFIX}-stars", "value"),
    State(f"{PREFIX}-store", "data"),
    prevent_initial_call=True,
)
def on_rating_change(_add, _remove, _clear, movie_id, stars, ratings):
    """Add, remove or clear; ignores the remove buttons' own creation."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    return update_ratings(ctx.triggered_id, movie_id, stars, ratings)


def _recommendations(rated: Rated) -> list:
    """The reader's top 10 with reasons, or the cold-start list before any rating."""
    frame, cold = compute_your_taste(rated)
    count = len(rated.rows)
    lead = (
        "You have not rated anything yet, so this is the cold-start answer: the most "
        "popular movies with the best average ratings, the same for everyone."
        if cold
        else f"Calibrated to your {count} rating{'s' if count != 1 else ''}, "
        "among movies you have not rated. The numbers in brackets are roughly how many "
        "stars each of your ratings added."
    )
    return [
        html.H3("Your top 10" if not cold else "Top 10 for a newcomer"),
        html.P(lead),
        data_table(frame, "Recommended movies", table_id=f"{PREFIX}-top"),
    ]


def _comparison(rated: Rated, gender, age, occupation) -> object:
    """Side by side: the reader's top 10 and the group's average user's top 10."""
    try:
        frame, n_users = compute_comparison(rated, gender, age, occupation)
    except LookupError as error:
        return notice(f"{error} Pick a broader group.")
    who = group_label(gender, age, occupation)
    caution = f" Only {n_users} users: this average is shaky." if n_users < SMALL_GROUP else ""
    return [
        html.P(
            f"The average of {n_users:,} MovieLens {who}.{caution} "
            "A star (*) marks a movie on both lists."
        ),
        data_table(
            frame, "Your top 10 beside the group's average user's", table_id=f"{PREFIX}-versus"
        ),
    ]


def your_taste_outputs(ratings: object, gender, age, occupation) -> tuple:
    """The ratings list, the top 10 and the group comparison; the ratings checked once.

    Args:
        ratings: ``your-taste-store`` (``{movie_id: stars}`` from the browser);
        gender, age, occupation: the group picker's values (bad ones read as "any").

    Returns:
        ``(ratings list items, recommendations, comparison)``; stored ratings that fail the
        check show no list and a notice in place of each table.
    """
    return box_outputs(ratings, gender, age, occupation)[:3]


def box_outputs(ratings: object, gender, age, occupation) -> tuple:
    """:func:`your_taste_outputs` plus the reader's point on the map and its sentence
    (:mod:`components.your_taste_map`); the ratings checked once."""
    try:
        rated = read_ratings(ratings or {})
    except RatingError as error:
        return (
            _ratings_list(NO_RATINGS),
            notice(f"Your stored ratings could not be read ({error}); clear them to start."),
            notice("Your stored ratings could not be read; clear them to start."),
            *map_outputs(NO_RATINGS),
        )
    return (
        _ratings_list(rated),
        _recommendations(rated),
        _comparison(rated, gender, age, occupation),
        *map_outputs(rated),
    )


@callback(
    Output(f"{PREFIX}-ratings", "children"),
    Output(f"{PREFIX}-results", "children"),
    Output(f"{PREFIX}-compare", "children"),
    Output(POINT, "data"),
    Output(WHERE, "children"),
    Input(f"{PREFIX}-store", "data"),
    Input(f"{PREFIX}-gender", "value"),
    Input(f"{PREFIX}-age", "value"),
    Input(f"{PREFIX}-occupation", "value"),
    prevent_initial_call=True,
)
def show_your_taste(ratings, gender, age, occupation):
    """Box 9's one reading callback: the reader's ratings, top 10, group comparison and
    place on the map."""
    return box_outputs(ratings, gender, age, occupation)


# The pick is an Input too: an answer to an earlier search, arriving after the pick, would
# leave the picked movie out of the options (and Dash's dropdown would drop it); a new
# request supersedes it.
@callback(
    Output(f"{PREFIX}-movie", "options"),
    Input(f"{PREFIX}-movie", "search_value"),
    Input(f"{PREFIX}-movie", "value"),
    prevent_initial_call=True,
)
def find_movies(text, chosen):
    """Titles matching what the reader types (searched here, not shipped with the page)."""
    return movie_options(text, chosen)
