"""One language's lunr.js-exact text processing: the :class:`Language` every index builder
uses, and how a string function becomes a lunr pipeline function.

A pipeline function of lunr.js maps a token to a token, to nothing (dropped) or to an array
of tokens (``Pipeline#run`` flattens it); here each is written once as a *step*, a function
of the token's string returning a string, ``None`` or a list of strings, from which both the
lunr.py pipeline function (labelled as lunr.js labels it) and the fast per-word path are made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lunr.pipeline import Pipeline
from lunr.token import Token

from .jstext import split_words, tokenize
from .porter import CACHE_LIMIT

PipelineFunction = Callable[..., Any]
Step = Callable[[str], "str | list[str] | None"]


@dataclass
class Language:
    """One language's lunr.js-exact text processing, swappable per language code.

    ``index_functions`` is the builder pipeline, ``search_functions`` the pipeline stored in
    the index (what lunr.js runs on query terms). Their ``label`` attributes name lunr.js
    functions, which is how lunr.js re-creates the pipeline when it loads the index.
    ``word_term`` maps one tokenizer word to its indexed term (``None`` = dropped), or, when
    ``several`` is set (CJK bigrams), to a list of terms; it must equal running
    ``index_functions`` on that single token, and is cached per distinct word.
    ``search_word`` is the search pipeline run on one query word: its terms.
    """

    code: str
    index_functions: tuple[PipelineFunction, ...]
    search_functions: tuple[PipelineFunction, ...]
    word_term: Callable[[str], Any]
    search_word: Callable[[str], list[str]]
    several: bool = False
    split: Callable[[str], list[str]] = split_words
    tokenizer: Callable[..., list[Token]] = tokenize
    _terms: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def pipeline(self) -> Pipeline:
        """A lunr.py Pipeline with the indexing functions."""
        pipeline = Pipeline()
        pipeline.add(*self.index_functions)
        return pipeline

    def search_pipeline(self) -> Pipeline:
        """A lunr.py Pipeline with the query-time functions (serialised into the index)."""
        pipeline = Pipeline()
        pipeline.add(*self.search_functions)
        return pipeline

    @property
    def index_labels(self) -> list[str]:
        return [fn.label for fn in self.index_functions]

    @property
    def search_labels(self) -> list[str]:
        return [fn.label for fn in self.search_functions]

    def terms(self, text: Any) -> list[str]:
        """The indexed terms of a field value, in order: lunr.js's tokenizer + pipeline.

        Equivalent to ``self.pipeline().run(self.tokenizer(text))`` but one dict lookup per
        word, because each word's terms depend on that word alone.
        """
        if text is None:
            return []
        if isinstance(text, (list, tuple)):
            words = [str(token) for token in self.tokenizer(text)]
        else:
            words = self.split(str(text))
        cache = self._terms
        missing = set(words).difference(cache)
        if missing:
            if len(cache) + len(missing) > CACHE_LIMIT:
                cache.clear()
            for word in missing:
                cache[word] = self.word_term(word)
        if not self.several:
            return [term for word in words if (term := cache[word]) is not None]
        return [term for word in words for term in cache[word]]

    def search_terms(self, text: str) -> list[str]:
        """The terms lunr.js looks up for a plain query (each word through the search
        pipeline; lunr's query parser splits on the tokenizer's separator and lower-cases)."""
        return [term for word in self.split(text) for term in self.search_word(word)]

    def run(self, text: Any) -> list[Token]:
        """Tokenise and run the index pipeline with lunr.py's Pipeline (the reference path)."""
        return self.pipeline().run(self.tokenizer(text))


def register(functions: Iterable[PipelineFunction], labels: Sequence[str]) -> None:
    """Register pipeline functions with lunr.py under lunr.js's labels.

    lunr.py registers its own (different) trimmer and stemmer under the same labels; ours
    replace them, so a serialised index loaded by lunr.py gets lunr.js's behaviour too.
    The registry is written directly to skip lunr.py's "overwriting" warning.
    """
    for fn, label in zip(functions, labels, strict=True):
        fn.label = label  # type: ignore[attr-defined]
        Pipeline.registered_functions[label] = fn


def step_function(step: Step, label: str) -> PipelineFunction:
    """A registered lunr.py pipeline function doing what ``step`` does to a token's string.

    Like lunr.js's functions it updates the token in place (``Token#update``); a list result
    becomes clones of the token (``Token#clone``), which ``Pipeline#run`` flattens.
    """

    def function(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Any:
        result = step(str(token))
        if result is None:
            return None
        if isinstance(result, str):
            return token.update(lambda _s, _m=None: result)
        return [token.clone(lambda _s, _m=None, term=term: term) for term in result]

    function.__name__ = function.__qualname__ = label.replace("-", "_")
    function.__doc__ = f"{label}: {step.__doc__ or step.__name__}"
    register((function,), (label,))
    return function


def run_steps(steps: Sequence[Step], word: str) -> list[str]:
    """The strings ``steps`` make of one word, as ``Pipeline#run`` chains them."""
    words = [word]
    for step in steps:
        out: list[str] = []
        for current in words:
            result = step(current)
            if result is None:
                continue
            if isinstance(result, str):
                out.append(result)
            else:
                out.extend(result)
        words = out
    return words


def steps_language(
    code: str, index: Sequence[tuple[str, Step]], search: Sequence[tuple[str, Step]]
) -> Language:
    """A language whose pipelines are the labelled steps given (each label registered once)."""
    functions: dict[str, PipelineFunction] = {}
    for label, step in (*index, *search):
        if label not in functions:
            functions[label] = step_function(step, label)
    index_steps = [step for _, step in index]
    search_steps = [step for _, step in search]
    return Language(
        code=code,
        index_functions=tuple(functions[label] for label, _ in index),
        search_functions=tuple(functions[label] for label, _ in search),
        word_term=lambda word: run_steps(index_steps, word),
        search_word=lambda word: run_steps(search_steps, word),
        several=True,
    )
