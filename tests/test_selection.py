"""User/movie choice: URL parsing, state transitions, search, "someone like me"."""

from __future__ import annotations

import re

import pytest

from components import selection_state
from components.movie_search import MAX_OPTIONS, movie_option
from components.selection_state import DEFAULT_STATE, next_state, parse_id, parse_query


def test_good_query():
    state, errors = parse_query("?user=1680&movie=3264&compare=1617")
    assert state == {"user": 1680, "movie": 3264, "compare": 1617} and errors == {}
    assert parse_query(None) == ({}, {})
    assert parse_query("") == ({}, {})


@pytest.mark.parametrize(
    ("query", "control"),
    [
        ("?user=999999", "user"),
        ("?user=0", "user"),
        ("?movie=99999", "movie"),
        ("?movie=3264abc", "movie"),
        ("?user=-5", "user"),
        ("?user=1e3", "user"),
        ("?user=%D9%A1%D9%A6", "user"),  # Arabic-Indic digits are not ids here
        ("?user=<script>alert(1)</script>", "user"),
        ("?user=1680' OR 1=1--", "user"),
        ("?user=" + "9" * 5000, "user"),
        ("?compare=../../etc/passwd", "movie"),
        ("?user=", "user"),
    ],
)
def test_bad_values_give_a_message_not_an_exception(query, control):
    state, errors = parse_query(query)
    assert state == {}
    message = errors[control]
    # At most 12 characters of the input come back, quoted (Dash shows them as text).
    quoted = re.findall(r"“([^”]*)”", message)
    assert all(len(text.removesuffix("…")) <= 12 for text in quoted)
    assert "alert(1)" not in message and "etc/passwd" not in message
    assert len(message) < 160


def test_repeated_and_unknown_keys():
    state, errors = parse_query("?user=12&user=13&colour=red")
    assert state == {"user": 12} and errors == {}


def test_parse_id_accepts_only_plain_digits():
    assert parse_id("1680", "user") == (1680, None)
    assert parse_id(1680, "user") == (1680, None)
    assert parse_id(" 1680 ", "user") == (1680, None)
    assert parse_id(True, "user")[0] is None
    assert parse_id("３", "user")[0] is None  # full-width digit


def test_bad_input_keeps_the_last_good_state():
    good = next_state(None, None, {"search": "?user=1680&movie=3391"})
    assert good == {"user": 1680, "movie": 3391, "compare": 3264, "errors": {}}
    bad = next_state("selection-user-go", good, {"user": "999999"})
    assert bad["user"] == 1680 and "999999" in bad["errors"]["user"]
    fixed = next_state("selection-user", bad, {"user": "2"})
    assert fixed["user"] == 2 and "user" not in fixed["errors"]
    moved = next_state("selection-compare", fixed, {"compare": 1617})
    assert moved["compare"] == 1617 and moved["movie"] == 3391
    wrong = next_state("selection-movie", moved, {"movie": "nope"})
    assert wrong["movie"] == 3391 and "movie" in wrong["errors"]


def test_url_with_unknown_user_falls_back_with_a_message():
    state = next_state("selection-link", None, {"search": "?user=999999&movie=3264"})
    assert state["user"] == DEFAULT_STATE["user"] and state["movie"] == 3264
    assert "no user 999999" in state["errors"]["user"]


def test_someone_like_me():
    user = selection_state.find_similar_user("M", "25-34", "writer", "West Coast, AK & HI")
    profile = selection_state.profiles().loc[user]
    assert (profile["gender"], profile["occupation_name"]) == ("M", "writer")
    assert selection_state.find_similar_user("any", "any", "any", "any") is not None
    assert selection_state.find_similar_user("F", "Under 18", "retired", "any") is None
    state = next_state("selection-like-go", None, {"like": ["F", "Under 18", "retired", "any"]})
    assert "Nobody" in state["errors"]["user"]


def test_title_search():
    found = selection_state.search_movies("confidential")
    assert movie_option(1617, "L.A. Confidential (1997)") in found
    assert any(option["value"] == 2571 for option in selection_state.search_movies("the matrix"))
    assert selection_state.search_movies("buffy")[0]["value"] == 3264
    assert selection_state.search_movies("a") == []
    assert len(selection_state.search_movies("the")) <= MAX_OPTIONS


def test_bad_link_messages_name_the_default_and_the_picker():
    _, errors = parse_query("?user=abc")
    assert "default" in errors["user"] and "previous" not in errors["user"]
    _, errors = parse_query("?movie=3264&compare=99999")
    assert errors["movie"].startswith("Compare with:") and "default" in errors["movie"]
    _, errors = parse_query("?movie=x&compare=y")
    assert "Movie:" in errors["movie"] and "Compare with:" in errors["movie"]
    state = next_state("selection-compare", None, {"compare": "nope"})
    assert state["errors"]["movie"].startswith("Compare with:")
    state = next_state("selection-movie", None, {"movie": "nope"})
    assert state["errors"]["movie"].startswith("Movie:")


def test_a_link_is_parsed_once_for_the_store_and_both_pickers(monkeypatch):
    calls = []
    parse = selection_state.parse_query
    monkeypatch.setattr(
        selection_state, "parse_query", lambda search: calls.append(search) or parse(search)
    )
    store, pickers = selection_state.selection_update(
        "selection-link",
        None,
        {"search": "?user=2&movie=1617&compare=2858", "movie": 3264, "compare": 3391},
    )
    assert calls == ["?user=2&movie=1617&compare=2858"]
    assert store == {"user": 2, "movie": 1617, "compare": 2858, "errors": {}}
    assert {key: value for key, (value, _) in pickers.items()} == {"movie": 1617, "compare": 2858}


def test_typing_in_a_picker_lists_matches_and_keeps_the_shown_movie():
    options = selection_state.typed_options(None, "buffy", DEFAULT_STATE, "compare")
    assert options[0]["value"] == 3264 and options[-1]["value"] == DEFAULT_STATE["compare"]
    kept = selection_state.typed_options(2571, "buffy", DEFAULT_STATE, "compare")
    assert kept[-1] == movie_option(2571, "Matrix, The (1999)")
