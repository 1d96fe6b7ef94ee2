"""Issue 8, item 1 in a real browser: a first visit draws every box from the layout and
sends no callback request; a shared link costs one round trip per box it changes.

Every ``/_dash-update-component`` request is recorded from the first line of the page on
(a fetch wrapper installed through Chromium's DevTools before any page script runs): which
outputs it asked for, and when it started and ended.
"""

from __future__ import annotations

import time

import pytest
from conftest import read_on
from dash import dcc

from components.box import walk
from components.selection_state import query_string

pytestmark = pytest.mark.browser

UPDATES = "_dash-update-component"
RECORD_CALLBACKS = f"""
window.__callbacks = [];
const fetchBefore = window.fetch;
window.fetch = function (resource, init) {{
    const url = String(resource && resource.url ? resource.url : resource);
    if (!url.includes('{UPDATES}')) {{ return fetchBefore.apply(this, arguments); }}
    let output = null;
    try {{ output = JSON.parse(init.body).output; }} catch (error) {{}}
    const call = {{output: output, start: performance.now(), end: null}};
    window.__callbacks.push(call);
    return fetchBefore.apply(this, arguments).finally(() => {{ call.end = performance.now(); }});
}};
"""
CALLBACKS = f"""
return {{
    calls: window.__callbacks || null,
    answered: performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('{UPDATES}')).length,
}};
"""
DRAWN = """
return arguments[0].every((id) => document.querySelector(`#${CSS.escape(id)} .main-svg`));
"""
#: Boxes by the prefix of their component ids, in article order.
BOXES = (
    "rating-distributions",
    "rmse-by-rating",
    "selection",
    "venn",
    "movie-why",
    "user-trends",
    "your-taste",
)


def box_of(output: str) -> str:
    """The box a callback request is for, from its output key (``..venn-graph.figure..``)."""
    first = output.strip(".").split(".")[0]
    return next(box for box in BOXES if first.startswith(f"{box}-"))


def settle(page, graphs: list[str], quiet_s: float = 2.0, limit_s: float = 90.0) -> dict:
    """The recorded requests once every graph is drawn and nothing has moved for ``quiet_s``."""
    deadline = time.monotonic() + limit_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        drawn = page.driver.execute_script(DRAWN, graphs)
        seen = page.driver.execute_script(CALLBACKS)
        calls = seen["calls"] or []
        state = (drawn, len(calls), seen["answered"], sum(c["end"] is None for c in calls))
        if state != last:
            last, since = state, time.monotonic()
        elif drawn and state[3] == 0 and time.monotonic() - since >= quiet_s:
            return seen
        time.sleep(0.25)
    raise AssertionError(f"the page did not settle: {last}")


@pytest.fixture
def article(dash_duo):
    """The article's server, with every callback request recorded from the next page on."""
    from app import app, build_layout

    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CALLBACKS}
    )
    graphs = [node.id for node in walk(build_layout()) if isinstance(node, dcc.Graph)]
    return dash_duo, graphs


def visit(page, graphs: list[str], query: str = "") -> list[dict]:
    page.driver.get(page.server_url + "/" + query)
    read_on(page.driver)
    seen = settle(page, graphs)
    assert seen["calls"] is not None  # the recorder ran before the page's scripts
    assert seen["answered"] == len(seen["calls"])
    return seen["calls"]


def test_a_first_visit_sends_no_callback_request(article):
    page, graphs = article
    assert len(graphs) >= 6
    assert visit(page, graphs) == []
    # What the default reader sees came with the layout.
    assert page.find_element("#selection-profile").text.startswith("User 1680: male")
    assert page.find_element("#venn-summary").text.startswith("User 1680")
    assert "Buffy the Vampire Slayer (1992)" in page.find_element("#movie-why-table").text
    assert "cold-start" in page.find_element("#your-taste-results").text
    assert page.find_elements("#rating-distributions-table table")
    assert page.find_elements("#rmse-by-rating-table table")
    assert page.find_elements("#user-trends-table table")
    # A link to the default view is a first visit too.
    default_link = query_string({"user": 1680, "movie": 3264, "compare": 3391})
    assert visit(page, graphs, default_link) == []
    assert page.get_logs() == []


def test_a_shared_link_costs_one_round_trip_per_box_it_changes(article):
    page, graphs = article
    calls = visit(page, graphs, "?user=42&movie=1617&compare=3391")
    by_box: dict[str, list[dict]] = {}
    for call in calls:
        by_box.setdefault(box_of(call["output"]), []).append(call)
    # The selection box reads the link (one request that also sets its pickers and text);
    # Boxes 6-8 follow the new selection; Boxes 4, 5 and 9 do not depend on it.
    assert sorted(by_box) == ["movie-why", "selection", "user-trends", "venn"]
    assert len(by_box["selection"]) == len(by_box["movie-why"]) == len(by_box["user-trends"]) == 1
    for box, box_calls in by_box.items():
        # One round trip: every request of the box left before any of them was answered.
        assert max(c["start"] for c in box_calls) < min(c["end"] for c in box_calls), box
    assert len(calls) <= 6
    page.wait_for_contains_text("#selection-profile", "User 42:")
    page.wait_for_contains_text("#venn-summary", "User 42")
    assert "L.A. Confidential (1997)" in page.find_element("#movie-why-table").text
    assert page.find_element("#selection-user").get_attribute("value") == "42"
    assert page.get_logs() == []
