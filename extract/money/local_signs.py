"""A currency sign or word that several countries write, read from the document's
country (rules/en/local_signs.toml `[[local_sign]]`).

The sentence grammar reads `Sh1.2 billion` as KES, `P1.2 billion` as PHP, `K173 billion`
as ZMW, `Rs 500 crore` as INR and `3 billion pesos` as PHP (rules/en/currencies.toml).
Each of these is also another country's money: Uganda and Tanzania write `Sh`/`Shs`,
Botswana the pula `P`, Malawi and Papua New Guinea a `K`, Pakistan, Sri Lanka and Nepal
`Rs`, Mexico and Argentina `pesos`. After the money of a document is found, every
mention written with one of these bare forms (not `KSh`, `₱`, `Indian rupees`: those
name their country) is read in the currency of the country its sentence names, or
else the one country the document names (or names at least twice as often as any
other); a document naming none keeps the grammar's reading where the entry says
`no_cue = "keep"` and is flagged (`vague`, rule `en.refused.local_sign`) where it says
`"refuse"`. An entry with `unscaled_needs_cue` also flags an amount with no scale word
(`P25,000`, `N25,000`) in a document that does not name the grammar's country: a miss
or a flag, never a guessed currency.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir

__all__ = ["resolve_local_signs"]

_SENTENCE_BACK = 160  # characters before an amount searched for its country, at most
_SENTENCE_END = regex.compile(r"(?:[.!?](?=\s)|\n)(?!.*(?:[.!?](?=\s)|\n))", regex.DOTALL)
# letters after the first digit: a scale word or abbreviation was written (`P500m`)
_SCALED = regex.compile(r"\d.*\p{L}", regex.DOTALL)
_CAPITALISED = regex.compile(r"\b\p{Lu}\p{Ll}+")
# a hyphen and a word right after the amount: a compound adjective (`P3 billion-dollar
# highway deal`: no P amount; tester22 A5), never a local-sign amount
_COMPOUND_AFTER = regex.compile(r"[-\u2010\u2011](?!plus\b)[\p{L}]")


@dataclass(frozen=True)
class _Sign:
    default: str
    prefix: regex.Pattern | None  # a bare prefix form at the mention's start
    name: regex.Pattern | None  # a bare name at the mention's end
    countries: tuple[tuple[str, regex.Pattern], ...]  # (ISO code, its cue words)
    no_cue: str  # "keep" or "refuse"
    # with `keep`: words of other countries that flag the sign where none of its own
    # countries is named (`R2 billion` in a Russian or Indian story: no rand)
    others: regex.Pattern | None
    unscaled_needs_cue: bool


def _cues(words: list[str]) -> regex.Pattern:
    forms = set(words) | {w.upper() for w in words}  # datelines in capitals
    alternatives = "|".join(regex.escape(w) for w in sorted(forms, key=len, reverse=True))
    return regex.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def _alternatives(forms: list[str]) -> str:
    return "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=4)
def _rules(folder: str) -> tuple[_Sign, ...]:
    signs: list[_Sign] = []
    for path in rule_files("money", "en"):
        for entry in load_rule_file(path).get("local_sign", []):
            prefixes, names = entry.get("prefixes", []), entry.get("names", [])
            signs.append(
                _Sign(
                    default=entry["default"],
                    prefix=regex.compile(rf"(?:{_alternatives(prefixes)})(?=[\s\d])")
                    if prefixes
                    else None,
                    name=regex.compile(rf"(?<![\w])(?:{_alternatives(names)})$", regex.IGNORECASE)
                    if names
                    else None,
                    countries=tuple(
                        (iso, _cues(words)) for iso, words in entry.get("countries", {}).items()
                    ),
                    no_cue=entry.get("no_cue", "keep"),
                    others=_cues(entry["others"]) if entry.get("others") else None,
                    unscaled_needs_cue=entry.get("unscaled_needs_cue", False),
                )
            )
    return tuple(signs)


def _sign_of(m: MoneyMention, signs: tuple[_Sign, ...]) -> _Sign | None:
    """The entry whose bare form `m` is written in (its currency is the entry's default)."""
    text = m.text.strip()
    for s in signs:
        if m.currency != s.default:
            continue
        if s.prefix is not None and s.prefix.match(text):
            return s
        found = s.name.search(text) if s.name is not None else None
        # `3 billion shillings`, not `3 billion Kenyan shillings` (its country is written)
        if found and not _CAPITALISED.search(text, 0, found.start()):
            return s
    return None


def _named(s: _Sign, text: str) -> dict[str, int]:
    """How often `text` names each country of `s` (codes named at least once)."""
    counts = {iso: len(p.findall(text)) for iso, p in s.countries}
    return {iso: n for iso, n in counts.items() if n}


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - _SENTENCE_BACK) : start]
    m = _SENTENCE_END.search(window)
    return window[m.end() :] if m else window


_NEXT_END = regex.compile(r"[.!?](?=\s)|[\n;]")


def _sentence_of(text: str, m: MoneyMention) -> str:
    """`m`'s whole sentence (from `_SENTENCE_BACK` before it to the next sentence end)."""
    nxt = _NEXT_END.search(text, m.end, min(len(text), m.end + _SENTENCE_BACK))
    end = nxt.start() if nxt else min(len(text), m.end + _SENTENCE_BACK)
    return _sentence_before(text, m.start) + text[m.start : end]


def _choose(s: _Sign, text: str, m: MoneyMention) -> str | None:
    """The ISO code of `m`'s country, "" when nothing names one, None for a tie."""
    if len(_named(s, _sentence_of(text, m))) > 1:
        return None  # `Rs 12,000 crore in New Delhi and Rs 500 crore in Karachi`: unsure
    near = _named(s, _sentence_before(text, m.start) + text[m.start : m.end])
    if len(near) == 1:
        return next(iter(near))
    counts = _named(s, text)
    if not counts:
        return ""
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) == 1 or ranked[0] >= 2 * ranked[1]:
        return max(counts, key=counts.__getitem__)
    return None


def resolve_local_signs(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` of the document `text` (offsets in it), each written in a bare local
    sign or word (`Sh1.2 billion`, `P500 million`, `Rs 5 crore`, `3 billion pesos`) in the
    currency of the country the document names; flagged vague where it cannot tell."""
    signs = _rules(str(rules_dir()))
    if not signs:
        return mentions
    out = []
    for m in mentions:
        s = _sign_of(m, signs) if not m.vague else None
        if s is None:
            out.append(m)
            continue
        if _COMPOUND_AFTER.match(text, m.end):
            # `a P3 billion-dollar deal`, `R2 billion-dollar plant`: an adjective
            out.append(
                replace(m, amount=None, amount_max=None, vague=True, rule="en.refused.local_sign")
            )
            continue
        code = _choose(s, text, m)
        if code == "" and s.no_cue == "keep":
            unscaled = not _SCALED.search(m.text)
            foreign = s.others is not None and s.others.search(text) is not None
            code = None if (s.unscaled_needs_cue and unscaled) or foreign else s.default
        if code:
            out.append(m if code == m.currency else replace(m, currency=code))
        else:
            out.append(
                replace(m, amount=None, amount_max=None, vague=True, rule="en.refused.local_sign")
            )
    return out
