"""Baselines of models.baselines on hand-made data: closed forms, FunkSVD's SGD, trainers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.baselines import (
    BiasConfig,
    FunkSVD,
    FunkSVDConfig,
    fit_biases,
    fit_funk_svd,
    funk_svd_loss,
    global_mean,
    predict_biases,
)
from models.prepare import PreparedData
from models.trainers import TRAINERS, train_bias_only, train_funk_svd, train_global_mean

# Six ratings, three users, three items; the mean is exactly 4 stars.
#   user 0: item 0 -> 5, item 1 -> 3
#   user 1: item 0 -> 4, item 2 -> 2
#   user 2: item 1 -> 5, item 2 -> 5
USER = np.array([0, 0, 1, 1, 2, 2])
ITEM = np.array([0, 1, 0, 2, 1, 2])
RATING = np.array([5, 3, 4, 2, 5, 5], dtype=np.float32)


def test_global_mean_is_exact():
    assert global_mean(RATING) == 4.0
    with pytest.raises(ValueError):
        global_mean(np.array([]))
    with pytest.raises(ValueError):
        global_mean(np.array([1.0, np.nan]))


def test_one_als_iteration_matches_the_hand_computation():
    # reg_item = 1, reg_user = 2; items first, from zero user biases:
    #   b_i0 = ((5-4) + (4-4)) / (1 + 2) = 1/3;  b_i1 = (-1 + 1) / 3 = 0;  b_i2 = (-2 + 1) / 3
    # then users given those item biases:
    #   b_u0 = ((1 - 1/3) + (-1 - 0)) / (2 + 2) = -1/12
    #   b_u1 = ((0 - 1/3) + (-2 + 1/3)) / 4 = -1/2
    #   b_u2 = ((1 - 0) + (1 + 1/3)) / 4 = 7/12
    mu, user_bias, item_bias = fit_biases(USER, ITEM, RATING, 3, 3, BiasConfig(2.0, 1.0, 1))
    assert mu == 4.0
    np.testing.assert_allclose(item_bias, [1 / 3, 0, -1 / 3], atol=1e-12)
    np.testing.assert_allclose(user_bias, [-1 / 12, -1 / 2, 7 / 12], atol=1e-12)


def test_als_converges_to_the_regularized_least_squares_solution():
    reg_user, reg_item = 2.0, 1.0
    # Normal equations of sum (r - mu - b_u - b_i)^2 + reg_user |b_u|^2 + reg_item |b_i|^2,
    # unknowns x = [b_u0, b_u1, b_u2, b_i0, b_i1, b_i2].
    design = np.zeros((6, 6))
    design[np.arange(6), USER] = 1.0
    design[np.arange(6), 3 + ITEM] = 1.0
    penalty = np.diag([reg_user] * 3 + [reg_item] * 3)
    exact = np.linalg.solve(design.T @ design + penalty, design.T @ (RATING - 4.0))
    _, user_bias, item_bias = fit_biases(
        USER, ITEM, RATING, 3, 3, BiasConfig(reg_user, reg_item, 200)
    )
    np.testing.assert_allclose(np.r_[user_bias, item_bias], exact, atol=1e-10)


def test_bias_predictions_are_clipped_and_unrated_rows_have_no_bias():
    mu, user_bias, item_bias = fit_biases(USER, ITEM, RATING, 4, 4, BiasConfig(0.0, 0.0, 5))
    assert user_bias[3] == 0.0 and item_bias[3] == 0.0
    predicted = predict_biases(mu, user_bias, item_bias, USER, ITEM)
    assert predicted.dtype == np.float32
    assert predicted.min() >= 1.0 and predicted.max() <= 5.0
    assert predict_biases(9.0, user_bias, item_bias, [0], [0])[0] == 5.0


@pytest.mark.parametrize(
    ("user", "item", "rating", "config"),
    [
        (USER[:0], ITEM[:0], RATING[:0], None),
        (USER, ITEM[:5], RATING, None),
        (USER, ITEM, np.where(USER == 0, np.nan, RATING), None),
        (USER + 5, ITEM, RATING, None),
        (USER, ITEM, RATING, BiasConfig(-1.0, 1.0, 1)),
    ],
    ids=["empty", "misaligned", "nan", "index-out-of-range", "negative-reg"],
)
def test_fit_biases_rejects_bad_input(user, item, rating, config):
    with pytest.raises(ValueError):
        fit_biases(user, item, rating, 3, 3, config)


def assert_close(actual: torch.Tensor, expected: torch.Tensor) -> None:
    """Tensors equal to float32 precision (numpy's check: torch's imports for ~1 s)."""
    np.testing.assert_allclose(
        actual.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6
    )


def toy_tensors():
    return (torch.from_numpy(USER), torch.from_numpy(ITEM)), torch.from_numpy(RATING)


def test_funk_svd_forward_is_eq_4():
    torch.manual_seed(0)
    model = FunkSVD(3, 3, embedding_dim=4, global_mean=4.0)
    with torch.no_grad():
        model.user_bias.weight.copy_(torch.tensor([[0.1], [0.2], [0.3]]))
        model.item_bias.weight.copy_(torch.tensor([[-0.5], [0.0], [0.5]]))
    (user, item), _ = toy_tensors()
    p = model.user_embedding.weight[user]
    q = model.item_embedding.weight[item]
    expected = 4.0 + model.user_bias.weight[user, 0] + model.item_bias.weight[item, 0]
    expected = expected + (p * q).sum(1)
    assert_close(model(user, item), expected)


def test_one_sgd_step_is_funks_update_and_touches_only_batch_rows():
    torch.manual_seed(0)
    config = FunkSVDConfig(learning_rate=0.1, reg_factor=0.3, reg_bias=0.2)
    model = FunkSVD(3, 3, embedding_dim=4, global_mean=4.0, init_std=0.5)
    before = {name: value.clone() for name, value in model.state_dict().items()}
    user, item, target = torch.tensor([1]), torch.tensor([2]), torch.tensor([2.0])
    loss, _ = funk_svd_loss(model, user, item, target, config)
    loss.backward()
    for table in (model.user_embedding, model.item_embedding, model.user_bias, model.item_bias):
        assert table.weight.grad.is_sparse
    # The penalty enters only through the batch's rows: every gradient row is 1 or 2.
    assert model.user_embedding.weight.grad.coalesce().indices().tolist() == [[1]]
    assert model.item_embedding.weight.grad.coalesce().indices().tolist() == [[2]]
    torch.optim.SGD(model.parameters(), lr=config.learning_rate).step()

    p, q = before["user_embedding.weight"][1], before["item_embedding.weight"][2]
    b_u, b_i = before["user_bias.weight"][1, 0], before["item_bias.weight"][2, 0]
    error = 2.0 - (4.0 + b_u + b_i + p @ q)
    lr = config.learning_rate
    after = model.state_dict()
    assert_close(after["user_embedding.weight"][1], p + lr * (error * q - 0.3 * p))
    assert_close(after["item_embedding.weight"][2], q + lr * (error * p - 0.3 * q))
    assert_close(after["user_bias.weight"][1, 0], b_u + lr * (error - 0.2 * b_u))
    assert_close(after["item_bias.weight"][2, 0], b_i + lr * (error - 0.2 * b_i))
    for name, rows in (("user", [0, 2]), ("item", [0, 1])):
        for table in (f"{name}_embedding.weight", f"{name}_bias.weight"):
            assert_close(after[table][rows], before[table][rows])


def test_funk_svd_training_loss_falls_and_state_dict_round_trips():
    torch.manual_seed(0)
    config = FunkSVDConfig(
        embedding_dim=4, epochs=30, learning_rate=0.05, lr_decay=1.0, batch_size=2
    )
    model = FunkSVD(3, 3, embedding_dim=4, global_mean=4.0)
    history = fit_funk_svd(model, toy_tensors(), config, monitor=toy_tensors(), show_progress=False)
    losses = [record["train_mse"] for record in history]
    assert len(history) == 30
    assert losses[-1] < 0.5 * losses[0]
    assert history[-1]["monitor_rmse"] < history[0]["monitor_rmse"]
    copy = FunkSVD(3, 3, embedding_dim=4)
    copy.load_state_dict(model.state_dict())
    (user, item), _ = toy_tensors()
    assert_close(copy(user, item), model(user, item))


def tiny_prepared() -> PreparedData:
    """The toy ratings as PreparedData, the last two rows in the test split."""
    return PreparedData(
        movielens=None,
        test_mask=np.array([False, False, False, False, True, True]),
        user_ids=np.array([1, 2, 3], dtype=np.int32),
        item_ids=np.array([10, 20, 30], dtype=np.int32),
        user_index=USER.astype(np.int64),
        item_index=ITEM.astype(np.int64),
        rating=RATING,
        seed=0,
    )


def test_registered_trainers_predict_every_rating():
    data = tiny_prepared()
    for name in ("global_mean", "bias_only", "funk_svd"):
        assert name in TRAINERS
    results = [
        train_global_mean(data),
        train_bias_only(data),
        train_funk_svd(data, FunkSVDConfig(embedding_dim=2, epochs=2), show_progress=False),
    ]
    for result in results:
        assert result.predictions.shape == (6,) and result.predictions.dtype == np.float32
        assert np.isfinite(result.predictions).all()
        assert result.predictions.min() >= 1.0 and result.predictions.max() <= 5.0
    assert results[0].predictions.tolist() == [3.5] * 6  # mean of 5, 3, 4, 2
    assert results[1].config["reg_user"] == BiasConfig().reg_user
    assert len(results[2].history) == 2
