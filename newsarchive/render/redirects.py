"""Redirect pages: an article's old addresses (``Aliases:``) and the old pages of renamed
tags answer with a page that sends the reader on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from ..errors import Problem
from ..model import Archive
from ..slugs import make_slug, site_path_problem
from .pages import REDIRECT_TEMPLATE, PageJob


@dataclass(frozen=True)
class Redirect:
    """An old address (a site path: ``1987/03/12/old/``, or a file ``old.html``) that now
    answers with a page sending the reader to ``new`` (a site path). ``origin`` and
    ``line``: the file that asked for it, for a warning when it cannot be written."""

    old: str
    new: str
    title: str = ""  # what the link to ``new`` says ("" shows its address)
    origin: str = ""
    line: int = 1


def archive_redirects(archive: Archive) -> list[Redirect]:
    """Every redirect the archive asks for (the articles' ``Aliases``), in a fixed order."""
    return [
        Redirect(old, article.url, article.title, article.path)
        for article in archive.articles
        for old in article.aliases
    ]


_PATH = attrgetter("path")


@dataclass
class RealPaths:
    """The site's pages' paths casefolded, kept by ``serve`` with the last build's paths:
    a rebuild folds only the paths that came or went, found by set differences of the
    paths (the same string objects build after build, their hashes known), where folding
    every path was 35 ms a rebuild at 100,000 articles. ``folded`` counts the paths that
    fold alike."""

    keep: bool = True
    paths: set[str] = field(default_factory=set)
    folded: Counter[str] = field(default_factory=Counter)
    patched: int = 0  # rebuilds that folded only the paths that changed (for tests)

    def of(self, pages: Sequence[PageJob]) -> Collection[str]:
        """The casefolded paths of ``pages``."""
        if not self.keep:
            return set(map(str.casefold, map(_PATH, pages)))  # in C: every page
        now = set(map(_PATH, pages))
        came, went = now - self.paths, self.paths - now
        if not self.paths or len(came) + len(went) > len(now) // 4:
            self.folded = Counter(map(str.casefold, now))
        else:
            for path in map(str.casefold, went):
                self.folded[path] -= 1
                if not self.folded[path]:
                    del self.folded[path]
            self.folded.update(map(str.casefold, came))
            self.patched += 1
        self.paths = now
        return self.folded.keys()


def redirect_jobs(
    redirects: Sequence[Redirect], pages: Sequence[PageJob], real_paths: RealPaths | None = None
) -> tuple[list[PageJob], list[Problem]]:
    """The redirect pages of ``redirects``, and a warning for each refused.

    A real page always wins: an old address that is a page of the site (compared
    case-insensitively, as some file systems do), or that an earlier redirect took, is
    refused. Paths are checked here, whoever made them (site_path_problem): nothing may land
    outside the output folder or on the site's other files. ``real_paths`` (serve): the
    last build's pages' paths, patched here.
    """
    if not redirects:
        return [], []
    real = (real_paths if real_paths is not None else RealPaths(keep=False)).of(pages)
    taken: set[str] = set()
    jobs: list[PageJob] = []
    problems: list[Problem] = []
    for redirect in redirects:
        old = redirect.old
        path = old + "index.html" if old.endswith("/") or not old else old
        why = site_path_problem(old)
        if why is None and path.casefold() in real:
            why = "is a page of the site" if old != redirect.new else "is this article's URL"
        elif why is None and path.casefold() in taken:
            why = "is already an alias of another page"
        if why is not None:
            message = f"alias {old!r} {why}; no redirect written"
            problems.append(Problem(redirect.origin, redirect.line, message, "warning"))
            continue
        taken.add(path.casefold())
        context = {"target": redirect.new, "title": redirect.title}
        jobs.append(PageJob(REDIRECT_TEMPLATE, path, context))
    return jobs, problems


def subject_redirects(archive: Archive) -> list[Redirect]:
    """The old pages of own tags the tags stage renamed (``tags/usa/`` -> ``tags/united-states/``,
    see :mod:`newsarchive.tags.subjects`), where no tag has that page now."""
    slugs = {tag.slug for tag in archive.tags}
    out: dict[str, Redirect] = {}
    for old, new in sorted(archive.renamed.items()):
        slug, target = make_slug(old, old.casefold()), archive.tag_slug(new)
        if slug not in slugs and slug not in out:
            out[slug] = Redirect(f"tags/{slug}/", f"tags/{target}/", new)
    return list(out.values())
