"""The pure core both halves stand on: vocabulary, the EmbeddingMF numpy scorer, artifacts.

Imports only numpy and pandas (and the standard library); never :mod:`models` (the offline
pipeline, torch) nor :mod:`components` (the Dash app). ``models`` writes through it,
``components`` reads through it (see ARCHITECTURE.md).
"""
