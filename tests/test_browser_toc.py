"""Issue 9, item 14 in a real browser: the contents beside the text (1280 px) or behind a
button (375 px), links that jump, the section being read marked, shareable fragments that
keep the chosen reader, numbered captions; all without a callback request."""

from __future__ import annotations

import time

import pytest
from conftest import read_on
from selenium.webdriver.support.ui import WebDriverWait

from components.outline import OUTLINE

pytestmark = pytest.mark.browser

LINKS = "return [...document.querySelectorAll('#toc .toc-link')].map(a => a.getAttribute('href'));"
CURRENT = """
const on = document.querySelectorAll('#toc .toc-link[aria-current="location"]');
return [...on].map(a => a.getAttribute('href'));
"""
TOP_OF = "return document.getElementById(arguments[0]).getBoundingClientRect().top;"
CAPTIONS = """
return [...document.querySelectorAll('figcaption.figure-caption')].map(c => c.textContent);
"""


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    return dash_duo


def open_at(page, width: int, path: str = "/") -> None:
    page.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    page.driver.get(page.server_url + path)
    read_on(page.driver)
    page.wait_for_element("#toc .toc-link.toc-current", timeout=20)


def current(page) -> list[str]:
    return page.driver.execute_script(CURRENT)


def test_contents_beside_the_text_jump_and_follow_the_reader(article):
    page = article
    open_at(page, 1280)
    links = page.driver.execute_script(LINKS)
    assert len(links) == len(OUTLINE)  # every section, boxes or not
    assert [link for link in links if link.startswith("#box-")] == [
        f"#box-{n}" for n in range(1, 10)
    ]
    nav, main = (page.find_element(css).rect for css in ("#toc", "#main"))
    assert nav["x"] + nav["width"] <= main["x"]  # beside the text, not above it
    assert page.find_element("#toc-list").is_displayed()
    assert not page.find_element("#toc-toggle").is_displayed()
    assert current(page) == ["#intro"]
    # A link jumps: Box 5's heading comes to the top, the address names it, the query stays.
    page.find_element('#toc a[href="#box-5"]').click()
    WebDriverWait(page.driver, 10).until(lambda d: current(page) == ["#box-5"])
    assert 0 <= page.driver.execute_script(TOP_OF, "box-5") < 100
    assert page.driver.current_url.endswith("?user=1680&movie=3264&compare=3391#box-5")
    # Scrolling on marks the section being read.
    page.driver.execute_script("document.getElementById('user-trends').scrollIntoView()")
    WebDriverWait(page.driver, 10).until(lambda d: current(page) == ["#box-8"])
    page.driver.execute_script("window.scrollTo(0, 0)")
    WebDriverWait(page.driver, 10).until(lambda d: current(page) == ["#intro"])
    assert page.get_logs() == []


def test_a_shared_fragment_keeps_the_reader_and_opens_at_the_box(article):
    page = article
    open_at(page, 1280, "/?user=42#box-6")
    page.wait_for_contains_text("#venn-summary", "User 42", timeout=20)
    WebDriverWait(page.driver, 10).until(lambda d: "&movie=" in d.current_url)
    assert page.driver.current_url.endswith("?user=42&movie=3264&compare=3391#box-6")
    time.sleep(1)  # the boxes above have finished drawing; Box 6 stays where it opened
    assert 0 <= page.driver.execute_script(TOP_OF, "box-6") < 100
    assert current(page) == ["#box-6"]
    assert page.find_element("#selection-user").get_attribute("value") == "42"


def test_on_a_phone_the_contents_open_from_the_bar(article):
    page = article
    open_at(page, 375)
    toggle = page.find_element("#toc-toggle")
    assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.find_element("#toc-list").is_displayed()
    assert toggle.rect["y"] == 0  # a bar at the top
    page.driver.execute_script("document.getElementById('movie-why').scrollIntoView()")
    page.wait_for_contains_text("#toc-here", "Box 7 Why? What everyone else thought")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.find_element("#toc-list").is_displayed()
    page.find_element('#toc a[href="#box-3"]').click()
    WebDriverWait(page.driver, 10).until(lambda d: current(page) == ["#box-3"])
    assert not page.find_element("#toc-list").is_displayed()  # closed after the jump
    # The heading is not hidden under the bar.
    bar = page.find_element("#toc").rect
    assert page.driver.execute_script(TOP_OF, "box-3") >= bar["height"]
    assert page.get_logs() == []


def test_figure_captions_are_numbered(article):
    page = article
    open_at(page, 1280)
    captions = page.driver.execute_script(CAPTIONS)
    assert len(captions) >= 7
    for number, caption in enumerate(captions, start=1):
        assert caption.startswith(f"Figure {number}. ")
    figure = page.find_element("#venn figure figcaption")
    assert figure.is_displayed() and figure.text.startswith("Figure ")
