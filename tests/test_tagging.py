"""The tags stage: people, places, organisations and topics found in the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsarchive.config import Config, TagRules, load_config, load_rules
from newsarchive.errors import ArchiveError
from newsarchive.parallel import forked_pool
from newsarchive.tags.entities import extract
from newsarchive.tags.resolve import resolve
from newsarchive.tags.stage import tag_articles

from .conftest import REPO, article_text

SEED = next((REPO / "seeds").glob("*.txt"))


NO_RULES = TagRules()


def tags_of(*texts: tuple[str, str], rules: TagRules = NO_RULES) -> list[dict[str, str]]:
    """Each (title, body)'s automatic tags as {name: kind}."""
    mentions = [extract(title, body, rules) for title, body in texts]
    return [dict(t.tags) for t in resolve(mentions, rules)]


def seed() -> tuple[str, str]:
    from newsarchive.content.plaintext import parse_text
    from newsarchive.content.values import Reading

    article = parse_text(SEED.read_text("utf-8"), Reading(SEED.name, Config().tz, 280))
    return article.title, article.body_text


def test_the_reference_article_names_its_people_places_and_organisations() -> None:
    tags = tags_of(seed())[0]
    for name in ("Aleksandr Lukashenko", "Vladimir Putin", "Sergei Shoigu"):
        assert tags.get(name) == "person", tags
    for name in ("Belarus", "Russia", "Minsk"):
        assert tags.get(name) == "place", tags
    assert tags.get("Defence Ministry") == "organisation"
    assert "topic" in tags.values()
    folded = {name.casefold() for name in tags}
    for junk in ("the president", "president", "therefore", "in", "the", "lukashenko", "putin"):
        assert junk not in folded, junk
    for name in tags:  # no sentence openers, roles or lone first names
        assert not re.match(r"(The|In|Therefore|President|Head)\b", name), name


def test_a_surname_alone_becomes_the_full_name_the_archive_knows() -> None:
    first = ("Talks in Minsk", "Aleksandr Lukashenko met the delegation. Lukashenko said more.")
    second = ("Lukashenko visits Minsk plant", "Lukashenko toured the works on Friday.")
    a, b = tags_of(first, second)
    assert a["Aleksandr Lukashenko"] == "person"
    assert b.get("Aleksandr Lukashenko") == "person" and "Lukashenko" not in b


def test_aliases_merge_variants_and_never_drops_a_tag(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(
        'never = ["Minsk"]\n'
        "[aliases]\n"
        '"Vladimir Putin" = ["Putin", "Vladimir Vladimirovich"]\n'
        '"Belarus" = ["Republic of Belarus"]\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    body = "Vladimir Vladimirovich called. Putin and Putin again, in the Republic of Belarus."
    tags = tags_of(("Talks", body), rules=rules)[0]
    assert tags.get("Vladimir Putin") == "person"
    assert "Vladimir Vladimirovich" not in tags and "Putin" not in tags
    assert tags_of(seed(), rules=rules)[0].keys().isdisjoint({"Minsk", "minsk"})


def test_declared_kinds_and_historic_places(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(
        '[aliases]\n"Soviet Union" = ["USSR", "Soviet"]\n[kinds]\n"Soviet Union" = "place"\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    body = "The Soviet Union bought wheat. USSR buyers were active."
    tags = tags_of(("Grain", body), rules=rules)
    assert tags[0].get("Soviet Union") == "place"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("never = [", "invalid TOML"),
        ("colour = 1", "unknown key 'colour'"),
        ('[kinds]\nX = "animal"', "must be one of person, place, organisation, topic"),
        ('[aliases]\nX = "Y"', "must be a list of names"),
    ],
)
def test_bad_tag_rules_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        load_rules(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_config_reads_tags_file_beside_it(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text('tags_file = "rules.toml"\n', encoding="utf-8")
    (tmp_path / "rules.toml").write_text('never = ["Minsk"]\n', encoding="utf-8")
    assert load_config(tmp_path / "archive.toml").tag_rules.never == ("Minsk",)
    (tmp_path / "archive.toml").write_text('auto_tags = "sometimes"\n', encoding="utf-8")
    with pytest.raises(ArchiveError, match="'auto_tags' must be one of"):
        load_config(tmp_path / "archive.toml")


def test_modes_missing_always_never(write_articles, build) -> None:
    source = write_articles(
        {
            "seed.txt": SEED.read_text("utf-8"),
            "tagged.txt": article_text(
                "Putin in Minsk", body="Vladimir Putin went to Minsk. Putin spoke.", tags="Visit"
            ),
        }
    )
    for mode, expected in (
        ("missing", {"Visit"}),
        ("always", {"Visit", "Vladimir Putin", "Minsk"}),
        ("never", {"Visit"}),
    ):
        config = Config(base_url="https://example.org/", auto_tags=mode)
        result, out = build(source, config, out=Path(str(source) + f"-{mode}"))
        assert result.ok
        page = (out / "2023/04/10/putin-in-minsk/index.html").read_text("utf-8")
        names = set(re.findall(r'rel="tag" href="[^"]*">([^<]*)</a>', page))
        assert expected <= names and (mode != "missing" or names == {"Visit"}), (mode, names)
        seed_page = next(out.glob("2023/04/10/lukashenko-*/index.html")).read_text("utf-8")
        seed_tags = re.findall(r'rel="tag" href="[^"]*">([^<]*)</a>', seed_page)
        assert ("Aleksandr Lukashenko" in seed_tags) is (mode != "never")


def test_tag_pages_show_their_kind_and_the_index_groups_by_kind(write_articles, build) -> None:
    source = write_articles({"seed.txt": SEED.read_text("utf-8")})
    result, out = build(source)
    assert result.ok
    person = (out / "tags/vladimir-putin/index.html").read_text("utf-8")
    assert '<span class="label">Person</span> Vladimir Putin' in person
    place = (out / "tags/minsk/index.html").read_text("utf-8")
    assert '<span class="label">Place</span> Minsk' in place
    index = (out / "tags/index.html").read_text("utf-8")
    headings = re.findall(r'<section class="tag-kind" id="(\w+)"[^>]*>\s*<h2[^>]*>(\w+)', index)
    assert [h[1] for h in headings] == ["People", "Places", "Organisations", "Topics"]
    people = index.split('id="person"')[1].split("</section>")[0]
    assert "Vladimir Putin" in people and "Minsk" not in people
    # Listings show the first four found tags (people first) and how many more there are.
    home = (out / "index.html").read_text("utf-8")
    entry_tags = re.findall(r'<a class="tag" href="[^"]*">([^<]*)</a>', home)
    assert entry_tags[:3] == ["Aleksandr Lukashenko", "Vladimir Putin", "Sergei Shoigu"]
    assert len(entry_tags) == 4 and re.search(r'class="more-tags" href="[^"]+#tags">\+\d+<', home)


def test_unchanged_articles_keep_their_objects_between_builds() -> None:
    from newsarchive.model import Article
    from newsarchive.tags.kept import TagMemo

    def art(path: str, title: str, body: str) -> Article:
        from datetime import UTC, datetime

        return Article(path, title, datetime(2023, 1, 1, tzinfo=UTC), "", body, "")

    a = art("a", "Putin in Minsk", "Vladimir Putin went to Minsk. Putin spoke in Minsk.")
    b = art("b", "Weather", "It rained.")
    memo = TagMemo()
    first, kinds, _renamed = tag_articles([a, b], TagRules(), "missing", memo)
    again, _, _renamed = tag_articles([a, b], TagRules(), "missing", memo)
    assert first[0] is again[0] and first[1] is again[1] is b
    assert kinds["vladimir putin"] == "person" and "Vladimir Putin" in first[0].tags


def test_reading_in_worker_processes_gives_the_same_tags(monkeypatch, reuters_source) -> None:
    from newsarchive.build import load_archive
    from newsarchive.tags import stage

    articles = load_archive(Config(auto_tags="never", related=0), reuters_source).articles
    serial = tag_articles(articles, NO_RULES, "always", jobs=1)
    assert sum(a.tags != b.tags for a, b in zip(articles, serial[0], strict=True)) > 100
    pools = []

    def counted_pool(jobs: int):  # type: ignore[no-untyped-def]
        pools.append(jobs)
        return forked_pool(jobs)

    monkeypatch.setattr(stage, "PARALLEL_FROM", 1)
    monkeypatch.setattr(stage, "forked_pool", counted_pool)
    assert tag_articles(articles, NO_RULES, "always", jobs=2) == serial
    assert pools == [2]  # the articles were read in two forked workers
