"""The core package: imports run one way, the numpy scorer matches torch, one top-k, catalogue."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.artifacts import (
    ARTIFACTS,
    precomputed_dir,
    rating_range,
    read_manifest,
    rebuild_hint,
)
from core.check import check_artifact, check_folder, sha256_of
from core.scoring import EmbeddingMFWeights, ItemFactors, predict
from core.top_k import top_k_mask, top_rows
from core.vocabulary import DEFAULT_RATING_RANGE

ROOT = Path(__file__).resolve().parent.parent
#: Every module of models/ that writes artifacts or runs as a command.
MODEL_WRITERS = (
    "models.pipeline",
    "models.export",
    "models.catalogue",
    "models.item_map",
    "models.user_views",
    "models.movie_table",
    "models.benchmark",
)


def loaded_modules(statement: str) -> list[str]:
    """Names in ``sys.modules`` after running ``statement`` in a fresh interpreter."""
    script = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def under(modules: list[str], *packages: str) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages)]


def test_app_loads_no_models_module_and_no_torch():
    modules = loaded_modules("import app\napp.build_layout()")
    assert "components.your_taste" in modules and "core.scoring" in modules
    assert under(modules, "models", "torch") == []


@pytest.mark.parametrize("writer", MODEL_WRITERS)
def test_models_writers_load_no_components_module(writer):
    modules = loaded_modules(f"import {writer}")
    assert writer in modules
    assert under(modules, "components", "dash") == []


@pytest.mark.parametrize("rebuild", ["models.user_views", "models.catalogue", "models.item_map"])
def test_rebuilds_without_training_load_no_torch(rebuild):
    modules = loaded_modules(f"import {rebuild}\nimport models.movie_table")
    assert rebuild in modules and "models.export" in modules
    assert under(modules, "torch", "models.trainers", "models.train") == []


def test_core_loads_neither_half():
    modules = loaded_modules(
        "import core.artifacts, core.item_map, core.scoring, core.top_k, core.vocabulary"
    )
    assert under(modules, "models", "components", "torch", "dash") == []


@pytest.fixture(scope="module")
def weights():
    folder = precomputed_dir()
    arrays = {
        name: np.load(folder / f"embedding_mf_{name}.npy") for name in EmbeddingMFWeights.ARRAYS
    }
    return EmbeddingMFWeights(**arrays, rating_range=rating_range(read_manifest()))


@pytest.fixture(scope="module")
def torch_model(weights):
    import torch

    from models.embedding_mf import EmbeddingMF

    n_users, k = weights.user_embedding.shape
    model = EmbeddingMF(n_users, len(weights.item_ids), k, rating_range=weights.rating_range)
    with torch.no_grad():
        for name in ("user_embedding", "item_embedding", "user_bias", "item_bias"):
            table = getattr(model, name).weight
            array = getattr(weights, name).astype(np.float32).reshape(table.shape)
            table.copy_(torch.from_numpy(array))
    return model.eval()


def test_numpy_scorer_matches_the_torch_module_on_the_committed_weights(weights, torch_model):
    import torch

    rng = np.random.default_rng(0)
    users = rng.integers(0, len(weights.user_ids), 20_000)
    items = rng.integers(0, len(weights.item_ids), 20_000)
    with torch.no_grad():
        expected = torch_model(torch.from_numpy(users), torch.from_numpy(items)).numpy()
    got = weights.predict(users, items, chunk=7_000)
    assert got.dtype == np.float32 and got.shape == (20_000,)
    assert np.abs(got - expected).max() < 1e-5


def test_fold_in_predict_matches_the_torch_module_for_a_trained_user(weights, torch_model):
    import torch

    factors = ItemFactors(
        weights.item_ids,
        weights.item_embedding.astype(np.float32),
        weights.item_bias.astype(np.float32),
        np.arange(10),
        1.0,
        weights.rating_range,
    )
    user = int(np.searchsorted(weights.user_ids, 1680))
    vector = weights.user_embedding[user].astype(np.float64)
    stars = predict(factors, vector, float(weights.user_bias[user]))
    items = torch.arange(len(weights.item_ids))
    with torch.no_grad():
        expected = torch_model(torch.full_like(items, user), items).numpy()
    assert np.abs(stars - expected).max() < 1e-5


def test_committed_predictions_come_back_from_the_exported_weights(weights):
    """Xiao's committed test predictions, rescored from float16 weights: within 0.05 stars."""
    import pandas as pd

    from core.records import TEST, story_file

    sample = pd.read_parquet(precomputed_dir() / story_file(TEST))
    users = np.searchsorted(weights.user_ids, sample["user_id"].to_numpy())
    items = np.searchsorted(weights.item_ids, sample["movie_id"].to_numpy())
    rebuilt = weights.predict(users, items)
    assert np.abs(rebuilt - sample["embedding_mf"].to_numpy()).max() < 0.05


def test_top_k_ranks_by_score_then_lower_id_within_each_group():
    groups = np.array([1, 1, 1, 1, 2, 2, 2])
    ids = np.array([30, 10, 20, 40, 5, 6, 7])
    scores = np.array([4.0, 4.0, 4.5, np.nan, 1.0, 3.0, 3.0])
    # group 1: 20 (4.5), then the 4.0 tie goes to id 10; NaN never listed.
    # group 2: the 3.0 tie keeps both at k=2; 5 is left out.
    assert top_k_mask(groups, ids, scores, 2).tolist() == [
        False,
        True,
        True,
        False,
        False,
        True,
        True,
    ]
    # k=1: group 2's 3.0 tie goes to the lower id, 6.
    assert np.flatnonzero(top_k_mask(groups, ids, scores, 1)).tolist() == [2, 5]


def test_top_k_single_list_ties_and_exclusions():
    scores = np.array([3.0, 5.0, 3.0, 5.0, 4.0, 1.0])
    assert top_rows(scores, np.array([], dtype=np.int64), 3).tolist() == [1, 3, 4]
    assert top_rows(scores, np.array([1]), 3).tolist() == [3, 4, 0]
    assert top_rows(scores, np.array([0, 1, 2, 3]), 3).tolist() == [4, 5]


def test_top_k_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        top_k_mask(np.zeros(2), np.zeros(3), np.zeros(2), 1)
    with pytest.raises(ValueError, match="at least 1"):
        top_k_mask(np.zeros(2), np.zeros(2), np.zeros(2), 0)


def _problems(folder: Path | None = None) -> list[str]:
    return [problem.what for problem in check_folder(folder)]


def test_the_committed_folder_matches_the_catalogue():
    assert _problems() == []
    on_disk = {path.name for path in precomputed_dir().iterdir()}
    assert on_disk == set(ARTIFACTS)


def test_the_catalogue_finds_wrong_dtypes_shapes_and_missing_files(tmp_path):
    folder = tmp_path / "precomputed"
    shutil.copytree(precomputed_dir(), folder)
    np.save(folder / "embedding_mf_item_bias.npy", np.zeros(3_706, dtype=np.float64))
    # k is bound by the user vectors (128): item vectors of 64 factors disagree.
    np.save(folder / "embedding_mf_item_embedding.npy", np.zeros((3_706, 64), np.float16))
    (folder / "movies.parquet").unlink()
    (folder / "benchmark.md").unlink()  # optional: no problem
    # Recorded as a faulty rebuild would, so only the schema check can find the damage.
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("embedding_mf_item_bias.npy", "embedding_mf_item_embedding.npy"):
        manifest["files"][name]["sha256"] = sha256_of(folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    problems = _problems(folder)
    assert "embedding_mf_item_bias.npy is float64, not float32." in problems
    assert (
        "embedding_mf_item_embedding.npy has shape (3706, 64), expected ('n_items', 'k')."
        in problems
    )
    assert "movies.parquet is missing." in problems
    assert len(problems) == 3, problems


def test_a_table_with_a_wrong_column_is_reported(tmp_path):
    import pandas as pd

    name = "story_user_profiles.parquet"
    frame = pd.read_parquet(precomputed_dir() / name)
    frame["n_ratings"] = frame["n_ratings"].astype(np.int64)
    frame.drop(columns="region").to_parquet(tmp_path / name)
    assert check_artifact(ARTIFACTS[name], tmp_path) == [
        f"{name} lacks column 'region'.",
        f"{name}: column 'n_ratings' is int64, not int16.",
    ]


def test_rating_range_and_rebuild_hints_come_from_the_catalogue():
    assert rating_range(read_manifest()) == (0.0, 5.5)
    assert rating_range({}) == DEFAULT_RATING_RANGE
    assert rating_range({"models": {"embedding_mf": {"config": {"rating_range": [1, 6]}}}}) == (
        1.0,
        6.0,
    )
    assert "python -m models.user_views" in rebuild_hint("movies.parquet")
    assert "python -m models.catalogue" in rebuild_hint("embedding_mf_fold_in.json")
