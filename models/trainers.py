"""One function per model that trains it on the training split and predicts every rating.

Each trainer takes the :class:`~models.prepare.PreparedData` and returns a
:class:`TrainedModel`; the pipeline (:mod:`models.pipeline`) picks trainers by name from
:data:`TRAINERS` and hands the results to :mod:`models.export`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from models.embedding_mf import EmbeddingMF
from models.prepare import PreparedData
from models.train import TrainConfig, fit, predict, set_seed


@dataclass
class TrainedModel:
    """What a trainer hands to the exporter.

    Attributes:
        name: registry key, e.g. ``"embedding_mf"``.
        predictions: ``float32[N]`` predicted stars for every rating in file order (train
            and test rows), finite.
        history: per-epoch records from :func:`models.train.fit` (empty for closed forms).
        config: hyper-parameters as a JSON-ready dict.
        fit_seconds: wall time of fitting, seconds.
        arrays: compact weights to export, name -> array (e.g. ``item_embedding``).
    """

    name: str
    predictions: np.ndarray
    history: list[dict]
    config: dict
    fit_seconds: float
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


#: The article's settings for EmbeddingMF (section 6); batch size 64 as in fastai's default.
EMBEDDING_MF_CONFIG = TrainConfig(
    epochs=15, learning_rate=0.005, weight_decay=0.1, batch_size=64, embedding_dim=128
)


def train_embedding_mf(
    data: PreparedData, config: TrainConfig | None = None, show_progress: bool = True
) -> TrainedModel:
    """Train :class:`~models.embedding_mf.EmbeddingMF` on the training split.

    The test split is monitored (RMSE after each epoch, in the progress bar and history)
    but never used to choose anything.
    """
    config = config or replace(EMBEDDING_MF_CONFIG, seed=data.seed)
    set_seed(config.seed)
    model = EmbeddingMF(len(data.user_ids), len(data.item_ids), config.embedding_dim, sparse=False)
    start = time.perf_counter()
    history = fit(
        model,
        data.tensors(data.train_mask),
        data.tensors(data.test_mask),
        config,
        name="EmbeddingMF",
        show_progress=show_progress,
    )
    fit_seconds = time.perf_counter() - start
    inputs, _ = data.tensors(np.ones_like(data.test_mask))
    with torch.no_grad():
        arrays = {
            "user_ids": data.user_ids,
            "item_ids": data.item_ids,
            "user_embedding": model.user_embedding.weight.numpy().astype(np.float16),
            "user_bias": model.user_bias.weight.numpy()[:, 0].astype(np.float32),
            "item_embedding": model.item_embedding.weight.numpy().astype(np.float16),
            "item_bias": model.item_bias.weight.numpy()[:, 0].astype(np.float32),
        }
    return TrainedModel(
        name="embedding_mf",
        predictions=predict(model, inputs),
        history=history,
        config={**config.to_dict(), "rating_range": list(model.rating_range)},
        fit_seconds=fit_seconds,
        arrays=arrays,
    )


Trainer = Callable[..., TrainedModel]

#: Registry of trainers, in the order the pipeline runs them.
TRAINERS: dict[str, Trainer] = {
    "embedding_mf": train_embedding_mf,
}
