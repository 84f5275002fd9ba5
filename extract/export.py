"""Exports for reviewers: records.csv, documents.csv and records.xlsx.

The first seven record columns (doc, text, amount, amount_max, currency, project,
qualifier) have exactly the names and meanings of the labeled-set format
(shared/LABELED_SET.md), so a reviewed records table is itself a labeled set
(`python -m extract gold`). Every file is written to a temporary file in the
same folder and moved into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .errors import output_error
from .failpoints import failpoint
from .fmt import EXACT, display_amount, display_range, exact_sum, in_range, plain
from .models import DocResult, Record
from .store import Store

GOLD_COLUMNS = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]
RECORD_COLUMNS = GOLD_COLUMNS + [
    "project_score",
    "project_id",
    "amount_display",
    "lang",
    "vague",
    "sentence",
    "start",
    "end",
    "location",
    "rule",
    "link_rule",
    "source",
]
DOCUMENT_COLUMNS = [
    "doc",
    "status",
    "reason",
    "lang",
    "format",
    "encoding",
    "size",
    "records",
    "sha256",
    "source",
]
PROJECT_COLUMNS = [
    "project",
    "currency",
    "total",
    "total_display",
    "mentions",
    "documents",
    "languages",
    "written_as",
]
NO_PROJECT = "(no project)"

# Excel stores numbers as doubles: up to 15 significant digits are exact.
EXCEL_EXACT_DIGITS = 15
# Excel holds at most this many characters in a cell; longer text is cut (the CSV keeps it all).
EXCEL_MAX_CELL_CHARS = 32_767
# Excel refuses more hyperlinks than this in one worksheet; later rows get the plain URI.
EXCEL_MAX_LINKS = 65_000
# Column widths in characters (East Asian wide characters count double).
_MAX_WIDTH = {"sentence": 90, "reason": 60, "source": 40, "project": 40, "written_as": 50}
_DEFAULT_MAX_WIDTH = 30
_WIDTH_SAMPLE = 500  # rows looked at to size the columns


@contextmanager
def _replacing(path: Path) -> Iterator[str]:
    """A temporary file beside `path`; when the block succeeds it replaces `path` in one
    step, when it fails it is removed and `path` is untouched. An OSError (disk full,
    read-only folder, immutable file) becomes an OutputError naming `path`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise output_error(path, exc) from exc
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # already gone, or the folder went read-only: the next run removes it
        if isinstance(exc, OSError):
            raise output_error(path, exc) from exc
        raise


@contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO]:
    """Open a temporary file beside `path`; on success it replaces `path` in one step."""
    with _replacing(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_with(path: Path, write: Callable[[Path], None]) -> None:
    """Let `write(tmp_path)` create a file (e.g. a library that wants a path), then move it."""
    with _replacing(path) as tmp:
        write(Path(tmp))


def source_uri(corpus: Path, doc: str) -> str:
    """file:// URI of a document's source file (symlinks not resolved: a loop must not
    raise, and the link in the corpus is what the reviewer knows)."""
    return Path(os.path.abspath(Path(corpus) / doc)).as_uri()


def display_lang(doc_lang: str, record_lang: str) -> str:
    """The language amounts of a document are written for: the document's, if ko/en."""
    if doc_lang in ("ko", "en"):
        return doc_lang
    return record_lang if record_lang in ("ko", "en") else "en"


def record_row(record: Record, doc_lang: str, source: str) -> dict[str, Any]:
    """One records-table row with exact values (Decimal amounts, int offsets, bool vague)."""
    return {
        "doc": record.doc,
        "text": record.text,
        "amount": record.amount,
        "amount_max": record.amount_max,
        "currency": record.currency,
        "project": record.project,
        "qualifier": record.qualifier,
        "project_score": record.project_score,
        "project_id": record.project_id,
        "amount_display": display_range(
            record.amount,
            record.amount_max,
            record.currency,
            display_lang(doc_lang, record.lang),
        ),
        "lang": record.lang,
        "vague": record.vague,
        "sentence": record.sentence,
        "start": record.start,
        "end": record.end,
        "location": record.location,
        "rule": record.rule,
        "link_rule": record.link_rule,
        "source": source,
    }


def document_row(result: DocResult, source: str) -> dict[str, Any]:
    return {
        "doc": result.doc,
        "status": result.status,
        "reason": result.reason,
        "lang": result.lang,
        "format": result.fmt,
        "encoding": result.encoding,
        "size": result.size,
        "records": len(result.records),
        "sha256": result.sha256,
        "source": source,
    }


@dataclass
class ProjectTotal:
    """Money attributed to one project in one currency, over all documents."""

    project: str
    currency: str
    total: Decimal = Decimal(0)
    mentions: int = 0
    docs: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)
    written_as: dict[str, None] = field(default_factory=dict)  # ordered set

    def row(self) -> dict[str, Any]:
        ko = "ko" in self.langs and "en" not in self.langs
        return {
            "project": self.project,
            "currency": self.currency,
            "total": self.total,
            "total_display": display_amount(self.total, self.currency, "ko" if ko else "en"),
            "mentions": self.mentions,
            "documents": len(self.docs),
            "languages": ", ".join(sorted(self.langs)),
            "written_as": "; ".join(list(self.written_as)[:10]),
        }


def project_totals(results: Iterable[DocResult]) -> list[ProjectTotal]:
    """Per project (canonical id, else the name as written) and currency.

    `total` sums the low end of every mention with a definite amount (vague ones
    are counted as mentions only); an amount written twice is summed twice. Mentions
    with no project come last, one `(no project)` row per currency.
    """
    totals: dict[tuple[str, str], ProjectTotal] = {}
    for result in results:
        for r in result.records:
            key = r.project_id or r.project or NO_PROJECT
            entry = totals.setdefault((key, r.currency), ProjectTotal(key, r.currency))
            if r.amount is not None:
                entry.total = exact_sum([entry.total, r.amount])
            entry.mentions += 1
            entry.docs.add(r.doc)
            if r.lang:
                entry.langs.add(r.lang)
            if r.project:
                entry.written_as[r.project] = None
    return sorted(
        totals.values(),
        key=lambda t: (t.project == NO_PROJECT, t.currency, -t.total, -t.mentions, t.project),
    )


# -- CSV ---------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, Decimal):
        return plain(value)
    return _no_surrogates(str(value))


def _no_surrogates(text: str) -> str:
    """Lone surrogates (undecodable bytes in a file name) become U+FFFD: they cannot be
    written as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def xlsx_text(value: Any) -> Any:
    """A string as a workbook can hold it: characters XML forbids and lone surrogates
    become U+FFFD, and text beyond EXCEL_MAX_CELL_CHARS is cut with an ellipsis.
    Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", _no_surrogates(value))
    if len(text) > EXCEL_MAX_CELL_CHARS:
        text = text[: EXCEL_MAX_CELL_CHARS - 1] + "…"
    return text


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    """UTF-8 with BOM (Excel then reads Korean right), RFC 4180 quoting, CRLF lines."""
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row[c]) for c in columns])


# -- XLSX --------------------------------------------------------------------


def text_width(value: Any) -> int:
    """Display width in character cells: Hangul and other wide characters count 2."""
    text = _csv_value(value) if not isinstance(value, int | float) else f"{value:,}"
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def excel_number(amount: Decimal | None) -> int | float | str | None:
    """An amount as an exact Excel cell value: a number up to 15 digits, else text."""
    if amount is None:
        return None
    if not in_range(amount):
        return plain(amount)
    digits = len(EXACT.normalize(amount).as_tuple().digits)
    if digits > EXCEL_EXACT_DIGITS:
        return plain(amount)
    if amount == EXACT.to_integral_value(amount):
        return int(amount)
    return float(amount)


def _widths(columns: list[str], rows: list[dict[str, Any]]) -> list[float]:
    widths = []
    for c in columns:
        longest = max([text_width(c)] + [text_width(r.get(c)) for r in rows[:_WIDTH_SAMPLE]])
        widths.append(min(longest + 2, _MAX_WIDTH.get(c, _DEFAULT_MAX_WIDTH)))
    return widths


class _Sheet:
    """A write-only worksheet with the house style: bold frozen header, filter, widths."""

    def __init__(self, wb: Any, title: str, columns: list[str], rows: list[dict[str, Any]]):
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        # Style objects made once and shared: openpyxl dedups them, but building one
        # per cell costs more than writing the cell.
        self.link_font = Font(color="0563C1", underline="single")
        # Only the sentence wraps; top-aligning every cell would make the export 2.5x slower.
        self.wrap = Alignment(wrap_text=True)
        self.ws = wb.create_sheet(title)
        self.columns = columns
        self.links = 0
        self.ws.freeze_panes = "A2"
        for i, width in enumerate(_widths(columns, rows), start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        last = get_column_letter(len(columns))
        self.ws.auto_filter.ref = f"A1:{last}{max(len(rows), 1) + 1}"
        self._header()

    def _header(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        cells = []
        for c in self.columns:
            cell = WriteOnlyCell(self.ws, value=c)
            cell.font, cell.fill = font, fill
            cells.append(cell)
        self.ws.append(cells)

    def cell(self, value: Any, **style: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=xlsx_text(value))
        for key, val in style.items():
            setattr(cell, key, val)
        return cell

    def amount(self, value: Decimal | None) -> Any:
        from openpyxl.comments import Comment

        number = excel_number(value)
        if number is None:
            return None
        if isinstance(number, str):
            cell = self.cell(number)
            cell.comment = Comment(
                f"More than {EXCEL_EXACT_DIGITS} digits: kept as text so it stays exact.",
                "extract",
            )
            return cell
        fmt = "#,##0" if isinstance(number, int) else "#,##0.##########"
        return self.cell(number, number_format=fmt)

    def write(self, rows: list[dict[str, Any]], makers: dict[str, Callable[[Any], Any]]) -> None:
        """One sheet row per dict; `makers` turn a column's value into a styled cell."""
        for row in rows:
            self.ws.append(
                [makers[c](row[c]) if c in makers else xlsx_text(row[c]) for c in self.columns]
            )

    def link(self, uri: str) -> Any:
        if self.links >= EXCEL_MAX_LINKS:
            return uri
        self.links += 1
        cell = self.cell(uri, font=self.link_font)
        cell.hyperlink = uri
        return cell


def write_xlsx(
    path: Path,
    records: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    projects: list[dict[str, Any]],
) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)

    sheet = _Sheet(wb, "records", RECORD_COLUMNS, records)
    sheet.write(
        records,
        {
            "amount": sheet.amount,
            "amount_max": sheet.amount,
            "sentence": lambda v: sheet.cell(v, alignment=sheet.wrap),
            "source": sheet.link,
        },
    )
    sheet = _Sheet(wb, "documents", DOCUMENT_COLUMNS, documents)
    sheet.write(
        documents,
        {"size": lambda v: sheet.cell(v, number_format="#,##0"), "source": sheet.link},
    )
    sheet = _Sheet(wb, "projects", PROJECT_COLUMNS, projects)
    sheet.write(projects, {"total": sheet.amount})

    atomic_write_with(path, lambda tmp: wb.save(tmp))


def export_all(store: Store, out: Path, corpus: Path) -> list[Path]:
    """Write records.csv, documents.csv and records.xlsx under `out`; return their paths."""
    out = Path(out)
    results = store.document_results()
    records: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for result in results:
        uri = source_uri(corpus, result.doc)
        documents.append(document_row(result, uri))
        records.extend(record_row(r, result.lang, uri) for r in result.records)
    projects = [p.row() for p in project_totals(results)]

    paths = [out / "records.csv", out / "documents.csv", out / "records.xlsx"]
    write_csv(paths[0], RECORD_COLUMNS, records)
    failpoint("during-export")
    write_csv(paths[1], DOCUMENT_COLUMNS, documents)
    write_xlsx(paths[2], records, documents, projects)
    return paths
