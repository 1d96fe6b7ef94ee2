"""Issue 10 section 3, one test per example: the whole query is read, id messages give the
true reason, nothing echoes unbounded input, Box 9 counts what it uses, the privacy text is
true, and forged values in any callback input never give a server error."""

from __future__ import annotations

import pytest
from damage import REAL
from test_damaged_artifacts import _bodies, _components

from components import your_taste, your_taste_lists
from components.selection_state import MAX_QUERY_CHARS, parse_id, parse_query
from core.quoting import quote_input
from core.scoring import RatingError, movie_id_of

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client():
    import app as article
    from components import artifacts

    assert artifacts.PRECOMPUTED == REAL or artifacts.PRECOMPUTED.resolve() == REAL.resolve()
    return article.app.server.test_client()


def test_the_whole_query_is_read():
    """``/?x=<600 chars>&user=42`` showed user 1680: text after 500 characters was dropped."""
    state, errors = parse_query("?x=" + "a" * 600 + "&user=42")
    assert state == {"user": 42} and errors == {}
    state, errors = parse_query("?user=42&x=" + "a" * (MAX_QUERY_CHARS - 11))
    assert state == {"user": 42} and errors == {}


def test_an_overlong_query_is_ignored_with_a_message():
    state, errors = parse_query("?user=42&x=" + "a" * MAX_QUERY_CHARS)
    assert state == {}
    assert errors == {
        "user": "This link's query is 2,011 characters long (at most 2,000 are read), so it "
        "was ignored. Showing the default instead."
    }


def test_id_messages_say_the_true_reason():
    assert parse_id("99999999", "movie") == (
        None,
        "99999999 is a whole number but no rated movie has it; search by title.",
    )
    assert parse_id("1680!", "user") == (
        None,
        "“1680!” is not a whole number, so it is not a user id.",
    )
    assert parse_id("9" * 5000, "user") == (
        None,
        "There is no user 999999999999… in MovieLens 1M (ids run from 1 to 6040).",
    )
    assert parse_id(" 1680 ", "user") == (1680, None)
    _, errors = parse_query("?movie=99999999&user=1680!")
    assert errors["movie"].startswith("Movie: 99999999 is a whole number but no rated movie")
    assert errors["user"].startswith("User: “1680!” is not a whole number")


def test_quotes_are_short_and_escaped():
    assert quote_input("1680!") == "“1680!”"
    assert quote_input("x" * 20_000_000) == "“xxxxxxxxxxxx…”"
    assert quote_input("a\nb\x00<i>") == "“a\\nb\\x00<i>”"
    assert quote_input([1, 2]) == "“[1, 2]”"


def test_a_huge_forged_star_value_is_not_echoed():
    huge = "5" * 20_000_000
    new, message = your_taste_lists.update_ratings("your-taste-add", 260, huge, {})
    assert message == (
        "That rating was not added: Stars must be a whole number from 1 to 5, got “555555555555…”."
    )
    with pytest.raises(RatingError) as error:
        your_taste_lists.read_ratings({"x" * 1_000_000: 5})
    assert str(error.value) == "Movie id “xxxxxxxxxxxx…” is not a whole number."


def test_a_forged_star_value_just_under_the_body_limit_gets_a_short_answer(client):
    body = {
        "output": "..your-taste-store.data...your-taste-message.children..",
        "outputs": [
            {"id": "your-taste-store", "property": "data"},
            {"id": "your-taste-message", "property": "children"},
        ],
        "inputs": [
            {"id": "your-taste-add", "property": "n_clicks", "value": 1},
            [],
            {"id": "your-taste-clear", "property": "n_clicks", "value": 0},
        ],
        "state": [
            {"id": "your-taste-movie", "property": "value", "value": 260},
            {"id": "your-taste-stars", "property": "value", "value": "5" * 900_000},
            {"id": "your-taste-store", "property": "data", "value": {}},
        ],
        "changedPropIds": ["your-taste-add.n_clicks"],
    }
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200
    assert len(response.get_data()) < 1000
    message = response.get_json()["response"]["your-taste-message"]["children"]
    assert message.endswith("got “555555555555…”.")


def test_keys_are_normalised_once_and_box_nine_counts_what_it_uses():
    """``{" 1": 5, "1": 1}`` listed one rating but said "calibrated to your 2 ratings"."""
    assert movie_id_of(" 1") == movie_id_of("1") == movie_id_of(1) == 1
    for bad in ("+1", "1.0", "1_0", "١", "", True):
        with pytest.raises(RatingError, match="is not a whole number"):
            movie_id_of(bad)
    with pytest.raises(RatingError, match="Unknown movie id “999999999999…”"):
        movie_id_of("9" * 5000)
    rated = your_taste_lists.read_ratings({" 1": 5, "1": 1})
    assert len(rated.rows) == 1 and rated.stars == (1,) and rated.movie_ids() == [1]
    listed, recommendations, _ = your_taste.your_taste_outputs({" 1": 5, "1": 1}, "all", 0, -1)
    assert len(listed) == 1 and "Toy Story (1995)" in str(listed[0])
    assert "Calibrated to your 1 rating," in str(recommendations)


def test_the_privacy_text_says_a_new_tab_can_copy_the_ratings():
    from components.box import walk

    texts = [node for node in walk(your_taste.layout()) if isinstance(node, str)]
    privacy = next(text for text in texts if "session storage" in text)
    assert "A tab opened from this one" in privacy and "copy of them" in privacy
    assert "stay in this browser tab" not in privacy


JUNK = [None, "x" * 5000, -1, 10**30, 1.5, True, [1, "a"], {"a": {"b": [1]}}, "<b>"]


@pytest.mark.parametrize("junk", JUNK, ids=[repr(value)[:20] for value in JUNK])
def test_forged_values_in_every_callback_never_give_a_server_error(client, junk):
    """Every server callback with every input and state set to the same forged value."""
    layout = client.get("/_dash-layout").get_json()
    components = _components(layout, {})
    for spec in client.get("/_dash-dependencies").get_json():
        if spec.get("clientside_function"):
            continue
        body = next(_bodies(spec, components))
        for group in ("inputs", "state"):
            body[group] = [
                {**item, "value": junk} if isinstance(item, dict) else item for item in body[group]
            ]
        response = client.post(UPDATE, json=body)
        assert response.status_code in (200, 204), (spec["output"], junk)
        assert len(response.get_data()) < 200_000
