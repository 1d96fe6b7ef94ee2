"""Forged or stale callback inputs never raise: each callback answers with a message or the
last good (or default) state.

The values are those a reader can put in session storage with devtools, or anyone can POST
to ``/_dash-update-component``.
"""

from __future__ import annotations

import pytest
from dash import no_update

from components import (
    movie_why,
    selection,
    selection_state,
    user_trends,
    venn,
    your_taste,
    your_taste_lists,
)
from components.box import walk
from components.movie_search import movie_option
from components.selection_state import DEFAULT_STATE, clean_state
from core.scoring import RatingError, validate_ratings

HUGE = "99999999999999999999999"


BAD_STATES = [
    {"user": 999999},
    {"user": "1680", "movie": [3391], "compare": None},
    {"user": True, "movie": 3391.5, "errors": "boom"},
    [1680, 3264],
    "user=1680",
    42,
    None,
]


def _text(component) -> str:
    """Every string in a Dash component tree (or a list or tuple of them)."""
    parts = component if isinstance(component, list | tuple) else [component]
    return " ".join(node for part in parts for node in walk(part) if isinstance(node, str))


def _every_consumer(state) -> dict:
    """What boxes 6-8 and the selection box show for a store value."""
    return {
        "selection": selection.show_selection(state),
        "venn": (
            *venn.venn_overview(state, "test"),
            *venn.venn_picture(state, "test", 10**30),
            venn.venn_listing(state, "test", "region"),
        ),
        "movie_why": movie_why.movie_why_outputs(state),
        "user_trends": user_trends.user_trends_outputs(state, "age"),
    }


def test_selection_state_is_validated_once_for_every_consumer(monkeypatch):
    """The writer validates a change once; the selection box and boxes 6-8 trust the store."""
    calls = []
    validate = selection_state.clean_state
    monkeypatch.setattr(
        selection_state, "clean_state", lambda state: calls.append(state) or validate(state)
    )
    current = {**DEFAULT_STATE, "errors": {}}
    store, pickers = selection_state.selection_update("selection-user", current, {"user": "2"})
    assert store == {**DEFAULT_STATE, "user": 2, "errors": {}} and pickers == {}
    shown = _every_consumer(store)
    assert len(calls) == 1
    assert shown["selection"][2:] == ("2", selection_state.describe_user(2))
    assert shown["venn"][1].startswith("User 2: ")
    assert "Movies of user 2 " in _text(shown["venn"][7])
    table = _text(shown["movie_why"][2])
    assert "User 2" in table and "User 1680" not in table
    assert "user 2's group" in shown["user_trends"][2]


@pytest.mark.parametrize("state", BAD_STATES)
def test_a_forged_store_reads_as_the_default_selection(state):
    clean = clean_state(state)
    assert {key: clean[key] for key in DEFAULT_STATE} == DEFAULT_STATE
    assert isinstance(clean["errors"], dict)
    assert selection_state.read_selection(state) == tuple(DEFAULT_STATE.values())
    user_message, movie_message, user_id, profile = selection.show_selection(state)
    assert profile.startswith(f"User {DEFAULT_STATE['user']}:")
    assert user_id == str(DEFAULT_STATE["user"])
    assert user_message == "" and movie_message == ""
    shown = _every_consumer(state)
    summary = shown["venn"][1]
    assert summary.startswith(f"User {DEFAULT_STATE['user']}:") and "999999" not in summary
    assert shown["venn"][6].startswith("Pick a movie")
    assert f"user {DEFAULT_STATE['user']}" in shown["user_trends"][2].lower()
    after = selection_state.next_state("selection-movie", state, {"movie": 1617})
    assert after["movie"] == 1617 and after["user"] == DEFAULT_STATE["user"]


def test_a_good_state_is_kept():
    state = {"user": 2, "movie": 1617, "compare": 2858, "errors": {"movie": "x", "other": "y"}}
    assert clean_state(state) == {**state, "errors": {"movie": "x"}}
    assert clean_state({"user": 2, "movie": 3391}) == {
        "user": 2,
        "movie": 3391,
        "compare": 3264,
        "errors": {},
    }


@pytest.mark.parametrize("value", [["x"], {"a": 1}, 3.5, None])
def test_non_scalar_dropdown_and_radio_values(value):
    assert venn.venn_overview(DEFAULT_STATE, value, value)[1].startswith("User 1680: ")
    assert venn.venn_overview(DEFAULT_STATE, "test", value)[4] == "DeepFM"
    venn.venn_picture(DEFAULT_STATE, value, value, value)
    venn.venn_listing(DEFAULT_STATE, value, value, value)
    table, options, sort = venn.listing_update(DEFAULT_STATE, value, value, value, True)
    assert sort == "region" and [o["value"] for o in options][-1] == "deepfm"
    user_trends.user_trends_outputs(DEFAULT_STATE, value)
    assert selection_state.search_movies(value) == []
    buffy = [movie_option(3264)]
    _, pickers = selection_state.selection_update(
        "selection-movie", DEFAULT_STATE, {"movie": value, "movie_text": value}
    )
    assert pickers == {"movie": (DEFAULT_STATE["movie"], buffy)}
    assert selection_state.typed_options(value, value, DEFAULT_STATE, "movie") == buffy
    state, errors = selection_state.parse_query(value)
    assert state == {} and errors == {}
    like = selection_state.next_state(
        "selection-like-go", None, {"like": [value, value, "any", value]}
    )
    assert like["user"] == selection_state.find_similar_user("any", "any", "any", "any")


def test_picker_sets_value_and_options_together():
    """The URL's movie comes with its title, so the dropdown can show it (issue: labels)."""
    update = selection_state.selection_update
    store, pickers = update(
        None, None, {"search": "?user=1680&movie=3391&compare=2858", "movie": 3264}
    )
    value, options = pickers["movie"]
    assert value == 3391 and movie_option(3391, "Who's That Girl? (1987)") in options
    assert pickers["compare"][0] == 2858 and store["compare"] == 2858
    _, pickers = update("selection-link", None, {"search": "?movie=1", "compare": 3391})
    value, options = pickers["compare"]
    assert value is no_update and movie_option(3391) in options
    store, pickers = update(
        "selection-movie", DEFAULT_STATE, {"movie_text": "matrix", "movie": 2571}
    )
    value, options = pickers["movie"]
    assert store["movie"] == 2571 and value is no_update
    assert 2571 in [option["value"] for option in options]
    assert 2571 in [
        option["value"]
        for option in selection_state.typed_options(2571, "matrix", DEFAULT_STATE, "movie")
    ]
    kept = {**DEFAULT_STATE, "movie": 1617}
    _, pickers = update("selection-movie", kept, {"movie": None})
    assert pickers == {"movie": (1617, [movie_option(1617)])}


@pytest.mark.parametrize("stored", ["abc", 5, [1, 2, 3], {HUGE: 4}, {"1": [5]}, {"-3": 4}])
def test_box_nine_bad_store_starts_afresh(stored):
    new, message = your_taste_lists.update_ratings("your-taste-add", 260, 5, stored)
    assert new == {"260": 5} and message.startswith("Added: Star Wars")
    listed, results, compare = your_taste.your_taste_outputs(stored, "F", 25, -1)
    assert listed[0].children == "No ratings yet."
    assert "could not be read" in results.children
    assert "could not be read" in compare.children


@pytest.mark.parametrize("movie_id", [int(HUGE), HUGE, [1], True, "1.5", -1, {"a": 1}])
def test_box_nine_bad_movie_is_not_added(movie_id):
    new, message = your_taste_lists.update_ratings("your-taste-add", movie_id, 5, {"1": 4})
    assert new is no_update and message.startswith("That rating was not added")


def test_huge_movie_id_is_a_rating_error():
    with pytest.raises(RatingError, match="Unknown movie id"):
        validate_ratings({HUGE: 4}, your_taste_lists.item_factors())


@pytest.mark.parametrize(
    ("gender", "age", "occupation"),
    [("abc", "abc", [1]), (["F"], [25], {"a": 1}), (True, True, True), (None, None, None)],
)
def test_box_nine_group_values_fall_back_to_any(gender, age, occupation):
    assert your_taste_lists.clean_group(gender, age, occupation) == ("all", 0, -1)
    shown = your_taste.your_taste_outputs({}, gender, age, occupation)[2]
    assert "MovieLens users." in shown[0].children
    assert your_taste_lists.group_label(gender, age, occupation) == "users"


def _post(client, output: str, inputs: list[dict], state: list[dict] | None = None):
    single = output.count(".") == 1
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in output.strip(".").split("...")
    ]
    body = {
        "output": output,
        "outputs": outputs[0] if single else outputs,
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": [f"{item['id']}.{item['property']}" for item in inputs[:1]],
    }
    return client.post("/_dash-update-component", json=body)


def test_forged_requests_get_http_200():
    """One forged request per module through the real Dash endpoint."""
    from app import app

    client = app.server.test_client()
    assert client.get("/").status_code == 200
    store = {"id": "selection-store", "property": "data", "value": {"user": 999999}}
    # A duplicate output's key carries a hash: "selection-compare.options@<hash>".
    (typing,) = [key for key in app.callback_map if key.startswith("selection-compare.options@")]
    cases = [
        (
            "..venn-graph.figure...venn-details.children..",
            [
                store,
                {"id": "venn-scope", "property": "value", "value": ["x"]},
                {"id": "venn-focus", "property": "value", "value": {"a": 1}},
                {"id": "venn-second", "property": "value", "value": ["bayes_fm"]},
            ],
            None,
        ),
        (
            "..venn-focus.options...venn-summary.children...venn-story.children..."
            "venn-key.children...venn-second-name.children..",
            [
                store,
                {"id": "venn-scope", "property": "value", "value": ["x"]},
                {"id": "venn-second", "property": "value", "value": "<b>deepfm</b>"},
            ],
            None,
        ),
        (
            "..venn-table.children...venn-sort.options...venn-sort.value..",
            [
                store,
                {"id": "venn-scope", "property": "value", "value": ["x"]},
                {"id": "venn-sort", "property": "value", "value": 7},
                {"id": "venn-second", "property": "value", "value": HUGE},
            ],
            None,
        ),
        (
            "..movie-why-movie.figure...movie-why-compare.figure...movie-why-table.children..",
            [store],
            None,
        ),
        (
            "..user-trends-graph.figure...user-trends-table.children...user-trends-summary.children..",
            [store, {"id": "user-trends-dimension", "property": "value", "value": ["x"]}],
            None,
        ),
        (
            "..selection-store.data...selection-movie.value...selection-movie.options..."
            "selection-compare.value...selection-compare.options...selection-user-message."
            "children...selection-movie-message.children...selection-user.value..."
            "selection-profile.children..",
            [
                {"id": "selection-link", "property": "data", "value": ["?user=1"]},
                {"id": "selection-user", "property": "n_submit", "value": "x"},
                {"id": "selection-user-go", "property": "n_clicks", "value": None},
                {"id": "selection-like-go", "property": "n_clicks", "value": None},
                {"id": "selection-movie", "property": "value", "value": [3264]},
                {"id": "selection-compare", "property": "value", "value": HUGE},
            ],
            [
                {"id": "selection-movie", "property": "search_value", "value": ["x"]},
                {"id": "selection-compare", "property": "search_value", "value": {"a": 1}},
                {"id": "selection-user", "property": "value", "value": [1]},
                {"id": "selection-like-gender", "property": "value", "value": 5},
                {"id": "selection-like-age_band", "property": "value", "value": None},
                {"id": "selection-like-occupation_name", "property": "value", "value": [1]},
                {"id": "selection-like-region", "property": "value", "value": {}},
                store,
            ],
        ),
        (
            typing,
            [{"id": "selection-compare", "property": "search_value", "value": {"a": 1}}],
            [{"id": "selection-compare", "property": "value", "value": HUGE}, store],
        ),
        (
            "..your-taste-store.data...your-taste-message.children..",
            [
                {"id": "your-taste-add", "property": "n_clicks", "value": 1},
                {"id": {"type": "your-taste-remove", "movie": ["ALL"]}, "property": "n_clicks"},
                {"id": "your-taste-clear", "property": "n_clicks", "value": 0},
            ],
            [
                {"id": "your-taste-movie", "property": "value", "value": int(HUGE)},
                {"id": "your-taste-stars", "property": "value", "value": 5},
                {"id": "your-taste-store", "property": "data", "value": "abc"},
            ],
        ),
        (
            "your-taste-movie.options",
            [
                {"id": "your-taste-movie", "property": "search_value", "value": {"a": [1]}},
                {"id": "your-taste-movie", "property": "value", "value": HUGE},
            ],
            None,
        ),
        (
            "..your-taste-ratings.children...your-taste-results.children..."
            "your-taste-compare.children...your-taste-point.data...your-taste-where.children..",
            [
                {"id": "your-taste-store", "property": "data", "value": {HUGE: [1]}},
                {"id": "your-taste-gender", "property": "value", "value": "all"},
                {"id": "your-taste-age", "property": "value", "value": "abc"},
                {"id": "your-taste-occupation", "property": "value", "value": [1]},
            ],
            None,
        ),
    ]
    for output, inputs, state in cases:
        response = _post(client, output, inputs, state)
        assert response.status_code == 200, (output, response.get_data(as_text=True)[:300])
