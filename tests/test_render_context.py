"""The renderer's quicker templates (render.compiled: its code generator, Context and
gettext) give what Jinja's own give."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import jinja2
import jinja2.runtime
import pytest

from newsarchive.render.compiled import Context as _Context

TEMPLATE = """\
{{ plain("a") }} {{ part("b") }} {{ when.isoformat() }} {{ named(x=1) }}
{% for i in range(3) %}{{ plain(i) }}/{{ with_context() }}/{{ with_env() }};{% endfor %}
{% set inner = "block" %}{{ with_context() }} [{{ stops() }}] {{ obj("c") }}
{{ method("d") }} {{ context_method("e") }}
"""


class Callable:
    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, value: str) -> str:
        return f"called {value} with {context['title']}"


class Holder:
    def shout(self, value: str) -> str:
        return value.upper()

    @jinja2.pass_context
    def tell(self, context: jinja2.runtime.Context, value: str) -> str:
        return f"{value} in {context['title']}"


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


def render(context_class: type[jinja2.runtime.Context], generator: type | None = None) -> str:
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    if generator is not None:
        env.code_generator_class = generator
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
        "context_method": Holder().tell,
    }
    return env.from_string(TEMPLATE).render(values)


def test_calls_give_what_jinjas_context_gives() -> None:
    from newsarchive.render.compiled import CodeGenerator

    ours = render(_Context)
    assert ours == render(jinja2.runtime.Context)
    assert render(_Context, CodeGenerator) == ours  # through call_in
    # pass_context sees the block's variables; escaping still applies
    assert "&lt;a&gt; p-b 2023-04-10T13:13:00 [&#39;x&#39;]" in ours
    assert "&lt;2&gt;/T:-:-/Environment;" in ours and "T:-:block []" in ours
    assert "called c with T" in ours and "D e in T" in ours


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


# -- render.compiled: escape_str, the code generator, the quick gettext


def test_escape_str_is_markupsafes_escape_as_a_str() -> None:
    import markupsafe

    from newsarchive.render.compiled import escape_str

    class Html:
        def __html__(self) -> str:
            return "<b>kept</b>"

    class Text:
        def __str__(self) -> str:
            return "<i>'a' & \"b\"</i>"

    values = ["", "plain", "<a href='x'>&amp; \"q\"</a>", "Ünï © 中文 ", markupsafe.Markup("<p>")]
    values += [0, -3, 2.5, None, True, Html(), Text(), ["<x>"], ("a", 1)]
    for value in values:
        ours = escape_str(value)
        assert ours == str(markupsafe.escape(value)), value
        assert type(ours) is str or hasattr(value, "__html__")  # no Markup made for it


COMPILED = """\
{%- macro box(x) %}<b>{{ x }}</b>{{ caller() if caller is defined else "" }}{% endmacro -%}
{{ text }} {{ html }} {{ n }} {{ items | join(", ") }} {{ text ~ html }} {{ nil | default("<d>") }}
{% set block %}[{{ text }}]{% endset %}{{ block }} {{ block | length }}
{% filter upper %}{{ text }} & {{ html }}{% endfilter %}
{{ box(text) }} {% call box(html) %}{{ text }}{% endcall %}
{% autoescape false %}{{ text }} {{ box(text) }}{% endautoescape %} {{ text }}
{% autoescape flag %}{{ text }}{% endautoescape %}
{% for i in items %}{{ loop.index }}:{{ i }}{{ "," if not loop.last }}{% endfor %}
{% include "part.html" %} {{ obj.name }} {{ obj["key"] }} {{ obj.missing is defined }}
"""


def compiled_render(code_generator: type | None, autoescape: bool) -> str:
    loader = jinja2.DictLoader({"page.html": COMPILED, "part.html": "{{ text }}|{{ html }}"})
    env = jinja2.Environment(loader=loader, autoescape=autoescape)
    if code_generator is not None:  # (its code calls through our Context)
        env.code_generator_class, env.context_class = code_generator, _Context
    values = {
        "text": "<T & 'q'>",
        "html": jinja2.utils.markupsafe.Markup("<em>safe</em>"),
        "n": 3,
        "items": ["<a>", "b&"],
        "flag": True,
        "obj": {"name": "<n>", "key": "<k>"},
    }
    return env.get_template("page.html").render(values)


@pytest.mark.parametrize("autoescape", [True, False])
def test_compiled_templates_write_what_jinjas_write(autoescape: bool) -> None:
    from newsarchive.render.compiled import CodeGenerator

    ours = compiled_render(CodeGenerator, autoescape)
    assert ours == compiled_render(None, autoescape)
    if autoescape:  # escaped where Jinja escapes, and only once
        assert "&lt;T &amp; &#39;q&#39;&gt; <em>safe</em> 3 &lt;a&gt;, b&amp;" in ours
        assert "&LT;T &AMP; &#39;Q&#39;&GT; & <EM>SAFE</EM>" in ours  # filter block
        assert "\n<T & 'q'> <b>&lt;T" in ours  # autoescape false (the macro escapes)
        env = jinja2.Environment(autoescape=True)
        env.code_generator_class = CodeGenerator
        code = env.compile(COMPILED, raw=True)
        assert "escape_str(" in code and "(escape_str if context.eval_ctx.autoescape" in code
        assert "escape(" not in code.replace("escape_str(", "")
        assert 'yield "".join((' in code and "context.call_in(None, None, " in code
        assert "context.call(" in code  # the call block's, as Jinja writes it


GETTEXT = """\
{{ _("Hello %(name)s", name=who) }} {{ _(word) }} {{ gettext(word) }} {{ _(word, n=1) }}
{% trans name=who %}Hi <b>{{ name }}</b>{% endtrans %} {{ ngettext("%(num)s x", "%(num)s xs", 2) }}
{% for i in [1] %}{{ _(word) }}{% set gettext = shout %}{{ _(word) }}{% endfor %} {{ _(word) }}
{% autoescape false %}{{ _("Hello %(name)s", name=who) }} {{ _(word) }}{% endautoescape %}
{% set d = 1 %}{{ _(word) }}{% set gettext = shout %}{{ _(word) }} {% trans %}<i>x</i>{% endtrans %}
{% for i in [1] %}{% set d = 2 %}{{ _(word) }}{% endfor %}
"""


def gettext_render(
    context_class: type[jinja2.runtime.Context], quick: bool, generator: type | None = None
) -> str:
    import gettext as stdlib_gettext

    from newsarchive.render.compiled import quick_gettext

    class Catalogue(stdlib_gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return {"word": "<Wörd>", "Hello %(name)s": "Salut %(name)s !"}.get(message, message)

    catalogue = Catalogue()
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.context_class = context_class
    if generator is not None:
        env.code_generator_class = generator
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    if quick:
        quick_gettext(env, catalogue.gettext)
    values = {"who": "<Ann>", "word": "word", "shout": lambda text, **_: text.upper()}
    return env.from_string("{% block body %}" + GETTEXT + "{% endblock %}").render(values)


def test_quick_gettext_translates_as_jinjas_gettext() -> None:
    from newsarchive.render import compiled

    expected = gettext_render(jinja2.runtime.Context, quick=False)
    taken: list[bool] = []
    takes = compiled.QuickGettext.takes

    def counted(self: compiled.QuickGettext, *args: Any) -> bool:
        taken.append(takes(self, *args))
        return taken[-1]

    compiled.QuickGettext.takes = counted  # type: ignore[method-assign]
    try:
        assert gettext_render(_Context, quick=True, generator=compiled.CodeGenerator) == expected
        assert taken == [True] * 6 + [False] + [True] * 4 + [False] + [True]
        taken.clear()
        assert gettext_render(_Context, quick=True) == expected  # through Context.call
    finally:
        compiled.QuickGettext.takes = takes  # type: ignore[method-assign]
    assert "Salut &lt;Ann&gt; ! <Wörd> <Wörd> <Wörd>" in expected  # translations are safe
    assert "Hi <b>&lt;Ann&gt;</b> 2 xs" in expected
    assert "<Wörd>WORD <Wörd>" in expected  # a gettext of the loop's own, in the loop
    assert "Salut <Ann> ! <Wörd>" in expected  # autoescape false: no escaping
    assert "<Wörd>WORD &lt;I&gt;X&lt;/I&gt;" in expected  # the block's own, for trans too
    # the quick way was taken, and not where a block or loop set its own gettext
    assert taken == [True] * 6 + [False] + [True] * 4 + [False] + [True]


def test_globals_keys_are_the_chainmaps_and_imports_see_the_same_names() -> None:
    """compiled.Globals.keys() is the ChainMap's (the same names, in the same order), and
    a macro imported without context renders as it does with Jinja's ChainMap."""
    import collections

    from newsarchive.render.compiled import Environment, Globals

    maps = [{"b": 1, "a": 2}, {"c": 3, "a": 4, "d": 5}]
    assert list(Globals(*maps).keys()) == list(collections.ChainMap(*maps).keys())
    assert set(Globals(*maps).keys()) == {"a", "b", "c", "d"}
    assert {"a", "x"} - Globals(*maps).keys() == {"x"}

    pages = {
        "macros.html": "{% macro m(x) %}[{{ x }}|{{ g }}]{% endmacro %}",
        "page.html": '{% from "macros.html" import m %}{{ m(v) }} {{ g }}',
    }
    rendered = []
    for kind in (jinja2.Environment, Environment):
        env = kind(loader=jinja2.DictLoader(pages), autoescape=True)
        env.globals["g"] = "<g>"
        template = env.get_template("page.html", globals={"own": 1})
        assert isinstance(template.globals, Globals) == (kind is Environment)
        rendered.append(template.render(v="<v>"))
    assert rendered[0] == rendered[1] == "[&lt;v&gt;|&lt;g&gt;] &lt;g&gt;"


def test_quick_gettext_escapes_values_as_markups_percent() -> None:
    """QuickGettext.escaped is Markup(text) % variables for every form of message: at once
    where all placeholders are %(name)s, through Markup's % for the others (and errors)."""
    import jinja2.ext

    from newsarchive.render.compiled import QuickGettext, _named_strings

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    quick = QuickGettext(env, str)

    class Html:
        def __html__(self) -> str:
            return "<b>safe</b>"

    values = {"a": "<A & 'q'>", "b": 5, "c": Html(), "d": 2.5, "e": markupsafe_markup("<i>")}
    messages = [
        "%(a)s and %(b)s", "100%% sure, %(a)s%(a)s", "%(c)s %(e)s", "plain", "", "%%(a)s",
        "%(a)r", "%(b)d items", "%(d).1f", "%(a)5s", "%s", "100%", "%(missing)s", "%(a)s %",
    ]  # fmt: skip
    for message in messages:
        for _ in range(2):  # the first time, and kept
            try:
                expected: object = jinja2.utils.markupsafe.Markup(message) % values
            except Exception as error:  # the same error, whatever it is
                expected = type(error)
            try:
                ours: object = quick.escaped(message, values)
            except Exception as error:
                ours = type(error)
            assert ours == expected and type(ours) is type(expected), message
    assert _named_strings("%(a)s and %(b)s, 100%%") == ("a", "b")
    assert _named_strings("%(a)d") is None and _named_strings("%%(a)s") == ()
    assert quick._names["%(a)s and %(b)s"] == ("a", "b")  # kept


def markupsafe_markup(text: str) -> Any:
    return jinja2.utils.markupsafe.Markup(text)


def test_lang_attr_is_made_once_a_language_as_it_was_made_each_time() -> None:
    import functools

    from markupsafe import Markup

    from newsarchive.render.renderer import lang_attr

    def made(code: Any, site: str) -> Markup:  # what lang_attr did on every call
        return Markup(' lang="{}"').format(code) if code and code != site else Markup("")

    for code in ["", "en", "ru", "be", '<"x">', None, ["r&u"]]:
        for site in ("en", "ru"):
            ours = lang_attr(code, site)
            assert ours == made(code, site) and type(ours) is Markup, (code, site)
    assert lang_attr("ru", "en") is lang_attr("ru", site="en")  # (kept)
    assert functools.partial(lang_attr, site="en")("") == ""
