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

import bisect
import re
from collections import Counter
from dataclasses import replace

from ..models import EXCHANGE_RATE, RATE_BASE, MoneyMention, ProjectLink, Sentence, Token
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
        elif mention.rate_base:  # `10억원당 일자리 12개`: the unit of a rate funds nothing
            links[pos] = ProjectLink("", "", RATE_BASE, 1.0)
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
    """A table's total row (`합계`, `소계(A+B)`, `Total`) never takes the project of one of
    the table's own rows, nor a piece of its own label: the whole is not its part, and
    the part's total would count the whole. Such a link becomes "no project" (rule
    `table_total`).

    A total row is a line one of whose cells before the amount (`합계\t1,285억원`,
    `| 소계 | | 1,000억원 |`) or whose words before the amount (`합계 1,285억원`,
    `Total: $128 million`) are one of rules/*/link.toml `total_rows`, once a bracket, a
    `*`/`※` mark or a dash and what follows are cut (`합계(A+B)`, `Total (A+B)`,
    `합계*`, `Subtotal – parks`). The parts are every cell before the amount of the other
    amounts' lines in its paragraph. Linear in the mentions."""
    totals = {norm_key(w) for lang in ("ko", "en") for w in config(lang).get("total_rows", [])}
    breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
    rows = []
    for _i, m in mentions:
        cells, own = _row_cells(text, m.start)
        rows.append((bisect.bisect_left(breaks, m.start), cells, own))
    by_block: dict[int, Counter[str]] = {}
    for block, cells, _own in rows:
        by_block.setdefault(block, Counter()).update(cells)
    for pos, (block, cells, own) in enumerate(rows):
        if not links[pos].project or not any(_total_label(c, totals) for c in own):
            continue
        others = by_block[block] - Counter(cells)
        project = norm_key(links[pos].project)
        if project in others or project in totals or any(project in c for c in cells):
            links[pos] = ProjectLink("", "", TABLE_TOTAL, links[pos].score)


_LABEL_TAIL = re.compile(r"\s*(?:[(（\[［].*|[*※].*|\s[–—-].*)$")


def _total_label(label: str, totals: set[str]) -> bool:
    """Whether a row label names a total: `합계`, `합 계`, `계 (A)`, `Total (A+B)`."""
    return norm_key(_LABEL_TAIL.sub("", label)) in totals


def _row_cells(text: str, at: int) -> tuple[set[str], list[str]]:
    """(the keys of the row labels of the line holding offset `at`, the labels as
    written): the cells before `at` (split at tabs, runs of spaces and `|`) and the
    whole text before `at` on the line, each at most 40 characters."""
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    own = [c.strip() for c in re.split(r"\t|\s{2,}|\|", before)]
    own.append(before.strip().rstrip(":：").strip())
    own = [c for c in own if c and len(c) <= 40]
    return {norm_key(c) for c in own} - {""}, own
