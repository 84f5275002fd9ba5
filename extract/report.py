"""outputs/report.html: one self-contained page showing the evidence for every record.

A summary at the top (documents by status, records by language and currency, top
projects), then each document with its money expressions highlighted by spaCy's
displaCy in manual mode (colour = currency, label = ISO code, tooltip = value,
qualifier and project), the linked project's span highlighted too where it is
written near the amount, and a table of the document's records. Long documents
show only the paragraphs with money. No network: inline CSS, no scripts, no fonts.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import models
from .export import atomic_open, display_lang, project_totals
from .fmt import display_range, exact_sum, grouped, plain
from .models import DocResult, Record
from .store import Store

PROJECT_LABEL = "PROJECT"
# Documents longer than this show only their paragraphs with money.
LONG_DOC_CHARS = 1500
# A paragraph longer than this is cut to windows of this many characters around money.
LONG_PARAGRAPH_CHARS = 1200
WINDOW_CHARS = 240
TOP_PROJECTS = 8
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
.grid { display: grid; grid-template-columns: minmax(220px, 1fr) 2fr; gap: 14px; }
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
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _colours(currencies: list[str]) -> dict[str, str]:
    colours: dict[str, str] = {}
    spare = iter(_SPARE_COLOURS * (len(currencies) // len(_SPARE_COLOURS) + 1))
    for cur in sorted(set(currencies)):
        colours[cur.upper()] = CURRENCY_COLOURS.get(cur.upper()) or next(spare)
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


def _project_span(
    text: str, record: Record, taken: list[tuple[int, int]], paragraphs: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Where the record's project is written in its paragraph, nearest to the amount."""
    if not record.project.strip():
        return None
    para = next(((s, e) for s, e in paragraphs if s <= record.start <= e), (0, len(text)))
    pattern = re.compile(re.escape(record.project.strip()), re.IGNORECASE)
    best = None
    for m in pattern.finditer(text, para[0], para[1]):
        if any(m.start() < e and m.end() > s for s, e in taken):
            continue
        distance = min(abs(m.start() - record.end), abs(record.start - m.end()))
        if best is None or distance < best[0]:
            best = (distance, m.start(), m.end())
    return (best[1], best[2]) if best else None


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
    return " · ".join(parts)


def _without_overlaps(ents: list[dict]) -> list[dict]:
    """Sorted spans, dropping any that overlaps an earlier one (displaCy cannot nest them)."""
    kept: list[dict] = []
    for ent in sorted(ents, key=lambda x: (x["start"], x["end"])):
        if not kept or ent["start"] >= kept[-1]["end"]:
            kept.append(ent)
    return kept


def _render_document(result: DocResult, renderer: Any) -> str:
    """The document's text (or its paragraphs with money) with amounts and projects marked."""
    text = result.text
    paragraphs = _paragraphs(text)
    lang = result.lang
    ents: list[dict] = []
    money_spans = [(r.start, r.end) for r in result.records if 0 <= r.start < r.end <= len(text)]
    taken = list(money_spans)
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
        span = _project_span(text, r, taken, paragraphs)
        if span:
            if span not in project_of:
                taken.append(span)
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


def _records_table(result: DocResult) -> str:
    """The document's records; a `location` column (page, section, table cell) when
    the source is paged or sectioned (PDF, HWP, HWPX, DOCX)."""
    rows = []
    located = any(r.location for r in result.records)
    for r in result.records:
        lang = display_lang(result.lang, r.lang)
        shown = display_range(r.amount, r.amount_max, r.currency, lang) or "vague"
        exact = "" if r.amount is None else grouped(r.amount)
        if r.amount_max is not None:
            exact += f"–{grouped(r.amount_max)}"
        project = _e(r.project) if r.project else '<span class="empty">—</span>'
        if r.project_id and r.project_id != r.project:
            project += f' <span class="empty">({_e(r.project_id)})</span>'
        rows.append(
            f"<tr><td class='nw'>{_e(r.text)}</td><td class='nw'>{_e(shown)}</td>"
            f"<td class='num'>{_e(exact)}</td>"
            f"<td>{_e(r.currency)}</td><td>{_e(r.qualifier)}</td><td>{project}</td>"
            + (f"<td class='loc'>{_e(r.location)}</td>" if located else "")
            + "</tr>"
        )
    return (
        "<table class='records'><tr><th>as written</th><th>amount</th><th>exact</th>"
        "<th>currency</th><th>qualifier</th><th>project</th>"
        + ("<th>location</th>" if located else "")
        + "</tr>"
        + "".join(rows)
        + "</table>"
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
    return f"<table><tr>{head}</tr>{body}</table>"


def _summary(results: list[DocResult], colours: dict[str, str]) -> str:
    statuses = Counter(r.status for r in results)
    order = [models.EXTRACTED, models.NO_MONEY, models.DUPLICATE, models.UNSUPPORTED, models.ERROR]
    status_rows = [
        [f"<span class='status-{_e(s)}'>{_e(s)}</span>", str(statuses[s])]
        for s in order + sorted(set(statuses) - set(order))
        if statuses[s]
    ]
    by_lc: dict[tuple[str, str], list] = {}
    for result in results:
        for r in result.records:
            entry = by_lc.setdefault((r.lang, r.currency), [0, 0, Decimal(0)])
            entry[0] += 1
            if r.amount is None:
                entry[1] += 1
            else:
                entry[2] = exact_sum([entry[2], r.amount])
    lc_rows = [
        [
            _e(lang or "?"),
            f"<mark style='background:{colours.get(cur.upper(), '#ddd')}'>{_e(cur)}</mark>",
            str(n),
            str(vague),
            _e(grouped(total)),
        ]
        for (lang, cur), (n, vague, total) in sorted(by_lc.items())
    ]
    projects = [p for p in project_totals(results) if p.project != "(no project)"]
    projects.sort(key=lambda p: (-p.mentions, -p.total, p.project))
    project_rows = []
    for p in projects[:TOP_PROJECTS]:
        row = p.row()
        name = next(iter(p.written_as), p.project)
        shown = _e(name)
        if name != p.project:  # a gazetteer id: say which canonical project this is
            shown += f" <span class='empty'>({_e(p.project)})</span>"
        project_rows.append(
            [
                shown,
                _e(p.currency),
                _e(row["total_display"]),
                str(p.mentions),
                str(len(p.docs)),
                _e(row["languages"]),
            ]
        )
    return (
        "<div class='grid'>"
        "<div class='card'><h3>Documents by status</h3>"
        + _table(["status", "documents"], status_rows, {1})
        + "</div><div class='card'><h3>Records by language and currency</h3>"
        + (
            _table(
                ["lang", "currency", "records", "vague", "total of mentions"], lc_rows, {2, 3, 4}
            )
            if lc_rows
            else "<p class='empty'>no records</p>"
        )
        + "</div><div class='card wide'><h3>Top projects</h3>"
        + (
            _table(
                ["project", "currency", "total of mentions", "mentions", "documents", "languages"],
                project_rows,
                {2, 3, 4},
            )
            if project_rows
            else "<p class='empty'>no linked projects</p>"
        )
        + "</div></div>"
    )


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


def _names(docs: list[DocResult], counts: bool, limit: int = MAX_NAMES_LISTED) -> str:
    count = (lambda d: f" ({len(d.records)})") if counts else (lambda d: "")
    items = "".join(f"<li>{_e(d.doc)}{count(d)}</li>" for d in docs[:limit])
    more = f"<p class='gap'>… and {len(docs) - limit} more</p>" if len(docs) > limit else ""
    return f"<ul>{items}</ul>{more}"


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def render_report(results: list[DocResult], max_docs: int = MAX_DOCS_SHOWN) -> str:
    """The whole page as a string, from documents with their text and records.

    The first `max_docs` documents with money are shown with their evidence; the
    rest are listed by name (records.xlsx has every record).
    """
    currencies = [r.currency for d in results for r in d.records]
    colours = _colours(currencies)
    renderer = _renderer(colours)
    with_money = [d for d in results if d.records]
    shown, hidden = with_money[:max_docs], with_money[max_docs:]
    failed = [
        d for d in results if d.status in (models.ERROR, models.UNSUPPORTED, models.DUPLICATE)
    ]
    no_money = [d for d in results if d.status == models.NO_MONEY]
    n_records = sum(len(d.records) for d in results)

    body = [
        "<h1>Money in the news: extraction report</h1>",
        f"<p class='sub'>{_plural(len(results), 'document')}, "
        f"{_plural(n_records, 'money record')}. Hover a "
        f"highlighted amount for its value, qualifier and project. {_legend(colours)}</p>",
        _summary(results, colours),
    ]
    if with_money:
        toc = "".join(
            f"<li><a href='#doc-{i}'>{_e(d.doc)}</a> ({len(d.records)})</li>"
            for i, d in enumerate(shown)
        )
        body.append(
            f"<details><summary>Documents with money ({len(shown)})</summary>"
            f"<nav><ol>{toc}</ol></nav></details>"
        )
    for i, d in enumerate(shown):
        meta = f"{len(d.records)} records · language {d.lang or '?'} · {d.fmt} · {d.encoding}"
        body.append(
            f"<section class='doc' id='doc-{i}'><h2>{_e(d.doc)}</h2>"
            f"<p class='meta'>{_e(meta)}</p>"
            + (
                _render_document(d, renderer)
                if d.text
                else "<p class='empty'>(text not stored)</p>"
            )
            + _records_table(d)
            + "</section>"
        )
    if hidden:
        body.append(
            "<section class='doc' id='more'><h2>More documents with money</h2>"
            f"<p class='meta'>Only the first {max_docs} documents are shown above; these "
            f"{len(hidden)} are in records.xlsx.</p>" + _names(hidden, counts=True) + "</section>"
        )
    if failed:
        rows = [
            [_e(d.doc), f"<span class='status-{_e(d.status)}'>{_e(d.status)}</span>", _e(d.reason)]
            for d in failed
        ]
        body.append(
            "<section class='doc' id='failed'><h2>Documents not processed</h2>"
            + _table(["doc", "status", "reason"], rows)
            + "</section>"
        )
    if no_money:
        body.append(
            "<section class='doc' id='no-money'><h2>Documents without money</h2>"
            + _names(no_money, counts=False)
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


def write_report(store: Store, out: Path) -> Path:
    """Write out/report.html atomically; return its path."""
    path = Path(out) / "report.html"
    page = render_report(store.document_results(with_text=True))
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    return path
