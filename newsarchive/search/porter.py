"""lunr.stemmer: the Porter stemmer exactly as lunr.js 2.3.9 writes it.

JavaScript's "." excludes all line terminators and "$" (without the m flag) only matches at
the end of input; Python's "." only excludes "\\n" and "$" also matches before a final
"\\n": the patterns below spell out the JavaScript meaning.
"""

from __future__ import annotations

import re

from lunr.token import Token

_DOT = "[^\n\r\u2028\u2029]"
_END = r"\Z"

# fmt: off
_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize",
    "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful",
    "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}
_STEP3 = {
    "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
    "ness": "",
}
# fmt: on
_c = "[^aeiou]"  # consonant
_v = "[aeiouy]"  # vowel
_C = _c + "[^aeiouy]*"  # consonant sequence
_V = _v + "[aeiou]*"  # vowel sequence

_RE_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)  # [C]VC... is m>0
_RE_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?" + _END)  # [C]VC[V] is m=1
_RE_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)  # [C]VCVC... is m>1
_RE_S_V = re.compile("^(" + _C + ")?" + _v)  # vowel in stem

_RE_1A = re.compile(f"^({_DOT}+?)(ss|i)es{_END}")
_RE2_1A = re.compile(f"^({_DOT}+?)([^s])s{_END}")
_RE_1B = re.compile(f"^({_DOT}+?)eed{_END}")
_RE2_1B = re.compile(f"^({_DOT}+?)(ed|ing){_END}")
_RE_1B_2 = re.compile(f"{_DOT}{_END}")
_RE2_1B_2 = re.compile(f"(at|bl|iz){_END}")
_RE3_1B_2 = re.compile(f"([^aeiouylsz])\\1{_END}")
_RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]" + _END)
_RE_1C = re.compile(f"^({_DOT}+?[^aeiou])y{_END}")
_RE_2 = re.compile(f"^({_DOT}+?)({'|'.join(_STEP2)}){_END}")
_RE_3 = re.compile(f"^({_DOT}+?)({'|'.join(_STEP3)}){_END}")
_STEP4 = "al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize"
_RE_4 = re.compile(f"^({_DOT}+?)({_STEP4}){_END}")
_RE2_4 = re.compile(f"^({_DOT}+?)(s|t)(ion){_END}")
_RE_5 = re.compile(f"^({_DOT}+?)e{_END}")
_RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]" + _END)
_STEP2_ENDS, _STEP3_ENDS = tuple(_STEP2), tuple(_STEP3)
_STEP4_ENDS = tuple(_STEP4.split("|"))


def _porter(w: str) -> str:
    """lunr.js's porterStemmer(w), statement by statement (JS ``re.test`` is ``search``)."""
    if len(w) < 3:
        return w
    firstch = w[:1]
    if firstch == "y":
        w = firstch.upper() + w[1:]

    # Step 1a. Each ``endswith`` tests a suffix its pattern needs: most words end in none
    # and skip the regular expressions (which alone decide, as in lunr.js).
    if w.endswith(("sses", "ies")) and _RE_1A.search(w):
        w = _RE_1A.sub(r"\1\2", w, count=1)
    elif w.endswith("s") and _RE2_1A.search(w):
        w = _RE2_1A.sub(r"\1\2", w, count=1)

    # Step 1b
    if w.endswith("eed") and (fp := _RE_1B.search(w)):
        if _RE_MGR0.search(fp.group(1)):
            w = _RE_1B_2.sub("", w, count=1)
    elif w.endswith(("ed", "ing")) and (fp := _RE2_1B.search(w)):
        stem = fp.group(1)
        if _RE_S_V.search(stem):
            w = stem
            if _RE2_1B_2.search(w):
                w = w + "e"
            elif _RE3_1B_2.search(w):
                w = _RE_1B_2.sub("", w, count=1)
            elif _RE4_1B_2.search(w):
                w = w + "e"

    # Step 1c
    if w.endswith("y") and (fp := _RE_1C.search(w)):
        w = fp.group(1) + "i"

    # Step 2
    if w.endswith(_STEP2_ENDS) and (fp := _RE_2.search(w)) and _RE_MGR0.search(fp.group(1)):
        w = fp.group(1) + _STEP2[fp.group(2)]

    # Step 3
    if w.endswith(_STEP3_ENDS) and (fp := _RE_3.search(w)) and _RE_MGR0.search(fp.group(1)):
        w = fp.group(1) + _STEP3[fp.group(2)]

    # Step 4
    if w.endswith(_STEP4_ENDS) and (fp := _RE_4.search(w)):
        if _RE_MGR1.search(fp.group(1)):
            w = fp.group(1)
    elif w.endswith("ion") and (fp := _RE2_4.search(w)):
        stem = fp.group(1) + fp.group(2)
        if _RE_MGR1.search(stem):
            w = stem

    # Step 5
    if w.endswith("e") and (fp := _RE_5.search(w)):
        stem = fp.group(1)
        if _RE_MGR1.search(stem) or (_RE_MEQ1.search(stem) and not _RE3_5.search(stem)):
            w = stem
    if w.endswith("ll") and _RE_MGR1.search(w):
        w = _RE_1B_2.sub("", w, count=1)

    # and turn initial Y back to y
    if firstch == "y":
        w = firstch.lower() + w[1:]
    return w


_STEM_CACHE: dict[str, str] = {}
CACHE_LIMIT = 2_000_000


def porter_stem(word: str) -> str:
    """Stem one word (in code-unit form) as lunr.stemmer does; results are cached."""
    stem = _STEM_CACHE.get(word)
    if stem is None:
        if len(_STEM_CACHE) >= CACHE_LIMIT:
            _STEM_CACHE.clear()
        stem = _STEM_CACHE[word] = _porter(word)
    return stem


def stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """lunr.stemmer as a lunr.py pipeline function."""
    return token.update(lambda s, _metadata=None: porter_stem(s))
