"""Honest baselines on the shared split: global mean, user/item biases, biased MF (FunkSVD).

Three models of rising capacity that every learned model must beat to earn its place:

* **Global mean**: ``r_hat(u, i) = mu``, the mean training rating.
* **Bias only** (Koren 2010, "Factor in the neighbors", sec. 2.1, baseline estimates):
  ``b_ui = mu + b_u + b_i``, fitted in closed form by alternating regularized least
  squares (:func:`fit_biases`), like surprise's ``BaselineOnly(method="als")``.
* **FunkSVD**, biased matrix factorization (Koren, Bell & Volinsky 2009, eq. 4-5):
  ``r_hat(u, i) = mu + b_u + b_i + p_u . q_i``, learned by mini-batch SGD with the
  per-observation L2 penalty of eq. 5 (:class:`FunkSVD`, :func:`fit_funk_svd`).

Indices are rows of the contiguous id maps of :class:`~models.prepare.PreparedData`;
ratings are stars (1..5). Predictions of the bias and MF models are clipped to the rating
scale (1..5), as surprise does, so both libraries are scored the same way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from core.vocabulary import DEFAULT_SEED
from models.evaluate import rmse
from models.train import TrainingError, iterate_batches, predict, progress_bar, set_seed

#: The rating scale predictions are clipped to, stars.
RATING_SCALE = (1.0, 5.0)


def _check_ratings(user: np.ndarray, item: np.ndarray, rating: np.ndarray) -> None:
    if not (user.shape == item.shape == rating.shape) or rating.ndim != 1:
        raise ValueError(
            f"user {user.shape}, item {item.shape} and rating {rating.shape} must be equal "
            "1-D shapes."
        )
    if rating.size == 0:
        raise ValueError("Cannot fit a baseline on zero ratings.")
    if not np.isfinite(rating).all():
        raise ValueError("Ratings must be finite.")


def global_mean(rating: np.ndarray) -> float:
    """The mean training rating ``mu`` in stars (float64 accumulation).

    Raises:
        ValueError: empty or non-finite ``rating``.
    """
    rating = np.asarray(rating, dtype=np.float64)
    if rating.size == 0 or not np.isfinite(rating).all():
        raise ValueError("Need a non-empty, finite array of ratings.")
    return float(rating.mean())


@dataclass(frozen=True)
class BiasConfig:
    """Regularization and iterations of the alternating least squares for ``b_u``, ``b_i``.

    The defaults are surprise's ``BaselineOnly`` ALS defaults (``reg_u=15``, ``reg_i=10``,
    10 iterations). A grid over ``reg_user`` x ``reg_item`` in {5, 10, 15, 25} on the
    validation part of the training rows (:func:`models.split.validation_mask`) found its
    minimum at 5 x 5, only 0.0009 stars of RMSE below these values (0.9127 vs 0.9136), so
    the defaults stay: then our bias-only row and surprise's ``BaselineOnly`` row of the
    benchmark fit the same objective and agree (on the full data, to the last float32
    bit). Ten iterations stop short of the exact fixed point: on the full training rows
    the largest bias is still 0.035 stars from it (surprise stops at the same point).

    Attributes:
        reg_user: lambda of the user biases (a shrinkage count: ``b_u`` acts as if it had
            ``reg_user`` extra ratings at zero deviation), >= 0.
        reg_item: the same for item biases, >= 0.
        n_iterations: alternations (item step, then user step), >= 1.
    """

    reg_user: float = 15.0
    reg_item: float = 10.0
    n_iterations: int = 10

    def to_dict(self) -> dict:
        """The config as a JSON-ready dict."""
        return asdict(self)


def fit_biases(
    user: np.ndarray,
    item: np.ndarray,
    rating: np.ndarray,
    n_users: int,
    n_items: int,
    config: BiasConfig | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Baseline estimates ``mu + b_u + b_i`` by alternating regularized least squares.

    Minimises ``sum (r_ui - mu - b_u - b_i)^2 + reg_user sum b_u^2 + reg_item sum b_i^2``
    (Koren 2010, eq. 1 with one lambda per side) with ``mu`` fixed at the training mean.
    Starting from ``b = 0``, each iteration solves exactly for one side given the other::

        b_i = sum_{u in R(i)} (r_ui - mu - b_u) / (reg_item + |R(i)|)
        b_u = sum_{i in R(u)} (r_ui - mu - b_i) / (reg_user + |R(u)|)

    (items first, as surprise's ``baseline_als``; the first iteration is Koren's sec. 2.1
    decoupled estimate). Users or items without ratings keep a bias of 0.

    Args:
        user: ``int[N]`` user rows in ``[0, n_users)``.
        item: ``int[N]`` item rows in ``[0, n_items)``.
        rating: ``float[N]`` stars.
        n_users, n_items: sizes of the id maps.
        config: regularization and iterations; :class:`BiasConfig` defaults if ``None``.

    Returns:
        ``(mu, user_bias float64[n_users], item_bias float64[n_items])``, stars.

    Raises:
        ValueError: empty, misaligned or non-finite input, out-of-range indices, or
            negative regularization.
    """
    config = config or BiasConfig()
    user, item = np.asarray(user), np.asarray(item)
    rating = np.asarray(rating, dtype=np.float64)
    _check_ratings(user, item, rating)
    if min(config.reg_user, config.reg_item) < 0 or config.n_iterations < 1:
        raise ValueError(f"Need non-negative regularization and >= 1 iteration: {config}.")
    if user.min() < 0 or user.max() >= n_users or item.min() < 0 or item.max() >= n_items:
        raise ValueError("User or item index outside the id maps.")
    mu = float(rating.mean())
    user_count = np.bincount(user, minlength=n_users)
    item_count = np.bincount(item, minlength=n_items)
    user_bias = np.zeros(n_users)
    item_bias = np.zeros(n_items)
    for _ in range(config.n_iterations):
        residual = np.bincount(item, rating - mu - user_bias[user], minlength=n_items)
        item_bias = _shrunk_mean(residual, item_count, config.reg_item)
        residual = np.bincount(user, rating - mu - item_bias[item], minlength=n_users)
        user_bias = _shrunk_mean(residual, user_count, config.reg_user)
    return mu, user_bias, item_bias


def _shrunk_mean(total: np.ndarray, count: np.ndarray, reg: float) -> np.ndarray:
    """``total / (reg + count)``; 0 where both are 0 (no ratings, no evidence, no bias)."""
    denominator = reg + count
    return np.divide(total, denominator, out=np.zeros_like(total), where=denominator > 0)


def predict_biases(
    mu: float, user_bias: np.ndarray, item_bias: np.ndarray, user: np.ndarray, item: np.ndarray
) -> np.ndarray:
    """``clip(mu + b_u + b_i, 1, 5)`` for each ``(user, item)`` pair: ``float32[N]`` stars."""
    estimate = mu + user_bias[np.asarray(user)] + item_bias[np.asarray(item)]
    return np.clip(estimate, *RATING_SCALE).astype(np.float32)


class FunkSVD(nn.Module):
    """Biased matrix factorization (Koren, Bell & Volinsky 2009, eq. 4).

    ``r_hat(u, i) = mu + b_u + b_i + p_u . q_i`` with ``mu`` the training mean (a fixed
    buffer, not learned), ``b_u``/``b_i`` learned biases and ``p_u``/``q_i`` learned factor
    vectors. Factors start i.i.d. Normal(0, ``init_std``), biases at 0 (as surprise's SVD).

    Args:
        n_users: rows of the user tables, > 0.
        n_items: rows of the item tables, > 0.
        embedding_dim: latent factors per user and item, > 0.
        global_mean: ``mu``, stars.
        init_std: standard deviation of the initial factors, >= 0.
        sparse: sparse gradients, so each SGD step moves only the rows its batch touches.

    :meth:`forward`: ``(user LongTensor[B], item LongTensor[B]) -> FloatTensor[B]``,
    unclipped stars. :meth:`penalty`: the per-observation squared norms of eq. 5.

    Raises:
        ValueError: non-positive sizes or a negative ``init_std``.
    """

    def __init__(
        self,
        n_users: int,
        n_items: int,
        embedding_dim: int = 128,
        global_mean: float = 0.0,
        init_std: float = 0.1,
        sparse: bool = True,
    ) -> None:
        super().__init__()
        if min(n_users, n_items, embedding_dim) <= 0:
            raise ValueError("n_users, n_items and embedding_dim must be positive.")
        if init_std < 0:
            raise ValueError(f"init_std must be >= 0, got {init_std}.")
        self.register_buffer("global_bias", torch.tensor(float(global_mean)))
        self.user_embedding = nn.Embedding(n_users, embedding_dim, sparse=sparse)
        self.item_embedding = nn.Embedding(n_items, embedding_dim, sparse=sparse)
        self.user_bias = nn.Embedding(n_users, 1, sparse=sparse)
        self.item_bias = nn.Embedding(n_items, 1, sparse=sparse)
        nn.init.normal_(self.user_embedding.weight, std=init_std)
        nn.init.normal_(self.item_embedding.weight, std=init_std)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, user: torch.Tensor, item: torch.Tensor) -> torch.Tensor:
        """Predicted ratings ``FloatTensor[B]`` (stars, unclipped)."""
        dot = (self.user_embedding(user) * self.item_embedding(item)).sum(dim=1)
        biases = self.user_bias(user).squeeze(1) + self.item_bias(item).squeeze(1)
        return self.global_bias + biases + dot

    def penalty(self, user: torch.Tensor, item: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-observation squared norms ``(||p_u||^2 + ||q_i||^2, b_u^2 + b_i^2)``.

        Each is ``FloatTensor[B]``; only the rows of this batch enter, so the gradient of
        the penalty touches only them (eq. 5 sums the penalty over observed ratings).
        """
        factors = self.user_embedding(user).square().sum(1) + self.item_embedding(
            item
        ).square().sum(1)
        biases = self.user_bias(user).square().squeeze(1) + self.item_bias(item).square().squeeze(1)
        return factors, biases


@dataclass(frozen=True)
class FunkSVDConfig:
    """Hyper-parameters of :func:`fit_funk_svd` (saved with the artifacts).

    The learning rate and the lambdas mean what they mean in Funk's and surprise's SGD:
    a rating seen once moves ``p_u`` by ``lr * (e_ui q_i - reg_factor p_u)``.

    The defaults were chosen by validation RMSE: trained on the training rows minus a 5%
    validation part (:func:`models.split.validation_mask`, seed 43), scored on that part;
    the test split played no role. Validation RMSE (stars) after the last epoch:

    ===  ======  =====  =====  ======  ======
    k    reg     lr     decay  epochs  RMSE
    ===  ======  =====  =====  ======  ======
    128  0.05    0.01   0.92   30      0.8633
    128  0.08    0.01   0.92   30      0.8810
    128  0.04    0.005  1.0    30      0.8562
    128  0.04    0.01   0.97   40      0.8569 (best 0.8553 at epoch 27)
    256  0.05    0.01   0.96   30      0.8530
    256  0.06    0.012  0.96   30      0.8521
    256  0.07    0.015  0.96   40      0.8520
    256  0.06    0.012  0.97   40      0.8500 (chosen)
    ===  ======  =====  =====  ======  ======

    More factors need more regularization and more steps; the last rows had flattened out
    (0.0002 per epoch at the end). ``reg_bias`` 0.01, ``init_std`` 0.1 (surprise's) and
    batches of 256 were not searched. On 2 CPU cores an epoch over 900k ratings takes
    3-5 s, so a fit takes 2-3 minutes.

    Attributes:
        embedding_dim: latent factors ``k``.
        epochs: passes over the training rows.
        learning_rate: SGD step at epoch 1.
        lr_decay: the step is multiplied by this after each epoch, in (0, 1].
        reg_factor: lambda on ``||p_u||^2 + ||q_i||^2`` per observation.
        reg_bias: lambda on ``b_u^2 + b_i^2`` per observation.
        init_std: standard deviation of the initial factors.
        batch_size: ratings per SGD step.
        seed: seeds the initialisation and the batch order.
    """

    embedding_dim: int = 256
    epochs: int = 40
    learning_rate: float = 0.012
    lr_decay: float = 0.97
    reg_factor: float = 0.06
    reg_bias: float = 0.01
    init_std: float = 0.1
    batch_size: int = 256
    seed: int = DEFAULT_SEED

    def to_dict(self) -> dict:
        """The config as a JSON-ready dict."""
        return asdict(self)


def funk_svd_loss(
    model: FunkSVD,
    user: torch.Tensor,
    item: torch.Tensor,
    target: torch.Tensor,
    config: FunkSVDConfig,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Eq. 5 over one batch, halved: ``sum e^2 / 2 + reg/2 * norms``; and the summed ``e^2``.

    Summing (not averaging) over the batch and halving make a plain SGD step equal to the
    per-rating update of Funk's SGD for a row the batch touches once.
    """
    error = target - model(user, item)
    factors, biases = model.penalty(user, item)
    squared = error.square().sum()
    loss = 0.5 * (squared + config.reg_factor * factors.sum() + config.reg_bias * biases.sum())
    return loss, squared.detach()


def fit_funk_svd(
    model: FunkSVD,
    train: tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor],
    config: FunkSVDConfig,
    monitor: tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    show_progress: bool = True,
    on_epoch_end: Callable[[int, dict], None] | None = None,
) -> list[dict]:
    """Train ``model`` in place by mini-batch SGD with per-observation L2 (eq. 5).

    Args:
        model: a :class:`FunkSVD` (sparse tables recommended: dense ones work, slower).
        train: ``((user LongTensor[N], item LongTensor[N]), rating FloatTensor[N])``.
        config: hyper-parameters; ``config.seed`` fixes the batch order.
        monitor: rows whose RMSE (of clipped predictions) is recorded after each epoch,
            or ``None``. It never steers training.
        show_progress: draw a tqdm bar.
        on_epoch_end: called with ``(epoch, record)`` after each epoch.

    Returns:
        One dict per epoch: ``epoch`` (1-based), ``learning_rate``, ``train_mse`` (mean
        squared error of the batches as they were trained), ``monitor_rmse`` when
        ``monitor`` is given, ``seconds``.

    Raises:
        TrainingError: no training rows, or a non-finite loss (lower the learning rate).
    """
    (user, item), target = train
    if len(target) == 0:
        raise TrainingError("No training rows.")
    generator = set_seed(config.seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate)
    history: list[dict] = []
    with progress_bar(config.epochs, "FunkSVD", show_progress, unit="epoch") as bar:
        for epoch in range(1, config.epochs + 1):
            start = time.perf_counter()
            learning_rate = config.learning_rate * config.lr_decay ** (epoch - 1)
            for group in optimizer.param_groups:
                group["lr"] = learning_rate
            total = _sgd_epoch(model, optimizer, (user, item), target, config, generator)
            if not math.isfinite(total):
                raise TrainingError(f"Non-finite loss in epoch {epoch}: lower the learning rate.")
            record = {"epoch": epoch, "learning_rate": learning_rate}
            record.update(train_mse=total / len(target), **_monitor_rmse(model, monitor))
            record["seconds"] = time.perf_counter() - start
            history.append(record)
            bar.update(1)
            bar.set_postfix(
                {k: f"{v:.4f}" for k, v in record.items() if k.endswith(("mse", "rmse"))}
            )
            if on_epoch_end is not None:
                on_epoch_end(epoch, record)
    return history


def _monitor_rmse(model: FunkSVD, monitor) -> dict:
    """``{"monitor_rmse"}`` of the clipped predictions on the monitored rows (``{}``: none)."""
    if monitor is None:
        return {}
    predicted = np.clip(predict(model, monitor[0]), *RATING_SCALE)
    return {"monitor_rmse": rmse(monitor[1].numpy(), predicted)}


def _sgd_epoch(
    model: FunkSVD,
    optimizer: torch.optim.Optimizer,
    inputs: tuple[torch.Tensor, torch.Tensor],
    target: torch.Tensor,
    config: FunkSVDConfig,
    generator: torch.Generator,
) -> float:
    """One pass of mini-batch SGD in a seeded order; returns the summed squared error."""
    model.train()
    (user, item), total = inputs, 0.0
    for rows in iterate_batches(len(target), config.batch_size, generator):
        loss, squared = funk_svd_loss(model, user[rows], item[rows], target[rows], config)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += squared.item()
    return total
