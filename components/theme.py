"""One colour-blind-safe palette (Okabe & Ito 2008), used the same way in every figure.

Each model keeps its colour across all boxes so a reader can follow it by colour alone;
every figure also names the model in its legend and table, so colour is never the only cue.
"""

from core import vocabulary

MODEL_COLOURS: dict[str, str] = {
    "embedding_mf": "#0072B2",  # blue
    "deepfm": "#D55E00",  # vermillion
    "global_mean": "#7F7F7F",  # grey
    "bias_only": "#009E73",  # bluish green
    "funk_svd": "#CC79A7",  # reddish purple
    "true": "#000000",  # the true ratings, black
}

# The names live with the rest of the vocabulary; the colours live here.
MODEL_LABELS = vocabulary.MODEL_LABELS

UNDER_ESTIMATE = "#56B4E9"  # sky blue: the model predicted too low
OVER_ESTIMATE = "#E69F00"  # orange: the model predicted too high
TRAINING_MEAN = "#000000"
# True ratings of people (not models) in group comparisons: greys, so no model colour is
# borrowed for data that no model made.
PEOPLE_ALL_MOVIES = "#BDBDBD"
PEOPLE_THIS_MOVIE = "#3A3A3A"

FONT_FAMILY = "Georgia, 'Iowan Old Style', 'Times New Roman', serif"
PLOT_TEMPLATE = "simple_white"
