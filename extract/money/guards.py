"""Guards applied to every mention found in a text, whatever extractor found it.

- Exchange rates are prices of a currency, not amounts (`달러당 1,380원`,
  `1 USD = 1,333 KRW`, `원·달러 환율은 4.5원 오른 1,391.5원에 마감했다`); their words
  are data in rules/*/rates.toml (`[exchange_rate]`).
- A unit header (`(단위: 백만원)`, `(Unit: KRW 100 million)`) names a unit, not an
  amount (see tables.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir
from .patterns import SPACES, word_alternation
from .tables import unit_header_spans

__all__ = ["apply_guards", "is_exchange_rate"]

_SP = SPACES  # spaces between words of a phrase


@dataclass(frozen=True)
class _RateRules:
    before: regex.Pattern  # searched in the text before a mention (anchored at its end)
    after: regex.Pattern  # matched at a mention's end
    equals: regex.Pattern  # the whole gap between two mentions
    topic: regex.Pattern
    small_currency: str
    small_below: Decimal
    small_units: regex.Pattern
    base_after: regex.Pattern  # matched at the end of a rate's base: 100엔|당
    base_max: Decimal


def _phrases(words: list[str]) -> str:
    return word_alternation(words, flexible_spaces=True)


@lru_cache(maxsize=4)
def _rules(folder: str) -> _RateRules:
    merged: dict[str, list[str]] = {}
    small_currency, small_below, base_max = "KRW", Decimal(0), Decimal(0)
    for path in rule_files("money"):
        r = load_rule_file(path).get("exchange_rate")
        if not r:
            continue
        for key in (
            "preceded_by",
            "followed_by",
            "equals",
            "topic",
            "small_units",
            "base_followed_by",
        ):
            merged.setdefault(key, []).extend(r.get(key, []))
        small_currency = r.get("small_currency", small_currency)
        small_below = max(small_below, Decimal(str(r.get("small_below", 0))))
        base_max = max(base_max, Decimal(str(r.get("base_max", 0))))
    flags = regex.IGNORECASE | regex.VERSION1
    return _RateRules(
        before=regex.compile(rf"(?:{_phrases(merged.get('preceded_by', []))}){_SP}\Z", flags),
        after=regex.compile(rf"{_SP}(?:{_phrases(merged.get('followed_by', []))})", flags),
        equals=regex.compile(rf"{_SP}(?:{_phrases(merged.get('equals', []))}){_SP}", flags),
        topic=regex.compile(_phrases(merged.get("topic", [])), flags),
        small_currency=small_currency,
        small_below=small_below,
        small_units=regex.compile(_phrases(merged.get("small_units", [])), flags),
        base_after=regex.compile(_phrases(merged.get("base_followed_by", [])), flags),
        base_max=base_max,
    )


def _rate_rules() -> _RateRules:
    return _rules(str(rules_dir()))


def is_exchange_rate(text: str, mentions: list[MoneyMention], i: int) -> bool:
    """Whether mention `i` of `mentions` (in text order, offsets in `text`) is a rate."""
    r = _rate_rules()
    m = mentions[i]
    if r.before.search(text[max(0, m.start - 24) : m.start]):
        return True
    if r.after.match(text, m.end):
        return True
    if m.amount is not None and m.amount <= r.base_max and r.base_after.match(text, m.end):
        return True  # 100엔당 930원
    pairs = []
    if i:
        pairs.append((mentions[i - 1], m))
    if i + 1 < len(mentions):
        pairs.append((m, mentions[i + 1]))
    if any(r.equals.fullmatch(text, a.end, b.start) for a, b in pairs):
        return True  # 1 USD = 1,333 KRW
    return (
        m.currency == r.small_currency
        and m.amount is not None
        and max(m.amount, m.amount_max or 0) < r.small_below
        and not r.small_units.search(m.text)
        and bool(r.topic.search(text))
    )


def apply_guards(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` (in text order) without exchange rates and unit headers."""
    if not mentions:
        return mentions
    headers = unit_header_spans(text)
    return [
        m
        for i, m in enumerate(mentions)
        if not is_exchange_rate(text, mentions, i)
        and not any(a <= m.start and m.end <= b for a, b in headers)
    ]
