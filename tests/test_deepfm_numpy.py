"""DeepFM's numpy scorer (core.deepfm) against the torch module it mirrors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core.deepfm import DeepFMWeights
from models.deepfm import DeepFM
from models.features import GENRE_PADDING, genre_matrix, movielens_layout
from models.trainers import deepfm_arrays


def load_into_torch(weights: DeepFMWeights) -> DeepFM:
    """A torch DeepFM holding exactly ``weights`` (float16 storage widened), in eval mode."""
    hidden = tuple(weight.shape[0] for weight in weights.hidden_weights)
    model = DeepFM(
        tuple(int(d) for d in weights.field_dims),
        weights.embedding.shape[1],
        hidden,
        padding_idx=weights.padding_index,
        sparse=False,
    )
    linear_layers = [layer for layer in model.mlp if isinstance(layer, torch.nn.Linear)]
    pairs = [
        *zip(weights.hidden_weights, weights.hidden_biases, strict=True),
        (weights.output_weight, weights.output_bias),
    ]
    with torch.no_grad():
        model.embedding.weight.copy_(torch.from_numpy(weights.embedding))
        model.linear.weight.copy_(torch.from_numpy(weights.linear[:, None]))
        model.global_bias.copy_(torch.tensor(float(weights.global_bias[0])))
        for layer, (weight, bias) in zip(linear_layers, pairs, strict=True):
            layer.weight.copy_(torch.from_numpy(weight))
            layer.bias.copy_(torch.from_numpy(bias))
    return model.eval()


def random_trained_model(seed: int = 3) -> tuple[DeepFM, tuple[int, ...]]:
    """A tiny DeepFM with every weight random (as after training, padding row zero)."""
    field_dims = (7, 5, GENRE_PADDING + 1, 21)
    layout = movielens_layout(7, 5)
    torch.manual_seed(seed)
    model = DeepFM(field_dims, 8, (16, 4), padding_idx=layout.padding_index, sparse=False)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.3)
        model.embedding.weight[layout.padding_index].zero_()
        model.linear.weight[layout.padding_index].zero_()
    return model.eval(), field_dims


def test_numpy_scorer_matches_torch_on_tiny_weights():
    model, _ = random_trained_model()
    arrays = deepfm_arrays(model, np.arange(1, 8), np.arange(1, 6))
    weights = DeepFMWeights.from_arrays(arrays)
    assert weights.padding_index == 7 + 5 + GENRE_PADDING
    assert [w.shape for w in weights.hidden_weights] == [(16, 32), (4, 16)]
    genres = genre_matrix([("Comedy",), ("Action", "Drama"), (), ("War",), ("Horror",)])
    occupation = np.array([0, 3, 20, 7, 1, 1, 12])
    rng = np.random.default_rng(0)
    users, items = rng.integers(0, 7, 200), rng.integers(0, 5, 200)
    expected = load_into_torch(weights)(
        torch.from_numpy(users),
        torch.from_numpy(items + 7),
        torch.from_numpy(genres[items] + 12),
        torch.from_numpy(occupation[users] + 12 + GENRE_PADDING + 1),
    )
    got = weights.predict(users, items, genres, occupation)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected.detach().numpy(), atol=1e-5, rtol=0)
    # Movie row 2 has no genres at all: its genres field contributes zeros, not NaN.
    assert np.isfinite(got[items == 2]).all() and (items == 2).any()


def test_numpy_scorer_is_the_trained_module_up_to_float16_storage():
    model, _ = random_trained_model(seed=5)
    arrays = deepfm_arrays(model, np.arange(1, 8), np.arange(1, 6))
    assert arrays["embedding"].dtype == np.float16
    genres = genre_matrix([("Comedy", "Drama"), ("Action",), ("Sci-Fi",), ("War",), ("Horror",)])
    occupation = np.arange(7)
    users, items = np.repeat(np.arange(7), 5), np.tile(np.arange(5), 7)
    with torch.no_grad():
        trained = model(
            torch.from_numpy(users),
            torch.from_numpy(items + 7),
            torch.from_numpy(genres[items] + 12),
            torch.from_numpy(occupation[users] + 12 + GENRE_PADDING + 1),
        ).numpy()
    got = DeepFMWeights.from_arrays(arrays).predict(users, items, genres, occupation)
    error = np.abs(got - trained).max()
    # float16 keeps ~3 significant digits of each latent value.
    assert 0 < error < 0.02


def test_out_of_field_index_is_refused():
    model, _ = random_trained_model()
    weights = DeepFMWeights.from_arrays(deepfm_arrays(model, np.arange(1, 8), np.arange(1, 6)))
    genres = np.full((5, 6), GENRE_PADDING)
    with pytest.raises(ValueError, match="user index outside"):
        weights.predict(np.array([7]), np.array([0]), genres, np.zeros(7, int))
    with pytest.raises(ValueError, match="occupation index outside"):
        weights.predict(np.array([0]), np.array([0]), genres, np.full(7, 21))


def test_shapes_that_do_not_chain_are_refused():
    model, _ = random_trained_model()
    arrays = deepfm_arrays(model, np.arange(1, 8), np.arange(1, 6))
    arrays["hidden_2_weight"] = arrays["hidden_2_weight"][:, :-1]
    with pytest.raises(ValueError, match="DeepFM layer"):
        DeepFMWeights.from_arrays(arrays)


def test_committed_weights_score_alike_in_numpy_and_torch(prepared):
    """The committed DeepFM arrays, loaded into the torch module, predict what numpy does
    (to 1e-5 stars) on real ratings, movie 1205's six genres included."""
    from core.artifacts import precomputed_dir
    from models.features import build_features
    from models.reader_records import deepfm_inputs, deepfm_weight_files

    folder = precomputed_dir()
    arrays = {
        name.removeprefix("deepfm_")[:-4]: np.load(folder / name)
        for name in deepfm_weight_files(folder)
    }
    weights = DeepFMWeights.from_arrays(arrays)
    features = build_features(prepared)
    assert weights.padding_index == features.layout.padding_index
    assert tuple(weights.field_dims) == features.layout.field_dims
    rows = np.r_[
        np.arange(0, len(prepared.rating), 97),
        np.flatnonzero(prepared.item_ids[prepared.item_index] == 1205),
    ]
    mask = np.zeros(len(prepared.rating), dtype=bool)
    mask[rows] = True
    with torch.no_grad():
        expected = load_into_torch(weights)(*features.tensors(mask)).numpy()
    genres, occupation = deepfm_inputs(prepared)
    got = weights.predict(prepared.user_index[mask], prepared.item_index[mask], genres, occupation)
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)
