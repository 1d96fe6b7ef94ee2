"""The Bayesian factorization machine scored with numpy from its exported arrays.

The model (:mod:`models.bayes_fm`, trained by myFM's Gibbs sampler) predicts the mean over
its posterior samples. For a known user ``u`` and movie ``i`` every sample's prediction is
a user constant plus a movie constant plus ``<P_u, Q_i>`` (``P_u`` sums the user-side
feature vectors: the user id and the movies the user rated; ``Q_i`` the movie side), so
the posterior mean is exactly::

    global_bias + user_bias[u] + item_bias[i] + M[u, i],   M = mean_s P^s Q^s^T

The exporter stores ``M`` as a truncated SVD, ``M ~ user_embedding @ item_embedding.T``
(singular values split evenly between the two sides), and the prediction is clipped to
:data:`RATING_SCALE`. The exporter measures the difference to the sampler's own
predictions and records it in the manifest (``export_error``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Predictions are clipped to the stars a rating can have (clipping never adds error).
RATING_SCALE: tuple[float, float] = (1.0, 5.0)
#: Storage type of the exported factors (their error is measured at export).
EXPORT_DTYPE = np.float16


@dataclass(frozen=True)
class BayesFMWeights:
    """The Bayesian FM's exported arrays (``precomputed/bayes_fm_*.npy``).

    Attributes:
        user_ids: ``int32[n_users]`` sorted MovieLens user ids (row -> id).
        item_ids: ``int32[n_items]`` sorted MovieLens movie ids (row -> id).
        user_embedding: ``float[n_users, r]`` left factors of the interaction term
            (float16 on disk, widened to float32 here).
        item_embedding: ``float[n_items, r]`` right factors.
        user_bias: ``float32[n_users]`` posterior-mean user constant (order-1 weights of the
            user-side features plus their interactions with one another), stars.
        item_bias: ``float32[n_items]`` the same for the movie side, stars.
        global_bias: ``float32[1]`` posterior mean of ``w_0``, stars.
    """

    user_ids: np.ndarray
    item_ids: np.ndarray
    user_embedding: np.ndarray
    item_embedding: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    global_bias: np.ndarray

    #: The array names, as in ``bayes_fm_<name>.npy``.
    ARRAYS = (
        "user_ids",
        "item_ids",
        "user_embedding",
        "item_embedding",
        "user_bias",
        "item_bias",
        "global_bias",
    )

    def predict(self, user_rows: np.ndarray, item_rows: np.ndarray, chunk: int = 200_000):
        """``float32[N]`` predicted stars (1..5) of ``N`` (user row, item row) pairs.

        Args:
            user_rows: ``int[N]`` rows of :attr:`user_ids` (0 <= row < n_users).
            item_rows: ``int[N]`` rows of :attr:`item_ids`.
            chunk: pairs scored at once (bounds memory).

        Raises:
            IndexError: a row outside the id maps.
        """
        user_rows, item_rows = np.asarray(user_rows), np.asarray(item_rows)
        users = self.user_embedding.astype(np.float32)
        items = self.item_embedding.astype(np.float32)
        base = np.float32(self.global_bias.reshape(-1)[0])
        scores = np.empty(len(user_rows), dtype=np.float32)
        for start in range(0, len(scores), chunk):
            rows = slice(start, start + chunk)
            u, i = user_rows[rows], item_rows[rows]
            value = np.einsum("ij,ij->i", users[u], items[i])
            value += base + self.user_bias[u] + self.item_bias[i]
            scores[rows] = np.clip(value, *RATING_SCALE)
        return scores

    def predict_all(self, user_row: int) -> np.ndarray:
        """``float32[n_items]`` predicted stars of one user for every movie (1..5)."""
        rows = np.arange(len(self.item_ids))
        return self.predict(np.full(len(rows), user_row), rows)

    @classmethod
    def from_folder(cls, folder) -> BayesFMWeights:
        """Load ``bayes_fm_<name>.npy`` from ``folder`` (``FileNotFoundError`` if absent)."""
        from pathlib import Path

        arrays = {
            name: np.load(Path(folder) / f"bayes_fm_{name}.npy", allow_pickle=False)
            for name in cls.ARRAYS
        }
        return cls(**arrays)
