"""Every trainer keeps the same contract; the committed models stay in their quality band."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.artifacts import precomputed_dir
from core.check import check_folder
from models.baselines import BiasConfig, FunkSVDConfig
from models.bayes_fm import BayesFMConfig
from models.evaluate import rmse
from models.prepare import prepare
from models.train import TrainConfig
from models.trainers import TRAINERS

#: Small settings per trainer, so the contract runs in seconds on the tiny data.
TINY_CONFIGS = {
    "embedding_mf": TrainConfig(epochs=2, batch_size=32, embedding_dim=4),
    "deepfm": TrainConfig(epochs=2, batch_size=64, embedding_dim=4, threads=2),
    "global_mean": None,
    "bias_only": BiasConfig(),
    "funk_svd": FunkSVDConfig(embedding_dim=3, epochs=2),
    "bayes_fm": BayesFMConfig(rank=3, n_iter=6, n_kept=4),
}
#: Test RMSE (stars) each model had when the committed artifacts were built (metrics.json
#: of the pipeline run recorded in manifest.json), to the fourth decimal. EmbeddingMF's
#: 0.8422 is the batch-8192 retrain (was 0.8413 at batch 128; see EMBEDDING_MF_CONFIG);
#: DeepFM's 0.8427 keeps the mean of its last 40 epochs' weights (was 0.8465 with the best
#: single epoch; see models.weight_selection).
RECORDED_TEST_RMSE = {
    "embedding_mf": 0.8422,
    "funk_svd": 0.8433,
    "deepfm": 0.8427,
    "bias_only": 0.9086,
    "global_mean": 1.1179,
    "bayes_fm": 0.8199,
}


def train(name: str, data):
    config = TINY_CONFIGS[name]
    kwargs = {} if config is None else {"config": config}
    return TRAINERS[name](data, show_progress=False, **kwargs)


def test_every_trainer_has_tiny_settings():
    assert set(TINY_CONFIGS) == set(TRAINERS) == set(RECORDED_TEST_RMSE)


@pytest.mark.parametrize("name", list(TRAINERS))
def test_trainer_contract(name, tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    first, second = train(name, data), train(name, data)
    assert first.name == name
    assert first.predictions.shape == (len(data.rating),)
    assert first.predictions.dtype == np.float32
    assert np.isfinite(first.predictions).all()
    assert first.predictions.min() > 0.0 and first.predictions.max() < 5.5
    assert np.array_equal(first.predictions, second.predictions)  # seeded: deterministic
    for key, array in first.arrays.items():
        assert np.array_equal(array, second.arrays[key]), key
    if "user_ids" in first.arrays:
        assert np.array_equal(first.arrays["user_ids"], data.user_ids)
        assert np.array_equal(first.arrays["item_ids"], data.item_ids)
    if "item_bias" in first.arrays:
        assert first.arrays["item_bias"].shape == (len(data.item_ids),)
    if "item_embedding" in first.arrays:
        k = first.arrays["item_embedding"].shape[1]
        assert first.arrays["user_embedding"].shape == (len(data.user_ids), k)
    epochs = getattr(TINY_CONFIGS[name], "epochs", 0)
    assert len(first.history) == (epochs if name not in ("bias_only", "bayes_fm") else 0)
    assert first.fit_seconds >= 0
    json.dumps(first.config)  # saved in the manifest as it is


@pytest.fixture(scope="module")
def committed():
    """The committed metrics, and every reader's test rows rescored from the committed
    weights (the records the session builds, :mod:`models.reader_records`)."""
    from components.readers import reader_table
    from core.records import TEST

    metrics = json.loads((precomputed_dir() / "metrics.json").read_text())
    return metrics, reader_table(TEST)


@pytest.mark.parametrize("name", list(RECORDED_TEST_RMSE))
def test_committed_model_is_in_its_quality_band(name, committed):
    metrics, predictions = committed
    assert metrics[name]["test"]["rmse"] == pytest.approx(RECORDED_TEST_RMSE[name], abs=0.005)
    if name in predictions:  # the Venn models: rescored from their weights, float16 aside
        measured = rmse(predictions["rating"], predictions[name])
        assert metrics[name]["test"]["rmse"] == pytest.approx(measured, abs=5e-4)


def test_committed_models_rank_as_measured(committed):
    metrics, _ = committed
    test = {name: entry["test"]["rmse"] for name, entry in metrics.items()}
    assert test["bayes_fm"] < test["embedding_mf"] <= test["deepfm"] <= test["funk_svd"]
    assert test["funk_svd"] < test["bias_only"] < test["global_mean"]


def test_a_tiny_pipeline_run_writes_what_the_catalogue_lists(tmp_path):
    from conftest import write_tiny_movielens

    from models.pipeline import main as run_pipeline

    folder = write_tiny_movielens(tmp_path / "ml")
    out = tmp_path / "out"
    arguments = ["--data", str(folder), "--models", "embedding_mf", "--out", str(out)]
    assert run_pipeline([*arguments, "--no-progress", "--no-download"]) == 0
    assert check_folder(out) == []
    written = {path.name for path in out.iterdir()}
    assert {"movies.parquet", "embedding_mf_fold_in.json", "story_user_insample.parquet"} <= written
    assert "conclusion.json" in written
    assert "movie_why.parquet" not in written
    assert not {"predictions_test.parquet", "user_insample.parquet"} & written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 19
    assert json.loads((out / "embedding_mf_fold_in.json").read_text())["seed"] == 19
