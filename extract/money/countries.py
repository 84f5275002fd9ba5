"""A currency word that names no country, read where the text names its country.

Source: rules/ko/currencies.toml `[[country_currency]]` (one table per word: the
word, the particles that may follow it, the countries that write it and their ISO
codes, and `default`, the code the sentence grammar already gives it).

- Sentence: `동`, `페소`, `랜드`, `크로네`, `프랑` written without their country (`베트남
  정부는 3조 동을`) are blocked as won by rules/ko/bare.toml `other_currencies` and give
  no record. Where the sentence before the amount names the countries of exactly one
  currency of that word, the amount is read in it (rule `ko.country_currency`);
  naming none, or two (`필리핀과 멕시코가 각각 50억 페소를`), it stays no record: a miss,
  never a guessed currency.
- Document: a word with a `default` (`루피`: INR, as `rupees`/`Rs` are) is read in
  another country's currency when the sentence names only that country, or else the
  document names only that country (`파키스탄 정부는 ...` then `100억 루피를`: PKR); a
  document that names countries of two currencies and a sentence that names none
  leave the amount `vague` with rule `ko.refused.country_currency` (a reviewer sees
  it, with no amount in a wrong currency).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir

__all__ = ["find_country_money", "resolve_country_words"]

_SENTENCE_BACK = 120  # characters before an amount searched for its country, at most
# The start of a sentence looking back from an amount: a full stop or a line break.
_SENTENCE_END = regex.compile(r"(?:[.!?。](?=\s)|\n)(?!.*(?:[.!?。](?=\s)|\n))", regex.DOTALL)


@dataclass(frozen=True)
class _Word:
    word: str
    default: str  # the ISO code the grammar gives the bare word ("" for none)
    countries: tuple[tuple[str, str], ...]  # (name, ISO code)
    amount: regex.Pattern  # number, the word, one of its tails


@dataclass(frozen=True)
class _Rules:
    words: tuple[_Word, ...]
    cues: regex.Pattern  # any country name of any word: a cheap test


_NUMBER = (
    r"(?P<num>(?<![\d.,])\d[\d,]*(?:\.\d+)?"
    r"(?:[ ]?[조억만천](?:[ ]?\d[\d,]*(?:\.\d+)?[ ]?[억만천])*)?)"
)


@lru_cache(maxsize=4)
def _rules(folder: str) -> _Rules:
    words: list[_Word] = []
    names: set[str] = set()
    for path in rule_files("money", "ko"):
        for entry in load_rule_file(path).get("country_currency", []):
            tails = "|".join(
                regex.escape(t) for t in sorted(entry.get("tails", []), key=len, reverse=True)
            )
            countries = tuple(
                (name, iso) for iso, listed in entry.get("countries", {}).items() for name in listed
            )
            names.update(name for name, _ in countries)
            words.append(
                _Word(
                    word=entry["word"],
                    default=entry.get("default", ""),
                    countries=countries,
                    amount=regex.compile(
                        rf"{_NUMBER}[ ]?(?P<word>{regex.escape(entry['word'])})"
                        + (
                            rf"(?={tails})"
                            if entry.get("tails_only")
                            else rf"(?:(?={tails})|(?![\p{{Hangul}}]))"
                        )
                    ),
                )
            )
    cues = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return _Rules(tuple(words), regex.compile(cues or "(?!)"))


def country_rules() -> _Rules:
    """The compiled `[[country_currency]]` tables (cached per rules folder)."""
    return _rules(str(rules_dir()))


def _codes(w: _Word, text: str) -> set[str]:
    """The ISO codes of the countries of `w` named in `text`."""
    return {iso for name, iso in w.countries if name in text}


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - _SENTENCE_BACK) : start]
    m = _SENTENCE_END.search(window)
    return window[m.end() :] if m else window


def find_country_money(text: str) -> list[MoneyMention]:
    """Amounts in a currency word with no country (`3조 동을`) whose sentence names its
    country (`베트남 정부는`), read in that country's currency; words with a `default`
    are left to the grammar. Offsets in `text`."""
    from .ko_grammar import clean
    from .korean import parse_number

    r = country_rules()
    if not r.cues.search(text):
        return []
    out: list[MoneyMention] = []
    for w in r.words:
        if w.default or w.word not in text:
            continue
        for m in w.amount.finditer(text):
            codes = _codes(w, _sentence_before(text, m.start()))
            if len(codes) != 1:
                continue
            value = parse_number(m.group("num"))
            if value is None or value <= 0:
                continue
            out.append(
                MoneyMention(
                    start=m.start(),
                    end=m.end("word"),
                    text=m.group(0)[: m.end("word") - m.start()],
                    amount=clean(Decimal(value)),
                    currency=codes.pop(),
                    lang="ko",
                    rule="ko.country_currency",
                )
            )
    return out


def resolve_country_words(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` of the document `text` (offsets in it), each bare word with a default
    (`100억 루피`: INR) in the currency of the one country its sentence, or else the
    document, names; `vague` where the document names two and the sentence none."""
    r = country_rules()
    words = [w for w in r.words if w.default]
    if not words or not r.cues.search(text):
        return mentions
    out = []
    for m in mentions:
        w = next((w for w in words if _bare(m, w)), None)
        if w is None:
            out.append(m)
            continue
        codes = _codes(w, _sentence_before(text, m.start)) or _codes(w, text)
        if not codes or codes == {w.default}:
            out.append(m)
        elif len(codes) == 1:
            out.append(replace(m, currency=codes.pop()))
        else:
            out.append(
                replace(
                    m,
                    amount=None,
                    amount_max=None,
                    vague=True,
                    rule="ko.refused.country_currency",
                )
            )
    return out


def _bare(m: MoneyMention, w: _Word) -> bool:
    """Whether `m` is the grammar's reading of the bare word (`100억 루피`, not `100억
    파키스탄 루피`, whose currency is written)."""
    if m.currency != w.default or m.vague or not m.text.rstrip().endswith(w.word):
        return False
    before = m.text.rstrip()[: -len(w.word)]
    return not any(name in before for name, _ in w.countries)
