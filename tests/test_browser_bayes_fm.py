"""The Bayesian FM in a real browser: Boxes 4 and 5 can show it, the conclusion quotes it."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.support.wait import WebDriverWait

from components.artifacts import available_models
from core.artifacts import CONCLUSION, precomputed_dir

pytestmark = pytest.mark.browser
LABEL = "Bayesian FM"


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#rating-distributions-graph .main-svg")
    return dash_duo


def _traces(dash_duo, graph: str, layer: str) -> int:
    return len(dash_duo.find_elements(f"#{graph} .{layer} .trace"))


def _tick_bayes_fm(dash_duo, box: str) -> None:
    position = available_models().index("bayes_fm")
    dash_duo.find_elements(f"#{box}-models input")[position].click()


@pytest.mark.parametrize(
    ("box", "layer"), [("rating-distributions", "scatterlayer"), ("rmse-by-rating", "barlayer")]
)
def test_picker_adds_the_bayesian_fm(article, box, layer):
    article.wait_for_element(f"#{box}-graph .main-svg")
    before = _traces(article, f"{box}-graph", layer)
    _tick_bayes_fm(article, box)
    wait = WebDriverWait(article.driver, 15)
    wait.until(lambda _: _traces(article, f"{box}-graph", layer) > before)
    wait.until(lambda _: LABEL in article.find_element(f"#{box}-table").text)
    assert LABEL in article.find_element(f"#{box}-graph .legend").text
    assert article.get_logs() == []


def test_model_table_and_conclusion_show_it(article):
    numbers = json.loads((precomputed_dir() / CONCLUSION).read_text())
    table = article.find_element("#model-table-metrics").text
    assert LABEL in table
    conclusion = article.find_element("#conclusion-numbers")
    columns = [cell.text for cell in conclusion.find_elements("css selector", "thead th")]
    assert LABEL in columns and "EmbeddingMF" in columns
    story = article.find_element("#conclusion-story-numbers").text
    hits = numbers["story"]["scopes"]["test"]["hits"]["bayes_fm"]
    assert f"puts {hits} of his" in story
    assert (
        f"{numbers['models']['bayes_fm']['rmse']:.4f}" in article.find_element("#conclusion").text
    )
