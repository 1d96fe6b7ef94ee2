"""One function per model that trains it on the training split and predicts every rating.

Each trainer takes the :class:`~models.prepare.PreparedData` and returns a
:class:`~models.trained.TrainedModel`; the pipeline (:mod:`models.pipeline`) picks trainers
by name from :data:`TRAINERS` and hands the results to :mod:`models.export`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import torch

from models.baselines import (
    RATING_SCALE,
    BiasConfig,
    FunkSVD,
    FunkSVDConfig,
    fit_biases,
    fit_funk_svd,
    global_mean,
    predict_biases,
)
from models.bayes_fm import train_bayes_fm
from models.deepfm import DeepFM
from models.embedding_mf import EmbeddingMF
from models.features import build_features
from models.prepare import PreparedData
from models.split import validation_mask
from models.train import TrainConfig, fit, predict, set_seed
from models.trained import TrainedModel
from models.weight_selection import BestEpoch, ChosenWeights, EpochAverages, choose_weights

#: The article's settings for EmbeddingMF (section 6): 128 factors, lr 0.005, decoupled
#: weight decay 0.1, 15 epochs. The article leaves the batch size open, and with decoupled
#: decay it matters: AdamW decays every row once per step, so fewer, larger batches
#: regularise less. Batch 128 (seed 19) reached test RMSE 0.8413 (MSE 0.708, the article's
#: 0.71) but took 195 s quiet / 573 s under load on 2 cores (~7,000 dense Adam steps an
#: epoch); batch 256 gave 0.864 and 1,024 overfit (0.93, split seed 42). Batch 8192 takes
#: 110 steps an epoch, and ``decay_batch_scale`` multiplies the decay per step to make up
#: for the 64x fewer steps. Chosen on validation rows only (5% of the training rows,
#: ``validation_mask(train, 0.05, seed + 1)``; RMSE after 15 epochs, one thread, split
#: seed 19): batch 8192 with scale 1 -> 0.944 (overfits after epoch 4), 4 -> 0.882,
#: 8 -> 0.849, 10 -> 0.843, 12 -> 0.8415, 14 -> 0.842, 16 -> 0.845, 32 -> 0.887, 64 (the
#: same decay per epoch as batch 128) -> 0.949; batch 4096 with scale 6 -> 0.849, 8 ->
#: 0.842 at twice the steps. Sparse lazy-Adam updates (``SparseAdamW``) were slower and
#: worse (8192, scale 8: 0.854); batch 16384 with scale 20 gave 0.845. 15 epochs take
#: ~15 s on one quiet thread.
EMBEDDING_MF_CONFIG = TrainConfig(
    epochs=15,
    learning_rate=0.005,
    weight_decay=0.1,
    batch_size=8192,
    embedding_dim=128,
    decay_batch_scale=12.0,
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
    arrays = _factor_arrays(data, model)
    return TrainedModel(
        name="embedding_mf",
        predictions=predict(model, inputs),
        history=history,
        config={**config.to_dict(), "rating_range": list(model.rating_range)},
        fit_seconds=fit_seconds,
        arrays=arrays,
    )


#: DeepFM (section 7) with the article's settings: 128-dim latent vectors, 100 epochs,
#: batch size 2048, MSE and dropout 0.5; the weights of the epoch with the best RMSE on a
#: validation part of the training rows are kept. Learning rate and weight decay were
#: chosen on that validation part (10-epoch runs, lr/decay 0.002/0.1 -> best RMSE 0.854,
#: 0.005/0.1 -> 0.867 then overfitting, 0.002/0.5 -> 0.849, 0.002/2.0 -> 0.874).
#: Speed (the article leaves it open; measured on this project's 2-core AMD EPYC, wall ms
#: per step, quiet machine): the first version took 37.6 ms on one thread; one lookup for
#: all fields, dropout from random bytes and fused AdamW gave 22-25 ms; the FM term's
#: written-out gradient and the order-1 weights gathered by ``index_select`` 20 ms; the
#: deep component's products in bfloat16 (:data:`DEEPFM_MIXED_PRECISION`) 16 ms; and a
#: second thread 11-13 ms, so 100 epochs (41,800 steps) fit in about 500-550 s.
DEEPFM_CONFIG = TrainConfig(
    epochs=100,
    learning_rate=0.002,
    weight_decay=0.5,
    batch_size=2048,
    embedding_dim=128,
    threads=2,
)
#: Hidden widths of DeepFM's deep component (the paper's 400-400-400 costs ~6x more on CPU).
DEEPFM_HIDDEN_DIMS = (128, 64)
#: Dropout after each hidden layer (the paper and the article: 0.5).
DEEPFM_DROPOUT = 0.5
#: Deep component trained with bfloat16 matrix products (weights and evaluation float32).
DEEPFM_MIXED_PRECISION = True
#: Weight averages over the last n epochs that compete with the best single epoch on the
#: validation rows (:mod:`models.weight_selection`): the validation RMSE wobbles by about
#: 0.002 from one epoch to the next over the last 40 epochs.
DEEPFM_AVERAGE_WINDOWS = (10, 20, 40)
#: Share of the training rows held out to pick the weights (never the test rows).
DEEPFM_VALIDATION_FRACTION = 0.05


def train_deepfm(
    data: PreparedData, config: TrainConfig | None = None, show_progress: bool = True
) -> TrainedModel:
    """Train :class:`~models.deepfm.DeepFM` on the training split, selecting on validation.

    :data:`DEEPFM_VALIDATION_FRACTION` of the training rows
    (:func:`models.split.validation_mask`) are held out; the model trains on the rest, its
    validation RMSE is measured after every epoch, and the weights kept are those of the
    best epoch or the mean of the last 10, 20 or 40 epochs' weights, whichever has the
    lowest validation RMSE (:mod:`models.weight_selection`; the test split is never looked
    at). ``w_0``
    starts at the mean training rating. The fields are user, movie, genres (multi-hot) and
    occupation (:func:`models.features.build_features`).

    Returns:
        A :class:`TrainedModel` named ``"deepfm"``: ``float32`` predictions for every
        rating; ``config`` adds the architecture, the validation share, ``best_epoch``,
        ``kept_epochs`` (first and last epoch averaged), ``weights`` (their description),
        ``validation_rmse`` and every candidate's; ``arrays`` holds every weight
        (:func:`deepfm_arrays`), which :class:`core.deepfm.DeepFMWeights` scores with numpy.

    Raises:
        models.train.TrainingError: training diverged.
    """
    config = config or replace(DEEPFM_CONFIG, seed=data.seed)
    features = build_features(data)
    validation = validation_mask(data.train_mask, DEEPFM_VALIDATION_FRACTION, config.seed + 1)
    fitting = data.train_mask & ~validation
    target = torch.from_numpy(data.rating)
    set_seed(config.seed)
    model = _build_deepfm(features, config, mean_rating=float(data.rating[fitting].mean()))
    best = BestEpoch(model)
    averages = EpochAverages(model, config.epochs, DEEPFM_AVERAGE_WINDOWS)
    monitor = (features.tensors(validation), target[validation])
    start = time.perf_counter()
    history = fit(
        model,
        (features.tensors(fitting), target[fitting]),
        monitor,
        config,
        name="DeepFM",
        show_progress=show_progress,
        monitor_label="valid_rmse",
        on_epoch_end=lambda epoch, record: (best(epoch, record), averages(epoch, record)),
    )
    chosen = choose_weights(model, best, averages, monitor)
    fit_seconds = time.perf_counter() - start
    return TrainedModel(
        name="deepfm",
        predictions=predict(model, features.tensors(np.ones_like(data.test_mask))),
        history=history,
        config=_deepfm_record(config, features, best, chosen),
        fit_seconds=fit_seconds,
        arrays=deepfm_arrays(model, data.user_ids, data.item_ids),
    )


def _deepfm_record(config: TrainConfig, features, best: BestEpoch, chosen: ChosenWeights) -> dict:
    """DeepFM's settings for the manifest: config, architecture and the chosen weights."""
    return {
        **config.to_dict(),
        "hidden_dims": list(DEEPFM_HIDDEN_DIMS),
        "dropout": DEEPFM_DROPOUT,
        "mixed_precision": DEEPFM_MIXED_PRECISION,
        "field_dims": list(features.layout.field_dims),
        "validation_fraction": DEEPFM_VALIDATION_FRACTION,
        "best_epoch": best.epoch,
        **chosen.to_dict(),
    }


def _build_deepfm(features, config: TrainConfig, mean_rating: float) -> DeepFM:
    """DeepFM over ``features``' fields with the article's architecture, ``w_0`` at the mean."""
    return DeepFM(
        features.layout.field_dims,
        config.embedding_dim,
        DEEPFM_HIDDEN_DIMS,
        DEEPFM_DROPOUT,
        padding_idx=features.layout.padding_index,
        mean_rating=mean_rating,
        sparse=False,
        mixed_precision=DEEPFM_MIXED_PRECISION,
    )


#: Storage type of DeepFM's latent vectors: float16 halves the file (2.5 MB); see
#: ``scripts/export_deepfm_weights.py`` for what it changes in the predictions.
DEEPFM_EMBEDDING_DTYPE = np.float16


@torch.no_grad()
def deepfm_arrays(model: DeepFM, user_ids: np.ndarray, item_ids: np.ndarray) -> dict:
    """Every weight of a trained DeepFM as numpy arrays, for the exporter.

    Args:
        model: the trained module (its padding row lies in the genres field).
        user_ids: ``int32[d_0]`` MovieLens ids of the user field's rows.
        item_ids: ``int32[d_1]`` MovieLens ids of the movie field's rows.

    Returns:
        name -> array, the names :meth:`core.deepfm.DeepFMWeights.from_arrays` reads:
        ``field_dims`` int64, ``user_ids``/``item_ids`` int32, ``embedding``
        (:data:`DEEPFM_EMBEDDING_DTYPE` ``[sum(field_dims), k]``), ``linear`` float32,
        ``global_bias`` float32[1], ``hidden_<n>_weight``/``hidden_<n>_bias`` and
        ``output_weight``/``output_bias`` float32 in ``nn.Linear``'s ``[out, in]`` layout.
    """
    linear_layers = [layer for layer in model.mlp if isinstance(layer, torch.nn.Linear)]
    *hidden, output = linear_layers
    arrays = {
        "field_dims": np.asarray(model.field_dims, dtype=np.int64),
        "user_ids": np.asarray(user_ids, dtype=np.int32),
        "item_ids": np.asarray(item_ids, dtype=np.int32),
        "embedding": model.embedding.weight.numpy().astype(DEEPFM_EMBEDDING_DTYPE),
        "linear": model.linear.weight[:, 0].numpy().astype(np.float32),
        "global_bias": model.global_bias.reshape(1).numpy().astype(np.float32),
        "output_weight": output.weight.numpy().astype(np.float32),
        "output_bias": output.bias.numpy().astype(np.float32),
    }
    for number, layer in enumerate(hidden, start=1):
        arrays[f"hidden_{number}_weight"] = layer.weight.numpy().astype(np.float32)
        arrays[f"hidden_{number}_bias"] = layer.bias.numpy().astype(np.float32)
    return arrays


Trainer = Callable[..., TrainedModel]

#: Registry of trainers, in the order the pipeline runs them.
TRAINERS: dict[str, Trainer] = {
    "embedding_mf": train_embedding_mf,
    "deepfm": train_deepfm,
}


# --- Baselines (models.baselines): the bars every learned model must clear ----------------


@torch.no_grad()
def _factor_arrays(data: PreparedData, model: torch.nn.Module) -> dict[str, np.ndarray]:
    """Id maps, float16 embeddings and float32 biases of an MF model, for the exporter."""
    return {
        "user_ids": data.user_ids,
        "item_ids": data.item_ids,
        "user_embedding": model.user_embedding.weight.numpy().astype(np.float16),
        "user_bias": model.user_bias.weight.numpy()[:, 0].astype(np.float32),
        "item_embedding": model.item_embedding.weight.numpy().astype(np.float16),
        "item_bias": model.item_bias.weight.numpy()[:, 0].astype(np.float32),
    }


def train_global_mean(data: PreparedData, show_progress: bool = True) -> TrainedModel:
    """Predict the training mean for every rating (``show_progress`` is ignored)."""
    start = time.perf_counter()
    mu = global_mean(data.rating[data.train_mask])
    fit_seconds = time.perf_counter() - start
    return TrainedModel(
        name="global_mean",
        predictions=np.full(len(data.rating), mu, dtype=np.float32),
        history=[],
        config={"global_mean": mu},
        fit_seconds=fit_seconds,
    )


def train_bias_only(
    data: PreparedData, config: BiasConfig | None = None, show_progress: bool = True
) -> TrainedModel:
    """Baseline estimates ``mu + b_u + b_i`` (Koren 2010, sec. 2.1) by closed-form ALS.

    See :func:`models.baselines.fit_biases` and :class:`~models.baselines.BiasConfig` for
    the regularization; predictions are clipped to 1..5 stars.
    """
    config = config or BiasConfig()
    train = data.train_mask
    start = time.perf_counter()
    mu, user_bias, item_bias = fit_biases(
        data.user_index[train],
        data.item_index[train],
        data.rating[train],
        len(data.user_ids),
        len(data.item_ids),
        config,
    )
    fit_seconds = time.perf_counter() - start
    return TrainedModel(
        name="bias_only",
        predictions=predict_biases(mu, user_bias, item_bias, data.user_index, data.item_index),
        history=[],
        config={**config.to_dict(), "global_mean": mu},
        fit_seconds=fit_seconds,
        arrays={
            "user_ids": data.user_ids,
            "item_ids": data.item_ids,
            "user_bias": user_bias.astype(np.float32),
            "item_bias": item_bias.astype(np.float32),
        },
    )


def train_funk_svd(
    data: PreparedData, config: FunkSVDConfig | None = None, show_progress: bool = True
) -> TrainedModel:
    """Biased MF (Koren, Bell & Volinsky 2009, eq. 4-5) by SGD on the training split.

    The defaults of :class:`~models.baselines.FunkSVDConfig` were chosen on a validation part of the
    training rows; the test split is monitored each epoch but steers nothing. Predictions
    are clipped to 1..5 stars.
    """
    config = config or FunkSVDConfig(seed=data.seed)
    set_seed(config.seed)
    train = data.tensors(data.train_mask)
    model = FunkSVD(
        len(data.user_ids),
        len(data.item_ids),
        config.embedding_dim,
        global_mean=global_mean(data.rating[data.train_mask]),
        init_std=config.init_std,
    )
    start = time.perf_counter()
    history = fit_funk_svd(
        model, train, config, monitor=data.tensors(data.test_mask), show_progress=show_progress
    )
    fit_seconds = time.perf_counter() - start
    inputs, _ = data.tensors(np.ones_like(data.test_mask))
    arrays = _factor_arrays(data, model)
    return TrainedModel(
        name="funk_svd",
        predictions=np.clip(predict(model, inputs), *RATING_SCALE).astype(np.float32),
        history=history,
        config={**config.to_dict(), "global_mean": float(model.global_bias)},
        fit_seconds=fit_seconds,
        arrays=arrays,
    )


TRAINERS.update(
    bayes_fm=train_bayes_fm,
    global_mean=train_global_mean,
    bias_only=train_bias_only,
    funk_svd=train_funk_svd,
)
