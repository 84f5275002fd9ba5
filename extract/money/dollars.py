"""Which dollar a bare `$` means, read from the whole document (rules/en/dollars.toml).

The sentence grammar reads a bare dollar (`$1.2 billion`, `40 million dollars`, a
table under `($ million)`) as USD. Releases of Australian, Canadian, New Zealand or
Singapore governments write the same `$` for their own dollar, so that reading would
be a wrong currency. This document-level pass re-reads every bare dollar of a
document as another dollar currency only when the document is plainly that
country's own copy:

- at least `min_cues` cue words of that currency (names, or a dateline in capitals),
  one of them in the first `lead_chars` characters (headline, dateline, lead);
- no cue of another dollar currency, and no cue at all of the United States (states,
  cities, institutions) or of places whose English copy writes `$` for US dollars
  (Korea, Yonhap, Japan, ...): a US or Korean story about a Canadian plant keeps USD;
- no amount written in that currency in full next to a bare-dollar amount in brackets
  (wire copy that writes `A$6.6 billion ($4.3 billion)` keeps `$` for US dollars). A
  release that writes `A$30m` or `C$30 million` once among its bare `$` amounts, with no
  such conversion, is still that country's copy.

Names another country shares (`Victoria`, `Canterbury`, `Premier`: `weak_cues`) name no
country, but count towards the cues and the lead once the document's own cues name one.
In doubt (one other dollar country named, no US place, no conversion, at least
`doubt_min_cues` cues but fewer than `min_cues` or none in the lead) each bare dollar is
flagged vague (`en.refused.bare_dollar`) for a reviewer, never left a silent USD.

Otherwise a bare dollar stays USD, as before; a written-out dollar (`US$`, `A$`,
`Canadian dollars`) is never changed. The rule prefers leaving a local release in
USD (a reviewer sees USD on an Ontario release) to turning a US figure into CAD.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir
from .subunits import resolve_subunits

__all__ = ["resolve_bare_dollars", "document_dollar"]


@dataclass(frozen=True)
class _DollarRules:
    min_cues: int
    doubt_min_cues: int  # fewer cues than min_cues but at least these: flagged, not USD
    lead_chars: int
    against: regex.Pattern | None  # the US and places whose `$` is the US dollar
    others: tuple[tuple[str, regex.Pattern], ...]  # (ISO code, its cue words)
    # (ISO code, its weak cues): names another country shares (`Victoria`, `Canterbury`,
    # `Premier`), counted for a currency only once its own cues name it
    weak: dict[str, regex.Pattern]
    weak_needs: dict[str, regex.Pattern]  # the weak cues count only with one of these
    weak_blocked: dict[str, regex.Pattern]  # ... and none of these (`Kent`, `England`)
    bare: regex.Pattern  # a mention text (or a table's unit header) writing a bare dollar
    written: regex.Pattern  # ... and what makes it a written-out US dollar
    header: regex.Pattern  # a table's dollar unit header, searched before a cell


def _words(words: list[str]) -> regex.Pattern | None:
    if not words:
        return None
    # Case-sensitive (cues are names: `US`, never `us`), plus each name in capitals for
    # datelines (`TORONTO, Ontario --`).
    forms = set(words) | {w.upper() for w in words}
    alternatives = "|".join(regex.escape(w) for w in sorted(forms, key=len, reverse=True))
    return regex.compile(rf"(?<![\w.])(?:{alternatives})(?![\w$])")  # US$ is a written dollar


@lru_cache(maxsize=4)
def _rules(folder: str) -> _DollarRules:
    section: dict = {}
    for path in rule_files("money", "en"):
        section = load_rule_file(path).get("dollar_context") or section
    others = tuple(
        (c["currency"], p)
        for c in section.get("currency", [])
        if (p := _words(c.get("cues", []))) is not None
    )

    def by_currency(key: str) -> dict[str, regex.Pattern]:
        """currency -> the pattern of its `key` word list, for currencies that have one."""
        return {
            c["currency"]: p
            for c in section.get("currency", [])
            if (p := _words(c.get(key, []))) is not None
        }

    weak = by_currency("weak_cues")
    # a currency's weak cues count only with one of `weak_needs` and none of
    # `weak_blocked_by` in the document (money14b)
    weak_needs = by_currency("weak_needs")
    weak_blocked = by_currency("weak_blocked_by")
    return _DollarRules(
        min_cues=int(section.get("min_cues", 3)),
        doubt_min_cues=int(section.get("doubt_min_cues", 1)),
        lead_chars=int(section.get("lead_chars", 300)),
        against=_words(section.get("us_cues", []) + section.get("neutral_cues", [])),
        others=others,
        weak=weak,
        weak_needs=weak_needs,
        weak_blocked=weak_blocked,
        bare=regex.compile(r"\$|\bdollars?\b|\bcents?\b|¢", regex.IGNORECASE),
        # `^us `: `(us $720 million)`, read with its `us` only in a bracket (money14b)
        written=regex.compile(r"\b(?:US|U\.S|USD)|\bAmerican|[A-Za-z]\$|^us\s"),
        header=regex.compile(r"[(\[][^()\[\]\n]{0,40}(?:\$|[Dd]ollar)[^()\[\]\n]{0,40}[)\]]"),
    )


def document_dollar(text: str) -> str | None:
    """The ISO code a bare dollar means in `text` (a whole document), or None when the
    document is not plainly one other dollar country's copy (see the module doc)."""
    iso, plain = _document_dollar(text)
    return iso if plain else None


def _document_dollar(text: str) -> tuple[str | None, bool]:
    """(the one other dollar country's code the document names, whether it is plainly
    that country's copy); (None, False) when it names none or two, or names the US or a
    place whose `$` is the US dollar. Named but not plain (too few cues, none in the lead)
    is the doubt `resolve_bare_dollars` flags."""
    r = _rules(str(rules_dir()))
    named = [(iso, p) for iso, p in r.others if p.search(text)]
    if len(named) != 1:
        return None, False
    if r.against is not None and r.against.search(text):
        return None, False
    iso, cues = named[0]
    weak = r.weak.get(iso)
    needs, blocked = r.weak_needs.get(iso), r.weak_blocked.get(iso)
    if (needs is not None and not needs.search(text)) or (
        blocked is not None and blocked.search(text)
    ):
        weak = None
    found = len(cues.findall(text)) + (len(weak.findall(text)) if weak else 0)
    lead = text[: r.lead_chars]
    in_lead = cues.search(lead) is not None or (weak is not None and weak.search(lead) is not None)
    if found < r.doubt_min_cues:
        return None, False
    return iso, found >= r.min_cues and in_lead


def _is_bare(text: str, m: MoneyMention, r: _DollarRules) -> bool:
    if m.currency != "USD":
        return False
    if m.rule.endswith(".table"):  # a cell: its currency is its unit header's
        headers = list(r.header.finditer(text, 0, m.start))
        written = headers[-1].group() if headers else ""
    else:
        written = m.text
    return bool(r.bare.search(written)) and not r.written.search(written)


# A dollar code written right after a bare-dollar amount: `$1.2 billion CAD`, `$5M (AUD)`.
_CODE_AFTER = regex.compile(r"[ \t\u00a0]*\(?[ \t]*(USD|CAD|AUD|NZD|SGD|HKD)\b(?!\$)")


def _code_after(text: str, m: MoneyMention, r: _DollarRules) -> str | None:
    """The ISO code written right after a bare-dollar mention `m` (`$1.2 billion CAD`),
    else None. `USD` there also keeps the amount from the document's dollar."""
    if m.currency != "USD" or m.rule.endswith(".table") or not _is_bare(text, m, r):
        return None
    found = _CODE_AFTER.match(text, m.end)
    return found.group(1) if found else None


def resolve_bare_dollars(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` of the document `text`, each bare-dollar mention in the currency the
    document names (`document_dollar`); unchanged when it names none. Offsets in `text`."""
    mentions = resolve_subunits(text, mentions)  # `264.5p` outside a GBP document: flagged
    if not any(m.currency == "USD" for m in mentions):
        return mentions
    r = _rules(str(rules_dir()))
    coded = {i: c for i, m in enumerate(mentions) if (c := _code_after(text, m, r))}
    if coded:  # `$1.2 billion CAD`: the code written after the amount decides
        mentions = [
            replace(m, currency=coded[i]) if i in coded else m for i, m in enumerate(mentions)
        ]
    iso, plain = _document_dollar(text)
    if iso is None or _converts(text, mentions, iso):
        return mentions  # `A$6.6 billion ($4.3 billion)`: this copy's bare `$` is USD
    if plain:
        return [
            replace(m, currency=iso) if i not in coded and _is_bare(text, m, r) else m
            for i, m in enumerate(mentions)
        ]
    # In doubt (one other dollar country named, no US place, too few cues): flagged for a
    # reviewer, never a silent USD that may be that country's dollar.
    return [
        replace(m, amount=None, amount_max=None, vague=True, rule="en.refused.bare_dollar")
        if i not in coded and not m.vague and _is_bare(text, m, r)
        else m
        for i, m in enumerate(mentions)
    ]


# Between a written-out amount and its conversion: `A$6.6 billion ($4.3 billion)`,
# `$4.3 billion (about A$6.6 billion)`.
_CONVERSION_GAP = regex.compile(
    r"[ \t]*[(\[][ \t]*(?:(?:about|around|roughly|approximately|approx\.|nearly|some|or)[ \t]+)?",
    regex.IGNORECASE,
)


def _converts(text: str, mentions: list[MoneyMention], iso: str) -> bool:
    """True when some amount in the currency `iso` and a USD amount stand side by side,
    one in brackets after the other: the copy converts its own dollar, so its bare `$` is
    the US dollar."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if {a.currency, b.currency} == {iso, "USD"} and _CONVERSION_GAP.fullmatch(
            text, a.end, b.start
        ):
            return True
    return False
