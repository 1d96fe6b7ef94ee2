"""From hand-set factors to learned ones: EmbeddingMF and DeepFM, in words.

Sections 6 and 7 of the article. Static prose; the numbers these models reach on our split
are in the model table that follows (:mod:`components.model_table`).
"""

from __future__ import annotations

from dash import html

from components.box import box_section
from components.wording import formula

PREFIX = "learned-models"


def _settings(items: list[tuple[str, str]]) -> html.Dl:
    """A definition list of training settings (name -> value)."""
    children = []
    for name, value in items:
        children += [html.Dt(name), html.Dd(value)]
    return html.Dl(children, className="settings")


def layout() -> html.Section:
    """Two short explanations with the training settings of each model."""
    embedding_mf = [
        html.H3("EmbeddingMF: let the data choose the factors"),
        html.P(
            "In movie night we typed in how much comedy and horror each person likes. A real "
            "service cannot ask that of millions of people, and two genres are far too few. "
            "So the factors are learned instead: every user and every movie starts as a list "
            "of 128 small random numbers (an embedding), and gradient descent nudges them "
            "until the dot products match the ratings people gave."
        ),
        html.P(
            [
                "Each user and each movie also gets one extra number, a bias: some people "
                "rate everything generously, some movies are liked by nearly everyone. The "
                "prediction is the dot product plus both biases, squeezed through a sigmoid "
                "into the range 0 to 5.5. The top is 5.5 rather than 5 so that a true 5 "
                "can be predicted without pushing the sigmoid to its limit. This is a "
                "slimmed-down cousin of the biased matrix factorization popularised during "
                "the Netflix Prize (",
                html.Cite("Koren, Bell & Volinsky 2009"),
                "), which also adds one global average.",
            ]
        ),
        html.P(formula("r̂(u, i) = 5.5 · σ(p_u · q_i + b_u + b_i)").children, className="formula"),
        _settings(
            [
                ("Latent factors", "128 per user and per movie, started at Normal(0, 0.01)"),
                ("Loss", "mean squared error"),
                (
                    "Optimiser",
                    "Adam with decoupled weight decay 0.1, learning rate 0.005; the decay "
                    "is applied 12 times as strongly per step, because large batches take "
                    "far fewer steps",
                ),
                ("Training", "15 passes over the 90% training split, batches of 8,192 ratings"),
                ("Article's validation error", "0.71 (mean squared error)"),
            ]
        ),
    ]
    deepfm = [
        html.H3("DeepFM: factors plus a neural network"),
        html.P(
            [
                "EmbeddingMF only knows who rated what. DeepFM (",
                html.Cite("Guo et al. 2017"),
                ") can also use side information. Here it sees four fields: the user, the "
                "movie, the movie's genres (several at once, a multi-hot field) and the "
                "user's occupation. One shared embedding layer turns each field into a "
                "vector, and two parts read those vectors at the same time.",
            ]
        ),
        html.P(
            [
                "The factorization machine part (",
                html.Cite("Rendle 2010"),
                ") adds a weight for each field value and the dot products of every pair "
                "of field vectors, so it can learn that writers like dramas. The deep part "
                "is a small feed-forward network over the same vectors that can find "
                "patterns no pairwise product captures, the idea behind Google's Wide & "
                "Deep model (",
                html.Cite("Cheng et al. 2016"),
                "). The two outputs are added to give the rating; both parts learn together.",
            ]
        ),
        html.P("r̂ = y_FM + y_DNN", className="formula"),
        _settings(
            [
                ("Fields", "user, movie, genres (multi-hot), occupation"),
                ("Latent vectors", "128 per field value, shared by both parts"),
                ("Training", "100 passes, batches of 2,048 ratings, mean squared error"),
                ("Regularisation", "dropout 0.5 in the deep part"),
                ("Article's validation error", "0.7553 (mean squared error)"),
            ]
        ),
        html.P(
            "The article calls the two results comparable. More fields and a network did "
            "not buy a clearly better guess, and the next boxes show why the errors that "
            "remain are not random."
        ),
    ]
    return box_section(
        PREFIX,
        "Learning the factors from millions of ratings",
        [
            html.P(
                "The rest of this article uses MovieLens 1M (Harper & Konstan 2015): "
                "1,000,209 ratings from 1 to 5 stars that 6,040 people gave to 3,706 "
                "movies. A random 90% of the ratings train the models; the other 10% "
                "(100,021 ratings) are kept aside to test them."
            ),
            *embedding_mf,
            *deepfm,
        ],
    )
