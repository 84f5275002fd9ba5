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
import math
import re
from collections import Counter
from dataclasses import replace

from ..models import EXCHANGE_RATE, RATE_BASE, MoneyMention, ProjectLink, Sentence, Token
from . import gazetteer
from .context import WORK, clean_project, config, hangul_share, norm_key
from .features import BROAD, Choice, DocFacts, choices
from .generators import Proposal, converted_twin, propose_document
from .scorer import choose, load_weights, logit

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
    facts = DocFacts(text, sentences, [(m.start, m.end) for _i, m in mentions])
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
    _rows_share_label(text, traced, links, weights)
    _totals_take_no_part(text, mentions, links)
    for pos, (_index, mention) in enumerate(mentions):
        if mention.exchange_rate:  # the price of a currency funds nothing (LABELED_SET.md)
            links[pos] = ProjectLink("", "", EXCHANGE_RATE, 1.0)
        elif mention.rate_base:  # `10억원당 일자리 12개`: the unit of a rate funds nothing
            links[pos] = ProjectLink("", "", RATE_BASE, 1.0)
    return links


def _rows_share_label(
    text: str,
    traced: list[tuple[Proposal, list[Choice]]],
    links: list[ProjectLink],
    weights: dict[str, float],
) -> None:
    """A table row's cells share its label: where the row's first cell takes the row
    label (`| 지역균형성장 | 1,430,043 | 2,611,120 | 1,181,077 |`, generator `table_row`),
    a later cell of the row that took a name from elsewhere (the article's item, one
    in view) takes the label too, with its own score for it. Tester20: the 2026 column
    of such rows went to the article's item `교부세` while the 2025 column kept the
    row label. In place."""
    first_choice: dict[tuple[int, str], str] = {}  # (line start, label key) -> first project
    for pos, (prop, options) in enumerate(traced):
        row = [o for o in options if any(g.endswith(".table_row") for g in o.generators)]
        if not row or not row[0].project:
            continue
        label = row[0]
        key = (text.rfind("\n", 0, prop.mention.start) + 1, norm_key(label.project))
        if key not in first_choice:
            first_choice[key] = norm_key(links[pos].project)
            continue
        if first_choice[key] != key[1] or norm_key(links[pos].project) == key[1]:
            continue  # the first cell did not take the label, or this one did
        chosen = next((o for o in options if o.project == links[pos].project), None)
        if chosen is None or not chosen.project or chosen.start >= 0:
            continue  # no project, or a name written at the cell: kept
        score = _share(label, options, weights)
        rule = next(g for g in label.generators if g.endswith(".table_row"))
        links[pos] = ProjectLink(label.project, label.project_id, rule, score)


def _share(option: Choice, options: list[Choice], weights: dict[str, float]) -> float:
    """The softmax share of `option` among `options` (as `choose` gives the best's)."""
    if not weights:
        return 1.0
    logits = [logit(c.features, weights) for c in options]
    top = max(logits)
    total = sum(math.exp(v - top) for v in logits)
    return round(math.exp(logit(option.features, weights) - top) / total, 3)


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
    lines: dict[int, _Line] = {}
    rows: list[tuple[int, _Line, int, list[str]]] = []  # block, line, full cells, the rest
    for _i, m in mentions:
        start = text.rfind("\n", 0, m.start) + 1
        if start not in lines:
            end = text.find("\n", m.start)
            lines[start] = _Line(text, start, len(text) if end < 0 else end, totals)
        line = lines[start]
        k, rest = line.before(m.start)
        rows.append((bisect.bisect_left(breaks, m.start), line, k, rest))
    # how many amounts of each block have a row label with each key: a line's k-th
    # cell is one of the labels of every amount of the line after it
    by_block: dict[int, Counter[str]] = {}
    per_line: dict[tuple[int, int], list[int]] = {}
    for block, line, k, rest in rows:
        per_line.setdefault((block, line.start), []).append(k)
        counts = by_block.get(block)
        if counts is None:  # (not setdefault: a Counter built per row costs more than the rest)
            counts = by_block[block] = Counter()
        for key in {norm_key(c) for c in rest} - {""}:
            if line.first.get(key, k) >= k:  # not already one of its full cells
                counts[key] += 1
    for (block, start), ks in per_line.items():
        ks.sort()
        counts = by_block[block]
        for key, first in lines[start].first.items():
            counts[key] += len(ks) - bisect.bisect_right(ks, first)
    for pos, (block, line, k, rest) in enumerate(rows):
        if not links[pos].project:
            continue
        if line.first_total >= k and not any(_total_label(c, totals) for c in rest):
            continue
        cells = line.keys(k) | ({norm_key(c) for c in rest} - {""})
        project = norm_key(links[pos].project)
        others = by_block[block][project] - (project in cells)
        if others > 0 or project in totals or any(project in c for c in cells):
            links[pos] = ProjectLink("", "", TABLE_TOTAL, links[pos].score)


_LABEL_TAIL = re.compile(r"\s*(?:[(（\[［].*|[*※].*|\s[–—-].*)$")
_CELL_SEP = re.compile(r"\t|\s{2,}|\|")


def _total_label(label: str, totals: set[str]) -> bool:
    """Whether a row label names a total: `합계`, `합 계`, `계 (A)`, `Total (A+B)`."""
    return norm_key(_LABEL_TAIL.sub("", label)) in totals


class _Line:
    """The cells of one line, split once (`_CELL_SEP`: tabs, runs of spaces, `|`), so
    that the row labels before each of its amounts cost no new split of the line.

    The labels before offset `at` are the line's full cells that end before it, the
    piece of the cell `at` falls in, and the whole text before `at` on the line, each
    stripped and at most 40 characters (as a `re.split` of that text would give them)."""

    def __init__(self, text: str, start: int, end: int, totals: set[str]) -> None:
        self.text, self.start = text, start
        self.lead = _skip_space(text, start, end)  # the line's first non-space character
        WORK["rows"] += end - start
        self.ends: list[int] = []  # where each full cell's separator ends
        self.cells: list[str] = []  # the full cells, stripped ("" when > 40 characters)
        at = start
        for sep in _CELL_SEP.finditer(text, start, end):
            cell = text[at : sep.start()].strip()
            self.cells.append(cell if len(cell) <= 40 else "")
            self.ends.append(sep.end())
            at = sep.end()
        self.first: dict[str, int] = {}  # key -> index of the first full cell with it
        self.first_total = len(self.cells)  # index of the first full cell naming a total
        for i, cell in enumerate(self.cells):
            key = norm_key(cell) if cell else ""
            if key:
                self.first.setdefault(key, i)
            if cell and self.first_total == len(self.cells) and _total_label(cell, totals):
                self.first_total = i

    def before(self, at: int) -> tuple[int, list[str]]:
        """(how many full cells end before `at`, the other labels before `at`: the
        piece of the cell it falls in and the whole text before it, when not empty
        and at most 40 characters)."""
        # Only the ends are scanned, never the whole piece (a line of one cell and
        # thousands of amounts): the whitespace skipped at each amount lies between it
        # and the previous amount's last character.
        text = self.text
        k = bisect.bisect_right(self.ends, at)
        lo = _skip_space(text, self.ends[k - 1], at) if k else min(self.lead, at)
        hi = _back_space(text, lo, at)
        out = []
        if 0 < hi - lo <= 40:
            out.append(text[lo:hi])  # the piece: text[cell start:at].strip()
        lo = min(self.lead, at)
        hi = _back_space(text, lo, at)
        while hi > lo and text[hi - 1] in ":：":
            hi -= 1
        hi = _back_space(text, lo, hi)
        if 0 < hi - lo <= 40:
            out.append(text[lo:hi])  # text[line start:at].strip().rstrip(":：").strip()
        WORK["rows"] += 1 + sum(len(c) for c in out)
        return k, out

    def keys(self, k: int) -> set[str]:
        """The keys of the first `k` full cells."""
        return {key for key, i in self.first.items() if i < k}


def _skip_space(text: str, lo: int, hi: int) -> int:
    """The first offset in [lo, hi) not holding whitespace (hi if none)."""
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo


def _back_space(text: str, lo: int, hi: int) -> int:
    """The end of text[lo:hi] once trailing whitespace is cut."""
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi
