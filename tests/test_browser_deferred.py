"""In Chromium: the boxes below the fold wait until the reader starts reading, then mount
in page order with nothing sent to the server; printing, in-page links, find-in-page and
focus on a box's heading mount them at once; before that each box's heading is on the page
(hosting/deferred.py, assets/deferred.js, assets/graphs_on_demand.js)."""

from __future__ import annotations

import time

import pytest
from conftest import UNMOUNTED, read_on
from dash import dcc, html
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from components.box import walk
from hosting.deferred import text_of

pytestmark = pytest.mark.browser

STATE = f"""
return {{
    unmounted: document.querySelectorAll('{UNMOUNTED}').length,
    boxes: [...document.querySelectorAll('section.box[id]')].map((box) => box.id),
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


@pytest.fixture
def headings():
    """Each section's first h2 as the full page has it: (id, text), in page order."""
    from app import build_layout

    page = build_layout()
    full = next(child for child in page.children if getattr(child, "id", None) == "main").children
    titles = [next(n for n in walk(section) if isinstance(n, html.H2)) for section in full]
    return [(title.id, text_of(title)) for title in titles]


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


HEADINGS = """
return [...document.querySelectorAll('#main h2')].map((h) => [h.id, h.textContent]);
"""
FIRST_HEADINGS = """
return [...document.querySelectorAll('#main > section')]
    .map((s) => s.querySelector('h2')).map((h) => [h.id, h.textContent]);
"""
TREES_LOADED = (
    "return performance.getEntriesByType('resource')"
    ".some((e) => e.name.includes('_deferred-boxes'))"
)


def _heading_names(driver) -> list[str]:
    """The names of the level-2 headings in Chromium's accessibility tree (what a screen
    reader's list of headings shows)."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    names = []
    for node in tree:
        levels = [p["value"]["value"] for p in node.get("properties", []) if p["name"] == "level"]
        if node.get("role", {}).get("value") == "heading" and levels == [2]:
            names.append(node.get("name", {}).get("value", ""))
    return names


def test_every_box_heading_is_on_the_page_before_its_box(article, headings):
    page, boxes, _ = article
    _open_and_wait(page)
    time.sleep(2)
    before = [tuple(h) for h in page.driver.execute_script(HEADINGS)]
    assert before == headings  # same ids and texts, in page order, nothing else
    assert len(headings) == len(boxes) >= 12
    assert [name for _, name in headings] == _heading_names(page.driver)
    assert _state(page)["unmounted"] >= 5  # reading the headings mounted nothing
    read_on(page.driver)
    # Once mounted, each box's own heading is there, once: no stand-in is left.
    assert [tuple(h) for h in page.driver.execute_script(FIRST_HEADINGS)] == headings
    ids = page.driver.execute_script(
        "return [...document.querySelectorAll('[id]')].map((e) => e.id)"
    )
    assert all(ids.count(heading_id) == 1 for heading_id, _ in headings)


def test_focus_on_a_heading_mounts_the_boxes_and_stays_on_that_heading(article):
    page, boxes, _ = article
    _open_and_wait(page)
    WebDriverWait(page.driver, 30).until(lambda d: d.execute_script(TREES_LOADED))
    time.sleep(1)
    assert _state(page)["unmounted"] >= 5
    focused = page.driver.execute_script(
        f"""
        document.getElementById('box-6').focus({{preventScroll: true}});
        const active = document.activeElement;
        return [document.querySelectorAll('{UNMOUNTED}').length, active.id,
                active.closest('section').id, active.closest('section').children.length];
        """
    )
    # Mounted in the focus event itself; focus is on Box 6's own heading.
    assert focused[:3] == [0, "box-6", "venn"] and focused[3] > 1
    assert _state(page)["boxes"] == boxes


def test_the_heading_in_the_window_stays_in_place_while_the_boxes_mount(article):
    page, boxes, _ = article
    _open_and_wait(page)
    WebDriverWait(page.driver, 30).until(lambda d: d.execute_script(TREES_LOADED))
    top = "return document.getElementById('box-6').getBoundingClientRect().top;"
    before = page.driver.execute_script(
        "const h = document.getElementById('box-6');"
        "window.scrollTo(0, window.scrollY + h.getBoundingClientRect().top - 150);" + top
    )
    assert abs(before - 150) < 2
    WebDriverWait(page.driver, 30).until(lambda _: _state(page)["unmounted"] == 0)
    time.sleep(1)
    assert _state(page)["boxes"] == boxes
    assert abs(page.driver.execute_script(top) - before) < 2
