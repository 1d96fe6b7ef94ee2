"""Print the time each Box 6-8 callback takes per change (ms) and its figure's JSON size.

Usage: ``python scripts/measure_user_views.py``. Artifacts are read once first (as the
running app does at its first request); each callback then runs for ten users not seen
before, so per-user caches do not flatter the numbers. Not a test: timings vary by machine.
The ten users need every reader's records: build them first with
``python -m models.reader_records`` (only Xiao's ship with the repository).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components import movie_why, selection_state, user_trends, venn  # noqa: E402

USERS = [1680, 4169, 1941, 1181, 889, 3618, 2063, 1150, 1015, 5795]
MOVIES = [3264, 2858, 1617, 3391, 260, 1, 2571, 1196, 593, 3408]


def measure(name, function, arguments):
    """Run ``function`` on each argument tuple; print median and max ms, JSON bytes."""
    times, sizes = [], []
    for args in arguments:
        start = time.perf_counter()
        result = function(*args)
        times.append((time.perf_counter() - start) * 1000)
        for output in result if isinstance(result, tuple) else (result,):
            if hasattr(output, "to_json"):
                sizes.append(len(output.to_json()))
    size = f", figure JSON max {max(sizes) / 1000:.1f} KB" if sizes else ""
    print(f"{name:32s} median {statistics.median(times):6.1f} ms, max {max(times):6.1f} ms{size}")


def main() -> None:
    """Warm the artifact reader, then time each box's one callback per change."""
    warm = {"user": 1, "movie": 1, "compare": 2}
    venn.venn_overview(warm, "all")
    movie_why.movie_why_outputs(warm)
    user_trends.user_trends_outputs(warm, "occupation")
    selection_state.search_movies("warm")
    states = [{"user": u, "movie": m, "compare": 3391} for u, m in zip(USERS, MOVIES, strict=True)]
    for scope in ("test", "all"):
        measure(f"venn overview ({scope})", venn.venn_overview, [(s, scope) for s in states])
        measure(f"venn picture ({scope})", venn.venn_picture, [(s, scope, None) for s in states])
        measure(
            f"venn listing ({scope})", venn.venn_listing, [(s, scope, "rating") for s in states]
        )
    measure("movie-why, new user", movie_why.movie_why_outputs, [(s,) for s in states])
    for dimension in user_trends.DIMENSIONS:
        measure(
            f"user-trends {dimension}",
            user_trends.user_trends_outputs,
            [(s, dimension) for s in states],
        )
    measure(
        "selection store + pickers (url)",
        selection_state.selection_update,
        [(None, None, {"search": f"?user={u}"}) for u in USERS],
    )
    measure(
        "selection title search",
        selection_state.search_movies,
        [("the",), ("confid",), ("star wars",)],
    )
    measure(
        "selection like me",
        selection_state.find_similar_user,
        [("M", "25-34", "writer", "any")] * 5,
    )


if __name__ == "__main__":
    main()
