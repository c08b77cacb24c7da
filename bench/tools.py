"""One runner per tool: build the same size set and measure it the same way.

Each runner returns a plain dict for ``results.json``; a tool that fails or times out gives
``{"error": ...}`` (or ``{"skipped": ...}``) instead of figures, and the run goes on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import SizeSet
from .measure import Run, Series, ToolFailed, files_size, repeat, run, tree_size

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
HUGO_TEMPLATE = BENCH / "hugo"
PELICAN_SETTINGS = BENCH / "pelican" / "pelicanconf.py"
PAGEFIND_BINARY = BENCH / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
PAGEFIND_WRAPPER = BENCH / "node_modules" / ".bin" / "pagefind"
PELICAN = BENCH / ".venv" / "bin" / "pelican"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PELICAN_LIMIT = 15 * 60  # the issue: skip Pelican at a size that would take longer

NEWSARCHIVE_CONFIG = """\
# newsarchive settings for the benchmark (written by bench/tools.py)
title = "News Archive"
base_url = "http://127.0.0.1:8000/"
timezone = "UTC"
per_page = 20
"""


@dataclass
class Settings:
    """How hard to measure: ``runs`` repeats of a measurement shorter than ``short`` seconds;
    ``timeout`` bounds any single child process, ``memory_limit`` its resident memory."""

    runs: int = 3
    short: float = 30.0
    timeout: float = 900.0
    memory_limit: int | None = None  # bytes; see measure.MemoryWatch


@dataclass
class Workspace:
    """Folders for one size: tool outputs and child-process logs."""

    root: Path

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def path(self, name: str) -> Path:
        return self.root / name


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def can_drop_caches() -> bool:
    """Whether this process may drop the kernel's caches (Linux, as root)."""
    return DROP_CACHES.exists() and os.access(DROP_CACHES, os.W_OK)


def _rmtree(path: Path) -> None:
    """Remove a tool's output before a cold run and reset the kernel's file-system state.

    Deleting tens of thousands of files leaves write-back and a dentry/inode cache of them;
    on this machine each create-then-delete cycle made the next build's file creation slower
    (the same newsarchive build: 9 s, then 20 s, then 27 s of system time). ``sync`` and
    dropping the caches (when allowed) give every tool and every run the same start; inputs
    are then read from disk.
    """
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
    if can_drop_caches():
        DROP_CACHES.write_text("3\n")


def _series_dict(series: Series) -> dict[str, Any]:
    return series.as_dict()


# --- newsarchive ------------------------------------------------------------------------


def newsarchive_command(sizeset: SizeSet, ws: Workspace) -> list[str | Path]:
    config = ws.path("archive.toml")
    if not config.exists():
        config.write_text(NEWSARCHIVE_CONFIG, encoding="utf-8")
    return [
        sys.executable, REPO / "build.py", "build", "--source", sizeset.newsarchive,
        "--out", ws.path("newsarchive-site"), "--config", config, "--quiet",
    ]  # fmt: skip


def search_bytes(site: Path) -> dict[str, Any]:
    """Our search payload: the index files (monolithic: docs.js and index.js, all loaded before
    the page can answer; sharded: every index part, of which a query loads a few), the snippet
    texts loaded per result page, and the scripts (lunr.js, ours)."""
    search = site / "search"
    sharded = not (search / "docs.js").exists()
    if sharded:
        index = sorted(search.glob("entry-*.js")) + sorted(search.glob("terms-*.js"))
        # Past a folder's limit, a kind's files fan out into subfolders (search.sharded).
        for kind in ("p", "h", "t", "m", "d"):
            index += sorted((search / kind).rglob("*.js"))
        texts = sorted((search / "x").rglob("*.js"))
        names = ("lunr.min.js", "search-core.js", "search-page.js", "search-ui.js")
    else:
        index = [search / "docs.js", search / "index.js"]
        texts = sorted((search / "text").glob("*.js"))
        names = ("lunr.js", "search-core.js", "search-page.js", "search-ui.js")
    scripts = [site / "static" / n for n in names]
    raw, gz = files_size(index)
    text_raw, text_gz = files_size(texts)
    script_raw, script_gz = files_size(scripts)
    return {
        "sharded": sharded,
        "index_files": len(index),
        "index_bytes": raw,
        "index_gzip": gz,
        "text_bytes": text_raw,
        "text_gzip": text_gz,
        "text_files": len(texts),
        "script_bytes": script_raw,
        "script_gzip": script_gz,
        "total_bytes": raw + text_raw + script_raw,
        "total_gzip": gz + text_gz + script_gz,
    }


def measure_newsarchive(
    sizeset: SizeSet, ws: Workspace, settings: Settings, reused: Path | None = None
) -> dict[str, Any]:
    """Cold build (no output folder), then rebuilds with nothing changed; the site stays for
    the browser measurement. Cold builds run through ``bench/stages.py`` (the same command
    line, with build.py's stages timed); "profile" is the stage record of the median run.
    ``reused``: a JSON file with the figures of a cold build already made into the
    workspace ("cold", the path of its "profile", a "note" on how it was run and, when it
    did not finish, an "error")."""
    out = ws.path("newsarchive-site")
    command = newsarchive_command(sizeset, ws)
    limit = {"memory_limit": settings.memory_limit}
    profiles: list[Path] = []

    def once() -> Run:
        return run(command, timeout=settings.timeout, log_dir=ws.logs, **limit)

    def profiled() -> Run:
        profiles.append(ws.logs / f"profile-{len(profiles) + 1}.json")
        staged = [command[0], BENCH / "stages.py", profiles[-1], *command[2:]]
        return run(staged, timeout=settings.timeout, log_dir=ws.logs, **limit)

    def clean() -> None:
        shutil.rmtree(ws.path(".newsarchive-cache"), ignore_errors=True)  # beside the config
        _rmtree(out)

    if reused is not None:
        before = json.loads(reused.read_text(encoding="utf-8"))
        profile = json.loads(Path(before["profile"]).read_text(encoding="utf-8"))
        profile["note"] = before.get("note", "")
        if before.get("error"):  # the cold build did not finish: how far it got
            return {"error": before["error"], "cold": before["cold"], "profile": profile}
        cold_figures = before["cold"]
    else:
        cold = repeat(profiled, settings.runs, settings.short, before=clean)
        median = sorted(range(len(cold.runs)), key=lambda i: cold.runs[i].seconds)
        profile = json.loads(profiles[median[len(cold.runs) // 2]].read_text(encoding="utf-8"))
        cold_figures = _series_dict(cold)
    written = tree_size(out)
    layout = site_layout(out)
    rebuild = repeat(once, settings.runs, settings.short)
    return {
        "cold": cold_figures,
        "rebuild": _series_dict(rebuild),
        "written": written.as_dict(),
        "search": search_bytes(out),
        "profile": profile,
        "layout": layout,
        "site": str(out),
    }


FOLDER_LIMIT = 10_000  # the issue: no folder of the output holds more entries


def site_layout(site: Path, worst: int = 8) -> dict[str, Any]:
    """What a static host sees: the folders with the most entries (a walk of the output)
    and the sitemap's shape (an index past 50,000 URLs, at most 50,000 in each file)."""
    counts: list[tuple[int, str]] = []
    for dirpath, dirnames, filenames in os.walk(site):
        counts.append((len(dirnames) + len(filenames), os.path.relpath(dirpath, site)))
    counts.sort(key=lambda c: (-c[0], c[1]))
    return {
        "folders": len(counts),
        "largest": [{"path": path, "entries": n} for n, path in counts[:worst]],
        "over_limit": sum(1 for n, _ in counts if n > FOLDER_LIMIT),
        "sitemap": sitemap_shape(site),
    }


_LOC = re.compile(rb"<loc>([^<]*)</loc>")


def sitemap_shape(site: Path) -> dict[str, Any]:
    """``/sitemap.xml``: a ``<sitemapindex>`` (and the URL count of each sitemap it lists)
    or a plain ``<urlset>``."""
    top = (site / "sitemap.xml").read_bytes()
    if b"<sitemapindex" not in top:
        return {"index": False, "urls": len(_LOC.findall(top)), "files": 1}
    per_file = []
    for loc in _LOC.findall(top):
        path = urllib.parse.urlsplit(loc.decode()).path.lstrip("/")  # the bench's base is /
        per_file.append(len(_LOC.findall((site / path).read_bytes())))
    return {"index": True, "files": len(per_file), "urls": sum(per_file), "most": max(per_file)}


# --- Hugo and Pagefind ------------------------------------------------------------------


def hugo_site(sizeset: SizeSet, ws: Workspace) -> Path:
    """A Hugo project folder: our config and layouts; the content stays where it was made."""
    site = ws.path("hugo-project")
    if not site.exists():
        shutil.copytree(HUGO_TEMPLATE, site)
    return site


def hugo_command(sizeset: SizeSet, ws: Workspace) -> list[str | Path]:
    site = hugo_site(sizeset, ws)
    return [
        "hugo", "--config", site / "hugo.yaml", "--source", site,
        "--contentDir", sizeset.hugo_content, "--destination", ws.path("hugo-site"),
        "--cacheDir", ws.path("hugo-cache"), "--quiet",
    ]  # fmt: skip


def pagefind_binary() -> Path:
    """The binary inside @pagefind/linux-x64 (timing Node's wrapper would add its start-up)."""
    return PAGEFIND_BINARY if PAGEFIND_BINARY.exists() else PAGEFIND_WRAPPER


def measure_hugo_pagefind(sizeset: SizeSet, ws: Workspace, settings: Settings) -> dict[str, Any]:
    """Hugo, then Pagefind over Hugo's output: each timed apart, and their sum as "together".

    Cold: no output or cache folder. Rebuild: Hugo again over its own output, then Pagefind
    again (it has no incremental mode, so any change means a full re-index).
    """
    out = ws.path("hugo-site")
    limit = {"memory_limit": settings.memory_limit}
    hugo = hugo_command(sizeset, ws)
    pagefind = [pagefind_binary(), "--site", out]

    def pair(clean: bool) -> tuple[Run, Run]:
        if clean:
            _rmtree(out)
            _rmtree(ws.path("hugo-cache"))
        h = run(hugo, timeout=settings.timeout, log_dir=ws.logs, **limit)
        try:
            p = run(pagefind, timeout=settings.timeout, log_dir=ws.logs, **limit)
        except ToolFailed as exc:  # keep what Hugo did
            done = f"{h.seconds:.0f} s, peak RSS {h.peak_rss / 1e9:.1f} GB"
            raise ToolFailed(f"{exc} (Hugo alone had finished: {done})") from exc
        return h, p

    results: dict[str, Any] = {}
    for label, clean in (("cold", True), ("rebuild", False)):
        hugo_runs, pagefind_runs = Series(), Series()
        for i in range(max(1, settings.runs)):
            h, p = pair(clean)
            hugo_runs.runs.append(h)
            pagefind_runs.runs.append(p)
            if i == 0 and h.seconds + p.seconds >= settings.short:
                break
        if label == "cold":
            results["written_hugo"] = tree_size(out, exclude=("pagefind",)).as_dict()
        together = [
            h.seconds + p.seconds for h, p in zip(hugo_runs.runs, pagefind_runs.runs, strict=True)
        ]
        results[label] = {
            "hugo": _series_dict(hugo_runs),
            "pagefind": _series_dict(pagefind_runs),
            "together": {
                "seconds": statistics.median(together),
                "all_seconds": [round(t, 3) for t in together],
                "peak_rss": max(hugo_runs.peak_rss, pagefind_runs.peak_rss),
                "runs": len(together),
            },
        }
    total = tree_size(out)
    bundle = tree_size(out / "pagefind")
    bundle_raw, bundle_gz = files_size(
        sorted(p for p in (out / "pagefind").rglob("*") if p.is_file())
    )
    results["written"] = total.as_dict()
    results["pagefind_bundle"] = {"files": bundle.files, "bytes": bundle_raw, "gzip": bundle_gz}
    results["site"] = str(out)
    return results


# --- Pelican ----------------------------------------------------------------------------


def pelican_command(sizeset: SizeSet, ws: Workspace) -> list[str | Path]:
    return [
        PELICAN, sizeset.pelican_content, "--output", ws.path("pelican-site"),
        "--settings", PELICAN_SETTINGS, "--quiet",
    ]  # fmt: skip


def measure_pelican(
    sizeset: SizeSet, ws: Workspace, settings: Settings, estimate: float | None
) -> dict[str, Any]:
    """Cold build (and a rebuild only when a build is short). Skipped when ``estimate`` (from a
    smaller size in this run) says it would exceed 15 minutes; killed at 15 minutes anyway."""
    if estimate is not None and estimate > PELICAN_LIMIT:
        return {"skipped": f"estimated {estimate / 60:.0f} min (> 15 min) from the smaller size"}
    out = ws.path("pelican-site")
    command = pelican_command(sizeset, ws)
    limit = min(settings.timeout, PELICAN_LIMIT)

    def once() -> Run:
        return run(
            command, timeout=limit, log_dir=ws.logs, cwd=ws.root, memory_limit=settings.memory_limit
        )

    cold = repeat(once, settings.runs, settings.short, before=lambda: _rmtree(out))
    written = tree_size(out)
    result: dict[str, Any] = {"cold": _series_dict(cold), "written": written.as_dict()}
    if cold.seconds < settings.short:
        result["rebuild"] = _series_dict(repeat(once, settings.runs, settings.short))
    return result


# --- plain lunr -------------------------------------------------------------------------


def measure_plain_lunr(sizeset: SizeSet, ws: Workspace, settings: Settings) -> dict[str, Any]:
    """One monolithic lunr index (JSON) of the same documents, by lunr.py and by lunr.js."""
    results: dict[str, Any] = {}
    builders: dict[str, list[str | Path]] = {
        "lunr.py": [sys.executable, BENCH / "plain_lunr.py"],
        "lunr.js": ["node", "--max-old-space-size=16384", BENCH / "plain_lunr.js"],
    }
    for name, prefix in builders.items():
        index = ws.path(f"plain-{name}.json")
        command = [*prefix, sizeset.documents, index]
        try:
            series = repeat(
                lambda command=command: run(
                    command,
                    timeout=settings.timeout,
                    log_dir=ws.logs,
                    memory_limit=settings.memory_limit,
                ),
                settings.runs,
                settings.short,
            )
        except Exception as exc:  # a failure of one builder must not lose the other
            results[name] = {"error": str(exc)}
            continue
        raw, gz = files_size([index])
        results[name] = {"build": _series_dict(series), "index_bytes": raw, "index_gzip": gz}
    return results


# --- versions ---------------------------------------------------------------------------


def _first_line(command: list[str | Path]) -> str:
    try:
        done = subprocess.run(
            [str(c) for c in command], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def versions() -> dict[str, str]:
    """Every tool's version, as the tools report it."""
    from importlib.metadata import version

    git = _first_line(["git", "-C", REPO, "describe", "--always", "--dirty"])
    hugo = _first_line(["hugo", "version"]).removeprefix("hugo ").split(" BuildDate")[0]
    return {
        "newsarchive": f"{version('newsarchive')} (git {git})",
        "Python": sys.version.split()[0],
        "lunr.py": version("lunr"),
        "lunr.js": _first_line(["node", "-p", f"require('{REPO}/node_modules/lunr').version"]),
        "Node.js": _first_line(["node", "--version"]),
        "Hugo": hugo,
        "Pagefind": _first_line([pagefind_binary(), "--version"]).removeprefix("pagefind "),
        "Pelican": _first_line([PELICAN, "--version"]),
        "Chromium": _first_line([CHROMIUM, "--version"]).removeprefix("Chromium "),
    }
