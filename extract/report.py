"""outputs/report.html: one self-contained page showing the evidence for every record.

A summary at the top (documents by status, records by language and currency, top
projects), then each document with its money expressions highlighted by spaCy's
displaCy in manual mode (colour = currency, label = ISO code, tooltip = value,
qualifier and project), the linked project's span highlighted too where it is
written near the amount, and a table of the document's records (with the
linker's score, the source location and the review status). Long documents show
only the paragraphs with money. No network: inline CSS and an inline SVG chart,
no scripts, no fonts. Source links are relative to the outputs folder, so a
zipped outputs/ (next to its corpus) still works. The page is built from a
stream of documents: memory holds the first MAX_DOCS_SHOWN documents' HTML and
the aggregates, not the corpus.
"""

from __future__ import annotations

import bisect
import html
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import models
from .export import atomic_open, display_lang, source_href, source_path
from .fmt import display_amount, display_range, exact_sum, grouped, plain
from .models import NO_PROJECT_RULES, DocResult, Record
from .store import Store
from .totals import NO_PROJECT, ProjectTotal, Totals

PROJECT_LABEL = "PROJECT"
# Documents longer than this show only their paragraphs with money.
LONG_DOC_CHARS = 1500
# A paragraph longer than this is cut to windows of this many characters around money.
LONG_PARAGRAPH_CHARS = 1200
WINDOW_CHARS = 240
TOP_PROJECTS = 8
CHART_TOP = 10  # bars per currency in the chart
CHART_CURRENCIES = 3
MAX_DOCS_SHOWN = 300  # documents rendered with their text; a page for 10,000 would be huge
MAX_NAMES_LISTED = 2000

CURRENCY_COLOURS = {
    "KRW": "#9fd3ff",
    "USD": "#a9e8b0",
    "EUR": "#ffd29c",
    "JPY": "#ffb8d2",
    "CNY": "#ffb3b3",
    "GBP": "#cdb8ff",
}
_SPARE_COLOURS = ["#c5f0e8", "#e8d5b0", "#d9d9f3", "#f3d9e8", "#dfeec0", "#f0e0c0"]
PROJECT_COLOUR = "#fff1a8"

# displaCy's ent template with a class, a tooltip and the amount as data attributes.
# Every value put into it is escaped here (displaCy escapes only the text).
_ENT_TEMPLATE = (
    '<mark class="entity {cls}" title="{tip}" data-currency="{currency}" '
    'data-amount="{amount}" style="background: {bg}">{text}'
    '<span class="label">{label}{kb_link}</span></mark>'
)

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Noto Sans CJK KR",
  "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 0; background: #f6f7f9;
  color: #1f2328; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 0; word-break: break-all; }
h3 { font-size: 1em; margin: 0 0 6px; color: #444; }
.sub { color: #57606a; margin: 0 0 18px; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 14px; }
.grid > * { min-width: 0; }
.card { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px 16px; }
.card.wide { grid-column: 1 / -1; }
details { margin: 16px 0 0; font-size: 0.92em; }
summary { cursor: pointer; font-weight: 600; color: #444; }
table { border-collapse: collapse; font-size: 0.88em; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2;
  vertical-align: top; }
th { color: #57606a; font-weight: 600; }
td.nw { white-space: nowrap; }
td.loc { color: #57606a; font-size: 0.92em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.legend { margin-left: 6px; }
.legend mark { padding: 2px 8px; border-radius: 4px; margin-left: 4px; font-size: 0.85em; }
section.doc { background: #fff; border: 1px solid #d8dee4; border-radius: 8px;
  padding: 14px 18px; margin: 18px 0; }
.meta { color: #57606a; font-size: 0.85em; margin: 2px 0 8px; }
.entities { line-height: 2.1 !important; font-size: 0.95em; }
mark.entity { padding: 0.3em 0.45em; margin: 0 0.15em; line-height: 1; border-radius: 0.35em; }
mark.entity .label { font-size: 0.68em; font-weight: 700; margin-left: 0.4em;
  vertical-align: middle; color: #24292f; }
mark.project { border-bottom: 2px solid #d4a72c; }
mark.vague { background-image: repeating-linear-gradient(45deg, transparent 0 4px,
  rgba(255,255,255,.55) 4px 8px); }
.gap { color: #8c959f; font-style: italic; font-size: 0.85em; margin: 4px 0; }
nav ol { columns: 2; font-size: 0.88em; padding-left: 20px; }
.status-error, .status-unsupported { color: #cf222e; font-weight: 600; }
.status-duplicate { color: #9a6700; }
.empty { color: #8c959f; }
body { overflow-wrap: break-word; }
.scroll { overflow-x: auto; max-width: 100%; }
.chart { margin: 8px 0 4px; min-width: 0; }
.chart svg { width: 100%; max-width: 480px; height: auto; display: block; }
.chart text { font-size: 12px; fill: #1f2328; }
.chart .value { fill: #57606a; }
@media (max-width: 700px) {
  main { padding: 12px 10px 40px; }
  .grid { grid-template-columns: minmax(0, 1fr); }
  nav ol { columns: 1; }
  section.doc { padding: 10px 10px; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def colour_of(currency: str) -> str:
    """A currency's highlight colour: fixed for the common ones, else a stable pick."""
    cur = currency.upper()
    return CURRENCY_COLOURS.get(cur) or _SPARE_COLOURS[zlib.crc32(cur.encode()) % 6]


def _colours(currencies: Iterable[str]) -> dict[str, str]:
    colours = {cur.upper(): colour_of(cur) for cur in sorted(set(currencies))}
    colours[PROJECT_LABEL] = PROJECT_COLOUR
    return colours


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def excerpts(
    text: str, spans: list[tuple[int, int]], long_doc: int = LONG_DOC_CHARS
) -> list[tuple[int, int]]:
    """Ranges of `text` to show: all of it when short, else paragraphs (or windows) with money."""
    if len(text) <= long_doc:
        return [(0, len(text))] if text else []
    ranges: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        inside = [(s, e) for s, e in spans if s < p_end and e > p_start]
        if not inside:
            continue
        if p_end - p_start <= LONG_PARAGRAPH_CHARS:
            ranges.append((p_start, p_end))
            continue
        for s, e in inside:
            lo, hi = max(p_start, s - WINDOW_CHARS), min(p_end, e + WINDOW_CHARS)
            if ranges and lo <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hi))
            else:
                ranges.append((lo, hi))
    return ranges


class _Taken:
    """Spans already marked in a document, for "does [a, b) overlap one?" in time
    proportional to the spans near it (a document may hold 20,000 amounts)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._longest = max((e - s for s, e in self._spans), default=0)

    def add(self, span: tuple[int, int]) -> None:
        bisect.insort(self._spans, span)
        self._longest = max(self._longest, span[1] - span[0])

    def overlaps(self, a: int, b: int) -> bool:
        lo = bisect.bisect_left(self._spans, (a - self._longest, -1))
        hi = bisect.bisect_left(self._spans, (b, -1))
        return any(a < e and b > s for s, e in self._spans[lo:hi])


def _project_span(
    text: str,
    record: Record,
    taken: _Taken,
    paragraphs: list[tuple[int, int]],
    found: dict[tuple[str, int, int], list[tuple[int, int]]],
) -> tuple[int, int] | None:
    """Where the record's project is written in its paragraph, nearest to the amount
    (on a tie the earlier), not overlapping a span already marked. `found` caches each
    project's occurrences per paragraph across the document's records."""
    if not record.project.strip():
        return None
    # the lines are disjoint: the last one starting at or before the amount holds it
    k = bisect.bisect_right(paragraphs, (record.start, len(text) + 1)) - 1
    para = paragraphs[k] if k >= 0 and record.start <= paragraphs[k][1] else (0, len(text))
    key = (record.project.strip(), *para)
    hits = found.get(key)
    if hits is None:
        pattern = re.compile(re.escape(key[0]), re.IGNORECASE)
        hits = found[key] = [m.span() for m in pattern.finditer(text, para[0], para[1])]
    # hits are in text order: after the amount the distance grows to the right, before
    # it to the left; a hit overlapping the amount overlaps a marked span
    right = bisect.bisect_left(hits, (record.end, -1))
    after = next((h for h in hits[right:] if not taken.overlaps(*h)), None)
    left = bisect.bisect_right(hits, (record.start, len(text) + 1))
    before = next(
        (h for h in reversed(hits[:left]) if h[1] <= record.start and not taken.overlaps(*h)),
        None,
    )
    if before is None or after is None:
        return before or after
    return before if record.start - before[1] <= after[0] - record.end else after


def _tooltip(record: Record, lang: str) -> str:
    parts = [display_range(record.amount, record.amount_max, record.currency, lang) or "vague"]
    if record.amount is not None:
        exact = plain(record.amount)
        if record.amount_max is not None:
            exact += f"–{plain(record.amount_max)}"
        parts.append(f"{exact} {record.currency}")
    if record.qualifier:
        parts.append(record.qualifier)
    parts.append(f"project: {record.project}" if record.project else "no project")
    if record.project_score is not None:
        parts.append(f"link confidence {record.project_score:.2f}")
    return " · ".join(parts)


def _without_overlaps(ents: list[dict]) -> list[dict]:
    """Sorted spans, dropping any that overlaps an earlier one (displaCy cannot nest them)."""
    kept: list[dict] = []
    for ent in sorted(ents, key=lambda x: (x["start"], x["end"])):
        if not kept or ent["start"] >= kept[-1]["end"]:
            kept.append(ent)
    return kept


_BIDI_SHOWN = {c: 0xFFFD for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _render_document(result: DocResult, renderer: Any) -> str:
    """The document's text (or its paragraphs with money) with amounts and projects marked."""
    # bidirectional overrides shown as U+FFFD (same length, so offsets hold): an unclosed
    # U+202E would draw the rest of the paragraph reversed
    text = result.text.translate(_BIDI_SHOWN)
    paragraphs = _paragraphs(text)
    lang = result.lang
    ents: list[dict] = []
    money_spans = [(r.start, r.end) for r in result.records if 0 <= r.start < r.end <= len(text)]
    taken = _Taken(money_spans)
    found: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    project_of: dict[tuple[int, int], list[str]] = {}
    for r in result.records:
        if not (0 <= r.start < r.end <= len(text)):
            continue
        ents.append(
            {
                "start": r.start,
                "end": r.end,
                "label": _e(r.currency),
                "params": {
                    "cls": "money vague" if r.vague or r.amount is None else "money",
                    "tip": _e(_tooltip(r, display_lang(lang, r.lang))),
                    "currency": _e(r.currency),
                    "amount": _e(plain(r.amount)),
                },
            }
        )
        span = _project_span(text, r, taken, paragraphs, found)
        if span:
            if span not in project_of:
                taken.add(span)
            project_of.setdefault(span, []).append(r.text)
    for (start, end), amounts in project_of.items():
        ents.append(
            {
                "start": start,
                "end": end,
                "label": PROJECT_LABEL,
                "params": {
                    "cls": "project",
                    "tip": _e("project of " + ", ".join(amounts)),
                    "currency": "",
                    "amount": "",
                },
            }
        )
    ents = _without_overlaps(ents)
    parts = []
    ranges = excerpts(text, money_spans)
    shown_all = ranges == [(0, len(text))]
    previous = 0
    for lo, hi in ranges:
        if not shown_all and lo > previous:
            parts.append(_gap(text, previous, lo))
        chunk = [
            {**x, "start": x["start"] - lo, "end": x["end"] - lo}
            for x in ents
            if x["start"] >= lo and x["end"] <= hi
        ]
        parts.append(renderer.render([{"text": text[lo:hi], "ents": chunk, "title": None}]))
        previous = hi
    if not shown_all and previous < len(text.rstrip()):
        parts.append(_gap(text, previous, len(text)))
    return "\n".join(parts)


def _gap(text: str, lo: int, hi: int) -> str:
    skipped = text[lo:hi].strip()
    if not skipped:
        return ""
    paragraphs = sum(1 for line in skipped.split("\n") if line.strip())
    return f'<p class="gap">… {paragraphs} paragraph(s) without money omitted …</p>'


def _records_table(result: DocResult, statuses: list[str] | None = None) -> str:
    """The document's records with the linker's score and the review status; a
    `location` column (page, section, table cell) when the source is paged or
    sectioned (PDF, HWP, HWPX, DOCX)."""
    with_location = any(r.location for r in result.records)
    rows = []
    for n, r in enumerate(result.records):
        lang = display_lang(result.lang, r.lang)
        shown = display_range(r.amount, r.amount_max, r.currency, lang) or "vague"
        exact = "" if r.amount is None else grouped(r.amount)
        if r.amount_max is not None:
            exact += f"–{grouped(r.amount_max)}"
        project = _e(r.project) if r.project else '<span class="empty">—</span>'
        if r.project_id and r.project_id != r.project:
            project += f' <span class="empty">({_e(r.project_id)})</span>'
        score = "" if r.project_score is None else f"{r.project_score:.2f}"
        location = f"<td class='loc'>{_e(r.location)}</td>" if with_location else ""
        status = statuses[n] if statuses else ""
        rows.append(
            f"<tr><td class='nw'>{_e(r.text)}</td><td class='nw'>{_e(shown)}</td>"
            f"<td class='num'>{_e(exact)}</td>"
            f"<td>{_e(r.currency)}</td><td>{_e(r.qualifier)}</td><td>{project}</td>"
            f"<td class='num'>{score}</td>{location}<td>{_e(status)}</td></tr>"
        )
    return (
        "<div class='scroll'><table class='records'><tr><th>as written</th><th>amount</th>"
        "<th>exact</th><th>currency</th><th>qualifier</th><th>project</th>"
        "<th title='the linker&#39;s confidence that the project is right, 0-1'>score</th>"
        + ("<th>location</th>" if with_location else "")
        + "<th>review</th></tr>"
        + "".join(rows)
        + "</table></div>"
    )


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{cell}</td>" if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<div class='scroll'><table><tr>{head}</tr>{body}</table></div>"


def _legend(colours: dict[str, str]) -> str:
    marks = "".join(
        f"<mark style='background:{c}'>{_e(k)}</mark>" for k, c in sorted(colours.items())
    )
    return f"<span class='legend'>Colours: {marks}</span>"


def _renderer(colours: dict[str, str]) -> Any:
    """displaCy's entity renderer in manual mode (what `displacy.render(..., manual=True)`
    uses), built once: building it per document scans the plugin registry each time."""
    from spacy.displacy.render import EntityRenderer

    return EntityRenderer({"colors": colours, "template": _ENT_TEMPLATE})


def _names(names: list[str], total: int) -> str:
    items = "".join(f"<li>{n}</li>" for n in names)
    more = f"<p class='gap'>… and {total - len(names):,} more</p>" if total > len(names) else ""
    return f"<ul>{items}</ul>{more}"


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _project_name(p: ProjectTotal) -> str:
    """The project as the projects sheet names it (a known project by its gazetteer
    name), then how the articles first wrote it where that differs."""
    written = next(iter(p.written_as), p.project)
    shown = _e(p.project)
    if written != p.project:
        shown += f" <span class='empty'>(written {_e(written)})</span>"
    return shown


def chart_svg(totals: list[ProjectTotal], top: int = CHART_TOP) -> str:
    """Inline SVG bar charts of the largest distinct totals, one per currency
    (amounts in different currencies are never on one axis)."""
    by_cur: dict[str, list[ProjectTotal]] = {}
    for t in totals:
        if t.project != NO_PROJECT and t.figures:
            by_cur.setdefault(t.currency, []).append(t)
    currencies = sorted(by_cur, key=lambda c: (-len(by_cur[c]), c))[:CHART_CURRENCIES]
    charts = []
    for cur in currencies:
        bars = sorted(by_cur[cur], key=lambda t: (-t.distinct_total, t.project))[:top]
        peak = bars[0].distinct_total or Decimal(1)
        row_h, bar_w, width = 36, 200, 330
        height = row_h * len(bars) + 4
        parts = []
        for n, t in enumerate(bars):
            y = n * row_h
            w = max(1.0, float(t.distinct_total / peak) * bar_w)
            name = t.project  # as the projects sheet names it
            short = name if len(name) <= 34 else name[:33] + "…"
            value = display_amount(t.distinct_total, cur, t.lang)
            parts.append(
                f"<g><title>{_e(name)}: {_e(value)}</title>"
                f"<text x='0' y='{y + 13}'>{_e(short)}</text>"
                f"<rect x='0' y='{y + 17}' width='{w:.1f}' height='14' "
                f"rx='3' fill='{colour_of(cur)}' stroke='#57606a' stroke-width='0.5'/>"
                f"<text class='value' x='{w + 6:.1f}' y='{y + 29}'>{_e(value)}</text>"
                "</g>"
            )
        charts.append(
            f"<figure class='chart' data-currency='{_e(cur)}'><h3>Top {len(bars)} projects by "
            f"distinct total, {_e(cur)}</h3>"
            f"<svg viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='distinct totals of the top projects in {_e(cur)}'>"
            + "".join(parts)
            + "</svg></figure>"
        )
    if not charts:
        return ""
    return (
        "<div class='card wide'>"
        + "".join(charts)
        + "<p class='meta'>Distinct total: each distinct figure reported for a project once "
        "(repeats, bounds, ranges and the old value of a change left out; see the README).</p>"
        "</div>"
    )


class _Page:
    """Aggregates for the summary, gathered while documents stream past."""

    def __init__(
        self,
        max_docs: int,
        corpus: Path | None,
        out: Path | None,
        projects: list[ProjectTotal] | None = None,
    ) -> None:
        self.max_docs, self.corpus, self.out = max_docs, corpus, out
        self.statuses: Counter[str] = Counter()
        self.by_lc: dict[tuple[str, str], list] = {}
        # the project totals: given (the export's, the same documents) or added up here
        self.projects = projects
        self.totals = Totals() if projects is None else None
        self.n_docs = self.n_records = 0
        self.currencies: set[str] = set()
        self.sections: list[str] = []
        self.toc: list[str] = []
        self.hidden: list[str] = []
        self.n_hidden = 0
        self.failed: list[list[str]] = []
        self.n_failed = 0
        self.no_money: list[str] = []
        self.n_no_money = 0

    def add(self, d: DocResult, statuses: list[str] | None, renderer: Any) -> None:
        self.n_docs += 1
        self.statuses[d.status] += 1
        self.n_records += len(d.records)
        if self.totals is not None:
            self.totals.add_document(d.records, d.text)
        for r in d.records:
            self.currencies.add(r.currency)
            renderer.colors.setdefault(r.currency.upper(), colour_of(r.currency))
            entry = self.by_lc.setdefault((r.lang, r.currency), [0, 0, Decimal(0), set()])
            entry[0] += 1
            if r.amount is None:
                entry[1] += 1
            elif r.link_rule not in NO_PROJECT_RULES:  # a currency's price, a rate's base
                entry[2] = exact_sum([entry[2], r.amount])
            entry[3].add(d.lang or r.lang)
        if d.records:
            if len(self.sections) < self.max_docs:
                self._section(d, statuses, renderer)
            else:
                self.n_hidden += 1
                if len(self.hidden) < MAX_NAMES_LISTED:
                    self.hidden.append(f"{_e(d.doc)} ({len(d.records)})")
        if d.status in (models.ERROR, models.UNSUPPORTED, models.DUPLICATE):
            self.n_failed += 1
            if len(self.failed) < MAX_NAMES_LISTED:
                self.failed.append(
                    [
                        _e(d.doc),
                        f"<span class='status-{_e(d.status)}'>{_e(d.status)}</span>",
                        _e(d.reason),
                    ]
                )
        elif d.status == models.NO_MONEY:
            self.n_no_money += 1
            if len(self.no_money) < MAX_NAMES_LISTED:
                self.no_money.append(_e(d.doc))

    def _section(self, d: DocResult, statuses: list[str] | None, renderer: Any) -> None:
        i = len(self.sections)
        meta = f"{len(d.records)} records · language {d.lang or '?'} · {d.fmt} · {d.encoding}"
        link = ""
        if self.corpus is not None and self.out is not None:
            href = source_href(source_path(self.corpus, d.doc, self.out))
            link = f" · <a href='{_e(href)}'>source file</a>"
        self.toc.append(f"<li><a href='#doc-{i}'>{_e(d.doc)}</a> ({len(d.records)})</li>")
        self.sections.append(
            f"<section class='doc' id='doc-{i}'><h2>{_e(d.doc)}</h2>"
            f"<p class='meta'>{_e(meta)}{link}</p>"
            + (
                _render_document(d, renderer)
                if d.text
                else "<p class='empty'>(text not stored)</p>"
            )
            + _records_table(d, statuses)
            + "</section>"
        )

    def summary(self) -> str:
        order = [models.EXTRACTED, models.NO_MONEY, models.DUPLICATE, models.UNSUPPORTED]
        order.append(models.ERROR)
        status_rows = [
            [f"<span class='status-{_e(s)}'>{_e(s)}</span>", f"{self.statuses[s]:,}"]
            for s in order + sorted(set(self.statuses) - set(order))
            if self.statuses[s]
        ]
        lc_rows = []
        for (lang, cur), (n, vague, total, doc_langs) in sorted(self.by_lc.items()):
            reader = "ko" if lang == "ko" or doc_langs == {"ko"} else "en"
            lc_rows.append(
                [
                    _e(lang or "?"),
                    f"<mark style='background:{colour_of(cur)}'>{_e(cur)}</mark>",
                    f"{n:,}",
                    f"{vague:,}",
                    _e(display_amount(total, cur, reader)),
                ]
            )
        totals = self.projects if self.totals is None else self.totals.sorted()
        projects = [p for p in totals if p.project != NO_PROJECT]
        projects.sort(key=lambda p: (-p.mentions, -p.distinct_total, p.project))
        project_rows = [
            [
                _project_name(p),
                _e(p.currency),
                _e(p.row()["distinct_total_display"]),
                _e(p.row()["largest_display"]),
                f"{p.mentions:,}",
                f"{p.documents:,}",
                _e(", ".join(sorted(p.langs))),
            ]
            for p in projects[:TOP_PROJECTS]
        ]
        return (
            "<div class='grid'>"
            + chart_svg(totals)
            + "<div class='card'><h3>Documents by status</h3>"
            + _table(["status", "documents"], status_rows, {1})
            + "</div><div class='card'><h3>Records by language and currency</h3>"
            + (
                _table(
                    ["lang", "currency", "records", "vague", "sum of all mentions (no rates)"],
                    lc_rows,
                    {2, 3, 4},
                )
                if lc_rows
                else "<p class='empty'>no records</p>"
            )
            + "</div><div class='card wide'><h3>Top projects by mentions</h3>"
            + (
                _table(
                    [
                        "project",
                        "currency",
                        "distinct total",
                        "largest figure",
                        "mentions",
                        "documents",
                        "languages",
                    ],
                    project_rows,
                    {2, 3, 4, 5},
                )
                if project_rows
                else "<p class='empty'>no linked projects</p>"
            )
            + "</div></div>"
        )


def render_report(
    results: Iterable[DocResult | tuple[DocResult, list[str]]],
    max_docs: int = MAX_DOCS_SHOWN,
    corpus: Path | None = None,
    out: Path | None = None,
    projects: list[ProjectTotal] | None = None,
) -> str:
    """The whole page as a string, from documents (with their text and records,
    optionally paired with each record's review status), consumed one at a time.

    The first `max_docs` documents with money are shown with their evidence; the
    rest are listed by name (records.xlsx has every record). With `corpus` and
    `out`, each document links to its source file, relative to `out`. `projects`: the
    project totals of these documents when the caller has them (`export_all`'s), else they
    are added up here.
    """
    page = _Page(max_docs, corpus, out, projects)
    renderer = _renderer(_colours(CURRENCY_COLOURS))
    with page.totals or nullcontext():
        for item in results:
            d, statuses = item if isinstance(item, tuple) else (item, None)
            page.add(d, statuses, renderer)
        summary = page.summary()

    body = [
        "<h1>Money in the news: extraction report</h1>",
        f"<p class='sub'>{_plural(page.n_docs, 'document')}, "
        f"{_plural(page.n_records, 'money record')}. Hover a "
        f"highlighted amount for its value, qualifier and project. "
        f"{_legend(_colours(page.currencies))}</p>",
        summary,
    ]
    if page.sections:
        body.append(
            f"<details><summary>Documents with money ({len(page.sections)})</summary>"
            f"<nav><ol>{''.join(page.toc)}</ol></nav></details>"
        )
    body.extend(page.sections)
    if page.n_hidden:
        body.append(
            "<section class='doc' id='more'><h2>More documents with money</h2>"
            f"<p class='meta'>Only the first {max_docs} documents are shown above; these "
            f"{page.n_hidden:,} are in records.xlsx.</p>"
            + _names(page.hidden, page.n_hidden)
            + "</section>"
        )
    if page.failed:
        body.append(
            "<section class='doc' id='failed'><h2>Documents not processed</h2>"
            + _table(["doc", "status", "reason"], page.failed)
            + (
                f"<p class='gap'>… and {page.n_failed - len(page.failed):,} more</p>"
                if page.n_failed > len(page.failed)
                else ""
            )
            + "</section>"
        )
    if page.no_money:
        body.append(
            "<section class='doc' id='no-money'><h2>Documents without money</h2>"
            + _names(page.no_money, page.n_no_money)
            + "</section>"
        )
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        "<title>Money extraction report</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def write_report(
    store: Store,
    out: Path,
    corpus: Path | None = None,
    projects: list[ProjectTotal] | None = None,
) -> Path:
    """Write out/report.html atomically (corrections applied); return its path. `projects`:
    the project totals `export_all` gave for the same store (`projects_out`), so the report
    does not classify every record again; None adds them up here."""
    from .review import reviewed_documents

    path = Path(out) / "report.html"
    stream = (
        (replace(d, records=[s.record for s in shown]), [s.status for s in shown])
        for d, shown in reviewed_documents(store)
    )
    page = render_report(stream, corpus=corpus, out=out, projects=projects)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    return path
