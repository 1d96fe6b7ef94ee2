"""The static copy in a real browser, served by ``python -m http.server`` (no Dash server):
every box renders for the default reader, the toys work, live-only controls say so, and
the copy opened from disk says what to run.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import read_on
from dash import dcc
from selenium.webdriver.common.keys import Keys

from components.box import walk
from components.movie_night import page_texts
from components.toy_mf import (
    MOVIE_FACTORS,
    USER_FACTORS,
    compute_movie_night,
    dot,
    format_guess,
)

pytestmark = pytest.mark.browser

DRAWN = """
return arguments[0].filter((id) => !document.querySelector(`#${CSS.escape(id)} .main-svg`));
"""
LIVE_ONLY = "This needs the live app"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def static_copy(tmp_path_factory):
    """The exported folder served by Python's own static file server; its request log."""
    from app import app, build_layout
    from site_export import export_site

    folder = tmp_path_factory.mktemp("static") / "site"
    export_site(app, folder)
    port = _free_port()
    log = folder.parent / "http.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    graphs = [node.id for node in walk(build_layout()) if isinstance(node, dcc.Graph)]
    yield {"url": url, "folder": folder, "log": log, "graphs": graphs}
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(dash_br, static_copy):
    dash_br.driver.get(static_copy["url"])
    read_on(dash_br.driver)
    dash_br.wait_for_element("#your-taste-top", timeout=60)
    return dash_br


def _text_content(page, element_id: str) -> str:
    return page.driver.execute_script(
        "return document.getElementById(arguments[0]).textContent", element_id
    )


def test_every_box_renders_for_the_default_reader(page, static_copy):
    graphs = static_copy["graphs"]
    assert len(graphs) >= 6
    deadline = time.monotonic() + 60
    while page.driver.execute_script(DRAWN, graphs) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert page.driver.execute_script(DRAWN, graphs) == []
    assert page.find_element("#selection-profile").text.startswith("User 1680: male")
    assert page.find_element("#venn-summary").text.startswith("User 1680")
    assert page.find_elements("#venn-table table")
    assert "Buffy the Vampire Slayer (1992)" in page.find_element("#movie-why-table").text
    assert page.find_elements("#user-trends-table table")
    assert page.find_elements("#rating-distributions-table table")
    assert page.find_elements("#rmse-by-rating-table table")
    assert "cold-start" in page.find_element("#your-taste-results").text
    assert page.find_elements("#your-taste-versus")
    assert not page.find_elements(".static-copy-note")
    # The map of the movies fetches its points from the copy when it is reached.
    page.driver.execute_script("document.getElementById('item-map-figure').scrollIntoView()")
    page.wait_for_element("#item-map-graph .scatterlayer .trace", timeout=30)
    # Every file the page asked for was there (Python's server logs each request).
    requests = static_copy["log"].read_text()
    assert '"GET /_dash-layout.json HTTP/1.1" 200' in requests
    assert '"GET /_data/item-map.json?v=' in requests
    assert " 404 " not in requests
    assert page.get_logs() == []


def test_the_toys_work_without_a_server(page):
    for i, w in enumerate(USER_FACTORS.values()):
        for j, q in enumerate(MOVIE_FACTORS.values()):
            assert page.find_element(f"#mf-by-hand-cell-{i}-{j}").text == format_guess(dot(w, q))
    cell = page.find_element("#mf-by-hand-cell-2-2")
    page.driver.execute_script("arguments[0].focus()", cell)
    page.wait_for_contains_text("#mf-by-hand-arithmetic", "0.4×1 + 0.9×5 = 4.9")

    box = page.find_element("#movie-night-slider-comedy input[type='number']")
    box.click()
    box.send_keys(Keys.CONTROL, "a")  # a modifier stays down until its send_keys ends
    box.send_keys(Keys.BACKSPACE, "0.8", Keys.ENTER)
    page.wait_for_text_to_equal("#movie-night-factors-3", "0.8, 0.5")
    page.find_element("#movie-night-calculate").click()
    expected = page_texts(compute_movie_night(0.8, 0.5))
    page.wait_for_text_to_equal("#movie-night-verdict", expected["movie-night-verdict"])
    assert {key: _text_content(page, key) for key in expected} == expected
    assert not page.find_elements(".static-copy-note")
    assert page.get_logs() == []


def test_live_only_controls_say_they_need_the_live_app(page):
    user = page.find_element("#selection-user")
    user.send_keys(Keys.CONTROL, "a")
    user.send_keys(Keys.BACKSPACE, "42", Keys.ENTER)
    page.wait_for_contains_text("#selection .static-copy-note", LIVE_ONLY)
    note = page.find_element("#selection .static-copy-note")
    assert note.get_attribute("role") == "status" and note.is_displayed()
    assert page.find_element("#selection-profile").text.startswith("User 1680:")

    page.find_element("#your-taste-add").click()
    page.wait_for_contains_text("#your-taste .static-copy-note", LIVE_ONLY)
    assert "cold-start" in page.find_element("#your-taste-results").text
    page.find_element("#rmse-by-rating-models input[value='deepfm']").click()
    page.wait_for_contains_text("#rmse-by-rating .static-copy-note", LIVE_ONLY)
    page.find_element("#venn-second input[value='bayes_fm']").click()
    page.wait_for_contains_text("#venn .static-copy-note", LIVE_ONLY)
    note = page.find_element("#venn .static-copy-note")
    assert page.driver.execute_script(
        "return arguments[0].previousElementSibling.classList.contains('venn-second')", note
    ), "the note sits right after the model choice"
    assert "DeepFM" in page.find_element("#venn-second-name").text
    assert len(page.find_elements(".static-copy-note")) == 4  # one per box, where it was used
    assert page.get_logs() == []


def test_a_shared_link_in_the_static_copy_says_it_needs_the_live_app(dash_br, static_copy):
    dash_br.driver.get(static_copy["url"] + "?user=42&venn=bayes_fm")
    dash_br.wait_for_contains_text("#selection .static-copy-note", LIVE_ONLY, timeout=60)
    assert dash_br.find_element("#selection-profile").text.startswith("User 1680:")
    # Box 6's second circle from the link needs the live app too, and says so beside it.
    dash_br.wait_for_contains_text("#venn .static-copy-note", LIVE_ONLY, timeout=60)
    assert "DeepFM" in dash_br.find_element("#venn-second-name").text


def test_opened_from_disk_it_says_what_to_run(dash_br, static_copy):
    dash_br.driver.get((static_copy["folder"] / "index.html").as_uri())
    dash_br.wait_for_contains_text("body", "python -m http.server", timeout=30)
    assert "serve this folder" in dash_br.find_element("body").text
