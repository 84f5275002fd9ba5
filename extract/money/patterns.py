"""Regex building blocks shared by the money rule compilers."""

from __future__ import annotations

import regex

SPACES = r"[ \u00a0]*"


def word_alternation(words: list[str], flexible_spaces: bool = False) -> str:
    """An alternation of `words`, longest first; Latin-letter edges match whole words only.

    With `flexible_spaces`, a space inside a word matches any run of spaces (or none).
    An empty list gives a pattern that never matches.
    """
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        if flexible_spaces:
            body = SPACES.join(regex.escape(x) for x in w.split(" "))
        else:
            body = regex.escape(w)
        if w[:1].isascii() and w[:1].isalpha():
            body = rf"(?<![A-Za-z]){body}"
        if w[-1:].isascii() and w[-1:].isalpha():
            body = rf"{body}(?![A-Za-z])"
        parts.append(body)
    return "|".join(parts) or "(?!)"
