"""Whole builds: pages, listings, feeds, sitemap, links, determinism and safety."""

from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.errors import ArchiveError
from newsarchive.output import MARKER

from .conftest import SEEDS, article_text
from .linkcheck import broken_links, page_links, target_file

CONFIG = Config(base_url="https://example.org/news/", per_page=3, timezone="UTC")


def many(count: int, tags: str = "Economy") -> dict[str, str]:
    """``count`` articles, one per day of January 2023, tagged ``tags``."""
    return {
        f"a{i:03d}.txt": article_text(
            title=f"Story number {i}",
            posted=f"{i % 28 + 1:02d}.01.2023 {i % 24:02d}:00",
            body=f"Paragraph about item {i}.\n\nMore text.",
            tags=tags,
        )
        for i in range(count)
    }


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_reference_site_pages(build) -> None:
    result, site = build(SEEDS, CONFIG)
    assert result.ok and result.articles == 1
    slug = "lukashenko-discussed-belarus-security-guarantees-with-shoigu-in-minsk-in"
    page = site / "2023/04/10" / slug / "index.html"
    html = page.read_text()
    assert '<time datetime="2023-04-10T13:13:00+00:00">10 April 2023, 13:13</time>' in html
    assert '<link rel="canonical" href="https://example.org/news/2023/04/10/lukashenko' in html
    assert '<meta property="og:type" content="article">' in html
    assert '"@type": "NewsArticle"' in html
    assert 'class="credit"' in html and "www.belta.by</a>" in html
    # The kicker links the article (four folders deep) to its year, month and day listings.
    for listing, label in (
        ("2023/index.html", "2023"),
        ("2023/04/index.html", "April"),
        ("2023/04/10/index.html", "10"),
    ):
        href = "../../../../" + listing
        assert f'<a href="{href}">{label}</a>' in html, listing
        target = Path(posixpath.normpath((page.parent / href).as_posix()))
        assert target == site / listing and target.is_file(), listing
    for name in (
        "index.html",
        "archive/index.html",
        "tags/index.html",
        "search/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        MARKER,
    ):
        assert (site / name).is_file(), name


def titles_on(page: Path) -> list[str]:
    return re.findall(r'class="entry-title"><a href="[^"]+">([^<]+)<', page.read_text())


def listing(site: Path, base: str = "") -> list[tuple[str, list[str]]]:
    """A listing's pages as (path, titles), from the front page through the "Older" links."""
    pages, path = [], f"{base}index.html"
    while True:
        pages.append((path, titles_on(site / path)))
        found = re.search(r'rel="next" href="([^"]+)"', (site / path).read_text())
        if not found:
            return pages
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), found.group(1)))


def test_pagination_and_listings(build, write_articles) -> None:
    """Pages count from the oldest and hold runs of about per_page articles; the front page
    the newest, at least per_page; together every article once, newest first."""
    source = write_articles(many(27))
    result, site = build(source, CONFIG)
    assert result.ok and result.articles == 27
    pages = listing(site)
    assert [t for _, ts in pages for t in ts] == [f"Story number {i}" for i in range(26, -1, -1)]
    count = len(pages)
    assert count > 4
    # Each numbered page is named by its oldest article's time (Story i: 2023-01-(i%28+1), i h).
    oldest_story = [int(ts[-1].split()[-1]) for _, ts in pages[1:]]
    assert [p for p, _ in pages] == ["index.html"] + [
        f"page/2023/01/{i % 28 + 1:02d}/{i % 24:02d}00/index.html" for i in oldest_story
    ]
    assert len(pages[0][1]) >= CONFIG.per_page
    assert all(1 <= len(ts) <= 2 * CONFIG.per_page for _, ts in pages[1:])
    front, oldest = site / "index.html", site / pages[-1][0]
    first = front.read_text()
    assert "27 articles in the archive" in first and ">Latest</span>" in first
    assert f'rel="next" href="{pages[1][0]}"' in first
    older = oldest.read_text()
    # Page buttons, titles and headings say what a page holds: page 1's own dates.
    days = sorted(int(t.split()[-1]) % 28 + 1 for t in pages[-1][1])
    label = f"{days[0]}\u2009–\u2009{days[-1]} Jan 2023" if days[0] != days[-1] else ""
    assert f"Articles, {label}</h1>" in older and f"<title>{label} · " in older
    assert "1 January 2023 to" in older
    assert 'rel="next"' not in older and "27 articles" not in older
    assert f'rel="prev" href="../../../../../{pages[-2][0]}"' in older
    assert f'aria-current="page">{label}</span>' in older
    assert f'href="{pages[-1][0]}">{label}</a>' in first
    tag_page = (site / "tags/economy/index.html").read_text()
    assert "27 articles" in tag_page
    assert (site / "tags/economy" / pages[-1][0]).is_file()  # the same runs, the same names
    tags_index = (site / "tags/index.html").read_text()
    assert re.search(
        r'href="../tags/economy/index.html">Economy</a> <span class="count">27</span>', tags_index
    )
    month = (site / "2023/01/index.html").read_text()
    assert "January 2023" in month and "27 articles" in month
    archive = (site / "archive/index.html").read_text()
    assert 'href="../2023/01/index.html">January</a> <span class="count">27</span>' in archive


def numbered(files: dict[str, bytes]) -> list[str]:
    """Numbered listing pages (home, tag, year, month)."""
    found = (re.match(r"(tags/economy/|2023/|2023/01/)?page/", p) for p in files)
    return sorted(m.string for m in found if m)


def test_new_articles_leave_older_pages_alone(build, write_articles) -> None:
    """Adding the newest article rewrites a listing's front page, not its older pages: their
    articles, links and text stay the same. Once a page's worth has arrived the listing gets
    one more page, and only the pages near the front change their page links."""
    config = Config(base_url="https://example.org/", per_page=2, timezone="UTC")
    _, site = build(write_articles(many(16)), config)
    before, pages = files(site), listing(site)

    # Not the pages whose links reach the front page (the four newest of the listings).
    # (Each listing has the same runs, so the same day and time end its pages' names.)
    def day_time(path: str) -> str:
        return "/".join(path.split("/")[-3:-1])

    near = {day_time(p) for p, _ in pages[1:5]}
    older = [p for p in numbered(before) if day_time(p) not in near]
    assert len(older) >= 4 * 3
    for count in (17, 18, 19, 20):
        _, site = build(write_articles(many(count)), config)
        after = files(site)
        assert [p for p in older if after[p] != before[p]] == []
        titles = [t for _, ts in listing(site) for t in ts]
        assert titles == [f"Story number {i}" for i in range(count - 1, -1, -1)]
    assert len(listing(site)) > len(pages)


def test_backfilled_article_changes_only_the_pages_near_it(build, write_articles) -> None:
    """An article dated in the middle of a listing changes the page it lands on (page
    boundaries depend on the articles near them, not on counts), and deleting it again gives
    back the same site."""
    config = Config(base_url="https://example.org/", per_page=2, timezone="UTC")
    stories = many(27)
    _, site = build(write_articles(stories), config)
    before = files(site)
    late = article_text(title="A late story", posted="10.01.2023 12:30", tags="Economy")
    _, site = build(write_articles({**stories, "late.txt": late}), config)
    after = files(site)
    # Its page or two in each of 4 listings, and the pages whose buttons name their dates
    # (two either side); those others differ in their page buttons (and newer and older
    # links) only. However the runs
    # are cut again, no other page moves: pages are named by their oldest article.
    changed = [p for p in numbered(after) if after[p] != before.get(p)]
    assert 1 <= len(changed) <= (2 + 4) * 4, changed
    assert any("A late story" in after[p].decode() for p in changed)
    gone = [p for p in numbered(before) if p not in after]
    assert len(gone) <= 4, gone

    def without_buttons(page: bytes | None) -> str:
        text = (page or b"").decode()
        text = re.sub(r'<nav class="page-numbers".*?</nav>', "", text, flags=re.S)
        return re.sub(r'<a rel="(prev|next)" href="[^"]*"', "", text)  # a renamed neighbour

    holding = [p for p in changed if without_buttons(after[p]) != without_buttons(before.get(p))]
    assert 1 <= len(holding) <= 2 * 4, holding
    assert any("A late story" in after[p].decode() for p in holding)
    titles = [t for _, ts in listing(site) for t in ts]
    assert titles.index("A late story") == titles.index("Story number 9") - 1
    (write_articles({}) / "late.txt").unlink()
    _, site = build(write_articles(stories), config)
    assert files(site) == before


def test_newest_first_and_prev_next(build, write_articles) -> None:
    source = write_articles(many(3))
    _, site = build(source, CONFIG)
    titles = re.findall(
        r'class="entry-title"><a href="[^"]+">([^<]+)<', (site / "index.html").read_text()
    )
    assert titles == ["Story number 2", "Story number 1", "Story number 0"]
    middle = (site / "2023/01/02/story-number-1/index.html").read_text()
    assert 'rel="prev" href="../../../../2023/01/01/story-number-0/index.html"' in middle
    assert 'rel="next" href="../../../../2023/01/03/story-number-2/index.html"' in middle


def test_feeds_are_valid_atom(build, write_articles) -> None:
    source = write_articles(
        {**many(25), "x.txt": article_text(title="Tom & <Jerry>", tags="Cartoons")}
    )
    _, site = build(source, CONFIG)
    for feed_path in ("feed.xml", "tags/economy/feed.xml", "tags/cartoons/feed.xml"):
        raw = (site / feed_path).read_bytes()
        ET.fromstring(raw)  # well-formed XML
        feed = feedparser.parse(raw)
        assert not feed.bozo, (feed_path, feed.bozo_exception)
        assert feed.version == "atom10"
        assert feed.feed.title and feed.feed.id and feed.feed.updated
        for entry in feed.entries:
            assert entry.id.startswith("https://example.org/news/")
            assert entry.link == entry.id and entry.published and entry.title
    main_feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert len(main_feed.entries) == CONFIG.feed_size
    cartoon = feedparser.parse((site / "tags/cartoons/feed.xml").read_bytes())
    assert cartoon.entries[0].title == "Tom & <Jerry>"


def test_sitemap_and_robots(build, write_articles) -> None:
    _, site = build(write_articles(many(4)), CONFIG)
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    html_pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(html_pages)
    assert "https://example.org/news/2023/01/01/story-number-0/" in locs
    for loc in locs:
        assert target_file(site, "/news/", loc).is_file(), loc
    assert "Sitemap: https://example.org/news/sitemap.xml" in (site / "robots.txt").read_text()


def test_a_large_sitemap_is_an_index_of_sitemaps(build, write_articles, monkeypatch) -> None:
    """Past SITEMAP_LIMIT URLs (50,000) sitemap.xml is an index of numbered sitemaps, made
    one at a time; together they list every page once (here with a limit of 7)."""
    from newsarchive.render import sitemap

    monkeypatch.setattr(sitemap, "SITEMAP_LIMIT", 7)
    _, site = build(write_articles(many(4)), CONFIG)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring((site / "sitemap.xml").read_bytes())
    parts = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert len(parts) > 2
    locs = []
    for n, part in enumerate(parts, 1):
        assert part == f"https://example.org/news/sitemap-{n}.xml"
        urls = ET.fromstring((site / f"sitemap-{n}.xml").read_bytes()).findall("s:url/s:loc", ns)
        assert 0 < len(urls) <= 7
        locs += [e.text for e in urls]
    html_pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(set(locs)) == len(html_pages)
    assert locs == sorted(locs)


@pytest.mark.parametrize(
    "base", ["http://localhost:8000/", "http://example.org/news/", "file:///tmp/x/site/"]
)
def test_every_internal_link_resolves(build, write_articles, base) -> None:
    source = write_articles(
        {**many(8), "ru.txt": article_text(title="Лукашенко и Путин", tags="Беларусь")}
    )
    result, site = build(source, CONFIG)
    assert result.ok
    assert broken_links(site, base) == []


def test_404_links_are_relative_to_the_root_and_based_on_base_url(build) -> None:
    """Links as from the site's root (where the file is: from disk they work as they are);
    served at any depth, a <base> from base_url's path resolves them (the browser test
    tests/browser/test_not_found.py follows them)."""
    _, site = build(SEEDS, CONFIG)
    html = (site / "404.html").read_text()
    assert 'var path = "/news/"' in html
    assert html.index("createElement('base')") < html.index('rel="stylesheet"')
    links = [link for link in page_links(html) if not link.startswith(("https://", "#"))]
    assert "index.html" in links and "static/style.css" in links
    for link in links:
        assert target_file(site, "/news/", "/news/" + link).is_file(), link


def test_two_builds_are_byte_identical(tmp_path, write_articles) -> None:
    source = write_articles(
        {**many(9), "md.md": "---\ntitle: MD\ndate: 2023-01-05\ntags: [X]\n---\nHi\n"}
    )
    build_site(CONFIG, source, tmp_path / "one")
    build_site(CONFIG, source, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_parallel_build_is_byte_identical(reuters_source: Path, tmp_path: Path) -> None:
    """Pages rendered by two forked workers (while this process builds the search index)
    are the pages one process renders."""
    serial = build_site(CONFIG, reuters_source, tmp_path / "one", jobs=1)
    parallel = build_site(CONFIG, reuters_source, tmp_path / "two", jobs=2)
    assert parallel.pages == serial.pages > 2 * 250  # more than one task per worker
    assert (parallel.files, parallel.bytes) == (serial.files, serial.bytes)
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_worker_errors_keep_their_location(write_articles, tmp_path, monkeypatch) -> None:
    """An ArchiveError raised while a forked page worker renders a page reaches the caller
    of build_site whole: message, path and line (pickled in the worker, unpickled here)."""
    from newsarchive.render.renderer import Renderer

    source = write_articles(many(300))
    broken = "2023/01/07/story-number-286/index.html"  # many(): posted on day 286 % 28 + 1
    parent = os.getpid()
    render = Renderer.render

    def render_or_fail(self, job):  # type: ignore[no-untyped-def]
        # Only in a forked worker (which inherits this patch): no pool, no error.
        if job.path == broken and os.getpid() != parent:
            raise ArchiveError("cannot render", "a/b.txt", 3)
        return render(self, job)

    monkeypatch.setattr(Renderer, "render", render_or_fail)
    with pytest.raises(ArchiveError) as info:
        build_site(CONFIG, source, tmp_path / "site", jobs=2)
    error = info.value
    assert type(error) is ArchiveError
    assert (error.message, error.path, error.line) == ("cannot render", "a/b.txt", 3)
    assert str(error) == "a/b.txt:3: cannot render"
    assert not (tmp_path / "site").exists()  # a failed build leaves no site behind


def test_template_errors_in_workers_name_the_template_line(write_articles, tmp_path) -> None:
    """A template error in a forked page worker arrives as itself, with the worker's
    traceback (what the command line prints) naming the template file and line."""
    import jinja2

    from newsarchive.render.theme import Theme
    from newsarchive.resources import TEMPLATES

    own = tmp_path / "templates"  # overrides the default theme's article.html only
    own.mkdir()
    article = own / "article.html"
    lines = (TEMPLATES / "article.html").read_text(encoding="utf-8").split("\n")
    assert lines[3].startswith("{% block title %}")
    lines[3] = lines[3].replace(
        "{% block title %}",
        '{% block title %}{% if article.title == "Story number 286" %}'
        "{{ no_such_thing.title }}{% endif %}",
    )
    article.write_text("\n".join(lines), encoding="utf-8")
    source = write_articles(many(300))
    with pytest.raises(jinja2.UndefinedError, match="'no_such_thing' is undefined") as info:
        build_site(CONFIG, source, tmp_path / "site", theme=Theme((own, TEMPLATES)), jobs=2)
    # The pool attaches the worker's formatted traceback as the cause: there is none when
    # the page was rendered in this process.
    remote = info.value.__cause__
    assert remote is not None and type(remote).__name__ == "RemoteTraceback"
    assert f'File "{article}", line 4' in str(remote), str(remote)


def test_bad_files_are_skipped_and_reported(build, write_articles) -> None:
    source = write_articles(
        {
            "good.txt": article_text(title="Good one"),
            "nodate.txt": "Just a title\n\nBody\n",
            "empty.txt": "",
            "binary.txt": b"\x00\x01\x02",
            "latin.txt": b"Posted: 01.01.2023\n\n\xe9t\xe9\n",
            "bad.md": "---\ntitle: [x\n---\n",
        }
    )
    result, site = build(source, CONFIG)
    assert result.articles == 1 and not result.ok
    assert sorted(Path(p.path).name for p in result.errors) == [
        "bad.md",
        "binary.txt",
        "empty.txt",
        "latin.txt",
        "nodate.txt",
    ]
    assert (site / "2023/04/10/good-one/index.html").is_file()


def test_failed_build_leaves_previous_site(tmp_path, write_articles, monkeypatch) -> None:
    source = write_articles(many(3))
    out = tmp_path / "site"
    build_site(CONFIG, source, out)
    before = files(out)
    write_articles({"new.txt": article_text(title="Brand new")})

    from newsarchive.render.renderer import Renderer

    real = Renderer.render
    calls = 0

    def explode(self, job):
        nonlocal calls
        calls += 1
        if calls > 2:
            raise RuntimeError("disk full halfway")
        return real(self, job)

    monkeypatch.setattr(Renderer, "render", explode)
    with pytest.raises(RuntimeError):
        build_site(CONFIG, source, out)
    assert calls == 3
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_refuses_to_replace_foreign_folder(tmp_path) -> None:
    out = tmp_path / "important"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    with pytest.raises(ArchiveError, match="not created by newsarchive"):
        build_site(CONFIG, SEEDS, out)
    assert (out / "thesis.docx").read_text() == "years of work"


def test_refuses_output_overlapping_the_source(tmp_path, write_articles) -> None:
    source = write_articles(many(1))
    for out in (source, source / "site", source.parent):
        with pytest.raises(ArchiveError, match="overlaps the input"):
            build_site(CONFIG, source, out)


def test_untrusted_text_is_escaped_everywhere(build, write_articles) -> None:
    evil = '<img src=x onerror="alert(1)">'
    source = write_articles(
        {
            "x.txt": article_text(
                title=f"Title {evil}",
                body=f"Body {evil}",
                tags=f"T{evil}",
                author=evil,
                source=evil,
            )
        }
    )
    _, site = build(source, CONFIG)
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text()
            assert "<img src=x" not in text, path
            assert "</script><" not in text.replace("</script>\n", "")


def test_whole_reuters_corpus_builds(reuters_dir: Path, tmp_path: Path) -> None:
    """Every real article builds, title-only ones included; duplicates only warn."""
    count = len(list(reuters_dir.glob("*.txt")))
    result = build_site(Config(timezone="UTC"), reuters_dir, tmp_path / "site")
    assert result.ok, result.errors[:5]
    assert result.articles == count > 20_000
    assert all(p.level == "warning" and "same URL" in p.message for p in result.problems)
    pages = (tmp_path / "site").glob("1987/*/*/*/index.html")
    assert len([p for p in pages if "page" not in p.parts]) == count


@pytest.mark.parametrize("base", ["http://localhost:8000/", "https://example.org/news/"])
def test_reuters_sample_links_resolve(reuters_source: Path, tmp_path: Path, base: str) -> None:
    site = tmp_path / "site"
    result = build_site(Config(base_url=base), reuters_source, site)
    assert result.ok
    assert broken_links(site, base) == []
    assert broken_links(site, "file:///srv/archive/") == []


def test_a_moved_archive_builds_the_same_site(tmp_path: Path) -> None:
    """URLs hash the path below the source folder, never the folder's path as typed."""
    articles = {
        **{f"twin{i}.txt": article_text(title="Twin title") for i in range(3)},
        "emoji.txt": article_text(title="🙂🔥"),
        "deeper/bangs.md": "---\ntitle: '!!! ???'\ndate: 2023-04-12\n---\nBody\n",
    }
    sites = []
    for folder in (Path("one/articles"), tmp_path / "two" / "moved" / "articles"):
        for name, text in articles.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        out = tmp_path / f"site-{len(sites)}"
        result = build_site(CONFIG, folder, out, cache_dir=tmp_path / f"cache-{len(sites)}")
        assert result.ok and result.articles == 5
        sites.append(files(out))
    assert sites[0] == sites[1]
    assert "2023/04/10/emoji/index.html" in sites[0]
    assert "2023/04/12/bangs/index.html" in sites[0]


def test_a_cold_build_makes_its_search_index_in_a_child(write_articles, tmp_path, monkeypatch):
    """A one-off build into a new folder makes the search index in a forked child while
    it relates articles and keys pages (searchfork): the site and the manifest (its order
    too) are those of one process; a rebuild over a site makes it here; an error in the
    child fails the build whole and leaves no site."""
    from newsarchive import searchfork
    from newsarchive.manifest import load_manifest

    source = write_articles(many(300))
    made = tmp_path / "made-by"
    searched = searchfork.site_assets

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.write_text(str(os.getpid()))
        return searched(*args, **kwargs)

    monkeypatch.setattr(searchfork, "site_assets", recorded)
    cache = tmp_path / "cache"
    serial = build_site(CONFIG, source, tmp_path / "one", jobs=1, cache_dir=cache)
    assert not made.exists()  # one process: no child
    forked = build_site(CONFIG, source, tmp_path / "two", jobs=2, cache_dir=cache)
    assert int(made.read_text()) != os.getpid()
    assert (forked.files, forked.bytes) == (serial.files, serial.bytes)
    assert files(tmp_path / "one") == files(tmp_path / "two")
    one, two = (load_manifest(cache, (tmp_path / n).resolve(), None) for n in ("one", "two"))
    assert one is not None and two is not None
    # (The child's files are recorded after the data files, and the workers' pages in
    # their render order: the manifest holds the same entries.)
    assert (
        one.files == two.files and one.pages == two.pages and one.stamps.keys() == two.stamps.keys()
    )
    assert (one.search, one.search_files, one.search_scripts) == (
        two.search,
        two.search_files,
        two.search_scripts,
    )
    assert any(path.startswith("search/") for path in two.files)

    made.unlink()
    (source / "a001.txt").write_text(article_text("A new title", "02.01.2023 01:00"))
    build_site(CONFIG, source, tmp_path / "two", jobs=2, cache_dir=cache)
    assert not made.exists()  # a last site to keep files of: made in this process

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ArchiveError("cannot index", "a/b.txt", 5)

    monkeypatch.setattr(searchfork, "site_assets", failing)
    with pytest.raises(ArchiveError) as info:
        build_site(CONFIG, source, tmp_path / "three", jobs=2, cache_dir=cache)
    assert str(info.value) == "a/b.txt:5: cannot index"
    assert not (tmp_path / "three").exists()


@pytest.mark.parametrize("forked_reads", [False, True])
def test_page_workers_compile_no_template(write_articles, tmp_path, monkeypatch, forked_reads):
    """The build process compiles each template once, before the page workers fork (while
    forked processes read the files, when they do), so that no worker compiles one again
    for each task. A copy of the templates keeps the compiled ones of other tests out."""
    import shutil

    import newsarchive.content.reader as reader
    from newsarchive.render.compiled import Environment
    from newsarchive.render.theme import Theme
    from newsarchive.resources import TEMPLATES

    own = tmp_path / f"templates-{forked_reads}"
    shutil.copytree(TEMPLATES, own)
    source = write_articles(many(300))
    log = tmp_path / "compiled"
    compile_ = Environment.compile

    def logged(self, source, name=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {name}\n")
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", logged)
    if forked_reads:
        monkeypatch.setattr(reader, "_TASK_SOURCES", 50)
    built = build_site(CONFIG, source, tmp_path / "site", theme=Theme((own,)), jobs=2)
    assert built.pages > 2 * 250  # more than one task per worker
    compiled = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    templates = sorted(p.relative_to(own).as_posix() for p in own.rglob("*.html"))
    assert {pid for pid, _ in compiled} == {str(os.getpid())}
    assert sorted(name for _, name in compiled) == templates  # each once


def test_a_template_no_page_uses_may_not_compile(write_articles, tmp_path) -> None:
    """Every template is compiled before the page workers fork, but one that does not
    compile fails the build only where a page uses it, as when each was compiled on use."""
    from newsarchive.render.theme import Theme
    from newsarchive.resources import TEMPLATES

    own = tmp_path / "own"
    own.mkdir()
    (own / "unused.html").write_text("{% if %}never closed", encoding="utf-8")
    source = write_articles(many(300))
    built = build_site(CONFIG, source, tmp_path / "site", theme=Theme((own, TEMPLATES)), jobs=2)
    assert not built.errors and built.pages > 2 * 250
