"""The palette stays distinguishable under simulated colour-vision deficiency (issue 9, 12).

Distances are recomputed with ``colorspacious`` (CVD simulation + CAM02-UCS), not read from
the table recorded in ``components/theme.py``.
"""

from __future__ import annotations

import pytest

from components import theme
from core.vocabulary import MODEL_ORDER
from scripts.palette_cvd import (
    CONDITIONS,
    MIN_ERROR_DISTANCE,
    MIN_MODEL_DISTANCE,
    cross,
    distance,
    pairwise,
)

#: Every model the app knows today plus Bayesian FM, whose style is defined ahead of it.
MODELS = (*MODEL_ORDER, "bayes_fm") if "bayes_fm" not in MODEL_ORDER else MODEL_ORDER
ERRORS = {"under": theme.UNDER_ESTIMATE, "over": theme.OVER_ESTIMATE}


def test_simulation_is_real():
    # Red and green, far apart for normal vision, nearly merge in simulated deuteranopia.
    assert distance("#FF0000", "#00FF00", "normal") > 40
    assert distance("#D00000", "#7A8A00", "deuteranopia") < 10
    assert distance("#000000", "#000000", "tritanopia") == pytest.approx(0.0, abs=1e-9)


def test_every_model_has_colour_dash_marker_and_pattern():
    for name in MODELS:
        assert name in theme.MODEL_COLOURS
        assert theme.model_line(name)["dash"] == theme.MODEL_DASHES[name]
        assert theme.model_marker(name)["symbol"] == theme.MODEL_MARKERS[name]
        assert name in theme.MODEL_PATTERNS
    # The second cues are unique per model, so colour is never the only difference.
    for styles in (theme.MODEL_DASHES, theme.MODEL_MARKERS, theme.MODEL_PATTERNS):
        values = [styles[name] for name in MODELS]
        assert len(set(values)) == len(values)


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_model_colours_stay_apart(condition):
    colours = {name: theme.MODEL_COLOURS[name] for name in (*MODELS, "true")}
    closest, first, second = pairwise(colours)[condition][0]
    assert closest >= MIN_MODEL_DISTANCE, f"{first} vs {second}: {closest:.1f}"


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_error_colours_reuse_no_model_colour(condition):
    models = {name: theme.MODEL_COLOURS[name] for name in MODELS}
    pairs = cross(ERRORS, models)[condition] + pairwise(ERRORS)[condition]
    closest, first, second = min(pairs)
    assert closest >= MIN_ERROR_DISTANCE, f"{first} vs {second}: {closest:.1f}"


def test_the_old_palette_would_fail():
    # The Okabe & Ito assignment before issue 9: grey vs bluish green merge in deuteranopia.
    assert distance("#7F7F7F", "#009E73", "deuteranopia") < MIN_MODEL_DISTANCE / 2
