"""What the factors learned, in a real browser: the learning curves with the article's
errors marked."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.wait import WebDriverWait

from components import learning_curves

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
    assert f"{curve.test_rmse:.3f} ({curve.kept_epoch})" in table
    assert article.get_logs() == []
