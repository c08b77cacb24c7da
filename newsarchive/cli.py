"""The command line: the only place that prints, shows progress and chooses exit codes."""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import click

from .build import BuildResult, build_site, load_archive
from .config import Config, load_config
from .errors import ArchiveError
from .parallel import usable_cores
from .search.documents import export_docs as export_documents
from .search.lunrindex import build_index
from .search.query import run_search
from .search.sorting import SORTS
from .serve.server import serve as serve_site
from .wording import plural, shown_problems


class Context:
    """Options shared by every command: where the config, articles, site and cache are
    (given on the command line, else from the config)."""

    def __init__(
        self,
        config_path: Path,
        source: Path | None,
        out: Path | None,
        cache_dir: Path | None,
        verbose: bool,
    ):
        self.config_path = config_path
        self.given_source = source
        self.given_out = out
        self.given_cache = cache_dir
        self.verbose = verbose

    def config(self) -> Config:
        return load_config(self.config_path)

    def source(self, config: Config) -> Path:
        return self.given_source or config.path(config.source)

    def out(self, config: Config) -> Path:
        return self.given_out or config.path(config.output)

    def cache_dir(self, config: Config) -> Path:
        return self.given_cache or config.path(config.cache_dir)


def common(func: Any) -> Any:
    """--source/--out/--cache-dir/--config/--quiet/--verbose, before or after the command."""
    options = [
        click.option("--source", type=click.Path(path_type=Path), help="Folder of articles."),
        click.option("--out", type=click.Path(path_type=Path), help="Folder to write the site to."),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path),
            help="Folder for what a rebuild reuses (default: the config's cache_dir).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(path_type=Path),
            help="Config file (default: archive.toml).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Print only errors."),
        click.option(
            "--verbose", "-v", is_flag=True, help="Print every warning, and tracebacks on errors."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_context(ctx: click.Context, **opts: Any) -> Context:
    parent = ctx.find_object(dict) or {}
    merged = {
        k: (opts.get(k) if opts.get(k) not in (None, False) else parent.get(k))
        for k in ("source", "out", "cache_dir", "config_path", "quiet", "verbose")
    }
    ctx.meta["quiet"] = bool(merged["quiet"])
    ctx.meta["verbose"] = bool(merged["verbose"])
    return Context(
        merged["config_path"] or Path("archive.toml"),
        merged["source"],
        merged["out"],
        merged["cache_dir"],
        bool(merged["verbose"]),
    )


class Progress:
    """A one-line progress display on a terminal; silent when stderr is not a TTY."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\r{stage:>6} [{bar}] {done}/{total}", nl=False, err=True)
        if done >= total:
            click.echo("\r" + " " * (width + 30) + "\r", nl=False, err=True)


def run(ctx: click.Context, func: Any) -> Any:
    """Run a command body; user errors become clear lines (one per bad thing) and exit
    status 1."""
    try:
        return func()
    except ArchiveError as exc:
        if ctx.meta.get("verbose"):
            traceback.print_exc()
        for part in exc.parts:
            click.echo(f"error: {part}", err=True)
        ctx.exit(1)


def report_problems(result: BuildResult, quiet: bool, verbose: bool) -> str:
    """Print the build's problems (see shown_problems); how the summary counts warnings."""
    shown, counted = shown_problems(result.problems, quiet, verbose)
    for problem in shown:
        click.echo(str(problem), err=True)
    return counted


def summary_line(result: BuildResult, out: Path, warnings: str = "") -> str:
    """What was built, then what went wrong, as serve words its "Rebuilt" line."""
    size = result.bytes / 1_000_000
    notes = [f"{plural(len(result.errors), 'file')} skipped"] if result.errors else []
    notes += [warnings] if warnings else []
    # A rebuild keeps what did not change: say how much it wrote, unless it wrote it all.
    written = f", {result.changed:,} written or removed" if result.changed != result.files else ""
    if result.unchanged:
        written = ", nothing changed since the last build: left as it was"
    return (
        f"Built {plural(result.articles, 'article')}, {plural(result.tags, 'tag')}, "
        f"{plural(result.pages, 'page')} ({plural(result.files, 'file')}, {size:.1f} MB"
        f"{written}) in {result.seconds:.1f} s -> {out}"
        + (f" ({'; '.join(notes)})" if notes else "")
    )


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@common
@click.pass_context
def main(ctx: click.Context, **opts: Any) -> None:
    """Turn a folder of news articles into a static, searchable archive website.

    With no command, builds the site (same as `build`).
    """
    ctx.obj = opts
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@common
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that render pages (default: one per core).",
)
@click.pass_context
def build(ctx: click.Context, jobs: int | None, **opts: Any) -> None:
    """Build the site from the articles (the default command)."""
    c = make_context(ctx, **opts)

    def body() -> None:
        config = c.config()
        out = c.out(config)
        progress = Progress(not ctx.meta["quiet"])
        result = build_site(
            config,
            c.source(config),
            out,
            progress,
            jobs=jobs or usable_cores(),
            cache_dir=c.cache_dir(config),
            waiting=None if ctx.meta["quiet"] else lambda message: click.echo(message, err=True),
        )
        warnings = report_problems(result, ctx.meta["quiet"], ctx.meta["verbose"])
        if not ctx.meta["quiet"]:
            click.echo(summary_line(result, out, warnings), err=bool(result.errors))
        if result.errors:
            ctx.exit(1)

    run(ctx, body)


@main.command()
@common
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, **opts: Any) -> None:
    """Build and serve the site (on 127.0.0.1:8000 unless --host or --port say otherwise),
    rebuild when a file changes, and reload the browser."""
    c = make_context(ctx, **opts)

    def body() -> None:
        serve_site(
            c.config_path,
            c.given_source,
            c.given_out,
            host=host,
            port=port,
            on_event=lambda message: click.echo(message, err=True),
            cache_dir=c.given_cache,
            verbosity=(ctx.meta["quiet"], ctx.meta["verbose"]),
        )

    run(ctx, body)


@main.command("search")
@click.argument("query")
@click.option("--site", type=click.Path(path_type=Path), help="Built site (default: the output).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array in rank order.")
@click.option("--tag", help="Only articles with this tag.")
@click.option("--year", type=int, help="Only articles from this year.")
@click.option("--sort", type=click.Choice(SORTS), default=SORTS[0])
@click.option("--limit", type=int, help="At most this many results.")
@common
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    site: Path | None,
    as_json: bool,
    tag: str | None,
    year: int | None,
    sort: str,
    limit: int | None,
    **opts: Any,
) -> None:
    """Search a built site with the site's own JavaScript (run under Node)."""
    c = make_context(ctx, **opts)

    def body() -> None:
        folder = site or c.out(c.config())
        quiet = ctx.meta["quiet"]
        hits = run_search(
            folder,
            query,
            tag=tag,
            year=year,
            sort=sort,
            limit=limit,
            on_note=None if quiet else lambda line: click.echo(line, err=True),
        )
        if as_json:
            click.echo(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
            return
        for rank, hit in enumerate(hits, 1):
            click.echo(f"{rank:3d}. {hit.score:7.3f}  {hit.date[:10]}  {hit.title}\n     {hit.url}")
        if not quiet:
            click.echo(plural(len(hits), "result"), err=True)

    run(ctx, body)


def _export(ctx: click.Context, file: Path, make: Any, opts: dict[str, Any]) -> None:
    c = make_context(ctx, **opts)

    def body() -> None:
        config = c.config()
        archive = load_archive(config, c.source(config))
        for problem in archive.problems:
            if problem.level == "error" or not ctx.meta["quiet"]:
                click.echo(str(problem), err=True)
        made = make(archive.articles, language=config.language)
        data = json.dumps(made, ensure_ascii=False, sort_keys=False)
        file.write_text(data, encoding="utf-8")
        if not ctx.meta["quiet"]:
            click.echo(f"Wrote {plural(len(archive.articles), 'document')} to {file}", err=True)

    run(ctx, body)


@main.command("export-docs")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@common
@click.pass_context
def export_docs(ctx: click.Context, file: Path, **opts: Any) -> None:
    """Write the documents exactly as indexed (JSON: ref, fields with boosts, documents)."""
    _export(ctx, file, export_documents, opts)


@main.command("export-index")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@common
@click.pass_context
def export_index(ctx: click.Context, file: Path, **opts: Any) -> None:
    """Write the plain lunr index (loadable by lunr.Index.load; refs are URL paths)."""
    _export(ctx, file, build_index, opts)
