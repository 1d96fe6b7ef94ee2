"""Box 9 in a real browser: rating movies changes the list; clearing restores the cold start.

Runs headless Chromium through ``dash[testing]``'s ``dash_duo`` (options in conftest.py).
"""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser


def _first_pick(dash_duo) -> str:
    return dash_duo.find_element("#your-taste-top tbody tr td").text


def _option(driver, search: str):
    """The dropdown's first option showing ``search``, or None (yet)."""
    for option in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"):
        try:
            if search in option.text:
                return option
        except StaleElementReferenceException:
            return None
    return None


def _rate(dash_duo, search: str, stars: int) -> None:
    """Type into the movie search, take the first match, pick the stars, add."""
    dash_duo.find_element("#your-taste-movie").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search input, input.dash-dropdown-search")
    box.send_keys(search)
    # The titles are searched on the server: wait for the answer, then take the match.
    WebDriverWait(dash_duo.driver, 20).until(lambda driver: _option(driver, search))
    _option(dash_duo.driver, search).click()
    dash_duo.find_element(f"#your-taste-stars input[value='{stars}']").click()
    dash_duo.find_element("#your-taste-add").click()


def test_rating_three_movies_changes_the_list(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#your-taste-top")
    assert "cold-start" in dash_duo.find_element("#your-taste-results").text
    before = _first_pick(dash_duo)
    wait = WebDriverWait(dash_duo.driver, 10)
    for count, (search, stars) in enumerate(
        (("Matrix, The", 5), ("Toy Story (1995)", 1), ("Alien (1979)", 5)), start=1
    ):
        _rate(dash_duo, search, stars)
        wait.until(
            lambda driver, n=count: (
                len(driver.find_elements(By.CSS_SELECTOR, "#your-taste-ratings .your-taste-remove"))
                == n
            )
        )
    dash_duo.wait_for_contains_text("#your-taste-results", "Calibrated to your 3 ratings")
    assert _first_pick(dash_duo) != before
    assert "Pushed up by your" in dash_duo.find_element("#your-taste-top").text
    assert "Matrix" in dash_duo.find_element("#your-taste-ratings").text

    dash_duo.find_element("#your-taste-ratings .your-taste-remove").click()
    dash_duo.wait_for_contains_text("#your-taste-results", "Calibrated to your 2 ratings")
    dash_duo.find_element("#your-taste-clear").click()
    dash_duo.wait_for_contains_text("#your-taste-results", "cold-start")
    assert _first_pick(dash_duo) == before
    assert dash_duo.get_logs() == []


def test_the_five_star_choices_share_one_line_at_1280px(dash_duo):
    """At the default 1280 px window the "5 ★" choice does not wrap onto its own line."""
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#your-taste-stars")
    tops = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#your-taste-stars label')]"
        ".map((label) => Math.round(label.getBoundingClientRect().top));"
    )
    assert len(tops) == 5 and len(set(tops)) == 1, tops
