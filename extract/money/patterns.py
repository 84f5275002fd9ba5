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


def literal_trie(words: list[str]) -> str:
    """A pattern matching exactly the strings in `words` (as a set), as a prefix tree:
    `in billion|in million` -> `in\\ (?:billion|million)`. An empty list never matches.

    For patterns used only to ask *whether* one of the words occurs (a trigger's
    `search`): the set of strings is the same as the plain alternation's, char by char,
    so under the same flags the same texts have a match. The match found may differ
    (the alternation prefers the first word listed, the tree the longer), so do not use
    it where the matched span matters, nor with FULLCASE (a multi-character case fold
    such as `ß` ~ `ss` could straddle two branches of the tree). The `regex` engine
    tries every word of a long alternation at every position under IGNORECASE (about
    100x slower than a single word on 60 words); the tree tries one branch per letter.
    """
    root: dict[str, dict] = {}
    for w in set(words):
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    if not root:
        return "(?!)"

    def emit(node: dict[str, dict]) -> str:
        branches = [regex.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
