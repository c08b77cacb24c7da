"""How templates compile and call: Jinja's own code with fewer Python calls a page, the same
output for any template (the theme's or a site's own).

Rendering is most of a cold build's page workers, and most of rendering was Jinja's
machinery around a template's values rather than the values: a ``Markup`` object made for
every ``{{ value }}`` only to be joined into the page, and ``Context.call``'s checks for
``pass_context`` and its kin on every function a template calls.
"""

from __future__ import annotations

import collections
import functools
import re
import types
from collections.abc import Callable, KeysView, MutableMapping
from typing import Any, cast

import jinja2
import jinja2.compiler
import jinja2.nodes
import jinja2.runtime
import markupsafe
from jinja2.runtime import missing
from markupsafe import Markup

# markupsafe 3's escaping of a str, in C, without the Markup around it (older ones have no
# such function, and their escape is all in C anyway: it is then used as it is).
_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def escape_str(value: Any) -> str:
    """``markupsafe.escape(value)``'s text, as a plain str unless the value is HTML already:
    what a template writes out is only joined into its page, and a Markup object for each
    value was two Python calls (``escape``, ``Markup.__new__``), a tenth of a page's time."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)  # type: ignore[misc]
    if kind is Markup:  # its __html__ is itself
        return value  # type: ignore[no-any-return]
    html = getattr(value, "__html__", None)
    if html is not None:
        text = html()
        kind = type(text)  # Markup(text) is the same text for these two; else made as escape does
        return text if kind is str or kind is Markup else Markup(text)  # type: ignore[no-any-return]
    return _escape_inner(str(value))  # type: ignore[misc]


if _escape_inner is None:  # pragma: no cover (markupsafe < 3)
    escape_str = markupsafe.escape  # type: ignore[assignment]


class CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, writing a template's output values with :func:`escape_str`
    where Jinja writes ``escape``: only there, where the value goes straight into the page
    (or into a buffer that is joined and marked safe as a whole). Its templates call
    through :meth:`Context.call_in`: an environment with it has :class:`Context` too."""

    def _output_child_pre(
        self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any
    ) -> None:
        if frame.eval_ctx.volatile:
            self.write("(escape_str if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("escape_str(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)

    def visit_Output(self, node: jinja2.nodes.Output, frame: jinja2.compiler.Frame) -> None:
        """A run of text and values as one ``yield "".join((...))``, where Jinja yields each
        piece: a piece passes through every generator of the page on its way out (a block,
        its template, the template it extends), some 200 pieces an article page. The same
        pieces, evaluated in the same order, joined as the page joins them anyway."""
        if frame.buffer is not None or self.environment.is_async:
            super().visit_Output(node, frame)  # into a list already (a macro, a set block)
            return
        if frame.require_output_check:  # as Jinja: no output outside blocks once extended
            if self.has_known_extends:
                return
            self.writeline("if parent_template is None:")
            self.indent()
        finalize = self._make_finalize()
        body: list[list[Any] | jinja2.nodes.Expr] = []  # as Jinja groups them
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, jinja2.nodes.TemplateData)):
                    raise jinja2.nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (jinja2.nodes.Impossible, Exception):
                body.append(child)  # evaluated at run time
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        joined = len(body) > 1
        if joined:
            self.writeline('yield "".join((')
            self.indent()
        for item in body:
            if isinstance(item, list):
                text = self._output_const_repr(item)
                self.writeline(text + "," if joined else "yield " + text)
                continue
            self.writeline("" if joined else "yield ", item)
            self._output_child_pre(item, frame, finalize)
            self.visit(item, frame)
            self._output_child_post(item, frame, finalize)
            if joined:
                self.write(",")
        if joined:
            self.outdent()
            self.writeline("))")
        if frame.require_output_check:
            self.outdent()

    @jinja2.compiler.optimizeconst
    def visit_Call(
        self, node: jinja2.nodes.Call, frame: jinja2.compiler.Frame, forward_caller: bool = False
    ) -> None:
        """``context.call_in(_loop_vars, _block_vars, f, ...)`` where Jinja writes
        ``context.call(f, ..., _loop_vars=_loop_vars, _block_vars=_block_vars)``."""
        if forward_caller or self.environment.is_async or self.environment.sandboxed:
            super().visit_Call(node, frame, forward_caller=forward_caller)  # a call block
            return
        loop = "_loop_vars" if frame.loop_frame else "None"
        block = "_block_vars" if frame.block_frame else "None"
        self.write(f"context.call_in({loop}, {block}, ")
        self.visit(node.node, frame)
        self.signature(node, frame)
        self.write(")")

    def visit_Template(
        self, node: jinja2.nodes.Template, frame: jinja2.compiler.Frame | None = None
    ) -> None:
        super().visit_Template(node, frame)
        self.writeline(f"from {__name__} import escape_str")  # module level: the last line


_PLAIN_CALLABLES = (types.FunctionType, functools.partial)


class Context(jinja2.runtime.Context):
    """Jinja's context, with a quicker way to call plain functions and methods from a
    template, and the site's gettext.

    Jinja calls everything a template calls (``link(...)``, ``posted.isoformat()``) through
    ``Context.call``, which first looks for ``pass_context`` and its kin on the callable and
    on its ``__call__``: a third of an article page's render time, for some sixty calls. A
    built-in method cannot carry those marks, and a plain function or partial carries them
    in its ``__dict__`` (a method in its function's): those are called at once, the rest as
    Jinja does, but for ``_(...)`` and ``gettext`` (see :func:`quick_gettext`)."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        loop = kwargs.pop("_loop_vars", None) if kwargs else None
        block = kwargs.pop("_block_vars", None) if kwargs else None
        return __self.call_in(loop, block, __obj, *args, **kwargs)

    def call_in(
        __self,
        __loop: dict[str, Any] | None,
        __block: dict[str, Any] | None,
        __obj: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """``call(obj, *args, _loop_vars=loop, _block_vars=block, **kwargs)``, as
        :class:`CodeGenerator` writes a template's calls: the loop's and block's variables
        (for ``pass_context``) apart, not in a dict of keywords made for every call."""
        kind = type(__obj)
        if kind in _PLAIN_CALLABLES:
            marked = "jinja_pass_arg" in __obj.__dict__
        elif kind is types.MethodType:
            inner = __obj.__func__  # type: ignore[attr-defined]
            marked = type(inner) is not types.FunctionType or "jinja_pass_arg" in inner.__dict__
        else:
            marked = kind is not types.BuiltinMethodType
        try:
            if not marked:
                return __obj(*args, **kwargs)
            quick = getattr(__self.environment, "quick_gettext", None)
            if (
                quick is not None
                and len(args) == 1
                and quick.takes(__self, __obj, __loop, __block, kwargs)
            ):
                rv = quick.translate(args[0])
                if __self.eval_ctx.autoescape:
                    return quick.escaped(rv, kwargs)
                return rv % kwargs
        except StopIteration:  # as Jinja answers it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )
        if __loop is not None:
            kwargs["_loop_vars"] = __loop
        if __block is not None:
            kwargs["_block_vars"] = __block
        return jinja2.runtime.Context.call(__self, __obj, *args, **kwargs)


class QuickGettext:
    """What ``_("text", ...)`` and ``gettext("text", ...)`` (a ``{% trans %}`` block) do
    with Jinja's newstyle gettext installed, without Jinja's way there: a context derived
    for the block's variables (a copy of every global), and three calls through
    ``Context.call``. Taken only when ``gettext`` is the one installed, as the template
    would resolve it (its block's and loop's variables first, as Jinja derives them)."""

    def __init__(self, environment: jinja2.Environment, translate: Callable[[str], str]):
        self.alias = environment.globals["_"]  # jinja2.ext's _gettext_alias
        self.gettext = environment.globals["gettext"]
        self.translate = translate
        self._names: dict[str, tuple[str, ...] | None] = {}  # by message: see escaped

    def escaped(self, text: Any, variables: dict[str, Any]) -> Markup:
        """``Markup(text) % variables``. Markup's ``%`` wraps each value in a helper whose
        ``__str__`` escapes it (five Python calls a value); where every placeholder of
        ``text`` is ``%(name)s`` (or ``%%``), the values are escaped here at once instead."""
        if type(text) is str:
            names = self._names.get(text, False)
            if names is False:
                names = _named_strings(text)
                if len(self._names) < 4096:  # (the messages of a theme: a few dozen)
                    self._names[text] = names
            if names is not None:
                values = {name: escape_str(variables[name]) for name in names}
                return Markup(str.__mod__(text, values))
        return Markup(text) % variables

    def takes(
        self,
        context: jinja2.runtime.Context,
        obj: Any,
        loop: dict[str, Any] | None,
        block: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> bool:
        if "__string" in kwargs or "__context" in kwargs:  # Jinja's TypeError, as it raises it
            return False
        if obj is self.gettext:
            return True
        if obj is not self.alias:
            return False
        # The alias resolves "gettext" in a context derived from the loop's variables, then
        # from the block's: those come first, then the context's own.
        for scope in (block, loop):
            if scope:
                found = scope.get("gettext", missing)
                if found is not missing:
                    return found is self.gettext
        return context.resolve_or_missing("gettext") is self.gettext


class Globals(collections.ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja's ChainMap, whose ``keys()``
    is a dict's: ``{% from "x.html" import y %}`` compares the page's global names with the
    imported template's (``ctx.globals_keys - globals.keys()``), and ChainMap's view did it
    a name at a time in Python (some 30 µs a page that imports a macro)."""

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        names: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            names.update(mapping)
        return names.keys()


class Environment(jinja2.Environment):
    """Jinja's environment with this module's code generator, context and globals."""

    code_generator_class = CodeGenerator
    context_class = Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return Globals(*cast(collections.ChainMap[str, Any], super().make_globals(d)).maps)


# A message whose placeholders are all %(name)s (and %% for a %): the names, in order.
_ONLY_NAMED = re.compile(r"(?:[^%]|%%|%\(\w+\)s)*")
_NAMED = re.compile(r"%%|%\((\w+)\)s")


def _named_strings(text: str) -> tuple[str, ...] | None:
    """The names of ``text``'s ``%(name)s`` placeholders, or None for any other form."""
    if _ONLY_NAMED.fullmatch(text) is None:
        return None
    return tuple(name for name in _NAMED.findall(text) if name)  # ("%%" finds "")


def quick_gettext(environment: jinja2.Environment, translate: Callable[[str], str]) -> None:
    """Let :class:`Context` translate ``_(...)`` and ``gettext(...)`` itself; ``translate``:
    the function ``install_gettext_translations`` gave Jinja's newstyle gettext."""
    environment.quick_gettext = QuickGettext(environment, translate)  # type: ignore[attr-defined]
