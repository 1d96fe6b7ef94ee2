"""``python -m site_export OUT``: write the static copy of the article to the folder OUT."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Export the article; returns the exit status (0, or 2 with a message on stderr)."""
    parser = argparse.ArgumentParser(
        prog="python -m site_export",
        description=(
            "Write a static copy of the article (index.html, layout, dependencies, bundles, "
            "assets) that any static file server can host, e.g. "
            "`python -m http.server -d OUT`."
        ),
    )
    parser.add_argument(
        "out", type=Path, help="folder to write (created; an earlier copy is replaced)"
    )
    args = parser.parse_args(argv)

    from site_export.export import ExportError, export_site

    try:
        from app import app  # builds the layout once, reading precomputed/

        summary = export_site(app, args.out)
    except ExportError as error:
        print(f"site_export: {error}", file=sys.stderr)
        return 2
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
