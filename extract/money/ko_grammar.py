"""Korean number grammar built from rules/ko/*.toml: values and regex pieces.

The tables (digits, units, currencies, qualifiers, ...) are data; this module
turns them into `parse_number` and the compiled patterns `korean.py` matches
with. Everything is built once per rule-file version and cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Any

import regex

from ..rules import load_kind, rule_files
from .exact import EXACT

# Digits with thousands commas and at most one decimal point: 27,350,000 / 2,107 / 1.5
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


@dataclass(frozen=True)
class Currency:
    iso: str
    suffix: tuple[str, ...]
    prefix: tuple[str, ...] = ()
    prefix_with_suffix: tuple[str, ...] = ()
    subunits: tuple[str, ...] = ()
    subunit_factor: Decimal = Decimal("0.01")
    hangul_single_digit: bool = True
    verify_when_followed: bool = False
    weight_unit: bool = False  # also a unit of weight (파운드): see [weight] in currencies.toml


@dataclass
class Grammar:
    """Everything the Korean rules say, merged from all ko number/money files."""

    digits: dict[str, int] = field(default_factory=dict)
    zero: list[str] = field(default_factory=list)
    small: dict[str, int] = field(default_factory=dict)
    big: dict[str, int] = field(default_factory=dict)
    word_units: list[str] = field(default_factory=list)  # big units that are also syllables
    points: list[str] = field(default_factory=list)
    approx_markers: list[str] = field(default_factory=list)
    minus: list[str] = field(default_factory=list)
    fraction_infix: str = "분의"
    native_units: dict[str, int] = field(default_factory=dict)
    native_tens: dict[str, int] = field(default_factory=dict)
    currencies: list[Currency] = field(default_factory=list)
    safe_follow: list[str] = field(default_factory=list)
    currency_rule: str = "ko.currency"
    prefix_rule: str = "ko.currency_prefix"
    qualifiers: list[dict[str, Any]] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)
    negated_min: list[str] = field(default_factory=list)  # 이상: a floor a negation caps
    negated_max: list[str] = field(default_factory=list)  # 이하: a ceiling a negation floors
    negated_particles: list[str] = field(default_factory=list)
    negations: list[str] = field(default_factory=list)  # 수 없, 지 않: the verb negated
    negated_verb_chars: int = 6
    negated_not_followed: list[str] = field(default_factory=list)  # 으면, 는 : a condition
    # a bound in a condition of a negated main clause: `3억원 미만인 경우 지원할 수 없다`
    condition_min: list[str] = field(default_factory=list)  # 이상, 초과: becomes max
    condition_max: list[str] = field(default_factory=list)  # 이하, 미만: becomes min
    conditions: list[str] = field(default_factory=list)  # 이면, 인 경우, 일 때
    condition_words: int = 2  # words between the condition and the negated verb, at most
    # the negated verb of a condition's main clause must be one of receiving or spending
    condition_verbs: list[str] = field(default_factory=list)  # 지원, 받, 신청, 투자
    condition_paying: list[str] = field(default_factory=list)  # 세금, 납부: a payment, kept
    double_negatives: list[str] = field(default_factory=list)  # 제외되지 않: never turns
    # after a negation, a clause named by 것 still negates (`지급하지 않는 것이 원칙이다`)
    negated_nominal: list[str] = field(default_factory=list)  # 는 것이, 하는 게
    # `까지` before a realised change verb is the level reached, no ceiling: `120억원까지 늘었다`
    level_after: list[str] = field(default_factory=list)  # 까지
    level_verbs: list[str] = field(default_factory=list)  # 늘었, 불어났: past forms
    level_forms: list[str] = field(default_factory=list)  # 불어난, 올라: unless followed by
    level_not_followed: list[str] = field(default_factory=list)  # 다 (늘어난다), 날, 갈
    level_verbs_not_followed: list[str] = field(default_factory=list)  # 으면 (늘었으면 한다)
    level_verbs_followed_ok: list[str] = field(default_factory=list)  # 으면서 (늘었으면서도)
    range_rule: str = "ko.range"
    range_separators: list[str] = field(default_factory=list)
    between_middle: list[str] = field(default_factory=list)
    between_closing: list[str] = field(default_factory=list)
    change_rule: str = "ko.change"
    change_arrows: list[str] = field(default_factory=list)
    change_max_ratio: int = 10
    change_bare_units: list[str] = field(default_factory=list)
    change_context_currency: str = "KRW"
    vague_rule: str = "ko.vague"
    vague_prefixes: list[str] = field(default_factory=list)
    vague_suffix: list[str] = field(default_factory=list)
    vague_idioms: list[str] = field(default_factory=list)
    vague_idiom_currency: str = "KRW"
    bare_rule: str = "ko.bare_big_unit"
    bare_currency: str = "KRW"
    bare_units: list[str] = field(default_factory=list)
    counters: list[str] = field(default_factory=list)
    preceding_blockers: list[str] = field(default_factory=list)
    attached_blockers: list[str] = field(default_factory=list)
    article_markers: list[str] = field(default_factory=list)
    counter_particles: list[str] = field(default_factory=list)
    # `제` of `제750조`: no amount starts right after it (rules/ko/ordinals.toml)
    ordinal_before: list[str] = field(default_factory=list)
    # `법 3조 1억원`: an article cited without 제 after a law's name (rules/ko/ordinals.toml)
    law_words: list[str] = field(default_factory=list)
    law_endings: list[str] = field(default_factory=list)
    # the clause after `법 3조 …`: what makes it an article or one amount (regexes)
    law_article_cues: list[str] = field(default_factory=list)
    law_amount_cues: list[str] = field(default_factory=list)
    unit_only_min_spaced: int = 10**8
    unit_only_blockers: list[str] = field(default_factory=list)
    unit_only_openers: list[str] = field(default_factory=list)
    weight_before: list[str] = field(default_factory=list)
    formal_before: list[str] = field(default_factory=list)
    formal_after: list[str] = field(default_factory=list)
    weight_units: list[str] = field(default_factory=list)

    def currency_of_suffix(self, surface: str) -> Currency | None:
        key = _squash(surface)
        for cur in self.currencies:
            if key in {_squash(s) for s in cur.suffix}:
                return cur
        return None

    def currency_of_prefix(self, surface: str) -> Currency | None:
        key = _squash(surface)
        for cur in self.currencies:
            if key in {_squash(s) for s in cur.prefix + cur.prefix_with_suffix}:
                return cur
        return None


def _squash(s: str) -> str:
    return "".join(s.split())


def _str_list(table: dict[str, Any], key: str) -> list[str]:
    return [str(x) for x in table.get(key, [])]


def _load(files: tuple[str, ...]) -> Grammar:
    g = Grammar()
    for data in load_kind("number", "ko") + load_kind("money", "ko"):
        g.digits.update(data.get("digits", {}))
        g.zero += _str_list(data.get("zero", {}), "forms")
        g.small.update(data.get("small_units", {}))
        g.big.update(data.get("big_units", {}))
        g.word_units += _str_list(data.get("word_units", {}), "units")
        g.points += _str_list(data.get("decimal", {}), "points")
        g.approx_markers += _str_list(data.get("approx_marker", {}), "forms")
        g.minus += _str_list(data.get("minus", {}), "forms")
        g.fraction_infix = data.get("fraction", {}).get("infix", g.fraction_infix)
        g.native_units.update(data.get("native_units", {}))
        g.native_tens.update(data.get("native_tens", {}))
        for c in data.get("currency", []):
            sub = c.get("subunit", {})
            g.currencies.append(
                Currency(
                    iso=c["iso"],
                    suffix=tuple(c.get("suffix", [])),
                    prefix=tuple(c.get("prefix", [])),
                    prefix_with_suffix=tuple(c.get("prefix_with_suffix", [])),
                    subunits=tuple(sub.get("forms", [])),
                    subunit_factor=Decimal(str(sub.get("factor", "0.01"))),
                    hangul_single_digit=c.get("hangul_single_digit", True),
                    verify_when_followed=c.get("verify_when_followed", False),
                    weight_unit=c.get("weight_unit", False),
                )
            )
        if "ordinal" in data:
            g.ordinal_before += _str_list(data["ordinal"], "before")
            g.article_markers += _str_list(data["ordinal"], "after")
            g.law_words += _str_list(data["ordinal"], "law_words")
            g.law_endings += _str_list(data["ordinal"], "law_endings")
            g.law_article_cues += _str_list(data["ordinal"], "law_article_cues")
            g.law_amount_cues += _str_list(data["ordinal"], "law_amount_cues")
        if "unit_only" in data:
            u = data["unit_only"]
            g.unit_only_blockers += _str_list(u, "preceding_blockers")
            g.unit_only_openers += _str_list(u, "preceding_openers")
            if "min_spaced_unit" in u:
                g.unit_only_min_spaced = g.big.get(u["min_spaced_unit"], g.unit_only_min_spaced)
        if "formal" in data:
            g.formal_before += _str_list(data["formal"], "before")
            g.formal_after += _str_list(data["formal"], "after")
        if "weight" in data:
            g.weight_before += _str_list(data["weight"], "before")
            g.weight_units += _str_list(data["weight"], "units")
        if "follow" in data:
            g.safe_follow += _str_list(data["follow"], "safe")
        if "rule" in data:
            g.currency_rule = data["rule"].get("id", g.currency_rule)
            g.prefix_rule = data["rule"].get("prefix_id", g.prefix_rule)
        g.qualifiers += data.get("qualifier", [])
        g.bridges += _str_list(data.get("bridge", {}), "words")
        if "negated_bound" in data:
            n = data["negated_bound"]
            g.negated_min += _str_list(n, "min_words")
            g.negated_max += _str_list(n, "max_words")
            g.negated_particles += _str_list(n, "particles")
            g.negations += _str_list(n, "negations")
            g.negated_verb_chars = int(n.get("verb_chars", g.negated_verb_chars))
            g.negated_not_followed += _str_list(n, "not_followed_by")
            g.condition_min += _str_list(n, "condition_min_words")
            g.condition_max += _str_list(n, "condition_max_words")
            g.conditions += _str_list(n, "conditions")
            g.condition_words = int(n.get("condition_words", g.condition_words))
            g.condition_verbs += _str_list(n, "condition_verbs")
            g.condition_paying += _str_list(n, "condition_paying")
            g.double_negatives += _str_list(n, "double_negatives")
            g.negated_nominal += _str_list(n, "nominal")
        if "level" in data:
            lv = data["level"]
            g.level_after += _str_list(lv, "after")
            g.level_verbs += _str_list(lv, "verbs")
            g.level_forms += _str_list(lv, "forms")
            g.level_not_followed += _str_list(lv, "not_followed_by")
            g.level_verbs_not_followed += _str_list(lv, "verbs_not_followed_by")
            g.level_verbs_followed_ok += _str_list(lv, "verbs_followed_by_ok")
        if "range" in data:
            r = data["range"]
            g.range_rule = r.get("id", g.range_rule)
            g.range_separators += _str_list(r, "separators")
            g.between_middle += _str_list(r.get("between", {}), "middle")
            g.between_closing += _str_list(r.get("between", {}), "closing")
        if "change" in data:
            c = data["change"]
            g.change_rule = c.get("id", g.change_rule)
            g.change_arrows += _str_list(c, "arrows")
            g.change_max_ratio = int(c.get("max_ratio", g.change_max_ratio))
            g.change_bare_units += _str_list(c, "bare_units")
            g.change_context_currency = c.get("context_currency", g.change_context_currency)
        if "vague" in data:
            v = data["vague"]
            g.vague_rule = v.get("id", g.vague_rule)
            g.vague_prefixes += _str_list(v, "prefixes")
            g.vague_suffix += _str_list(v, "suffix")
            g.vague_idioms += _str_list(v, "idioms")
            g.vague_idiom_currency = v.get("idiom_currency", g.vague_idiom_currency)
        if "bare" in data:
            b = data["bare"]
            g.bare_rule = b.get("id", g.bare_rule)
            g.bare_currency = b.get("currency", g.bare_currency)
            g.bare_units += _str_list(b, "units")
            g.counters += _str_list(b, "counters") + _str_list(b, "other_currencies")
            g.preceding_blockers += _str_list(b, "preceding_blockers")
            g.attached_blockers += _str_list(b, "attached_blockers")
            g.article_markers += _str_list(b, "article_markers")
            g.counter_particles += _str_list(b, "counter_particles")
    if not g.digits or not g.big:
        raise ValueError("rules/ko: no [digits]/[big_units] tables found (numerals.toml missing?)")
    return g


_KEY: tuple[str, ...] | None = None


def _files_key() -> tuple[str, ...]:
    """The rule files read, fixed at first use (call `reload()` after editing rules)."""
    global _KEY
    if _KEY is None:
        paths = rule_files("number", "ko") + rule_files("money", "ko")
        _KEY = tuple(f"{p}:{p.stat().st_mtime_ns}" for p in paths)
    return _KEY


def reload() -> None:
    """Forget the cached grammar and patterns so edited rule files are read again."""
    global _KEY
    _KEY = None


def grammar() -> Grammar:
    """The merged Korean grammar, read once from rules/ (see `reload`)."""
    return _grammar_cached(_files_key())


@lru_cache(maxsize=4)
def _grammar_cached(key: tuple[str, ...]) -> Grammar:
    return _load(key)


def alt(words: list[str] | tuple[str, ...], flexible_space: bool = True) -> str:
    """A regex alternation of literal words, longest first; a space in a word
    matches an optional space (`캐나다 달러` = `캐나다달러`)."""
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    parts = []
    for w in uniq:
        pieces = [regex.escape(p) for p in w.split(" ")]
        parts.append(("[ ]?" if flexible_space else " ").join(pieces))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class Pieces:
    """Regex sources for the parts of an amount (no capturing groups)."""

    small: str  # a small group: 1천246, 2백30, 삼천, 27,350,000, 일점이삼
    big_amount: str  # groups with big units in decreasing order: 3조9497억, 387억 4000만
    amount: str  # big_amount with an optional trailing small group, or a small group
    coef: str
    currency_suffix: str
    currency_prefix: str
    prefix_with_suffix: str
    subunits: str
    hangul_digit_class: str


@lru_cache(maxsize=4)
def _pieces_cached(key: tuple[str, ...]) -> Pieces:
    g = _grammar_cached(key)
    sd = "".join(g.digits)
    su = "".join(g.small)
    zero = "".join(z for z in g.zero if len(z) == 1)
    yeo = alt(g.approx_markers) + "?"
    coef = rf"(?:{NUM}|[{sd}])"
    term = rf"{coef}?[{su}]"
    hdec = rf"(?:{alt(g.points)}[{sd}{zero}]+)"
    # `5 천만원`, `350 백만원`: digits spaced from a small unit are its coefficient
    spaced = rf"{NUM}[ ][{su}]"
    small = rf"(?:(?:{spaced}|{term})(?:[ ]?{term})*(?:[ ]?{coef})?{hdec}?|{NUM}|[{sd}]{hdec}?)"
    units = sorted(g.big, key=lambda u: -g.big[u])

    suffixes = [s for c in g.currencies for s in c.suffix]
    # A big unit that is also a common syllable (경기, 경주, 가평 8경) is a unit only
    # where no other Hangul is glued to it, or a currency word or 여 follows.
    word_guard = rf"(?!\p{{Hangul}})|(?={yeo[:-1]}|{alt(suffixes)}|{alt(list(g.big))})"

    def group(unit: str, first: bool) -> str:
        head = rf"(?:{small}{yeo}[ ]?)?" if first else rf"{small}{yeo}[ ]?"
        guard = rf"(?:{word_guard})" if unit in g.word_units else ""
        return rf"{head}{regex.escape(unit)}{guard}{yeo}"

    alternatives = []
    for i, unit in enumerate(units):
        rest = "".join(rf"(?:[ ]?{group(u, False)})?" for u in units[i + 1 :])
        alternatives.append(group(unit, True) + rest)
    big_amount = "(?:" + "|".join(alternatives) + ")"
    # After the last big unit a lone Hangul digit is a particle, not a number
    # (₩386억이다, 일억이 들었다): the tail must be digits or carry a small unit.
    tail = rf"(?:{term}(?:[ ]?{term})*(?:[ ]?{coef})?{hdec}?|{NUM})"
    amount = rf"(?:{big_amount}(?:[ ]?{tail})?|{small})"
    prefixes = [p for c in g.currencies for p in c.prefix]
    pws = [p for c in g.currencies for p in c.prefix_with_suffix]
    subs = [s for c in g.currencies for s in c.subunits]
    return Pieces(
        small=small,
        big_amount=big_amount,
        amount=amount,
        coef=coef,
        currency_suffix=alt(suffixes),
        currency_prefix=alt(prefixes),
        prefix_with_suffix=alt(pws),
        subunits=alt(subs),
        hangul_digit_class=f"[{sd}]",
    )


def pieces() -> Pieces:
    return _pieces_cached(_files_key())


# ---------------------------------------------------------------- values


def clean(value: Decimal) -> Decimal:
    """An exact value without a spurious exponent or trailing zeros (1.5E+12 -> 1500000000000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


_DIGIT_RUN = regex.compile(NUM)


def _small_value(s: str, g: Grammar) -> Decimal:
    """Value of a small group: 1천246, 2백30, 삼천, 이십구점구구, 1.5, 천."""
    if not s:
        raise ValueError("empty number")
    for point in g.points:
        if point in s:
            whole, _, frac = s.partition(point)
            digits = []
            for ch in frac:
                if ch in g.digits:
                    digits.append(str(g.digits[ch]))
                elif ch in g.zero or ch == "0":
                    digits.append("0")
                elif ch.isdigit():
                    digits.append(ch)
                else:
                    raise ValueError(f"bad decimal digits {frac!r}")
            if not digits:
                raise ValueError(f"no digits after the decimal point in {s!r}")
            base = _small_value(whole, g) if whole else Decimal(0)
            return base + Decimal("0." + "".join(digits))
    total = Decimal(0)
    coef: Decimal | None = None
    last_unit = None
    i = 0
    while i < len(s):
        ch = s[i]
        m = _DIGIT_RUN.match(s, i)
        if m:
            if coef is not None:
                raise ValueError(f"two coefficients in a row in {s!r}")
            coef = Decimal(m.group().replace(",", ""))
            i = m.end()
            continue
        if ch in g.digits:
            if coef is not None:
                raise ValueError(f"two coefficients in a row in {s!r}")
            coef = Decimal(g.digits[ch])
        elif ch in g.small:
            unit = g.small[ch]
            if last_unit is not None and unit >= last_unit:
                raise ValueError(f"small units out of order in {s!r}")
            total += (coef if coef is not None else 1) * unit
            coef, last_unit = None, unit
        else:
            raise ValueError(f"not a number: {s!r}")
        i += 1
    if coef is not None:
        total += coef
    return total


def _native_value(s: str, g: Grammar) -> Decimal | None:
    for ten, tv in sorted(g.native_tens.items(), key=lambda kv: -len(kv[0])):
        if s.startswith(ten):
            rest = s[len(ten) :]
            if not rest:
                return Decimal(tv)
            if rest in g.native_units:
                return Decimal(tv + g.native_units[rest])
            if rest in g.digits:  # 십하나-style mixes are handled by Sino-Korean below
                return None
            return None
    if s in g.native_units:
        return Decimal(g.native_units[s])
    return None


def parse_number(text: str) -> Decimal:
    """The exact value of a Korean number expression.

    `3조9497억` -> 3949700000000, `1천246억` -> 124600000000, `이천칠백삼십오만`
    -> 27350000, `2,107억`, `1.5조`, `일점이삼` -> 1.23, `36억여` -> 3600000000
    (the "a little over" marker changes no value), `사분의삼` -> 0.75.
    Raises ValueError when `text` is not a number.
    """
    try:
        with localcontext(EXACT):
            return _parse_number(text)
    except ArithmeticError as exc:  # would round (1/3): no exact reading
        raise ValueError(f"no exact value for {text!r}") from exc


def _parse_number(text: str) -> Decimal:
    g = grammar()
    s = text.strip()
    if not s:
        raise ValueError("empty number")
    for minus in sorted(g.minus, key=len, reverse=True):
        if s.startswith(minus) and len(s) > len(minus):
            return clean(-_parse_number(s[len(minus) :]))
    s = _squash(s)
    if "/" in s:
        num, _, den = s.partition("/")
        return clean(_parse_number(num) / _parse_number(den))
    if g.fraction_infix in s:
        den, _, num = s.partition(g.fraction_infix)
        return clean(_parse_number(num) / _parse_number(den))
    if s in g.zero:
        return Decimal(0)
    native = _native_value(s, g)
    if native is not None:
        return native
    if s[0] in g.small and len(s) > 1:
        # 십하나 (Sino ten + native one) appears in Duckling's corpus.
        rest = s[1:]
        if rest in g.native_units and rest not in g.digits:
            return Decimal(g.small[s[0]] + g.native_units[rest])
    for marker in g.approx_markers:
        s = s.replace(marker, "")
    total = Decimal(0)
    chunk = ""
    last_big = None
    seen_group = False
    for ch in s:
        if ch in g.big:
            unit = g.big[ch]
            if last_big is not None and unit >= last_big:
                raise ValueError(f"big units out of order in {text!r}")
            if not chunk and seen_group:
                raise ValueError(f"big unit without a coefficient inside {text!r}")
            total += (_small_value(chunk, g) if chunk else Decimal(1)) * unit
            chunk, last_big, seen_group = "", unit, True
        else:
            chunk += ch
    if chunk:
        total += _small_value(chunk, g)
    elif not seen_group:
        raise ValueError(f"not a number: {text!r}")
    return clean(total)


def unit_multiplier(amount_text: str) -> Decimal:
    """The multiplier a range's high end lends a bare low end: `50억` -> 10^8,
    `3천만` -> 10^7, `30000` -> 1. It is the product of the units written right
    after the high end's leading coefficient."""
    g = grammar()
    s = _squash(amount_text)
    m = regex.match(rf"(?:{NUM}|[{''.join(g.digits)}])", s)
    if not m:
        return Decimal(1)
    mult = Decimal(1)
    for ch in s[m.end() :]:
        if ch in g.small:
            mult *= g.small[ch]
        elif ch in g.big:
            mult *= g.big[ch]
        elif ch in g.approx_markers:
            continue
        else:
            break
    return mult
