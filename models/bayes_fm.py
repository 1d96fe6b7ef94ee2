"""A Bayesian factorization machine (Rendle 2012; myFM's Gibbs sampler) with implicit blocks.

The model is an order-2 factorization machine over two groups of sparse features:

* user side: the user's one-hot id and the movies the user rated in the training split
  (SVD++'s implicit feedback, Koren 2008), each weighted ``1/sqrt(n_u)``;
* item side: the movie's one-hot id and the users who rated it in the training split,
  each weighted ``1/sqrt(n_i)``.

Its weights get Gaussian priors with Gamma/Gaussian hyper-priors and are sampled by
Gibbs sampling (myFM, Ohtsuki 2020, after Rendle's libFM MCMC); the prediction is the mean
over the kept samples. Only the ratings' *existence* in the training split feeds the
implicit blocks, never a test rating.

For serving (:func:`export_arrays`), every sample's prediction for a known user ``u`` and
movie ``i`` splits into a user constant, a movie constant and ``<P_u, Q_i>``, where ``P_u``
sums the user-side feature vectors and ``Q_i`` the item-side ones; the posterior mean is
then ``global + user_bias[u] + item_bias[i] + M[u, i]`` with ``M = mean_s P^s Q^s^T``,
which a truncated SVD compresses to :data:`EXPORT_RANK` factors
(:class:`core.bayes_fm.BayesFMWeights` scores it with numpy).

myFM (``train`` extra) is imported only when a model is trained.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sps

from core.bayes_fm import EXPORT_DTYPE, RATING_SCALE, BayesFMWeights
from models.prepare import PreparedData
from models.trained import TrainedModel

#: Share of the training rows held out to choose the settings (never the test rows); the
#: same carve-out as DeepFM's (``models.split.validation_mask``, seed = split seed + 1).
VALIDATION_FRACTION = 0.05


@dataclass(frozen=True)
class BayesFMConfig:
    """Settings of the Bayesian FM.

    Attributes:
        rank: number of latent factors per feature.
        n_iter: Gibbs sweeps in all.
        n_kept: the last ``n_kept`` samples are averaged (the first ``n_iter - n_kept``
            are burn-in).
        implicit: whether the SVD++-style implicit blocks are used.
        seed: the sampler's random seed.
    """

    rank: int = 64
    n_iter: int = 120
    n_kept: int = 115
    implicit: bool = True
    seed: int = 19

    def to_dict(self) -> dict:
        """The settings as a JSON-ready dict."""
        return asdict(self)


#: Default settings, chosen on the validation rows (see :data:`SELECTION`).
BAYES_FM_CONFIG = BayesFMConfig()

#: How the settings were chosen: validation RMSE (stars, clipped to 1..5) of the running
#: posterior mean after 10, 20 and 30 sweeps, for ranks 32 and 64 and burn-in 5 or 20,
#: fitted on the training rows minus the validation rows (implicit blocks from the fitting
#: rows alone), measured by ``python -m models.bayes_fm_select`` on 2 cores under load
#: 11-21. Rank 64 beat 32 at every sweep and burn-in 5 beat 20, so the model uses rank 64
#: with 5 sweeps of burn-in. The number of sweeps was not chosen by validation: RMSE was
#: still falling at sweep 30, so the model runs as many as the 600 s budget allows on an
#: idle machine: 120 sweeps (3.5 s each at rank 64 on this project's 2-core machine; the
#: whole fit took 417 s in ``python -m models.benchmark``, precomputed/benchmark.md).
SELECTION: dict = {
    "rows": "validation_mask(train_mask, 0.05, seed + 1): 45,009 training rows",
    "validation_rmse": {
        "rank_32": {
            "sweeps_10_burn_5": 0.8474,
            "sweeps_20_burn_5": 0.8324,
            "sweeps_30_burn_5": 0.8267,
            "sweeps_30_burn_20": 0.8316,
        },
        "rank_64": {
            "sweeps_10_burn_5": 0.8449,
            "sweeps_20_burn_5": 0.8309,
            "sweeps_30_burn_5": 0.8253,
            "sweeps_30_burn_20": 0.8318,
        },
    },
    "chosen": {"rank": 64, "burn_in": 5, "sweeps": "time budget (600 s idle), 120"},
}

#: Rank of the exported interaction term (truncated SVD of the posterior mean ``M``).
EXPORT_RANK = 128


def implicit_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int):
    """``csr[n_rows, n_cols]``: 1 where ``(row, col)`` occurs, each row scaled to ``1/sqrt(n)``.

    Args:
        rows, cols: ``int[n]`` indices of the observed pairs (duplicates count once).
        n_rows, n_cols: the matrix shape.
    """
    ones = np.ones(len(rows), dtype=np.float64)
    matrix = sps.csr_matrix((ones, (rows, cols)), shape=(n_rows, n_cols))
    matrix.data[:] = 1.0
    counts = np.diff(matrix.indptr)
    return sps.diags(1.0 / np.sqrt(np.maximum(counts, 1))) @ matrix


def feature_blocks(data: PreparedData, fitting: np.ndarray, implicit: bool = True):
    """The user-side and item-side feature matrices, built from the ``fitting`` rows only.

    Returns:
        ``(user_features csr[n_users, n_users (+ n_items)], item_features
        csr[n_items, n_items (+ n_users)], group_shapes)``: one-hot id, then (if
        ``implicit``) the normalised implicit block; ``group_shapes`` gives each feature
        group its own prior (myFM's ``group_shapes``).
    """
    n_users, n_items = len(data.user_ids), len(data.item_ids)
    users, items = data.user_index[fitting], data.item_index[fitting]
    user_parts = [sps.identity(n_users, format="csr")]
    item_parts = [sps.identity(n_items, format="csr")]
    shapes = [n_users]
    if implicit:
        user_parts.append(implicit_matrix(users, items, n_users, n_items))
        item_parts.append(implicit_matrix(items, users, n_items, n_users))
        shapes = [n_users, n_items, n_items, n_users]
    else:
        shapes = [n_users, n_items]
    user_features = sps.hstack(user_parts, format="csr")
    item_features = sps.hstack(item_parts, format="csr")
    return user_features, item_features, shapes


def _blocks(myfm, data: PreparedData, mask: np.ndarray, user_features, item_features):
    """myFM relation blocks: which user row and which item row each rating in ``mask`` uses."""
    return [
        myfm.RelationBlock(data.user_index[mask].astype(np.int64), user_features),
        myfm.RelationBlock(data.item_index[mask].astype(np.int64), item_features),
    ]


def fit_sampler(
    data: PreparedData,
    fitting: np.ndarray,
    config: BayesFMConfig,
    show_progress: bool = True,
    callback=None,
):
    """Run myFM's Gibbs sampler on the ``fitting`` rows.

    Args:
        data: the prepared ratings.
        fitting: ``bool[N]`` rows to fit (and to build the implicit blocks from).
        config: the settings.
        show_progress: myFM's progress bar (on stderr).
        callback: optional ``(sweep, fm, hyper, history) -> (stop, message)`` for myFM.

    Returns:
        ``(regressor, user_features, item_features)``.
    """
    import myfm  # the train extra; imported only here so other rebuilds need no myFM

    user_features, item_features, shapes = feature_blocks(data, fitting, config.implicit)
    regressor = myfm.MyFMRegressor(rank=config.rank, random_seed=config.seed)
    n_rows = int(fitting.sum())
    os.environ.setdefault("TQDM_DISABLE", "" if show_progress else "1")
    regressor.fit(
        sps.csr_matrix((n_rows, 0)),
        data.rating[fitting].astype(np.float64),
        X_rel=_blocks(myfm, data, fitting, user_features, item_features),
        n_iter=config.n_iter,
        n_kept_samples=config.n_kept,
        group_shapes=shapes,
        callback=callback,
    )
    return regressor, user_features, item_features


def sampler_predictions(regressor, data: PreparedData, mask: np.ndarray, features) -> np.ndarray:
    """myFM's own posterior-mean predictions (``float64``, unclipped) for the rows in ``mask``."""
    import myfm

    n_rows = int(mask.sum())
    return regressor.predict(sps.csr_matrix((n_rows, 0)), _blocks(myfm, data, mask, *features))


@dataclass(frozen=True)
class PosteriorMean:
    """The exact posterior-mean predictor of a known (user, movie) pair, in parts.

    ``prediction[u, i] = global_bias + user_bias[u] + item_bias[i] + interaction[u, i]``
    (``float64``; unclipped).
    """

    global_bias: float
    user_bias: np.ndarray
    item_bias: np.ndarray
    interaction: np.ndarray

    def predict(self, user_rows: np.ndarray, item_rows: np.ndarray) -> np.ndarray:
        """``float64[N]`` unclipped posterior-mean predictions of the pairs."""
        return (
            self.global_bias
            + self.user_bias[user_rows]
            + self.item_bias[item_rows]
            + self.interaction[user_rows, item_rows]
        )


def _side_terms(features, weights: np.ndarray, vectors: np.ndarray):
    """One side's constant (order-1 + pairs within the side) and summed vectors ``P``.

    For feature values ``x`` of one side, ``sum_f x_f w_f + sum_{f<g} x_f x_g <v_f, v_g>``
    is ``x.w + (|V^T x|^2 - sum_f x_f^2 |v_f|^2) / 2`` (Rendle 2010, lemma 3.1).
    """
    summed = features @ vectors
    squares = features.multiply(features) @ np.einsum("fk,fk->f", vectors, vectors)
    constant = features @ weights + 0.5 * (np.einsum("uk,uk->u", summed, summed) - squares)
    return constant, summed


def posterior_mean(regressor, user_features, item_features) -> PosteriorMean:
    """Split myFM's kept samples into the parts of :class:`PosteriorMean` (exact).

    Args:
        regressor: a fitted ``myfm.MyFMRegressor`` whose features are the user block then
            the item block (:func:`fit_sampler`).
        user_features: ``csr[n_users, d_u]``; item_features: ``csr[n_items, d_i]``.
    """
    n_user_features = user_features.shape[1]
    samples = regressor.predictor_.samples
    n_users, n_items = user_features.shape[0], item_features.shape[0]
    user_bias, item_bias = np.zeros(n_users), np.zeros(n_items)
    interaction, global_bias = np.zeros((n_users, n_items)), 0.0
    for sample in samples:
        w, vectors = np.asarray(sample.w), np.asarray(sample.V)
        user_constant, user_summed = _side_terms(
            user_features, w[:n_user_features], vectors[:n_user_features]
        )
        item_constant, item_summed = _side_terms(
            item_features, w[n_user_features:], vectors[n_user_features:]
        )
        global_bias += sample.w0
        user_bias += user_constant
        item_bias += item_constant
        interaction += user_summed @ item_summed.T
    count = len(samples)
    return PosteriorMean(
        global_bias / count, user_bias / count, item_bias / count, interaction / count
    )


def truncated_factors(
    matrix: np.ndarray, rank: int, seed: int, oversample: int = 32, power_iterations: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """``(left float64[m, r], right float64[n, r])`` with ``left @ right.T`` close to the best
    rank-``r`` approximation of ``matrix``, the singular values split evenly between sides.

    A randomized SVD (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1) with
    ``power_iterations`` subspace iterations: about 8 passes over ``matrix`` instead of a
    full SVD. Seeded, and each factor's sign is fixed (largest right entry positive), so
    the files are reproducible. The error it leaves is measured at export. ``rank`` is
    capped at the matrix's smaller side.
    """
    rank = min(rank, *matrix.shape)
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(matrix @ rng.standard_normal((matrix.shape[1], rank + oversample)))
    for _ in range(power_iterations):
        basis, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ basis)
    small_left, singular, small_right = np.linalg.svd(basis.T @ matrix, full_matrices=False)
    left = basis @ small_left[:, :rank]
    right = small_right[:rank].T
    signs = np.sign(right[np.abs(right).argmax(axis=0), np.arange(rank)])
    scale = np.sqrt(singular[:rank]) * signs
    return left * scale, right * scale


def export_arrays(data: PreparedData, posterior: PosteriorMean, rank: int = EXPORT_RANK) -> dict:
    """The arrays :class:`core.bayes_fm.BayesFMWeights` reads (``bayes_fm_<name>.npy``)."""
    left, right = truncated_factors(posterior.interaction, rank, seed=int(data.seed))
    return {
        "user_ids": np.asarray(data.user_ids, dtype=np.int32),
        "item_ids": np.asarray(data.item_ids, dtype=np.int32),
        "user_embedding": left.astype(EXPORT_DTYPE),
        "item_embedding": right.astype(EXPORT_DTYPE),
        "user_bias": posterior.user_bias.astype(np.float32),
        "item_bias": posterior.item_bias.astype(np.float32),
        "global_bias": np.asarray([posterior.global_bias], dtype=np.float32),
    }


def export_error(sampler: np.ndarray, exported: np.ndarray, truth: np.ndarray) -> dict:
    """How far the exported scorer lies from the sampler on the same rows (stars).

    Args:
        sampler: ``float[n]`` myFM's posterior-mean predictions (unclipped).
        exported: ``float[n]`` :class:`core.bayes_fm.BayesFMWeights` predictions (clipped).
        truth: ``float[n]`` true stars.
    """
    clipped = np.clip(sampler, *RATING_SCALE)
    difference = exported.astype(np.float64) - clipped
    return {
        "max_abs": float(np.abs(difference).max()),
        "rms": float(np.sqrt(np.mean(difference**2))),
        "sampler_rmse": float(np.sqrt(np.mean((clipped - truth) ** 2))),
        "exported_rmse": float(np.sqrt(np.mean((exported - truth) ** 2))),
    }


def train_bayes_fm(
    data: PreparedData, config: BayesFMConfig | None = None, show_progress: bool = True
) -> TrainedModel:
    """Fit the Bayesian FM on the training split and export it for numpy scoring.

    The settings (:data:`BAYES_FM_CONFIG`) were chosen on :data:`VALIDATION_FRACTION` of
    the training rows (:data:`SELECTION`); the test rows are only scored, after fitting,
    to measure how far the exported arrays lie from the sampler (``export_error``).

    Returns:
        A :class:`TrainedModel` named ``"bayes_fm"``: ``float32`` predictions (1..5 stars)
        for every rating from the exported arrays, so the table, the boxes and the reader
        records show what is served; ``arrays`` as :func:`export_arrays`; ``config`` adds
        the selection, the export rank and error, the load average while fitting and the
        CPU time of fitting (``fit_cpu_seconds``: on a shared machine the wall time
        ``fit_seconds`` depends on the others' load).
    """
    config = config or BAYES_FM_CONFIG
    load_before = os.getloadavg()[0]
    start, cpu_start = time.perf_counter(), time.process_time()
    regressor, user_features, item_features = fit_sampler(
        data, data.train_mask, config, show_progress
    )
    fit_seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    load_after = os.getloadavg()
    posterior = posterior_mean(regressor, user_features, item_features)
    arrays = export_arrays(data, posterior)
    predictions = BayesFMWeights(**arrays).predict(data.user_index, data.item_index)
    test = data.test_mask
    sampler = sampler_predictions(regressor, data, test, (user_features, item_features))
    decomposition = posterior.predict(data.user_index[test], data.item_index[test])
    error = export_error(sampler, predictions[test], data.rating[test])
    error["decomposition_max_abs"] = float(np.abs(decomposition - sampler).max())
    return TrainedModel(
        name="bayes_fm",
        predictions=predictions,
        history=[],
        config={
            **_settings_record(config, error, (load_before, *load_after)),
            "fit_cpu_seconds": round(cpu_seconds, 1),
        },
        fit_seconds=fit_seconds,
        arrays=arrays,
    )


def _settings_record(config: BayesFMConfig, error: dict, loads: tuple[float, ...]) -> dict:
    """The manifest's record: settings, how they were chosen, export error, machine load."""
    from importlib.metadata import version

    return {
        **config.to_dict(),
        "myfm": version("myfm"),
        "validation_fraction": VALIDATION_FRACTION,
        "selection": SELECTION,
        "export_rank": EXPORT_RANK,
        "export_dtype": np.dtype(EXPORT_DTYPE).name,
        "export_error": error,
        "load_average": {
            "1min_at_start": loads[0],
            "1min_at_end": loads[1],
            "15min_at_end": loads[3],
        },
    }
