"""Rendering and writing pages, in forked processes on a large build: each inherits the
renderer and the archive when it forks, so a task only names a range of pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import parallel
from ..output import SiteWriter, Stamp
from ..parallel import ForkedTasks
from .pages import ARTICLE_TEMPLATE, PageJob
from .renderer import Renderer

# What forked page workers render: set before they fork, so they inherit it instead of
# receiving the archive through a pipe. Tasks then only name a range of ``pages``.
_WORK: tuple[Renderer, SiteWriter, Sequence[PageJob]] | None = None
# Pages per task, at least: below this a build renders in this process. Tasks are bigger
# on a large build, about 4 per worker (each task is a fork, and reports progress once),
# and at most _MOST_PAGES, which bounds what one task copies of this process's memory.
_TASK_PAGES = 250
_MOST_PAGES = 20_000


def task_ranges(pages: int, jobs: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` ranges of pages that the tasks render."""
    return parallel.task_ranges(pages, jobs, _TASK_PAGES, _MOST_PAGES)


def _render_range(bounds: tuple[int, int]) -> tuple[list[tuple[str, Stamp]], int]:
    """In a worker: render and write the pages in ``bounds``; their paths and stamps (the
    first is the size), and the number of articles among them (for progress)."""
    assert _WORK is not None
    renderer, writer, pages = _WORK
    done, articles = [], 0
    for job in pages[bounds[0] : bounds[1]]:
        path, data = renderer.render(job)
        stamp = writer.write(path, data, key="")  # recorded again, with its key, by the parent
        assert stamp is not None  # never in place
        done.append((path, stamp))
        articles += job.template == ARTICLE_TEMPLATE
    return done, articles


def render_order(pages: Sequence[PageJob]) -> list[PageJob]:
    """The pages in the order the workers take them: listings by the time of their newest
    article (the others first, as given). Each task renders an article's listing entry once
    (:meth:`.Renderer.entry` keeps it) and starts with none: in page order, a task of
    listings held the home pages, then the days, then the tags, each over the whole
    archive, so every task rendered most entries again (a tenth of the workers' time at
    20,000 articles). By time, its listings of every kind share their articles."""

    def newest(job: PageJob) -> tuple[int, float]:
        items = getattr(job.context.get("pagination"), "items", None)
        return (1, -items[0].posted.timestamp()) if items else (0, 0.0)

    return sorted(pages, key=newest)  # stable: the others keep their order


class PageWriter:
    """Renders and writes pages, in ``jobs`` forked processes or (jobs == 1) in ``wait()``."""

    def __init__(
        self,
        renderer: Renderer,
        writer: SiteWriter,
        pages: Sequence[PageJob],
        keys: dict[str, str],
        jobs: int,
        step: Callable[[int], None],
    ):
        self.renderer, self.writer, self.pages, self.keys = renderer, writer, pages, keys
        self.step = step
        self.tasks: ForkedTasks[tuple[int, int], tuple[list[tuple[str, Stamp]], int]] | None
        self.tasks = None
        if jobs > 1 and len(pages) > _TASK_PAGES and not writer.in_place:
            global _WORK
            renderer.load_templates()  # once here, not in each task (see Renderer)
            _WORK = (renderer, writer, render_order(pages))
            self.tasks = ForkedTasks(_render_range, task_ranges(len(pages), jobs), jobs)

    def __enter__(self) -> PageWriter:
        return self

    def wait(self) -> None:
        done = 0
        if self.tasks is None:
            for job in self.pages:
                path, data = self.renderer.render(job)
                self.writer.write(path, data, key=self.keys[path])
                if job.template == ARTICLE_TEMPLATE:
                    done += 1
                    if done % 200 == 0:
                        self.step(done)
            self.step(done)
            return
        for written, articles in self.tasks.results():  # in order: an error is the first's
            for path, stamp in written:
                self.writer.record(path, stamp[0], self.keys[path], stamp=stamp)
                self.writer.changed.append(path)
            done += articles
            self.step(done)

    def __exit__(self, *exc: object) -> None:
        global _WORK
        if self.tasks is not None:
            self.tasks.close()
        _WORK = None
