"""Korean money extractor: 3조9497억원, 387억 4000만 원, 30~50억원, 미화 5억 달러, 수백억원.

Candidates are found with regexes built from rules/ko/*.toml (see ko_grammar.py),
values are computed from the characters (`parse_number`), and Kiwi morphemes
only accept or reject a candidate that could be a word rather than an amount
(이억원 의원, 조원태, 만원 버스, 3원칙, 10위안에). Kiwi runs only on a small window
around such a candidate, and only when the caller gave no tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import regex

from ..models import MoneyMention, Token
from .exact import MAX_DIGITS
from .ko_grammar import (
    Currency,
    Grammar,
    Pieces,
    alt,
    clean,
    grammar,
    parse_number,
    pieces,
    unit_multiplier,
)

__all__ = ["find_money", "parse_number", "supported_currencies"]

_HANGUL = regex.compile(r"\p{Hangul}")
_HAS_DIGIT = regex.compile(r"\d")
_DIGIT = regex.compile(r"\d")
_CLOSERS = "'’”\"」』)）]"
# An English multiplier after a Latin code prefix: `KRW 7 billion` is the English extractor's.
_EN_MULT = (
    r"(?![ ]?(?i:million|billion|trillion|thousand|bn|mn|tn|bln|mln|tln|crore|lakh)(?![A-Za-z]))"
)
# Tags a morpheme may carry inside the numeric part of an amount.
_NUMERIC_TAGS = {"SN", "NR", "MM", "XSN", "SP", "SO", "SW", "SL", "NNB"}


# (compiled once: regex's own pattern cache costs more than the match)
_DECIMAL = regex.compile(r"\d\.\d")
# digits grouped by dots in threes with no unit word after them (`1.500원`; `1.5억원` and
# `2.750조원` are decimals of the unit and read)
_DOT_GROUPS = regex.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])(?![ ]?[십백천만억조경])")
# ... and before a unit word, one group of three digits ending in zero (`5.000억원`,
# `2.750조원`): a fraction is not written with a trailing zero, so the dot may be a
# thousands dot (5,000억) or a fixed-precision decimal (5억): flagged, never guessed
# (`0.750조원` is no thousands group: read).
_DOT_THOUSANDS = regex.compile(r"(?<![\d.])[1-9]\d{0,2}\.\d\d0(?![\d.])(?=[ ]?[십백천만억조경])")
_SPACE = regex.compile(r"[ ]")
_CODE_LIKE = regex.compile(r"[A-Z]{3}")


def supported_currencies() -> set[str]:
    """ISO codes the Korean rules know."""
    return {c.iso for c in grammar().currencies}


@dataclass
class _Cand:
    start: int
    end: int
    amount: Decimal | None
    currency: str
    rule: str
    amount_max: Decimal | None = None
    vague: bool = False
    approx: bool = False  # 여 inside the amount
    num_span: tuple[int, int] = (0, 0)  # the numeric part (for Kiwi checks)
    cur_span: tuple[int, int] | None = None  # the currency word
    ambiguous: bool = False  # needs a Kiwi check
    bare_jo: bool = False  # bare `N조`: 조 must be the numeral, not a team/article
    cur_text: str = ""


@dataclass(frozen=True)
class _Patterns:
    suffix: regex.Pattern
    prefix: regex.Pattern
    bare: regex.Pattern
    range: regex.Pattern
    between: regex.Pattern
    change: regex.Pattern | None  # `3,800→5,400만원`: two amounts joined by an arrow
    vague: regex.Pattern
    idiom: regex.Pattern
    q_prefix: regex.Pattern
    q_suffix: regex.Pattern
    q_particle: regex.Pattern
    counter: regex.Pattern
    blocker_before: regex.Pattern
    has_hangul_digit: regex.Pattern
    vague_tail: regex.Pattern  # ` 초반`, ` 중반` after a bare amount: 10조 초반
    list_currency: regex.Pattern  # `, 20조 달러` after a bare amount: its currency
    negated_bound: regex.Pattern  # `이상을 받을 수 없` (a ceiling), `이하로는 ... 없` (a floor)
    level: regex.Pattern  # `까지 늘었` after an amount: the level reached, not a ceiling


def _left_boundary(g: Grammar, p: Pieces) -> str:
    # Not inside a number, and a Hangul-led amount does not start mid-word (수백억, 이유로).
    units = "".join(g.small) + "".join(g.big)
    hangul_led = rf"(?!(?<=\p{{Hangul}}){p.hangul_digit_class})(?!(?<=\p{{Hangul}})[{units}])"
    return rf"(?<![\d.,]){hangul_led}{_not_ordinal(g)}"


def _not_ordinal(g: Grammar) -> str:
    """No amount starts right after `제` (rules/ko/ordinals.toml `[ordinal] before`):
    `제750조 1억원` is Article 750 and 1억원, never 750조 1억원; `제 3조` too where 제 is
    a word of its own (`경제 3조원` is 3조원)."""
    if not g.ordinal_before:
        return ""
    words = alt(g.ordinal_before, flexible_space=False)
    return rf"(?<!{words})(?<!(?<!\p{{Hangul}}){words}[ ])"


@lru_cache(maxsize=4)
def _patterns_cached(key: int) -> _Patterns:
    g, p = grammar(), pieces()
    lb = _left_boundary(g, p)
    sub = rf"(?:[ ]?(?P<subamt>{p.small})[ ]?(?P<sub>{p.subunits}))?"
    dae = alt(g.vague_suffix)
    suffix = regex.compile(
        rf"(?:(?P<lead>{p.prefix_with_suffix})[ ]?)?{lb}(?P<amt>{p.amount})(?P<sp>[ ]?)"
        rf"(?P<cur>{p.currency_suffix})(?![A-Za-z]){sub}(?:(?P<dae>{dae})(?!기))?"
    )
    prefix = regex.compile(
        rf"(?<![A-Za-z])(?P<pre>{p.currency_prefix})[ ]?(?P<amt>{p.amount}){_EN_MULT}"
        rf"(?![\d.,]*[A-Za-z\d])(?:(?P<sp>[ ]?)(?P<cur>{p.currency_suffix}))?"
    )
    # `8억 7천`, `7억2천`: a lone thousands digit after the last big unit stands for
    # thousands of the next smaller big unit (8억 7천만), as real-estate and salary news write it.
    implied = rf"(?P<imp>[ ]?[1-9{''.join(g.digits)}]천)(?![\d.,천백십{''.join(g.big)}])"
    bare = regex.compile(
        rf"(?<![\d.,A-Za-z]){lb}(?P<amt>{p.big_amount})(?:{implied})?(?![\d]|[.,]\d)"
    )
    low = rf"(?:{p.amount})(?:[ ]?{p.currency_suffix})?"
    high = rf"(?:{p.amount})[ ]?{p.currency_suffix}(?![A-Za-z])|{p.big_amount}(?![\d]|[.,]\d)"
    sep = alt(g.range_separators)
    rng = regex.compile(
        rf"(?<![\d.,A-Za-z~-]){lb}(?P<lo>{low})(?P<sep>[ ]?{sep}[ ]?)(?P<hi>{high})"
    )
    low_cur = rf"(?:{p.amount})[ ]?{p.currency_suffix}"
    change = None
    if g.change_arrows:
        change = regex.compile(
            rf"(?<![\d.,A-Za-z~-]){lb}(?P<lo>{p.amount})[ ]?{alt(g.change_arrows)}[ \n]?"
            rf"(?P<hi>{p.amount})(?:[ ]?(?P<cur>{p.currency_suffix})(?![A-Za-z]))?"
            rf"(?!\d|[.,]\d|[ ]?{sep})"
        )
    between = regex.compile(
        rf"(?<![\d.,]){lb}(?P<lo>{low_cur}){alt(g.between_middle)}[ ]?(?P<hi>{low_cur})"
        rf"(?=[ ]?{alt(g.between_closing)})"
    )
    units = "".join(g.small)
    bigs = "".join(g.big)
    # 수백억, 수천억, 몇 천, 수십만: a vague count of a small and/or big unit.
    vague_amount = (
        rf"{alt(g.vague_prefixes)}[ ]?(?:[{units}](?:[ ]?[{bigs}])?|[{bigs}])"
        rf"(?:[{units}]?[{bigs}])?"
    )
    vague = regex.compile(
        rf"(?<![\p{{Hangul}}\d])(?P<amt>{vague_amount})"
        rf"(?:(?P<sp>[ ]?)(?P<cur>{p.currency_suffix}))?(?:(?P<dae>{dae})(?!기))?"
    )
    idiom = regex.compile(rf"(?<![\p{{Hangul}}\d.,]){alt(g.vague_idioms)}")
    qp, qs, qv = [], [], []
    for q in g.qualifiers:
        after = alt(q["prefix_particles"]) + "?" if q.get("prefix_particles") else ""
        for w in q.get("prefix", []):
            qp.append(rf"(?P<{q['qualifier']}>{regex.escape(w)}){after}")
        for w in q.get("suffix", []):
            (qv if q.get("particles") else qs).append(rf"(?P<{q['qualifier']}>{regex.escape(w)})")
    particles = sorted({x for q in g.qualifiers for x in q.get("particles", [])})
    bridge = alt(g.bridges)
    q_prefix = regex.compile(
        rf"(?:\A|(?<=[\s(\[{{,·'\"“‘「『<]))(?:{'|'.join(_longest(qp))})[ ]?(?:{bridge}[ ]?)?\Z"
    )
    q_suffix = regex.compile(rf"\A[ ]?(?:{'|'.join(_longest(qs))})")
    q_particle = regex.compile(rf"\A{alt(particles)}?[ ]?(?:{'|'.join(_longest(qv))})")
    josa = alt(g.counter_particles or ["이", "가", "을", "를", "은", "는", "의", "에", "도", "만"])
    # Used with .match(text, pos): anchored at pos without \A.
    counter = regex.compile(
        rf"[ ]?(?:여[ ]?)?{alt(g.counters)}(?:\Z|(?!\p{{Hangul}})|{josa})"
        + (rf"|[ ]?\d+{alt(g.article_markers)}" if g.article_markers else "")
    )
    blocker_before = regex.compile(
        rf"(?:(?:{alt(g.preceding_blockers)})[ ]?|(?:{alt(g.attached_blockers)}))\Z"
    )
    return _Patterns(
        suffix,
        prefix,
        bare,
        rng,
        between,
        change,
        vague,
        idiom,
        q_prefix,
        q_suffix,
        q_particle,
        counter,
        blocker_before,
        regex.compile(p.hangul_digit_class),
        regex.compile(rf"{alt([w for w in g.vague_suffix if w.startswith(' ')])}(?!기)"),
        regex.compile(
            rf"(?:[ ]?[,·][ ]?(?:{p.amount})){{1,6}}?[ ]?(?P<cur>{p.currency_suffix})"
            rf"(?![A-Za-z])"
        ),
        regex.compile(
            rf"\A[ ]?(?:을|를|이|가)?[ ]?(?:(?:(?P<floor>{alt(g.negated_min)})"
            rf"|(?P<ceiling>{alt(g.negated_max) if g.negated_max else '(?!)'}))"
            rf"{alt(g.negated_particles)}?[ ]"
            rf"|{_condition(g)})"
            rf"(?P<verb>\p{{Hangul}}{{1,{g.negated_verb_chars}}}?[ ]?(?:{alt(g.negations)}))"
            rf"(?!{_nominal(g)}{alt(g.negated_not_followed, flexible_space=False)})"
            if g.negated_min and g.negations and g.negated_not_followed
            else r"(?!)"
        ),
        regex.compile(
            rf"\A[ ]?{alt(g.level_after)}[ ]?(?:{alt(g.level_verbs)}"
            rf"{_not_followed(g.level_verbs_not_followed, g.level_verbs_followed_ok)}"
            rf"|{alt(g.level_forms)}(?!{alt(g.level_not_followed)}))"
            if g.level_after and (g.level_verbs or g.level_forms)
            else r"(?!)"
        ),
    )


def _not_followed(words: list[str], ok: list[str] | None = None) -> str:
    """A negative lookahead for `words` ('' without any), spaces as written; a word of
    `ok` (`으면서` beside `으면`) is no match."""
    if not words:
        return ""
    allowed = f"(?!{alt(ok, flexible_space=False)})" if ok else ""
    return f"(?!{allowed}{alt(words, flexible_space=False)})"


def _nominal(g: Grammar) -> str:
    """A lookahead excusing a clause named by 것 from `not_followed_by`: after `지급하지 않`,
    `는 것이 원칙이다` still negates (but `는 것이 아니다` is a double negative)."""
    if not g.negated_nominal:
        return ""
    return rf"(?!{alt(g.negated_nominal, flexible_space=False)}(?![ ]?아니))"


def _longest(named: list[str]) -> list[str]:
    # Longest literal first so that 최대한 is tried before 최대.
    return sorted(named, key=lambda s: -len(s))


def _patterns() -> _Patterns:
    return _patterns_cached(id(grammar()))


# ---------------------------------------------------------------- candidates


def _is_pure_hangul(s: str) -> bool:
    return not _HAS_DIGIT.search(s)


def _needs_follow_check(text: str, end: int, cur: Currency, surface: str, g: Grammar) -> bool:
    """A currency word glued to more Hangul may be part of another word (3원칙, 10위안에)."""
    if end >= len(text) or not _HANGUL.match(text[end]) or not _HANGUL.match(surface):
        return False
    if cur.verify_when_followed:
        return True
    if len(surface) > 1:
        return False
    rest = text[end : end + 4]
    return not any(rest.startswith(w) for w in g.safe_follow)


def _unit_only_ok(text: str, m: regex.Match, amt: str, g: Grammar) -> bool:
    """A coefficient-less amount (억원, 만 원): not a unit label (단위: 억원, 억 원 미만은)."""
    core = "".join(ch for ch in amt if ch not in g.approx_markers and not ch.isspace())
    if len(core) != 1 or core not in g.big:
        return True
    before = text[max(0, m.start() - 8) : m.start()].rstrip(" ")
    if any(before.endswith(b.rstrip(" ")) for b in g.unit_only_blockers):
        return False
    if g.big[core] >= g.unit_only_min_spaced and before.endswith(tuple(g.unit_only_openers)):
        return False  # `(억불)`, `(억원, %)`: a table or chart caption's unit
    return not (m.group("sp") and g.big[core] >= g.unit_only_min_spaced)


_SPACED_RULE = "ko.refused.spaced_number"
# a year spaced before a small unit: `2025 천만원` is no 2025천만
_SPACED_YEAR = regex.compile(r"(?:19|20)\d\d[ ]")
# digits and one space right before a unit that starts an amount
_DIGITS_BEFORE = regex.compile(r"(?<![\d.,])[\d][\d.,]*[ ]\Z")


# digit groups spaced before an amount's digits (`12 345 백만원`): the first of one to three
# digits, every later one of three; one space each, no digit or letter glued before
# (`제12조의2 50억원` is an article's branch and 50억원)
_SPACE_GROUPS = regex.compile(
    r"(?<![\d.,\p{L}]|[\d.,][ ])(?P<grouped>\d{1,3}(?:[ ]\d{3})*)[ ]\Z|(?<![\d.,\p{L}])\d+[ ]\Z"
)
_THREE_DIGITS = regex.compile(r"\d{3}(?![\d,.])")


def _sure_groups(text: str, groups: regex.Match) -> bool:
    """Whether digits spaced before an amount's three digits are its thousands groups
    (fix12, tester25 1.6): two groups or more before them (`1 234 567 천원`), or a first
    group of two or three digits not at a line's start (`예산 12 345 백만원`). One digit
    (`사업 5 300억원`: five bridges and 300억?) or a number opening a line (`1 100억원 도로
    사업`, a list's number) may be a count or a list number: flagged, never read."""
    grouped = groups.group("grouped")
    if not grouped:
        return False
    if " " in grouped:
        return True
    if len(grouped) >= 2 and not _line_start(text, groups.start()):
        return True
    # the text writes another amount with space groups of a sure shape (`12 345 백만원,
    # 노인 사업 2 100 백만원`): this one is grouped too
    for m in _GROUPED_AMOUNT.finditer(text):
        if m.start() <= groups.start() < m.end():
            continue
        first, *rest = m.group("grouped").split(" ")
        if len(rest) >= 2 or (len(first) >= 2 and not _line_start(text, m.start())):
            return True
    return False


def _line_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return not before or before.endswith("\n")


# space-grouped digits right before a Korean unit or 원 (evidence of the notation)
_GROUPED_AMOUNT = regex.compile(
    r"(?<![\d.,\p{L}])(?P<grouped>\d{1,3}(?:[ ]\d{3})+)(?![\d.,])(?=[ ]?[천백십만억조원])"
)


def _spaced_number(text: str, start: int, amt: str, g: Grammar) -> int | None:
    """Where a flagged reading starts when digits stand one space before a Korean unit
    and the grammar has no sure reading of the two (since 2026-11-30, tester20 A2):
    `2025 천만원` (a year before the unit? `5 천만원` is read as 5천만원) and a unit
    read with no coefficient right after digits it could not take (`1,2 천만원`: never
    천만원 alone). None when the amount is no such case."""
    if _SPACED_YEAR.match(amt) and amt[5:6] in g.small:
        return start
    if amt[:1] in g.small or amt[:1] in g.big:
        before = _DIGITS_BEFORE.search(text, max(0, start - 24), start)
        if before:
            return before.start()
    return None


def _amount_cand(
    text: str, m: regex.Match, g: Grammar, rule: str, cur: Currency | None
) -> _Cand | None:
    amt = m.group("amt")
    start, end = m.span()
    if len(_DIGIT.findall(amt)) > MAX_DIGITS:
        if cur is None:
            return None
        # Longer than any real amount: flagged vague with the reason, never rounded.
        return _Cand(start, end, None, cur.iso, "ko.refused.too_long", vague=True)
    if cur is not None and (_DOT_GROUPS.search(amt) or _DOT_THOUSANDS.search(amt)):
        # `1.500원`, `250.000원`: a thousands dot or a decimal point? Flagged, never guessed.
        return _Cand(start, end, None, cur.iso, "ko.refused.dot_group", vague=True)
    if cur is None and _DOT_THOUSANDS.search(amt):
        # a bare `5.000억 감액`: as above, in the bare amount's currency
        return _Cand(start, end, None, g.bare_currency, "ko.refused.dot_group", vague=True)
    spaced = _spaced_number(text, m.start("amt"), amt, g)
    if spaced is not None:
        # `2025 천만원`, `1,2 백만원`: no sure reading; flagged, never the unit alone
        return None if cur is None else _Cand(spaced, end, None, cur.iso, _SPACED_RULE, vague=True)
    a0, a1 = m.span("amt")
    groups = _SPACE_GROUPS.search(text, max(0, a0 - 24), a0) if amt[:1].isdigit() else None
    if groups is not None:
        # `12 345 백만원`: a space as the thousands separator (money12, tester22 A6): read
        # whole where every group after the first is three digits, else flagged
        if cur is None:
            return None
        if not _sure_groups(text, groups) or not _THREE_DIGITS.match(amt):
            return _Cand(groups.start(), end, None, cur.iso, _SPACED_RULE, vague=True)
        amt = groups.group().replace(" ", "") + amt
        start = a0 = groups.start()
    try:
        value = parse_number(amt)
    except ValueError:
        return None
    cur_span = m.span("cur") if m.groupdict().get("cur") else None
    cand = _Cand(start, end, value, cur.iso if cur else g.bare_currency, rule, num_span=(a0, a1))
    cand.cur_span = cur_span
    cand.approx = any(x in amt for x in g.approx_markers)
    if cur is not None and not _unit_only_ok(text, m, amt, g):
        return None
    pure = _is_pure_hangul(amt)
    if pure and cur is not None:
        core = "".join(ch for ch in amt if ch not in g.approx_markers and not ch.isspace())
        if len(core) == 1 and core in g.digits:
            spaced = bool(m.groupdict().get("sp"))
            if not cur.hangul_single_digit or (
                spaced and cur_span and cur_span[1] - cur_span[0] == 1
            ):
                return None  # 사원, 구원; `이 불로` (this fire)
        # 만불, 억불 (10,000 / 100 million dollars): a lone big unit glued to a foreign
        # currency word is an amount; `만원` is left to Kiwi (만원 버스 = a crowded bus).
        glued = not m.groupdict().get("sp")
        lone_unit = core in g.big and core not in g.word_units and g.big[core] <= 10**8
        cand.ambiguous = not (glued and lone_unit and cur.iso != g.bare_currency)
    # Digits with a unit before the currency (8500만원홍길동, 9천원투자, a byline glued to the
    # amount) cannot be the start of a word like 원칙: no follow check. A space before the
    # currency word lets it start another word (`50억 엔진`, `5천만 원주민`): checked.
    glued_ok = (
        _HAS_DIGIT.search(amt)
        and any(ch in g.big or ch in g.small for ch in amt)
        and not m.groupdict().get("sp")
    )
    if (
        cur is not None
        and cur_span
        and not (glued_ok and not cur.verify_when_followed)
        and _needs_follow_check(text, cur_span[1], cur, text[cur_span[0] : cur_span[1]], g)
    ):
        cand.ambiguous = True
    return cand


def _suffix_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    out = []
    for m in pats.suffix.finditer(text):
        cur = g.currency_of_suffix(m.group("cur"))
        if cur is None:
            continue
        if cur.weight_unit and _is_weight(text, m.start("amt"), m.end(), g):
            continue
        cand = _amount_cand(text, m, g, g.currency_rule, cur)
        if cand is None:
            continue
        if m.group("lead"):
            lead = g.currency_of_prefix(m.group("lead"))
            if lead is None or lead.iso != cur.iso:
                cand.start = m.start("amt")
        if m.group("sub"):
            sub_ok = m.group("sub") in cur.subunits
            try:
                sub_value = parse_number(m.group("subamt")) if sub_ok else None
            except ValueError:
                sub_value = None
            if sub_value is not None and cand.amount is not None:
                cand.amount = clean(cand.amount + sub_value * cur.subunit_factor)
                cand.ambiguous = False  # `이불이십삼센트`: a sub-unit after it makes it money
            else:
                cand.end = m.end("cur")
        if m.group("dae"):
            cand.amount, cand.vague, cand.rule = None, True, g.vague_rule
        if cand.ambiguous and _is_formal(text, m.start("amt"), m.end("cur"), g):
            cand.ambiguous = False
        out.append(cand)
    return out


def _is_formal(text: str, start: int, end: int, g: Grammar) -> bool:
    """`금 일천만원정`, `일금 10,000,000원정`: the formal receipt style (금 before, 정
    "exactly" after) marks the amount as money without asking Kiwi."""
    before = text[max(0, start - 5) : start].rstrip(" ")
    after = text[end : end + 1]
    # the word itself, not the end of another (지원금, 상금)
    led = any(
        before.endswith(w) and not _HANGUL.match(before[-len(w) - 1 : -len(w)] or " ")
        for w in g.formal_before
    )
    return led and (after in g.formal_after or not after or not _HANGUL.match(after))


def _is_weight(text: str, start: int, end: int, g: Grammar) -> bool:
    """`몸무게 220파운드`, `220파운드(약 99kg)`, `230파운드 ... 바벨 무게`: a weight word
    within 40 characters either side, or a metric weight in parentheses after it."""
    near = text[max(0, start - 40) : end + 40]
    if any(w in near for w in g.weight_before):
        return True
    units = alt(g.weight_units, flexible_space=False)
    after = regex.compile(rf"[ ]?[(（][ ]?(?:약[ ]?)?[\d.,]+[ ]?{units}")
    return bool(after.match(text, end))


def _prefix_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    out = []
    for m in pats.prefix.finditer(text):
        cur = g.currency_of_prefix(m.group("pre"))
        if cur is None:
            continue
        suffix_cur = g.currency_of_suffix(m.group("cur")) if m.group("cur") else None
        cand = _amount_cand(text, m, g, g.prefix_rule, cur)
        if cand is None:
            continue
        if suffix_cur is not None and suffix_cur.iso != cur.iso:
            cand.end = m.end("amt")  # `KRW 3조 달러`? keep the prefix's reading
            cand.cur_span = None
        cand.ambiguous = cand.ambiguous and _is_pure_hangul(m.group("amt"))
        out.append(cand)
    return out


_LINE_BREAK_THEN = regex.compile(r"[ \t]*\r?\n\s*")


def _currency_on_next_line(text: str, end: int, g: Grammar) -> bool:
    """A currency word of another currency starts the next line after a bare amount."""
    brk = _LINE_BREAK_THEN.match(text, end)
    if not brk:
        return False
    rest = text[brk.end() : brk.end() + 12]
    return any(
        rest.startswith(suffix)
        for cur in g.currencies
        if cur.iso != g.bare_currency
        for suffix in cur.suffix
    )


def _bare_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    out = []
    for m in pats.bare.finditer(text):
        amt = m.group("amt")
        # The currency written once after a list (`10조, 20조 달러`, `5000만, 8000만원`)
        # is every item's currency.
        listed = pats.list_currency.match(text, m.end()) if not m.group("imp") else None
        list_cur = g.currency_of_suffix(listed.group("cur")) if listed else None
        if not _HAS_DIGIT.search(amt):
            continue
        if list_cur is None and not any(u in amt for u in g.bare_units):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if pats.counter.match(text, m.end()) or pats.blocker_before.search(before):
            continue
        if list_cur is None and _currency_on_next_line(text, m.end(), g):
            continue  # `141.5억` / `달러` split by a line break: not won, and not ours to join
        cand = _amount_cand(text, m, g, g.bare_rule, None)
        if cand is None:
            continue
        if list_cur is not None:
            cand.currency = list_cur.iso
        if m.group("imp"):
            implied = _implied_thousands(amt, m.group("imp"), g)
            if implied is None or cand.amount is None:
                continue
            cand.amount = clean(cand.amount + implied)
            cand.num_span = (m.start("amt"), m.end("imp"))
        tail = pats.vague_tail.match(text, m.end())
        if tail:
            cand.end, cand.amount, cand.vague, cand.rule = tail.end(), None, True, g.vague_rule
        last_big = [ch for ch in amt if ch in g.big]
        cand.bare_jo = len(last_big) == 1 and last_big[0] == "조"
        # Quoted or bracketed right after the unit ('17조', (4조), “2.5조”): a figure
        # cited as a figure, not a team or an article (제4조 is blocked above).
        quoted = m.end() < len(text) and text[m.end()] in _CLOSERS
        # A decimal (6.5조를) is never a team or an article number either.
        decimal = _DECIMAL.search(amt)
        cand.ambiguous = cand.bare_jo and not (quoted or decimal or list_cur is not None)
        out.append(cand)
    return out


def _implied_thousands(amt: str, tail: str, g: Grammar) -> Decimal | None:
    """`7천` after `8억` is 7천만: thousands of the big unit just below the last one.
    None when the amount already has that unit or there is none below."""
    bigs = [ch for ch in amt if ch in g.big]
    if not bigs:
        return None
    below = [v for v in g.big.values() if v < g.big[bigs[-1]]]
    if not below:
        return None
    try:
        return parse_number(tail.strip()) * max(below)
    except ValueError:
        return None


def _split_end(text: str, g: Grammar, p) -> tuple[Decimal, Currency | None, bool]:
    """Value, currency and whether the amount has a unit, for one end of a range."""
    m = regex.fullmatch(rf"(?P<amt>{p.amount})(?:[ ]?(?P<cur>{p.currency_suffix}))?", text)
    if m is None:
        raise ValueError(text)
    cur = g.currency_of_suffix(m.group("cur")) if m.group("cur") else None
    amt = m.group("amt")
    has_unit = any(ch in g.big or ch in g.small for ch in amt)
    return parse_number(amt), cur, has_unit


def _range_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    p = pieces()
    out = []
    # Both patterns are costly to scan; a range needs its separator word in the text.
    patterns = []
    if any(sep in text for sep in g.range_separators):
        patterns.append(pats.range)
    if any(word in text for word in g.between_closing):
        patterns.append(pats.between)
    for pattern in patterns:
        for m in pattern.finditer(text):
            try:
                lo, lo_cur, lo_unit = _split_end(m.group("lo"), g, p)
                hi, hi_cur, _ = _split_end(m.group("hi"), g, p)
            except ValueError:
                continue
            if hi_cur is None:
                hi_amt = m.group("hi")
                bare_ok = any(u in hi_amt for u in g.bare_units) or _won_context_pair(
                    text, m, g, pats
                )
                if not _HAS_DIGIT.search(hi_amt) or not bare_ok:
                    continue
                if pats.counter.match(text, m.end()):
                    continue
            if lo_cur is not None and hi_cur is not None and lo_cur.iso != hi_cur.iso:
                continue
            if any(
                _DOT_GROUPS.search(m.group(k)) or _DOT_THOUSANDS.search(m.group(k))
                for k in ("lo", "hi")
            ):
                # `5.000~6.000억원`, `3.000억~5.000억원`: a thousands dot or a decimal
                # point, as for one amount (`5.000억원`): flagged, never guessed
                cur = hi_cur or lo_cur
                iso = cur.iso if cur else g.bare_currency
                out.append(_Cand(m.start(), m.end(), None, iso, "ko.refused.dot_group", vague=True))
                continue
            lo = _borrowed_low(m.group("lo"), lo, lo_cur, lo_unit, m.group("hi"), hi, g)
            if lo is None:
                # No reading of the low end is plausible (`4천~6천억`-style where the
                # borrowed unit overshoots): refuse the range, flag it vague.
                cur = hi_cur or lo_cur
                iso = cur.iso if cur else g.bare_currency
                out.append(_Cand(m.start(), m.end(), None, iso, g.vague_rule, vague=True))
                continue
            if lo >= hi:
                continue
            cur = hi_cur or lo_cur
            approx = any(x in m.group() for x in g.approx_markers)
            cand = _Cand(
                m.start(),
                m.end(),
                lo,
                cur.iso if cur else g.bare_currency,
                g.range_rule,
                amount_max=hi,
                approx=approx,
                num_span=m.span(),
            )
            whole = m.group("lo") + m.group("hi")
            cand.ambiguous = _is_pure_hangul(whole)
            out.append(cand)
    return out


def _won_context_pair(text: str, m: regex.Match, g: Grammar, pats: _Patterns) -> bool:
    """Two bare amounts (`5400만→6900만`, `3500만~6900만`) read as won: both ends carry
    their own 만/억/조 and the same line (a table row is one line) has an explicit
    amount in `change_context_currency` (`…120백만원`). Unit headers are not consulted."""
    units = g.change_bare_units
    if not units or not all(
        _HAS_DIGIT.search(m.group(k)) and any(u in m.group(k) for u in units) for k in ("lo", "hi")
    ):
        return False
    if pats.counter.match(text, m.end()):
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    for s in pats.suffix.finditer(line):
        cur = g.currency_of_suffix(s.group("cur"))
        if cur is not None and cur.iso == g.change_context_currency:
            return True
    return False


def _change_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    """`3,800→5,400만원`, `월120→ 140만원`, `1.2조→1.5조원`: a change is two mentions.

    The first amount, written without currency, takes the second's currency; written
    without a big unit, it borrows the second's unit as a range's low end does (3,800만).
    A borrowed value more than `change_max_ratio` times away from the second amount is
    unsure (`12,000→1억원`): the first is reported vague, never guessed. Without any
    currency word both ends must pass `_won_context_pair`. The second amount written with
    its currency is left to the currency candidates.
    """
    if pats.change is None or not any(a in text for a in g.change_arrows):
        return []
    p = pieces()
    out = []
    for m in pats.change.finditer(text):
        lo_text, hi_text = m.group("lo"), m.group("hi")
        if not (_HAS_DIGIT.search(lo_text) and _HAS_DIGIT.search(hi_text)):
            continue
        try:
            lo, lo_cur, lo_unit = _split_end(lo_text, g, p)
            hi, _, _ = _split_end(hi_text, g, p)
        except ValueError:
            continue
        if lo_cur is not None or lo <= 0 or hi <= 0:
            continue  # the first amount has its own currency: the currency candidates read it
        if m.group("cur"):
            cur = g.currency_of_suffix(m.group("cur"))
            if cur is None:
                continue
            iso = cur.iso
        elif _won_context_pair(text, m, g, pats):
            iso = g.change_context_currency
        else:
            continue
        value = lo
        if not any(ch in g.big for ch in lo_text):
            hi_squashed = hi_text.replace(" ", "")
            if lo_unit:
                bigs = [g.big[ch] for ch in hi_squashed if ch in g.big]
                mult = Decimal(max(bigs)) if bigs else Decimal(1)
            else:
                mult = unit_multiplier(hi_squashed)
            value = clean(lo * mult)
            ratio = g.change_max_ratio
            if value * ratio < hi or value > hi * ratio:
                value = None
        lo_span = m.span("lo")
        out.append(
            _Cand(
                *lo_span,
                value,
                iso,
                g.change_rule if value is not None else g.vague_rule,
                vague=value is None,
                num_span=lo_span,
            )
        )
        if not m.group("cur"):
            hi_span = m.span("hi")
            out.append(_Cand(*hi_span, hi, iso, g.change_rule, num_span=hi_span))
    return out


def _borrowed_low(
    lo_text: str,
    lo: Decimal,
    lo_cur: Currency | None,
    lo_unit: bool,
    hi_text: str,
    hi: Decimal,
    g: Grammar,
) -> Decimal | None:
    """The low end of a range, borrowing the high end's unit when it has none of its own.

    `30~50억` -> 30억 and `2~3천만` -> 2천만 (a bare number borrows every unit after the
    high end's coefficient); `4천~6천억`, `7천~8천만`, `3백~4백억` -> 4천억, 7천만, 3백억
    (a low end with only small units borrows the high end's largest big unit). The
    borrowed reading is kept when it is below the high end; otherwise the low end as
    written when it is at least a hundredth of the high end (`5000~1만 원`). None when
    neither reading is plausible: the range is refused rather than guessed.
    """
    lo_big = any(ch in g.big for ch in lo_text)
    if lo_cur is not None or lo_big:
        return lo
    hi_squashed = _SPACE.sub("", hi_text)
    if not lo_unit:
        mult = unit_multiplier(hi_squashed)
    else:
        bigs = [g.big[ch] for ch in hi_squashed if ch in g.big]
        mult = Decimal(max(bigs)) if bigs else Decimal(1)
    if mult != 1:
        borrowed = clean(lo * mult)
        if borrowed < hi:
            return borrowed
    if lo < hi and lo * 100 >= hi:
        return lo
    if mult == 1 and lo < hi:
        return lo
    return None


def _vague_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    out = []
    for m in pats.vague.finditer(text):
        cur = g.currency_of_suffix(m.group("cur")) if m.group("cur") else None
        amt = m.group("amt")
        if cur is None and not m.group("dae"):
            if not any(u in amt for u in g.bare_units) or pats.counter.match(text, m.end()):
                continue
        end = m.end()
        iso = cur.iso if cur else g.bare_currency
        out.append(
            _Cand(m.start(), end, None, iso, g.vague_rule, vague=True, num_span=m.span("amt"))
        )
    for m in pats.idiom.finditer(text):
        out.append(
            _Cand(
                m.start(),
                m.end(),
                None,
                g.vague_idiom_currency,
                g.vague_rule,
                vague=True,
                num_span=m.span(),
                ambiguous=False,
            )
        )
    return out


# `4,5억 유로`: a comma before one or two digits and a Korean amount with a currency is a
# decimal comma (4.5억, European copy) or a thousands comma short of a digit (45억)? No
# sure reading: the whole is flagged (`ko.refused.comma_decimal`, vague), never read and
# never dropped silently (fix12b, tester25 m45/m46: no record at all, the `5억 유로` after
# the comma matched nothing)
_COMMA_DECIMAL = regex.compile(r"(?<![\d.,])\d{1,3},(?=\d{1,2}(?![\d,.]))")
_COMMA_DECIMAL_RULE = "ko.refused.comma_decimal"


def _comma_decimal_cands(text: str, g: Grammar, pats: _Patterns) -> list[_Cand]:
    out = []
    for m in _COMMA_DECIMAL.finditer(text):
        rest = text[m.end() : m.end() + 40]
        s = pats.suffix.match(rest)
        if s is None or s.group("lead") or s.start("amt") != 0:
            continue
        cur = g.currency_of_suffix(s.group("cur"))
        if cur is None or not any(ch in g.big for ch in s.group("amt")):
            continue
        end = m.end() + s.end("cur")
        out.append(
            _Cand(
                m.start(),
                end,
                None,
                cur.iso,
                _COMMA_DECIMAL_RULE,
                vague=True,
                num_span=(m.start(), end),
            )
        )
    return out


# ---------------------------------------------------------------- Kiwi checks


def _get_kiwi():
    # One Kiwi per process, shared with the segmenter (each instance costs ~1 s and memory).
    from ..segment import get_kiwi

    return get_kiwi()


def _window_tokens(text: str, start: int, end: int) -> list[Token]:
    # A few words either side, cut at spaces so no word is analysed half.
    ws = text.rfind(" ", 0, max(0, start - 8)) + 1
    we = text.find(" ", min(len(text), end + 8))
    we = len(text) if we < 0 else we
    out = []
    for t in _get_kiwi().tokenize(text[ws:we]):
        out.append(Token(t.form, ws + t.start, ws + t.start + t.len, t.tag))
    return out


def _kiwi_accepts(c: _Cand, tokens: Sequence[Token]) -> bool:
    """Do the morphemes read this span as a number (+ currency), not as a word?"""
    n0, n1 = c.num_span
    cur0, cur1 = c.cur_span if c.cur_span else (n1, n1)
    for t in tokens:
        if t.start == c.end and c.cur_span and t.tag[:2] in ("NN", "VV", "VA", "MM", "XR"):
            return False  # a noun glued to the currency word: 3원색, 2원론
        if t.end <= c.start or t.start >= c.end:
            continue
        if t.start < c.start < t.end or t.start < c.end < t.end:
            return False  # the span starts or ends inside a word: 의원 / 원칙
        if t.start < n1 and t.end > n0:  # overlaps the numeric part
            if t.tag.split("-")[0] not in _NUMERIC_TAGS and t.text not in _points():
                return False  # 이억원/NNP, 만원/NNG, 조/NNG (a team); 쩜 is a decimal point
            if c.bare_jo and "조" in t.text and t.tag != "NR":
                return False
        elif c.cur_span and t.start >= cur0 and t.end <= cur1:
            if " " not in c.cur_text and (t.start != cur0 or t.end != cur1):
                return False  # the currency word is split: 10위 안에
            if len(c.cur_text) == 1 and t.tag != "NNB" and not t.tag.startswith("S"):
                return False  # 2원화 체제: 원/NNG is not the bound noun of money
    return True


def _points() -> list[str]:
    return grammar().points


def _condition(g: Grammar) -> str:
    """`미만인 경우 (국비를) `: a bound, a condition, at most `condition_words` words, as
    the alternative of the negated-bound regex that ends before the negated verb; groups
    `cfloor` (이상이면: the negation caps it) and `cceiling` (미만인 경우: it floors it)."""
    if not g.conditions or not (g.condition_min or g.condition_max):
        return "(?!)"
    mins = alt(g.condition_min) if g.condition_min else "(?!)"
    maxs = alt(g.condition_max) if g.condition_max else "(?!)"
    return (
        rf"(?:(?P<cfloor>{mins})|(?P<cceiling>{maxs}))(?:{alt(g.conditions)})[ ]?,?[ ]"
        rf"(?P<cwords>(?:\p{{Hangul}}+[ ]){{0,{g.condition_words}}}?)"
    )


# ---------------------------------------------------------------- qualifiers


def _qualifier(text: str, c: _Cand, pats: _Patterns) -> str:
    found = []
    left = text[max(0, c.start - 30) : c.start]
    m = pats.q_prefix.search(left)
    if m and (c.start <= 30 or m.start() > 0):
        found.append(("prefix", m.lastgroup))
    right = _after_parenthetical(text, c.end)
    hits = [x for x in (pats.q_suffix.match(right), pats.q_particle.match(right)) if x]
    if hits:  # the longer reading wins: `초과하지 않는` (max) over `초과` (min)
        hit = max(hits, key=lambda x: x.end())
        if not (hit.lastgroup == "max" and pats.level.match(right)):
            found.append(("suffix", hit.lastgroup))  # `120억원까지 늘었다`: a level, no bound
    kinds = [q for _, q in found]
    for q in kinds:
        negated = pats.negated_bound.match(text[c.end : c.end + 48]) if q else None
        if negated and not _negation_turns(negated, grammar(), text[max(0, c.start - 8) : c.start]):
            negated = None
        if q == "min" and negated and (negated.group("floor") or negated.group("cfloor")):
            return "max"  # `10억원 이상을 받을 수 없다`: no project gets 10억 or more
        if q == "max" and negated and (negated.group("ceiling") or negated.group("cceiling")):
            return "min"  # `10억원 이하로는 신청할 수 없다`, `3억원 미만인 경우 ... 없다`
        if q in ("min", "max"):
            return q
    if kinds or c.approx:
        return "approx"
    return ""


def _negation_turns(negated: regex.Match, g: Grammar, before: str) -> bool:
    """Whether a negated bound (a `negated_bound` match) turns: never under a double
    negative (`지원 대상에서 제외되지 않는다`: `double_negatives`); in a condition
    (`3억원 미만인 경우 ...`) only when the negated main clause is about receiving or
    spending the money (`condition_verbs`: `지원할 수 없다`), never when it or the bounded
    amount is a payment (`condition_paying`: `세금을 내지 않는다`, `보증료를 납부하지 않아도
    된다`, `체납액이 100만원을 넘는 경우 신청 불가`). `before` is the text right before the
    amount, whose last word is the condition's subject."""
    groups = negated.groupdict()
    words = (groups.get("cwords") or "") + (groups.get("verb") or "")
    if any(w in words for w in g.double_negatives):
        return False
    if groups.get("cfloor") is None and groups.get("cceiling") is None:
        return True
    subject = before.split()[-1] if before.split() else ""
    if any(w in words or w in subject for w in g.condition_paying):
        return False
    return any(w in words for w in g.condition_verbs)


_PAREN_AFTER = regex.compile(r"[ ]?[(（][^()（）]{1,40}[)）]|[)）]")


def _after_parenthetical(text: str, end: int) -> str:
    """The words after an amount where a suffix qualifier may stand, looking past a
    parenthesis: in `10억원(중소기업은 5억원) 이상` the 이상 governs both amounts."""
    m = _PAREN_AFTER.match(text, end)
    start = m.end() if m else end
    return text[start : start + 12]


# ---------------------------------------------------------------- entry point


def find_money(text: str, tokens: Sequence[Token] | None = None) -> list[MoneyMention]:
    """Every Korean-style money expression in `text`, in order (offsets relative to `text`).

    `tokens` are Kiwi morphemes with offsets relative to `text` when the caller has
    them; they only accept/reject candidates that could be words (이억원 의원, 만원 버스).
    Without them, Kiwi analyses a small window around such a candidate only.
    """
    g = grammar()
    if (
        not _HANGUL.search(text)
        and not any(ch in text for ch in "₩￦€£")
        and not _CODE_LIKE.search(text)
    ):
        return []
    pats = _patterns()
    text, unsure = _law_articles(text, g)
    cands = (
        _range_cands(text, g, pats)
        + _change_cands(text, g, pats)
        + _suffix_cands(text, g, pats)
        + _prefix_cands(text, g, pats)
        + _vague_cands(text, g, pats)
        + _bare_cands(text, g, pats)
        + _comma_decimal_cands(text, g, pats)
    )
    # Longest first; among equal spans the order above (range, currency, prefix, vague, bare).
    order = sorted(range(len(cands)), key=lambda i: (-(cands[i].end - cands[i].start), i))
    chosen: list[_Cand] = []
    for i in order:
        c = cands[i]
        if any(c.start < k.end and k.start < c.end for k in chosen):
            continue
        if c.ambiguous:
            c.cur_text = text[c.cur_span[0] : c.cur_span[1]] if c.cur_span else ""
            toks = tokens if tokens is not None else _window_tokens(text, c.start, c.end)
            if not _kiwi_accepts(c, toks):
                continue
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    mentions = [
        MoneyMention(
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            amount=c.amount,
            currency=c.currency,
            amount_max=c.amount_max,
            qualifier=_qualifier(text, c, pats),
            vague=c.vague,
            lang="ko",
            rule=c.rule,
        )
        for c in chosen
    ]
    _share_qualifiers(text, mentions, pats)
    if unsure:
        mentions = [_unsure_article(m) if m.start in unsure else m for m in mentions]
    return mentions


@lru_cache(maxsize=4)
def _law_article_pattern(key: int) -> regex.Pattern | None:
    g = grammar()
    if not g.law_words:
        return None
    words = alt(g.law_words, flexible_space=True)
    endings = alt(g.law_endings or g.law_words, flexible_space=False)
    # a whole law word (`법`, `시행령`) or a closing title bracket (`「지방재정법」`): sure;
    # a word ending like one (`지방재정법`, `불법`, `세법`): unsure
    return regex.compile(
        rf"(?:(?P<sure>(?<!\p{{Hangul}}){words}|[」』])|(?P<unsure>\p{{Hangul}}{endings}))"
        rf"[ ]?(?P<art>\d{{1,3}}조)(?=[ ]\d)"
    )


def _law_articles(text: str, g: Grammar) -> tuple[str, set[int]]:
    """`N조` right after a law's name and before another amount (rules/ko/ordinals.toml
    `law_words`, or a word ending like one) is read by the cues of its clause (fix12,
    tester25 1.1): an article cue only (`시행령 12조 5천만원 이하의 과태료`, `…규정에 따라`)
    makes it an article cited without 제, blanked (same length, offsets kept) and the
    amount after it read alone; an amount cue only (`「국가재정법」 3조 2천억 원 규모의`,
    `법 3조 1억원을`) keeps the whole amount; neither or both: the starts of such spans are
    returned and the amount read there is flagged vague, never guessed."""
    pat = _law_article_pattern(id(g))
    if pat is None or "조" not in text:
        return text, set()
    unsure: set[int] = set()
    out = text
    for m in pat.finditer(text):
        clause = _LAW_CLAUSE_END.split(text[m.end("art") :], maxsplit=1)[0]
        after = _AMOUNT_AFTER_ARTICLE.match(clause).end()
        tail = clause[after:]
        article = any(regex.search(c, clause) for c in g.law_article_cues)
        # `37조 2천만원`: trillions written down to 만 with no 억 is no amount's shape
        amount = "억" in clause[:after] and any(regex.match(c, tail) for c in g.law_amount_cues)
        if amount and not article:
            continue  # `「국가재정법」 3조 2천억 원 규모의 예비비`: one amount, read whole
        if not article or amount:
            unsure.add(m.start("art"))  # neither cue, or both: flagged, never guessed
            continue
        a, b = m.span("art")
        out = out[:a] + " " * (b - a) + out[b:]
    return out, unsure


# The clause an article's cue is looked for in ends at `, ` `. ` `;` a line break or a new
# title bracket (never inside `1,000억원` or `2.5억원`).
_LAW_CLAUSE_END = regex.compile(r"[,.;](?=\s|$)|\n|「")
# the amount right after the article (` 2천억 원`, ` 1,000억원`): amount cues follow it
_AMOUNT_AFTER_ARTICLE = regex.compile(r"(?:[ ]?\d[\d,.]*|[ ]?[천백십만억조]|[ ]?원)*")


def _unsure_article(m: MoneyMention) -> MoneyMention:
    return replace(m, amount=None, amount_max=None, vague=True, rule="ko.refused.law_article")


# A list item before a qualified one: `보증금 1억원, 관리비 30만원 이하` (both max).
_LIST_GAP = regex.compile(r"[ ]?[,·][ ]?\p{Hangul}{1,8}(?:[ ]?\p{Hangul}{1,8})?[ ]?")
_LIST_LEAD = regex.compile(r"[ ]?[,·][ ]?(?P<word>\p{Hangul}{1,8})[ ]")
# A change under one qualifier: `최대 5억원에서 8억원으로` (both max).
_CHANGE_GAP = regex.compile(r"(?:에서|부터)[ ]?")


def _share_qualifiers(text: str, mentions: list[MoneyMention], pats: _Patterns) -> None:
    """A bound written once governs several amounts (in place)."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        gap = text[a.end : b.start]
        if a.qualifier in ("min", "max") and not b.qualifier and _CHANGE_GAP.fullmatch(gap):
            if pats.q_prefix.search(text[max(0, a.start - 30) : a.start]):
                b.qualifier = a.qualifier
    own_bound: set[int] = set()
    for a, b in zip(mentions, mentions[1:], strict=False):
        # `국비 5억원, 최대 도비 3억원`: a bound word opening a list item bounds that item
        lead = _LIST_LEAD.match(text, a.end, b.start)
        if lead and _LIST_GAP.fullmatch(text[a.end : b.start]):
            bound = pats.q_prefix.search(lead["word"] + " ")
            kind = bound and next((k for k in ("min", "max") if bound.group(k)), None)
            if kind:
                own_bound.add(id(b))
                if not b.qualifier:
                    b.qualifier = kind
    for a, b in reversed(list(zip(mentions, mentions[1:], strict=False))):
        if a.qualifier or b.qualifier not in ("min", "max") or a.vague or b.vague:
            continue
        if id(b) in own_bound:
            continue
        gap = text[a.end : b.start]
        # `5만원, 최대 30만원까지`: the bound's own prefix word stands between: b's alone
        if _LIST_GAP.fullmatch(gap) and not pats.q_prefix.search(gap):
            right = _after_parenthetical(text, b.end)
            hits = [x for x in (pats.q_suffix.match(right), pats.q_particle.match(right)) if x]
            if hits:
                a.qualifier = b.qualifier
