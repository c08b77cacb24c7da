"""The editing loop: event filtering, debouncing, the dev server and a real edit cycle."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from newsarchive.config import Config
from newsarchive.errors import ArchiveError, Problem
from newsarchive.output import manifest_path
from newsarchive.serve.http import DevHTTPServer, resolve_request
from newsarchive.serve.livereload import (
    EVENTS_PATH,
    LIVERELOAD_JS,
    SCRIPT_PATH,
    LiveReload,
    inject_script,
    script_tag,
    sse_message,
)
from newsarchive.serve.moves import changed_urls, moved_notes, moved_pages
from newsarchive.serve.server import DevServer, describe_exception
from newsarchive.serve.watching import Debouncer, WatchFilter, is_temp_file, watch_targets

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# --- which events matter ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [".#story.txt", "story.txt~", ".story.txt.swp", "4913", "#story.txt#", "x.tmp",
             "story.txt___jb_tmp___", ".DS_Store", "page.html.swx", "5036"],
)  # fmt: skip
def test_editor_litter_is_temporary(name: str) -> None:
    assert is_temp_file(name)


@pytest.mark.parametrize("name", ["story.txt", "2023-04-10.md", "base.html", "style.css"])
def test_real_files_are_not_temporary(name: str) -> None:
    assert not is_temp_file(name)


@pytest.fixture
def watch_filter(tmp_path: Path) -> WatchFilter:
    return WatchFilter.create(
        roots=[tmp_path / "articles", tmp_path / "templates"],
        files=[tmp_path / "archive.toml"],
        ignored=[tmp_path / "articles" / "site"],
    )


@pytest.mark.parametrize(
    "rel",
    ["articles/a.txt", "articles/2023/04/b.md", "templates/base.html", "archive.toml",
     "articles/new-folder", "articles/2023"],
)  # fmt: skip
def test_inputs_matter(watch_filter: WatchFilter, tmp_path: Path, rel: str) -> None:
    assert watch_filter.matters(tmp_path / rel)


@pytest.mark.parametrize(
    "rel",
    [
        "articles/site/index.html",  # the output folder, even inside the source
        "articles/site",
        "articles/.site.tmp-123/index.html",  # the build's temporary folder
        "articles/.git/index",
        "articles/__pycache__/x.txt",
        "articles/.hidden/a.txt",
        "articles/.a.txt.swp",
        "articles/a.txt~",
        "articles/4913",
        "templates/.#base.html",
        "README.md",  # beside the config, which alone is watched there
        "other/a.txt",
    ],
)
def test_noise_does_not_matter(watch_filter: WatchFilter, tmp_path: Path, rel: str) -> None:
    assert not watch_filter.matters(tmp_path / rel)


def test_event_kinds(watch_filter: WatchFilter, tmp_path: Path) -> None:
    story = str(tmp_path / "articles" / "a.txt")
    temp = str(tmp_path / "articles" / ".a.txt.swp")
    folder = str(tmp_path / "articles" / "2023")
    assert watch_filter.changed_paths("modified", story) == [story]
    assert watch_filter.changed_paths("created", story) == [story]
    assert watch_filter.changed_paths("deleted", story) == [story]
    assert watch_filter.changed_paths("closed", story) == [story]  # closed after writing
    # The build reads every input: reading must never trigger a rebuild.
    assert watch_filter.changed_paths("opened", story) == []
    assert watch_filter.changed_paths("closed_no_write", story) == []
    # A folder's "modified" only echoes its children's events.
    assert watch_filter.changed_paths("modified", folder, is_directory=True) == []
    assert watch_filter.changed_paths("deleted", folder, is_directory=True) == [folder]
    # Saving by renaming a temporary file over the real one.
    assert watch_filter.changed_paths("moved", temp, story) == [story]
    assert watch_filter.changed_paths("moved", story, temp) == [story]
    assert watch_filter.changed_paths("modified", temp) == []


def test_watch_targets_skip_missing_and_covered_folders(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "conf").mkdir()
    f = WatchFilter.create(
        roots=[tmp_path / "articles", tmp_path / "missing"],
        files=[tmp_path / "conf" / "archive.toml", tmp_path / "articles" / "archive.toml"],
    )
    assert watch_targets(f) == [(tmp_path / "articles", True), (tmp_path / "conf", False)]


# --- debouncing -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_debouncer_waits_for_quiet() -> None:
    clock = FakeClock()
    d = Debouncer(lambda paths: None, quiet=0.3, clock=clock)
    assert d.remaining() is None and d.take() is None
    d.add("a")
    clock.now += 0.2
    assert d.take() is None
    d.add("b")  # restarts the quiet period
    clock.now += 0.2
    assert d.take() is None
    assert d.remaining() == pytest.approx(0.1)
    clock.now += 0.1
    assert d.take() == {"a", "b"}
    assert d.take() is None and d.remaining() is None


def test_debouncer_settles_sooner_once_every_file_is_whole() -> None:
    clock = FakeClock()
    d = Debouncer(lambda paths: None, quiet=0.3, clock=clock, settle=0.02)
    d.add("a")  # created or modified: more writes may follow
    clock.now += 0.05
    assert d.take() is None and d.remaining() == pytest.approx(0.25)
    d.add("a", complete=True)  # closed after writing: the save is over
    assert d.remaining() == pytest.approx(0.02)
    d.add("b")  # another file still being written holds the batch back
    clock.now += 0.05
    assert d.take() is None
    d.add("b", complete=True)
    clock.now += 0.01
    assert d.take() is None
    clock.now += 0.01
    assert d.take() == {"a", "b"}
    d.add("c", complete=True)  # a deletion or a rename into place needs no quiet period
    d.add("c")  # ...unless the file is written again after it
    clock.now += 0.02
    assert d.take() is None
    clock.now += 0.28
    assert d.take() == {"c"}


def test_a_plain_save_is_seen_whole_by_the_real_watcher(tmp_path: Path) -> None:
    """inotify reports the close after writing: a save is rebuilt without the quiet period."""
    from newsarchive.serve.watching import Watcher

    root = tmp_path / "articles"
    root.mkdir()
    story = root / "a.txt"
    events: list[tuple[str, bool]] = []
    watcher = Watcher(WatchFilter.create([root]), lambda p, c: events.append((p, c)), interval=60)
    watcher.start()
    try:
        with story.open("w", encoding="utf-8") as f:
            f.write("Posted: 01.02.2024 10:00:00\n\nTitle\n")
        deadline = time.monotonic() + 5
        while (str(story), True) not in events and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop(5)
    if watcher._observer.__class__.__name__.startswith("Polling"):
        pytest.skip("no inotify here: polling sees no close events")
    assert (str(story), False) in events  # created, then modified...
    assert events[-1] == (str(story), True)  # ...then closed: whole


def test_debouncer_thread_coalesces_bursts_and_keeps_changes_made_during_a_run() -> None:
    runs: list[set[str]] = []
    first_started = threading.Event()
    release = threading.Event()

    def action(paths: set[str]) -> None:
        runs.append(paths)
        first_started.set()
        release.wait(5)

    d = Debouncer(action, quiet=0.05)
    d.start()
    try:
        for i in range(10):
            d.add(f"f{i}")
        assert first_started.wait(5)
        d.add("during")  # arrives while the first run is still going
        release.set()
        deadline = time.monotonic() + 5
        while len(runs) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        d.stop(timeout=5)
    assert runs == [{f"f{i}" for i in range(10)}, {"during"}]


# --- injection, paths, events ---------------------------------------------------------------


def test_inject_script_goes_before_the_last_body_end() -> None:
    tag = b"<script></script>"
    page = b"<body><p>&lt;/body&gt;</p></BODY></html>"
    assert inject_script(page, tag) == b"<body><p>&lt;/body&gt;</p><script></script></BODY></html>"
    assert inject_script(b"<p>fragment", tag) == b"<p>fragment<script></script>"


@pytest.mark.parametrize(
    "url",
    ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/a/../../secret.txt",
     "/..%5csecret.txt", "/a%00"],
)  # fmt: skip
def test_resolve_request_refuses_escapes(tmp_path: Path, url: str) -> None:
    (tmp_path / "site").mkdir()
    assert resolve_request(tmp_path / "site", url) is None


def test_resolve_request_maps_inside_root(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "a b").mkdir(parents=True)
    assert resolve_request(root, "/a%20b/./") == (root / "a b").resolve()
    assert resolve_request(root, "/") == root.resolve()


def test_sse_message_splits_lines() -> None:
    assert sse_message("error", "a\nb") == b"event: error\ndata: a\ndata: b\n\n"


def test_live_reload_catches_up_new_clients() -> None:
    live = LiveReload()
    live.built()
    current = live.generation
    assert live.connect("stale").get_nowait() == ("reload", current)
    assert live.connect(current).empty()
    live.failed("broken")
    assert live.connect(current).get_nowait() == ("error", "broken")
    client = live.connect(current)
    client.get_nowait()
    live.built()
    assert client.get_nowait() == ("reload", live.generation)
    assert client.empty() and live.message is None
    live.close()
    assert client.get_nowait() is None


# --- the HTTP server on its own -------------------------------------------------------------


@pytest.fixture
def static_site(tmp_path: Path):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    (root / "news" / "index.html").write_text("<html><body>News</body></html>")
    (root / "404.html").write_text("<html><body>Nothing here</body></html>")
    (root / "style.css").write_text("body { color: red }")
    (root / "feed.xml").write_text("<feed></feed>")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (root / "link").symlink_to(tmp_path)
    live = LiveReload()
    server = DevHTTPServer(("127.0.0.1", 0), root, live, heartbeat=0.2, base_path="/archive/")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield server, root
    live.close()
    server.shutdown()
    server.server_close()
    thread.join(5)


def request(url: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send ``path`` exactly as given (no client-side normalisation)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_html_gets_the_script_but_the_file_on_disk_does_not(static_site) -> None:
    server, root = static_site
    status, headers, body = request(server.url, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert body.endswith(script_tag(server.live.generation) + b"</body></html>")
    assert int(headers["Content-Length"]) == len(body)
    assert SCRIPT_PATH not in (root / "index.html").read_text()


def test_other_files_are_served_unchanged(static_site) -> None:
    server, root = static_site
    for name in ("style.css", "feed.xml"):
        status, headers, body = request(server.url, f"/{name}")
        assert status == 200 and body == (root / name).read_bytes()
        assert "charset=utf-8" in headers["Content-Type"]
    status, headers, body = request(server.url, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_folders_redirect_to_their_slash_and_serve_index(static_site) -> None:
    server, _ = static_site
    status, headers, _ = request(server.url, "/news?x=1")
    assert status == 301 and headers["Location"] == "/news/?x=1"
    status, _, body = request(server.url, "/news/")
    assert status == 200 and b"News" in body


def test_missing_pages_get_the_sites_404_page(static_site) -> None:
    server, _ = static_site
    status, _, body = request(server.url, "/no/such/page/")
    assert status == 404 and b"Nothing here" in body and SCRIPT_PATH.encode() in body


def test_base_url_sub_path_also_works(static_site) -> None:
    server, root = static_site
    status, _, body = request(server.url, "/archive/style.css")
    assert status == 200 and body == (root / "style.css").read_bytes()


def test_live_reload_script_is_served(static_site) -> None:
    server, _ = static_site
    status, headers, body = request(server.url, SCRIPT_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert EVENTS_PATH.encode() in body and b"textContent" in body  # text, never HTML


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/news/../../secret.txt",
        "/news/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/link/secret.txt",  # a symlink inside the site pointing out of it
        "//etc/passwd",
        "/%00",
    ],
)
def test_path_traversal_is_refused(static_site, path: str) -> None:
    server, _ = static_site
    status, _, body = request(server.url, path)
    assert status in (400, 403, 404)
    assert b"TOP SECRET" not in body and b"root:" not in body


def test_port_in_use_is_a_user_error(static_site) -> None:
    server, root = static_site
    with pytest.raises(ArchiveError, match="cannot serve"):
        DevHTTPServer(("127.0.0.1", server.server_address[1]), root, LiveReload())


# --- the loop with a stand-in build ---------------------------------------------------------


@dataclass
class FakeResult:
    articles: int = 1
    pages: int = 1
    seconds: float = 0.01
    problems: list[Problem] = field(default_factory=list)
    archive: None = None


class FakeBuilder:
    """Writes a one-page site from ``articles/title.txt``; 'FAIL' in it raises like a bad
    config would, 'CRASH' like a bug would."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, config: Config, source: Path, out: Path) -> FakeResult:
        self.calls += 1
        title = (source / "title.txt").read_text()
        if "FAIL" in title:
            raise ArchiveError("bad input", str(source / "title.txt"), 1)
        if "CRASH" in title:
            raise ZeroDivisionError("division by zero")
        out.mkdir(exist_ok=True)
        (out / "index.html").write_text(f"<html><body><h1>{title}</h1></body></html>")
        return FakeResult()


class EventStream:
    """A minimal Server-Sent Events client, as a browser's EventSource would read."""

    def __init__(self, url: str, since: str) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.conn.request("GET", f"{EVENTS_PATH}?since={since}")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next_event(self, deadline: float) -> tuple[str, str] | None:
        name, data = "message", []
        while time.monotonic() < deadline:
            raw = self.response.fp.readline()
            if not raw:
                return None
            line = raw.decode("utf-8").rstrip("\r\n")
            if not line:
                if data:
                    return name, "\n".join(data)
                name = "message"
                continue
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
        raise TimeoutError("no event in time")

    def wait_for(self, name: str, contains: str = "", timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(deadline)
            if event is None:
                raise EOFError("stream closed")
            if event[0] == name and contains in event[1]:
                return event[1]

    def close(self) -> None:
        self.conn.close()


def get(url: str, path: str = "/") -> str:
    status, _, body = request(url, path)
    assert status == 200, (path, status)
    return body.decode("utf-8")


def project(tmp_path: Path, title: str = "First") -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "title.txt").write_text(title)
    (tmp_path / "archive.toml").write_text('source = "articles"\noutput = "site"\n')
    return tmp_path / "archive.toml"


@pytest.fixture
def fake_project(tmp_path: Path):
    config = project(tmp_path)
    (tmp_path / "templates").mkdir()
    builder = FakeBuilder()
    messages: list[str] = []
    server = DevServer(
        config,
        port=0,
        on_event=messages.append,
        quiet=0.05,
        heartbeat=0.2,
        watch_dirs=[tmp_path / "templates"],
        builder=builder,
    )
    server.start()
    yield server, builder, messages, tmp_path
    server.stop()


def test_failed_rebuilds_are_shown_and_the_last_good_site_stays(fake_project) -> None:
    server, _, messages, root = fake_project
    stream = EventStream(server.url, server.live.generation)
    try:
        (root / "articles" / "title.txt").write_text("FAIL")
        text = stream.wait_for("error", contains="bad input")
        assert "title.txt:1: bad input" in text
        assert "<h1>First</h1>" in get(server.url)
        assert any("rebuild failed" in m and "title.txt" in m for m in messages)

        (root / "articles" / "title.txt").write_text("CRASH")
        assert "ZeroDivisionError" in stream.wait_for("error", contains="ZeroDivision")
        assert "<h1>First</h1>" in get(server.url)

        (root / "articles" / "title.txt").write_text("Second")
        stream.wait_for("reload")
        assert "<h1>Second</h1>" in get(server.url)
        assert server.live.message is None
    finally:
        stream.close()


def test_templates_and_config_are_watched_but_noise_is_not(fake_project) -> None:
    _, builder, _, root = fake_project
    calls = builder.calls
    (root / "templates" / ".base.html.swp").write_text("x")
    (root / "templates" / "4913").write_text("")
    (root / "articles" / "title.txt~").write_text("backup")
    (root / "site" / "extra.html").write_text("written by a build")
    (root / "notes.md").write_text("beside the config")
    time.sleep(0.6)
    assert builder.calls == calls
    for changed in (root / "templates" / "base.html", root / "archive.toml"):
        changed.write_text(changed.read_text() if changed.exists() else "{{ x }}")
        deadline = time.monotonic() + 5
        while builder.calls == calls and time.monotonic() < deadline:
            time.sleep(0.02)
        assert builder.calls == calls + 1, changed
        time.sleep(0.2)  # let the burst of events settle
        calls = builder.calls


def test_stop_ends_open_event_streams(fake_project) -> None:
    server, _, _, _ = fake_project
    stream = EventStream(server.url, server.live.generation)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    with pytest.raises(EOFError):
        stream.wait_for("reload", timeout=3)
    stream.close()


def test_a_failing_first_build_raises_and_leaves_nothing_running(tmp_path: Path) -> None:
    config = project(tmp_path, "FAIL")
    threads = set(threading.enumerate())
    server = DevServer(config, port=0, watch_dirs=[], builder=FakeBuilder(), heartbeat=0.2)
    with pytest.raises(ArchiveError, match="bad input"):
        server.start()
    assert server.httpd is None
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - threads and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(threading.enumerate()) - threads


def test_a_taken_port_fails_before_building(tmp_path: Path, static_site) -> None:
    taken = static_site[0].server_address[1]
    builder = FakeBuilder()
    server = DevServer(project(tmp_path), port=taken, watch_dirs=[], builder=builder)
    with pytest.raises(ArchiveError, match="cannot serve"):
        server.start()
    assert builder.calls == 0


def test_closed_tabs_are_dropped_by_the_heartbeat(fake_project) -> None:
    server, _, _, _ = fake_project
    stream = EventStream(server.url, server.live.generation)
    deadline = time.monotonic() + 3
    while server.live.client_count == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.live.client_count == 1
    stream.response.close()
    stream.close()
    deadline = time.monotonic() + 5
    while server.live.client_count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.live.client_count == 0


# --- a real edit cycle against the real build -----------------------------------------------


def article_link(html: str) -> str:
    found = re.search(r'href="([^"]*2023/04/10/[^"]*)"', html)
    assert found, "no link to the seed article"
    return found.group(1)


def test_edit_cycle_against_the_real_build(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, articles / seed.name)
    seed = articles / sorted(SEEDS.glob("*.txt"))[0].name
    (articles / "other.txt").write_text(
        "Posted: 01.03.2023 09:00:00\n\nA second story\n\nIt keeps the archive non-empty.\n"
    )
    config = tmp_path / "archive.toml"
    config.write_text('title = "Test archive"\nsource = "articles"\noutput = "site"\n')
    original = seed.read_text(encoding="utf-8")
    old_title = original.split("\n\n")[1].strip()
    messages: list[str] = []
    server = DevServer(config, port=0, on_event=messages.append, quiet=0.1, heartbeat=0.2)
    server.start()
    try:
        home = get(server.url)
        page_path = urljoin("/", article_link(home))
        page = get(server.url, page_path)
        assert old_title in page.replace("&#39;", "'")
        since = re.search(r"since=([\w-]+)", page).group(1)
        on_disk = (tmp_path / "site" / page_path.lstrip("/")).read_text(encoding="utf-8")
        assert "__newsarchive__" not in on_disk
        stream = EventStream(server.url, since)

        # Edit the title: one reload, and the page now shows it.
        seed.write_text(original.replace(old_title, "Zebras seen in Minsk"), encoding="utf-8")
        stream.wait_for("reload")
        page_path = urljoin("/", article_link(get(server.url)))
        assert "Zebras seen in Minsk" in get(server.url, page_path)

        # A file without its Posted: line is skipped: the site is rebuilt without it and
        # the browser is told which file.
        broken = "\n".join(
            line for line in seed.read_text(encoding="utf-8").split("\n")
            if not line.startswith("Posted:")
        )  # fmt: skip
        seed.write_text(broken, encoding="utf-8")
        assert seed.name in stream.wait_for("error", contains=seed.name)
        assert "A second story" in get(server.url)
        assert any(seed.name in m for m in messages)

        # A fatal error (bad config) keeps the last good site served.
        good_config = config.read_text()
        config.write_text("title = \n")
        assert "archive.toml" in stream.wait_for("error", contains="archive.toml")
        assert "A second story" in get(server.url)

        # Fixing both recovers: the page reloads and the overlay message is gone.
        config.write_text(good_config)
        stream.wait_for("reload")
        seed.write_text(original.replace(old_title, "Zebras seen in Minsk"), encoding="utf-8")
        stream.wait_for("reload")
        deadline = time.monotonic() + 5
        while server.live.message is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.live.message is None
        assert "Zebras seen in Minsk" in get(server.url, page_path)
        stream.close()
    finally:
        server.stop()
    # Nothing is left beside the site; the cache folder holds its manifest and lock file and
    # no temporary or old folders.
    assert [n for n in os.listdir(tmp_path) if n.startswith(".site")] == []
    cache = tmp_path / ".newsarchive-cache"
    manifest = manifest_path(cache, tmp_path / "site").name
    lock = manifest.replace("manifest-", "output-").replace(".json", ".lock")
    assert sorted(p.name for p in cache.iterdir()) == sorted([manifest, lock])


def test_template_errors_name_the_template_line(tmp_path: Path) -> None:
    import jinja2

    (tmp_path / "page.html").write_text("<p>\n{{ missing.title }}</p>\n")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined
    )
    with pytest.raises(jinja2.UndefinedError) as info:
        env.get_template("page.html").render()
    text = describe_exception(info.value)
    assert text.startswith(f"{tmp_path / 'page.html'}:2: ") and "'missing' is undefined" in text


BROWSER_STUB = """
const vm = require("vm");
const log = [];
const listeners = {};
const body = { children: [], appendChild(el) { this.children.push(el); } };
const context = {
  URL,
  document: {
    currentScript: { src: "http://127.0.0.1:8000/__newsarchive__/livereload.js?since=abc-1" },
    body,
    createElement(tag) {
      return { tag, style: {}, addEventListener() {}, remove() {},
               set innerHTML(v) { log.push("innerHTML used"); } };
    },
  },
  location: { reload() { log.push("reload"); } },
  EventSource: function (url) {
    log.push("connect " + url);
    this.addEventListener = (name, fn) => { listeners[name] = fn; };
    this.close = () => log.push("close");
  },
};
vm.runInNewContext(require("fs").readFileSync(0, "utf8"), context);
listeners.error({ type: "error" });  // a dropped connection carries no data
log.push("children " + body.children.length);
listeners.error({ type: "error", data: "x.txt:1: <b>bad</b>" });
log.push("text " + body.children[0].textContent);
listeners.reload({ type: "reload", data: "abc-2" });
console.log(JSON.stringify(log));
"""


def test_live_reload_script_in_a_stub_browser(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (make test installs it)"
    stub = tmp_path / "stub.js"
    stub.write_text(BROWSER_STUB)
    run = subprocess.run(
        [node, str(stub)], input=LIVERELOAD_JS, capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        f"connect {EVENTS_PATH}?since=abc-1",
        "children 0",
        "text x.txt:1: <b>bad</b>",
        "close",
        "reload",
    ]


def test_moved_pages_maps_old_urls_to_new() -> None:
    before = {"a.txt": "2023/01/01/old-title/", "b.txt": "2023/01/02/same/", "c.txt": "x/"}
    after = {"a.txt": "2023/01/01/new-title/", "b.txt": "2023/01/02/same/"}
    assert moved_pages(before, after) == {"/2023/01/01/old-title/": "/2023/01/01/new-title/"}


def test_moved_notes_give_the_alias_line_in_the_files_format() -> None:
    before = {"a.txt": "2023/01/01/old/", "b.md": "2023/01/02/was/", "c.txt": "2023/01/03/x/"}
    after = {"a.txt": "2023/01/01/new/", "b.md": "2023/01/02/is/", "c.txt": "2023/01/03/x/"}
    assert moved_notes(before, after) == [
        'a.txt: the URL moved from 2023/01/01/old/ to 2023/01/01/new/; add "Aliases: '
        '2023/01/01/old/" to its header to keep the old address',
        'b.md: the URL moved from 2023/01/02/was/ to 2023/01/02/is/; add "aliases: '
        '[2023/01/02/was/]" to its front matter to keep the old address',
    ]
    # No note when another article now has the old address, or the file is gone.
    swapped = {"a.txt": "2023/01/01/new/", "c.txt": "2023/01/01/old/"}
    assert moved_notes(before, swapped) == [
        'c.txt: the URL moved from 2023/01/03/x/ to 2023/01/01/old/; add "Aliases: '
        '2023/01/03/x/" to its header to keep the old address',
    ]


@dataclass(frozen=True, eq=False)
class _Placed:
    path: str
    url: str


@pytest.mark.parametrize("seed", range(6))
def test_changed_urls_find_every_move_among_the_articles_that_changed(seed: int) -> None:
    """serve compares the URLs of only the articles that are not the very same objects
    (moves.changed_urls): over random rounds of edits that move or keep a URL, new and
    deleted articles and swapped addresses, the pages and notes are those of comparing
    every article's URL, and only the changed articles are compared."""
    rng = random.Random(seed)
    articles = [
        _Placed(f"a{i:04d}.txt", f"2023/01/{i % 28 + 1:02d}/story-{i}/") for i in range(400)
    ]
    names = len(articles)
    for _ in range(30):
        before = list(articles)
        for _ in range(rng.randint(1, 6)):
            at, roll = rng.randrange(len(articles)), rng.random()
            old = articles[at]
            if roll < 0.3:  # a body edit: a new object, the same URL
                articles[at] = _Placed(old.path, old.url)
            elif roll < 0.6:  # a title edit: the URL moves
                articles[at] = _Placed(old.path, old.url.rstrip("/") + f"-{rng.randrange(99)}/")
            elif roll < 0.75:  # another article takes its old address (no note then)
                other = rng.randrange(len(articles))
                articles[at] = _Placed(old.path, articles[other].url + "x/")
                articles[other] = _Placed(articles[other].path, old.url)
            elif roll < 0.9:
                names += 1
                articles.insert(at, _Placed(f"a{names:04d}.txt", f"2024/02/02/new-{names}/"))
            else:
                del articles[at]
        old_urls = {a.path: a.url for a in before}
        new_urls = {a.path: a.url for a in articles}
        was, now = changed_urls(before, articles)
        assert len(was) + len(now) <= 30  # only the changed ones, not all 400
        assert moved_pages(was, now) == moved_pages(old_urls, new_urls)
        taken = set(new_urls.values())
        assert moved_notes(was, now, taken) == moved_notes(old_urls, new_urls)


def wait_for_message(messages: list[str], text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in messages if text in m]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no message with {text!r} in {messages}")


def test_serve_says_how_to_keep_a_moved_url_and_the_alias_then_redirects(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    story = articles / "a.txt"
    story.write_text("Posted: 12.03.1987 10:00\n\nOld title\n\nText.\n")
    config = tmp_path / "archive.toml"
    config.write_text('source = "articles"\noutput = "site"\n')
    messages: list[str] = []
    server = DevServer(config, port=0, on_event=messages.append, quiet=0.1, heartbeat=0.2)
    server.start()
    try:
        story.write_text("Posted: 12.03.1987 10:00\n\nNew title\n\nText.\n")
        note = wait_for_message(messages, "the URL moved")
        assert note == (
            f"{story}: the URL moved from 1987/03/12/old-title/ to 1987/03/12/new-title/; "
            'add "Aliases: 1987/03/12/old-title/" to its header to keep the old address'
        )
        assert request(server.url, "/1987/03/12/old-title/")[0] == 404
        rebuilt = sum(m.startswith("Rebuilt") for m in messages)
        story.write_text(
            "Posted: 12.03.1987 10:00\nAliases: 1987/03/12/old-title/\n\nNew title\n\nText.\n"
        )
        deadline = time.monotonic() + 10
        while sum(m.startswith("Rebuilt") for m in messages) == rebuilt:
            assert time.monotonic() < deadline, messages
            time.sleep(0.05)
        page = get(server.url, "/1987/03/12/old-title/")
        assert (
            '<meta http-equiv="refresh" content="0; url=../../../../1987/03/12/new-title/' in page
        )
        assert sum("the URL moved" in m for m in messages) == 1
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("verbosity", "shown", "summary"),
    [
        ((False, False), 11, "Built 1 article, 1 page in 0.01 s (1 file skipped; "),
        ((False, True), 13, "Built 1 article, 1 page in 0.01 s (1 file skipped; 12 warnings)"),
        ((True, False), 1, None),
    ],
)
def test_serve_shows_problems_as_the_command_line_does(
    tmp_path: Path, verbosity: tuple[bool, bool], shown: int, summary: str | None
) -> None:
    """Errors always; the first ten warnings and a count (all with --verbose); with --quiet
    only the errors and no summary."""
    problems = [Problem(f"a{n}.txt", 1, "same URL", "warning") for n in range(12)]
    problems.append(Problem("bad.txt", 3, "unparseable date"))

    def builder(config: Config, source: Path, out: Path) -> FakeResult:
        out.mkdir(exist_ok=True)
        (out / "index.html").write_text("<h1>x</h1>")
        return FakeResult(problems=problems)

    messages: list[str] = []
    server = DevServer(
        project(tmp_path),
        port=0,
        on_event=messages.append,
        watch_dirs=[],
        builder=builder,
        verbosity=verbosity,
    )
    server.start()
    server.stop()
    listed = [m for m in messages if "warning: same URL" in m or m.startswith("bad.txt:")]
    assert len(listed) == shown
    assert "bad.txt:3: unparseable date" in listed
    built = [m for m in messages if m.startswith("Built")]
    if summary is None:
        assert built == []
    else:
        assert built[0].startswith(summary)
    if verbosity == (False, False):
        assert built[0].endswith("(1 file skipped; 12 warnings, 10 shown; --verbose for all)")


def test_every_bad_config_key_is_its_own_error_line(fake_project) -> None:
    """A config with two bad keys fails the rebuild with both, each an ``error:`` line."""
    server, _, messages, root = fake_project
    stream = EventStream(server.url, server.live.generation)
    try:
        (root / "archive.toml").write_text(
            'source = "articles"\noutput = "site"\nper_page = "x"\ntimezone = "Mars/X"\n'
        )
        text = stream.wait_for("error", contains="Mars/X")
        assert "per_page" in text
        errors = [m for m in messages if m.startswith("error:")]
        assert all("\n" not in m for m in errors)
        assert any(m.startswith("error: rebuild failed: ") and "per_page" in m for m in errors)
        assert any(
            m.startswith("error: ") and "Mars/X" in m and "per_page" not in m for m in errors
        )
        assert "<h1>First</h1>" in get(server.url)
    finally:
        stream.close()


def test_changed_names_are_quoted_in_the_terminal(fake_project) -> None:
    """A newline in a changed file's name cannot split serve's "Changed:" line."""
    _, _, messages, root = fake_project
    (root / "articles" / "odd\nname.txt").write_text("Odd")
    deadline = time.monotonic() + 10
    while not any(m.startswith("Changed:") for m in messages) and time.monotonic() < deadline:
        time.sleep(0.05)
    changed = [m for m in messages if m.startswith("Changed:")]
    assert changed and all("\n" not in m for m in changed)
    assert any("'articles/odd\\nname.txt'" in m for m in changed)
