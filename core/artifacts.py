"""The artifact catalogue: where ``precomputed/`` is and what every file in it holds.

``models`` writes these files (``python -m models.pipeline`` and the partial rebuilds named
per file), ``components`` reads them; both take the folder, the names and the schemas from
here. Every schema is data (:class:`Artifact`), so :mod:`core.check` can test a folder
against it: parquet columns and dtypes, ``.npy`` dtype and shape, JSON top-level keys.

Shapes use symbols for the sizes a run decides (``"n_users"``, ``"n_items"``, ``"k"``...);
:func:`core.check.bind_sizes` binds each symbol once per folder, so the EmbeddingMF item
ids, item vectors and catalogue rows must all agree on ``n_items``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.item_map import ITEM_MAP, PROJECTION
from core.records import INSAMPLE, PROFILES, RETIRED_FILES, TEST, story_file
from core.vocabulary import DEFAULT_RATING_RANGE, DEFAULT_SEED

#: Environment variable naming another artifacts folder (tests, a copy to rebuild into).
PRECOMPUTED_ENV = "PRECOMPUTED_DIR"
#: The committed artifacts, beside the packages.
DEFAULT_PRECOMPUTED = Path(__file__).resolve().parent.parent / "precomputed"
MANIFEST = "manifest.json"
#: Files earlier versions wrote and no reader wants any more; a write removes them.
RETIRED = ("movie_why.parquet", *RETIRED_FILES)

PIPELINE = "python -m models.pipeline"
CATALOGUE = "python -m models.catalogue"
USER_VIEWS = "python -m models.user_views"
BENCHMARK = "python -m models.benchmark"
ITEM_MAP_COMMAND = "python -m models.item_map"


def precomputed_dir() -> Path:
    """The artifacts folder: ``$PRECOMPUTED_DIR`` if set, else the committed ``precomputed/``."""
    return Path(os.environ.get(PRECOMPUTED_ENV) or DEFAULT_PRECOMPUTED)


@dataclass(frozen=True)
class Artifact:
    """One file of ``precomputed/``: its schema, who reads it and how to rebuild it.

    Attributes:
        name: file name inside the folder.
        kind: ``"parquet"``, ``"npy"``, ``"json"`` or ``"text"`` (checked by name only).
        readers: the ids of the boxes that read it (their ``PREFIX``, the section id:
            ``"your-taste"``); empty for records the app never reads. A damaged file takes
            these boxes off the page (each shows a notice), and only these.
        rebuild: the command that rewrites it.
        columns: parquet: required column -> dtype as pandas names it after reading.
        model_columns: parquet: dtype of the one column per model id (for every model of
            :data:`core.vocabulary.MODEL_ORDER` present), or ``None``.
        dtype: npy: the array's dtype.
        shape: npy: the array's shape; ints are exact, strings are sizes bound per folder.
        keys: json: top-level keys that must be present.
        optional: whether a folder may lack it (models not trained yet, the benchmark).
    """

    name: str
    kind: str
    readers: tuple[str, ...]
    rebuild: str
    columns: Mapping[str, str] = field(default_factory=dict)
    model_columns: str | None = None
    dtype: str | None = None
    shape: tuple[int | str, ...] = ()
    keys: tuple[str, ...] = ()
    optional: bool = False


def _model_arrays(model: str, dim: str, readers: tuple[str, ...] = ()) -> list[Artifact]:
    """The six ``.npy`` files of a factor or bias model (``dim`` ``None``: biases only)."""
    command = f"{PIPELINE} --models {model}"
    optional = model != "embedding_mf"
    arrays = [
        ("user_ids", "int32", ("n_users",)),
        ("item_ids", "int32", ("n_items",)),
        ("user_bias", "float32", ("n_users",)),
        ("item_bias", "float32", ("n_items",)),
    ]
    if dim:
        arrays += [
            ("user_embedding", "float16", ("n_users", dim)),
            ("item_embedding", "float16", ("n_items", dim)),
        ]
    return [
        Artifact(
            f"{model}_{key}.npy",
            "npy",
            readers if key.startswith("item") else (),
            command,
            dtype=dtype,
            shape=shape,
            optional=optional,
        )
        for key, dtype, shape in arrays
    ]


BOX9 = ("your-taste",)
#: The map of the movies and Box 9, which draws the reader on the same map.
ITEM_MAP_READERS = ("item-map", "your-taste")
#: Every box that follows the selected reader reads the selection (users and movies).
SELECTION = ("selection", "venn", "movie-why", "user-trends")
#: Box 4's histograms of each model's test predictions (:mod:`models.distributions`).
DISTRIBUTIONS = "prediction_distributions.json"
#: The conclusion's numbers (:mod:`models.accuracy_question`): top-10 hits over users.
CONCLUSION = "conclusion.json"
#: Columns of the readers' profiles (:mod:`core.records`), committed for the story reader.
PROFILE_COLUMNS = {
    "user_id": "int16",
    "gender": "str",
    "age": "int8",
    "age_band": "str",
    "occupation": "int8",
    "occupation_name": "str",
    "region": "str",
    "n_ratings": "int16",
    "n_test": "int16",
}


def _deepfm_arrays() -> list[Artifact]:
    """DeepFM's weight files (:func:`models.trainers.deepfm_arrays`), scored by
    :class:`core.deepfm.DeepFMWeights` when the per-reader records are built."""
    arrays = [
        ("field_dims", "int64", (4,)),
        ("user_ids", "int32", ("n_users",)),
        ("item_ids", "int32", ("n_items",)),
        ("embedding", "float16", ("deepfm_rows", "k_deepfm")),
        ("linear", "float32", ("deepfm_rows",)),
        ("global_bias", "float32", (1,)),
        ("hidden_1_weight", "float32", ("deepfm_hidden_1", "deepfm_input")),
        ("hidden_1_bias", "float32", ("deepfm_hidden_1",)),
        ("hidden_2_weight", "float32", ("deepfm_hidden_2", "deepfm_hidden_1")),
        ("hidden_2_bias", "float32", ("deepfm_hidden_2",)),
        ("output_weight", "float32", (1, "deepfm_hidden_2")),
        ("output_bias", "float32", (1,)),
    ]
    return [
        Artifact(
            f"deepfm_{key}.npy",
            "npy",
            (),  # read by python -m models.reader_records, not by a box
            f"{PIPELINE} --models deepfm",
            dtype=dtype,
            shape=shape,
            optional=True,
        )
        for key, dtype, shape in arrays
    ]


#: Boxes that read the manifest (model settings, rating counts, the rating range).
MANIFEST_READERS = (
    "learning-curves",
    "model-table",
    "rating-distributions",
    "rmse-by-rating",
    "your-taste",
)


def _bayes_fm_arrays() -> list[Artifact]:
    """The Bayesian FM's weight files (:func:`models.bayes_fm.export_arrays`), scored by
    :class:`core.bayes_fm.BayesFMWeights` when the per-reader records are built."""
    arrays = [
        ("user_ids", "int32", ("n_users",)),
        ("item_ids", "int32", ("n_items",)),
        ("user_embedding", "float16", ("n_users", "k_bayes_fm")),
        ("item_embedding", "float16", ("n_items", "k_bayes_fm")),
        ("user_bias", "float32", ("n_users",)),
        ("item_bias", "float32", ("n_items",)),
        ("global_bias", "float32", (1,)),
    ]
    return [
        Artifact(
            f"bayes_fm_{key}.npy",
            "npy",
            (),  # read by python -m models.reader_records, not by a box
            f"{PIPELINE} --models bayes_fm",
            dtype=dtype,
            shape=shape,
            optional=True,
        )
        for key, dtype, shape in arrays
    ]


#: Every artifact, by file name.
ARTIFACTS: dict[str, Artifact] = {
    artifact.name: artifact
    for artifact in [
        Artifact(
            MANIFEST,
            "json",
            MANIFEST_READERS,
            PIPELINE,
            keys=("data_sha256", "seed", "n_ratings", "n_test", "train_mean", "models", "files"),
        ),
        Artifact("split.npy", "npy", (), PIPELINE, dtype="uint8", shape=("split_bytes",)),
        Artifact(
            DISTRIBUTIONS,
            "json",
            ("rating-distributions",),
            PIPELINE,
            keys=("true", "models"),
        ),
        Artifact(
            "metrics.json",
            "json",
            ("learning-curves", "model-table", "rating-distributions", "rmse-by-rating"),
            PIPELINE,
        ),
        Artifact("history.json", "json", ("learning-curves",), PIPELINE),
        Artifact(
            CONCLUSION,
            "json",
            ("conclusion",),
            PIPELINE,
            keys=("k", "true", "models", "scopes", "story"),
        ),
        *_model_arrays("embedding_mf", "k", BOX9),
        *_model_arrays("funk_svd", "k_funk_svd"),
        *_model_arrays("bias_only", ""),
        *_deepfm_arrays(),
        *_bayes_fm_arrays(),
        Artifact(
            "embedding_mf_group_users.parquet",
            "parquet",
            BOX9,
            CATALOGUE,
            columns={
                "gender": "str",
                "age": "int8",
                "occupation": "int8",
                "n_users": "int32",
                "user_bias": "float32",
                "user_embedding": "object",
            },
        ),
        Artifact(
            "embedding_mf_fold_in.json",
            "json",
            BOX9,
            CATALOGUE,
            keys=("ridge_scale", "grid", "cold_start_min_ratings", "seed"),
        ),
        Artifact(
            ITEM_MAP,
            "parquet",
            ITEM_MAP_READERS,
            ITEM_MAP_COMMAND,
            columns={"movie_id": "int16", "x": "float32", "y": "float32", "genres": "str"},
        ),
        Artifact(
            PROJECTION,
            "json",
            ITEM_MAP_READERS,
            ITEM_MAP_COMMAND,
            keys=("mean", "components", "explained_variance_ratio", "n_items"),
        ),
        Artifact(
            story_file(PROFILES),
            "parquet",
            SELECTION,
            USER_VIEWS,
            columns=PROFILE_COLUMNS,
        ),
        Artifact(
            story_file(TEST),
            "parquet",
            ("venn", "movie-why", "user-trends"),
            USER_VIEWS,
            columns={"user_id": "int16", "movie_id": "int16", "rating": "int8"},
            model_columns="float32",
        ),
        Artifact(
            story_file(INSAMPLE),
            "parquet",
            ("venn", "movie-why", "user-trends"),
            USER_VIEWS,
            columns={"user_id": "int16", "movie_id": "int16", "rating": "int8", "in_test": "bool"},
            model_columns="float32",
        ),
        Artifact(
            "movies.parquet",
            "parquet",
            (*SELECTION, *ITEM_MAP_READERS),
            USER_VIEWS,
            columns={
                "movie_id": "int16",
                "title": "str",
                "year": "int16",
                **{f"n_{star}": "int32" for star in range(1, 6)},
                "n_train": "int32",
                "mean_train": "float32",
                "n_test": "int32",
            },
        ),
        Artifact(
            "group_ratings.parquet",
            "parquet",
            ("selection", "user-trends"),
            USER_VIEWS,
            columns={
                "movie_id": "int16",
                "dimension": "category",
                "group": "str",
                "order": "int8",
                "n": "int32",
                "mean": "float32",
            },
        ),
        Artifact("benchmark.csv", "text", (), BENCHMARK, optional=True),
        Artifact("benchmark.md", "text", (), BENCHMARK, optional=True),
    ]
}


def rebuild_hint(name: str) -> str:
    """How to rebuild one artifact, as a sentence for an error message."""
    artifact = ARTIFACTS.get(name)
    command = artifact.rebuild if artifact else PIPELINE
    return f"Rebuild it with `{command}` (see README)."


def read_manifest(folder: Path | None = None) -> dict:
    """``manifest.json`` of ``folder`` (default :func:`precomputed_dir`); ``{}`` if absent."""
    path = (folder or precomputed_dir()) / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def rating_range(manifest: Mapping) -> tuple[float, float]:
    """EmbeddingMF's ``(low, high)`` as the manifest records it (its training config).

    Falls back to :data:`core.vocabulary.DEFAULT_RATING_RANGE` when EmbeddingMF is absent.
    """
    config = manifest.get("models", {}).get("embedding_mf", {}).get("config", {})
    low, high = config.get("rating_range", DEFAULT_RATING_RANGE)
    return float(low), float(high)


def split_seed(manifest: Mapping) -> int:
    """The split seed the artifacts were built with (:data:`DEFAULT_SEED` for a new folder)."""
    return int(manifest.get("seed", DEFAULT_SEED))
