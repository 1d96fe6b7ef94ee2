"""The pickers' title search: punctuation, accents and case do not matter (issue 9 item 9)."""

from __future__ import annotations

import pytest

from components import movie_search, your_taste_lists
from components.movie_search import movie_option, normalise, search_key, search_movies


def test_normalise_drops_punctuation_accents_and_case():
    assert normalise("Who's That Girl? (1987)") == "whos that girl 1987"
    assert normalise("  Misérables,  Les ") == "miserables les"
    assert normalise("E.T. the Extra-Terrestrial") == "et the extraterrestrial"
    assert normalise("?!") == ""


def test_search_key_holds_the_natural_order():
    assert search_key("Matrix, The (1999)") == "matrix the 1999 the matrix 1999"
    assert search_key("Buffy the Vampire Slayer (1992)") == "buffy the vampire slayer 1992"


@pytest.mark.parametrize(
    "typed, movie_id",
    [
        ("whos that", 3391),  # Who's That Girl? (1987)
        ("WHO'S THAT GIRL?", 3391),
        ("la confidential", 1617),  # L.A. Confidential (1997)
        ("miserables 1995", 73),  # Misérables, Les (1995)
        ("les miserables", 73),
        ("extra terrestrial", 1097),  # E.T. the Extra-Terrestrial (1982)
        ("the matrix", 2571),  # Matrix, The (1999)
    ],
)
def test_every_picker_finds_a_title_typed_loosely(typed, movie_id):
    """Box 7's and Box 9's server search, and the key the browser filters by again."""
    found = search_movies(typed)
    assert movie_id in [option["value"] for option in found]
    assert movie_id in [option["value"] for option in your_taste_lists.movie_options(typed)]
    option = next(option for option in found if option["value"] == movie_id)
    # The dropdown keeps an option when every typed word occurs in its search text.
    assert all(word in option["search"] for word in normalise(typed).split())


def test_options_carry_title_id_and_search_text():
    assert movie_option(3391) == {
        "label": "Who's That Girl? (1987)",
        "value": 3391,
        "search": "whos that girl 1987",
    }
    assert search_movies("a") == search_movies("'!") == search_movies(None) == []
    assert len(search_movies("the")) == movie_search.MAX_OPTIONS
