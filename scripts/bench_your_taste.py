"""Box 9 update latency: the server's work per rating, for 1..10 ratings (not a test).

Usage: ``python scripts/bench_your_taste.py``. One update is what the callbacks run after the
reader adds a rating: validate and store it, fold the reader in, rank and explain the top 10,
and compute the group comparison. Prints the median of 20 repeats in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as app.py sets it, before numpy loads

from components import your_taste, your_taste_lists  # noqa: E402

REPEATS = 20


def one_update(ratings: dict, movie_id: int, stars: int) -> dict:
    """Everything the callbacks do for one added rating; returns the new ratings.

    The fold-in cache is emptied first, so every repeat folds the reader in afresh.
    """
    your_taste_lists.recommend_for.cache_clear()
    new, _ = your_taste_lists.update_ratings("your-taste-add", movie_id, stars, ratings)
    your_taste.your_taste_outputs(new, "M", 25, 12)
    return new


def main() -> None:
    """Print the median update time for the 1st to 10th rating."""
    movies = [option["value"] for option in your_taste_lists.movie_options()[:60:6]]
    one_update({}, movies[0], 4)  # warm the artifact caches
    ratings: dict = {}
    for count, movie_id in enumerate(movies, start=1):
        stars = 1 + (count * 3) % 5
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            new = one_update(ratings, movie_id, stars)
            times.append((time.perf_counter() - start) * 1000)
        ratings = new
        print(f"{count:2d} ratings: {statistics.median(times):6.1f} ms per update")


if __name__ == "__main__":
    main()
