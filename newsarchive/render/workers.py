"""Rendering and writing pages, in forked worker processes on a large build: the workers
inherit the renderer and the archive when they fork, so tasks only name a range of pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from ..output import SiteWriter, Stamp
from ..parallel import forked_pool
from .pages import ARTICLE_TEMPLATE, PageJob
from .renderer import Renderer

# What forked page workers render: set before the pool forks, so they inherit it instead of
# receiving the archive through a pipe. Tasks then only name a range of ``pages``.
_WORK: tuple[Renderer, SiteWriter, Sequence[PageJob]] | None = None
# Pages per task: small enough to balance the workers, big enough that handing out tasks
# costs little.
_TASK_PAGES = 250


def _render_range(start: int, end: int) -> tuple[list[tuple[str, Stamp]], int]:
    """In a worker: render and write pages[start:end]; their paths and stamps (the first
    is the size), and the number of articles among them (for progress)."""
    assert _WORK is not None
    renderer, writer, pages = _WORK
    done, articles = [], 0
    for job in pages[start:end]:
        path, data = renderer.render(job)
        stamp = writer.write(path, data, key="")  # recorded again, with its key, by the parent
        assert stamp is not None  # never in place
        done.append((path, stamp))
        articles += job.template == ARTICLE_TEMPLATE
    return done, articles


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
        self.pool: ProcessPoolExecutor | None = None
        self.tasks: list[Future[tuple[list[tuple[str, Stamp]], int]]] = []
        if jobs > 1 and len(pages) > _TASK_PAGES and not writer.in_place:
            global _WORK
            _WORK = (renderer, writer, pages)
            self.pool = forked_pool(jobs)
            self.tasks = [
                self.pool.submit(_render_range, start, start + _TASK_PAGES)
                for start in range(0, len(pages), _TASK_PAGES)
            ]

    def __enter__(self) -> PageWriter:
        return self

    def wait(self) -> None:
        done = 0
        if self.pool is None:
            for job in self.pages:
                path, data = self.renderer.render(job)
                self.writer.write(path, data, key=self.keys[path])
                if job.template == ARTICLE_TEMPLATE:
                    done += 1
                    if done % 200 == 0:
                        self.step(done)
            self.step(done)
            return
        for task in self.tasks:  # in order, so an error is the first page's that failed
            written, articles = task.result()
            for path, stamp in written:
                self.writer.record(path, stamp[0], self.keys[path], stamp=stamp)
                self.writer.changed.append(path)
            done += articles
            self.step(done)

    def __exit__(self, *exc: object) -> None:
        global _WORK
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _WORK = None
