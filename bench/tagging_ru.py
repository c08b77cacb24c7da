"""What finding tags in Russian text costs: the tags stage, or natasha, on N Russian articles.

There is no Russian corpus here, so the articles are ten short texts cycled
(``tests/data/languages/ru-*.txt`` and ``bench/data/ru/*.txt``). Run:

    .venv/bin/python bench/tagging_ru.py [--articles 1000]
    NATASHA_PYTHON bench/tagging_ru.py --natasha [--articles 1000]

``--natasha`` imports only natasha and the standard library, so it runs with the Python of a
scratch environment that has natasha (``python3 -m venv /tmp/natasha-venv &&
/tmp/natasha-venv/bin/pip install natasha``); the project does not depend on it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    *sorted((REPO / "tests" / "data" / "languages").glob("ru-*.txt")),
    *sorted((REPO / "bench" / "data" / "ru").glob("*.txt")),
]


def read_texts() -> list[tuple[str, str]]:
    """(title, body) of each text, its header lines left out."""
    out = []
    for path in TEXTS:
        lines = path.read_text("utf-8").split("\n")
        while lines and lines[0] and ":" in lines[0][:12]:
            lines.pop(0)
        title, _, body = "\n".join(lines).strip().partition("\n")
        out.append((title, body.strip()))
    return out


def run_natasha(texts: list[tuple[str, str]]) -> dict[str, set[str]]:
    """natasha's people, places and organisations (normalised) in every article."""
    from natasha import (
        Doc,
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        Segmenter,
    )

    start = time.perf_counter()
    segmenter, vocab, embedding = Segmenter(), MorphVocab(), NewsEmbedding()
    morph, ner = NewsMorphTagger(embedding), NewsNERTagger(embedding)
    loaded = time.perf_counter()
    found: dict[str, set[str]] = {}
    for title, body in texts:
        doc = Doc(f"{title}\n{body}")
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
        for span in doc.spans:
            span.normalize(vocab)
            found.setdefault(span.type, set()).add(span.normal)
    report(loaded - start, time.perf_counter() - loaded, len(texts))
    return found


def run_rules(texts: list[tuple[str, str]]) -> dict[str, set[str]]:
    """The tags stage's people, places and organisations in every article."""
    sys.path.insert(0, str(REPO))
    from datetime import UTC, datetime

    from newsarchive.config import TagRules
    from newsarchive.model import Article
    from newsarchive.tags.gazetteer import gazetteer
    from newsarchive.tags.gazetteer_ru import local_gazetteer
    from newsarchive.tags.stage import tag_articles

    posted = datetime(2023, 1, 1, tzinfo=UTC)
    articles = [
        Article(f"a{i}", title, posted, "", body, "", lang="ru")
        for i, (title, body) in enumerate(texts)
    ]
    start = time.perf_counter()
    gazetteer()
    local_gazetteer("ru")
    loaded = time.perf_counter()
    tagged, kinds, _renamed = tag_articles(articles, TagRules(), "always")
    report(loaded - start, time.perf_counter() - loaded, len(texts))
    found: dict[str, set[str]] = {}
    for article in tagged:
        for tag in article.tags:
            found.setdefault(kinds.get(tag.casefold(), ""), set()).add(tag)
    return found


def report(load: float, work: float, count: int) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"loading {load:.2f} s; {count:,} articles {work:.2f} s", end=" ")
    print(f"({work / count * 1000:.2f} ms an article); peak memory {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--natasha", action="store_true", help="natasha instead of the rules")
    args = parser.parse_args()
    texts = read_texts()
    cycled = [texts[i % len(texts)] for i in range(args.articles)]
    chars = sum(len(t) + len(b) + 1 for t, b in cycled)
    print(f"{len(texts)} texts cycled into {args.articles:,} articles, {chars:,} characters")
    found = run_natasha(cycled) if args.natasha else run_rules(cycled)
    for kind, names in sorted(found.items()):
        print(f"{kind or '(no kind)'}: {', '.join(sorted(names))}")


if __name__ == "__main__":
    main()
