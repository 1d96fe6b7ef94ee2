"""The selection of boxes 6-8 as data: parse, validate, default; no Dash components.

The state is ``{"user": int, "movie": int, "compare": int, "errors": {"user": str, "movie":
str}}``, kept in ``selection-store`` and in the page's query string
(``?user=1680&movie=3264&compare=3391``), so a link reproduces the view. (Box 6 keeps its
second circle's model in the same query, ``&venn=bayes_fm``, but outside the store:
:mod:`components.venn_models`; :func:`parse_query` ignores that key.) Bad or unknown
values never raise: they leave the last good state in place (the default on a link) and
put a short message next to the control concerned.

Validation happens once per change, where the state is written (:func:`next_state`, in
:func:`selection_update`); the boxes read the store with :func:`read_selection`, which
trusts what the writer wrote and only turns a store the writer cannot have written (a
devtools edit, a forged request) into the default selection.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qs

import pandas as pd
from dash import no_update

from components.movie_search import movie_option, movies, search_movies
from components.readers import RECORDS_HINT, profiles, records_available
from components.wording import age_phrase
from core.quoting import quote_input
from core.vocabulary import GENDER_LABELS, STORY_COMPARE, STORY_MOVIE, STORY_USER

PREFIX = "selection"
DEFAULT_USER = STORY_USER  # "Xiao" in the article
DEFAULT_MOVIE = STORY_MOVIE  # Buffy the Vampire Slayer (1992)
DEFAULT_COMPARE = STORY_COMPARE  # Who's That Girl? (1987)
DEFAULT_STATE = {"user": DEFAULT_USER, "movie": DEFAULT_MOVIE, "compare": DEFAULT_COMPARE}
#: Longest query string read (a shared link's is under 40 characters; gunicorn refuses
#: request lines over 4 KB).
MAX_QUERY_CHARS = 2000
ANY = "any"
#: MovieLens 1M's user ids run from 1 to this.
N_USERS = 6040
#: How messages name the controls of the URL's keys.
PICKER_NAMES = {"user": "User", "movie": "Movie", "compare": "Compare with"}
#: The two movie pickers, by state key.
PICKERS = ("movie", "compare")
#: Holds a link's query string once the browser has seen that it asks for something other
#: than the default (the layout already shows the default; see ``selection.layout``).
LINK = f"{PREFIX}-link"


def _known(value: object, index: pd.Index) -> bool:
    """Whether ``value`` is a plain int (not a bool) found in ``index``."""
    return isinstance(value, int) and not isinstance(value, bool) and value in index


def clean_state(state: object) -> dict:
    """The store's state made safe to use: the store's writer calls this, once per change.

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


class Selection(NamedTuple):
    """Who and what boxes 6-8 show: a user id and two movie ids, all known."""

    user: int
    movie: int
    compare: int


DEFAULT_SELECTION = Selection(DEFAULT_USER, DEFAULT_MOVIE, DEFAULT_COMPARE)


def read_selection(state: object) -> Selection:
    """The store as the boxes read it, trusting its writer.

    :func:`selection_update` is the store's only writer and validates every state it
    writes, so a reader only checks that the store is one the writer can have written:
    three known int ids. Anything else (edited in devtools, or a forged request) reads
    as :data:`DEFAULT_SELECTION` rather than raising.
    """
    try:
        chosen = Selection(state["user"], state["movie"], state["compare"])
    except (KeyError, TypeError, IndexError):
        return DEFAULT_SELECTION
    known = _known(chosen.user, profiles().index) and all(
        _known(movie, movies().index) for movie in chosen[1:]
    )
    return chosen if known else DEFAULT_SELECTION


def read_messages(state: object) -> dict[str, str]:
    """The store's messages by control (``"user"``, ``"movie"``); ``{}`` if there are none."""
    errors = state.get("errors") if isinstance(state, dict) else None
    if not isinstance(errors, dict):
        return {}
    return {key: text for key, text in errors.items() if isinstance(text, str)}


def describe_user(user_id: int) -> str:
    """One line about a user: gender, age band, occupation, region, number of ratings."""
    row = profiles().loc[user_id]
    gender = GENDER_LABELS[row["gender"]].lower()
    return (
        f"User {user_id}: {gender}, {age_phrase(row['age_band'])}, {row['occupation_name']}, "
        f"{row['region']}; {int(row['n_ratings']):,} ratings, "
        f"{int(row['n_test']):,} of them in the test split."
    )


def parse_id(raw: object, kind: str) -> tuple[int | None, str | None]:
    """Read a user or movie id typed by a reader or found in the URL.

    Args:
        raw: the value (string, number or ``None``).
        kind: ``"user"`` or ``"movie"``.

    Returns:
        ``(id, None)`` for a known id, ``(None, message)`` otherwise. Only plain ASCII
        digits count (no signs, exponents, other scripts). The message gives the true
        reason: ``1680!`` is not a whole number; ``99999999`` is one, but no user or movie
        has it. It quotes at most 12 characters of the input (:func:`core.quoting.quote_input`).
    """
    known = profiles().index if kind == "user" else movies().index
    if isinstance(raw, bool) or raw is None or raw == "":
        return None, f"Type a {kind} id."
    text = str(raw).strip() if isinstance(raw, str | int) else None
    if text is None or not (text.isascii() and text.isdigit()):
        return None, f"{quote_input(raw)} is not a whole number, so it is not a {kind} id."
    value = int(text) if len(text) <= 9 else None  # no id has more than 4 digits
    if value is None or value not in known:
        shown = quote_input(text).strip("“”")
        hidden = value is not None and 1 <= value <= N_USERS and not records_available()
        if kind == "user" and hidden:
            return None, f"User {value}'s ratings are not on this host. {RECORDS_HINT}"
        if kind == "user":
            return None, f"There is no user {shown} in MovieLens 1M (ids run from 1 to 6040)."
        return None, f"{shown} is a whole number but no rated movie has it; search by title."
    return value, None


def parse_query(search: str | None) -> tuple[dict[str, int], dict[str, str]]:
    """Read ``?user=..&movie=..&compare=..``, the whole query.

    Args:
        search: the query string, with or without its leading ``?`` (may be ``None``).

    Returns:
        ``(state, errors)``: ``state`` holds only the keys given with a good value;
        ``errors`` maps ``"user"`` or ``"movie"`` (the control next to which to show it)
        to a message. The first of repeated keys wins; other keys are ignored. A query
        longer than :data:`MAX_QUERY_CHARS` is not read: the defaults are shown, with a
        message saying why.
    """
    search = search if isinstance(search, str) else ""
    if len(search) > MAX_QUERY_CHARS:
        return {}, {
            "user": f"This link's query is {len(search):,} characters long (at most "
            f"{MAX_QUERY_CHARS:,} are read), so it was ignored. Showing the default instead."
        }
    query = parse_qs(search.lstrip("?"), keep_blank_values=True)
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


def next_state(trigger: str | None, current: dict | None, inputs: dict) -> dict:
    """The new store value for a trigger; pure, so tests call it directly.

    Args:
        trigger: the id of the control that fired (``None`` on the first call).
        current: the last good state (``None`` before the first call).
        inputs: ``search`` (the link's query string), ``user`` (typed id), ``like`` (four traits),
            ``movie`` and ``compare`` (dropdown values).

    Returns:
        A complete state with ``errors``; values that fail keep the previous ones.
    """
    state = clean_state(current)
    errors = state.pop("errors")
    if trigger in (None, LINK):
        found, errors = parse_query(inputs.get("search"))
        return {**with_defaults(found), "errors": errors}
    if trigger in (f"{PREFIX}-user", f"{PREFIX}-user-go"):
        value, message = parse_id(inputs.get("user"), "user")
        if value is None:
            errors["user"] = f"{message} Still showing user {state['user']}."
        else:
            state["user"] = value
            errors.pop("user", None)
    elif trigger == f"{PREFIX}-like-go" and not records_available():
        errors["user"] = f"Finding a reader like you needs every reader's records. {RECORDS_HINT}"
    elif trigger == f"{PREFIX}-like-go":
        like = inputs.get("like")
        like = like if isinstance(like, list | tuple) and len(like) == 4 else [ANY] * 4
        value = find_similar_user(*like)
        if value is None:
            errors["user"] = "Nobody in MovieLens 1M matches all four; set one of them to “Any …”."
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


def picker_choice(value: object, text: object, chosen: int) -> tuple[object, list[dict]]:
    """A movie picker's value and options, set together so its label always shows.

    Dash's dropdown drops a value missing from its options, so the URL's movie and its
    title travel in one response (setting the value alone showed the placeholder).

    Args:
        value: the picker's value now; text: what is typed in it;
        chosen: the movie id it must show.

    Returns:
        ``(chosen or no_update when already shown, options)``; the options are the titles
        matching ``text`` plus the chosen movie.
    """
    options = search_movies(text)
    if all(option["value"] != chosen for option in options):
        options.append(movie_option(chosen))
    return (no_update if chosen == value else chosen), options


def typed_options(value: object, text: object, current: object, key: str) -> list[dict]:
    """A picker's options while the reader types: matching titles plus the shown movie.

    ``value`` is the picker's movie; when it is not a known id, the store's (``current``,
    read with :func:`read_selection`) is kept in the list. ``key``: ``"movie"`` or
    ``"compare"``.
    """
    chosen = value if _known(value, movies().index) else getattr(read_selection(current), key)
    return picker_choice(value, text, chosen)[1]


def selection_update(triggered: str | None, current: object, inputs: dict) -> tuple:
    """What the store's writer writes for the control that fired, pickers included.

    The URL is parsed and the state validated once here, for the store and both pickers.

    Args:
        triggered: the id of the control that fired (``None`` on the first call).
        current: the store's state; inputs: as for :func:`next_state`, plus ``movie_text``
            and ``compare_text`` (what is typed in each picker).

    Returns:
        ``(state or no_update, pickers)``; ``pickers`` maps ``"movie"``/``"compare"`` to
        ``(value, options)`` for each picker to update (see :func:`picker_choice`): both
        after a link, the one that changed after a pick, none otherwise.
    """
    state = next_state(triggered, current, inputs)
    store = no_update if state == current else state
    key = (triggered or "").removeprefix(f"{PREFIX}-")
    if key in PICKERS:
        keys = (key,)
    elif triggered in (None, LINK):
        keys = PICKERS
    else:
        keys = ()
    pickers = {k: picker_choice(inputs.get(k), inputs.get(f"{k}_text"), state[k]) for k in keys}
    return store, pickers
