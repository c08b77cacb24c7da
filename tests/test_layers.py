"""The package's layers: no import circles, and each layer imports only the layers below it.

Every import counts (top-level, inside functions, under TYPE_CHECKING), read from the source
with ``ast``: a circle hidden behind a late import is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "newsarchive"

# Bottom to top. A module belongs to the first layer one of whose names is the module or a
# package holding it; it may import its own layer and those before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    # Foundations: no stage, no settings.
    (
        "errors",
        "wording",
        "languages",
        "stopwords",
        "memo",
        "changes",
        "matching",
        "chunking",
        "folders",
        "parallel",
        "resources",
        "tomlfile",
        "slugs",
    ),
    ("config",),  # archive.toml and tags.toml; imports no stage
    (
        "model",
        "grouping",
        "dates",
        "placing",
    ),  # articles, tags, periods, the archive; the model stage
    ("content",),  # the read stage
    ("tags",),  # the tags stage
    ("related",),  # related articles
    ("search",),  # the search stage
    (
        "outlock",
        "outtrash",
        "outpaths",
        "manifest",
        "outpatch",
        "outkept",
        "output",
    ),  # writing the site's folder
    ("render",),  # pages, feeds, sitemap
    ("searchfork",),  # a cold build's search stage in a child, beside the page stages
    ("incremental", "inputs"),  # what a build keeps for the next
    ("result", "build"),  # one linear build: the stages in order; what it did
    ("serve",),  # the editing loop
    ("cli",),  # the command line: the only module that prints
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, however it imports them."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:  # a name inside a module: the module
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                found.add(target)  # (a module's own package is its face, not a layer)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def layer_of(name: str) -> int:
    local = name.removeprefix("newsarchive.")
    for number, names in enumerate(LAYERS):
        if any(local == n or local.startswith(n + ".") for n in names):
            return number
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in {__file__}")


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read_whole() -> None:
    edges = graph()
    assert len(edges) > 50
    # Relative, absolute and late imports are all seen.
    assert "newsarchive.search.textpipe" in edges["newsarchive.search.lunrindex"]
    assert "newsarchive.build" in edges["newsarchive.cli"]
    assert "newsarchive.errors" in edges["newsarchive.config"]


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_circles_are_found() -> None:
    """The check itself finds a circle, however long."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(edges) == [["a", "b", "c"]]


def test_each_layer_imports_only_layers_below_it() -> None:
    upward = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in graph().items()
        for target in sorted(targets)
        if name != "newsarchive" and layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_the_package_face_imports_nothing() -> None:
    assert graph()["newsarchive"] == set()


def test_modules_are_small_enough_to_read_in_one_sitting() -> None:
    sizes = {name: len(path.read_text().splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
