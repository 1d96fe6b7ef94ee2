"""EmbeddingMF: matrix factorization with user/item biases, learned by gradient descent.

The model of the article's section 6, a simplification of biased MF ("FunkSVD", Koren,
Bell & Volinsky 2009, eq. 4, without the global bias): the predicted rating of user u for
item i is

    r_hat(u, i) = low + (high - low) * sigmoid(p_u . q_i + b_u + b_i)

with ``low = 0`` and ``high = 5.5`` so a true 5 is reachable without saturating the
sigmoid. Embeddings and biases start i.i.d. Normal(0, 0.01).
"""

from __future__ import annotations

import torch
from torch import nn

INIT_STD = 0.01


class EmbeddingMF(nn.Module):
    """Dot product of user and item embeddings plus biases, squeezed into (low, high).

    Args:
        n_users: number of users (rows of the user embedding), > 0.
        n_items: number of items (rows of the item embedding), > 0.
        embedding_dim: latent factors per user and per item (the article: 128).
        rating_range: ``(low, high)`` of the sigmoid range, stars; the article: (0, 5.5).
        sparse: sparse gradients, so an optimizer can update (and decay) only the rows a
            batch touches (see :mod:`models.train`).

    Inputs/outputs of :meth:`forward`: user and item indices into the contiguous id maps
    (``LongTensor[B]``, values in ``[0, n_users)`` and ``[0, n_items)``) -> predicted
    ratings ``FloatTensor[B]`` in ``(low, high)``.

    Raises:
        ValueError: non-positive sizes or ``low >= high``.
    """

    def __init__(
        self,
        n_users: int,
        n_items: int,
        embedding_dim: int = 128,
        rating_range: tuple[float, float] = (0.0, 5.5),
        sparse: bool = False,
    ) -> None:
        super().__init__()
        if min(n_users, n_items, embedding_dim) <= 0:
            raise ValueError("n_users, n_items and embedding_dim must be positive.")
        low, high = rating_range
        if not low < high:
            raise ValueError(f"rating_range must have low < high, got {rating_range}.")
        self.rating_range = (float(low), float(high))
        self.user_embedding = nn.Embedding(n_users, embedding_dim, sparse=sparse)
        self.item_embedding = nn.Embedding(n_items, embedding_dim, sparse=sparse)
        self.user_bias = nn.Embedding(n_users, 1, sparse=sparse)
        self.item_bias = nn.Embedding(n_items, 1, sparse=sparse)
        for table in (self.user_embedding, self.item_embedding, self.user_bias, self.item_bias):
            nn.init.normal_(table.weight, mean=0.0, std=INIT_STD)

    def score(self, user: torch.Tensor, item: torch.Tensor) -> torch.Tensor:
        """The logit before the sigmoid range: ``p_u . q_i + b_u + b_i``, ``FloatTensor[B]``."""
        dot = (self.user_embedding(user) * self.item_embedding(item)).sum(dim=1)
        return dot + self.user_bias(user).squeeze(1) + self.item_bias(item).squeeze(1)

    def forward(self, user: torch.Tensor, item: torch.Tensor) -> torch.Tensor:
        """Predicted ratings, ``FloatTensor[B]`` in ``(low, high)``."""
        low, high = self.rating_range
        return low + (high - low) * torch.sigmoid(self.score(user, item))
