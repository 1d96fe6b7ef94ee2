"""Schema and consistency of the committed ``precomputed/`` artifacts."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from components.artifacts import PRECOMPUTED
from models.split import DEFAULT_SEED, random_split_mask, unpack_mask

REQUIRED_MODELS = ("embedding_mf",)


@pytest.fixture(scope="module")
def manifest():
    return json.loads((PRECOMPUTED / "manifest.json").read_text())


@pytest.fixture(scope="module")
def metrics():
    return json.loads((PRECOMPUTED / "metrics.json").read_text())


def test_folder_is_small():
    total = sum(path.stat().st_size for path in PRECOMPUTED.rglob("*") if path.is_file())
    assert total < 25 * 2**20


def test_manifest_hashes_match_files(manifest):
    on_disk = {path.name for path in PRECOMPUTED.iterdir() if path.name != "manifest.json"}
    assert on_disk == set(manifest["files"])
    for name, entry in manifest["files"].items():
        digest = hashlib.sha256((PRECOMPUTED / name).read_bytes()).hexdigest()
        assert digest == entry["sha256"], name


def test_manifest_records_the_run(manifest):
    assert manifest["n_ratings"] == 1_000_209 and manifest["n_test"] == 100_021
    assert manifest["seed"] == DEFAULT_SEED
    assert len(manifest["data_sha256"]) == 64
    assert {"numpy", "pandas", "torch", "python"} <= set(manifest["packages"])
    assert manifest["train_mean"] == pytest.approx(3.58, abs=0.01)
    assert sum(manifest["train_rating_counts"].values()) == 900_188
    for name in REQUIRED_MODELS:
        entry = manifest["models"][name]
        assert entry["fit_seconds"] > 0
        assert entry["config"]["epochs"] >= 1


def test_split_matches_the_seeded_split(manifest):
    mask = unpack_mask(np.load(PRECOMPUTED / "split.npy"), manifest["n_ratings"])
    assert np.array_equal(mask, random_split_mask(manifest["n_ratings"], 0.1, manifest["seed"]))


# The per-reader test rows left the repository (issue 10, the MovieLens licence): their
# match with the archive and with metrics.json is checked on the records the session
# builds, in tests/test_licence.py.


def test_embedding_mf_weights(manifest):
    item_ids = np.load(PRECOMPUTED / "embedding_mf_item_ids.npy")
    item_embedding = np.load(PRECOMPUTED / "embedding_mf_item_embedding.npy")
    item_bias = np.load(PRECOMPUTED / "embedding_mf_item_bias.npy")
    assert item_ids.shape == (3_706,) and np.all(np.diff(item_ids) > 0)
    assert item_embedding.shape == (
        3_706,
        manifest["models"]["embedding_mf"]["config"]["embedding_dim"],
    )
    assert item_embedding.dtype == np.float16 and np.isfinite(item_embedding).all()
    assert item_bias.shape == (3_706,) and np.isfinite(item_bias).all()
    user_ids = np.load(PRECOMPUTED / "embedding_mf_user_ids.npy")
    assert user_ids.tolist() == list(range(1, 6_041))
