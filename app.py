"""The explorable article as a Dash app.

Run ``python app.py`` for a development server, or serve ``app:server`` with any WSGI
server (``gunicorn -c gunicorn.conf.py app:server``). The app reads only ``precomputed/``;
it never trains and never imports torch. The page is built once per process (before
gunicorn forks its workers), so the index HTML stays small and every reader gets the same
layout; ``hosting`` adds compression, cache headers, request limits and share tags.
"""

from __future__ import annotations

import importlib
import logging
import os

# Before numpy loads: the app's linear algebra is tiny (Box 9 solves one small ridge system per
# update, one row and column per latent factor plus the bias), and
# a multi-threaded BLAS on a busy server spends more time waking threads than computing.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from dash import Dash, html  # noqa: E402
from dash._callback import GLOBAL_CALLBACK_LIST  # noqa: E402

import hosting  # noqa: E402
from components import artifacts, intro, outline, toc  # noqa: E402
from components.box import number_figures, unavailable_box  # noqa: E402
from hosting import bundles, deferred, first_paint, lazy_plotly, prepared  # noqa: E402

# Article order: one module per entry of the outline (which also numbers the boxes and
# feeds the table of contents). Importing a module registers its callbacks.
SECTIONS = [importlib.import_module(outline.module_name(entry.prefix)) for entry in outline.OUTLINE]

#: Boxes in the layout itself: what the first screen shows on a phone and a laptop. The
#: browser mounts the others when the reader gets near them (hosting.deferred).
KEPT_BOXES = 2


def build_section(section) -> tuple[html.Section, list[str]]:
    """One section as its module lays it out, and the problems of the artifacts it reads."""
    prefix = section.PREFIX
    found = [problem.sentence() for problem in artifacts.box_problems(prefix)]
    try:
        layout = section.layout()
    except artifacts.ArtifactError as error:  # a check across files (ids that disagree)
        layout, found = html.Section(id=prefix, className=f"box {prefix}"), [str(error)]
    return layout, found


def build_layout() -> html.Div:
    """The whole page: the table of contents, then the sections in article order.

    Figure captions are numbered in page order (:func:`components.box.number_figures`).
    """
    built = [build_section(section) for section in SECTIONS]
    for (layout, _), section in zip(built, SECTIONS, strict=True):
        number_figures(layout, section.PREFIX)
    main = html.Main(
        [unavailable_box(layout, found) if found else layout for layout, found in built],
        id="main",
    )
    return html.Div(className="article", children=[toc.layout(), main])


def build_page(dash_app: Dash) -> tuple[html.Div, deferred.DeferredBoxes | None]:
    """The layout the browser gets: the first boxes, and placeholders for the others
    (with the file that holds their trees, or None when every box is in the layout)."""
    page = build_layout()
    main = next(child for child in page.children if getattr(child, "id", None) == "main")
    callbacks = [*GLOBAL_CALLBACK_LIST, *dash_app._callback_list]
    main.children, boxes = deferred.defer(main.children, callbacks, KEPT_BOXES)
    return page, boxes


def set_page(dash_app: Dash) -> None:
    """Build the page and give it to ``dash_app``: its layout, and the file with the trees
    of the boxes mounted later (served from now on)."""
    dash_app.layout, boxes = build_page(dash_app)
    if boxes is not None:
        deferred.publish(dash_app, boxes)
    # A box taken off the page, or not mounted yet, leaves callbacks without their
    # components: the renderer must not report each of them as an error in the console.
    dash_app.config.suppress_callback_exceptions = True


app = Dash(
    __name__,
    title=hosting.sharing.TITLE,
    update_title=None,
    # plotly.js is loaded by the browser when a graph needs it (hosting.lazy_plotly); the
    # other scripts and the stylesheets come joined into one file each (hosting.bundles).
    assets_ignore=bundles.ASSETS_IGNORE if bundles.enabled() else lazy_plotly.ASSETS_IGNORE,
)
if bundles.enabled():
    bundles.register(app, exclude=lazy_plotly.ASSETS_IGNORE)
# Screen readers need the page language; Dash's default template leaves it out.
app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
# A component tree, not a function: Dash embeds a function's result a second time in the
# index HTML (as the validation layout), and would rebuild it for every reader.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
# Check every artifact once, before any box reads one: one log line per problem.
artifacts.problems()
set_page(app)
hosting.configure(app, hosting.sharing.Site.from_env())
lazy_plotly.register(app)
# The index shows the title and first paragraph before any script has run (Lighthouse's
# largest contentful paint), inside the page's own classes so nothing moves afterwards.
first_paint.register(
    app, intro.opening(), ('<div class="article">', "<main>", '<section class="box intro">')
)
server = app.server


@server.errorhandler(artifacts.ArtifactError)
def _box_unavailable(error: artifacts.ArtifactError):
    """A callback of a box whose data is damaged changes nothing (its notice is shown)."""
    return "", 204


# Last: the files and JSON documents every reader loads are answered from memory, exactly
# as the app (with every hook above) answers them now (hosting.prepared).
prepared.install(app)


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )

__all__ = ["app", "server"]
