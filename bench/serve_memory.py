"""Where serve's memory goes: RSS after its first build, the size of each kept field, the
peak of the rebuild after one edit.

Copies ``--corpus`` to ``--work`` (tmpfs; the corpus itself is never edited), builds it with
a kept ``BuildCache`` as ``serve/server.py`` drives ``build_site`` (its collector pausing and
freezing included), prints this process's resident size, then changes the title of an
article in the middle and rebuilds, printing the rebuild's peak (``VmHWM``, reset before it
through ``/proc/self/clear_refs``). Last, the size of each ``BuildCache`` field: a walk of
``gc.get_referents`` from it, each object counted once, in the fields' order (an object
two fields hold is the first one's), with the largest types of each (and, for the fields
``--detail`` names, of each of their attributes first).

    PYTHONPATH=$PWD python bench/serve_memory.py --corpus /tmp/c100k
    PYTHONPATH=$PWD python bench/serve_memory.py --sizes 0   # RSS only, no walk (faster)
    PYTHONPATH=$PWD python bench/serve_memory.py --sizes 0 --trace 40   # by allocating line
    PYTHONPATH=$PWD python bench/serve_memory.py --detail shards,related,sources
    PYTHONPATH=$PWD python bench/serve_memory.py --restart   # serve on a site built before
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import gc
import shutil
import sys
import time
import tracemalloc
import types
from pathlib import Path
from typing import Any

import newsarchive
from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.serve.collector import collector_frozen_after, release_free_memory

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/reuters21578/articles"
MB = 1 << 20
# Not the state's own: code, classes and modules any object reaches through its type.
SKIP = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType)


def status(field: str) -> int:
    """A ``/proc/self/status`` size (VmRSS, VmHWM), in bytes."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def walk(root: object, seen: set[int]) -> tuple[int, int, collections.Counter[str]]:
    """Bytes and objects reachable from ``root`` not yet ``seen``, and bytes by type."""
    total = count = 0
    by_type: collections.Counter[str] = collections.Counter()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, SKIP):
            continue
        seen.add(id(obj))
        size = sys.getsizeof(obj)
        total += size
        count += 1
        by_type[type(obj).__name__] += size
        stack.extend(gc.get_referents(obj))
    return total, count, by_type


def build(cache: BuildCache, builds: int, source: Path, out: Path, cache_dir: Path) -> float:
    started = time.perf_counter()
    with collector_frozen_after(builds):
        build_site(Config(), source, out, cache=cache, cache_dir=cache_dir)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of articles")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/hm-memory"))
    parser.add_argument("--sizes", type=int, default=6, help="types listed per field (0: no walk)")
    parser.add_argument("--restart", action="store_true", help="build the site once before")
    parser.add_argument("--trace", type=int, default=0, help="tracemalloc's top lines")
    parser.add_argument("--detail", default="", help="fields whose parts to list, by comma")
    args = parser.parse_args()
    print(f"newsarchive from {Path(newsarchive.__file__).parent}")
    source, out, cache_dir = args.work / "articles", args.work / "site", args.work / "cache"
    shutil.rmtree(args.work, ignore_errors=True)
    shutil.copytree(args.corpus, source)
    if args.trace:
        tracemalloc.start()
    if args.restart:  # an earlier session's site: serve's first build reuses what it can
        build(BuildCache.one_off(), 1, source, out, cache_dir)
        gc.collect()
        release_free_memory()
        Path("/proc/self/clear_refs").write_text("5")
    cache = BuildCache()
    seconds = build(cache, 1, source, out, cache_dir)
    files = sorted(source.glob("*.txt"))
    print(f"first build of {len(files):,} articles: {seconds:.1f} s")
    print(f"  RSS after {status('VmRSS') / MB:8.1f} MB, peak {status('VmHWM') / MB:8.1f} MB")
    path = files[len(files) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[lines.index("") + 1] += " (edited)"  # the title follows the header's blank line
    path.write_text("\n".join(lines), encoding="utf-8")
    cache.changed = {path}
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here on
    seconds = build(cache, 2, source, out, cache_dir)
    print(f"rebuild after a title edit: {seconds:.2f} s")
    print(f"  RSS after {status('VmRSS') / MB:8.1f} MB, peak {status('VmHWM') / MB:8.1f} MB")
    if args.trace:  # what is alive after the rebuild, by the line that allocated it
        snapshot = tracemalloc.take_snapshot()
        stats = snapshot.statistics("lineno")
        print(f"  traced: {sum(stat.size for stat in stats) / MB:.1f} MB alive")
        for stat in stats[: args.trace]:
            frame = stat.traceback[0]
            where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
            print(f"    {stat.size / MB:8.1f} MB {stat.count:>10,}  {where}")
        gc.unfreeze()
        gc.collect()
        after = tracemalloc.take_snapshot()
        print("  freed by a collection of the cyclic garbage, by line:")
        for stat in after.compare_to(snapshot, "lineno")[: args.trace // 2]:
            frame = stat.traceback[0]
            where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
            print(f"    {stat.size_diff / MB:8.1f} MB {stat.count_diff:>10,}  {where}")
        del snapshot, stats, after
    # What is not the state's: cyclic garbage the build left (frozen by serve), and memory
    # freed but held by the allocator.
    tracemalloc.stop()
    gc.unfreeze()
    print(f"  cyclic garbage: {gc.collect():,} objects; RSS {status('VmRSS') / MB:8.1f} MB")
    release_free_memory()
    print(f"  after malloc_trim(0): RSS {status('VmRSS') / MB:8.1f} MB")
    caches = {name: fn.cache_info().currsize for name, fn in lru_caches()}
    print(
        "  module caches (entries):", ", ".join(f"{k} {v:,}" for k, v in caches.items() if v > 99)
    )
    if args.sizes:
        seen: set[int] = set()
        print("kept by field (after the rebuild; each object once, the first field's):")
        for name in (f.name for f in dataclasses.fields(cache)):
            value = getattr(cache, name)
            parts = vars(value) if name in args.detail.split(",") else {}
            for part, held in parts.items():  # the parts of a field, before the rest of it
                size, count, by_type = walk(held, seen)
                top = ", ".join(f"{t} {b / MB:.0f}" for t, b in by_type.most_common(args.sizes))
                print(f"    .{part:16s} {size / MB:8.1f} MB {count:>11,} objects  ({top})")
            size, count, by_type = walk(value, seen)
            top = ", ".join(f"{t} {b / MB:.0f}" for t, b in by_type.most_common(args.sizes))
            rest = " (rest)" if parts else ""
            print(f"  {name:13s} {size / MB:8.1f} MB {count:>11,} objects{rest}  ({top})")
    shutil.rmtree(args.work, ignore_errors=True)


def lru_caches() -> list[tuple[str, Any]]:
    """The functools caches of newsarchive's modules, by module and name."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith("newsarchive"):
            for attr, value in vars(module).items():
                if hasattr(value, "cache_info"):
                    found.append((f"{name.removeprefix('newsarchive.')}.{attr}", value))
    return found


if __name__ == "__main__":
    main()
