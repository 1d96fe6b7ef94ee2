"""Boxes 2 and 3 in a real browser: the numbers match the Python reference, typed values
are used, stale results are marked, the keyboard order follows the page, and no toy sends
a request to the server.

Runs headless Chromium through ``dash[testing]``'s ``dash_duo`` (options in conftest.py).
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from components.movie_night import STALE, page_texts
from components.toy_mf import (
    MOVIE_FACTORS,
    USER_FACTORS,
    arithmetic_text,
    compute_movie_night,
    dot,
    format_guess,
)

pytestmark = pytest.mark.browser

UPDATES = "_dash-update-component"

# After the page has loaded, every request to the callback endpoint: those already answered
# (resource timing) and those merely started (a wrapper around fetch).
COUNT_UPDATES = f"""
return {{
    answered: performance.getEntriesByType('resource')
        .filter(e => e.name.includes('{UPDATES}')).length,
    started: window.__toyUpdates === undefined ? null : window.__toyUpdates,
}};
"""
WATCH_FETCH = f"""
performance.setResourceTimingBufferSize(10000);
window.__toyUpdates = 0;
const fetchBefore = window.fetch;
window.fetch = function (resource) {{
    if (String(resource && resource.url ? resource.url : resource).includes('{UPDATES}')) {{
        window.__toyUpdates += 1;
    }}
    return fetchBefore.apply(this, arguments);
}};
"""


def _settled_update_count(dash_duo, quiet_s: float = 2.0, limit_s: float = 60.0) -> int:
    """The number of answered callback requests once none has arrived for ``quiet_s``."""
    deadline = time.monotonic() + limit_s
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = dash_duo.driver.execute_script(COUNT_UPDATES)["answered"]
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return count
        time.sleep(0.25)
    raise AssertionError("the page kept sending callback requests")


@pytest.fixture
def toys(dash_duo):
    """The article, loaded, with the first visit's callbacks answered and fetch watched."""
    from app import app

    dash_duo.start_server(app)
    # Generous waits: the test machine is shared. Dash loads the slider's code lazily, so
    # its number box can appear well after the button.
    dash_duo.wait_for_element("#movie-night-calculate", timeout=60)
    dash_duo.wait_for_element("#movie-night-slider-horror input[type='number']", timeout=60)
    dash_duo.baseline_updates = _settled_update_count(dash_duo)
    dash_duo.driver.execute_script(WATCH_FETCH)
    return dash_duo


def _assert_no_round_trip(dash_duo) -> None:
    """Whatever the test did with the toys, the server heard nothing of it."""
    time.sleep(1.0)  # let a stray request be answered, so resource timing would list it
    counts = dash_duo.driver.execute_script(COUNT_UPDATES)
    assert counts == {"answered": dash_duo.baseline_updates, "started": 0}
    assert dash_duo.get_logs() == []


def _number_box(dash_duo, factor: str):
    return dash_duo.find_element(f"#movie-night-slider-{factor} input[type='number']")


def _type(dash_duo, factor: str, text: str, then: str | None = None) -> None:
    """Click a slider's number box, replace its text, and optionally press a key."""
    box = _number_box(dash_duo, factor)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)
    if then:
        box.send_keys(then)


def _text_content(dash_duo, element_id: str) -> str:
    return dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).textContent", element_id
    )


def _assert_page_shows(dash_duo, you: tuple[float, float]) -> None:
    """Every result cell and the verdict as the Python reference computes them for ``you``."""
    expected = page_texts(compute_movie_night(*you))
    dash_duo.wait_for_text_to_equal("#movie-night-verdict", expected["movie-night-verdict"])
    shown = {element_id: _text_content(dash_duo, element_id) for element_id in expected}
    assert shown == expected
    assert dash_duo.find_element("#movie-night-status").text == ""


def test_typed_values_are_used_as_in_the_issue(toys):
    """Issue 8: type 0.9 for comedy, click the horror box, type 0.1, press Calculate.

    Neither box is left with Tab: the click on the button is what ends the typing.
    """
    _type(toys, "comedy", "0.9")
    _type(toys, "horror", "0.1")
    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.9, 0.1))
    averages = [_text_content(toys, f"movie-night-average-{j}") for j in range(3)]
    assert averages == ["2.75", "3.65 (best)", "2.65"]  # hand-computed in the issue
    assert "best" in toys.find_element("#movie-night-average-1").get_attribute("class")
    assert toys.find_element("#movie-night-factors-3").text == "0.9, 0.1"
    _assert_no_round_trip(toys)


def test_more_tastes_match_the_python_reference(toys):
    # The article's defaults.
    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.5, 0.5))
    # Enter applies a typed value; Modern Times' average is 3.625 exactly -> 3.63.
    _type(toys, "comedy", "0.8", then=Keys.ENTER)
    toys.wait_for_text_to_equal("#movie-night-factors-3", "0.8, 0.5")
    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.8, 0.5))
    assert _text_content(toys, "movie-night-average-1") == "3.63 (best)"
    # The slider handles with the keyboard: comedy to 0, horror to 1.
    toys.find_element("#movie-night-slider-comedy [role='slider']").send_keys(Keys.HOME)
    toys.find_element("#movie-night-slider-horror [role='slider']").send_keys(Keys.END)
    toys.wait_for_text_to_equal("#movie-night-factors-3", "0, 1")
    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.0, 1.0))
    assert "The Grudge" in toys.find_element("#movie-night-verdict").text
    _assert_no_round_trip(toys)


def test_results_from_an_older_taste_are_marked_out_of_date(toys):
    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.5, 0.5))
    output = toys.find_element("#movie-night-output")
    assert "stale" not in output.get_attribute("class")

    toys.find_element("#movie-night-slider-horror [role='slider']").send_keys(Keys.ARROW_RIGHT)
    toys.wait_for_text_to_equal("#movie-night-status", STALE)
    status = toys.find_element("#movie-night-status")
    assert status.get_attribute("role") == "status"  # announced by screen readers
    assert status.is_displayed()
    assert "stale" in output.get_attribute("class")
    assert float(toys.find_element(".movie-night-table").value_of_css_property("opacity")) < 1
    assert _text_content(toys, "movie-night-caption-state") == " (out of date)"
    # The old numbers stay until the reader asks for new ones.
    assert _text_content(toys, "movie-night-average-1") == "3.25 (best)"

    toys.find_element("#movie-night-calculate").click()
    _assert_page_shows(toys, (0.5, 0.6))
    assert "stale" not in output.get_attribute("class")
    assert _text_content(toys, "movie-night-caption-state") == ""
    _assert_no_round_trip(toys)


def test_enter_applies_and_bad_numbers_recover(toys):
    _type(toys, "horror", "0.3", then=Keys.ENTER)
    toys.wait_for_text_to_equal("#movie-night-factors-3", "0.5, 0.3")
    box = _number_box(toys, "horror")
    assert toys.driver.switch_to.active_element == box  # Enter keeps the reader in place
    handle = toys.find_element("#movie-night-slider-horror [role='slider']")
    assert handle.get_attribute("aria-valuenow") == "0.3"
    # Far too much clamps to 1; an emptied box keeps its value instead of jumping.
    _type(toys, "comedy", "99", then=Keys.TAB)
    toys.wait_for_text_to_equal("#movie-night-factors-3", "1, 0.3")
    _type(toys, "horror", "", then=Keys.TAB)
    time.sleep(0.3)
    assert toys.find_element("#movie-night-factors-3").text == "1, 0.3"
    assert box.get_attribute("value") == "0.3"
    _type(toys, "comedy", "", then=Keys.ENTER)
    assert _number_box(toys, "comedy").get_attribute("value") == "1"
    _assert_no_round_trip(toys)


def test_keyboard_order_names_and_focus(toys):
    """Tab goes label by label: comedy slider, its box, horror slider, its box, button."""
    label = toys.find_element("#movie-night-slider-comedy-label")
    toys.driver.execute_script("arguments[0].tabIndex = -1; arguments[0].focus()", label)
    seen = []
    for _ in range(5):
        toys.driver.switch_to.active_element.send_keys(Keys.TAB)
        focused = toys.driver.switch_to.active_element
        seen.append(
            (
                focused.get_attribute("role") or focused.get_attribute("type"),
                focused.get_attribute("aria-labelledby") or focused.get_attribute("id"),
            )
        )
        assert focused.value_of_css_property("outline-style") != "none"  # visible focus
    assert seen == [
        ("slider", "movie-night-slider-comedy-label"),
        ("number", "movie-night-slider-comedy-label"),
        ("slider", "movie-night-slider-horror-label"),
        ("number", "movie-night-slider-horror-label"),
        ("button", "movie-night-calculate"),
    ]
    box = _number_box(toys, "comedy")
    hint = toys.find_element(f"#{box.get_attribute('aria-describedby')}")
    assert "press Enter" in _text_content(toys, hint.get_attribute("id"))
    # Seen order: the slider's track is left of its number box.
    track = toys.find_element("#movie-night-slider-comedy .dash-slider-wrapper")
    assert track.rect["x"] + track.rect["width"] <= box.rect["x"]
    _assert_no_round_trip(toys)


def test_mf_by_hand_shows_the_reference_and_explains_on_hover(toys):
    for i, w in enumerate(USER_FACTORS.values()):
        for j, q in enumerate(MOVIE_FACTORS.values()):
            assert toys.find_element(f"#mf-by-hand-cell-{i}-{j}").text == format_guess(dot(w, q))

    cell = toys.find_element("#mf-by-hand-cell-0-0")
    toys.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    ActionChains(toys.driver).move_to_element(cell).perform()
    toys.wait_for_contains_text(
        "#mf-by-hand-arithmetic", arithmetic_text(USER_FACTORS["Anna"], MOVIE_FACTORS["Zombieland"])
    )
    highlighted = toys.find_elements(".mf-by-hand .highlight")
    # Anna: her row in W (name + 2 factors) and her row header in the result;
    # Zombieland: its column in Q (name + 2 factors) and its column header in the result.
    assert len(highlighted) == 8
    assert "active" in cell.get_attribute("class")

    other = toys.find_element("#mf-by-hand-cell-2-2")
    toys.driver.execute_script("arguments[0].focus()", other)
    toys.wait_for_contains_text("#mf-by-hand-arithmetic", "0.4×1 + 0.9×5 = 4.9")
    _assert_no_round_trip(toys)
