"""plotly.js loads when the first graph needs it, not with the page.

The partial bundle (``assets/vendor/plotly-basic.min.js``, 1.2 MB) took about a second of a
throttled phone's main thread to evaluate, and no graph is on the first screen: every
graph is in a box the browser mounts later (:mod:`hosting.deferred`). So the bundle is left
out of the index (Dash's ``assets_ignore``) and its versioned URL is written into a
``<meta name="plotly-js">`` tag; ``assets/graphs_on_demand.js`` loads it once, when the reader
starts reading or when a ``dcc.Graph`` first asks for ``window.Plotly``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from dash import Dash

from hosting.caching import asset_version

#: The bundle, relative to ``assets/``.
BUNDLE = "vendor/plotly-basic.min.js"
#: For ``Dash(assets_ignore=...)``: Dash matches it against file names.
ASSETS_IGNORE = f"^{re.escape(PurePosixPath(BUNDLE).name)}$"
META_NAME = "plotly-js"


def bundle_url(app: Dash) -> str:
    """The bundle's URL relative to the request prefix, with Dash's ``?m=`` version.

    Raises:
        FileNotFoundError: if the bundle is missing from the app's assets folder.
    """
    version = asset_version(app.config.assets_folder, BUNDLE)
    if version is None:
        raise FileNotFoundError(f"{app.config.assets_folder}/{BUNDLE} is missing")
    return f"assets/{BUNDLE}?m={version}"


def register(app: Dash) -> None:
    """Name the bundle in the index's ``<meta name="plotly-js">``; the app must have been
    created with ``assets_ignore=ASSETS_IGNORE`` so that the index does not load it."""
    meta = f'<meta name="{META_NAME}" content="{bundle_url(app)}">'
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        kwargs["metas"] = kwargs.get("metas", "") + meta
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index


__all__ = ["ASSETS_IGNORE", "BUNDLE", "META_NAME", "bundle_url", "register"]
