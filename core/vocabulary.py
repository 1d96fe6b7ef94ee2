"""The project's vocabulary: every name, code and id the two halves must agree on.

MovieLens 1M's codes (genres, age bands, occupations, genders) come from its README
(Harper & Konstan 2015); the story's ids come from the article (its reader "Xiao" and the
two movies her story turns on). Colours stay with the presentation (``components.theme``).
"""

from __future__ import annotations

#: The 18 genres of MovieLens 1M, in the order of its README.
GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
)

#: Age band code -> label, from the MovieLens 1M README.
AGE_BANDS: dict[int, str] = {
    1: "Under 18",
    18: "18-24",
    25: "25-34",
    35: "35-44",
    45: "45-49",
    50: "50-55",
    56: "56+",
}

#: Occupation code -> name, from the MovieLens 1M README.
OCCUPATIONS: dict[int, str] = {
    0: "other or not specified",
    1: "academic/educator",
    2: "artist",
    3: "clerical/admin",
    4: "college/grad student",
    5: "customer service",
    6: "doctor/health care",
    7: "executive/managerial",
    8: "farmer",
    9: "homemaker",
    10: "K-12 student",
    11: "lawyer",
    12: "programmer",
    13: "retired",
    14: "sales/marketing",
    15: "scientist",
    16: "self-employed",
    17: "technician/engineer",
    18: "tradesman/craftsman",
    19: "unemployed",
    20: "writer",
}

#: Gender code of MovieLens 1M -> label, in display order.
GENDER_LABELS: dict[str, str] = {"F": "Female", "M": "Male"}

#: The stars a rating may have (MovieLens 1M: whole stars 1..5).
STARS: tuple[int, ...] = (1, 2, 3, 4, 5)

#: Length of every top list (Box 6's sets, Box 9's recommendations, ranking metrics).
TOP_K = 10

#: Model ids in display order (EmbeddingMF first): tables, legends and palettes follow it.
MODEL_ORDER: tuple[str, ...] = (
    "embedding_mf",
    "deepfm",
    "bayes_fm",
    "global_mean",
    "bias_only",
    "funk_svd",
)
#: Display name of each model id, and of the true ratings ("true").
MODEL_LABELS: dict[str, str] = {
    "embedding_mf": "EmbeddingMF",
    "deepfm": "DeepFM",
    "bayes_fm": "Bayesian FM",
    "global_mean": "Global mean",
    "bias_only": "User + item biases",
    "funk_svd": "Biased MF (FunkSVD)",
    "true": "True ratings",
}
#: The two models drawn in Box 6's Venn diagram and compared in Box 7.
VENN_MODELS: tuple[str, ...] = ("embedding_mf", "deepfm")
#: Models whose predictions the per-reader records hold (:mod:`core.records`): the Venn
#: models, then the Bayesian FM, which Box 6 and the conclusion compare with them. Only
#: the Venn models are required; a model without exported weights is left out.
READER_MODELS: tuple[str, ...] = (*VENN_MODELS, "bayes_fm")

#: The article's reader "Xiao" (MovieLens user id).
STORY_USER = 1680
STORY_USER_NAME = "Xiao"
#: Buffy the Vampire Slayer (1992), the movie the story turns on.
STORY_MOVIE = 3264
#: Who's That Girl? (1987), the movie Buffy is compared with.
STORY_COMPARE = 3391
STORY_MOVIES: tuple[int, ...] = (STORY_MOVIE, STORY_COMPARE)

#: EmbeddingMF's sigmoid range in stars when the manifest records none (the article's
#: ``(0, 5.5)``: the top is above 5 so a true 5 is reachable). The trained model's own range
#: is stored in ``manifest.json`` and read with :func:`core.artifacts.rating_range`.
DEFAULT_RATING_RANGE: tuple[float, float] = (0.0, 5.5)

#: The split seed: the first seed (counting from 0) whose 10 % test split holds Xiao's
#: ratings of both story movies, so the models' guesses for them are genuine predictions.
#: The pipeline records the seed it used in ``manifest.json``; later steps read it there.
DEFAULT_SEED = 19
