"""What a trainer hands to the exporter: predictions, history, config and compact weights.

Numpy only, so the exporter and the partial rebuilds that never train (``models.catalogue``,
``models.user_views``) load no torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


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
