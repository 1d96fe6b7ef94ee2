"""In a real browser: only the partial plotly.js bundle loads, compressed, and every figure
draws with it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dash import dcc
from plotly.offline import get_plotlyjs_version
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "vendor" / "plotly-basic.min.js"

#: Every graph on the page: its id, the trace types it asked for, whether each trace was
#: drawn (plotly.js hides a trace whose type is not in its bundle), and its SVG traces.
GRAPHS = """
return [...document.querySelectorAll('.js-plotly-plot')].map((graph) => ({
    id: graph.parentElement.id,
    types: (graph.data || []).map((trace) => trace.type || 'scatter'),
    shown: (graph._fullData || []).map((trace) => trace.visible),
    drawn: graph.querySelectorAll('.main-svg .trace').length,
}));
"""

RESOURCES = """
return performance.getEntriesByType('resource').map((entry) => ({
    name: entry.name, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize,
}));
"""


def graph_ids(component) -> list[str]:
    """The ids of every dcc.Graph in a layout."""
    from components.box import walk

    return [node.id for node in walk(component) if isinstance(node, dcc.Graph)]


@pytest.fixture
def article(dash_duo):
    from app import app, build_layout

    dash_duo.start_server(app)
    return dash_duo, graph_ids(build_layout())


def test_every_figure_draws_with_the_partial_bundle_only(article):
    page, expected_graphs = article
    assert len(expected_graphs) >= 5
    # The maps fetch their points only when they near the screen: pass by every graph.
    for graph in expected_graphs:
        page.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'})", page.wait_for_element(f"#{graph}")
        )
        time.sleep(0.3)
    WebDriverWait(page.driver, 60).until(
        lambda driver: (
            sorted(g["id"] for g in driver.execute_script(GRAPHS) if g["drawn"])
            == sorted(expected_graphs)
        )
    )
    bundle_types = set(
        page.driver.execute_script("return Object.keys(Plotly.PlotSchema.get().traces)")
    )
    assert bundle_types == {"bar", "pie", "scatter"}
    for graph in page.driver.execute_script(GRAPHS):
        assert graph["types"], graph["id"]
        assert set(graph["types"]) <= bundle_types, graph
        assert all(shown is True for shown in graph["shown"]), graph
        assert graph["drawn"] == len(graph["types"]), graph
    # The bundle's version equals the installed plotly's (tests/test_plotly_bundle.py).
    assert page.driver.execute_script("return Plotly.version") == get_plotlyjs_version()

    resources = page.driver.execute_script(RESOURCES)
    plotly = [r for r in resources if "plotly" in r["name"].lower()]
    assert [r["name"].split("?")[0].rsplit("/", 2)[-2:] for r in plotly] == [
        ["vendor", "plotly-basic.min.js"]
    ]
    # Chromium got it compressed: about a third of the 1.2 MB file.
    assert plotly[0]["decoded"] == BUNDLE.stat().st_size
    assert plotly[0]["encoded"] < plotly[0]["decoded"] / 2
    assert page.get_logs() in ([], None)
