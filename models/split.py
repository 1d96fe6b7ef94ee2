"""One seeded random train/test split of the ratings, shared by every model and figure.

The article trains on 900k ratings and tests on 100k, split at random (not by time: the
development copy of the data has no timestamps for most rows).
"""

from __future__ import annotations

import numpy as np

# The first seed whose test split holds the story's two ratings (see core.vocabulary);
# chosen from the split alone, never from results.
from core.vocabulary import DEFAULT_SEED

DEFAULT_TEST_FRACTION = 0.1


def random_split_mask(
    n_ratings: int, test_fraction: float = DEFAULT_TEST_FRACTION, seed: int = DEFAULT_SEED
) -> np.ndarray:
    """A boolean test mask over ratings in file order.

    Exactly ``round(n_ratings * test_fraction)`` rows are marked test, chosen by a
    permutation from ``numpy.random.default_rng(seed)``, so the same seed and row count
    always give the same mask on any machine.

    Args:
        n_ratings: number of rating rows, > 1.
        test_fraction: share of rows in the test split, in (0, 1).
        seed: non-negative integer seed.

    Returns:
        ``bool`` array of shape ``(n_ratings,)``; ``True`` marks a test row.

    Raises:
        ValueError: ``n_ratings`` < 2, ``test_fraction`` outside (0, 1), or a split that
            would leave the train or the test part empty.
    """
    if n_ratings < 2:
        raise ValueError(f"Need at least 2 ratings to split, got {n_ratings}.")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}.")
    n_test = int(round(n_ratings * test_fraction))
    if n_test in (0, n_ratings):
        raise ValueError(f"A test fraction of {test_fraction} leaves one side of the split empty.")
    order = np.random.default_rng(seed).permutation(n_ratings)
    mask = np.zeros(n_ratings, dtype=bool)
    mask[order[:n_test]] = True
    return mask


def validation_mask(
    train_mask: np.ndarray, fraction: float = 0.05, seed: int = DEFAULT_SEED + 1
) -> np.ndarray:
    """Carve a validation part out of the training rows (never out of the test rows).

    Args:
        train_mask: ``bool`` array, ``True`` for training rows.
        fraction: share of the training rows to hold out, in (0, 1).
        seed: seed of the permutation (different from the test split's by default).

    Returns:
        ``bool`` array of the same shape; ``True`` only on rows that are training rows.

    Raises:
        ValueError: as :func:`random_split_mask` for the training rows.
    """
    rows = np.flatnonzero(train_mask)
    inner = random_split_mask(len(rows), fraction, seed)
    mask = np.zeros_like(train_mask, dtype=bool)
    mask[rows[inner]] = True
    return mask


def pack_mask(mask: np.ndarray) -> np.ndarray:
    """Pack a boolean mask into bits (``uint8``, 8 rows a byte) for a compact artifact."""
    return np.packbits(mask.astype(bool))


def unpack_mask(bits: np.ndarray, n_ratings: int) -> np.ndarray:
    """Inverse of :func:`pack_mask`: ``bool`` array of shape ``(n_ratings,)``."""
    return np.unpackbits(bits, count=n_ratings).astype(bool)
