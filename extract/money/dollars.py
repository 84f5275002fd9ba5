"""Which dollar a bare `$` means, read from the whole document (rules/en/dollars.toml).

The sentence grammar reads a bare dollar (`$1.2 billion`, `40 million dollars`, a
table under `($ million)`) as USD. Releases of Australian, Canadian, New Zealand or
Singapore governments write the same `$` for their own dollar, so that reading would
be a wrong currency. This document-level pass re-reads every bare dollar of a
document as the one dollar currency its place and institution names point to: at
least `min_cues` cue words of that currency, more than `dominance` times the cue
words of the United States and of places whose English copy writes `$` for US
dollars (Korea, Japan, ...), no cue of another dollar currency, and no amount written
in that currency in full (wire copy that writes `A$6.6 billion ($4.3 billion)` keeps
`$` for US dollars). Otherwise
(a Korean story on an Australian deal, too few cues, two dollar countries) a bare
dollar stays USD; a written-out dollar (`US$`, `A$`, `Canadian dollars`) is never
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir

__all__ = ["resolve_bare_dollars", "document_dollar"]


@dataclass(frozen=True)
class _DollarRules:
    min_cues: int
    dominance: int
    us: regex.Pattern | None  # the US and places whose `$` is the US dollar
    others: tuple[tuple[str, regex.Pattern], ...]  # (ISO code, its cue words)
    bare: regex.Pattern  # a mention text (or a table's unit header) writing a bare dollar
    written: regex.Pattern  # ... and what makes it a written-out US dollar
    header: regex.Pattern  # a table's unit header, searched before a cell


def _words(words: list[str]) -> regex.Pattern | None:
    if not words:
        return None
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    # Case-sensitive: cues are names (`US`, never `us`).
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
    return _DollarRules(
        min_cues=int(section.get("min_cues", 3)),
        dominance=int(section.get("dominance", 2)),
        us=_words(section.get("us_cues", []) + section.get("neutral_cues", [])),
        others=others,
        bare=regex.compile(r"\$|\bdollars?\b", regex.IGNORECASE),
        written=regex.compile(r"US|U\.S|USD|American|[A-Za-z]\$", regex.IGNORECASE),
        header=regex.compile(r"[(\[][^()\[\]\n]{0,40}[)\]]"),
    )


def document_dollar(text: str) -> str | None:
    """The ISO code a bare dollar means in `text` (a whole document), or None when the
    document does not say (no cues, too few, or cues of two dollar currencies)."""
    r = _rules(str(rules_dir()))
    named = [(iso, n) for iso, p in r.others if (n := len(p.findall(text))) > 0]
    if len(named) != 1 or named[0][1] < r.min_cues:
        return None
    against = len(r.us.findall(text)) if r.us is not None else 0
    return named[0][0] if named[0][1] > r.dominance * against else None


def _is_bare(text: str, m: MoneyMention, r: _DollarRules) -> bool:
    if m.currency != "USD":
        return False
    if m.rule.endswith(".table"):  # a cell: its currency is its unit header's
        headers = list(r.header.finditer(text, 0, m.start))
        written = headers[-1].group() if headers else ""
    else:
        written = m.text
    return bool(r.bare.search(written)) and not r.written.search(written)


def resolve_bare_dollars(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` of the document `text`, each bare-dollar mention in the currency the
    document names (`document_dollar`); unchanged when it names none. Offsets in `text`."""
    if not any(m.currency == "USD" for m in mentions):
        return mentions
    iso = document_dollar(text)
    if iso is None or any(m.currency == iso for m in mentions):
        return mentions  # `A$6.6 billion ($4.3 billion)`: this copy's bare `$` is USD
    r = _rules(str(rules_dir()))
    return [replace(m, currency=iso) if _is_bare(text, m, r) else m for m in mentions]
