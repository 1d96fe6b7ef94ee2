"""What the factors learned, in a real browser: the learning curves with the article's
errors marked, the map of the movies (loaded when reached, genre, search, the story's two
movies) and Box 9's "you are here"."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from components import item_map_data, learning_curves

pytestmark = pytest.mark.browser


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    return dash_duo


def test_learning_curves_are_drawn_with_the_article_errors_marked(article):
    article.wait_for_element("#learning-curves-graph .main-svg")
    graph = "#learning-curves-graph"
    WebDriverWait(article.driver, 10).until(
        lambda _: len(article.find_elements(f"{graph} .scatterlayer .trace")) == 6
    )
    notes = [node.text for node in article.find_elements(f"{graph} .annotation-text")]
    assert "article 0.843" in notes and "article 0.869" in notes
    # Two dotted reference lines, one per panel.
    assert len(article.find_elements(f"{graph} .shapelayer path")) == 2
    legend = article.find_element(f"{graph} .legend").text
    assert "EmbeddingMF test" in legend and "DeepFM validation" in legend
    table = article.find_element("#learning-curves-table table").text
    curve = learning_curves.read_curve("embedding_mf")
    assert f"{curve.test_rmse:.3f} ({curve.kept_label})" in table
    assert article.get_logs() == []


def _requests(page, part: str) -> int:
    """How many resources whose URL contains ``part`` the page has fetched."""
    return page.driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter((entry) => entry.name.includes(arguments[0])).length",
        part,
    )


def _type(page, selector: str, text: str) -> None:
    """Replace what an input holds, as a reader would (select all, then type)."""
    field = page.find_element(selector)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    field.send_keys(text)


def _scroll_to(page, element_id: str) -> None:
    page.driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", element_id
    )


def _traces(page, graph: str) -> list[str]:
    """The legend names of a graph's traces, as plotly.js holds them."""
    return page.driver.execute_script(
        "const g = document.querySelector(arguments[0] + ' .js-plotly-plot');"
        "return g && g.data ? g.data.map((t) => t.name) : [];",
        f"#{graph}",
    )


def _trace(page, graph: str, name: str) -> dict | None:
    return page.driver.execute_script(
        "const g = document.querySelector(arguments[0] + ' .js-plotly-plot');"
        "const t = g && g.data ? g.data.find((t) => t.name === arguments[1]) : null;"
        "return t ? {x: Array.from(t.x), y: Array.from(t.y), n: t.x.length} : null;",
        f"#{graph}",
        name,
    )


def test_the_map_loads_when_reached_and_a_search_highlights_a_movie(article):
    table = item_map_data.map_table()
    # Before the map is near the screen its points are not fetched.
    article.wait_for_element("#item-map-graph .main-svg")
    assert _requests(article, "_data/item-map") == 0
    _scroll_to(article, "item-map-figure")
    wait = WebDriverWait(article.driver, 20)
    wait.until(lambda _: "Horror" in _traces(article, "item-map-graph"))
    assert _requests(article, "_data/item-map") == 1
    # Every movie is drawn once: the chosen genre blue, the rest grey.
    horror = sum("Horror" in names for names in table["genres"])
    assert _trace(article, "item-map-graph", "Horror")["n"] == horror
    assert _trace(article, "item-map-graph", "other movies")["n"] == len(table) - horror
    # Buffy and Who's That Girl? are marked and labelled.
    story = _trace(article, "item-map-graph", "the story's two movies")
    marked = table.set_index("movie_id").loc[[3264, 3391]]
    assert story["x"] == pytest.approx(marked["x"].round(3).tolist(), abs=1e-6)
    notes = [n.text for n in article.find_elements("#item-map-graph .annotation-text")]
    assert "Buffy the Vampire Slayer" in notes and "Who's That Girl?" in notes
    # A search rings the most-rated match and says where it is.
    article.find_element("#item-map-search").send_keys("fargo")
    wait.until(
        lambda _: any(name.startswith("found:") for name in _traces(article, "item-map-graph"))
    )
    found = next(name for name in _traces(article, "item-map-graph") if name.startswith("found:"))
    assert found == "found: Fargo (1996)"
    fargo = table[table["title"] == "Fargo (1996)"].iloc[0]
    assert _trace(article, "item-map-graph", found)["x"] == pytest.approx([round(fargo.x, 3)])
    status = article.find_element("#item-map-status").text
    assert status.startswith(f"Fargo (1996) is at ({fargo.x:.2f}, {fargo.y:.2f})")
    # Another genre: the highlight follows, nothing is asked of the server.
    article.select_dcc_dropdown("#item-map-genre", "Film-Noir")
    wait.until(lambda _: "Film-Noir" in _traces(article, "item-map-graph"))
    noir = sum("Film-Noir" in names for names in table["genres"])
    assert _trace(article, "item-map-graph", "Film-Noir")["n"] == noir
    assert _requests(article, "_dash-update-component") == 0
    # Punctuation and case do not matter, as in the movie pickers; every word must occur.
    _type(article, "#item-map-search", "WHOS that")
    wait.until(lambda _: "found: Who's That Girl? (1987)" in _traces(article, "item-map-graph"))
    _type(article, "#item-map-search", "the matrix")
    wait.until(lambda _: "found: Matrix, The (1999)" in _traces(article, "item-map-graph"))
    _type(article, "#item-map-search", "the matrix zzzz")
    article.wait_for_contains_text("#item-map-status", "No title matches")
    assert article.get_logs() == []


def _rate(page, search: str, stars: int) -> None:
    """Box 9: type into the movie search, take the first match, pick the stars, add."""
    page.find_element("#your-taste-movie").click()
    page.wait_for_element(".dash-dropdown-search input, input.dash-dropdown-search").send_keys(
        search
    )
    option = f"//*[contains(@class, 'dash-dropdown-option')][contains(., {search!r})]"
    WebDriverWait(page.driver, 20).until(lambda driver: driver.find_elements(By.XPATH, option))
    page.driver.find_element(By.XPATH, option).click()
    page.find_element(f"#your-taste-stars input[value='{stars}']").click()
    page.find_element("#your-taste-add").click()


def _you(page) -> tuple[float, float] | None:
    """Where Box 9's map draws the reader, or None."""
    you = _trace(page, "your-taste-map-graph", "you are here")
    return (you["x"][0], you["y"][0]) if you else None


def test_you_are_here_moves_as_the_reader_rates(article):
    article.wait_for_element("#your-taste-top")
    _scroll_to(article, "your-taste-map-figure")
    wait = WebDriverWait(article.driver, 20)
    wait.until(lambda _: "the story's two movies" in _traces(article, "your-taste-map-graph"))
    assert "you are here" not in _traces(article, "your-taste-map-graph")
    assert article.find_element("#your-taste-where").text == "Rate a movie to appear on the map."
    points = [None]
    for count, (search, stars) in enumerate(
        (("Matrix, The", 5), ("Sleepless in Seattle", 1)), start=1
    ):
        _rate(article, search, stars)
        article.wait_for_contains_text("#your-taste-where", f"From your {count} rating")
        _scroll_to(article, "your-taste-map-figure")
        wait.until(lambda _, before=points[-1]: _you(article) not in (None, before))
        points.append(_you(article))
        text = article.find_element("#your-taste-where").text
        assert f"({points[-1][0]:+.2f}, {points[-1][1]:+.2f})" in text
    points = points[1:]
    assert points[0] != points[1]
    # The dotted line runs from the centre to the reader.
    line = _trace(article, "your-taste-map-graph", "your direction")
    assert line["x"] == [0, points[1][0]] and line["y"] == [0, points[1][1]]
    # One fetch of the points for both maps' sake, even after the map of the movies.
    _scroll_to(article, "item-map-figure")
    wait.until(lambda _: "Horror" in _traces(article, "item-map-graph"))
    assert _requests(article, "_data/item-map") == 1
    assert article.get_logs() == []
