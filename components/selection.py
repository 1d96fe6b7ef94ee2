"""Who and what boxes 6-8 look at: a user, a movie and a second movie, kept in the URL.

The state lives in ``selection-store`` (``{"user": int, "movie": int, "compare": int,
"errors": {"user": str, "movie": str}}``) and in the page's query string
(``?user=1680&movie=3264&compare=3391``), so a link reproduces the view. Bad or unknown
values never raise: they leave the last good state in place (the default on a link) and
put a short message next to the control concerned. Every reader of the store goes through
:func:`clean_state`, so a store edited in the browser's devtools cannot break a callback.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import parse_qs

import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from components.artifacts import ArtifactError, read_table
from components.figure_table import notice

PREFIX = "selection"
STORE = f"{PREFIX}-store"
DEFAULT_USER = 1680  # "Xiao" in the article
DEFAULT_MOVIE = 3264  # Buffy the Vampire Slayer (1992)
DEFAULT_COMPARE = 3391  # Who's That Girl? (1987)
DEFAULT_STATE = {"user": DEFAULT_USER, "movie": DEFAULT_MOVIE, "compare": DEFAULT_COMPARE}
MAX_OPTIONS = 20
_ID = re.compile(r"^\s*(\d{1,7})\s*$", re.ASCII)
ANY = "any"
#: How messages name the controls of the URL's keys.
PICKER_NAMES = {"user": "User", "movie": "Movie", "compare": "Compare with"}


@cache
def profiles() -> pd.DataFrame:
    """``user_profiles.parquet`` indexed by ``user_id`` (see :mod:`models.user_views`)."""
    return read_table("user_profiles.parquet").set_index("user_id")


@cache
def movies() -> pd.DataFrame:
    """``movie_why.parquet`` indexed by ``movie_id``: titles, histograms, means."""
    return read_table("movie_why.parquet").set_index("movie_id")


def _known(value: object, index: pd.Index) -> bool:
    """Whether ``value`` is a plain int (not a bool) found in ``index``."""
    return isinstance(value, int) and not isinstance(value, bool) and value in index


def clean_state(state: object) -> dict:
    """The store's state made safe to use: every consumer of the store calls this.

    Args:
        state: whatever ``selection-store`` holds (normally a dict written by
            :func:`next_state`, but session edits or forged requests can send anything).

    Returns:
        ``{"user", "movie", "compare", "errors"}``: ids that are not known ints fall back to
        the defaults (:func:`with_defaults`); ``errors`` keeps only string messages.
    """
    state = state if isinstance(state, dict) else {}
    found = {}
    if _known(state.get("user"), profiles().index):
        found["user"] = state["user"]
    for key in ("movie", "compare"):
        if _known(state.get(key), movies().index):
            found[key] = state[key]
    errors = state.get("errors")
    errors = {
        key: value
        for key, value in (errors.items() if isinstance(errors, dict) else ())
        if key in ("user", "movie") and isinstance(value, str)
    }
    return {**with_defaults(found), "errors": errors}


def movie_title(movie_id: int) -> str:
    """The movie's title with its year, e.g. ``"Buffy the Vampire Slayer (1992)"``."""
    return str(movies().at[movie_id, "title"])


def describe_user(user_id: int) -> str:
    """One line about a user: gender, age band, occupation, region, number of ratings."""
    row = profiles().loc[user_id]
    gender = {"F": "female", "M": "male"}[row["gender"]]
    return (
        f"User {user_id}: {gender}, aged {row['age_band']}, {row['occupation_name']}, "
        f"{row['region']}; {int(row['n_ratings']):,} ratings, "
        f"{int(row['n_test']):,} of them in the test split."
    )


def _shown(raw: str) -> str:
    """A user-typed value, safe and short enough to repeat in a message."""
    text = re.sub(r"[^\w .,-]", "", str(raw), flags=re.ASCII)[:12]
    return f"“{text}”" if text else "that value"


def parse_id(raw: object, kind: str) -> tuple[int | None, str | None]:
    """Read a user or movie id typed by a reader or found in the URL.

    Args:
        raw: the value (string, number or ``None``).
        kind: ``"user"`` or ``"movie"``.

    Returns:
        ``(id, None)`` for a known id, ``(None, message)`` otherwise. Only plain ASCII
        digits count (no signs, exponents, other scripts); the message is friendly and
        never repeats more than 12 safe characters of the input.
    """
    known = profiles().index if kind == "user" else movies().index
    if isinstance(raw, bool) or raw is None or raw == "":
        return None, f"Type a {kind} id."
    match = _ID.match(str(raw)) if isinstance(raw, str | int) else None
    if not match:
        return None, f"{_shown(raw)} is not a {kind} id: ids are whole numbers."
    value = int(match.group(1))
    if value not in known:
        if kind == "user":
            return None, f"There is no user {value} in MovieLens 1M (ids run from 1 to 6040)."
        return None, f"No rated movie has id {value}; search by title instead."
    return value, None


def parse_query(search: str | None) -> tuple[dict[str, int], dict[str, str]]:
    """Read ``?user=..&movie=..&compare=..``.

    Args:
        search: the query string, with or without its leading ``?`` (may be ``None``).

    Returns:
        ``(state, errors)``: ``state`` holds only the keys given with a good value;
        ``errors`` maps ``"user"`` or ``"movie"`` (the control next to which to show it)
        to a message. The first of repeated keys wins; other keys are ignored.
    """
    search = search if isinstance(search, str) else ""
    query = parse_qs(search.lstrip("?")[:500], keep_blank_values=True)
    state: dict[str, int] = {}
    errors: dict[str, str] = {}
    for key, kind, control in (
        ("user", "user", "user"),
        ("movie", "movie", "movie"),
        ("compare", "movie", "movie"),
    ):
        if key not in query:
            continue
        value, message = parse_id(query[key][0], kind)
        if value is None:
            # A link replaces the whole state: a bad value gets the default, not an old one.
            text = f"{PICKER_NAMES[key]}: {message} Showing the default instead."
            errors[control] = f"{errors[control]} {text}" if control in errors else text
        else:
            state[key] = value
    return state, errors


def with_defaults(found: dict[str, int]) -> dict[str, int]:
    """A full state from parsed values: a missing second movie is the other story movie.

    ``?movie=3391`` alone compares Who's That Girl? with Buffy, not with itself.
    """
    state = {**DEFAULT_STATE, **found}
    if "compare" not in found and state["movie"] == DEFAULT_COMPARE:
        state["compare"] = DEFAULT_MOVIE
    return state


def query_string(state: dict) -> str:
    """The URL query for a state: ``?user=1680&movie=3264&compare=3391``."""
    return f"?user={state['user']}&movie={state['movie']}&compare={state['compare']}"


def _search_key(title: str) -> str:
    """Lower-case title plus its natural order ("Matrix, The" -> "the matrix")."""
    lower = title.lower()
    moved = re.sub(r"^(.*), (the|a|an|les|la|le|il|das|der|die|el)( \(\d{4}\))$", r"\2 \1\3", lower)
    return f"{lower} {moved}"


@cache
def _search_index() -> pd.DataFrame:
    table = movies()
    return pd.DataFrame(
        {
            "key": [_search_key(title) for title in table["title"]],
            "title": table["title"].to_numpy(),
            "n_train": table["n_train"].to_numpy(),
        },
        index=table.index,
    )


def search_movies(text: str | None, limit: int = MAX_OPTIONS) -> list[dict]:
    """Dropdown options for a typed title fragment, most-rated first.

    Returns:
        Up to ``limit`` ``{"label": title, "value": movie_id}``; none for fewer than two
        characters.
    """
    words = text.lower().split() if isinstance(text, str) else []
    if not words or len("".join(words)) < 2:
        return []
    index = _search_index()
    hit = pd.Series(True, index=index.index)
    for word in words[:6]:
        hit &= index["key"].str.contains(word, regex=False)
    found = index[hit].sort_values("n_train", ascending=False).head(limit)
    return [{"label": title, "value": int(movie)} for movie, title in found["title"].items()]


def find_similar_user(gender: str, age: str, occupation: str, region: str) -> int | None:
    """The user matching every given trait (``"any"`` matches all) with most test ratings.

    Returns:
        A user id, or ``None`` when nobody matches. Ties go to the lower id.
    """
    table = profiles()
    hit = pd.Series(True, index=table.index)
    for column, value in (
        ("gender", gender),
        ("age_band", age),
        ("occupation_name", occupation),
        ("region", region),
    ):
        if isinstance(value, str) and value != ANY:
            hit &= table[column] == value
    found = table[hit].sort_values("n_test", ascending=False, kind="stable")
    return int(found.index[0]) if len(found) else None


def _choices(column: str, label: str) -> dcc.Dropdown:
    table = profiles()
    if column == "age_band":
        values = list(table.sort_values("age")[column].unique())
    else:
        values = sorted(table[column].unique())
    names = {"F": "Female", "M": "Male"}
    options = [{"label": "Any", "value": ANY}] + [
        {"label": names.get(value, value), "value": value} for value in values
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
            ),
        ],
    )


def layout() -> html.Section:
    """The reader picker (id or "someone like me"), the URL and the shared store."""
    location = dcc.Location(id=f"{PREFIX}-url", refresh=False)
    store = dcc.Store(id=STORE, data={**DEFAULT_STATE, "errors": {}})
    intro = html.P(
        "Boxes 6 to 8 follow one MovieLens reader. We start with Xiao, as the article "
        "calls him; pick anyone else by id, or let us find someone who shares your "
        "gender, age band, job and region. The address bar keeps your choice, so you can "
        "share the link."
    )
    try:
        profiles()
    except ArtifactError as error:
        return html.Section(
            className="box selection", id=PREFIX, children=[location, store, notice(str(error))]
        )
    by_id = html.Div(
        className="selection-row",
        children=[
            html.Label("User id", htmlFor=f"{PREFIX}-user"),
            dcc.Input(
                id=f"{PREFIX}-user",
                type="text",
                inputMode="numeric",
                value=str(DEFAULT_USER),
                debounce=True,
                maxLength=12,
                autoComplete="off",
            ),
            html.Button("Show this user", id=f"{PREFIX}-user-go", n_clicks=0),
            html.P(id=f"{PREFIX}-user-message", className="selection-message", role="status"),
        ],
    )
    like_me = html.Details(
        className="selection-like",
        children=[
            html.Summary("Someone like me"),
            html.Div(
                className="selection-like-fields",
                children=[
                    _choices("gender", "Gender"),
                    _choices("age_band", "Age band"),
                    _choices("occupation_name", "Occupation"),
                    _choices("region", "Region"),
                ],
            ),
            html.Button("Find a reader like me", id=f"{PREFIX}-like-go", n_clicks=0),
        ],
    )
    return html.Section(
        className="box selection",
        id=PREFIX,
        **{"aria-labelledby": f"{PREFIX}-title"},
        children=[
            location,
            store,
            html.H2("Choose a reader", id=f"{PREFIX}-title"),
            intro,
            by_id,
            like_me,
            html.P(
                id=f"{PREFIX}-profile", className="selection-profile", **{"aria-live": "polite"}
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
                    options=[{"label": movie_title(default), "value": default}],
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


def next_state(trigger: str | None, current: dict | None, inputs: dict) -> dict:
    """The new store value for a trigger; pure, so tests call it directly.

    Args:
        trigger: the id of the control that fired (``None`` on the first call).
        current: the last good state (``None`` before the first call).
        inputs: ``search`` (query string), ``user`` (typed id), ``like`` (four traits),
            ``movie`` and ``compare`` (dropdown values).

    Returns:
        A complete state with ``errors``; values that fail keep the previous ones.
    """
    state = clean_state(current)
    errors = state.pop("errors")
    if trigger in (None, f"{PREFIX}-url"):
        found, errors = parse_query(inputs.get("search"))
        return {**with_defaults(found), "errors": errors}
    if trigger in (f"{PREFIX}-user", f"{PREFIX}-user-go"):
        value, message = parse_id(inputs.get("user"), "user")
        if value is None:
            errors["user"] = f"{message} Still showing user {state['user']}."
        else:
            state["user"] = value
            errors.pop("user", None)
    elif trigger == f"{PREFIX}-like-go":
        like = inputs.get("like")
        like = like if isinstance(like, list | tuple) and len(like) == 4 else [ANY] * 4
        value = find_similar_user(*like)
        if value is None:
            errors["user"] = "Nobody in MovieLens 1M matches all four; try “Any” for one."
        else:
            state["user"] = value
            errors.pop("user", None)
    elif trigger in (f"{PREFIX}-movie", f"{PREFIX}-compare"):
        key = trigger.removeprefix(f"{PREFIX}-")
        value, message = parse_id(inputs.get(key), "movie")
        if value is None:
            errors["movie"] = f"{PICKER_NAMES[key]}: {message} Showing the previous movie."
        elif value != state[key]:
            state[key] = value
            errors.pop("movie", None)
    return {**state, "errors": errors}


@callback(
    Output(STORE, "data"),
    Input(f"{PREFIX}-url", "search"),
    Input(f"{PREFIX}-user", "n_submit"),
    Input(f"{PREFIX}-user-go", "n_clicks"),
    Input(f"{PREFIX}-like-go", "n_clicks"),
    Input(f"{PREFIX}-movie", "value"),
    Input(f"{PREFIX}-compare", "value"),
    State(f"{PREFIX}-user", "value"),
    State(f"{PREFIX}-like-gender", "value"),
    State(f"{PREFIX}-like-age_band", "value"),
    State(f"{PREFIX}-like-occupation_name", "value"),
    State(f"{PREFIX}-like-region", "value"),
    State(STORE, "data"),
)
def update_selection(search, _submit, _go, _like, movie, compare, user, *rest):
    """The single writer of the store; branches on the control that fired."""
    *like, current = rest
    trigger = ctx.triggered_id
    if trigger in (f"{PREFIX}-movie", f"{PREFIX}-compare") and current:
        key = trigger.removeprefix(f"{PREFIX}-")
        if (movie if key == "movie" else compare) == clean_state(current)[key]:
            return no_update  # the URL set the dropdown to the state it already shows
    inputs = {"search": search, "user": user, "like": like, "movie": movie, "compare": compare}
    return next_state(trigger, current, inputs)


@callback(Output(f"{PREFIX}-user-message", "children"), Input(STORE, "data"))
def show_user_message(state):
    """The user control's message, or nothing."""
    return clean_state(state)["errors"].get("user", "")


@callback(Output(f"{PREFIX}-movie-message", "children"), Input(STORE, "data"))
def show_movie_message(state):
    """The movie controls' message, or nothing."""
    return clean_state(state)["errors"].get("movie", "")


@callback(Output(f"{PREFIX}-user", "value"), Input(STORE, "data"))
def show_user_id(state):
    """Keep the id box in step with the chosen user (also after "someone like me")."""
    return str(clean_state(state)["user"])


@callback(Output(f"{PREFIX}-profile", "children"), Input(STORE, "data"))
def show_profile(state):
    """Who the chosen user is, in one line."""
    return describe_user(clean_state(state)["user"])


def picker_update(
    key: str, trigger: str | None, search: object, text: object, value: object, state: object
):
    """A movie picker's value and options, set together so its label always shows.

    Dash's dropdown drops a value missing from its options, so the URL's movie and its
    title travel in one response (setting the value alone showed the placeholder).

    Args:
        key: ``"movie"`` or ``"compare"``.
        trigger: the id of the property that fired (``None`` on the first call).
        search: the URL's query string; text: what is typed; value: the picker's value;
        state: the store, whose movie is kept when ``value`` is not a known movie id.

    Returns:
        ``(value or no_update, options)``; the options are the titles matching ``text``
        plus the selected movie.
    """
    if trigger in (None, f"{PREFIX}-url"):
        chosen = with_defaults(parse_query(search)[0])[key]
    else:
        chosen = value if _known(value, movies().index) else clean_state(state)[key]
    options = search_movies(text)
    if all(option["value"] != chosen for option in options):
        options.append({"label": movie_title(chosen), "value": chosen})
    return (no_update if chosen == value else chosen), options


def _dropdown_from_url(key: str):
    @callback(
        Output(f"{PREFIX}-{key}", "value"),
        Output(f"{PREFIX}-{key}", "options"),
        Input(f"{PREFIX}-url", "search"),
        Input(f"{PREFIX}-{key}", "search_value"),
        Input(f"{PREFIX}-{key}", "value"),
        State(STORE, "data"),
    )
    def set_picker(search, text, value, state):
        """The URL's movie (on load and back/forward) or the reader's pick, with its title."""
        trigger = ctx.triggered_id if ctx.triggered else None
        return picker_update(key, trigger, search, text, value, state)

    return set_picker


_dropdown_from_url("movie")
_dropdown_from_url("compare")

# Write the state into the address bar without reloading (no Dash output needed).
clientside_callback(
    """
    function (state) {
        if (!state || !state.user) { return; }
        const query = `?user=${state.user}&movie=${state.movie}&compare=${state.compare}`;
        if (window.location.search !== query) {
            window.history.replaceState(null, "", window.location.pathname + query);
        }
    }
    """,
    Input(STORE, "data"),
)
