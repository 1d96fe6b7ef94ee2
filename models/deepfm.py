"""DeepFM: a factorization machine and a feed-forward network over one shared embedding.

Guo, Tang, Ye, Li & He (2017), "DeepFM: A Factorization-Machine based Neural Network for
CTR Prediction", IJCAI. The model of the article's section 7, used here as a rating
regression: the output is ``y_FM + y_DNN`` with no final sigmoid (the paper's eq. 1 without
its sigmoid), so a prediction above 5 or below 1 stays visible instead of being squashed.

Inputs are fields (:mod:`models.features`). A one-hot field gives one feature with value
``x_i = 1``; a multi-hot field (a movie's genres) gives its ``n`` active features the value
``x_i = 1 / n`` each and is pooled into one field vector ``e_f = sum_{i in f} x_i V_i``,
the mean of its embeddings (padding slots excluded), as DeepCTR does for multi-valued
fields. Both components then work on the ``m`` field vectors ``e_1 .. e_m``:

* FM component (paper eq. 2, Rendle 2010 eq. 1), pairs taken between fields::

      y_FM = w_0 + sum_i w_i x_i + sum_{f<g} <e_f, e_g>

  which is eq. 2 over the features without the pairs inside one multi-hot field (two
  genres of the same movie): such a pair depends on the movie alone, which the movie's
  own order-1 weight already covers. The pairwise sum is computed in O(km) (Rendle 2010,
  lemma 3.1; paper eq. 2)::

      sum_{f<g} <e_f, e_g> = 1/2 sum_k [(sum_f e_fk)^2 - sum_f e_fk^2]

* Deep component (paper eqs. 3-5): ``a^(0) = [e_1, ..., e_m]`` (concatenated) goes
  through ``ReLU`` layers with dropout, ``a^(l+1) = dropout(relu(W^(l) a^(l) + b^(l)))``,
  to one output ``y_DNN = W^(H+1) a^(H) + b^(H+1)``.

Both components read the same latent vectors ``V_i`` (the shared embedding layer, paper
section 2.1), and are trained jointly.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

INIT_STD = 0.01


def fm_second_order(vectors: torch.Tensor) -> torch.Tensor:
    """The FM pairwise term in O(kn) (Rendle 2010, lemma 3.1; DeepFM paper eq. 2).

    Args:
        vectors: ``FloatTensor[B, n, k]``, row ``i`` holding ``x_i V_i`` (here: the field
            embeddings ``e_f``).

    Returns:
        ``FloatTensor[B]``: ``sum_{i<j} <x_i V_i, x_j V_j>
        = 1/2 sum_k [(sum_i x_i V_ik)^2 - sum_i (x_i V_ik)^2]``, differentiable in
        ``vectors`` (:class:`PairwiseInteraction`).
    """
    return PairwiseInteraction.apply(vectors)


class PairwiseInteraction(torch.autograd.Function):
    """:func:`fm_second_order` with its gradient written out.

    With ``s = sum_i v_i`` the term is ``1/2 (|s|^2 - sum_i |v_i|^2)``, so its gradient in
    ``v_i`` is ``s - v_i``: one subtraction, where autograd's chain through two squares,
    two sums and a difference took about a tenth of a DeepFM training step on CPU.
    """

    @staticmethod
    def forward(ctx, vectors: torch.Tensor) -> torch.Tensor:
        total = vectors.sum(dim=1)
        ctx.save_for_backward(vectors, total)
        return 0.5 * (total.pow(2).sum(dim=1) - vectors.pow(2).sum(dim=(1, 2)))

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        vectors, total = ctx.saved_tensors
        return grad.view(-1, 1, 1) * (total.unsqueeze(1) - vectors)


class ByteDropout(nn.Module):
    """Inverted dropout whose keep mask comes from random bytes, eight per 64-bit draw.

    Same contract as ``nn.Dropout(p)`` with ``p`` rounded to a multiple of 1/256 (exact for
    the article's 0.5): in training each element is zeroed with probability ``p`` and the
    rest scaled by ``1 / (1 - p)``; in eval mode the input passes unchanged. Why not
    ``nn.Dropout``: its ``bernoulli_`` draws one random number per element and took ~15%
    of a DeepFM training step on CPU; one ``int64`` draw viewed as 8 ``uint8`` does the
    same work in a fraction of that. Seeded by torch's global generator like ``nn.Dropout``.

    Args:
        p: drop probability in [0, 1).

    Raises:
        ValueError: ``p`` outside [0, 1).
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout p must lie in [0, 1), got {p}.")
        self.threshold = round(p * 256)  # a byte below it drops the element
        self.p = self.threshold / 256

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` with dropped elements zeroed and kept ones scaled (training); else ``x``."""
        if not self.training or self.threshold == 0:
            return x
        n = x.numel()
        words = torch.empty((n + 7) // 8, dtype=torch.int64).random_(-(2**63), None)
        keep = words.view(torch.uint8)[:n].view(x.shape) >= self.threshold
        return x * (keep.to(x.dtype) / (1.0 - self.p))

    def extra_repr(self) -> str:
        return f"p={self.p}"


class DeepFM(nn.Module):
    """DeepFM for rating regression: ``y = y_FM + y_DNN`` (Guo et al. 2017, eqs. 1-5).

    Args:
        field_dims: rows per field in the shared table (:attr:`FieldLayout.field_dims`);
            field ``f`` owns rows ``[sum(field_dims[:f]), sum(field_dims[:f+1]))``.
        embedding_dim: ``k``, the length of each latent vector ``V_i`` (the article: 128).
        hidden_dims: widths of the deep component's hidden layers (the paper: 400-400-400).
        dropout: dropout after each hidden layer (the paper and the article: 0.5).
        padding_idx: a row that marks an empty multi-hot slot; it contributes nothing to
            either component, and its vector stays zero. ``None``: no padding.
        mean_rating: initial ``w_0`` (the global bias), e.g. the training mean.
        sparse: sparse gradients for the embedding and order-1 tables, so an optimizer can
            update (and decay) only the rows a batch touches (see :mod:`models.train`).
        mixed_precision: in training mode, run the deep component's matrix products in
            bfloat16 (``torch.autocast``; the weights, their updates, the FM component and
            every evaluation stay float32). On a CPU with bfloat16 instructions the
            products take less than half the time; see ``models.trainers.DEEPFM_CONFIG``.

    Attributes:
        embedding: ``nn.Embedding(sum(field_dims), embedding_dim)``, the latent vectors
            ``V_i`` shared by both components, initialised Normal(0, 0.01).
        linear: ``nn.Embedding(sum(field_dims), 1)``, the order-1 weights ``w_i``, zeros.
        global_bias: ``w_0``, a scalar parameter.
        mlp: the deep component, ``len(field_dims) * embedding_dim -> ... -> 1``.

    :meth:`forward` takes one LongTensor per field, in ``field_dims`` order, holding rows
    of the shared table (offsets already added): ``[B]`` for a one-hot field, ``[B, L]``
    for a multi-hot field (padded with ``padding_idx``). It returns the predicted ratings,
    ``FloatTensor[B]``, unbounded (not clipped to 1..5).

    Raises:
        ValueError: no fields, a non-positive size, or ``dropout`` outside [0, 1).
    """

    def __init__(
        self,
        field_dims: Sequence[int],
        embedding_dim: int = 128,
        hidden_dims: Sequence[int] = (400, 400, 400),
        dropout: float = 0.5,
        padding_idx: int | None = None,
        mean_rating: float = 0.0,
        sparse: bool = True,
        mixed_precision: bool = False,
    ) -> None:
        super().__init__()
        if not field_dims or min(field_dims) <= 0 or embedding_dim <= 0:
            raise ValueError(f"Need positive field_dims and embedding_dim, got {field_dims}.")
        if min(hidden_dims, default=1) <= 0 or not 0.0 <= dropout < 1.0:
            raise ValueError(f"Bad hidden_dims {hidden_dims} or dropout {dropout}.")
        self.field_dims = tuple(int(d) for d in field_dims)
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.mixed_precision = mixed_precision
        n_features = sum(self.field_dims)
        self.embedding = nn.Embedding(n_features, embedding_dim, padding_idx, sparse=sparse)
        self.linear = nn.Embedding(n_features, 1, padding_idx, sparse=sparse)
        self.global_bias = nn.Parameter(torch.tensor(float(mean_rating)))
        nn.init.normal_(self.embedding.weight, mean=0.0, std=INIT_STD)
        nn.init.zeros_(self.linear.weight)
        layers: list[nn.Module] = []
        width = len(self.field_dims) * embedding_dim
        for hidden in hidden_dims:
            layers += [nn.Linear(width, hidden), nn.ReLU(), ByteDropout(dropout)]
            width = hidden
        layers.append(nn.Linear(width, 1))
        self.mlp = nn.Sequential(*layers)
        with torch.no_grad():
            if padding_idx is not None:
                self.embedding.weight[padding_idx].zero_()

    def field_embeddings(self, *fields: torch.Tensor) -> torch.Tensor:
        """Field embeddings ``e_f = sum_{i in f} x_i V_i`` (paper section 2.2, Figure 4).

        Args:
            fields: per field ``LongTensor[B]`` (one-hot) or ``LongTensor[B, L]``
                (multi-hot, padded with ``padding_idx``).

        Returns:
            ``FloatTensor[B, m, k]``, ``m = len(field_dims)``: a one-hot field's latent
            vector; for a multi-hot field the mean of the vectors of its non-padding
            entries (a row of padding only gives zeros).

        Raises:
            ValueError: the number of fields differs from ``len(field_dims)``.
        """
        return self._pool(self.embedding, *self._feature_rows(fields))

    def _feature_rows(
        self, fields: Sequence[torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
        """Every field's active rows side by side, their values ``x_i`` and field widths.

        Returns:
            ``rows`` ``LongTensor[B, C]`` (a one-hot field gives one column, a multi-hot
            field its ``L`` slots), ``values`` ``FloatTensor[B, C]`` (1 for a one-hot field,
            ``1 / n`` for each of a multi-hot field's ``n`` non-padding slots, 0 for
            padding) and the columns of each field, in field order.
        """
        if len(fields) != len(self.field_dims):
            raise ValueError(f"Expected {len(self.field_dims)} fields, got {len(fields)}.")
        columns = [field.reshape(len(field), -1) for field in fields]
        values = []
        for field, column in zip(fields, columns, strict=True):
            if field.dim() == 1:
                values.append(torch.ones(column.shape))
                continue
            active = torch.ones(column.shape)
            if self.padding_idx is not None:
                active = (column != self.padding_idx).float()
            values.append(active / active.sum(dim=1, keepdim=True).clamp(min=1.0))
        widths = [column.shape[1] for column in columns]
        return torch.cat(columns, dim=1), torch.cat(values, dim=1), widths

    def _pool(
        self, table: nn.Embedding, rows: torch.Tensor, values: torch.Tensor, widths: list[int]
    ) -> torch.Tensor:
        """``sum_{i in f} x_i table[i]`` per field: ``FloatTensor[B, m, table_dim]``.

        One weighted bag per (row, field) in a single ``embedding_bag`` call, so
        backpropagation builds one gradient of the table per batch instead of one per field
        (filling dense per-field gradients took a fifth of a training step).
        """
        n_rows, n_columns = rows.shape
        starts = torch.tensor([0, *widths[:-1]]).cumsum(0)
        offsets = (torch.arange(n_rows).unsqueeze(1) * n_columns + starts).flatten()
        pooled = nn.functional.embedding_bag(
            rows.flatten(),
            table.weight,
            offsets,
            mode="sum",
            sparse=table.sparse,
            per_sample_weights=values.flatten(),
            padding_idx=self.padding_idx,
        )
        return pooled.view(n_rows, len(widths), -1)

    def forward(self, *fields: torch.Tensor) -> torch.Tensor:
        """Predicted ratings ``y_FM + y_DNN``: ``FloatTensor[B]`` (eq. 1 without sigmoid).

        Args:
            fields: per field ``LongTensor[B]`` or ``LongTensor[B, L]`` of table rows.

        Raises:
            ValueError: the number of fields differs from ``len(field_dims)``.
        """
        features = self._feature_rows(fields)
        vectors = self._pool(self.embedding, *features)
        y_fm = self.global_bias + self._order_1(*features) + fm_second_order(vectors)
        low_precision = self.mixed_precision and self.training
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=low_precision):
            y_dnn = self.mlp(vectors.flatten(start_dim=1)).squeeze(1)
        return y_fm + y_dnn.float()

    def _order_1(self, rows: torch.Tensor, values: torch.Tensor, widths: list[int]) -> torch.Tensor:
        """``sum_i w_i x_i``: ``FloatTensor[B]``.

        A dense table's weights are gathered with ``index_select``, whose backward adds into
        the 1-wide gradient directly: an ``embedding_bag`` here cost 1.8 ms of a ~15 ms step
        (it sorts the rows as for the wide table) against 0.15 ms.
        """
        if self.linear.sparse:
            return self._pool(self.linear, rows, values, widths).sum(dim=(1, 2))
        weights = self.linear.weight.view(-1).index_select(0, rows.flatten())
        return (weights.view(rows.shape) * values).sum(dim=1)
