"""EmbeddingMF, the training loop, the split and the exporter, on tiny and real data."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from models.embedding_mf import INIT_STD, EmbeddingMF
from models.export import ExportError, export
from models.pipeline import main as run_pipeline
from models.prepare import index_of, prepare
from models.split import pack_mask, random_split_mask, unpack_mask, validation_mask
from models.train import TrainConfig, TrainingError, fit, predict, set_seed
from models.trainers import TrainedModel, train_embedding_mf

TINY_CONFIG = TrainConfig(epochs=3, batch_size=32, learning_rate=0.005, weight_decay=0.1)


# ----- split -----


def test_split_is_seeded_and_sized():
    first, second = random_split_mask(1_000, seed=7), random_split_mask(1_000, seed=7)
    assert first.dtype == bool and first.sum() == 100
    assert np.array_equal(first, second)
    assert not np.array_equal(first, random_split_mask(1_000, seed=8))


def test_real_split_counts_and_disjointness(prepared):
    test = prepared.test_mask
    assert test.sum() == 100_021 and (~test).sum() == 900_188
    # Disjoint by construction (one mask); also no (user, movie) pair on both sides.
    ratings = prepared.movielens.ratings
    pairs = ratings["user_id"].astype(np.int64) * 10_000 + ratings["movie_id"]
    assert not set(pairs[test]) & set(pairs[~test])


def test_validation_only_from_training_rows():
    train = ~random_split_mask(1_000, seed=1)
    valid = validation_mask(train, 0.2)
    assert valid.sum() == round(train.sum() * 0.2)
    assert not (valid & ~train).any()


def test_pack_round_trip():
    mask = random_split_mask(1_001, seed=3)
    assert np.array_equal(unpack_mask(pack_mask(mask), 1_001), mask)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError):
        random_split_mask(100, fraction)


def test_index_of_rejects_unknown_ids():
    ids = np.array([1, 2, 5, 3952], dtype=np.int32)
    assert index_of(ids, np.array([5, 3952, 1])).tolist() == [2, 3, 0]
    with pytest.raises(KeyError, match="3"):
        index_of(ids, np.array([3]))


# ----- model -----


def test_shapes_range_and_init():
    set_seed(0)
    model = EmbeddingMF(n_users=6, n_items=4, embedding_dim=8)
    assert model.user_embedding.weight.shape == (6, 8)
    assert model.item_embedding.weight.shape == (4, 8)
    assert model.user_bias.weight.shape == (6, 1) and model.item_bias.weight.shape == (4, 1)
    assert model.item_embedding.weight.std().item() == pytest.approx(INIT_STD, rel=0.5)
    out = model(torch.tensor([0, 5, 3]), torch.tensor([1, 0, 3]))
    assert out.shape == (3,) and out.dtype == torch.float32
    assert ((out > 0) & (out < 5.5)).all()
    # Near-zero init: every prediction starts close to the middle of (0, 5.5).
    assert torch.allclose(out, torch.full((3,), 2.75), atol=0.05)


def test_prediction_formula():
    model = EmbeddingMF(2, 2, embedding_dim=2)
    with torch.no_grad():
        model.user_embedding.weight.copy_(torch.tensor([[1.0, 0.0], [0.5, 0.5]]))
        model.item_embedding.weight.copy_(torch.tensor([[2.0, 1.0], [0.0, -2.0]]))
        model.user_bias.weight.copy_(torch.tensor([[0.1], [0.0]]))
        model.item_bias.weight.copy_(torch.tensor([[-0.3], [0.2]]))
    logit = 1.0 * 2.0 + 0.0 * 1.0 + 0.1 - 0.3
    expected = 5.5 / (1 + np.exp(-logit))
    assert model(torch.tensor([0]), torch.tensor([0])).item() == pytest.approx(expected, rel=1e-6)


def test_state_dict_round_trip():
    first = EmbeddingMF(5, 3, 4)
    second = EmbeddingMF(5, 3, 4)
    second.load_state_dict(first.state_dict())
    users, items = torch.tensor([0, 4]), torch.tensor([2, 1])
    assert torch.equal(first(users, items), second(users, items))


def test_bad_sizes():
    with pytest.raises(ValueError):
        EmbeddingMF(0, 3)
    with pytest.raises(ValueError):
        EmbeddingMF(3, 3, rating_range=(5.5, 0.0))


# ----- training -----


def test_training_loss_falls(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    set_seed(0)
    model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 16)
    history = fit(
        model,
        data.tensors(data.train_mask),
        None,
        replace(TINY_CONFIG, epochs=10),
        show_progress=False,
    )
    assert history[-1]["train_mse"] < 0.6 * history[0]["train_mse"]


def _rare_movie_norms(data, optimiser_factory=None):
    """Norm of the once-rated movie's embedding before and after a short run."""
    set_seed(0)
    model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 16)
    rare = int(index_of(data.item_ids, np.array([40]))[0])
    before = model.item_embedding.weight[rare].norm().item()
    inputs, target = data.tensors(data.train_mask)
    if optimiser_factory is None:
        fit(model, (inputs, target), None, TINY_CONFIG, show_progress=False)
    else:  # the trap: plain Adam with coupled L2 weight decay
        optimiser = optimiser_factory(model.parameters())
        generator = set_seed(0)
        for _ in range(TINY_CONFIG.epochs):
            for rows in torch.randperm(len(target), generator=generator).split(32):
                loss = torch.nn.functional.mse_loss(model(*(t[rows] for t in inputs)), target[rows])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
    return before, model.item_embedding.weight[rare].norm().item()


def test_rarely_rated_movie_keeps_its_embedding(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    rows = np.flatnonzero(data.movielens.ratings["movie_id"].to_numpy() == 40)
    assert len(rows) == 1
    if data.test_mask[rows[0]]:  # keep the single rating on the training side
        pytest.fail("seed 0 puts movie 40's only rating in the test split; pick another seed")
    before, after = _rare_movie_norms(data)
    assert after > 0.5 * before
    _, after_plain_adam = _rare_movie_norms(
        data, lambda params: torch.optim.Adam(params, lr=0.005, weight_decay=0.1)
    )
    assert after_plain_adam < after


def test_non_finite_loss_aborts(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 4)
    inputs, target = data.tensors(data.train_mask)
    target = target.clone()
    target[5] = float("nan")
    with pytest.raises(TrainingError, match="Non-finite loss"):
        fit(model, (inputs, target), None, TINY_CONFIG, show_progress=False)


def test_same_seed_same_predictions(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    runs = [train_embedding_mf(data, TINY_CONFIG, show_progress=False) for _ in range(2)]
    assert np.array_equal(runs[0].predictions, runs[1].predictions)


# ----- export and pipeline -----


def test_export_refuses_nan_and_keeps_old_artifacts(tiny_movielens, tmp_path):
    data = prepare(tiny_movielens, seed=0)
    good = train_embedding_mf(data, TINY_CONFIG, show_progress=False)
    out = tmp_path / "precomputed"
    export(data, {"embedding_mf": good}, ["test"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = np.array(good.predictions)
    broken[3] = np.nan
    bad = TrainedModel("embedding_mf", broken, [], {}, 0.0)
    with pytest.raises(ExportError, match="NaN"):
        export(data, {"embedding_mf": bad}, ["test"], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".precomputed-*"))


def test_pipeline_is_deterministic(tmp_path):
    from conftest import write_tiny_movielens

    folder = write_tiny_movielens(tmp_path / "ml")
    hashes = []
    for run in ("a", "b"):
        status = run_pipeline(
            [
                "--data",
                str(folder),
                "--models",
                "embedding_mf",
                "--out",
                str(tmp_path / run),
                "--no-progress",
                "--no-download",
            ]
        )
        assert status == 0
        manifest = json.loads((tmp_path / run / "manifest.json").read_text())
        hashes.append({name: entry["sha256"] for name, entry in manifest["files"].items()})
    assert hashes[0] == hashes[1]
    assert "prediction_distributions.json" in hashes[0] and "split.npy" in hashes[0]
    # Only the story reader's rows are written (the tiny data has no user 1680: none).
    assert "predictions_test.parquet" not in hashes[0]


def test_pipeline_reports_missing_data(tmp_path, capsys):
    status = run_pipeline(["--data", str(tmp_path / "nothing.zip"), "--out", str(tmp_path / "o")])
    assert status == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_predict_matches_forward(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 4)
    inputs, _ = data.tensors(data.test_mask)
    with torch.no_grad():
        expected = model(*inputs).numpy()
    assert np.allclose(predict(model, inputs, batch_size=7), expected)


def test_default_seed_holds_out_xiaos_story_ratings(prepared):
    ratings = prepared.movielens.ratings
    story = (ratings["user_id"] == 1680) & ratings["movie_id"].isin([3264, 3391])
    assert story.sum() == 2
    assert prepared.test_mask[story.to_numpy()].all()
