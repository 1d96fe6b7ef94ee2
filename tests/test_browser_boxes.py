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
