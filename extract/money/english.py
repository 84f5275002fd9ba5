"""English money extractor: `3.9497 trillion won`, `$1.1bn`, `KRW 7 billion`, `₩386 billion`,
`between 2 and 3 billion won`, `about $14 million`, `tens of billions of won` ...

How it reads a text (all patterns come from rules/en/*.toml, see en_rules.py):
1. find every number over the characters: digits with an optional scale ("1.2bn",
   "4 trillion and 600 billion") or a spelled-out number ("one million");
2. attach a currency written just before (prefix: $, US$, KRW, ₩, W) or just after
   (suffix: won, KRW, dollars, €) the number, with the guards of the rule data
   ("won" needs a number before it and is a verb in "2018 won the title");
3. fold a minor unit into a whole amount ("20 dollars 43 cents");
4. join two amounts into one range when the rules say they form one expression;
5. read qualifiers around each mention (about -> approx, up to -> max, over -> min);
6. add vague amounts ("billions of dollars") with no value.
A number with no currency is never money.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal

import regex

from ..models import MoneyMention, Token
from .en_numbers import parse_number
from .en_rules import EnglishRules, Form, english_rules, norm
from .exact import MAX_DIGITS, MAX_VALUE
from .subunits import find_subunits

__all__ = ["find_money", "parse_number", "supported_currencies"]

_WINDOW = 32  # how far before a number a prefix currency or qualifier may start


@dataclass
class _Num:
    start: int
    end: int
    base: Decimal  # value without scale
    factor: Decimal  # scale (x multiplier of a scaled code)
    has_digits: bool
    scaled: bool  # a scale word/abbreviation was written
    plain: bool  # whole number, no scale: may take a minor unit ("$20 43c")
    year_like: bool
    article: bool  # "a"/"an" standing for 1 ("a dollar")
    prefix: tuple[int, Form, str] | None = None  # (start, form, space)
    suffix: tuple[int, Form, str] | None = None  # (end, form, space)
    minor: Decimal = Decimal(0)
    end_all: int = 0  # end including the suffix and minor unit
    code: str = ""
    abbr: str = ""  # the attached scale abbreviation written ("bn", "tr"), lower-case
    refused: str = ""  # why no value is reported (the mention is then vague): see _refusal

    @property
    def value(self) -> Decimal:
        return self.base * self.factor + self.minor

    @property
    def mstart(self) -> int:
        return self.prefix[0] if self.prefix else self.start

    @property
    def mend(self) -> int:
        return self.end_all or (self.suffix[0] if self.suffix else self.end)


# (compiled once: regex's own pattern cache costs more than the match)
_DIGIT_SEPS = regex.compile(r"[, \u00a0]")
_HYPHEN_NEXT = regex.compile(r"[ \u00a0]?-")
# A misspelt scale word after the digits (`millon`, `bilion`, `trillon`): the digits alone
# would be a wrong number.
_SCALE_TYPO = regex.compile(r"[ \u00a0]?(?:m|b|tr)i*l+i*(?:o+n+|n)s?(?!\p{L})", regex.IGNORECASE)
# Letters glued to the digits that are no scale and no currency (`$20s`, `Rs 25X`).
_GLUED_LETTER = regex.compile(r"[A-Za-z]")
# A one-letter scale after a space (`$5 M`, `$1.2 MM`, `£3 m`, `$5 B`, `$2 K`, `Rs 3 L`):
# not read as a scale (a letter after a space may be anything), but the digits alone
# would be a wrong number; refused, as a misspelt scale is.
_SPACED_SCALE_LETTER = regex.compile(
    r"[ \u00a0](?:MM|[MBKLmbk])(?![\p{L}\d\p{Sc}'\u2019]|\.\p{L})"  # not `42 L.E`, `500 k€`
)
# A letter glued after a currency sign (a Hangul particle aside): `£k`, `$m`, `€bn`
_LETTER_NEXT = regex.compile(r"(?!\p{Hangul})\p{L}")
_NEXT_WORD = regex.compile(r"[ \u00a0]*([\p{L}]+)")
_DOT_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3})+")
# two or more dot groups, maybe comma decimals (`1.500.000`, `2.750.000,50`): European
_EURO_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d{1,2})?")
# the euro and the rupiah (Indonesia writes `Rp 2.500` for 2,500; tester22 A11)
_EURO_BEFORE = regex.compile(r"(?:€|EUR|Rp\.?|IDR)[ \u00a0]?\Z")
_EURO_SIGNAL = regex.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?:,\d{1,2})?(?![\d.,]\d)")


def _euro_before(text: str, pos: int) -> bool:
    """Whether a euro (or rupiah) sign or code stands right before the number at `pos`."""
    return _EURO_BEFORE.search(text, max(0, pos - 5), pos) is not None


# money or a percent at a European number (fix12b, tester25 m25: an IP address
# `10.100.200.300` or a version made a document European): a currency sign or code right
# before it, a currency word, sign or code, or a percent right after it
_SIGNAL_MONEY_BEFORE = regex.compile(r"(?:\p{Sc}|(?<![A-Za-z])(?:[A-Z]{3}|Rp\.?))[ \u00a0]?\Z")
_SIGNAL_MONEY_AFTER = regex.compile(
    r"[ \u00a0]?(?:\p{Sc}|%|(?i:per[ ]?cent|euros?|dollars?|pounds?|francs?|kronor|kroner"
    r"|kronur|zlot(?:y|ys|ych)|forint|lei|rupiah|won|yen)(?!\p{L})|[A-Z]{3}(?![A-Za-z]))"
)


def _european_text(text: str) -> bool:
    """Whether the text writes an amount in European notation somewhere (`€1.500.000`,
    `1.500.000 euros`, `2.500.000 %`): then a single dot group before a scale (`€2.500
    million`) may be thousands. Dot groups with no money or percent at them (an IP
    address, a version, a code) say nothing of the notation."""
    if "." not in text:
        return False
    for m in _EURO_SIGNAL.finditer(text):
        if _SIGNAL_MONEY_BEFORE.search(text, max(0, m.start() - 5), m.start()):
            return True
        if _SIGNAL_MONEY_AFTER.match(text, m.end()):
            return True
    return False


_DOT_ZERO_END = regex.compile(r"[1-9]\d{0,2}\.000")
_COMMA_GROUPED = regex.compile(r"\d{1,3}(?:,\d{3})+")
# a vulgar fraction, the fraction slash or a superscript digit right after the digits
_FRACTION_NEXT = regex.compile(
    r"[\u00bc-\u00be\u2150-\u215e\u2044\u00b9\u00b2\u00b3\u2070\u2074-\u2079]"
)


# superscript digits (a footnote mark): `$2.1 billion²`, `$4 million¹²`
_SUPERSCRIPT_DIGITS = regex.compile(
    r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+(?![\d\u00bc-\u00be\u2150-\u215e\u2044])"
)


def _footnote_after_scale(text: str, m: regex.Match) -> bool:
    """A superscript digit right after a scale word is a footnote mark, not a fraction
    (since 2026-11-30): `$2.1 billion²` is $2.1 billion; `$2¹ million` (after the digits)
    and `$2.1²` (no scale) stay refused."""
    return bool(m.group("sw") or m.group("sa")) and bool(_SUPERSCRIPT_DIGITS.match(text, m.end()))


def supported_currencies() -> set[str]:
    """ISO 4217 codes the English rules know."""
    return set(english_rules().currencies)


def find_money(text: str, tokens: Sequence[Token] | None = None) -> list[MoneyMention]:
    """Every English-style money expression in `text` (offsets relative to `text`).

    `tokens` is accepted for interface symmetry and ignored: matching is over characters
    because `1.2bn` is one spaCy token.
    """
    rules = english_rules()
    if not rules.numbers.triggered(text):
        return []
    written, text = text, _decimal_commas(text)
    nums = _numbers(text, rules)
    _attach_currencies(text, nums, rules)
    _fold_minor_units(text, nums, rules)
    found = _combine(text, nums, rules)
    if rules.ratio_after is not None:
        found = _drop_ratios(text, found, rules)
    found += _vague(text, rules, found)
    # `264.5p`, `25 cents` standing alone (rules/en/subunits.toml)
    found += find_subunits(
        text, found, lambda t, a, b, v, code, rule: _mention(t, a, b, v, None, code, rules, rule)
    )
    if written is not text:  # `€4,5 billion` read as `€4.5 billion`; `text` as written
        found = [replace(m, text=written[m.start : m.end]) for m in found]
    return sorted(found, key=lambda m: (m.start, m.end))


# A decimal comma before a scale word (`€4,5 billion`, `EUR 2,75 mln`): one or two digits
# after the comma, nothing numeric around
_DECIMAL_COMMA = regex.compile(
    r"(?<![\d.,])\d{1,3}(?P<comma>,)\d{1,2}(?![\d.,]\d)"
    r"(?=[ \u00a0]?(?i:million|billion|trillion|mln|bln|mn|bn|m)(?!\p{L}))"
)
# ... read as a decimal point only where the amount is in euros or the sentence writes
# European notation elsewhere: `€1.500.000`, `2,5 %`, `2,5 per cent`
_EURO_AFTER = regex.compile(r"[ \u00a0]?\p{L}+[ \u00a0]?(?:(?i:euros?)|EUR)\b")
_DECIMAL_COMMA_RATE = regex.compile(r"(?<![\d.,])\d{1,3},\d{1,2}[ \u00a0]?(?:%|per[ ]?cent)")


# Set by the pipeline for a document that writes European numbers somewhere (`2,5 %`,
# `€1.500.000`): a decimal comma in any of its sentences is then read (`european_document`)
EUROPEAN_DOCUMENT: ContextVar[bool] = ContextVar("EUROPEAN_DOCUMENT", default=False)


def european_document(text: str) -> bool:
    """Whether a document writes European notation somewhere: two dot groups
    (`€1.500.000`) or a decimal comma before a percent sign (`2,5 %`)."""
    # no comma needed for the dots: a single dot group before a scale is flagged in such a
    # document too (`$2.500 million` beside `€1.500.000`; fix12b, tester25 m41)
    return _european_text(text) or ("," in text and _DECIMAL_COMMA_RATE.search(text) is not None)


def _decimal_commas(text: str) -> str:
    """`text` with each decimal comma it is sure of turned into a point (same length, so
    offsets hold): `€4,5 billion` is 4.5 billion in euros or in a sentence that writes
    European numbers elsewhere (`€1.500.000`, `2,5 %`); `$4,5 billion` alone stays
    refused (4.5 or 45?), since 2026-12-01 (money12)."""
    if "," not in text:
        return text
    hits = list(_DECIMAL_COMMA.finditer(text))
    if not hits:
        return text
    european = (
        EUROPEAN_DOCUMENT.get()
        or _european_text(text)
        or _DECIMAL_COMMA_RATE.search(text) is not None
    )
    out = text
    for m in hits:
        euro = _euro_before(text, m.start()) or _EURO_AFTER.match(text, m.end())
        if euro or european:
            at = m.start("comma")
            out = out[:at] + "." + out[at + 1 :]
    return out


# ---------------------------------------------------------------- numbers


def _numbers(text: str, rules: EnglishRules) -> list[_Num]:
    g = rules.numbers
    out: list[_Num] = []
    pos = 0
    while True:
        m = g.number.search(text, pos)
        if not m:
            return out
        pos = m.end()
        if m.group("w"):
            words = m.group("w")
            if words.lower() in g.articles:
                num = _Num(
                    m.start(), m.end(), Decimal(1), Decimal(1), False, False, True, False, True
                )
            else:
                try:
                    value = parse_number(words)
                except ValueError:
                    continue
                scaled = any(w in g.scales and w != "hundred" for w in words.lower().split())
                num = _Num(
                    m.start(),
                    m.end(),
                    value,
                    Decimal(1),
                    False,
                    scaled,
                    value == value.to_integral_value() and not scaled,
                    False,
                    False,
                )
            out.append(num)
            continue
        digits = m.group("d")
        european = _EURO_GROUPS.fullmatch(digits)
        if european:  # `1.500.000,50`: dots group thousands, a comma marks decimals
            plain_digits = digits.replace(".", "").replace(",", ".")
        else:
            plain_digits = _DIGIT_SEPS.sub("", digits)
        if len(plain_digits.replace(".", "")) > MAX_DIGITS:
            # Longer than any real amount: refused, never rounded (it may still be money:
            # a currency next to it makes a vague mention saying so).
            num = _Num(m.start(), m.end(), Decimal(0), Decimal(1), True, False, False, False, False)
            num.refused = "too_long"
            out.append(num)
            continue
        base = Decimal(plain_digits)
        factor = _scale_value(m, g)
        num = _Num(
            m.start(),
            m.end(),
            base,
            factor,
            True,
            factor != 1,
            factor == 1 and "." not in digits,
            False,
            False,
        )
        num.abbr = (m.group("sa") or "").lower()
        if factor == 1 and _DOT_GROUPS.fullmatch(digits) and not european:
            num.refused = "dot_group"  # `€250.000`: a thousands dot or three decimals?
            num.plain = False
        elif (
            factor != 1
            and _DOT_GROUPS.fullmatch(digits)
            and (_euro_before(text, m.start()) or _european_text(text) or EUROPEAN_DOCUMENT.get())
        ):
            # `€2.500 million` (euros, or where the text or document also writes
            # `€1.500.000`, `2,5 %`; the document since fix12b, tester25 m41): a European
            # writer's 2,500 million or 2.5 million? Flagged, never guessed
            num.refused = "dot_group"
            num.plain = False
        elif factor != 1 and _DOT_ZERO_END.fullmatch(digits):
            # `5.000 billion won`, `€2.000 million`: three zeros no fraction needs; a
            # thousands dot (5,000 billion) or a fixed precision (5)? (`$1.250 billion`,
            # the bond-market style, stays a decimal)
            num.refused = "dot_group"
            num.plain = False
        if factor == 1 and _SCALE_TYPO.match(text, m.end()):
            num.refused = "scale_typo"  # `$12.5 millon`: never read as $12.50
            num.plain = False
        elif factor == 1 and _SPACED_SCALE_LETTER.match(text, m.end()):
            num.refused = "spaced_scale"  # `$5 M`: never read as $5
            num.plain = False
        elif _GLUED_LETTER.match(text, m.end()) and not (
            rules.suffix_starts.may_match(text, m.end()) and rules.suffix.match(text, m.end())
        ):
            num.refused = "glued_letters"  # `$20s`, `$100s of millions`, `Rs 25X`
            num.plain = False
        if _double_scale(m, g) or (m.group("sa") and g.scale_part.match(text, m.end())):
            # `$5 million mln`, `Rs 3.2k crore`: no product, never $5 million or Rs 3,200
            num.refused = "double_scale"
            num.plain = False
        if _FRACTION_NEXT.match(text, m.end()) and not _footnote_after_scale(text, m):
            num.refused = "fraction"  # `$1½ million`, `$2¹ million`: never read as $1, $2
            num.plain = False
        if any(ch in digits for ch in " \u00a0"):
            num.refused = _space_groups(text, m, digits, factor)
            num.plain = False
        num.year_like = (
            factor == 1 and len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100
        )
        if factor != 1 and not _after_between(text, num.start, rules):
            _extend_compound(text, num, rules)
            pos = num.end
        out.append(num)


def _space_groups(text: str, m, digits: str, factor: Decimal) -> str:
    """ "" when `15 300 million` / `2 750 000` may be read with spaces as thousands
    separators; else why not. Two or more groups (2 750 000) are unambiguous; one
    group (15 300) only with a scale word or a currency word right after it, since
    `$15 300 times` may be two numbers, or when the group starts with a zero
    (`EUR 500 000`, `€1 050`): no count is written `000` or `050`."""
    if digits.count(" ") + digits.count("\u00a0") >= 2 or factor != 1:
        return ""
    if regex.split(r"[ \u00a0]", digits)[-1].startswith("0"):
        return ""
    rest = text[m.end() : m.end() + 24]
    rules = english_rules()
    if (
        rules.suffix_starts.may_match(text, m.end())
        and rules.suffix.match(text, m.end())
        and not _HYPHEN_NEXT.match(rest)
    ):
        return ""
    return "space_groups"


def _double_scale(m, g) -> bool:
    """Whether two scales follow the digits that do not make a product: only a larger
    scale word multiplies (`10 lakh crore`, `1 thousand crore`); an abbreviation or a
    scale no larger than the first (`$5 million mln`, `$5 million bn`, `€3 million mio`)
    repeats or contradicts it and is refused, never multiplied."""
    second = m.groupdict().get("sw2")
    if not second:
        return False
    first = m.group("sw") or ""
    lo, hi = g.scales.get(first.lower()), g.scales.get(second.lower())
    return lo is None or hi is None or hi <= lo


def _scale_value(m, g) -> Decimal:
    word = m.group("sw") or m.group("sa")
    if not word:
        return Decimal(1)
    value = g.scales.get(word.lower()) or g.abbreviations[word.lower()]
    second = m.groupdict().get("sw2")
    if second:
        value *= g.scales.get(second.lower()) or g.abbreviations[second.lower()]
    return value


def _extend_compound(text: str, num: _Num, rules: EnglishRules) -> None:
    """ "4 trillion and 600 billion": later groups with smaller scales add up."""
    g = rules.numbers
    while True:
        m = g.compound_tail.match(text, num.end)
        if not m:
            return
        factor = _scale_value(m, g)
        part = Decimal(m.group("d").replace(",", "")) * factor
        # "4 trillion and 600 billion" yes; "$1.2 trillion and 35 million units" no.
        if factor >= num.factor or part >= num.factor or num.base != int(num.base):
            return
        total = num.base * num.factor + part
        # keep the smallest scale as the factor so a range can still borrow it
        num.base, num.factor = total / factor, factor
        num.end = m.end()


def _after_between(text: str, start: int, rules: EnglishRules) -> bool:
    lo = max(0, start - _WINDOW)
    return any(p.search(text, lo, start) for p in rules.needs_before.values())


# ---------------------------------------------------------------- currencies


def _attach_currencies(text: str, nums: list[_Num], rules: EnglishRules) -> None:
    prev_end = 0
    for i, n in enumerate(nums):
        if rules.percent_after.match(text, n.end):
            prev_end = n.end
            continue
        n.prefix = _prefix(text, n, max(prev_end, n.start - _WINDOW), rules)
        nxt = nums[i + 1].start if i + 1 < len(nums) else len(text)
        n.suffix = _suffix(text, n, nxt, rules)
        prev_end = n.end
    # A form between two numbers belongs to one of them: "10 $ 30 $" / "$ 20.00 $ 37.97".
    for a, b in zip(nums, nums[1:], strict=False):
        if a.suffix and b.prefix and b.prefix[0] < a.suffix[0]:
            if b.suffix or _minor_unit_follows(text, a, b, rules):
                b.prefix = None
            else:
                a.suffix = None
    for n in nums:
        if n.prefix and n.suffix and n.prefix[1].code != n.suffix[1].code:
            if n.prefix[1].kind == "name":
                n.prefix = None  # `Won 3 million dollars`: the word before may be a verb
            else:
                n.suffix = None
        form = (n.prefix or n.suffix or (None, None))[1]
        if form is None:
            continue
        n.code = form.code
        for f in (n.prefix, n.suffix):
            if f and f[1].multiplier != 1:
                n.factor *= f[1].multiplier
                n.scaled, n.plain = True, False
        if n.article and not (n.suffix and not n.prefix and _article_ok(n.suffix[1], rules)):
            n.code = ""
        elif n.article and not _article_next_ok(text, n.mend, rules):
            n.code = ""  # "a dollar estimate": the currency word modifies a noun
        if n.suffix and n.suffix[1].weight and _is_weight(text, n, rules):
            n.code = ""  # "weighing 10,000 pounds", "400,000 pounds of uranium"
        needs = rules.numbers.only_after.get(n.abbr)
        if needs is not None and not (n.prefix and n.prefix[1].text in needs):
            n.code = ""  # `$5tr`: `tr` is trillion only after a won sign
        if n.suffix and n.suffix[1].kind == "code" and not n.scaled:
            m = rules.numbers.scale_part.match(text, n.suffix[0])  # "75 USD million"
            if m and m.group("sw") and m.group(0)[:1].isspace():
                n.factor *= _scale_value(m, rules.numbers)
                n.scaled, n.plain = True, False
                n.end_all = m.end()


def _article_next_ok(text: str, end: int, rules: EnglishRules) -> bool:
    """ "a dollar" is $1 before punctuation, the end, or a word of the allow-list
    (`a dollar a day`, `less than a dollar each`), not before a noun it modifies."""
    after = text[end : end + 40]
    m = _NEXT_WORD.match(after)
    if m is None:
        return True
    rest = " ".join(after.split()).lower()
    if any(rest.startswith(p) for p in rules.article_not_before):
        return False
    return m.group(1).lower() in rules.article_next_ok


def _is_weight(text: str, n: _Num, rules: EnglishRules) -> bool:
    """A currency name that is also a weight unit, used as one: a weight word within
    a few words before (`weighing 10,000 pounds`, `lifted 500 pounds`), `of` after
    (`400,000 pounds of uranium`) or a metric weight restating it in parentheses."""
    if rules.weight_before.search(text, max(0, n.start - _WINDOW), n.start):
        return True
    return bool(rules.weight_after.match(text, n.suffix[0]))


def _article_ok(form: Form, rules: EnglishRules) -> bool:
    return form.kind == "name" and norm(form.text).lower() in rules.article_names


def _form_ok(
    text: str, n: _Num, form: Form, space: str, end: int, rules: EnglishRules | None = None
) -> bool:
    if form.attached and space:
        return False
    if (
        form.needs_scale
        and not n.scaled
        and not (form.grouped_ok and _COMMA_GROUPED.fullmatch(text, n.start, n.end))
        and not (rules is not None and _scaled_range_follows(text, n, rules))
        and not (_price_word_next(text, end, form) and _plausible_price(text, n, form))
    ):
        return False
    if form.words_need_scale and not n.has_digits and not n.scaled:
        return False
    if form.spaced_next is not None and space and not n.scaled:
        word = _NEXT_WORD.match(text, end)
        if word and word.group(1).lower() not in form.spaced_next:
            return False
    if form.spaced_scaled_not_next and space and n.scaled:
        word = _NEXT_WORD.match(text, end)
        if word and word.group(1).lower() in form.spaced_scaled_not_next:
            return False  # `Building W 1.2 million square feet`
    if form.not_followed_by and not n.scaled:
        rest = text[end : end + 40].lstrip().lower()
        word = rest.split(None, 1)[0] if rest else ""
        if word.strip(".,;:!?") in form.not_followed_by:
            return False
    return True


def _price_word_next(text: str, end: int, form: Form) -> bool:
    """Whether a price word (`each`, `apiece`: the form's `unscaled_next`) follows the
    amount: `W 100 each` is a price in won, where `W 50` alone may be a gate or a room."""
    if not form.unscaled_next:
        return False
    word = _NEXT_WORD.match(text, end)
    if not (word and word.group(1).lower() in form.unscaled_next):
        return False
    return _PRICE_WORD_END.match(text, word.end()) is not None  # `W 50 each floor`: no price


def _plausible_price(text: str, n: _Num, form: Form) -> bool:
    """Whether an unscaled amount before a price word (`W 100 each`) may be money: a
    multiple of the form's `unscaled_step` (won: 10), with no place word of
    `unscaled_not_after` nor another compass-letter number (`E 101 and`) in the clause
    before it: `Rooms E 101 and W 102 each`, `Gates E 3 and W 4 each` name rooms and gates."""
    if form.unscaled_step and (
        n.base != n.base.to_integral_value() or int(n.base) % form.unscaled_step
    ):
        return False
    if not form.unscaled_not_after:
        return True
    lo = max(0, n.start - 80)
    before = text[lo : n.start]
    cut = max(before.rfind(c) for c in ".;:\n")
    before = before[cut + 1 :]
    words = {w.lower() for w in regex.findall(r"\p{L}+", before)}
    if words & set(form.unscaled_not_after):
        return False
    # a compass-letter number listed right before the form's own (`E 101 and W 102`)
    return _COMPASS_NUMBER.search(before) is None


_COMPASS_NUMBER = regex.compile(
    r"(?<![\p{L}\d])[NESW][ \u00a0]?\d+[ \u00a0]*(?:,|&|/|and|or|to)[ \u00a0]*\p{L}+[ \u00a0]*\Z"
)


# After a price word: punctuation, the end, or a word that goes on with the clause (not
# the noun `each` would determine: `Building W 50 each floor`)
_PRICE_WORD_END = regex.compile(
    r"[ \u00a0]*(?:[^\w\s]|\Z|(?:and|or|for|to|in|at|on|per|a|an|the|with|from|while|but|"
    r"was|is|were|are|will|would|plus|including)\b)",
    regex.IGNORECASE,
)


def _prefix(text: str, n: _Num, lo: int, rules: EnglishRules):
    if n.article:
        return None
    m = rules.prefix.search(text, lo, n.start)
    if not m:
        return None
    form = rules.lookup(rules.prefix_forms, m.group("cur"))
    if form is None or not _form_ok(text, n, form, m.group("sp"), n.end, rules):
        return None
    if form.after_lowercase and not _LOWER_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        return None  # `Won 3 million votes` heading a sentence or a Title Case headline
    return (m.start(), form, m.group("sp"))


# Right before a prefix form that must stand inside a sentence: a lower-case word or `(`.
# A comma, semicolon or colon may stand between (`will provide, Won 3.5 trillion`): the
# sentence goes on, where a verb `Won` would not be capitalised.
_LOWER_BEFORE = regex.compile(r"(?:(?<![\p{L}])\p{Ll}[\p{L}'’-]*[,;:]?|\()[ \u00a0]*\Z")
# After the low end of a range whose scale is written once: `W1.2-1.5 trillion`.
_RANGE_TO = regex.compile(r"[ \u00a0]?[-–~][ \u00a0]?|[ \u00a0]+to[ \u00a0]+")


def _scaled_range_follows(text: str, n: _Num, rules: EnglishRules) -> bool:
    """Whether the unscaled number `n` is the low end of a range that closes with a
    scale (`W1.2-1.5 trillion`, `W1.2 to 1.5 trillion`): the scale is the range's, so a
    form that needs one (`W`) may take the low end; the range reader reads both ends."""
    gap = _RANGE_TO.match(text, n.end)
    if gap is None:
        return False
    m = rules.numbers.number.match(text, gap.end())
    return bool(m and m.group("d") and (m.group("sw") or m.group("sa")))


def _suffix(text: str, n: _Num, limit: int, rules: EnglishRules):
    if not rules.suffix_starts.may_match(text, n.end):
        return None
    m = rules.suffix.match(text, n.end)
    if not m or m.start("cur") > limit:
        return None
    form = rules.lookup(rules.suffix_forms, m.group("cur"))
    space = m.group("sp")
    if form is None or ("-" in space and form.kind != "name"):
        return None
    if form.kind == "symbol" and _LETTER_NEXT.match(text, m.end()):
        return None  # `2026/27 £k`, `Budget 2026 £m`: a unit heading a column, not `27 £`
    if not _form_ok(text, n, form, space, m.end()):
        return None
    if form.kind == "name" and n.year_like:
        if rules.year_unit_before.search(text, max(0, n.start - _WINDOW), n.start):
            return None  # "in 2020 dollars"
    return (m.end(), form, space)


def _minor_unit_follows(text: str, a: _Num, b: _Num, rules: EnglishRules) -> bool:
    """ "3 GBP 1 pence", "20 ringgit 43": the form belongs to the first number, the
    second is its minor unit."""
    if not a.plain or a.suffix is None or a.suffix[1].code in rules.no_minor:
        return False
    if a.prefix and a.prefix[1].code != a.suffix[1].code:
        return False
    if a.prefix and a.prefix[1].kind == "symbol" and a.suffix[1].kind == "symbol":
        return False  # `$12  $11`, `£12 £11`: a second sign opens the next amount, not cents
    m = rules.minor.match(text, a.suffix[0])
    return bool(m and (m.group("u") or rules.minor_bare_ok.match(text, m.end())))


def _fold_minor_units(text: str, nums: list[_Num], rules: EnglishRules) -> None:
    for i, n in enumerate(nums):
        if not n.code or not n.plain or n.code in rules.no_minor or n.end_all:
            continue
        m = rules.minor.match(text, n.mend)
        if not m:
            continue
        if not m.group("u") and not rules.minor_bare_ok.match(text, m.end()):
            continue
        try:
            cents = parse_number(m.group("n"))
        except ValueError:
            continue
        if cents >= 100:
            continue
        n.minor = cents / 100
        n.end_all = m.end()
        for later in nums[i + 1 :]:
            if later.start < n.end_all:
                later.code, later.prefix, later.suffix = "", None, None
                later.start = -1  # consumed


# ---------------------------------------------------------------- mentions


def _combine(text: str, nums: list[_Num], rules: EnglishRules) -> list[MoneyMention]:
    nums = [n for n in nums if n.start >= 0 and not (n.article and not n.code)]
    out: list[MoneyMention] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            rng = _range(text, a, nums[i + 1], rules)
            if rng:
                out.append(rng)
                i += 2
                continue
        if a.code and not a.refused and _shares_later_scale(text, nums, i):
            out.append(_refusal(text, a, "shared_scale"))
        elif a.code and (a.refused or a.value >= MAX_VALUE):
            out.append(_refusal(text, a, a.refused or "too_large"))
        elif a.code:
            out.append(
                _mention(
                    text, a.mstart, a.mend, a.value, None, a.code, rules, "en." + _rule_name(a)
                )
            )
        i += 1
    return out


# Between the items of a list: `$2.3 and $4.5 billion`, `$1.2, $3.4 and $5 million`.
_LIST_GAP = regex.compile(
    r"[ \t\u00a0]*(?:,[ \t\u00a0]*(?:(?:and|or)[ \t\u00a0]+)?|[ \t\u00a0]+(?:and|or)[ \t\u00a0]+)"
)


def _shares_later_scale(text: str, nums: list[_Num], i: int) -> bool:
    """Whether the unscaled amount `nums[i]` heads a list of amounts in its currency
    that ends in a scaled one (`$2.3 and $4.5 billion`): the scale is meant for every
    item, so `$2.3` alone would be a wrong number; it is flagged, never read as $2.30."""
    a = nums[i]
    if a.factor != 1 or a.minor or not a.has_digits or a.base >= 1000:
        return False  # `Rs 1,800, Rs 1,200 crore`: a grouped amount is whole
    prev = a
    for b in nums[i + 1 :]:
        gap = _LIST_GAP.fullmatch(text, prev.mend, b.mstart)
        if b.code != a.code or b.refused or not gap:
            return False
        if b.factor != 1:
            # the list closes with `and`/`or`; a comma alone may join two clauses
            return "and" in gap.group() or "or" in gap.group()
        prev = b
    return False


def _drop_ratios(text: str, found: list[MoneyMention], rules: EnglishRules) -> list[MoneyMention]:
    """Without the amounts of a return ratio: `$4 for every $1 invested` (both),
    `each dollar of investment returned nearly four dollars`: no money is spent."""
    drop: set[int] = set()
    for i, m in enumerate(found):
        after = rules.ratio_after.match(text, m.end)
        if after:
            drop.add(i)
            drop.update(j for j, o in enumerate(found) if o.start == after.start("unit"))
        elif rules.ratio_before.search(text, max(0, m.start - 2 * _WINDOW), m.start):
            drop.add(i)
    return [m for i, m in enumerate(found) if i not in drop] if drop else found


def _refusal(text: str, n: _Num, why: str) -> MoneyMention:
    """A money expression whose value the grammar will not state: reported vague,
    with the reason in its rule (`en.refused.too_long`), never as a rounded or half
    number."""
    return MoneyMention(
        start=n.mstart,
        end=n.mend,
        text=text[n.mstart : n.mend],
        amount=None,
        currency=n.code,
        vague=True,
        lang="en",
        rule=f"en.refused.{why}",
    )


def _rule_name(n: _Num) -> str:
    if n.prefix and n.suffix:
        return f"{n.prefix[1].kind}-prefix+suffix"
    if n.prefix:
        return f"{n.prefix[1].kind}-prefix"
    return f"{n.suffix[1].kind}-suffix"


def _range(text: str, a: _Num, b: _Num, rules: EnglishRules) -> MoneyMention | None:
    if not (a.code or b.code) or (a.code and b.code and a.code != b.code):
        return None
    if b.article or a.article or a.refused or b.refused:
        return None
    if not a.code and a.year_like:
        return None  # `from $40 million in 2024 to $55 million`: a year, no low end
    gap = text[a.mend : b.mstart]
    for c in rules.connectors:
        if not c.gap.fullmatch(gap):
            continue
        start = a.mstart
        if c.needs:
            m = rules.needs_before[c.needs].search(text, max(0, a.mstart - _WINDOW), a.mstart)
            if not m:
                continue
            start = m.start("w")
        complete = bool(a.code) and (a.scaled or not b.scaled)
        if complete and not c.first_complete:
            continue
        if complete and c.change_after:
            before = (text, max(0, a.mstart - _WINDOW), a.mstart)
            if c.change_after.search(*before) and not (
                c.range_after and c.range_after.search(*before)
            ):
                continue
        if not a.code and c.tight_if_bare and gap != gap.strip():
            continue
        if a.factor == 1 and b.factor == 1 and not a.minor and 1000 <= b.base >= a.base * 100:
            # `$3-6,000`: $3 to $6,000 or $3,000 to $6,000? Neither is said: refused.
            m = _refusal(text, a, "ambiguous_range")
            return replace(
                m, start=start, end=b.mend, text=text[start : b.mend], currency=a.code or b.code
            )
        if b.factor != 1 and a.factor == 1 and a.base < b.base and not a.minor:
            low = a.base * b.factor
        else:
            low = a.value
        high = b.value
        if low >= high:
            continue
        code = a.code or b.code
        return _mention(text, start, b.mend, low, high, code, rules, f"en.range.{c.id}")
    return None


# after a `+`, another amount: `$3 million + $2 million` adds, and so do `+ another $2
# million` and a `+` before a few words (a label) and another amount whose sum follows
# (`$3 million + state funds of $2 million = $5 million`); `$5m+`, `$20 million+ next
# year`, `$20,000,000 + are rare; ...` are floors, and so is a threshold before a verb and
# another amount (`$5 million+ projects will receive $2 million`, fix12, tester25 1.2)
_ADDEND = regex.compile(
    r"[^\S\n]*(?:(?i:another|an[ ]additional|a[ ]further)[^\S\n]+)?"
    r"(?:\p{Sc}|[A-Z]{1,3}\p{Sc}|\d)"
)
# the sum's `=` in the clause after the labelled addend
_SUM_EQUALS = regex.compile(r"[^;\n]*?[=＝]")
_CLAUSE_END = regex.compile(r"[;\n]|[.!?](?=\s|$)")
_WORDS_THEN_AMOUNT = regex.compile(
    r"[^\S\n]*(?:[\p{L}'’-]+[^\S\n]+){1,6}(?:\p{Sc}|[A-Z]{1,3}\p{Sc}"
    r"|\d[\d,.]*[^\S\n]*(?i:million|billion|trillion|bn|m|dollars|euros|pounds|won)\b)"
)


def _labelled_addend(text: str, at: int) -> bool:
    """`+ state funds of $2 million = $5 million`: a few words, an amount, then the sum's
    `=` in the same clause (a sum); without the `=` the `+` stays a floor."""
    m = _WORDS_THEN_AMOUNT.match(text, at)
    if m is None:
        return False
    end = _CLAUSE_END.search(text, m.end())
    return bool(_SUM_EQUALS.match(text[m.end() : end.start() if end else len(text)]))


def _mention(text, start, end, amount, amount_max, code, rules, rule) -> MoneyMention:
    qualifier = ""
    m = rules.qualifier_before.search(text, max(0, start - _WINDOW), start)
    if m:
        qualifier = rules.qualifiers.get(norm(m.group("q")).lower(), "")
        phrase = norm(m.group("q")).lower()
        flips = qualifier == "min" or (qualifier == "max" and phrase in rules.negated_floors)
        if flips and rules.negated_before is not None:
            at = m.start("q")
            neg = rules.negated_before.search(text, max(0, at - 3 * _WINDOW), at)
            if neg and _double_negation(text, neg, rules):
                neg = None  # `No district will not receive at least $100,000`: min
            if neg and not rules.negation_kept.search(neg.group()):
                # `can't receive more than $10 million`: max; `will not be less than $500`: min
                qualifier = "max" if qualifier == "min" else "min"
    else:
        m = rules.qualifier_after.match(text, end)
        if (
            m
            and m.group("q") == "+"
            and (_ADDEND.match(text, m.end()) or _labelled_addend(text, m.end()))
        ):
            m = None  # `$3 million + $2 million`, `+ state funds of $2 million`: a sum
        if m:
            qualifier = rules.qualifiers.get(norm(m.group("q")).lower(), "")
        elif rules.bound_subject is not None:
            m = rules.bound_subject.search(text, max(0, start - 2 * _WINDOW - 20), start)
            if m:
                # `the maximum grant is $5,000`
                qualifier = "max" if m.groupdict().get("max") else "min"
    return MoneyMention(
        start=start,
        end=end,
        text=text[start:end],
        amount=_clean(amount),
        currency=code,
        amount_max=_clean(amount_max) if amount_max is not None else None,
        qualifier=qualifier,
        lang="en",
        rule=rule,
    )


_NEGATION_WORD = regex.compile(r"(?<![\p{L}])(?:not|never|cannot)(?![\p{L}])|n['’]t(?![\p{L}])")


def _double_negation(text: str, neg: regex.Match, rules: EnglishRules) -> bool:
    """Whether a negation before a bound is itself under a negative subject (`No district
    will not receive`), or a negative subject holds a second negation (`no district will
    not receive`): the two cancel and the bound keeps its reading."""
    if rules.double_subject is None:
        return False
    words = neg.group().split()
    first = words[0].lower() if words else ""
    if first not in ("no", "nobody", "none"):
        lo = max(0, neg.start() - 3 * _WINDOW)
        return bool(rules.double_subject.search(text, lo, neg.start()))
    rest = " ".join(words[1:]).lower()
    return bool(_NEGATION_WORD.search(rest))


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def _vague(text: str, rules: EnglishRules, found: list[MoneyMention]) -> list[MoneyMention]:
    out: list[MoneyMention] = []
    for vid, pat in rules.vague:
        for m in pat.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in found + out):
                continue
            form = rules.lookup(rules.suffix_forms, m.group("cur"))
            if form is None:
                continue
            out.append(
                MoneyMention(
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                    amount=None,
                    currency=form.code,
                    vague=True,
                    lang="en",
                    rule=f"en.vague.{vid}",
                )
            )
    return out
