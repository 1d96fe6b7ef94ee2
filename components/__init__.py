"""The article's interactive boxes: one module per box, each exposing ``layout()``.

Modules register their callbacks with ``@dash.callback`` at import time and read only
``precomputed/`` (through :mod:`components.artifacts`); none imports torch.
"""
