"""What made training fast keeps the models' meaning: dropout, one-lookup pooling, decay scale."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from core.deepfm import genre_matrix
from models.benchmark import parse_args as benchmark_args
from models.deepfm import ByteDropout, DeepFM, PairwiseInteraction
from models.embedding_mf import EmbeddingMF
from models.features import FieldLayout
from models.pipeline import parse_args as pipeline_args
from models.prepare import prepare
from models.train import TrainConfig, fit, set_seed, torch_threads
from models.trainers import DEEPFM_CONFIG, EMBEDDING_MF_CONFIG, TRAINERS

FIELD_DIMS = (5, 4, 19, 3)
LAYOUT = FieldLayout(("user", "movie", "genres", "occupation"), FIELD_DIMS)


# ----- ByteDropout: nn.Dropout's contract from random bytes -----


def test_byte_dropout_drops_half_and_scales_the_rest_by_two():
    torch.manual_seed(0)
    dropout = ByteDropout(0.5).train()
    out = dropout(torch.ones(200_000))
    kept = out != 0
    # Binomial(200k, 0.5): standard deviation 224 rows; 5 sigma is 1,118.
    assert abs(int(kept.sum()) - 100_000) < 1_118
    assert torch.equal(out[kept], torch.full((int(kept.sum()),), 2.0))


def test_byte_dropout_quarter_keeps_three_quarters_scaled_by_four_thirds():
    torch.manual_seed(1)
    out = ByteDropout(0.25).train()(torch.ones(200_000))
    kept = out != 0
    assert abs(int(kept.sum()) - 150_000) < 5 * math.sqrt(200_000 * 0.25 * 0.75)
    torch.testing.assert_close(out[kept], torch.full((int(kept.sum()),), 4 / 3))


def test_byte_dropout_is_identity_in_eval_mode_and_seeded_in_training():
    x = torch.randn(64, 32)
    assert ByteDropout(0.5).eval()(x) is x
    torch.manual_seed(7)
    first = ByteDropout(0.5).train()(x)
    torch.manual_seed(7)
    assert torch.equal(first, ByteDropout(0.5).train()(x))
    torch.manual_seed(8)
    assert not torch.equal(first, ByteDropout(0.5).train()(x))


def test_byte_dropout_gradient_flows_only_through_kept_elements():
    torch.manual_seed(2)
    x = torch.ones(1_000, requires_grad=True)
    out = ByteDropout(0.5).train()(x)
    out.sum().backward()
    assert torch.equal(x.grad, out.detach())  # d(out_i)/d(x_i) = mask_i * 2 = out_i here


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_byte_dropout_rejects_bad_probability(p):
    with pytest.raises(ValueError, match="Dropout p"):
        ByteDropout(p)


# ----- DeepFM: one embedding_bag for all fields = the per-field pooling -----


def per_field_reference(model: DeepFM, fields) -> torch.Tensor:
    """``y_FM + y_DNN`` with each field looked up on its own (the formula, written plainly)."""
    vectors, order_1 = [], 0.0
    for field in fields:
        rows = field.reshape(len(field), -1)
        active = (rows != model.padding_idx).float()
        weights = active / active.sum(dim=1, keepdim=True).clamp(min=1.0)
        vectors.append((model.embedding(rows) * weights.unsqueeze(2)).sum(dim=1))
        order_1 = order_1 + (model.linear(rows)[..., 0] * weights).sum(dim=1)
    stacked = torch.stack(vectors, dim=1)
    pairs = 0.5 * (stacked.sum(1).pow(2) - stacked.pow(2).sum(1)).sum(1)
    deep = model.mlp(stacked.flatten(1)).squeeze(1)
    return model.global_bias + order_1 + pairs + deep


def example_fields() -> list[torch.Tensor]:
    """Three rows of the four fields: one, three and no genres."""
    raw = {
        "user": np.array([0, 4, 2]),
        "movie": np.array([3, 0, 1]),
        "genres": genre_matrix([("Comedy",), ("Action", "Drama", "War"), ()]),
        "occupation": np.array([1, 0, 2]),
    }
    return [torch.from_numpy(LAYOUT.to_global(name, raw[name])) for name in raw]


def dense(gradient: torch.Tensor) -> torch.Tensor:
    return gradient.to_dense() if gradient.is_sparse else gradient


@pytest.mark.parametrize("sparse", [False, True])
def test_one_lookup_forward_and_gradients_equal_the_per_field_formula(sparse):
    torch.manual_seed(3)
    model = DeepFM(FIELD_DIMS, 8, (16,), 0.0, LAYOUT.padding_index, sparse=sparse)
    with torch.no_grad():
        model.linear.weight.normal_()  # zeros at init would hide the order-1 term
        model.linear.weight[LAYOUT.padding_index] = 0.0
    fields = example_fields()
    model(*fields).sum().backward()
    fast = dense(model.embedding.weight.grad), dense(model.linear.weight.grad)
    model.zero_grad()
    per_field_reference(model, fields).sum().backward()
    torch.testing.assert_close(model(*fields), per_field_reference(model, fields))
    torch.testing.assert_close(fast[0], dense(model.embedding.weight.grad))
    torch.testing.assert_close(fast[1], dense(model.linear.weight.grad))
    assert not fast[0][LAYOUT.padding_index].any()  # padding learns nothing


def test_the_written_out_pairwise_gradient_equals_autograds():
    vectors = torch.randn(5, 4, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(PairwiseInteraction.apply, (vectors,))
    # and by hand: d/d v_f of sum_{f<g} <v_f, v_g> is the sum of the other fields' vectors
    PairwiseInteraction.apply(vectors).sum().backward()
    others = vectors.detach().sum(dim=1, keepdim=True) - vectors.detach()
    torch.testing.assert_close(vectors.grad, others)


def test_mixed_precision_changes_training_steps_only():
    """bfloat16 products in training mode; evaluation is the float32 model, bit for bit."""
    torch.manual_seed(5)
    plain = DeepFM(FIELD_DIMS, 8, (16, 8), 0.0, LAYOUT.padding_index, sparse=False)
    mixed = DeepFM(
        FIELD_DIMS, 8, (16, 8), 0.0, LAYOUT.padding_index, sparse=False, mixed_precision=True
    )
    mixed.load_state_dict(plain.state_dict())
    with torch.no_grad():
        plain.embedding.weight.normal_()  # Normal(0, 0.01) would hide the rounding
        mixed.embedding.weight.copy_(plain.embedding.weight)
    fields = example_fields()
    assert torch.equal(plain.eval()(*fields), mixed.eval()(*fields))
    trained, exact = mixed.train()(*fields), plain.train()(*fields)
    assert trained.dtype == torch.float32
    assert not torch.equal(trained, exact)
    torch.testing.assert_close(trained, exact, atol=0.05, rtol=0.01)  # bfloat16: 8 bits
    trained.sum().backward()
    assert all(p.grad.dtype == torch.float32 for p in mixed.mlp.parameters())


# ----- threads: a model's own setting holds while it fits, then the process's -----


def test_fit_uses_the_configs_threads_and_restores_the_processs(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    seen = []
    with torch_threads(1):
        config = TrainConfig(epochs=2, batch_size=16, embedding_dim=4, threads=2)
        model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 4)
        record = lambda epoch, _: seen.append(torch.get_num_threads())  # noqa: E731
        fit(
            model,
            data.tensors(data.train_mask),
            None,
            config,
            show_progress=False,
            on_epoch_end=record,
        )
        assert torch.get_num_threads() == 1
    assert seen == [2, 2]
    assert DEEPFM_CONFIG.threads == 2 and EMBEDDING_MF_CONFIG.threads is None


@pytest.mark.parametrize("threads", [0, -2])
def test_threads_must_be_at_least_one(threads):
    with pytest.raises(ValueError, match="threads"):
        TrainConfig(threads=threads)


# ----- decay_batch_scale: the per-step decay is weight_decay x scale -----


def test_decay_scale_equals_the_multiplied_weight_decay(tiny_movielens):
    data = prepare(tiny_movielens, seed=0)
    base = TrainConfig(epochs=2, batch_size=16, embedding_dim=4, weight_decay=0.1)

    def trained(config: TrainConfig) -> torch.Tensor:
        set_seed(config.seed)
        model = EmbeddingMF(len(data.user_ids), len(data.item_ids), 4)
        fit(model, data.tensors(data.train_mask), None, config, show_progress=False)
        return model.item_embedding.weight.detach()

    scaled = trained(replace(base, decay_batch_scale=12.0))
    torch.testing.assert_close(scaled, trained(replace(base, weight_decay=1.2)))
    assert not torch.allclose(scaled, trained(base))


@pytest.mark.parametrize("scale", [0.0, -1.0, math.nan])
def test_decay_scale_must_be_positive(scale):
    with pytest.raises(ValueError, match="decay_batch_scale"):
        TrainConfig(decay_batch_scale=scale)


def test_the_articles_stated_settings_are_kept():
    """Section 6 and 7 of the article; only what it leaves open may change."""
    mf, fm = EMBEDDING_MF_CONFIG, DEEPFM_CONFIG
    assert (mf.epochs, mf.learning_rate, mf.weight_decay, mf.embedding_dim) == (15, 0.005, 0.1, 128)
    assert (fm.epochs, fm.batch_size, fm.embedding_dim) == (100, 2048, 128)
    model = EmbeddingMF(3, 3)
    assert model.rating_range == (0.0, 5.5)


# ----- the benchmark and the pipeline list every registered model -----


def test_benchmark_and_pipeline_default_to_every_registered_trainer(monkeypatch):
    assert benchmark_args([]).models == list(TRAINERS)
    monkeypatch.setitem(TRAINERS, "newcomer", lambda data, show_progress=True: None)
    assert benchmark_args([]).models[-1] == "newcomer"
    assert pipeline_args([]).models[-1] == "newcomer"
    assert benchmark_args([]).threads == pipeline_args([]).threads == 1


def test_the_page_states_the_batch_sizes_and_decay_scale_the_models_train_with():
    from components import learned_models
    from components.box import walk

    text = " ".join(node for node in walk(learned_models.layout()) if isinstance(node, str))
    assert f"batches of {EMBEDDING_MF_CONFIG.batch_size:,} ratings" in text
    assert f"batches of {DEEPFM_CONFIG.batch_size:,} ratings" in text
    assert f"applied {EMBEDDING_MF_CONFIG.decay_batch_scale:g} times as strongly" in text
