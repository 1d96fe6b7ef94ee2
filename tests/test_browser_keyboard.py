"""The keyboard walk (issue 9 item 11): Tab visits every control, in the order the page shows
them, and each stop shows a focus ring. Checked at 1280 px and 375 px with "Someone like
me" open and Box 9 holding ratings (its remove buttons are controls too)."""

from __future__ import annotations

import pytest
from browser_pages import WIDTHS, open_reader_page
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser

#: Tab stops the page had when the issue was filed (62); none may get lost.
MIN_STOPS = 60

START = """
const start = document.createElement('span');
start.tabIndex = -1;
document.body.prepend(start);
start.focus();
"""

# Where the focused element sits on the page, and whether it shows a ring.
STOP = """
const el = document.activeElement;
if (!el || el === document.body || el.dataset.tabStop !== undefined) { return null; }
el.dataset.tabStop = arguments[0];
const r = el.getBoundingClientRect();
const s = getComputedStyle(el);
return {
    name: el.id || el.getAttribute('aria-label') || el.tagName + ' ' + el.className,
    nav: !!el.closest('nav'),
    top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX,
    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
        || s.boxShadow !== 'none',
};
"""

# Controls a reader can see that Tab never reached (one radio per group is enough: the
# arrow keys move within a group).
UNREACHED = """
const visited = new Set(
    [...document.querySelectorAll('input[type=radio][data-tab-stop]')].map((r) => r.name)
);
const controls = document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, '
    + 'textarea, summary, [tabindex="0"]'
);
return [...controls].filter((el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    && el.tabIndex >= 0 && el.dataset.tabStop === undefined
    && !(el.type === 'radio' && visited.has(el.name))
).map((el) => el.id || el.outerHTML.slice(0, 80));
"""


def _walk(driver) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it; one record per stop."""
    driver.execute_script(START)
    stops = []
    for index in range(400):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        stop = driver.execute_script(STOP, index)
        if stop is None:
            return stops
        stops.append(stop)
    raise AssertionError("Tab never left the page: a focus trap")


def _out_of_order(stops: list[dict]) -> list[tuple[str, str]]:
    """Consecutive stops where the second sits above the first, or left of it on one row."""
    wrong = []
    for before, after in zip(stops, stops[1:], strict=False):
        above = after["bottom"] <= before["top"] + 2
        same_row = after["top"] < before["bottom"] and after["bottom"] > before["top"]
        if above or (same_row and after["left"] < before["left"] - 2):
            wrong.append((before["name"], after["name"]))
    return wrong


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_order_follows_the_page_and_every_stop_shows_a_ring(dash_duo, width):
    open_reader_page(dash_duo, width)
    stops = _walk(dash_duo.driver)
    assert len(stops) >= MIN_STOPS, [stop["name"] for stop in stops]
    assert not [stop["name"] for stop in stops if not stop["ring"]], "stops without a ring"
    # The contents (beside the text, or its toggle on phones) come first, then the page.
    nav = [i for i, stop in enumerate(stops) if stop["nav"]]
    assert nav == list(range(len(nav)))
    assert not _out_of_order([stop for stop in stops if not stop["nav"]])
    assert dash_duo.driver.execute_script(UNREACHED) == []
