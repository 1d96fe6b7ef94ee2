"""How the article is served: compression, cache headers, request limits, security headers
and share tags.

Nothing here changes what a reader sees; it changes how many bytes reach the reader and how
the page looks when its link is shared. :func:`configure` applies all of it to a Dash app.
"""

from __future__ import annotations

from dash import Dash

from hosting import caching, compression, security, sharing

#: Largest request body the server reads (callback requests are a few KB); larger gets 413.
MAX_REQUEST_BODY_BYTES = 1024 * 1024


def configure(app: Dash, site: sharing.Site) -> None:
    """Give ``app`` its hosting behaviour: call once, after the layout and callbacks are set.

    Args:
        app: the article's Dash app (Flask backend).
        site: where the article lives, for the share tags, robots.txt and sitemap.
    """
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BODY_BYTES
    sharing.register(app, site)
    security.register(app)
    # Flask runs after-request hooks in reverse order of registration: cache headers (and
    # the ETags that conditional requests need) are set first, compression comes last.
    compression.register(app)
    caching.register(app)


__all__ = ["MAX_REQUEST_BODY_BYTES", "configure"]
