"""An amount whose currency word the layout moved to the next line.

Titles and table cells of HWP and PDF documents break lines where the layout does:
`‘25년 2분기 해외직접투자는 141.5억` / `달러로 전년동기비 13.4% 감소`, `총 편익은 28.43백만`
/ `원으로 추정된다`. Korean money is found one line (block) at a time, so the first
line alone gave a bare `141.5억` read as won (a wrong currency) and `28.43백만` nothing.

`join_broken_lines` reads such a pair as one line: where a Korean line ends in digits
and a Korean unit (십 백 천 만 억 조 ...) with no currency, and the next line starts with
a currency word (rules/ko/currencies.toml), the two lines are read again joined by one
space, and an amount that crosses the break replaces what each line gave alone. The
record's `text` is the span as written, line break included (`141.5억\\n달러`). The
currency word still has to pass the usual checks (`원자력` on the next line is a word,
not 원: Kiwi rejects it), the word must be whole (money11d, tester22 A2: followed by a
space, punctuation, the line's end, `화` or a particle of rules/ko/currencies.toml
`[follow] safe`; never `파운드리`, `유로존`) and not the subject of `환율` (`관광객 300만` /
`달러 환율 상승으로`: 3 million tourists, not dollars; no bare won then either), and
only one line break with no blank line counts; across a blank line a bare amount
before another currency's word is dropped (no record rather than won, as
`korean._currency_on_next_line` does within one text).

`join_english_lines` does the same for English prose wrapped by the layout (money12,
tester24): `will receive $5` / `million from the state` read as $5 (**wrong**), `5
million US` / `dollars from the state` gave nothing. Where a line ends in a letter or
digit and the next starts with a lower-case word (or `US`/`U.S.` before one), the two
are read joined by one space and an amount crossing the break (`$5 million`, `5 million
US dollars`) replaces what either line gave alone. Whole words only (the amount must end
at a word's end in the next line), one line break, never across a blank line and never
between table rows (a line with `|` or a tab).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache

import regex

from ..models import Block, MoneyMention, Sentence
from .en_rules import english_rules
from .ko_grammar import grammar, pieces

# the gap between the two lines: one line break, spaces either side
_BREAK = regex.compile(r"[ \t]*\r?\n[ \t]*")
# blank lines between: no join, but a bare amount before another currency is no won
_GAP = regex.compile(r"\s+")
_BACK = 60  # characters of the first line read again (cut at a space)
_AHEAD = 40  # characters of the next line read again


@lru_cache(maxsize=4)
def _patterns(key: int) -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    g, p = grammar(), pieces()
    units = "".join(g.small) + "".join(g.big)
    tail = regex.compile(rf"\d[\d,.]*[ ]?[{units}]+[ \t]*\Z")
    follow = "|".join(
        regex.escape(w) for w in sorted({*g.safe_follow, "화"}, key=len, reverse=True)
    )
    # a whole word: a space, punctuation, the end or a particle after it, never `환율`
    head = regex.compile(
        rf"(?>(?:{p.currency_suffix})(?:화)?)"
        rf"(?![ \t]*환율)(?=[\s\p{{P}}\p{{S}}]|\Z|(?:{follow}))"
    )
    # `달러 환율`: the currency names a rate's subject; the amount before is no won either
    rate_head = regex.compile(rf"(?:{p.currency_suffix})(?:화)?[ \t]*환율")
    return tail, head, rate_head


def join_broken_lines(
    text: str, blocks: list[Block], found: dict[int, list[MoneyMention]]
) -> dict[int, list[MoneyMention]]:
    """`found` (Korean mentions by block start, document offsets) with the amounts that
    cross a line break read whole; see the module docstring."""
    from . import find_money

    tail, head, rate_head = _patterns(id(grammar()))
    out = dict(found)
    for a, b in zip(blocks, blocks[1:], strict=False):
        if a.lang != "ko" or b.lang != "ko":
            continue
        if not tail.search(text, a.start, a.end):
            continue
        if not head.match(text, b.start, b.end):
            if rate_head.match(text, b.start, b.end) and _GAP.fullmatch(text, a.end, b.start):
                # `수출 20억` / `달러화 환율이`: dollars or a count, unsure: no bare won
                out[a.start] = _without_bare_won(text, a, b, out.get(a.start, []))
            continue
        if not _BREAK.fullmatch(text, a.end, b.start):
            if _GAP.fullmatch(text, a.end, b.start):
                out[a.start] = _without_bare_won(text, a, b, out.get(a.start, []))
            continue
        lo, joined, cut = _joined(text, a, b)
        for m in find_money(joined, "ko"):
            if not (m.start < cut < m.end):
                continue
            start = lo + m.start
            end = b.start + (m.end - cut - 1)
            whole = replace(m, start=start, end=end, text=text[start:end])
            for key in (a.start, b.start):
                out[key] = [x for x in out.get(key, []) if x.end <= start or x.start >= end]
            out[a.start] = sorted([*out.get(a.start, []), whole], key=lambda x: x.start)
    return out


def _without_bare_won(
    text: str, a: Block, b: Block, mentions: list[MoneyMention]
) -> list[MoneyMention]:
    """`mentions` of line `a` without a bare amount (no currency word, read as won) that
    ends the line when the next non-blank line `b` starts with the word of another
    currency (`141.5억` / blank line / `달러로`): not won, and too far to join."""
    g = grammar()
    rest = text[b.start : b.start + 12]
    other = any(
        rest.startswith(word)
        for cur in g.currencies
        if cur.iso != g.bare_currency
        for word in cur.suffix
    )
    if not other:
        return mentions
    end = len(text[: a.end].rstrip())
    return [m for m in mentions if not (m.rule == g.bare_rule and m.end == end)]


# English: the first line ends in a digit or a letter (no full stop); the next starts
# with a lower-case word, or `US`/`U.S.` before one (`5 million US` / `dollars`)
_EN_TAIL = regex.compile(r"[\p{L}\d][ \t]*\Z")
_EN_HEAD = regex.compile(r"(?:U\.?S\.?[ \t]+)?\p{Ll}")
_TABLE_LINE = regex.compile(r"[|｜│\t]")


_SCALE_THEN_WORD = regex.compile(r"[ \t]*\p{L}+[ \t\u00a0]+(\p{L}+)")


@lru_cache(maxsize=4)
def _count_nouns(key: int) -> frozenset[str]:
    """Every word after which a scaled amount is a count, not money (rules/en/currencies.toml
    `spaced_scaled_not_next`: `Won 2 million fans`), from every currency form."""
    rules = english_rules()
    forms = [*rules.prefix_forms.values(), *rules.suffix_forms.values()]
    return frozenset(w for f in forms for w in f.spaced_scaled_not_next)


def _count_after_scale(joined: str, cut: int, end: int) -> bool:
    """Whether the next line of a joined amount starts with its scale word and a count
    noun follows the amount (`$5` / `million visitors`, fix12, tester25 1.7): the same
    words the one-line grammar refuses after `Won 2 million` (`fans`)."""
    m = _SCALE_THEN_WORD.match(joined, cut)
    if m is None or m.start(1) < end:
        return False
    return m.group(1).lower() in _count_nouns(id(english_rules()))


def join_english_lines(
    text: str,
    blocks: list[Block],
    sentences: list[Sentence],
    found: list[tuple[int, MoneyMention]],
) -> list[tuple[int, MoneyMention]]:
    """`found` ((sentence index, mention), document offsets) with the English amounts
    that cross a line break read whole; see the module docstring."""
    from . import find_money

    out = list(found)
    starts = [s.start for s in sentences]
    for a, b in zip(blocks, blocks[1:], strict=False):
        if a.lang == "ko" or b.lang == "ko":
            continue
        if not _BREAK.fullmatch(text, a.end, b.start):
            continue  # a blank line (or more) between: never joined
        if not _EN_TAIL.search(text, a.start, a.end) or not _EN_HEAD.match(text, b.start, b.end):
            continue
        if _TABLE_LINE.search(text, a.start, a.end) or _TABLE_LINE.search(text, b.start, b.end):
            continue
        lo, joined, cut = _joined(text, a, b)
        for m in find_money(joined, "en"):
            if not (m.start < cut < m.end) or m.lang != "en":
                continue
            if m.end < len(joined) and joined[m.end].isalpha():
                continue  # not a whole word
            if _count_after_scale(joined, cut, m.end):
                continue  # `$5` / `million visitors are expected`: a count, not the scale
            start = lo + m.start
            end = b.start + (m.end - cut - 1)
            whole = replace(m, start=start, end=end, text=text[start:end])
            out = [(i, x) for i, x in out if x.end <= start or x.start >= end]
            index = max(bisect_right(starts, start) - 1, 0)
            out.append((index, whole))
    return out


def _joined(text: str, a: Block, b: Block) -> tuple[int, str, int]:
    """The end of block `a` (from a word start at most `_BACK` characters back) and the start
    of block `b` (at most `_AHEAD` characters) joined by one space standing for the line
    break: (where the joined text starts in `text`, the joined text, the space's index)."""
    lo = max(a.start, a.end - _BACK)
    if lo > a.start:
        space = text.find(" ", lo, a.end)
        lo = space + 1 if space >= 0 else a.start
    hi = min(b.end, b.start + _AHEAD)
    first, second = text[lo : a.end], text[b.start : hi]
    return lo, f"{first} {second}", len(first)
