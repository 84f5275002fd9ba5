"""Project totals: kinds that reach across a document's sentences (fix13b, tester30).

extract/totals.py reads each amount's own sentence; these kinds need the sentence
before or the project's other figures in the document (rules/<lang>/totals.toml
`[cross]`, one key per kind):

- a running total: a figure after a total word (`so its total reaches |$145 million`,
  `총 |850억원`) that equals exactly the sum of two or more of its project's other figures
  in the document: those are its parts (`running_total_parts`);
- an old value in the next sentence: `The city will spend $52 million ... That is up from
  |$44 million.`: an amount after a compared-against cue, in a sentence with no other
  level of its project, where the sentence before names a level of the project
  (`next_sentence_old`; the Korean `이는 올해 440억원보다 80억원 늘어난` was read already);
- shares written as the rest (`국비 40억원에 나머지 25억원`, `the remaining £2.5m`): the
  parts of a figure of their project they add up to exactly (`rest_parts`);
- per unit without a per-unit word at the amount (`$300 to each eligible household`,
  `Each of the 1,200 households ... will receive a £40 book voucher`, `가구당 연 60만원
  ... 도입 당시 연 43만원`: `per_unit_more`);
- additions written with a verb (`will add $3 million to the program`, `a supplementary
  estimate of $40 million`: `additions_more`; extract/totals.py `_additions` makes them
  changes beside a level of the project).

Exact Decimal sums only; where more than one set of figures adds up, nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import Any

import regex

from .fmt import in_range
from .rules import load_rule_file, rule_files, rules_dir

_WINDOW = 160  # characters before / after an amount the cues look at
_MAX_PARTS_POOL = 14  # distinct other figures of a project searched for a sum, at most
_MAX_PARTS = 5  # figures in one running total's sum, at most
_PREVIOUS_REACH = 600  # characters the sentence before reaches back, at most
# a sentence ends (as extract/totals.py `_SENTENCE_END`)
_SENTENCE_END = regex.compile(r"[.!?。][\s\"'’”)]*\s|[\n;]")


@dataclass(frozen=True)
class _CrossRules:
    total_before: dict[str, regex.Pattern]
    total_after: dict[str, regex.Pattern]
    old_before: dict[str, regex.Pattern]
    old_after: dict[str, regex.Pattern]
    # (before, after) both matched: `from |$44 million| a year earlier`
    old_both: dict[str, list[tuple[regex.Pattern, regex.Pattern]]]
    # after a change amount of the sentence: `$8 million more than the |$44 million`
    old_after_change: dict[str, regex.Pattern]
    rest: dict[str, regex.Pattern]  # searched in the split's sentence
    unit_before: dict[str, regex.Pattern]
    unit_after: dict[str, regex.Pattern]
    unit_sentence: dict[str, regex.Pattern]  # a per-unit word anywhere in the sentence
    rate_before: dict[str, regex.Pattern]  # a time rate right before (`연 |43만원`)
    addition_before: dict[str, regex.Pattern]
    addition_after: dict[str, regex.Pattern]
    # searched in the sentence before an addition: money apart from the level (`별도로`)
    addition_unless: dict[str, regex.Pattern]
    # (before, after) both matched: `add |$3 million| to the program`
    addition_both: dict[str, list[tuple[regex.Pattern, regex.Pattern]]]
    # a running total's clause says its money is new or of another year (tester32:
    # `will also provide ... a total of $50 million`, `2028년에는 총 50억원`): no running
    # total, unless its sentence says it sums (`까지 합쳐 총`, `bringing`: total_confirm)
    total_unless: dict[str, regex.Pattern]
    total_confirm: dict[str, regex.Pattern]
    # the sentence of an amount after a per-unit rate names a budget: no rate (`예산은 연
    # 1,200억원`, `월 2조원을 쓴다`)
    rate_unless: dict[str, regex.Pattern]


_KEYS = (
    "total_before",
    "total_after",
    "old_before",
    "old_after",
    "old_after_change",
    "rest",
    "unit_before",
    "unit_after",
    "unit_sentence",
    "rate_before",
    "addition_before",
    "addition_after",
    "addition_unless",
    "total_unless",
    "total_confirm",
    "rate_unless",
)


@lru_cache(maxsize=4)
def _rules(folder: str) -> _CrossRules:
    found: dict[str, dict[str, list[str]]] = {k: {} for k in _KEYS}
    both: dict[str, list[tuple[str, str]]] = {}
    add_both: dict[str, list[tuple[str, str]]] = {}
    for path in rule_files("totals"):
        data = load_rule_file(path)
        lang = data["meta"].get("lang", "")
        cross = data.get("cross", {})
        for key in _KEYS:
            found[key].setdefault(lang, []).extend(cross.get(key, []))
        both.setdefault(lang, []).extend(
            (p["before"], p["after"]) for p in cross.get("old_both", [])
        )
        add_both.setdefault(lang, []).extend(
            (p["before"], p["after"]) for p in cross.get("addition_both", [])
        )
    flags = regex.IGNORECASE | regex.VERSION1

    def one(patterns: list[str]) -> regex.Pattern:
        return regex.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", flags)

    compiled = {k: {lang: one(p) for lang, p in by.items() if p} for k, by in found.items()}
    return _CrossRules(
        **compiled,
        old_both={
            lang: [(one([b]), one([a])) for b, a in pairs] for lang, pairs in both.items() if pairs
        },
        addition_both={
            lang: [(one([b]), one([a])) for b, a in pairs]
            for lang, pairs in add_both.items()
            if pairs
        },
    )


def cross_rules() -> _CrossRules:
    """The compiled `[cross]` sections of rules/*/totals.toml (cached per rules folder)."""
    return _rules(str(rules_dir()))


def _lang(record: Any) -> str:
    return "ko" if record.lang == "ko" else "en"


def _before(record: Any, text: str, by_lang: dict[str, regex.Pattern]) -> bool:
    rx = by_lang.get(_lang(record))
    if rx is None or record.start < 0:
        return False
    window = text[max(0, record.start - _WINDOW) : record.start]
    return any(m.end() == len(window) for m in rx.finditer(window, overlapped=True))


def _after(record: Any, text: str, by_lang: dict[str, regex.Pattern]) -> bool:
    rx = by_lang.get(_lang(record))
    return (
        rx is not None
        and record.end >= 0
        and bool(rx.match(text[record.end : record.end + _WINDOW]))
    )


def _key(record: Any) -> str:
    return getattr(record, "project_id", "") or getattr(record, "project", "") or ""


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding `text[start:end]`: (its start, its end)."""
    starts = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - _PREVIOUS_REACH), start)]
    stop = _SENTENCE_END.search(text, end, end + _PREVIOUS_REACH)
    return (starts[-1] if starts else max(0, start - _PREVIOUS_REACH)), (
        stop.start() if stop else min(len(text), end + _PREVIOUS_REACH)
    )


def definite(record: Any) -> bool:
    """A definite amount at a known place: no bound, no range, in range."""
    return (
        record.start >= 0
        and record.amount is not None
        and in_range(record.amount)
        and record.amount_max is None
        and record.qualifier not in ("max", "min")
    )


def per_unit_more(records: list[Any], text: str) -> set[int]:
    """Per-unit amounts the `[per_unit]` cues at the amount miss: a unit after `to each`
    (`$300 to each eligible household`), `Each of the 1,200 households ... will receive a
    |£40 book voucher`, a time rate (`연 |43만원`) in a sentence naming a unit (`1인당`,
    `per person`) or after the sentence holding its project's per-unit amount at the same
    rate (`가구당 연 60만원을 준다. 수당은 ... 연 43만원이었다`)."""
    rules = cross_rules()
    out: set[int] = set()
    for i, r in enumerate(records):
        if r.start < 0:
            continue
        if _before(r, text, rules.unit_before) or _after(r, text, rules.unit_after):
            out.add(i)
    rated = {
        i for i, r in enumerate(records) if r.start >= 0 and _before(r, text, rules.rate_before)
    }
    unit_rated = {i for i in rated if _unit_rate(records, text, i, rules)}
    out |= unit_rated
    for i in rated - out:
        r = records[i]
        lo, _ = _sentence(text, r.start, r.end)
        plo, _ = _sentence(text, max(0, lo - 2), max(0, lo - 2))
        # the sentence before holds a per-unit rate of the project (`가구당 연 60만원을 준다.
        # 수당은 ... 연 43만원이었다`), and this sentence no other amount of the currency
        if (
            any(
                j in unit_rated
                and plo <= b.start < lo
                and _key(b)
                and _key(b) == _key(r)
                and _same_order(b.amount, r.amount)
                for j, b in enumerate(records)
            )
            and not _budget_named(r, text, rules)
            and not any(
                j != i and b.currency == r.currency and lo <= b.start < r.start
                for j, b in enumerate(records)
            )
        ):
            out.add(i)
    return out


# more money written before an amount (`another`, `추가로`): no whole of earlier shares
_ANOTHER = regex.compile(
    r"\b(?:another|additional|a\s+further|an\s+extra|more|phase|stage|(?:19|20)\d{2})\b"
    r"|추가|또\s|단계",
    regex.IGNORECASE,
)


def _same_order(rate: Any, amount: Any) -> bool:
    """Whether an amount is within a factor of fifteen of a per-unit rate (a monthly rate
    beside a yearly one is twelve times apart, more after a rise): a rate too (`가구당
    연 60만원` ... `연 43만원`), not the program's yearly or monthly budget (tester32: `예산은
    연 1,200억원`, `월 2조원을 쓴다` had become per-unit amounts)."""
    if rate is None or amount is None:
        return False
    rate, amount = Decimal(str(rate)), Decimal(str(amount))
    return rate > 0 and rate / 15 <= amount <= rate * 15  # a month's or a year's rate


def _budget_named(record: Any, text: str, rules: _CrossRules) -> bool:
    """Whether the amount's sentence names a budget or spending (`[cross] rate_unless`)."""
    rx = rules.rate_unless.get(_lang(record))
    lo, hi = _sentence(text, record.start, record.end)
    return rx is not None and rx.search(text, lo, hi) is not None


def _unit_rate(records: list[Any], text: str, i: int, rules: _CrossRules) -> bool:
    """Whether a rate (`연 |43만원`) has a unit word (`1인당`, `per person`) before it in its
    sentence, with no other amount of the currency between (`연 50억원을 들여 1인당 20만원씩`:
    the 50억 is no rate per person)."""
    r = records[i]
    rx = rules.unit_sentence.get(_lang(r))
    if rx is None:
        return False
    lo, _ = _sentence(text, r.start, r.end)
    for b in records:
        if b is not r and b.currency == r.currency and lo <= b.end <= r.start:
            lo = b.end
    return bool(rx.search(text, lo, r.start))


def additions_more(records: list[Any], text: str) -> set[int]:
    """Additions written with a verb or a supplementary budget (`add |$3 million`, `a
    supplementary estimate of |$40 million`): `_additions` (extract/totals.py) makes them
    changes where the document names a level of the project."""
    rules = cross_rules()
    out = set()
    for i, r in enumerate(records):
        if r.start < 0 or _SUPPLEMENT.search(getattr(r, "project", "") or ""):
            continue  # the supplementary budget's own size
        lang = _lang(r)
        if _before(r, text, rules.addition_before) or _after(r, text, rules.addition_after):
            out.add(i)
        elif any(
            _before(r, text, {lang: b}) and _after(r, text, {lang: a})
            for b, a in rules.addition_both.get(lang, [])
        ):
            # `add |$3 million| to the program` alone in its sentence: with other amounts
            # beside it (`added $4 million to the program and built a $2 million tank`) the
            # sentence lists items, and the level is left to the other cues
            lo, hi = _sentence(text, r.start, r.end)
            if not any(
                j != i and b.currency == r.currency and lo <= b.start < hi
                for j, b in enumerate(records)
            ):
                out.add(i)
    return out


# a project that is itself a supplementary budget (its own size is no addition)
_SUPPLEMENT = regex.compile(r"supplement|추가경정|추경|\bestimates?\b", regex.IGNORECASE)


def separate_money(record: Any, text: str) -> bool:
    """Whether the sentence before an addition says its money is apart from another
    (`보통교부세와 별도로 ... 186억 원을 추가로 확보했다`: `[cross] addition_unless`): then it is
    no change of a level (fix13b)."""
    rx = cross_rules().addition_unless.get(_lang(record))
    if rx is None or record.start < 0:
        return False
    lo, _ = _sentence(text, record.start, record.end)
    return bool(rx.search(text, lo, record.start))


def next_sentence_old(
    records: list[Any], text: str, usable: set[int], changes: set[int]
) -> set[int]:
    """Old values written in the sentence after their level (`The city will spend $52 million
    ... program. That is up from |$44 million.`): an amount after `up from`, `down from`,
    `compared with`, `from ... a year earlier` (or `more than the` after a change amount) in a
    sentence with no other amount of its project and currency but changes, where the sentence
    before holds a `usable` amount (a level) of its project and currency."""
    rules = cross_rules()
    out: set[int] = set()
    for i in usable:
        r = records[i]
        key = _key(r)
        if not key:
            continue
        lang = _lang(r)
        lo, hi = _sentence(text, r.start, r.end)
        cued = _before(r, text, rules.old_before) or _after(r, text, rules.old_after)
        cued = cued or any(
            _before(r, text, {lang: b}) and _after(r, text, {lang: a})
            for b, a in rules.old_both.get(lang, [])
        )
        if not cued and _before(r, text, rules.old_after_change):
            cued = any(
                j in changes and lo <= records[j].start < r.start for j in range(len(records))
            )
        if not cued:
            continue
        same = [
            j
            for j, b in enumerate(records)
            if j != i and _key(b) == key and b.currency == r.currency and lo <= b.start < hi
        ]
        if any(j not in changes for j in same):
            continue
        if _level_before(records, text, r, lo, usable):
            out.add(i)
    return out


_SENTENCES_BACK = 2  # sentences an old value's level may stand back, at most


def _level_before(records: list[Any], text: str, r: Any, lo: int, usable: set[int]) -> bool:
    """Whether the sentence before `lo` holds a `usable` amount of `r`'s project and currency
    (a level); a sentence between may hold amounts of the currency only that are no level
    (`1.8 million won a month for each young worker`: per unit), at most `_SENTENCES_BACK`."""
    key = _key(r)
    hi = lo
    for _ in range(_SENTENCES_BACK):
        if hi <= 0:
            return False
        plo, _ = _sentence(text, max(0, hi - 2), max(0, hi - 2))
        inside = [
            j for j, b in enumerate(records) if plo <= b.start < hi and b.currency == r.currency
        ]
        if any(j in usable and _key(records[j]) == key for j in inside):
            return True
        if any(j in usable for j in inside):
            return False  # another project's level stands between
        hi = plo
    return False


_CLAUSE_BREAK = regex.compile(r"[,;，]")
_YEAR = regex.compile(r"(?:19|20)\d{2}")


def _new_money(total: Any, text: str, rules: _CrossRules) -> bool:
    """Whether a total's sentence says its money is new (`[cross] total_unless`): a word
    from the sentence's start to the end of the total's clause (the comma after it; tester33:
    `, and the city has also hired` is another clause), unless a summing word
    (`total_confirm`: `bringing`, `합쳐`) ends after the last such word (`추가로 편성된 도비까지
    합쳐 총`; but `이에 따라 … 따로 총`, `a total of $50 million, including …` stay new money)."""
    lang = _lang(total)
    unless = rules.total_unless.get(lang)
    if unless is None:
        return False
    lo, hi = _sentence(text, total.start, total.end)
    after = _CLAUSE_BREAK.search(text, total.end, hi)
    chi = after.start() if after else hi
    # a year counts only where the document names it nowhere before the total's sentence
    # (tester35: the parts' own year, `… in 2028. In 2028, … a total of`)
    found = [
        m
        for m in unless.finditer(text, lo, chi)
        if not (_year := _YEAR.search(m.group())) or text.find(_year.group(), 0, lo) < 0
    ]
    if not found:
        return False
    confirm = rules.total_confirm.get(lang)
    ends = [m.end() for m in confirm.finditer(text, lo, total.start)] if confirm else []
    if not ends:
        return True
    # a new-money word after the summing word wins; a year alone (`이에 따라 2026년에는 …
    # 총`, tester33) does not
    return any(m.start() >= max(ends) and not _YEAR.search(m.group()) for m in found)


def _subsets(values: list[Decimal], target: Decimal) -> list[tuple[Decimal, ...]]:
    """The sets of two or more of `values` (distinct) that add up to `target` exactly."""
    found = []
    for n in range(2, min(_MAX_PARTS, len(values)) + 1):
        for combo in combinations(values, n):
            if sum(combo, Decimal(0)) == target:
                found.append(combo)
                if len(found) > 1:
                    return found
    return found


def running_total_parts(records: list[Any], text: str, usable: set[int]) -> set[int]:
    """The parts of a running total (`$85 million ... received $60 million ..., so its total
    this year reaches $145 million`, `본예산 600억원 ... 250억원이 더해져 ... 총 850억원`): a
    `usable` amount after a total word (`[cross] total_before` / `total_after`) that equals
    exactly the sum of two or more distinct other `usable` amounts of its project and
    currency in the document; those amounts (every mention of them) are its parts. Where
    several sets add up, or the project has too many figures to search, nothing changes."""
    rules = cross_rules()
    out: set[int] = set()
    for k in sorted(usable):
        t = records[k]
        key = _key(t)
        if not key or not (
            _before(t, text, rules.total_before) or _after(t, text, rules.total_after)
        ):
            continue
        if _new_money(t, text, rules):
            continue
        total = Decimal(str(t.amount))
        pool: dict[Decimal, list[int]] = {}
        for j in usable:
            b = records[j]
            if j == k or _key(b) != key or b.currency != t.currency:
                continue
            value = Decimal(str(b.amount))
            if 0 < value < total:
                pool.setdefault(value, []).append(j)
        if len(pool) < 2 or len(pool) > _MAX_PARTS_POOL:
            continue
        found = _subsets(sorted(pool), total)
        if len(found) != 1:
            continue
        for value in found[0]:
            out.update(pool[value])
    return out


def rest_parts(records: list[Any], text: str, usable: set[int]) -> set[int]:
    """Shares written as the rest (`국비 40억원에 나머지 25억원은 시가 부담한다`, `provides £4m
    and the council borrows the remaining £2.5m`): two or more `usable` amounts of one
    sentence and currency, with a rest word (`[cross] rest`), all linked to one project,
    adding up exactly to another `usable` amount of that project in the document."""
    rules = cross_rules()
    groups: dict[tuple[int, str], list[int]] = {}
    for i in sorted(usable):
        r = records[i]
        lo, _ = _sentence(text, r.start, r.end)
        groups.setdefault((lo, r.currency), []).append(i)
    out: set[int] = set()
    for (lo, currency), group in groups.items():
        if len(group) < 2:
            continue
        first = records[group[0]]
        _, hi = _sentence(text, records[group[-1]].start, records[group[-1]].end)
        rx = rules.rest.get(_lang(first))
        if rx is None or not rx.search(text, lo, hi):
            continue
        key = _key(first)
        if not key or any(_key(records[i]) != key for i in group):
            continue
        whole = sum((Decimal(str(records[i].amount)) for i in group), Decimal(0))
        # the whole: an amount of the shares' own project (tester32: another project's equal
        # amount in the sentence before, `The Town Pool project costs £6.5 million`, took
        # the shares), not one written after them as more money or a later phase's (`another
        # £6.5 million`, tester34: `Its second phase, due in 2030, will cost`)
        if any(
            j not in group
            and records[j].currency == currency
            and Decimal(str(records[j].amount)) == whole
            and _key(records[j]) == key
            and (
                records[j].start < records[group[0]].start
                or not _ANOTHER.search(text, max(0, records[j].start - 40), records[j].start)
            )
            for j in usable
        ):
            out.update(group)
    return out


def cross_roles(
    records: list[Any], text: str, usable: Iterable[int], changes: set[int]
) -> tuple[set[int], set[int]]:
    """(old values, parts) of the cross-sentence kinds, among `usable` amounts (definite
    figures so far: no change, old value, part, per-unit amount, conversion or cut)."""
    usable = set(usable)
    old = next_sentence_old(records, text, usable, changes)
    usable -= old
    parts = running_total_parts(records, text, usable) | rest_parts(records, text, usable)
    return old, parts
