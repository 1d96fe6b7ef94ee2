"""Box 6's table: every movie of the diagram, those counted in a "+N more" mark included.

The diagram draws as many dots as a region has room for (:mod:`components.venn_geometry`);
the table lists them all, and says which have a dot and which are in their region's mark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.figure_table import data_table, notice
from components.movie_search import movie_title
from components.outline import box_name
from components.theme import MODEL_LABELS
from components.venn_figure import FIVE_STARS, region_label


def venn_table(frame: pd.DataFrame, names: list[str], sort: str) -> pd.DataFrame:
    """The table under the diagram: one row per movie, sortable.

    ``sort``: ``"region"`` (default), ``"rating"`` (true rating, high first) or a model
    name (that model's absolute error, largest first). Column ``Drawn as`` says whether a
    movie has a dot or is counted in its region's "+N" mark.
    """
    models = [name for name in names if name != FIVE_STARS]
    hidden = frame.loc[~frame["shown"], "region"].value_counts()
    outside = f"{box_name('movie-why')} movie, no set"
    table = frame.assign(
        drawn=[
            "dot" if shown else f"in “+{hidden[region]}”"
            for shown, region in zip(frame["shown"], frame["region"], strict=True)
        ],
        movie=[movie_title(int(movie)) for movie in frame["movie_id"]],
        where=[
            region_label(pattern, names) if isinstance(pattern, tuple) else outside
            for pattern in frame["region"]
        ],
    )
    if sort in models:
        table = table.assign(key=-(table[sort] - table["rating"]).abs()).sort_values("key")
    elif sort == "rating":
        table = table.sort_values(["rating", "movie"], ascending=[False, True])
    out = pd.DataFrame(
        {"Movie": table["movie"], "Region": table["where"], "Drawn as": table["drawn"]}
    )
    out["True rating"] = table["rating"].astype(int).astype(str) + " ★"
    for name in models:
        out[MODEL_LABELS[name]] = [
            "—" if pd.isna(value) else f"{value:.2f}" for value in table[name]
        ]
    out["Split"] = np.where(table["in_test"].astype(bool), "test", "training")
    return out


def table_children(frame: pd.DataFrame, names: list[str], sort: object, caption: str) -> object:
    """Every movie of the diagram as a table, those of "+N" marks included (and a note)."""
    sort = sort if isinstance(sort, str) else "region"
    table = data_table(venn_table(frame, names, sort), caption)
    hidden = int((~frame["shown"]).sum())
    if not hidden:
        return table
    more = (
        f"{hidden} movies of full regions have no dot of their own: the region's “+N” mark "
        "counts them, and they are listed here as “in +N”."
    )
    return [table, notice(more)]
