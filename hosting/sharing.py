"""A page that shares well: description, Open Graph and Twitter-card tags, robots.txt.

The tags are the same for every query string, so a shared ``/?user=42`` link shows the
same card as the bare page. Where the article is hosted comes from the ``SITE_URL``
environment variable (e.g. ``https://example.org/recsys``); the canonical link, ``og:url``
and the sitemap need an absolute URL and are left out without it (a relative canonical
is invalid for search engines), while the preview image falls back to a relative URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from dash import Dash
from flask import Response

TITLE = "Why recommendations miss: an explorable"
DESCRIPTION = (
    "An explorable article on recommender systems: matrix factorization by hand, two "
    "models trained on MovieLens 1M, and why their suggestions sometimes miss."
)
#: The preview card image in ``assets/`` (made by ``scripts/make_preview_image.py``).
PREVIEW_IMAGE = "preview.png"
PREVIEW_SIZE = (1200, 630)
PREVIEW_ALT = (
    "The opening of the article: its title, Why recommendations miss, and the first "
    "section, What is a recommender system?"
)
#: robots.txt and the sitemap change only with a deploy.
TEXT_CACHE_CONTROL = "public, max-age=3600"


@dataclass(frozen=True)
class Site:
    """Where the article is hosted.

    Attributes:
        url: absolute http(s) URL of the page, without a trailing slash
            (``https://example.org/recsys``), or None when unknown.
    """

    url: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Site:
        """Read ``SITE_URL``; empty or unset means unknown.

        Raises:
            ValueError: ``SITE_URL`` is not an absolute http(s) URL without query or
                fragment.
        """
        raw = (os.environ if environ is None else environ).get("SITE_URL", "").strip()
        if not raw:
            return cls(None)
        parts = urlsplit(raw)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                "SITE_URL must be the absolute http(s) address the article is served at, "
                f"such as https://example.org/recsys (got {raw[:100]!r})"
            )
        return cls(raw.rstrip("/"))

    @property
    def canonical(self) -> str | None:
        """The page's canonical URL (the site URL with a trailing slash), or None."""
        return None if self.url is None else self.url + "/"


def meta_tags(site: Site, image_url: str) -> list[dict[str, str]]:
    """The ``<meta>`` tags of the index (for ``Dash(meta_tags=...)``).

    Args:
        site: where the article is hosted.
        image_url: URL of the preview image (absolute when ``site.url`` is known).
    """
    width, height = PREVIEW_SIZE
    tags = [
        {"name": "description", "content": DESCRIPTION},
        {"property": "og:type", "content": "article"},
        {"property": "og:title", "content": TITLE},
        {"property": "og:description", "content": DESCRIPTION},
        {"property": "og:image", "content": image_url},
        {"property": "og:image:type", "content": "image/png"},
        {"property": "og:image:width", "content": str(width)},
        {"property": "og:image:height", "content": str(height)},
        {"property": "og:image:alt", "content": PREVIEW_ALT},
        {"name": "twitter:card", "content": "summary_large_image"},
        {"name": "twitter:title", "content": TITLE},
        {"name": "twitter:description", "content": DESCRIPTION},
        {"name": "twitter:image", "content": image_url},
        {"name": "twitter:image:alt", "content": PREVIEW_ALT},
    ]
    if site.canonical is not None:
        tags.insert(2, {"property": "og:url", "content": site.canonical})
    return tags


def preview_image_url(app: Dash, site: Site) -> str:
    """The preview image's URL: absolute under ``site.url``, else Dash's relative one."""
    if site.url is None:
        return app.get_asset_url(PREVIEW_IMAGE)
    return f"{site.url}/{app.config.assets_url_path.strip('/')}/{PREVIEW_IMAGE}"


def index_string(template: str, site: Site) -> str:
    """``template`` (Dash's index string) with the canonical link after the meta tags."""
    if site.canonical is None:
        return template
    link = f'<link rel="canonical" href="{escape(site.canonical)}">'
    return template.replace("{%metas%}", "{%metas%}\n        " + link, 1)


def robots_txt(site: Site) -> str:
    """robots.txt: everything may be crawled (Dash's JSON routes render the page)."""
    lines = ["User-agent: *", "Allow: /"]
    if site.url is not None:
        lines.append(f"Sitemap: {site.url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap_xml(site: Site) -> str:
    """A sitemap holding the one page (needs ``site.url``)."""
    if site.canonical is None:
        raise ValueError("a sitemap needs SITE_URL")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <url><loc>{escape(site.canonical)}</loc></url>\n"
        "</urlset>\n"
    )


def _text(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = TEXT_CACHE_CONTROL
    return response


def register(app: Dash, site: Site) -> None:
    """Add the share tags and canonical link to the index; serve robots.txt (and sitemap)."""
    app.config.meta_tags = [*app.config.meta_tags, *meta_tags(site, preview_image_url(app, site))]
    app.index_string = index_string(app.index_string, site)
    prefix = app.config.routes_pathname_prefix
    app.server.add_url_rule(
        prefix + "robots.txt",
        endpoint="robots_txt",
        view_func=lambda: _text(robots_txt(site), "text/plain"),
    )
    if site.url is not None:
        app.server.add_url_rule(
            prefix + "sitemap.xml",
            endpoint="sitemap_xml",
            view_func=lambda: _text(sitemap_xml(site), "application/xml"),
        )
