"""How well automatic tags match Reuters-21578's human-assigned place and topic tags.

The tagger reads only each article's title and body (its ``Tags:`` line is set aside as the
answer key); the script then prints micro-averaged precision and recall, and the time the
tagger took. Run: ``.venv/bin/python bench/tagging.py [--rules FILE] [--limit N]``.

Which answer-key tags are places: a tag is a place when it names a country or territory the
gazetteer knows ("usa" -> United States, "hong-kong" -> Hong Kong) or one of the states of
1987 listed in HISTORIC; every other tag that comes before a place in some article's list
is a topic (the converter writes TOPICS, then PLACES, then people, organisations and
exchanges). Reuters tags only countries, so a city or US state the tagger names counts as
its country. Articles with no tags at all were never annotated and are left out.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import load_corpus
from newsarchive.config import TagRules, load_rules
from newsarchive.search.porter import porter_stem
from newsarchive.tags.entities import extract
from newsarchive.tags.gazetteer import gazetteer
from newsarchive.tags.resolve import resolve

# Reuters' names for countries that no longer exist or that the gazetteer spells otherwise,
# as the country the tagger would name for the same text.
HISTORIC = {
    "west-germany": "Germany",
    "east-germany": "Germany",
    "ussr": "Russia",
    "czechoslovakia": "Czech Republic",
    "yugoslavia": "Serbia and Montenegro",
    "yemen-arab-republic": "Yemen",
    "yemen-demo-republic": "Yemen",
    "kampuchea": "Cambodia",
    "burma": "Myanmar",
    "zaire": "Democratic Republic of the Congo",
    "ivory-coast": "Côte d'Ivoire",
    "trinidad-tobago": "Trinidad and Tobago",
    "us-virgin-islands": "United States Virgin Islands",
    "antigua": "Antigua and Barbuda",
}


def place_of(tag: str) -> str | None:
    """The country an answer-key tag names, or None when it is not a place."""
    if tag in HISTORIC:
        return HISTORIC[tag]
    names = gazetteer().names
    for form in (tag.upper(), tag.replace("-", " ").title(), tag.replace("-", " ").upper()):
        place = names.get(form)
        if place is not None and place.kind == "country":
            return place.country
    return None


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, help="a tags.toml to tag with")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--show", type=int, default=0, help="print N articles' tags")
    args = parser.parse_args()

    corpus = [s for s in load_corpus() if s.tags]
    if args.limit:
        corpus = corpus[: args.limit]
    rules = load_rules(args.rules) if args.rules else TagRules()

    aliases = rules.alias_map()

    def country_key(name: str) -> str:
        """A place's country, as the rules name it ("Moscow" -> Russia -> Soviet Union)."""
        place = gazetteer().names.get(name)
        country = place.country if place is not None else name
        return aliases.get(country.casefold(), country)

    places = {t: place_of(t) for s in corpus for t in s.tags}
    topics: set[str] = set()
    for s in corpus:
        first_place = next((i for i, t in enumerate(s.tags) if places[t]), None)
        if first_place is not None:
            topics.update(s.tags[:first_place])

    gazetteer()
    started = time.perf_counter()
    mentions = [extract(s.title, "\n\n".join(s.paragraphs), rules) for s in corpus]
    extracted = time.perf_counter() - started
    tagged = resolve(mentions, rules)
    seconds = time.perf_counter() - started

    counts = {k: Counter() for k in ("place", "placed", "topic")}
    named = Counter()
    kinds: Counter[str] = Counter()
    for s, m, t in zip(corpus, mentions, tagged, strict=True):
        gold_places = {country_key(places[g]) for g in s.tags if places[g]}
        got_places = {country_key(name) for name, kind in t.tags if kind == "place"}
        _score(counts["place"], gold_places, got_places)
        if gold_places:
            _score(counts["placed"], gold_places, got_places)
        mentioned = {country_key(p.name) for p in m.places} | {country_key(n) for n in m.declared}
        named["gold"] += len(gold_places)
        named["named"] += len(gold_places & mentioned)
        gold_topics = {g for g in s.tags if g in topics}
        got = {name for name, kind in t.tags if kind == "topic"}
        matched = {g for g in gold_topics if any(_same_topic(g, w) for w in got)}
        counts["topic"]["tp"] += len(matched)
        counts["topic"]["fn"] += len(gold_topics) - len(matched)
        counts["topic"]["fp"] += sum(
            1 for w in got if not any(_same_topic(g, w) for g in gold_topics)
        )
        kinds.update(kind for _, kind in t.tags)

    print(f"articles: {len(corpus):,} (with human tags)   rules: {args.rules or 'none'}")
    print(
        f"tagger: {seconds:.2f} s ({extracted:.2f} s reading articles, "
        f"{1000 * seconds / len(corpus):.3f} ms per article)"
    )
    print("tags given: " + ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items())))
    labels = {
        "place": "places, all articles with human tags",
        "placed": "places, articles whose human tags name a place",
        "topic": "topics, all articles with human tags",
    }
    for kind, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        print(
            f"{labels[kind]:48} precision {p:.3f}  recall {r:.3f}  F1 {f1(p, r):.3f}  "
            f"(tp {c['tp']:,}, fp {c['fp']:,}, fn {c['fn']:,})"
        )
    print(
        f"human place tags that the text names at all (the most any tagger reading it can find):"
        f" {named['named'] / max(1, named['gold']):.3f}"
    )
    for s, t in list(zip(corpus, tagged, strict=True))[: args.show]:
        print(
            f"\n{s.title}\n  human: {', '.join(s.tags)}\n  auto:  "
            + "; ".join(f"{n} ({k})" for n, k in t.tags)
        )


def _score(c: Counter[str], gold: set[str], got: set[str]) -> None:
    c["tp"] += len(gold & got)
    c["fp"] += len(got - gold)
    c["fn"] += len(gold - got)


def _same_topic(gold: str, word: str) -> bool:
    """A topic word matches a Reuters topic of the same stem ("ships" ~ "ship")."""
    return porter_stem(word.lower()) == porter_stem(gold.lower())


if __name__ == "__main__":
    main()
