"""Turn MovieLens tables and the split into index arrays every model trains on.

Raw ids have gaps (movie ids run to 3952 for 3,706 rated movies), so models index
contiguous id maps: ``user_ids[k]`` is the MovieLens id of user row ``k``, and the same for
items. The maps are saved with the model artifacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from models.data import MovieLens
from models.split import random_split_mask

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class PreparedData:
    """Ratings as aligned arrays plus the split, ready for any model.

    Attributes:
        movielens: the loaded tables.
        test_mask: ``bool[N]`` over ratings in file order; ``True`` for the test split.
        user_ids: ``int32[n_users]`` sorted MovieLens user ids (index -> id).
        item_ids: ``int32[n_items]`` sorted ids of the movies that have ratings.
        user_index: ``int64[N]`` row of each rating's user in ``user_ids``.
        item_index: ``int64[N]`` row of each rating's movie in ``item_ids``.
        rating: ``float32[N]`` stars, 1..5.
        seed: the split's seed.
    """

    movielens: MovieLens
    test_mask: np.ndarray
    user_ids: np.ndarray
    item_ids: np.ndarray
    user_index: np.ndarray
    item_index: np.ndarray
    rating: np.ndarray
    seed: int

    @property
    def train_mask(self) -> np.ndarray:
        """``bool[N]``: the complement of :attr:`test_mask`."""
        return ~self.test_mask

    def tensors(self, mask: np.ndarray) -> tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        """``((user_index, item_index), rating)`` tensors of the rows where ``mask`` holds."""
        import torch  # only training asks for tensors: rebuilds without training skip torch

        return (
            (
                torch.from_numpy(self.user_index[mask]),
                torch.from_numpy(self.item_index[mask]),
            ),
            torch.from_numpy(self.rating[mask]),
        )


def index_of(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rows of ``values`` in the sorted id map ``ids`` (``int64``).

    Raises:
        KeyError: a value is not in the map.
    """
    rows = np.searchsorted(ids, values)
    rows = np.clip(rows, 0, len(ids) - 1)
    missing = ids[rows] != values
    if missing.any():
        raise KeyError(f"Ids not in the map: {np.unique(values[missing])[:10].tolist()}")
    return rows.astype(np.int64)


def prepare(movielens: MovieLens, seed: int, test_fraction: float = 0.1) -> PreparedData:
    """Split the ratings with ``seed`` and build the id maps and index arrays."""
    ratings = movielens.ratings
    user_ids = np.sort(movielens.users["user_id"].to_numpy()).astype(np.int32)
    item_ids = np.sort(ratings["movie_id"].unique()).astype(np.int32)
    return PreparedData(
        movielens=movielens,
        test_mask=random_split_mask(len(ratings), test_fraction, seed),
        user_ids=user_ids,
        item_ids=item_ids,
        user_index=index_of(user_ids, ratings["user_id"].to_numpy()),
        item_index=index_of(item_ids, ratings["movie_id"].to_numpy()),
        rating=ratings["rating"].to_numpy().astype(np.float32),
        seed=seed,
    )
