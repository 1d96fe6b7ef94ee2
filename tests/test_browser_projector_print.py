"""The teacher's view (issue 9 item 13): a projector at 1920x1080 zoomed to 150 % (a 1280x720
CSS-pixel viewport at 1.5 device pixels per CSS pixel), and the printed handout."""

from __future__ import annotations

import base64

import pytest
from browser_pages import set_viewport
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

# Every box's figures and controls, and whether each lies inside its box's width.
SIDEWAYS = """
const out = [];
for (const box of document.querySelectorAll('main > section')) {
    const edge = box.getBoundingClientRect();
    const parts = box.querySelectorAll(
        '.js-plotly-plot, input:not([type=hidden]), button, [role=slider], summary, table'
    );
    for (const part of parts) {
        const r = part.getBoundingClientRect();
        if (!part.getClientRects().length || part.closest('[data-scrolls="true"]')) { continue; }
        if (r.left < edge.left - 1 || r.right > edge.right + 1) {
            out.push(box.id + ': ' + (part.id || part.className || part.tagName));
        }
    }
    if (box.scrollWidth > box.clientWidth + 1) { out.push(box.id + ' scrolls sideways'); }
}
return out;
"""

# From the top of a box's first control to the bottom of its first figure, in CSS px.
SPAN = """
const box = document.getElementById(arguments[0]);
// Movie night's figure is its result table (the last table); the others draw a graph.
const shape = box.querySelector('.js-plotly-plot') || [...box.querySelectorAll('table')].pop();
const figure = shape.getBoundingClientRect();
const control = [...box.querySelectorAll('input, button, [role=slider]')]
    .find((el) => el.getClientRects().length).getBoundingClientRect();
return Math.max(figure.bottom, control.bottom) - Math.min(figure.top, control.top);
"""

#: Boxes whose controls sit with one figure: on the projector both fit one screen.
CONTROLLED_FIGURES = ("movie-night", "rating-distributions", "rmse-by-rating", "movie-why")

# What still shows in print: visible controls, figures and their drawn width, tables.
PRINTED = """
const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
const main = document.querySelector('main');
return {
    // Box 1's steps stay, as the list they are: their buttons do nothing on paper, and
    // every step's explanation is printed under it.
    controls: [...main.querySelectorAll(
        'button:not(.pipeline-button), input, .dash-dropdown-wrapper, [role=slider]'
    )].filter(shown).map((el) => el.id || el.className),
    figures: [...main.querySelectorAll('.js-plotly-plot')].filter(shown)
        .map((el) => el.querySelector('.main-svg').getBoundingClientRect().width),
    tables: [...main.querySelectorAll('table')].filter(shown).length,
    steps: [...document.querySelectorAll('.pipeline-detail')].filter(shown).length,
    contents: [...document.querySelectorAll('nav')].filter(shown).length,
};
"""


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#your-taste-movie")
    return dash_duo


def test_on_a_projector_at_150_percent_every_box_fits_the_width(article):
    driver = article.driver
    set_viewport(driver, 1280, 720, scale=1.5)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return innerWidth") == 1280)
    assert driver.execute_script("return devicePixelRatio") == 1.5
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1280
    assert driver.execute_script(SIDEWAYS) == []
    for box in CONTROLLED_FIGURES:
        assert driver.execute_script(SPAN, box) <= 720, box


def test_the_printed_handout_has_figures_and_tables_and_no_controls(article):
    driver = article.driver
    screen = driver.execute_script(PRINTED)
    assert screen["controls"] and max(screen["figures"]) > 680  # drawn for the screen
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    # assets/print.js redraws the wider figures at the paper's width.
    WebDriverWait(driver, 10).until(lambda d: max(d.execute_script(PRINTED)["figures"]) <= 680)
    printed = driver.execute_script(PRINTED)
    assert printed["controls"] == []
    assert len(printed["figures"]) == len(screen["figures"]) >= 6  # Boxes 4-8
    assert printed["tables"] == screen["tables"] >= 12
    assert printed["steps"] == 5  # Box 1: every step's explanation, no hovering on paper
    assert printed["contents"] == 0
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    WebDriverWait(driver, 10).until(lambda d: max(d.execute_script(PRINTED)["figures"]) > 680)
