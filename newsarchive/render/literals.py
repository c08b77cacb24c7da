"""Interface strings translated once, when a template compiles, instead of on every page.

A site has one language, so ``{{ _("Archive") }}`` gives the same text on each of its pages;
through jinja2.ext.i18n that was a context call, a catalogue lookup and a Markup per string,
about 20 a page (a fifth of the Reuters build's rendering). :class:`LiteralTranslations`
rewrites ``_("literal")`` in the token stream into the translated literal marked safe, which
Jinja folds into a constant: the same output as newstyle gettext (which marks a translation
safe and applies ``% {}``). Calls with variables or non-literal arguments stay as they are.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Iterator

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream


def catalogue_key(translations: gettext.NullTranslations) -> str:
    """What compiled templates depend on besides their source: the catalogue's messages."""
    catalogue = getattr(translations, "_catalog", {})
    entries = sorted((repr(key), repr(value)) for key, value in catalogue.items())
    return hashlib.sha256(repr(entries).encode()).hexdigest()


class LiteralTranslations(Extension):
    """Replaces ``_("literal")`` by ``("translation"|safe)`` (needs ``environment.
    literal_translations``, the site's catalogue, set before any template compiles)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translations: gettext.NullTranslations | None = getattr(
            self.environment, "literal_translations", None
        )
        while not stream.eos:
            token = next(stream)
            if translations is None or not (
                token.type == "name"
                and token.value == "_"
                and stream.current.type == "lparen"
                and stream.look().type == "string"
            ):
                yield token
                continue
            lparen = next(stream)
            string = next(stream)
            if stream.current.type != "rparen":
                yield from (token, lparen, string)
                continue
            rparen = next(stream)
            try:
                text = translations.gettext(string.value) % {}
            except (TypeError, ValueError, KeyError):  # what gettext's % would raise at render
                yield from (token, lparen, string, rparen)
                continue
            line = token.lineno
            yield Token(line, "lparen", "(")
            yield Token(line, "string", text)
            yield Token(line, "pipe", "|")
            yield Token(line, "name", "safe")
            yield Token(rparen.lineno, "rparen", ")")
