"""The charts as a reader sees them (issue 9 items 2 and 3), measured in headless Chromium.

Pixel positions come from the drawn page: Plotly's own axis maps for points, bounding boxes
of the SVG text for labels and legends, computed styles for font sizes.
"""

from __future__ import annotations

import collections
import re

import pytest
from browser_pages import WIDTHS, set_viewport
from selenium.webdriver.support.wait import WebDriverWait

from components.artifacts import available_models, prediction_distributions

pytestmark = pytest.mark.browser

GRAPHS = (
    "rating-distributions-graph",
    "rmse-by-rating-graph",
    "venn-graph",
    "movie-why-movie",
    "movie-why-compare",
    "user-trends-graph",
)

#: Pixel centres of the points of the graph's traces whose name starts with arguments[1].
POINTS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
const out = [];
for (const trace of gd._fullData) {
  if (!String(trace.name || '').startsWith(arguments[1])) continue;
  trace.x.forEach((x, i) => {
    if (x === null || trace.y[i] === null) return;
    const text = String((trace.text || [])[i] || '');
    out.push([xa._offset + xa.l2p(x), ya._offset + ya.l2p(trace.y[i]), text]);
  });
}
return out;
"""

#: Bounding boxes (page px) of the elements matching a selector inside a graph.
BOXES = """
return [...document.querySelectorAll('#' + arguments[0] + ' ' + arguments[1])]
  .map((el) => { const r = el.getBoundingClientRect();
                 return [r.left, r.top, r.right, r.bottom, el.textContent]; })
  .filter((b) => b[2] > b[0] && b[3] > b[1]);
"""

FONT_SIZES = """
return [...document.querySelectorAll('#' + arguments[0] + ' svg text')]
  .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map((t) => [parseFloat(getComputedStyle(t).fontSize), t.textContent]);
"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.fixture
def page(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#venn-graph .main-svg")
    return dash_duo


def _at(page, width: int) -> None:
    set_viewport(page.driver, width, 1000)
    # Plotly resizes on the window's resize event; wait until every graph has redrawn.
    page.driver.execute_script("window.dispatchEvent(new Event('resize'))")
    WebDriverWait(page.driver, 10).until(
        lambda driver: all(
            driver.execute_script(
                "const g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
                "return g && Math.abs(g._fullLayout.width - g.getBoundingClientRect().width) < 2;",
                graph,
            )
            for graph in GRAPHS
        )
    )


def _tick_every_model(page) -> None:
    for box in ("rating-distributions", "rmse-by-rating"):
        for box_input in page.find_elements(f"#{box}-models input"):
            if not box_input.is_selected():
                box_input.click()
    expected = len(available_models())
    WebDriverWait(page.driver, 15).until(
        lambda driver: (
            len(driver.execute_script(BOXES, "rmse-by-rating-graph", ".legendtext")) == expected
        )
    )


def test_venn_on_a_phone_titles_spacing_and_more_marks(page):
    """Issue 9 item 2 at 375 px: titles inside, dots >= 24 px apart, "+N" = table rows."""
    page.driver.get(page.server_url + "/?user=1680")
    page.wait_for_element("#venn-graph .main-svg")
    _at(page, 375)
    svg = page.driver.execute_script(BOXES, "venn-graph", ".main-svg")[0]
    titles = page.driver.execute_script(BOXES, "venn-graph", ".annotation-text")
    assert any("EmbeddingMF" in t[4] for t in titles) and any("Rated" in t[4] for t in titles)
    for box in titles:
        assert svg[0] <= box[0] and box[2] <= svg[2] and svg[1] <= box[1] and box[3] <= svg[3]
    for first, second in zip(titles, titles[1:], strict=False):
        assert not _overlap(first, second), (first[4], second[4])
    dots = page.driver.execute_script(POINTS, "venn-graph", "A movie")
    marks = page.driver.execute_script(POINTS, "venn-graph", "More movies")
    targets = dots + marks
    assert len(dots) >= 20
    closest = min(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
        for i, a in enumerate(targets)
        for b in targets[i + 1 :]
    )
    assert closest >= 24, f"tap targets {closest:.1f} px apart"
    # Every "+N" is N rows of the table marked "in “+N”", and nothing else is hidden.
    assert marks, "Xiao's 43 five-star movies cannot all have a dot"
    cells = [
        cell.text
        for cell in page.find_elements("#venn-table tbody td")
        if cell.text.startswith("in “+")
    ]
    wanted = collections.Counter()
    for _, _, text in marks:
        wanted[f"in “{text}”"] += int(text.lstrip("+"))
    assert collections.Counter(cells) == wanted


def _press(driver, x: float, y: float) -> None:
    """A real pointer press and release at viewport pixel (x, y), through Chromium's input."""
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        driver.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )


def test_a_tap_on_a_dot_shows_its_movie(page):
    page.driver.get(page.server_url + "/?user=1680")
    page.wait_for_element("#venn-graph .main-svg")
    _at(page, 375)
    page.driver.execute_script(
        "document.querySelector('#venn-graph').scrollIntoView({block: 'center'})"
    )
    svg = page.driver.execute_script(BOXES, "venn-graph", ".main-svg")[0]
    x, y, _ = page.driver.execute_script(POINTS, "venn-graph", "A movie")[0]
    _press(page.driver, svg[0] + x, svg[1] + y)
    page.wait_for_contains_text("#venn-details", ": rated ", timeout=10)
    assert "Pick a movie" not in page.find_element("#venn-details").text
    # A tap on a "+N" mark brings the table that lists its movies into view.
    page.driver.execute_script(
        "document.querySelector('#venn-graph').scrollIntoView({block: 'center'})"
    )
    svg = page.driver.execute_script(BOXES, "venn-graph", ".main-svg")[0]
    x, y, _ = page.driver.execute_script(POINTS, "venn-graph", "More movies")[0]
    _press(page.driver, svg[0] + x, svg[1] + y)
    top = "return document.querySelector('#venn-table').getBoundingClientRect().top;"
    WebDriverWait(page.driver, 10).until(lambda driver: abs(driver.execute_script(top)) < 5)


def test_global_mean_is_a_rule_that_keeps_the_curves_readable(page):
    """Issue 9 item 3: ticking Global mean leaves the y axis scaled to the other curves."""
    value = prediction_distributions()["models"]["global_mean"]["mean"]
    before = page.driver.execute_script(
        "return document.querySelector('#rating-distributions-graph .js-plotly-plot')"
        "._fullLayout.yaxis.range[1];"
    )
    page.find_element("#rating-distributions-models input[value='global_mean']").click()
    name = f"Global mean: every prediction {value:.2f}"
    page.wait_for_contains_text("#rating-distributions-graph .legend", name, timeout=10)
    after = page.driver.execute_script(
        "return document.querySelector('#rating-distributions-graph .js-plotly-plot')"
        "._fullLayout.yaxis.range[1];"
    )
    assert before < after < before * 1.3  # one more row of means, no spike to ~10
    rule = page.driver.execute_script(POINTS, "rating-distributions-graph", "Global mean")
    assert len(rule) == 2 and abs(rule[0][0] - rule[1][0]) < 0.5  # vertical


@pytest.mark.parametrize("width", WIDTHS)
def test_legends_and_labels_clear_the_axis_titles(page, width):
    _tick_every_model(page)
    _at(page, width)
    for graph in ("rating-distributions-graph", "rmse-by-rating-graph", "movie-why-movie"):
        titles = page.driver.execute_script(BOXES, graph, ".g-xtitle text")
        legend = page.driver.execute_script(BOXES, graph, ".legend .bg")
        labels = page.driver.execute_script(BOXES, graph, ".scatterlayer .textpoint text")
        assert titles, graph
        for box in legend + labels:
            assert not _overlap(box, titles[0]), (graph, box[4])
    # Box 7: the training mean and each model's mean have their own, separate labels.
    labels = page.driver.execute_script(BOXES, "movie-why-movie", ".scatterlayer .textpoint text")
    means = [box for box in labels if re.search(r"\d\.\d\d$", box[4])]
    assert len(means) >= 3 and any("training mean" in box[4] for box in means)
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            assert not _overlap(first, second), (first[4], second[4])


@pytest.mark.parametrize("width", WIDTHS)
def test_no_chart_text_under_twelve_pixels(page, width):
    _tick_every_model(page)
    _at(page, width)
    for graph in GRAPHS:
        sizes = page.driver.execute_script(FONT_SIZES, graph)
        assert sizes, graph
        small = [(size, text) for size, text in sizes if size < 12]
        assert not small, (graph, small[:5])


def test_box_eight_keeps_its_axis_wide_on_a_phone(page):
    _at(page, 375)
    axis = page.driver.execute_script(
        "const gd = document.querySelector('#user-trends-graph .js-plotly-plot');"
        "return [gd._fullLayout.xaxis._length, gd.getBoundingClientRect().width];"
    )
    assert axis[0] >= 0.8 * axis[1] >= 250
