"""Boxes 6-8 in a browser: Xiao's link and a link with an unknown user."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

HOVER_TEXTS = """
const graph = document.querySelector('#venn-graph .js-plotly-plot');
if (!graph || !graph.data) { return []; }
return graph.data.flatMap((trace) => trace.hovertext || []);
"""


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    return dash_duo


def test_xiao_link_shows_buffy_rated_one(article):
    article.driver.get(article.server_url + "/?user=1680&movie=3391")
    WebDriverWait(article.driver, 20).until(
        lambda driver: any("Buffy" in text for text in driver.execute_script(HOVER_TEXTS))
    )
    texts = article.driver.execute_script(HOVER_TEXTS)
    buffy = [text for text in texts if "Buffy the Vampire Slayer" in text]
    assert buffy and "True rating: 1 ★" in buffy[0]
    article.wait_for_contains_text("#selection-profile", "User 1680", timeout=10)
    article.wait_for_contains_text("#movie-why-table", "465", timeout=10)
    assert "movie=3391" in article.driver.current_url


def test_unknown_user_gets_a_friendly_message(article):
    article.driver.get(article.server_url + "/?user=999999")
    article.wait_for_contains_text("#selection-user-message", "no user 999999", timeout=20)
    article.wait_for_contains_text("#selection-profile", "User 1680", timeout=10)
    assert "Traceback" not in article.driver.page_source
    assert article.get_logs() in ([], None)


PICKER_LABEL = """
const box = document.getElementById(arguments[0]);
const shown = box && box.closest('.dash-dropdown, .dash-dropdown-wrapper, .selection-field');
return shown ? shown.innerText : '';
"""


def test_shared_link_shows_both_pickers_titles(article):
    """A link's movies appear as the pickers' labels, not the placeholder."""
    article.driver.get(article.server_url + "/?user=1680&movie=3391&compare=2858")
    article.wait_for_contains_text("#movie-why-table", "American Beauty", timeout=20)
    wait = WebDriverWait(article.driver, 10)
    for picker, title in (
        ("selection-movie", "Who's That Girl? (1987)"),
        ("selection-compare", "American Beauty (1999)"),
    ):
        wait.until(lambda driver, p=picker, t=title: t in driver.execute_script(PICKER_LABEL, p))
        shown = article.driver.execute_script(PICKER_LABEL, picker)
        assert "Type part of a title" not in shown
    assert "movie=3391&compare=2858" in article.driver.current_url
    assert article.get_logs() in ([], None)
