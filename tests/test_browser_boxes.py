"""What only a browser shows: the slider number boxes, the button, hover and focus effects.

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


def _type_into_slider(dash_duo, slider_id: str, text: str) -> None:
    """Type a value into a Dash 4 slider's number box and leave it (blur commits)."""
    box = dash_duo.find_element(f"#{slider_id} input[type='number']")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)
    box.send_keys(Keys.TAB)


def _wait_until_shown(dash_duo, selector: str, shown: bool = True) -> None:
    """Wait until an element is (or is no longer) visible to the reader."""
    dash_duo.wait_for_element(selector)
    WebDriverWait(dash_duo.driver, 4).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, selector).is_displayed() == shown
    )


def test_movie_night_average_follows_your_taste(article):
    _type_into_slider(article, "movie-night-slider-comedy", "0.9")
    _type_into_slider(article, "movie-night-slider-horror", "0.1")
    article.wait_for_text_to_equal("#movie-night-factors-3", "0.9, 0.1")
    article.find_element("#movie-night-calculate").click()
    article.wait_for_text_to_equal("#movie-night-average-0", "2.75")
    averages = [article.find_element(f"#movie-night-average-{j}").text for j in range(3)]
    assert [a.split()[0] for a in averages] == ["2.75", "3.65", "2.65"]
    assert "best" in article.find_element("#movie-night-average-1").get_attribute("class")
    assert "Modern Times" in article.find_element("#movie-night-verdict").text


def test_slider_box_clamps_and_recovers(article):
    _type_into_slider(article, "movie-night-slider-comedy", "99")
    article.wait_for_text_to_equal("#movie-night-factors-3", "1, 0.5")
    _type_into_slider(article, "movie-night-slider-comedy", "")
    article.wait_for_text_to_equal("#movie-night-factors-3", "1, 0.5")
    box = article.find_element("#movie-night-slider-comedy input[type='number']")
    assert box.get_attribute("value") == "1"
    assert article.get_logs() == []


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


def test_mf_cell_hover_shows_arithmetic_and_highlights(article):
    cell = article.find_element("#mf-by-hand-cell-0-0")
    article.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    ActionChains(article.driver).move_to_element(cell).perform()
    article.wait_for_contains_text("#mf-by-hand-arithmetic", "0.6×3 + 0.5×2 = 2.8")
    highlighted = article.find_elements(".mf-by-hand .highlight")
    # Anna: her row in W (name + 2 factors) and her row header in the result;
    # Zombieland: its column in Q (name + 2 factors) and its column header in the result.
    assert len(highlighted) == 8
    assert "active" in cell.get_attribute("class")

    other = article.find_element("#mf-by-hand-cell-2-2")
    article.driver.execute_script("arguments[0].focus()", other)
    article.wait_for_contains_text("#mf-by-hand-arithmetic", "0.4×1 + 0.9×5 = 4.9")
