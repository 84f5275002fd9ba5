"""Amounts written in a currency's sub-unit: `264.5p`, `52.95p a litre`, `25 pence`,
`25 cents`, `99¢` (rules/en/subunits.toml `[subunits]`).

LABELED_SET.md reports an amount in the main unit, with a decimal point for a sub-unit
value: `1.3p` is 0.013 GBP, `25 cents` 0.25 USD. The sentence grammar reads a sub-unit
only folded into a whole amount (`20 dollars 43 cents`, `£3 50p`); this reads one standing
alone, where the grammar is sure it is money:

- `p` glued to the number (`1.3p`, `264.5p`, `1,234p`), never after a page, part or
  figure word (`page 5p`, `Part 3p`), before `.m.` (`4p.m.`), a letter (`12pt`) or a
  hyphened word, nor a video resolution (`720p`, `1080p`); GBP, and kept only in a GBP
  document (an amount in `£`, `GBP`, `pounds sterling`, `pence`): elsewhere flagged vague
  (`resolve_subunits`), never a guessed pound;
- `pence` after a number: GBP wherever it stands;
- `cents`, `cent`, `¢` after a number: a bare dollar (USD, or the document's dollar by
  rules/en/dollars.toml, flagged where that is in doubt), flagged in a document that
  writes euros (euro cents) or another sub-unit currency's amounts and no dollar;
- never a ratio (`62 cents per $100`, `45p for every £1`: money-to-money, not reported).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir

__all__ = ["find_subunits", "resolve_subunits", "subunit_label", "SUBUNIT_RULE"]

SUBUNIT_RULE = "en.subunit"
REFUSED_RULE = "en.refused.subunit"
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class _SubunitRules:
    pence: regex.Pattern  # `264.5p`, `25 pence`
    cents: regex.Pattern  # `25 cents`, `99¢`
    not_after: regex.Pattern  # `page 5p`, `Part 3p`
    not_next: regex.Pattern  # `4p.m.`, `5p-coin`, `45p for every £1`
    resolutions: frozenset[str]  # `720p`, `1080p`
    gbp_document: regex.Pattern  # a GBP amount or word elsewhere in the document
    euro_document: regex.Pattern  # euro amounts: `cents` may be euro cents
    # a glued integer `p` (`12p`) is read only in a sentence with one of these (`£`,
    # `pence`, a price word); elsewhere flagged vague: `route 12p`, `4p` (4pm) ...
    integer_cue: regex.Pattern
    time_before: regex.Pattern  # `at 4p today`: a time, never pence
    time_next: regex.Pattern


# never after a letter, a digit, a sign, nor a hyphen joining it to a word (`Covid-19p`,
# `M4-5p`); a range (`5-10p`) still reads
_BEFORE = r"(?<![\p{L}\d.,£$€¥₩])(?<!\p{L}[\p{L}\d]*[-\u2010\u2011])"
_NUMBER = rf"(?P<n>{_BEFORE}\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_BEFORE}\d+(?:\.\d+)?)"


@lru_cache(maxsize=4)
def _rules(folder: str) -> _SubunitRules | None:
    section: dict = {}
    for path in rule_files("money", "en"):
        section = load_rule_file(path).get("subunits") or section
    if not section:
        return None
    alt = "|".join(regex.escape(w) for w in section["pence_words"])
    cents = "|".join(regex.escape(w) for w in section["cent_words"])
    return _SubunitRules(
        pence=regex.compile(rf"{_NUMBER}(?:(?P<p>p)|[ \u00a0](?P<w>{alt}))(?![\p{{L}}\d])"),
        cents=regex.compile(
            rf"{_NUMBER}(?:[ \u00a0]?(?P<c>¢)|[ \u00a0](?P<w>{cents})(?![\p{{L}}\d]))"
        ),
        not_after=regex.compile(
            r"(?i:\b(?:" + "|".join(section["not_after"]) + r"))\.?[ \u00a0]*\Z"
        ),
        not_next=regex.compile("|".join(f"(?:{p})" for p in section["not_next"])),
        resolutions=frozenset(section["resolutions"]),
        gbp_document=regex.compile("|".join(f"(?:{p})" for p in section["gbp_document"])),
        euro_document=regex.compile("|".join(f"(?:{p})" for p in section["euro_document"])),
        integer_cue=regex.compile("|".join(f"(?:{p})" for p in section["integer_cue"])),
        time_before=regex.compile(section["time_before"]),
        time_next=regex.compile("|".join(f"(?:{p})" for p in section["time_next"])),
    )


def find_subunits(text: str, found: list[MoneyMention], mention) -> list[MoneyMention]:
    """The sub-unit amounts of the sentence `text` that overlap none of `found`; `mention`
    makes a mention (the English extractor's, with its qualifiers):
    mention(text, start, end, amount, code, rule)."""
    r = _rules(str(rules_dir()))
    if r is None or not any(ch.isdigit() for ch in text):
        return []
    out: list[MoneyMention] = []
    hits = [(m, "GBP") for m in r.pence.finditer(text)]
    hits += [(m, "USD") for m in r.cents.finditer(text)]
    for m, code in sorted(hits, key=lambda h: h[0].start()):
        start, end = m.start(), m.end()
        if any(start < f.end and f.start < end for f in (*found, *out)):
            continue  # `£3 50p`, `20 dollars 43 cents`: folded into the whole amount
        if r.not_after.search(text, max(0, start - 20), start):
            continue  # `page 5p`, `Part 3p`
        if r.not_next.match(text, end):
            continue  # `4p.m.`, `a 5p-coin`, `62 cents per $100`
        digits = m.group("n")
        glued = bool(m.groupdict().get("p"))
        if glued and digits in r.resolutions:
            continue  # `1080p`: a video resolution
        whole = glued and "." not in digits
        if whole and regex.fullmatch(r"(?:19|20)\d\d", digits):
            continue  # `2023p`: a provisional year in a statistics table
        if (
            whole
            and int(digits.replace(",", "")) <= 12
            and r.time_before.search(text, max(0, start - 10), start)
            and r.time_next.match(text, end)
        ):
            continue  # `opens at 4p today`: a time
        value = Decimal(digits.replace(",", "")) / _HUNDRED
        found_one = mention(text, start, end, value, code, SUBUNIT_RULE)
        if whole and not _names(r.integer_cue, text, found_one):
            # `route 12p`, `Train 3p`: a glued whole number with no price word beside it
            found_one = replace(
                found_one, amount=None, amount_max=None, vague=True, rule=REFUSED_RULE
            )
        out.append(found_one)
    return out


def resolve_subunits(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` of the document `text`, each `p` amount (`264.5p`) kept as GBP only in a
    GBP document and each `cents` amount flagged in a euro document (see the module doc);
    the rest unchanged. Same length and order."""
    if not any(m.rule == SUBUNIT_RULE for m in mentions):
        return mentions
    r = _rules(str(rules_dir()))
    assert r is not None
    out = []
    for m in mentions:
        if m.rule != SUBUNIT_RULE:
            out.append(m)
            continue
        pence = m.currency == "GBP"
        glued_p = pence and m.text.rstrip().endswith("p")
        unsure = (glued_p and not _names(r.gbp_document, text, m)) or (
            not pence and _names(r.euro_document, text, m)
        )
        if unsure:
            m = replace(m, amount=None, amount_max=None, vague=True, rule=REFUSED_RULE)
        out.append(m)
    return out


def subunit_label(text: str, m: MoneyMention) -> bool:
    """Whether `m` is a glued `p` read by this module that follows a label word in the
    document `text` (`Fig. 2p`, `No. 5p`: the sentence split cuts after `Fig.`, so the
    sentence `find_subunits` saw shows none): no money, to be dropped."""
    if m.rule not in (SUBUNIT_RULE, REFUSED_RULE) or not m.text.rstrip().endswith("p"):
        return False
    r = _rules(str(rules_dir()))
    assert r is not None
    return r.not_after.search(text, max(0, m.start - 20), m.start) is not None


def _names(pattern: regex.Pattern, text: str, m: MoneyMention) -> bool:
    """Whether `pattern` matches in `text` outside the mention `m` itself."""
    return any(not (m.start <= f.start() < m.end) for f in pattern.finditer(text))
