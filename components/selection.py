"""Who and what boxes 6-8 look at: the reader picker, the two movie pickers and the store.

The state itself (parsing, validation, defaults) is :mod:`components.selection_state`.
One callback writes ``selection-store`` and sets both movie pickers, parsing the URL once
per change; one callback shows the store in this box. Boxes 6-8 read the store with
:func:`components.selection_state.read_selection`.
"""

from __future__ import annotations

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)

from components.artifacts import ArtifactError, read_table
from components.figure_table import notice
from components.movie_search import movie_option
from components.outline import box_range
from components.readers import RECORDS_HINT, records_available
from components.selection_state import (
    ANY,
    DEFAULT_COMPARE,
    DEFAULT_MOVIE,
    DEFAULT_STATE,
    LINK,
    PICKERS,
    PREFIX,
    describe_user,
    read_messages,
    read_selection,
    selection_update,
    typed_options,
)
from components.wording import ANY_LABELS
from core.vocabulary import AGE_BANDS, GENDER_LABELS, OCCUPATIONS

STORE = f"{PREFIX}-store"
#: The page's address (its query string holds the selection, and Box 6's second circle).
ADDRESS = f"{PREFIX}-url"
#: What the store holds before any link or pick: the default selection, no messages.
DEFAULT_STORE = {**DEFAULT_STATE, "errors": {}}
LIKE_ME_HINT = "Finding a reader like you needs every reader's records: see the note above."


def choice_values(column: str) -> list[str]:
    """The values "someone like me" offers for a profile column, from the vocabulary.

    Readers' traits come from the vocabulary and Box 8's aggregates, never from the
    per-reader records, so the page looks the same with or without them.
    """
    if column == "gender":
        return sorted(GENDER_LABELS)
    if column == "age_band":
        return list(AGE_BANDS.values())
    if column == "occupation_name":
        return sorted(OCCUPATIONS.values())
    groups = read_table("group_ratings.parquet")
    overall = groups[(groups["movie_id"] == 0) & (groups["dimension"] == column)]
    return sorted(overall["group"].astype(str))


#: Which "any" each "someone like me" field offers (the same words as Box 9's pickers).
ANY_CHOICE = {
    "gender": ANY_LABELS["gender"],
    "age_band": ANY_LABELS["age"],
    "occupation_name": ANY_LABELS["occupation"],
    "region": ANY_LABELS["region"],
}


def _choices(column: str, label: str, disabled: bool) -> html.Div:
    options = [{"label": ANY_CHOICE[column], "value": ANY}] + [
        {"label": GENDER_LABELS.get(value, value), "value": value}
        for value in choice_values(column)
    ]
    return html.Div(
        className="selection-field",
        children=[
            html.Label(label, htmlFor=f"{PREFIX}-like-{column}"),
            dcc.Dropdown(
                id=f"{PREFIX}-like-{column}",
                options=options,
                value=ANY,
                clearable=False,
                searchable=False,
                disabled=disabled,
            ),
        ],
    )


def layout() -> html.Section:
    """The reader picker (id or "someone like me"), the URL and the shared store."""
    location = [
        dcc.Location(id=ADDRESS, refresh=False),
        dcc.Store(id=LINK),
        dcc.Store(id=STORE, data=DEFAULT_STORE),
    ]
    intro = html.P(
        f"{box_range('venn', 'user-trends')} follow one MovieLens reader. We start with "
        "Xiao, as the article "
        "calls him; pick anyone else by id, or let us find someone who shares your "
        "gender, age band, job and region. The address bar keeps your choice, so you can "
        "share the link."
    )
    try:
        # The default reader's text, computed once with the layout (no request at first).
        user_message, _, user_id, profile = show_selection(DEFAULT_STORE)
        choice_values("region")
    except ArtifactError as error:
        return html.Section(
            className="box selection", id=PREFIX, children=[*location, notice(str(error))]
        )
    every_reader = records_available()
    # Said where the reader meets the limit: under the id box and in "someone like me".
    records_note = [] if every_reader else [notice(RECORDS_HINT)]
    like_note = [] if every_reader else [notice(LIKE_ME_HINT)]
    by_id = html.Div(
        className="selection-row",
        children=[
            html.Label("User id", htmlFor=f"{PREFIX}-user"),
            dcc.Input(
                id=f"{PREFIX}-user",
                type="text",
                inputMode="numeric",
                value=user_id,
                debounce=True,
                maxLength=12,
                autoComplete="off",
            ),
            html.Button("Show this user", id=f"{PREFIX}-user-go", n_clicks=0),
            html.P(
                user_message,
                id=f"{PREFIX}-user-message",
                className="selection-message",
                role="status",
            ),
            *records_note,
        ],
    )
    like_me = html.Details(
        className="selection-like",
        children=[
            html.Summary("Someone like me"),
            html.Div(
                className="selection-like-fields",
                children=[
                    _choices("gender", "Gender", not every_reader),
                    _choices("age_band", "Age band", not every_reader),
                    _choices("occupation_name", "Occupation", not every_reader),
                    _choices("region", "Region", not every_reader),
                ],
            ),
            html.Button(
                "Find a reader like me",
                id=f"{PREFIX}-like-go",
                n_clicks=0,
                disabled=not every_reader,
            ),
            *like_note,
        ],
    )
    return html.Section(
        className="box selection",
        id=PREFIX,
        **{"aria-labelledby": f"{PREFIX}-title"},
        children=[
            *location,
            html.H2("Choose a reader", id=f"{PREFIX}-title"),
            intro,
            by_id,
            like_me,
            html.P(
                profile,
                id=f"{PREFIX}-profile",
                className="selection-profile",
                **{"aria-live": "polite"},
            ),
        ],
    )


def movie_controls() -> html.Div:
    """Two typeahead movie pickers (Box 7 shows them side by side) and their message."""

    def picker(key: str, label: str, default: int) -> html.Div:
        return html.Div(
            className="selection-field",
            children=[
                html.Label(label, htmlFor=f"{PREFIX}-{key}"),
                dcc.Dropdown(
                    id=f"{PREFIX}-{key}",
                    options=[movie_option(default)],
                    value=default,
                    clearable=False,
                    placeholder="Type part of a title",
                ),
            ],
        )

    return html.Div(
        className="selection-movies",
        children=[
            picker("movie", "Movie (search by title)", DEFAULT_MOVIE),
            picker("compare", "Compare with", DEFAULT_COMPARE),
            html.P(id=f"{PREFIX}-movie-message", className="selection-message", role="status"),
        ],
    )


# The address's query goes to the server only when it asks for something other than what
# the page shows (assets/selection.js): a first visit sends no request (dcc.Location reports
# the address when it mounts, which would fire a callback listening to it).
clientside_callback(
    ClientsideFunction(namespace="selection", function_name="linkFromAddress"),
    Output(LINK, "data"),
    Input(ADDRESS, "search"),
    State(STORE, "data"),
)


@callback(
    Output(STORE, "data"),
    Output(f"{PREFIX}-movie", "value"),
    Output(f"{PREFIX}-movie", "options"),
    Output(f"{PREFIX}-compare", "value"),
    Output(f"{PREFIX}-compare", "options"),
    Output(f"{PREFIX}-user-message", "children"),
    Output(f"{PREFIX}-movie-message", "children"),
    Output(f"{PREFIX}-user", "value"),
    Output(f"{PREFIX}-profile", "children"),
    Input(LINK, "data"),
    Input(f"{PREFIX}-user", "n_submit"),
    Input(f"{PREFIX}-user-go", "n_clicks"),
    Input(f"{PREFIX}-like-go", "n_clicks"),
    Input(f"{PREFIX}-movie", "value"),
    Input(f"{PREFIX}-compare", "value"),
    State(f"{PREFIX}-movie", "search_value"),
    State(f"{PREFIX}-compare", "search_value"),
    State(f"{PREFIX}-user", "value"),
    State(f"{PREFIX}-like-gender", "value"),
    State(f"{PREFIX}-like-age_band", "value"),
    State(f"{PREFIX}-like-occupation_name", "value"),
    State(f"{PREFIX}-like-region", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def update_selection(search, _submit, _go, _like, movie, compare, movie_text, compare_text, *rest):
    """The single writer of the store; the pickers and this box's text follow it in the
    same response (one round trip for the box)."""
    user, *like, current = rest
    inputs = {
        "search": search,
        "user": user,
        "like": like,
        "movie": movie,
        "compare": compare,
        "movie_text": movie_text,
        "compare_text": compare_text,
    }
    store, pickers = selection_update(ctx.triggered_id, current, inputs)
    values = [pickers.get(key, (no_update, no_update)) for key in PICKERS]
    shown = (no_update,) * 4 if store is no_update else show_selection(store)
    return store, *values[0], *values[1], *shown


def _typing_callback(key: str) -> None:
    """While the reader types in a picker, its options follow (the selection stays).

    Kept apart from the store's writer, so that typing never drops a pick still in flight
    (Dash drops a pending request when the same callback fires again).
    """

    @callback(
        Output(f"{PREFIX}-{key}", "options", allow_duplicate=True),
        Input(f"{PREFIX}-{key}", "search_value"),
        State(f"{PREFIX}-{key}", "value"),
        State(STORE, "data"),
        prevent_initial_call=True,
    )
    def show_matches(text, value, state):
        """Titles matching what is typed, plus the picker's movie."""
        return typed_options(value, text, state, key)


for _key in PICKERS:
    _typing_callback(_key)


def show_selection(state: object) -> tuple[str, str, str, str]:
    """The controls' messages, the id box in step with the chosen user, who that user is.

    Returns:
        ``(user message, movie message, user id as typed text, one line about the user)``.
    """
    messages = read_messages(state)
    user = read_selection(state).user
    return messages.get("user", ""), messages.get("movie", ""), str(user), describe_user(user)


# Write the state into the address bar without reloading (no Dash output needed); the keys
# a box keeps there (Box 6's second circle) stay (assets/selection.js).
clientside_callback(
    ClientsideFunction(namespace="selection", function_name="addressFromState"),
    Input(STORE, "data"),
)
