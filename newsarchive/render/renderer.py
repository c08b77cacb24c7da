"""Rendering a page: the theme's Jinja2 templates and the helpers they use.

Every link inside the site is relative (``../../tags/x/index.html``), so one build works at
the root of a host, under a sub-path and opened from disk. Absolute URLs (canonical,
Open Graph) come from ``base_url``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import operator
import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import jinja2.bccache
from jinja2.runtime import new_context
from markupsafe import Markup

from ..config import Config
from ..content.plaintext import credit_parts
from ..model import KIND_LABELS, Archive, Article, Period, Tag, by_kind
from ..search.sorting import SORT_LABELS
from .compiled import Environment, quick_gettext
from .i18n import Dates, load_translations, plural_forms
from .literals import LiteralTranslations, catalogue_key
from .pages import ENTRY_PARTIAL, PageJob
from .periods import month_weeks, year_months
from .tagindex import tag_index
from .timeline import Timeline, layout
from .worldmap import FRAME, place_map, place_mark, prepare


def _tags_by_kind(tags: Iterable[Tag]) -> list[tuple[str, list[Tag]]]:
    return by_kind(tags, operator.attrgetter("kind"))


def relative_root(path: str) -> str:
    """Prefix from the page at ``path`` (e.g. ``tags/x/index.html``) back to the site root."""
    return "../" * path.count("/")


@functools.lru_cache(maxsize=32)
def dates_in(code: str) -> Dates:
    return Dates(code)


class Formats:
    """The date and number helpers templates use, in the site's language unless a call names
    another (an article's dates are written in its own language)."""

    def __init__(self, site: str):
        self.site = site

    def date(self, value: datetime, with_time: bool = False, lang: str = "") -> str:
        return dates_in(lang or self.site).date(value, with_time)

    def month_name(self, month: int, lang: str = "") -> str:
        return dates_in(lang or self.site).month_name(month)

    def day_month(self, month: int, day: int) -> str:
        return dates_in(self.site).day_month(month, day)

    def month_title(self, year: int, month: int, start: bool = True) -> str:
        return dates_in(self.site).month_title(year, month, start)

    def number(self, value: int) -> str:
        return dates_in(self.site).number(value)

    def size(self, value: int) -> str:
        return dates_in(self.site).size(value)

    def span(self, first: datetime, last: datetime) -> str:
        """The dates from ``first`` to ``last``: ``12 Feb – 30 Oct 1987``."""
        return dates_in(self.site).date_range(first.date(), last.date())

    def timeline(self, periods: Sequence[Period], small: bool = False) -> Timeline:
        """The chart of partials/timeline.html (see timeline.layout)."""
        dates = dates_in(self.site)
        return layout(periods, self.month_title, dates.month_abbr, small)

    def month_weeks(self, month: Period) -> list[list[Any]]:
        """A month's calendar weeks, from the site's locale's first day of the week."""
        return month_weeks(month, dates_in(self.site).first_weekday)

    def weekdays(self) -> list[tuple[str, str]]:
        return dates_in(self.site).weekdays()

    def period_title(self, period: Period) -> str:
        """``2023``, ``April 2023`` / ``Апрель 2023 г.``, ``10 April 2023``."""
        if period.kind == "year":
            return str(period.year)
        if period.kind == "month":
            return self.month_title(period.year, period.month)
        return self.date(datetime(period.year, period.month, period.day))


def lang_attr(code: str, site: str) -> Markup:
    """`` lang="ru"`` for text in another language than the site's (screen readers, spelling
    and hyphenation follow it); nothing when it is the site's. Made once a language (some
    ten calls an article page, each a Markup made and formatted in Python)."""
    if not code or code == site:
        return _NO_LANG
    return _lang_attr(code) if type(code) is str else Markup(' lang="{}"').format(code)


_NO_LANG = Markup("")


@functools.lru_cache(maxsize=256)
def _lang_attr(code: str) -> Markup:
    return Markup(' lang="{}"').format(code)


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one, not one a page


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script> element: ``<``, ``>`` and ``&`` escaped so text cannot close it."""
    data = {k: v for k, v in data.items() if v is not None}
    text = _JSON.encode(data)  # json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, checked against their source's checksum: ``serve``
    makes a Renderer per rebuild, and compiling the templates again was 30 ms of each."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODES: dict[str, _MemoryBytecodeCache] = {}  # by catalogue_key
T = TypeVar("T")


def _weakly(method: Callable[..., T]) -> Callable[..., T]:
    """``method`` for the templates' globals, without holding its object (the renderer, the
    archive). Jinja's environment and the contexts it renders with are reference cycles
    that keep copies of the globals, so strong references there kept the whole archive
    until the cyclic collector ran: in ``serve``, one archive of garbage per rebuild, and
    a collection right after it, on the way to the changed page (0.3 s at 20,000
    articles, seconds at 100,000)."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> T:
        bound = ref()
        assert bound is not None, "used after the build that made it"
        return bound(*args, **kwargs)

    return call


_IS_TEMPLATE = operator.methodcaller("endswith", ".html")


class Renderer:
    """Jinja2 environment plus the helpers templates use; renders one page at a time."""

    def __init__(
        self,
        templates: Sequence[Path],
        config: Config,
        archive: Archive,
        search_scripts: list[str],
    ):
        """``templates``: folders searched in order (see :class:`.theme.Theme`)."""
        self.config = config
        self.archive = archive
        self.env = Environment(  # Jinja's, compiled and called more cheaply (see .compiled)
            loader=jinja2.FileSystemLoader([str(folder) for folder in templates]),
            extensions=["jinja2.ext.i18n", LiteralTranslations],
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # a Renderer lives for one build: no stat of a template per page
            cache_size=-1,  # a dict, not an LRU cache's locked bookkeeping per template loaded
        )
        lang = config.site_language
        self.translations = load_translations(templates, lang)
        # Compiled templates hold their translated literals: one cache per catalogue.
        self.env.literal_translations = self.translations  # type: ignore[attr-defined]
        key = catalogue_key(self.translations)
        self.env.bytecode_cache = _BYTECODES.setdefault(key, _MemoryBytecodeCache())
        self.env.install_gettext_translations(self.translations, newstyle=True)  # type: ignore[attr-defined]
        quick_gettext(self.env, self.translations.gettext)
        formats = Formats(lang)
        self.env.filters.update(
            date=formats.date,
            month_name=formats.month_name,
            number=formats.number,
            filesize=formats.size,
            groupby_kind=_tags_by_kind,
        )
        self.env.globals.update(
            config=config,
            archive=weakref.proxy(archive),
            site_lang=lang,
            period_title=formats.period_title,
            day_month=formats.day_month,
            month_title=formats.month_title,
            date_span=formats.span,
            timeline=formats.timeline,
            year_months=year_months,
            month_weeks=formats.month_weeks,
            weekdays=formats.weekdays,
            plural_forms=functools.partial(plural_forms, self.translations, lang),
            script_dates=dates_in(lang).for_script,
            lang_attr=functools.partial(lang_attr, site=lang),
            credit_parts=credit_parts,
            json_ld=json_ld,
            search_scripts=search_scripts,
            tag_url=self.tag_url,
            tag_kind=_weakly(archive.tag_kind),
            tags_by_kind=_weakly(archive.tags_by_kind),
            kind_labels=KIND_LABELS,
            sort_labels=SORT_LABELS,
            entry=_weakly(self.entry),
            tag_index=tag_index,
            place_map=place_map,
            place_mark=place_mark,
            world_map=FRAME,
        )
        prepare(archive.tags)

        # Each article's listing entry, rendered once with a placeholder for the way back to
        # the site root: an article appears in five or more listings (home, tags, year, month,
        # day), and rendering its entry again in each was most of the listings' cost.
        self._entries: dict[str, str] = {}
        self._globals: dict[str, dict[str, Any]] = {}  # by template: see _render

    def load_templates(self) -> None:
        """Load (compile, the first time in this process) every template now: forked page
        workers then inherit them, where each compiled them again for each task. One that
        does not compile is left to fail where a page uses it, as it did (a theme may hold
        templates no page uses)."""
        for name in self.env.list_templates(filter_func=_IS_TEMPLATE):
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)

    @classmethod
    def compile_templates(cls, templates: Sequence[Path], config: Config) -> None:
        """Compile every template into this process's cache of compiled templates, for a
        build to call while it waits for its reads: its Renderer then loads them at once."""
        cls(templates, config, Archive((), (), ()), []).load_templates()

    def set_global(self, name: str, value: Any) -> None:
        """A template global known only late in the build (the search scripts' names)."""
        self.env.globals[name] = value
        self._globals.clear()

    def _render(self, name: str, context: dict[str, Any]) -> str:
        """``Template.render``, less its copy of the template's globals for each page: they
        are a ChainMap over the environment's, which Jinja copied key by key, twice a page
        and once more for each listing entry (a tenth of the render time)."""
        template = self.env.get_template(name)
        flat = self._globals.get(name)
        if flat is None:
            flat = self._globals[name] = dict(template.globals)
        blocks = template.blocks
        ctx = new_context(self.env, template.name, blocks, {**flat, **context}, True, flat)
        try:
            return self.env.concat(template.root_render_func(ctx))  # type: ignore[attr-defined]
        except Exception:
            self.env.handle_exception()
        raise AssertionError("handle_exception raises")  # pragma: no cover

    @functools.cached_property
    def tag_url(self) -> Callable[[str], str]:
        """``tag_url(name)``: ``tags/<slug>/``, a dict look-up in C after the first time
        (templates call it for every tag chip: it was four Python calls)."""
        return _TagUrls(self.archive).__getitem__

    def entry(self, item: Article, root: str, tag_page: str = "") -> Markup:
        """The listing entry of ``item`` on a page whose way back to the root is ``root``;
        on a tag's page (``tag_page``, its slug) without that tag's own chip."""
        html = self._entries.get(item.url)
        if html is None:
            context = {"item": item, "link": _link_from(ROOT_MARK)}
            html = self._entries[item.url] = self._render(ENTRY_PARTIAL, context)
        if tag_page:
            html = _without_chip(html, tag_page)
        return Markup(html.replace(ROOT_MARK, root))

    def render(self, job: PageJob) -> tuple[str, bytes]:
        return self.page(job.template, job.path, **job.context)

    def page(self, template: str, path: str, **context: Any) -> tuple[str, bytes]:
        """Render ``template`` as the file ``path``; links in it are made relative to it."""
        root = relative_root(path)

        def asset(target: str) -> str:
            return root + target

        context.update(root=root, link=_link_from(root), asset=asset, page_path=path)
        html = self._render(template, context)
        return path, html.encode("utf-8")


class _TagUrls(dict[str, str]):
    """Each tag name's URL, made when first asked for; holds the archive weakly, as the
    templates' globals must (see _weakly)."""

    def __init__(self, archive: Archive):
        super().__init__()
        self._archive = weakref.ref(archive)

    def __missing__(self, name: str) -> str:
        archive = self._archive()
        assert archive is not None, "used after the build that made it"
        url = self[name] = f"tags/{archive.tag_slug(name)}/"
        return url


# Stands for a page's way back to the root in cached entries; control characters never occur
# in article text (content/values.py drops them), so it cannot clash with anything a page shows.
ROOT_MARK = "\x00root\x00"


_TAGS_OPEN = ' · <span class="tags">'


def _without_chip(html: str, slug: str) -> str:
    """A cached entry without the chip of the tag ``slug`` (partials/entry.html writes
    chips so), and the space after it; without the tag list's start and end too when it is
    the entry's only shown tag. By string search: a compiled pattern per tag, kept in a
    small cache, was compiled again and again once the workers took listings by time."""
    start = html.find(f'<a class="tag" href="{ROOT_MARK}tags/{slug}/index.html">')
    if start < 0:
        return html
    end = html.find("</a>", start) + len("</a>")
    before = start - len(_TAGS_OPEN)
    if html.startswith(_TAGS_OPEN, before) and html.startswith("</span>", end):
        return html[:before] + html[end + len("</span>") :]
    return html[:start] + html[end + html.startswith(" ", end) :]


def _link_from(root: str) -> Callable[[str], str]:
    """``link(target)`` for a page at ``root``: the relative URL of a site path (a folder's
    ``index.html``, so links also work from file://)."""

    def link(target: str) -> str:
        return f"{root}{target}index.html" if not target or target.endswith("/") else root + target

    return link
