"""The renderer's quicker template calls (renderer._Context) behave as Jinja's own."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import jinja2
import jinja2.runtime
import pytest

from newsarchive.render.renderer import _Context

TEMPLATE = """\
{{ plain("a") }} {{ part("b") }} {{ when.isoformat() }} {{ named(x=1) }}
{% for i in range(3) %}{{ plain(i) }}/{{ with_context() }}/{{ with_env() }};{% endfor %}
{% set inner = "block" %}{{ with_context() }} [{{ stops() }}] {{ obj("c") }}
{{ method("d") }}
"""


class Callable:
    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, value: str) -> str:
        return f"called {value} with {context['title']}"


class Holder:
    def shout(self, value: str) -> str:
        return value.upper()


@jinja2.pass_context
def with_context(context: jinja2.runtime.Context) -> str:
    return f"{context['title']}:{context.get('i', '-')}:{context.get('inner', '-')}"


@jinja2.pass_environment
def with_env(environment: jinja2.Environment) -> str:
    return type(environment).__name__


CALLS: list[str] = []


def stops() -> str:
    CALLS.append("stops")
    raise StopIteration


def render(context_class: type[jinja2.runtime.Context]) -> str:
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    values: dict[str, Any] = {
        "title": "T",
        "plain": lambda value: f"<{value}>",
        "part": functools.partial(lambda prefix, value: prefix + value, "p-"),
        "when": datetime(2023, 4, 10, 13, 13),
        "named": lambda **kw: sorted(kw),
        "with_context": with_context,
        "with_env": with_env,
        "stops": stops,
        "obj": Callable(),
        "method": Holder().shout,
    }
    return env.from_string(TEMPLATE).render(values)


def test_calls_give_what_jinjas_context_gives() -> None:
    ours = render(_Context)
    assert ours == render(jinja2.runtime.Context)
    # pass_context sees the block's variables; escaping still applies
    assert "&lt;a&gt; p-b 2023-04-10T13:13:00 [&#39;x&#39;]" in ours
    assert "&lt;2&gt;/T:-:-/Environment;" in ours and "T:-:block []" in ours
    assert "called c with T" in ours and "D" in ours


def test_a_pass_context_partial_still_gets_its_context() -> None:
    marked = functools.partial(lambda context, v: f"{context['title']}{v}", v="!")
    marked.jinja_pass_arg = jinja2.utils._PassArg.context  # type: ignore[attr-defined]
    env = jinja2.Environment()
    env.context_class = _Context
    assert env.from_string("{{ f() }}").render(f=marked, title="T") == "T!"


@pytest.mark.parametrize("kind", [_Context, jinja2.runtime.Context])
def test_stop_iteration_is_undefined_as_in_jinja(kind: type[jinja2.runtime.Context]) -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.context_class = kind
    CALLS.clear()
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        env.from_string("{{ stops() }}").render(stops=stops)
    assert CALLS == ["stops"]  # called once


def test_a_tag_page_drops_only_its_own_chip_from_an_entry() -> None:
    """renderer._without_chip does what the pattern it replaced did, on every layout of
    an entry's tag list (the tag alone, first, in the middle, last, absent)."""
    import re

    from newsarchive.render.renderer import ROOT_MARK, _without_chip

    def chip(slug: str) -> str:
        return f'<a class="tag" href="{ROOT_MARK}tags/{slug}/index.html">{slug.upper()}</a>'

    def entry(*slugs: str, more: bool = False) -> str:
        extra = ' <a class="more-tags" href="x">+2</a>' if more else ""
        tags = f' · <span class="tags">{" ".join(map(chip, slugs))}{extra}</span>' if slugs else ""
        return f'<p class="meta"><time>1 May</time>{tags}</p>'

    def pattern(slug: str) -> re.Pattern[str]:  # the one renderer used before
        href = re.escape(f"{ROOT_MARK}tags/{slug}/index.html")
        one = f'<a class="tag" href="{href}">[^<]*</a>'
        return re.compile(f'(?: · <span class="tags">{one}</span>)|(?:{one} ?)')

    cases = [("a",), ("a", "b"), ("b", "a"), ("b", "a", "c"), ("b",), ()]
    for slugs in cases:
        for more in (False, True):
            html = entry(*slugs, more=more)
            assert _without_chip(html, "a") == pattern("a").sub("", html), (slugs, more)
    assert _without_chip(entry("a"), "a") == '<p class="meta"><time>1 May</time></p>'
    assert _without_chip(entry("b", "a", "c"), "a") == entry("b", "c")
