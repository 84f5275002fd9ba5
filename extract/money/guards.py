"""Guards applied to every mention found in a text, whatever extractor found it.

- Exchange rates are prices of a currency (`달러당 1,380원`, `1 USD = 1,333 KRW`,
  `원·달러 환율은 4.5원 오른 1,391.5원에 마감했다`): the rate itself is kept, marked
  `exchange_rate` (../shared/LABELED_SET.md counts it as money with no project, and
  the linker gives it none); the base it is quoted per (`1 USD`, `100엔당`) is dropped.
  Their words are data in rules/*/rates.toml (`[exchange_rate]`).
- A ratio of money to money in one currency (`1원당 3.5원의 생산유발 효과`, `match $1 for
  every $2 raised`, `$5 per $100 of assessed value`) states no amount: both are dropped
  (rules/*/rates.toml `[money_ratio]`).
- The base of a rate per amount of money (`재정 투입 10억원당 일자리 12개`, `4 jobs per
  $100,000 spent`, `one job for every $50,000`) is money written but no amount allocated:
  kept, marked `rate_base` (the linker gives it no project, totals leave it out);
  rules/*/rates.toml `[rate_base]`.
- A unit header (`(단위: 백만원)`, `(Unit: KRW 100 million)`) names a unit, not an
  amount (see tables.py); so does a unit word with no number standing in a table's
  cell (`| 단위 |` over `| 백만원, 현재가치 |`) or after `단위` (`단위: 백만원`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir
from .patterns import SPACES, word_alternation
from .tables import parse_unit, unit_header_spans

__all__ = ["RATE", "RATE_BASE", "apply_guards", "rate_role", "unit_word"]

RATE = "rate"  # the price of a currency: `1,380원` in `달러당 1,380원`
RATE_BASE = "base"  # what it is quoted per: `1 USD` in `1 USD = 1,333 KRW`, `100엔당`

_SP = SPACES  # spaces between words of a phrase
# characters after a rate's base that `[rate_base] after` sees (`1억원| 당 고용 효과는 3명`)
_PER_AFTER_WINDOW = 40
_PER_BEFORE_WINDOW = 24  # characters before it that `[rate_base] before` sees (`for every |`)
_PER_BOTH_WINDOW = 120  # `[[rate_base.both]]` after: `$1 million| of clean energy ... 7 jobs`


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
    quoted: regex.Pattern  # a currency quoted at the amount: `the euro rose to| $1.08`
    # the whole gap of a money-to-money ratio: `$1| for every |$2`, `10억원|당 지방비 |5억원`
    ratio_gap: regex.Pattern
    ratio_change: regex.Pattern  # the gap before a ratio's new value: `$1.20| to |$1.35 per`
    # ends right before the base of a ratio whose value is in minor units and so no
    # mention: `62 cents per |$100 of assessed value`
    ratio_minor: regex.Pattern
    per_before: regex.Pattern  # ends right before a rate's base: `4 jobs per |$100,000`
    per_after: regex.Pattern  # matched right after a rate's base: `10억원|당 일자리`
    # (before, after) pairs that both must match: `Every |$1 million| invested creates 10`
    per_both: tuple[tuple[regex.Pattern, regex.Pattern], ...]


def _phrases(words: list[str]) -> str:
    return word_alternation(words, flexible_spaces=True)


@lru_cache(maxsize=4)
def _rules(folder: str) -> _RateRules:
    merged: dict[str, list[str]] = {}
    both: list[tuple[str, str]] = []
    small_currency, small_below, base_max = "KRW", Decimal(0), Decimal(0)
    for path in rule_files("money"):
        data = load_rule_file(path)
        ratio = data.get("money_ratio", {})
        merged.setdefault("ratio_between", []).extend(ratio.get("between", []))
        merged.setdefault("ratio_patterns", []).extend(ratio.get("between_patterns", []))
        merged.setdefault("ratio_change", []).extend(ratio.get("change_to", []))
        merged.setdefault("ratio_minor", []).extend(ratio.get("minor_before", []))
        per = data.get("rate_base", {})
        merged.setdefault("per_before", []).extend(per.get("before", []))
        merged.setdefault("per_after", []).extend(per.get("after", []))
        both.extend((pair["before"], pair["after"]) for pair in per.get("both", []))
        r = data.get("exchange_rate")
        if not r:
            continue
        for key in (
            "preceded_by",
            "followed_by",
            "equals",
            "topic",
            "small_units",
            "base_followed_by",
            "quoted_currencies",
            "quoted_verbs",
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
        quoted=regex.compile(
            rf"(?:{_phrases(merged.get('quoted_currencies', []))}){_SP}"
            rf"(?:{_phrases(merged.get('quoted_verbs', []))}){_SP}\Z",
            flags,
        ),
        ratio_gap=regex.compile(
            rf"{_SP}(?:{_phrases(merged.get('ratio_between', []))}"
            + "".join(f"|(?:{p})" for p in merged.get("ratio_patterns", []))
            + rf"){_SP}",
            flags,
        ),
        ratio_change=regex.compile(
            rf"{_SP}(?:{_phrases(merged.get('ratio_change', []))}){_SP}", flags
        ),
        ratio_minor=_alternatives(merged.get("ratio_minor", []), flags),
        per_before=_alternatives(merged.get("per_before", []), flags),
        per_after=_alternatives(merged.get("per_after", []), flags),
        per_both=tuple((_alternatives([b], flags), _alternatives([a], flags)) for b, a in both),
    )


def _alternatives(patterns: list[str], flags: int) -> regex.Pattern:
    """One regex of several (never matching when there are none)."""
    return regex.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", flags)


def _rate_rules() -> _RateRules:
    return _rules(str(rules_dir()))


def rate_role(text: str, mentions: list[MoneyMention], i: int) -> str:
    """RATE, RATE_BASE or "" for mention `i` of `mentions` (text order, offsets in `text`).

    Source: the rate shapes of rules/*/rates.toml and their examples.
    """
    r = _rate_rules()
    m = mentions[i]
    if m.amount is not None and m.amount <= r.base_max and r.base_after.match(text, m.end):
        return RATE_BASE  # 100엔당 930원
    if i + 1 < len(mentions):
        nxt = mentions[i + 1]
        if _rate_equation(text, r, m, nxt):
            return RATE_BASE  # 1 USD = 1,333 KRW
        if (
            m.amount is not None
            and m.amount <= r.base_max
            and nxt.start - m.end <= 4
            and r.before.search(text[max(0, nxt.start - 24) : nxt.start])
        ):
            return RATE_BASE  # 1달러에 1,391.5원: the base right before its rate
    if i and _rate_equation(text, r, mentions[i - 1], m):
        return RATE
    if i and _conversion_product(text, r, mentions[i - 1], m):
        return RATE  # 5억달러 × 1,400원 = 7,000억원: the won price of one dollar
    if r.before.search(text[max(0, m.start - 24) : m.start]):
        return RATE
    if r.after.match(text, m.end):
        return RATE
    unitless = not r.small_units.search(m.text)
    if unitless and r.quoted.search(text[max(0, m.start - 48) : m.start]):
        return RATE  # the euro rose to $1.08 (a price of one unit: no million, no 억)
    small = (
        m.currency == r.small_currency
        and m.amount is not None
        and max(m.amount, m.amount_max or 0) < r.small_below
        and unitless
    )
    return RATE if small and _about_rates(text, r.topic) else ""


def _rate_equation(text: str, r: _RateRules, base: MoneyMention, rate: MoneyMention) -> bool:
    """`1 USD = 1,333 KRW`, `100엔=930원`: an `equals` sign between one unit of a currency
    (an amount up to `base_max`) and its price in another. An equation in one currency
    (`85.7만 세대 × 4.3만원 = 36,851백만원`, `△13,635십억원 = 728십억원 - 14,363십억원`)
    or of two large amounts is arithmetic: both amounts stay (since 2026-11-30)."""
    return (
        base.currency != rate.currency
        and base.amount is not None
        and base.amount <= r.base_max
        and r.equals.fullmatch(text, base.end, rate.start) is not None
    )


_TIMES = regex.compile(r"[^\S\n]*[×xX*✕][^\S\n]*")
_EQUALS_AFTER = regex.compile(r"[^\S\n]*[=＝]")


def _conversion_product(text: str, r: _RateRules, base: MoneyMention, rate: MoneyMention) -> bool:
    """`5억달러 × 1,400원 = 7,000억원`: an amount in one currency times a price written
    without a big unit (no 만, 억, million) in another, followed by `=`: the price is an
    exchange rate, not money of a project (since 2026-12-01, tester22 A12)."""
    return (
        base.currency != rate.currency
        and base.amount is not None
        and rate.amount is not None
        and not r.small_units.search(rate.text)
        and _TIMES.fullmatch(text, base.end, rate.start) is not None
        and _EQUALS_AFTER.match(text, rate.end) is not None
    )


# the last text asked: (text, pattern, found), replaced whole (safe across threads)
_topic_seen: list[tuple[str, regex.Pattern, bool] | None] = [None]


def _about_rates(text: str, topic: regex.Pattern) -> bool:
    """Whether `text` names an exchange-rate topic anywhere: searched once per text, not
    once per small amount in it (a line of n small amounts was n whole-line scans)."""
    seen = _topic_seen[0]
    if seen is None or seen[0] is not text or seen[1] is not topic:
        seen = (text, topic, topic.search(text) is not None)
        _topic_seen[0] = seen
    return seen[2]


def is_rate_base(text: str, m: MoneyMention) -> bool:
    """Whether `m` is what a rate is counted per (`10억원|당 일자리 12개`, `4 jobs per
    |$100,000`): rules/*/rates.toml `[rate_base]`, `after` matched right after the
    mention, `before` ending right before it, or a `[[rate_base.both]]` pair (`Every
    |$1 million| invested creates 10 jobs`: both sides must match)."""
    r = _rate_rules()
    ahead = text[m.end : m.end + _PER_AFTER_WINDOW]
    if r.per_after.match(ahead):
        return True
    behind = text[max(0, m.start - _PER_BEFORE_WINDOW) : m.start]
    if r.per_before.search(behind):
        return True
    ahead = text[m.end : m.end + _PER_BOTH_WINDOW]
    return any(b.search(behind) and a.match(ahead) for b, a in r.per_both)


def apply_guards(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` (in text order) without exchange-rate bases and unit headers; exchange
    rates are kept with `exchange_rate=True`, the bases of other rates (`10억원당 일자리
    12개`) with `rate_base=True`."""
    if not mentions:
        return mentions
    headers = unit_header_spans(text)
    ratios = _money_ratios(text, mentions)
    kept = []
    for i, m in enumerate(mentions):
        if i in ratios or any(a <= m.start and m.end <= b for a, b in headers):
            continue
        if unit_word(text, m):
            continue
        role = rate_role(text, mentions, i)
        if role == RATE_BASE:
            continue
        if role == RATE:
            kept.append(replace(m, exchange_rate=True))
        elif is_rate_base(text, m):
            kept.append(replace(m, rate_base=True))
        else:
            kept.append(m)
    return kept


_DIGIT = regex.compile(r"\d")
_CELL_BORDER = regex.compile(r"[|｜│┃\t]")
_AFTER_UNIT_WORD = regex.compile(r"(?:단위|[Uu]nits?)\s*[:：]?\s*\Z")


def unit_word(text: str, m: MoneyMention) -> bool:
    """Whether `m` is a unit word with no number (`백만원`, `억달러`: a round unit,
    tables.parse_unit) that names a unit rather than an amount: it stands in a table's
    cell holding no digit, first in it (`| 백만원, 현재가치 |` under a `| 단위 |` title) or after
    `단위` / `Unit` (`단위: 백만원`). Tester20: such a cell was read as 1,000,000 won in
    every copy of a regulatory impact table. In prose (`백만원을 기부했다`) it is kept.
    Applied to a sentence's mentions here and to a document's in pipeline.py (a
    tab-separated cell is a sentence of its own, its borders outside it)."""
    if _DIGIT.search(m.text) or m.amount is None:
        return False
    unit = parse_unit(m.text)
    if unit is None or unit[0] != m.amount or unit[0].scaleb(-unit[0].adjusted()) != 1:
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    if _AFTER_UNIT_WORD.search(text[line_start : m.start]):
        return True
    left = [b.end() for b in _CELL_BORDER.finditer(text, line_start, m.start)]
    right = _CELL_BORDER.search(text, m.end, line_end)
    if not left or right is None:
        return False
    cell = text[left[-1] : right.start()]
    # the cell is the unit, alone or first of a list (`백만원, 현재가치`, `억원(명목)`)
    return (
        not _DIGIT.search(cell)
        and cell.strip().startswith(m.text)
        and _UNIT_LIST_REST.fullmatch(cell.strip()[len(m.text) :]) is not None
    )


_UNIT_LIST_REST = regex.compile(r"(?:\s*[,，/·;(（].*)?")


def _money_ratios(text: str, mentions: list[MoneyMention]) -> set[int]:
    """Indices of the two sides of each money-to-money ratio in one currency: `1원당
    3.5원`, `$1 for every $2`, `$5 per $100` (rules/*/rates.toml `[money_ratio]`). Two
    currencies are an exchange rate instead (`1달러당 1,380원`: kept as a rate)."""
    r = _rate_rules()
    out: set[int] = set()
    for i, m in enumerate(mentions):
        if m.amount is not None and r.ratio_minor.search(text, max(0, m.start - 40), m.start):
            out.add(i)  # `62 cents per $100`: the base of a ratio stated in cents
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if _same_kind(a, b) and r.ratio_gap.fullmatch(text, a.end, b.start):
            out.update((i, i + 1))
            before = mentions[i - 1] if i else None
            if (
                before is not None
                and _same_kind(before, a)
                and r.ratio_change.fullmatch(text, before.end, a.start)
                and before.amount <= 10 * a.amount
                and a.amount <= 10 * before.amount
            ):
                out.add(i - 1)  # `from $1.20 to $1.35 per $100`: the old rate too
    return out


def _same_kind(a: MoneyMention, b: MoneyMention) -> bool:
    """Two definite amounts in one currency."""
    return (
        bool(a.currency)
        and a.currency == b.currency
        and a.amount is not None
        and b.amount is not None
    )
