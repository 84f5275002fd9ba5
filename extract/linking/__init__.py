"""Project linking: give every money mention the project, program or fund it belongs to.

The stage reads as candidates -> features -> score -> choice:

1. `generators.propose_document` runs every candidate generator (one rule each; the
   language rules in `korean.py` and `english.py`, the patterns and cue words in
   rules/ko/link*.toml and rules/en/link*.toml, known names in rules/projects.toml
   via `gazetteer.py`) and returns each mention's candidates;
2. `features.choices` merges candidates with the same name and describes each, plus
   the "no project" choice, as a sparse feature dict;
3. `scorer.choose` scores them with the fitted weights (rules/link_weights.toml,
   made by `python -m extract fit-linker`) and picks the best; its softmax share is
   the record's `project_score`.

`link_document` is the entry point: a pure function of its inputs and the rule
files, so it runs in worker processes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import EXCHANGE_RATE, MoneyMention, ProjectLink, Sentence, Token
from . import gazetteer
from .context import clean_project, config, hangul_share, norm_key
from .features import BROAD, Choice, DocFacts, choices
from .generators import Proposal, converted_twin, propose_document
from .scorer import choose, load_weights

__all__ = [
    "EXCHANGE_RATE",
    "clean_project",
    "config",
    "gazetteer",
    "link_document",
    "link_text",
    "trace_document",
]


def trace_document(
    text: str, sentences: list[Sentence], mentions: list[tuple[int, MoneyMention]]
) -> list[tuple[Proposal, list[Choice]]]:
    """Each mention's proposal and its choices with their features (for fitting)."""
    facts = DocFacts(text, sentences)
    return [(prop, choices(prop, facts)) for prop in propose_document(text, sentences, mentions)]


def link_document(
    text: str,
    sentences: list[Sentence],
    mentions: list[tuple[int, MoneyMention]],
    trace: list[tuple[Proposal, list[Choice]]] | None = None,
) -> list[ProjectLink]:
    """One ProjectLink (project, id, generator, score) per mention, in the order given.

    `mentions` are (index into `sentences`, mention with document offsets). With
    `trace`, each mention's proposal and scored choices are appended to it (fitting).
    """
    weights = load_weights()
    links: list[ProjectLink] = []
    traced = trace_document(text, sentences, mentions)
    if trace is not None:
        trace.extend(traced)
    for prop, options in traced:
        best, score = choose(options, weights)
        rule = _rule_of(best, weights) if best.project else (prop.negative or "none")
        links.append(ProjectLink(best.project, best.project_id, rule, score))
    # an amount in brackets follows the final choice of the amount it explains
    # (a converted twin, `€50 million ($54 million)`, always: it is the same money)
    for pos, (prop, _options) in enumerate(traced):
        if prop.parent is None:
            continue
        if links[pos].rule.endswith(".paren_follow"):
            outer = links[prop.parent]
            links[pos] = replace(outer, rule=links[pos].rule, score=links[pos].score)
        elif converted_twin(text, mentions[prop.parent][1], mentions[pos][1]):
            outer = links[prop.parent]
            rule = f"{prop.lang}.paren_follow"
            links[pos] = replace(outer, rule=rule, score=links[prop.parent].score)
    _totals_take_no_part(text, mentions, links)
    for pos, (_index, mention) in enumerate(mentions):
        if mention.exchange_rate:  # the price of a currency funds nothing (LABELED_SET.md)
            links[pos] = ProjectLink("", "", EXCHANGE_RATE, 1.0)
    return links


def _rule_of(choice: Choice, weights: dict[str, float]) -> str:
    """The generator reported for a choice: the first in precedence order that is not
    one of the broad generators (`ko.np_head` rather than `ko.chunk_JKS`)."""
    narrow = [g for g in choice.generators if not any(b in g for b in BROAD)]
    return (narrow or choice.generators)[0]


def link_text(text: str, lang: str) -> list[tuple[MoneyMention, ProjectLink]]:
    """Detect, segment, find money and link in a text (for rule examples and tests)."""
    found, links = _run_text(text, lang, None)
    return [(m, link) for m, link in zip(found, links, strict=True)]


def link_text_traced(text: str, lang: str) -> list[tuple[MoneyMention, list[Choice]]]:
    """Each money mention of a text with its choices and their features (fitting)."""
    trace: list[tuple[Proposal, list[Choice]]] = []
    found, _links = _run_text(text, lang, trace)
    return [(m, options) for m, (_p, options) in zip(found, trace, strict=True)]


def _run_text(
    text: str, lang: str, trace: list | None
) -> tuple[list[MoneyMention], list[ProjectLink]]:
    from ..detect import detect_blocks
    from ..money import find_money
    from ..segment import segment

    if lang not in ("ko", "en"):
        lang = "ko" if hangul_share(text) >= 0.3 else "en"
    blocks = detect_blocks(text)
    sentences = segment(text, blocks)
    found: list[tuple[int, MoneyMention]] = []
    for index, sentence in enumerate(sentences):
        local = [
            Token(t.text, t.start - sentence.start, t.end - sentence.start, t.tag)
            for t in sentence.tokens
        ]
        for m in find_money(sentence.text, sentence.lang or lang, local or None):
            found.append(
                (index, replace(m, start=m.start + sentence.start, end=m.end + sentence.start))
            )
    links = link_document(text, sentences, found, trace)
    return [m for _i, m in found], links


TABLE_TOTAL = "table_total"  # link rule of a total row that would take one of its parts


def _totals_take_no_part(
    text: str, mentions: list[tuple[int, MoneyMention]], links: list[ProjectLink]
) -> None:
    """A table's total row (`합계`, `소계`, `Total`) never takes the project of one of the
    table's own rows, nor its own label: the whole is not its part, and the part's total
    would count the whole. Such a link becomes "no project" (rule `table_total`).

    A total row is a line whose first cell (`합계\t1,285억원`, `| Total | 128 |`) or
    whose words before the amount (`합계 1,285억원`, `Total: $128 million`) are one of
    rules/*/link.toml `total_rows`; the parts are the row labels of the other amounts of
    its paragraph. Works for a table read under a unit header and for rows whose cells
    carry their own unit."""
    totals = {
        re.sub(r"\s+", "", w).casefold()
        for lang in ("ko", "en")
        for w in config(lang).get("total_rows", [])
    }
    labels = {pos: _row_labels(text, m.start) for pos, (_i, m) in enumerate(mentions)}
    for pos, (_i, m) in enumerate(mentions):
        if not links[pos].project or not (labels[pos] & totals):
            continue
        block = _block_of(text, m.start)
        parts = {
            norm_key(label)
            for p, (_j, o) in enumerate(mentions)
            if p != pos and _block_of(text, o.start) == block
            for label in labels[p]
        }
        own = norm_key(links[pos].project)
        if own in parts or re.sub(r"\s+", "", links[pos].project).casefold() in totals:
            links[pos] = ProjectLink("", "", TABLE_TOTAL, links[pos].score)


def _row_labels(text: str, at: int) -> set[str]:
    """The row labels of the line holding offset `at`, spaces removed, casefolded: its
    first cell when the line has cells, and the words before `at` on the line
    (`Total: ` -> `total`); empty when neither is short (at most 40 characters)."""
    start = text.rfind("\n", 0, at) + 1
    before = re.sub(r"\s+", "", text[start:at]).strip("|:：-·▷○□▲").casefold()
    out = {before} if 0 < len(before) <= 40 else set()
    first = _row_label(text, at).casefold()
    if first and len(first) <= 40:
        out.add(first)
    return out


def _row_label(text: str, at: int) -> str:
    """The first cell of the line holding offset `at`, spaces removed (`합  계` -> `합계`)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : len(text) if end < 0 else end].strip().strip("|").strip()
    first = re.split(r"\t|\s{2,}|\|", line)[0] if line else ""
    return re.sub(r"\s+", "", first).lstrip("-·▷○□").strip()


def _block_of(text: str, at: int) -> int:
    """Start of the paragraph (text between blank lines) holding offset `at`."""
    return text.rfind("\n\n", 0, at)
