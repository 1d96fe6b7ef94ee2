"""Forged or stale callback inputs never raise: each callback answers with a message or the
last good (or default) state.

The values are those a reader can put in session storage with devtools, or anyone can POST
to ``/_dash-update-component``.
"""

from __future__ import annotations

import pytest
from dash import no_update

from components import movie_why, selection, user_trends, venn, your_taste
from components.fold_in import RatingError, validate_ratings
from components.selection import DEFAULT_STATE, clean_state

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


@pytest.mark.parametrize("state", BAD_STATES)
def test_selection_state_is_validated_once_for_every_consumer(state):
    clean = clean_state(state)
    assert {key: clean[key] for key in DEFAULT_STATE} == DEFAULT_STATE
    assert isinstance(clean["errors"], dict)
    assert selection.show_profile(state).startswith(f"User {DEFAULT_STATE['user']}:")
    assert selection.show_user_id(state) == str(DEFAULT_STATE["user"])
    assert selection.show_user_message(state) == ""
    assert selection.show_movie_message(state) == ""
    summary = venn.update_summary(state, "test")
    assert summary.startswith(f"User {DEFAULT_STATE['user']}:") and "999999" not in summary
    venn.update_figure(state, "test", None)
    venn.update_table(state, "all", "region")
    venn.update_focus_options(state, "test")
    assert venn.update_details(state, "test", 10**30).startswith("Pick a movie")
    movie_why.update_movie(state)
    movie_why.update_compare(state)
    movie_why.update_table(state)
    assert f"user {DEFAULT_STATE['user']}" in user_trends.update_summary(state, "age").lower()
    user_trends.update_figure(state, "gender")
    user_trends.update_table(state, "region")
    after = selection.next_state("selection-movie", state, {"movie": 1617})
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
    assert venn.update_summary(DEFAULT_STATE, value).startswith("User 1680: ")
    venn.update_table(DEFAULT_STATE, value, value)
    user_trends.update_figure(DEFAULT_STATE, value)
    assert user_trends.update_table(DEFAULT_STATE, value) is not None
    assert selection.search_movies(value) == []
    shown, options = selection.picker_update(
        "movie", "selection-movie", None, value, value, DEFAULT_STATE
    )
    assert shown == DEFAULT_STATE["movie"]
    assert options == [{"label": selection.movie_title(3264), "value": 3264}]
    state, errors = selection.parse_query(value)
    assert state == {} and errors == {}
    like = selection.next_state("selection-like-go", None, {"like": [value, value, "any", value]})
    assert like["user"] == selection.find_similar_user("any", "any", "any", "any")


def test_picker_sets_value_and_options_together():
    """The URL's movie comes with its title, so the dropdown can show it (issue: labels)."""
    value, options = selection.picker_update(
        "movie", None, "?user=1680&movie=3391&compare=2858", None, 3264, None
    )
    assert value == 3391 and {"label": "Who's That Girl? (1987)", "value": 3391} in options
    value, options = selection.picker_update(
        "compare", "selection-url", "?movie=1", None, 3391, None
    )
    assert value is no_update and {"label": selection.movie_title(3391), "value": 3391} in options
    value, options = selection.picker_update(
        "movie", "selection-movie", None, "matrix", 2571, DEFAULT_STATE
    )
    assert value is no_update and 2571 in [option["value"] for option in options]
    kept = {**DEFAULT_STATE, "movie": 1617}
    value, options = selection.picker_update("movie", "selection-movie", None, None, None, kept)
    assert value == 1617 and options == [{"label": selection.movie_title(1617), "value": 1617}]


@pytest.mark.parametrize("stored", ["abc", 5, [1, 2, 3], {HUGE: 4}, {"1": [5]}, {"-3": 4}])
def test_box_nine_bad_store_starts_afresh(stored):
    new, message = your_taste.update_ratings("your-taste-add", 260, 5, stored)
    assert new == {"260": 5} and message.startswith("Added: Star Wars")
    assert your_taste.show_ratings(stored)[0].children == "No ratings yet."
    assert "could not be read" in your_taste.show_recommendations(stored).children
    assert "could not be read" in your_taste.show_comparison(stored, "F", 25, -1).children


@pytest.mark.parametrize("movie_id", [int(HUGE), HUGE, [1], True, "1.5", -1, {"a": 1}])
def test_box_nine_bad_movie_is_not_added(movie_id):
    new, message = your_taste.update_ratings("your-taste-add", movie_id, 5, {"1": 4})
    assert new is no_update and message.startswith("That rating was not added")


def test_huge_movie_id_is_a_rating_error():
    with pytest.raises(RatingError, match="Unknown movie id"):
        validate_ratings({HUGE: 4}, your_taste.item_factors())


@pytest.mark.parametrize(
    ("gender", "age", "occupation"),
    [("abc", "abc", [1]), (["F"], [25], {"a": 1}), (True, True, True), (None, None, None)],
)
def test_box_nine_group_values_fall_back_to_any(gender, age, occupation):
    assert your_taste.clean_group(gender, age, occupation) == ("all", 0, -1)
    shown = your_taste.show_comparison({}, gender, age, occupation)
    assert "MovieLens users." in shown[0].children
    assert your_taste.group_label(gender, age, occupation) == "users"


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
    cases = [
        ("selection-profile.children", [store], None),
        (
            "venn-summary.children",
            [store, {"id": "venn-scope", "property": "value", "value": ["x"]}],
            None,
        ),
        ("movie-why-table.children", [store], None),
        (
            "user-trends-summary.children",
            [store, {"id": "user-trends-dimension", "property": "value", "value": ["x"]}],
            None,
        ),
        (
            "..selection-movie.value...selection-movie.options..",
            [
                {"id": "selection-url", "property": "search", "value": None},
                {"id": "selection-movie", "property": "search_value", "value": ["x"]},
                {"id": "selection-movie", "property": "value", "value": 3264},
            ],
            [store],
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
            "your-taste-compare.children",
            [
                {"id": "your-taste-store", "property": "data", "value": {}},
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
