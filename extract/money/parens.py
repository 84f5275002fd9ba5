"""A parenthetical amount restating the amount before it shares its qualifier.

`최대 60억 원(지방 소재 기업 70억 원)`, `up to 5억원 (500 million won)`,
`about 1.5 trillion won ($1.1 billion)`: the amount in parentheses right after a
qualified amount, with no qualifier of its own, is under the same qualifier.
It does not when the parenthesis says it is another quantity (a change, a
comparison: `(전년 대비 20억원 증가)`): the `blockers` of the `[parenthetical]`
tables in rules/*/qualifiers.toml.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_kind, rules_dir

_OPEN = regex.compile(r"[ \u00a0]*[(（\[]")
_CLOSE = regex.compile(r"[ \u00a0]*[)）\]]")
_MAX_LEAD = 24  # words inside the parenthesis before the amount (지방 소재 기업)


@lru_cache(maxsize=4)
def _blockers(folder: str) -> regex.Pattern:
    words: set[str] = set()
    for data in load_kind("money"):
        words.update(data.get("parenthetical", {}).get("blockers", []))
    alt = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(alt or "(?!)", regex.IGNORECASE)


def inherit_parenthetical(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """Give an unqualified amount in parentheses right after a qualified one the
    outer amount's qualifier (in place; `mentions` in text order). Returns `mentions`."""
    blockers = _blockers(str(rules_dir()))
    for outer, inner in zip(mentions, mentions[1:], strict=False):
        if not outer.qualifier or inner.qualifier or inner.amount is None:
            continue
        opened = _OPEN.match(text, outer.end)
        if not opened or inner.start - opened.end() > _MAX_LEAD:
            continue
        lead = text[opened.end() : inner.start]
        if any(ch.isdigit() or ch in "()（）[]" for ch in lead) or blockers.search(lead):
            continue
        closed = _CLOSE.match(text, inner.end)
        if not closed:
            continue
        inner.qualifier = outer.qualifier
    return mentions


def reload() -> None:
    """Forget the compiled blockers (after editing a rule file in a running process)."""
    _blockers.cache_clear()
