"""What only a browser shows: hover and focus effects (Boxes 2 and 3: test_browser_toys.py).

Runs headless Chromium through ``dash[testing]``'s ``dash_duo`` (options in conftest.py).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#movie-night-calculate")
    # Dash loads the slider's code lazily: its number box can appear after the button.
    dash_duo.wait_for_element("#movie-night-slider-horror input[type='number']", timeout=20)
    return dash_duo


def _wait_until_shown(dash_duo, selector: str, shown: bool = True) -> None:
    """Wait until an element is (or is no longer) visible to the reader."""
    dash_duo.wait_for_element(selector)
    WebDriverWait(dash_duo.driver, 4).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, selector).is_displayed() == shown
    )


def test_pipeline_step_explains_on_hover_and_focus(article):
    detail = article.find_element("#pipeline-detail-filtering")
    assert not detail.is_displayed()
    ActionChains(article.driver).move_to_element(
        article.find_element("#pipeline-step-filtering")
    ).perform()
    _wait_until_shown(article, "#pipeline-detail-filtering")
    assert "already seen" in detail.text

    # Move the pointer away, then reach the next step with the keyboard.
    ActionChains(article.driver).move_to_element(article.find_element("h1")).perform()
    _wait_until_shown(article, "#pipeline-detail-filtering", shown=False)
    article.find_element("#pipeline-step-filtering").send_keys(Keys.TAB)
    focused = article.driver.switch_to.active_element
    assert focused.get_attribute("id") == "pipeline-step-scoring"
    _wait_until_shown(article, "#pipeline-detail-scoring")
    assert focused.get_attribute("aria-describedby") == "pipeline-detail-scoring"


# Top and bottom in page coordinates (moving the pointer to an element scrolls the page).
RECT = """
const r = document.getElementById(arguments[0]).getBoundingClientRect();
return [r.top + window.scrollY, r.bottom + window.scrollY];
"""


def test_pipeline_explains_itself_at_rest_and_each_step_takes_its_place(article):
    """Box 1 at 1280 px: the default explanation fills the space under the steps (no empty
    panel), and a hovered or focused step's explanation replaces it in the same place."""
    driver = article.driver
    overview = article.find_element("#pipeline-overview")
    assert overview.is_displayed() and "pipeline runs every time" in overview.text
    box_bottom = driver.execute_script(RECT, "pipeline")[1]
    top, bottom = driver.execute_script(RECT, "pipeline-overview")
    # What follows the panel (the figure's caption, or the box's edge) starts right under it.
    following = driver.execute_script(
        "const c = document.querySelector('#pipeline figcaption');"
        "return c ? c.getBoundingClientRect().top + window.scrollY : arguments[0];",
        box_bottom,
    )
    assert 0 <= following - bottom < 50, "empty space under Box 1's steps"
    assert top > driver.execute_script(RECT, "pipeline-step-ranking")[1]

    ActionChains(driver).move_to_element(article.find_element("#pipeline-step-scoring")).perform()
    _wait_until_shown(article, "#pipeline-detail-scoring")
    WebDriverWait(driver, 4).until(lambda d: not overview.is_displayed())
    assert driver.execute_script(RECT, "pipeline-detail-scoring")[0] == top
    assert driver.execute_script(RECT, "pipeline")[1] == box_bottom  # nothing moved

    ActionChains(driver).move_to_element(article.find_element("h1")).perform()
    _wait_until_shown(article, "#pipeline-overview")
    driver.execute_script("document.getElementById('pipeline-step-querying').focus()")
    _wait_until_shown(article, "#pipeline-detail-querying")
    assert not overview.is_displayed()
