"""A static copy of the article: a folder any static file server can host.

``python -m site_export OUT`` asks the Dash app (in-process, through Flask's test client)
for everything a browser fetches on a first visit, and writes it to ``OUT``:

- ``index.html``: Dash's index with relative URLs (the folder can live under any path)
  and ``static-copy.js`` loaded first;
- ``_dash-layout.json`` and ``_dash-dependencies.json``: Dash's renderer fetches
  ``_dash-layout`` and ``_dash-dependencies`` and insists on a JSON content type, which a
  static server gives only to names ending in ``.json``; ``static-copy.js`` adds the
  suffix to those two fetches;
- the component bundles (under their fingerprinted names, plus the lazily loaded chunks),
  ``assets/``, the favicon and ``robots.txt``.

The layout already holds every box's default state (Xiao, Buffy, the default models, the
cold-start list), and the toys are clientside callbacks, so the copy works for the
default reader without Python. Server callbacks become a clientside hook that shows "this
needs the live app" next to the control that was used (:func:`rewrite.static_dependencies`).
"""

from __future__ import annotations

from site_export.export import ExportError, export_site

__all__ = ["ExportError", "export_site"]
