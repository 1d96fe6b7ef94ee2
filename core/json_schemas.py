"""What the JSON artifacts hold, as strict pydantic models (for :mod:`core.check`).

Strict: a number where a number belongs (a string ``"0.86"`` or ``true`` is refused; an int
is accepted where a float is), and no NaN or infinity. Extra keys are allowed, so a new
field in a writer does not break the check; every key the app or a reader uses is listed.
Written by :mod:`models.export` (``metrics.json``, ``history.json``, ``manifest.json``) and
:mod:`models.catalogue` (``embedding_mf_fold_in.json``) and :mod:`models.distributions`
(``prediction_distributions.json``), :mod:`models.item_map` (``embedding_mf_item_map.json``)
and :mod:`models.accuracy_question` (``conclusion.json``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, TypeAdapter


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="allow")


class ErrorSummary(_Record):
    """MSE, RMSE and MAE (stars squared, stars, stars) over ``n`` ratings."""

    mse: float
    rmse: float
    mae: float
    n: int


class RatingBandError(_Record):
    """The test error on the ratings of one star value (1..5)."""

    rating: int
    n: int
    rmse: float
    mean_error: float


class Ranking(_Record):
    """Top-k metrics over the test split (precision/recall/nDCG in 0..1)."""

    k: int
    precision_at_k: float
    recall_at_k: float
    ndcg_at_k: float
    coverage: float
    mean_popularity: float


class ModelMetrics(_Record):
    """One model's entry of ``metrics.json``."""

    train: ErrorSummary
    test: ErrorSummary
    test_rmse_by_rating: list[RatingBandError]
    prediction_range: tuple[float, float]
    ranking: Ranking | None = None


class ModelRecord(_Record):
    """One model's entry of ``manifest.json``: what was trained, how, and how long it took."""

    command: str
    config: dict
    arrays: list[str]
    fit_seconds: float | None = None
    epoch_seconds: list[float] = []


class FileRecord(_Record):
    """One file of the manifest: its size and SHA-256 (hex) and the command that wrote it."""

    sha256: str
    bytes: int
    command: str


class Manifest(_Record):
    """``manifest.json``: the data, the split, every model and every file."""

    data_sha256: str
    seed: int
    n_ratings: int
    n_test: int
    train_mean: float
    train_rating_counts: dict[str, int]
    models: dict[str, ModelRecord]
    files: dict[str, FileRecord]


class RidgeTrial(_Record):
    """One ridge scale of the fold-in grid search and its RMSE against trained vectors."""

    ridge_scale: float
    rmse_vs_trained: float


class FoldInSettings(_Record):
    """``embedding_mf_fold_in.json``: Box 9's fold-in settings and how they were chosen."""

    ridge_scale: float
    cold_start_min_ratings: int
    seed: int
    grid: list[RidgeTrial]


class RatingCounts(_Record):
    """The true test ratings: how many per star (1..5), their mean and spread."""

    counts: list[int]
    mean: float
    std: float
    n: int


class PredictionHistogram(_Record):
    """One model's test predictions in bins of ``bin_width`` stars from ``first_edge``."""

    first_edge: float
    bin_width: float
    counts: list[int]
    mean: float
    std: float
    below_1: float
    above_5: float
    n: int


class PredictionDistributions(_Record):
    """``prediction_distributions.json``: Box 4's histograms (:mod:`models.distributions`)."""

    true: RatingCounts
    models: dict[str, PredictionHistogram]


class ItemMapProjection(_Record):
    """``embedding_mf_item_map.json``: the map's PCA (:mod:`core.item_map`)."""

    mean: list[float]
    components: list[list[float]]
    explained_variance_ratio: list[float]
    n_items: int
    embedding_dim: int


class StarError(_Record):
    """A model's test predictions on the ratings of one star value."""

    n: int
    rmse: float
    mean: float


class PullToAverage(_Record):
    """One model's test RMSE, prediction spread and errors on true 1s and 5s (stars)."""

    rmse: float
    mean: float
    std: float
    star_1: StarError
    star_5: StarError


class TopTenHits(_Record):
    """One model's Box 6 top-10 sets over users: 5-star hits, precision and recall@10."""

    mean_hits: float
    mean_precision: float
    mean_recall: float
    share_with_hit: float
    hits_histogram: list[int]


class PairComparison(_Record):
    """Users for whom the second model has more, as many or fewer 5-star hits."""

    more: int
    same: int
    fewer: int
    mean_shared: float


class RandomOrder(_Record):
    """Expected 5-star hits, precision and recall@10 of a random order of each user's movies."""

    mean_hits: float
    mean_precision: float
    mean_recall: float


class ScopeSummary(_Record):
    """One Box 6 scope's sets summarised over every user."""

    n_users: int
    n_users_with_five: int
    models: dict[str, TopTenHits]
    pairs: dict[str, PairComparison]
    random: RandomOrder


class StoryScope(_Record):
    """The story reader's own sets in one scope."""

    n_five: int
    hits: dict[str, int]
    list_length: dict[str, int]


class StoryNumbers(_Record):
    """The story reader's (user 1680) numbers per model."""

    user_id: int
    movie_id: int
    scopes: dict[str, StoryScope]
    test_rmse: dict[str, float]
    story_movie_prediction: dict[str, float]


class ConclusionNumbers(_Record):
    """``conclusion.json``: the conclusion's numbers (:mod:`models.accuracy_question`)."""

    k: int
    true: dict[str, float]
    models: dict[str, PullToAverage]
    scopes: dict[str, ScopeSummary]
    story: StoryNumbers


#: Schema of each JSON artifact, by file name.
JSON_SCHEMAS: dict[str, TypeAdapter] = {
    "manifest.json": TypeAdapter(Manifest),
    "metrics.json": TypeAdapter(dict[str, ModelMetrics]),
    "history.json": TypeAdapter(
        dict[str, list[dict[str, float]]],
        config=ConfigDict(strict=True, allow_inf_nan=False),
    ),
    "embedding_mf_fold_in.json": TypeAdapter(FoldInSettings),
    "prediction_distributions.json": TypeAdapter(PredictionDistributions),
    "embedding_mf_item_map.json": TypeAdapter(ItemMapProjection),
    "conclusion.json": TypeAdapter(ConclusionNumbers),
}
