"""Issue 9, items 6 and 7 in a real browser: Boxes 6-8's sentences follow the chosen
reader (Xiao, and readers who never rated Buffy), and show the reader's real rating."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

HOVER_TEXTS = """
const graph = document.querySelector('#venn-graph .js-plotly-plot');
if (!graph || !graph.data) { return []; }
return graph.data.flatMap((trace) => trace.hovertext || trace.text || []);
"""


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    return dash_duo


def dots(page) -> list[str]:
    return [text for text in page.driver.execute_script(HOVER_TEXTS) if text]


def open_reader(page, query: str, user: int) -> None:
    page.driver.get(page.server_url + "/" + query)
    page.wait_for_contains_text("#venn-summary", f"User {user}:", timeout=30)
    page.wait_for_contains_text("#user-trends-summary", f"User {user} ", timeout=30)


@pytest.mark.parametrize("user", [6040, 42])
def test_boxes_6_to_8_follow_a_reader_who_never_rated_buffy(article, user):
    page = article
    open_reader(page, f"?user={user}", user)
    page.wait_for_contains_text("#venn-story", f"User {user} and Buffy the Vampire Slayer")
    story = page.find_element("#venn-story").text
    assert "has not rated it, so it has no dot here" in story
    assert "under the circles" not in story
    WebDriverWait(page.driver, 20).until(lambda d: dots(page))
    assert not [text for text in dots(page) if "Buffy" in text]  # and indeed no Buffy dot
    # The only sentence about Xiao says it is about him.
    article_story = page.find_element(".venn-story-article").text
    assert article_story.startswith("In the article.") and "Xiao (user 1680)" in article_story
    reader = page.find_element(".movie-why-reader").text
    assert reader == (
        f"User {user} has rated neither Buffy the Vampire Slayer (1992) nor "
        "Who's That Girl? (1987)."
    )
    assert "not rated" in page.find_element("#movie-why-table").text
    assert page.find_element("#user-trends-summary").text.endswith(f"User {user} has not rated it.")
    assert page.get_logs() == []


def test_xiaos_real_ratings_everywhere(article):
    """Issue 9, item 7: user 1680 gave Toy Story 4 stars (a training rating)."""
    page = article
    open_reader(page, "?user=1680&movie=1&compare=3264", 1680)
    page.wait_for_contains_text("#venn-story", "Xiao (user 1680) and Toy Story (1995).")
    story = page.find_element("#venn-story").text
    assert "gave it 4 stars; that rating is in the training split" in story
    table = page.find_element("#movie-why-table").text
    assert "not stored" not in table
    assert "User 1680 4 ★ 1 ★" in table.replace("\n", " ")
    assert page.find_element(".movie-why-reader").text.startswith(
        "Xiao (user 1680) gave Toy Story (1995) 4 stars"
    )
    assert page.find_element("#user-trends-summary").text.endswith("User 1680 gave it 4 stars.")
    # The star marker of Box 7's first figure sits at 4.
    WebDriverWait(page.driver, 20).until(
        lambda d: (
            "user 1680: 4 ★"
            in d.find_element("css selector", "#movie-why-movie").text.replace("\n", " ")
        )
    )
    # At Xiao's default movie the story places Buffy where the diagram draws it.
    page.find_element("#selection-user").clear()
    page.driver.get(page.server_url + "/?user=1680")
    page.wait_for_contains_text("#venn-story", "Xiao (user 1680) and Buffy the Vampire Slayer")
    story = page.find_element("#venn-story").text
    assert "gave it 1 star; that rating is in the test split" in story
    WebDriverWait(page.driver, 20).until(lambda d: dots(page))
    buffy = [text for text in dots(page) if "Buffy" in text]
    assert buffy, "Xiao rated Buffy: it has a dot or a title in the diagram"
    assert page.get_logs() == []
