"""One palette, one dash style and one marker per model, used the same way in every figure.

Each model keeps its colour, its line dash, its marker symbol and its bar pattern across all
boxes, so a reader can follow it by any one of them; every figure also names the model in
its legend, labels or table, so colour is never the only cue.

How the colours were chosen (issue 9, item 12). Candidates were searched for the largest
smallest pairwise distance in CAM02-UCS between the six model colours and the true ratings'
grey, under normal vision and simulated deuteranopia, protanopia and tritanopia (Machado et
al. 2009 at full severity, via ``colorspacious``), keeping every line colour at a contrast of
at least 3:1 on white. ``python -m scripts.palette_cvd`` prints the closest pairs;
``tests/test_palette.py`` recomputes them and fails below ``MIN_MODEL_DISTANCE`` (20).

Closest pairs, CAM02-UCS distance (about 1 is just noticeable):

=============  ===========================================  ============================
condition      before (Okabe & Ito, true = black)           now
=============  ===========================================  ============================
normal         Global mean / User + item biases 24.3        DeepFM / FunkSVD 31.0
deuteranopia   Global mean / User + item biases 7.0         DeepFM / User + item b. 26.1
protanopia     Global mean / User + item biases 13.4        Global mean / FunkSVD 24.6
tritanopia     EmbeddingMF / User + item biases 11.7        DeepFM / FunkSVD 24.5
=============  ===========================================  ============================

Box 6's error-direction colours differ from each other and from every model colour by at
least 16.3 in every condition (before: 11.0, over-estimate orange vs FunkSVD in tritanopia);
their lines also differ by dash and end marker.
"""

from core import vocabulary

#: Colour per model id, and of the true ratings ("true", the grey of their bars).
MODEL_COLOURS: dict[str, str] = {
    "embedding_mf": "#000087",  # navy
    "deepfm": "#C33C78",  # raspberry
    "global_mean": "#000000",  # black: a constant, no learning
    "bias_only": "#5AA500",  # leaf green
    "funk_svd": "#780000",  # maroon
    "bayes_fm": "#B44BFF",  # violet
    "true": "#C8C8C8",  # light grey bars with a dark outline
}
#: Line dash per model (Plotly dash names); the true ratings are bars, not lines.
MODEL_DASHES: dict[str, str] = {
    "embedding_mf": "solid",
    "deepfm": "dash",
    "global_mean": "dot",
    "bias_only": "dashdot",
    "funk_svd": "longdash",
    "bayes_fm": "longdashdot",
}
#: Marker symbol per model (Plotly symbol names).
MODEL_MARKERS: dict[str, str] = {
    "embedding_mf": "circle",
    "deepfm": "square",
    "global_mean": "x",
    "bias_only": "diamond",
    "funk_svd": "triangle-up",
    "bayes_fm": "hexagon",
}
#: Fill pattern per model for bars (Plotly ``marker.pattern.shape``; "" is plain).
MODEL_PATTERNS: dict[str, str] = {
    "embedding_mf": "",
    "deepfm": "/",
    "global_mean": ".",
    "bias_only": "x",
    "funk_svd": "\\",
    "bayes_fm": "+",
}

# The names live with the rest of the vocabulary; the colours live here.
MODEL_LABELS = vocabulary.MODEL_LABELS

#: Box 6's error lines: the model predicted too low / too high. Neither reuses a model colour.
UNDER_ESTIMATE = "#3C7800"  # olive green, dotted, downward triangle
OVER_ESTIMATE = "#693CB4"  # purple, solid, upward triangle
#: Words for those colours in the prose and the HTML legend.
UNDER_WORD, OVER_WORD = "green", "purple"
TRAINING_MEAN = "#000000"
# True ratings of people (not models) in group comparisons: greys, so no model colour is
# borrowed for data that no model made.
PEOPLE_ALL_MOVIES = "#BDBDBD"
PEOPLE_THIS_MOVIE = "#3A3A3A"

FONT_FAMILY = "Georgia, 'Iowan Old Style', 'Times New Roman', serif"
#: Smallest text in any figure (legends, ticks, labels), in CSS px (issue 9, item 3).
MIN_FONT_SIZE = 12
FONT_SIZE = 14
PLOT_TEMPLATE = "simple_white"


def model_line(name: str, width: float = 3) -> dict:
    """Plotly ``line`` of a model: its colour and dash (``KeyError`` for an unknown id)."""
    return {"color": MODEL_COLOURS[name], "dash": MODEL_DASHES[name], "width": width}


def model_marker(name: str, size: float = 9) -> dict:
    """Plotly ``marker`` of a model: its colour and symbol, outlined in white."""
    return {
        "color": MODEL_COLOURS[name],
        "symbol": MODEL_MARKERS[name],
        "size": size,
        "line": {"color": "white", "width": 1},
    }


#: A legend above the plot area, left-aligned, so it never meets the x-axis title.
LEGEND_ABOVE = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 1.02,
    "yanchor": "bottom",
    "font": {"size": 13},
}
