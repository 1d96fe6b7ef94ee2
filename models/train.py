"""A short training loop shared by every PyTorch model: seeded, with a progress bar.

Models take a tuple of input tensors (``model(*inputs)``) and return predicted ratings
``FloatTensor[B]``; the loss is the mean squared error against the true stars.

Weight decay is decoupled from the gradient (Loshchilov & Hutter 2019, AdamW): plain
``Adam(weight_decay=...)`` adds the decay to the gradient, where Adam's normalisation turns
it into a full-size step towards zero for every row in every batch, wiping out the
embeddings of rarely rated movies. The article's models (EmbeddingMF and DeepFM, see
:mod:`models.trainers`) have dense tables and train with ``torch.optim.AdamW``.
:class:`SparseAdamW` serves tables built with sparse gradients
(``nn.Embedding(sparse=True)``), decaying only the rows a batch touched; no production
model uses it.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from core.vocabulary import DEFAULT_SEED
from models.evaluate import mse


class TrainingError(RuntimeError):
    """Training diverged (a non-finite loss) or was given unusable input."""


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run (saved with the artifacts).

    Attributes:
        epochs: passes over the training rows, >= 1.
        learning_rate: peak learning rate of the one-cycle schedule (Smith 2018).
        weight_decay: decoupled weight decay per step, multiplied by the learning rate
            (and by ``decay_batch_scale``).
        batch_size: ratings per step, >= 1.
        seed: seeds python, numpy and torch, and the batch order.
        embedding_dim: latent factors per user/item (or per field value for DeepFM).
        decay_batch_scale: multiplies ``weight_decay`` in every optimizer step, > 0.
            AdamW decays once per step, so a batch 64 times larger takes 64 times fewer
            decay steps per epoch and regularises less; this scale restores the decay a
            stated ``weight_decay`` was meant to give at a smaller batch (chosen on
            validation rows, see ``models.trainers.EMBEDDING_MF_CONFIG``).
        threads: torch CPU threads while fitting, >= 1; ``None`` keeps the process's
            setting (the pipeline's and benchmark's ``--threads``, default 1). Results are
            reproducible for a given thread count on a given machine.

    Raises:
        ValueError: ``decay_batch_scale`` is not a positive number, or ``threads`` < 1.
    """

    epochs: int = 15
    learning_rate: float = 0.005
    weight_decay: float = 0.1
    batch_size: int = 1024
    seed: int = DEFAULT_SEED
    embedding_dim: int = 128
    decay_batch_scale: float = 1.0
    threads: int | None = None

    def __post_init__(self) -> None:
        if not self.decay_batch_scale > 0:  # also refuses NaN
            raise ValueError(f"decay_batch_scale must be > 0, got {self.decay_batch_scale}.")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"threads must be >= 1, got {self.threads}.")

    def to_dict(self) -> dict:
        """The config as a JSON-ready dict."""
        return asdict(self)


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """Run the block with ``threads`` torch CPU threads (``None``: unchanged), then restore."""
    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def set_seed(seed: int) -> torch.Generator:
    """Seed python, numpy and torch; return a torch generator for the batch order."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


class SparseAdamW(torch.optim.SparseAdam):
    """Lazy Adam for sparse embedding gradients with decoupled, row-wise weight decay.

    After Adam's step (which, like ``torch.optim.SparseAdam``, only moves the rows that
    have a gradient), each of those rows is multiplied by ``1 - lr * weight_decay``. Rows a
    batch does not touch keep their values, so a movie rated once in training keeps what
    it learned from that rating.

    Args:
        params: parameters whose gradients are sparse (``nn.Embedding(sparse=True)``).
        lr: learning rate.
        weight_decay: decoupled decay factor per step, >= 0.
        betas, eps: as in Adam.
    """

    def __init__(self, params, lr: float = 1e-3, weight_decay: float = 0.0, **kwargs) -> None:
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}.")
        super().__init__(params, lr=lr, **kwargs)
        for group in self.param_groups:
            group["weight_decay"] = weight_decay

    @torch.no_grad()
    def step(self, closure=None):
        """One Adam step on the touched rows, then their decoupled decay."""
        touched = []
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is not None:
                    rows = param.grad.coalesce().indices()[0]
                    touched.append((param, rows, group["lr"] * group["weight_decay"]))
        loss = super().step(closure)
        for param, rows, decay in touched:
            if decay:
                param.index_copy_(0, rows, param.index_select(0, rows) * (1.0 - decay))
        return loss


def make_optimizers(
    model: nn.Module, learning_rate: float, weight_decay: float
) -> list[torch.optim.Optimizer]:
    """SparseAdamW for sparse embedding tables, AdamW for every other parameter."""
    sparse, dense = [], []
    for module in model.modules():
        own = list(module.parameters(recurse=False))
        is_sparse = isinstance(module, nn.Embedding | nn.EmbeddingBag) and module.sparse
        (sparse if is_sparse else dense).extend(own)
    optimizers: list[torch.optim.Optimizer] = []
    if sparse:
        optimizers.append(SparseAdamW(sparse, lr=learning_rate, weight_decay=weight_decay))
    if dense:
        optimizers.append(
            torch.optim.AdamW(dense, lr=learning_rate, weight_decay=weight_decay, fused=True)
        )
    return optimizers


def iterate_batches(
    n_rows: int, batch_size: int, generator: torch.Generator | None = None
) -> Iterator[torch.Tensor]:
    """Row indices in batches: shuffled by ``generator``, in order when it is ``None``."""
    if n_rows <= 0 or batch_size <= 0:
        raise TrainingError(f"Need rows and a positive batch size, got {n_rows}, {batch_size}.")
    order = torch.randperm(n_rows, generator=generator) if generator else torch.arange(n_rows)
    yield from order.split(batch_size)


@torch.no_grad()
def predict(
    model: nn.Module, inputs: Sequence[torch.Tensor], batch_size: int = 65536
) -> np.ndarray:
    """Predicted ratings for all rows of ``inputs`` in eval mode: ``float32[N]``."""
    model.eval()
    parts = [
        model(*(tensor[rows] for tensor in inputs))
        for rows in iterate_batches(len(inputs[0]), batch_size)
    ]
    return torch.cat(parts).numpy().astype(np.float32)


def train_epoch(
    model: nn.Module,
    inputs: Sequence[torch.Tensor],
    target: torch.Tensor,
    optimizers: Sequence[torch.optim.Optimizer],
    schedulers: Sequence[torch.optim.lr_scheduler.LRScheduler],
    batch_size: int,
    generator: torch.Generator,
    progress: tqdm | None = None,
) -> float:
    """One pass over the rows in a seeded random order; returns the mean training MSE.

    Raises:
        TrainingError: a batch's loss is NaN or infinite.
    """
    model.train()
    total, count = 0.0, 0
    for rows in iterate_batches(len(target), batch_size, generator):
        prediction = model(*(tensor[rows] for tensor in inputs))
        loss = nn.functional.mse_loss(prediction, target[rows])
        if not torch.isfinite(loss):
            raise TrainingError(
                f"Non-finite loss ({loss.item()}) after {count} rows: lower the learning "
                "rate or check the inputs."
            )
        for optimizer in optimizers:
            optimizer.zero_grad(set_to_none=True)
        loss.backward()
        for optimizer in optimizers:
            optimizer.step()
        for scheduler in schedulers:
            scheduler.step()
        total += loss.item() * len(rows)
        count += len(rows)
        if progress is not None:
            progress.update(len(rows))
    return total / count


def fit(
    model: nn.Module,
    train: tuple[Sequence[torch.Tensor], torch.Tensor],
    monitor: tuple[Sequence[torch.Tensor], torch.Tensor] | None,
    config: TrainConfig,
    name: str = "model",
    show_progress: bool = True,
    on_epoch_end: Callable[[int, dict], None] | None = None,
    monitor_label: str = "test_rmse",
) -> list[dict]:
    """Train ``model`` in place with MSE, one-cycle learning rate and decoupled decay.

    Args:
        model: maps ``*inputs`` (tensors of shape ``[B, ...]``) to ratings ``[B]``.
        train: ``(inputs, target)``, target ``FloatTensor[N]`` in stars.
        monitor: rows whose RMSE is reported after each epoch (shown in the progress bar
            and stored in the history; it never steers training), or ``None``.
        config: hyper-parameters; ``config.seed`` fixes the batch order and dropout
            (seed before building the model too, for its initialisation);
            ``config.threads`` the torch threads while fitting.
        name, show_progress: label of the tqdm bar, and whether to draw it.
        on_epoch_end: called with ``(epoch, record)`` after each epoch.
        monitor_label: the monitored RMSE's name in the bar (``"valid_rmse"``, say).

    Returns:
        One dict per epoch: ``epoch`` (1-based), ``train_mse``, and ``monitor_mse`` /
        ``monitor_rmse`` when ``monitor`` is given, plus ``seconds``.

    Raises:
        TrainingError: a non-finite loss, or empty training rows.
    """
    inputs, target = train
    if len(target) == 0:
        raise TrainingError("No training rows.")
    generator = set_seed(config.seed)
    decay = config.weight_decay * config.decay_batch_scale
    optimizers = make_optimizers(model, config.learning_rate, decay)
    schedulers = one_cycle_schedulers(optimizers, config, len(target))
    history: list[dict] = []
    bar = progress_bar(config.epochs * len(target), name, show_progress)
    with torch_threads(config.threads), bar:
        for epoch in range(1, config.epochs + 1):
            start = time.perf_counter()
            train_mse = train_epoch(
                model, inputs, target, optimizers, schedulers, config.batch_size, generator, bar
            )
            record = {"epoch": epoch, "train_mse": train_mse, **monitor_record(model, monitor)}
            record["seconds"] = time.perf_counter() - start
            history.append(record)
            rmse = record.get("monitor_rmse")
            shown = {monitor_label: f"{rmse:.4f}"} if rmse is not None else {}
            bar.set_postfix(epoch=f"{epoch}/{config.epochs}", loss=f"{train_mse:.4f}", **shown)
            if on_epoch_end is not None:
                on_epoch_end(epoch, record)
    return history


def progress_bar(total: int, name: str, show: bool, unit: str = "rating") -> tqdm:
    """A tqdm bar over ``total`` units (hidden unless ``show``), redrawn at most once a second."""
    return tqdm(
        total=total, unit=unit, unit_scale=True, desc=name, disable=not show, mininterval=1.0
    )


def one_cycle_schedulers(
    optimizers: Sequence[torch.optim.Optimizer], config: TrainConfig, n_rows: int
) -> list[torch.optim.lr_scheduler.OneCycleLR]:
    """One-cycle learning rate (Smith 2018) over all steps of ``config.epochs`` epochs."""
    steps = config.epochs * math.ceil(n_rows / config.batch_size)
    return [
        torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=config.learning_rate, total_steps=steps
        )
        for optimizer in optimizers
    ]


def monitor_record(
    model: nn.Module, monitor: tuple[Sequence[torch.Tensor], torch.Tensor] | None
) -> dict:
    """``{"monitor_mse", "monitor_rmse"}`` of ``model`` on the monitored rows (``{}``: none).

    Computed by :func:`models.evaluate.mse` (float64), the metric the exporter records.
    """
    if monitor is None:
        return {}
    monitor_mse = mse(monitor[1].numpy(), predict(model, monitor[0]))
    return {"monitor_mse": monitor_mse, "monitor_rmse": math.sqrt(monitor_mse)}
