"""The render stage: the archive model in, HTML pages out, as ``(path, bytes)`` pairs.

Every link inside the site is relative (``../../tags/x/index.html``), so one build works at
the root of a host, under a sub-path and opened from disk. Absolute URLs (canonical,
Open Graph) come from ``base_url``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .config import Config
from .content import credit_parts
from .model import Archive, Article, Period

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


@dataclass(frozen=True)
class Pagination:
    """One page of a listing. Page 1 lives at ``base``, page n at ``base/page/n/``."""

    base: str
    number: int
    total: int
    items: Sequence[Article]
    count: int

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def path(self) -> str:
        return self.url(self.number)

    @property
    def newer(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def older(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.total else None


def paginate(base: str, articles: Sequence[Article], per_page: int) -> Iterator[Pagination]:
    total = max(1, -(-len(articles) // per_page))
    for number in range(1, total + 1):
        items = articles[(number - 1) * per_page : number * per_page]
        yield Pagination(base, number, total, items, len(articles))


def relative_root(path: str) -> str:
    """Prefix from the page at ``path`` (e.g. ``tags/x/index.html``) back to the site root."""
    return "../" * path.count("/")


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def format_date(value: datetime, with_time: bool = False) -> str:
    """Locale-independent, so builds are identical everywhere: ``10 April 2023, 13:13``."""
    text = f"{value.day} {month_name(value.month)} {value.year}"
    return f"{text}, {value:%H:%M}" if with_time else text


def period_title(period: Period) -> str:
    if period.kind == "year":
        return str(period.year)
    if period.kind == "month":
        return f"{month_name(period.month)} {period.year}"
    return f"{period.day} {month_name(period.month)} {period.year}"


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script> element: ``<``, ``>`` and ``&`` escaped so text cannot close it."""
    data = {k: v for k, v in data.items() if v is not None}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class Renderer:
    """Jinja2 environment plus the helpers templates use; renders one page at a time."""

    def __init__(
        self, templates: Path, config: Config, archive: Archive, search_scripts: list[str]
    ):
        self.config = config
        self.archive = archive
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(date=format_date, month_name=month_name)
        self.env.globals.update(
            config=config,
            archive=archive,
            period_title=period_title,
            credit_parts=credit_parts,
            json_ld=json_ld,
            search_scripts=search_scripts,
            tag_url=self.tag_url,
        )

    def tag_url(self, name: str) -> str:
        return f"tags/{self.archive.tag_slug(name)}/"

    def page(
        self, template: str, path: str, root: str | None = None, **context: Any
    ) -> tuple[str, bytes]:
        """Render ``template`` as the file ``path``; links in it are made relative to it."""
        root = relative_root(path) if root is None else root

        def link(target: str) -> str:
            return (
                f"{root}{target}index.html" if not target or target.endswith("/") else root + target
            )

        def asset(target: str) -> str:
            return root + target

        html = self.env.get_template(template).render(
            root=root, link=link, asset=asset, page_path=path, **context
        )
        return path, html.encode("utf-8")


def render_pages(
    renderer: Renderer, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every HTML page of the site, in a fixed order (the order is part of determinism)."""
    archive, config = renderer.archive, renderer.config
    per_page = config.per_page
    for page in paginate("", archive.articles, per_page):
        yield renderer.page("index.html", page.path + "index.html", pagination=page)
    for article in archive.articles:
        yield renderer.page(
            "article.html",
            article.url + "index.html",
            article=article,
            newer=archive.newer(article),
            older=archive.older(article),
        )
        if progress:
            progress(1)
    yield renderer.page("tags.html", "tags/index.html", tags=archive.tags)
    for tag in archive.tags:
        yield from _listing(renderer, "tag.html", tag.url, tag.articles, tag=tag)
    for year in archive.years:
        yield from _period(renderer, year)
    yield renderer.page("archive.html", "archive/index.html", years=archive.years)
    yield renderer.page("search.html", "search/index.html")
    # A 404 page is served at any depth, so its links start from base_url's path instead.
    yield renderer.page("404.html", "404.html", root=urlsplit(config.site_url).path)


def _listing(
    renderer: Renderer, template: str, base: str, articles: Sequence[Article], **context: Any
) -> Iterator[tuple[str, bytes]]:
    for page in paginate(base, articles, renderer.config.per_page):
        yield renderer.page(template, page.path + "index.html", pagination=page, **context)


def _period(renderer: Renderer, period: Period) -> Iterator[tuple[str, bytes]]:
    yield from _listing(renderer, "period.html", period.url, period.articles, period=period)
    for child in period.children:
        yield from _period(renderer, child)
