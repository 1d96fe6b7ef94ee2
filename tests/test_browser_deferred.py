"""In Chromium: the boxes below the fold wait until the reader starts reading, then mount
in page order with nothing sent to the server; printing, in-page links and find-in-page
mount them at once (hosting/deferred.py, assets/deferred.js, assets/graphs_on_demand.js)."""

from __future__ import annotations

import time

import pytest
from conftest import UNMOUNTED, read_on
from dash import dcc
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from components.box import walk

pytestmark = pytest.mark.browser

STATE = f"""
return {{
    unmounted: document.querySelectorAll('{UNMOUNTED}').length,
    boxes: [...document.querySelectorAll('section.box')].map((box) => box.id),
    plotly: performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('plotly-basic')).length,
    callbacks: performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('_dash-update-component')).length,
    address: window.location.search,
}};
"""


@pytest.fixture
def article(dash_duo):
    from app import app, build_layout

    dash_duo.start_server(app)
    page = build_layout()
    full = next(child for child in page.children if getattr(child, "id", None) == "main").children
    graphs = [node.id for node in walk(page) if isinstance(node, dcc.Graph)]
    return dash_duo, [section.id for section in full], graphs


DRAWN = """
return arguments[0].every((id) => document.querySelector(`#${CSS.escape(id)} .main-svg`));
"""


def _state(page) -> dict:
    return page.driver.execute_script(STATE)


def _open_and_wait(page, path: str = "/") -> None:
    page.driver.get(page.server_url + path)
    page.wait_for_element("#main")
    page.wait_for_element("#pipeline")


def test_boxes_wait_for_the_reader_then_mount_without_a_request(article):
    page, boxes, graphs = article
    _open_and_wait(page)
    time.sleep(3)  # a reader who has not moved yet
    state = _state(page)
    # The first boxes, and at most the next one if it is within a screen of the window.
    assert state["boxes"] == boxes[: len(state["boxes"])] and len(state["boxes"]) <= 3
    assert state["unmounted"] >= 5
    assert state["plotly"] == 0  # no graph on the first screen: plotly.js not loaded
    read_on(page.driver)  # one pixel of scrolling
    assert len(graphs) >= 6
    WebDriverWait(page.driver, 60).until(lambda d: d.execute_script(DRAWN, graphs))
    state = _state(page)
    assert state["boxes"] == boxes  # every box, in the article's order
    assert state["plotly"] == 1 and state["callbacks"] == 0
    # The initial call Dash makes for the reader picker's store still happens: the
    # address names the default reader, as on a page without placeholders.
    assert state["address"] == "?user=1680&movie=3264&compare=3391"
    assert page.get_logs() == []


def test_a_link_to_a_box_mounts_the_page_and_scrolls_to_it(article):
    page, boxes, _ = article
    _open_and_wait(page, "/#venn")
    WebDriverWait(page.driver, 30).until(lambda _: _state(page)["unmounted"] == 0)
    top = "return document.getElementById('venn').getBoundingClientRect().top"
    # At the top of the window (below the contents bar's scroll margin, if there is one).
    WebDriverWait(page.driver, 10).until(lambda d: 0 <= d.execute_script(top) < 100)
    assert _state(page)["boxes"] == boxes


def test_printing_mounts_every_box_at_once(article):
    page, boxes, _ = article
    _open_and_wait(page)
    WebDriverWait(page.driver, 30).until(
        lambda d: d.execute_script(
            "return performance.getEntriesByType('resource')"
            ".some((e) => e.name.includes('_deferred-boxes'))"
        )
    )
    time.sleep(1)
    state = page.driver.execute_script(
        "window.dispatchEvent(new Event('beforeprint'));"  # what the browser does first
        f"return document.querySelectorAll('{UNMOUNTED}').length;"
    )
    assert state == 0  # synchronously, before the page is laid out for print
    assert _state(page)["boxes"] == boxes


def test_find_in_page_mounts_every_box(article):
    page, boxes, _ = article
    _open_and_wait(page)
    time.sleep(3)
    assert _state(page)["unmounted"] >= 5
    ActionChains(page.driver).key_down(Keys.CONTROL).send_keys("f").key_up(Keys.CONTROL).perform()
    WebDriverWait(page.driver, 10).until(lambda _: _state(page)["unmounted"] == 0)
    assert _state(page)["boxes"] == boxes
