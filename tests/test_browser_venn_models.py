"""Box 6 in a real browser at 375 px: the reader switches the second circle to the Bayesian
FM with the keyboard, and the circle's title, the key, the table (its top-10 titles and its
sort) follow; switching back gives the default box again.

The expected top-10 titles are ranked here from the committed story file and movie table
(ties to the lower id), so the test holds after a retrain.
"""

from __future__ import annotations

import pandas as pd
import pytest
from browser_pages import set_viewport
from conftest import read_on
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from core.artifacts import precomputed_dir
from core.records import TEST, story_file
from core.vocabulary import MODEL_LABELS, STORY_USER, TOP_K

pytestmark = pytest.mark.browser

#: The circles' titles in the drawn diagram.
TITLES = """
return [...document.querySelectorAll('#venn-graph .annotation-text')]
  .map((t) => t.textContent);
"""
KEY = "return document.getElementById('venn-key').textContent;"
#: Box 6's table as {column: text} rows.
TABLE = """
const table = document.querySelector('#venn-table table');
const head = [...table.querySelectorAll('thead th')].map((c) => c.textContent);
return [...table.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries(
  [...tr.children].map((c, i) => [head[i], c.textContent])));
"""


def _expected_titles(model: str) -> set[str]:
    rows = pd.read_parquet(precomputed_dir() / story_file(TEST))
    rows = rows[rows["user_id"] == STORY_USER]
    top = rows.sort_values([model, "movie_id"], ascending=[False, True])["movie_id"].head(TOP_K)
    titles = pd.read_parquet(precomputed_dir() / "movies.parquet").set_index("movie_id")["title"]
    return set(titles.loc[top])


def _state(driver, model: str) -> dict:
    """What Box 6 shows about ``model``: its circle's title, key entry and top-10 rows."""
    label = MODEL_LABELS[model]
    rows = driver.execute_script(TABLE)
    return {
        "title": [t for t in driver.execute_script(TITLES) if t.startswith(label)],
        "key": f"{label}'s top 10 (circle)" in driver.execute_script(KEY),
        "top": {row["Movie"] for row in rows if f"{label} top-{TOP_K}" in row["Region"]},
        "column": label in rows[0],
    }


def _shows(driver, model: str) -> bool:
    state = _state(driver, model)
    return state == {
        "title": [f"{MODEL_LABELS[model]}top-{TOP_K} · {TOP_K} movies"],
        "key": True,
        "top": _expected_titles(model),
        "column": True,
    }


def test_the_second_circle_switches_to_the_bayesian_fm_on_a_phone(dash_duo):
    from app import app

    dash_duo.start_server(app)
    driver = dash_duo.driver
    set_viewport(driver, 375, 900)
    driver.execute_script("window.dispatchEvent(new Event('resize'))")
    dash_duo.wait_for_element("#venn-graph .main-svg")
    wait = WebDriverWait(driver, 30)
    # The default box: DeepFM, as in the article.
    assert _shows(driver, "deepfm") and not _state(driver, "bayes_fm")["title"]
    choice = dash_duo.find_element("#venn-second")
    assert [label.text for label in choice.find_elements("css selector", "label")] == [
        "DeepFM",
        "Bayesian FM",
    ]
    box, field = dash_duo.find_element("#venn").rect, choice.rect
    assert box["x"] <= field["x"] and field["x"] + field["width"] <= box["x"] + box["width"]
    # Sort by DeepFM's error, then switch with the arrow key, as a keyboard reader does.
    dash_duo.find_element("#venn-sort input[value='deepfm']").click()
    radio = dash_duo.find_element("#venn-second input[value='deepfm']")
    driver.execute_script("arguments[0].focus()", radio)
    radio.send_keys(Keys.ARROW_RIGHT)
    wait.until(lambda d: _shows(d, "bayes_fm"))
    assert not _state(driver, "deepfm")["title"] and not _state(driver, "deepfm")["column"]
    assert dash_duo.find_element("#venn-second-name").text == "Bayesian FM"
    sort = dash_duo.find_element("#venn-sort input:checked")
    assert sort.get_attribute("value") == "bayes_fm"
    rows = driver.execute_script(TABLE)
    errors = [abs(float(row["Bayesian FM"]) - int(row["True rating"][0])) for row in rows]
    assert errors == sorted(errors, reverse=True)
    # Back to DeepFM: the article's box again.
    dash_duo.find_element("#venn-second input[value='deepfm']").click()
    wait.until(lambda d: _shows(d, "deepfm"))
    assert not _state(driver, "bayes_fm")["title"]
    assert dash_duo.get_logs() == []


ADDRESS = "return window.location.search;"
#: A shared link's selection once the page has read it (Box 7's second movie filled in).
LINK = "?user=1680&movie=2858&compare=3391"


def test_a_shared_link_keeps_the_second_circle(dash_duo):
    """&venn=bayes_fm in a link shows the Bayesian FM; switching writes the address back;
    a new selection keeps it; an unknown value shows the default and leaves the address."""
    from app import app

    dash_duo.start_server(app)
    driver = dash_duo.driver
    set_viewport(driver, 375, 900)
    wait = WebDriverWait(driver, 30)
    driver.get(dash_duo.server_url + "/?user=1680&movie=2858&venn=bayes_fm")
    read_on(driver)
    wait.until(lambda d: _shows(d, "bayes_fm"))
    # The selection's writer filled in the link (compare) and kept the box's key.
    wait.until(lambda d: d.execute_script(ADDRESS) == f"{LINK}&venn=bayes_fm")
    assert dash_duo.find_element("#venn-second input:checked").get_attribute("value") == "bayes_fm"
    dash_duo.find_element("#venn-second input[value='deepfm']").click()
    wait.until(lambda d: _shows(d, "deepfm"))
    assert driver.execute_script(ADDRESS) == LINK  # the default is not written
    dash_duo.find_element("#venn-second input[value='bayes_fm']").click()
    wait.until(lambda d: d.execute_script(ADDRESS) == f"{LINK}&venn=bayes_fm")
    # A forged value: the default box, and the address loses it.
    driver.get(dash_duo.server_url + "/?venn=%3Cb%3Edeepfm&user=1680")
    read_on(driver)
    wait.until(lambda d: d.execute_script(ADDRESS) == "?user=1680&movie=3264&compare=3391")
    assert dash_duo.find_element("#venn-second input:checked").get_attribute("value") == "deepfm"
    assert _shows(driver, "deepfm")
    assert dash_duo.get_logs() == []
