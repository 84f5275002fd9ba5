"""Exports for reviewers: records.csv, documents.csv and records.xlsx.

The first seven record columns (doc, text, amount, amount_max, currency, project,
qualifier) have exactly the names and meanings of the labeled-set format
(shared/LABELED_SET.md), so a reviewed records table is itself a labeled set
(`python -m extract gold`). Every file is written to a temporary file in the
same folder and moved into place, so a crash never leaves half a file.

Exports stream from the store one document at a time (memory does not grow with
the corpus): records.csv, records.parquet, documents.csv and records.xlsx are
written side by side in one pass, with the reviewer's corrections applied
(extract/review.py). Formula safety: a text cell is always a text cell in the
workbook (XlsxWriter with strings_to_formulas off, every string written as a
string), and a CSV cell that a spreadsheet would evaluate (it starts with `=`,
`+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP's CSV-injection advice);
`csv_cell_back` undoes it when we read our own CSV.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import tempfile
import urllib.parse
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, output_error
from .failpoints import failpoint
from .fmt import EXACT, display_range, grouped, in_range, plain
from .models import DocResult, Record
from .store import Store
from .totals import (
    NO_PROJECT,
    PROJECT_COLUMNS,
    ProjectTotal,
    Totals,
    project_totals,
    written_negative,
)

GOLD_COLUMNS = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]
RECORD_COLUMNS = GOLD_COLUMNS + [
    "status",
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
    "key",
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

# Excel stores numbers as doubles: up to 15 significant digits are exact.
EXCEL_EXACT_DIGITS = 15
# Excel refuses more hyperlinks than this in one worksheet; later rows get the plain URI.
EXCEL_MAX_LINKS = 65_000
# Column widths in characters (East Asian wide characters count double).
_MAX_WIDTH = {
    "sentence": 80,
    "reason": 60,
    "source": 40,
    "project": 40,
    "written_as": 50,
    "note": 60,
}
_DEFAULT_MAX_WIDTH = 30
_MIN_WIDTH = 6
LINE_POINTS = 16  # height of one wrapped line of 11-point text (Korean glyphs are taller)
# xlsx holds 1,048,576 rows a sheet; we stop at a round number and say so.
XLSX_MAX_RECORDS = 1_000_000
CHART_TOP = 10  # projects per chart
CHART_CURRENCIES = 3  # charts (one per currency, the currencies with most projects)
PARQUET_BATCH = 10_000
# records.parquet amounts: decimal128(38, 4) (exact: 34 integer digits, 4 decimals)
PARQUET_PRECISION, PARQUET_SCALE = 38, 4


PENDING_SUFFIX = ".pending-sha256"


def pending_marker(path: Path) -> Path:
    """Where the sha256 of an output about to replace `path` is noted (see _replacing)."""
    path = Path(path)
    return path.parent / f".{path.name}{PENDING_SUFFIX}"


def clear_pending(out: Path) -> None:
    """Drop the pending markers once the store has recorded what the outputs are."""
    for marker in Path(out).glob(f".*{PENDING_SUFFIX}"):
        marker.unlink(missing_ok=True)


def _note_pending(tmp: str, path: Path) -> None:
    # A run killed after this rename but before the store records the new file must
    # not take the file for a reviewer's edit next time: note its hash first.
    with open(tmp, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256")  # reads into one small reused buffer
    pending_marker(path).write_text(digest.hexdigest(), encoding="ascii")


@contextmanager
def _replacing(path: Path, mark_pending: bool = False) -> Iterator[str]:
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
        if mark_pending:
            _note_pending(tmp, path)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # already gone, or the folder went read-only: the next run removes it
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise output_error(path, exc) from exc
        raise


@contextmanager
def atomic_open(
    path: Path, mode: str = "w", mark_pending: bool = False, **kwargs: Any
) -> Iterator[IO]:
    """Open a temporary file beside `path`; on success it replaces `path` in one step
    (`mark_pending`: the new file's sha256 is noted beside it first, see _replacing)."""
    with _replacing(path, mark_pending) as tmp, open(tmp, mode, **kwargs) as fh:
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


def source_path(corpus: Path, doc: str, out: Path) -> str:
    """The source file's path relative to the outputs folder, POSIX separators
    (`../corpora/ko/a.txt`): links keep working when outputs/ and the corpus move
    or are zipped together."""
    # abspath, not resolve(): a symlink loop in the corpus must not raise here.
    target = os.path.abspath(Path(corpus) / doc)
    return Path(os.path.relpath(target, os.path.abspath(out))).as_posix()


def source_href(path: str) -> str:
    """A relative path as a URL reference (`%20` for spaces, `#` escaped)."""
    return urllib.parse.quote(path, safe="/")


def display_lang(doc_lang: str, record_lang: str) -> str:
    """The language amounts of a document are written for: the document's, if ko/en."""
    if doc_lang in ("ko", "en"):
        return doc_lang
    return record_lang if record_lang in ("ko", "en") else "en"


def record_row(
    record: Record, doc_lang: str, source: str, status: str = "unreviewed", key: str = ""
) -> dict[str, Any]:
    """One records-table row with exact values (Decimal amounts, int offsets, bool vague)."""
    return {
        "doc": record.doc,
        "text": record.text,
        "amount": record.amount,
        "amount_max": record.amount_max,
        "currency": record.currency,
        "project": record.project,
        "qualifier": record.qualifier,
        "status": status,
        "project_score": record.project_score,
        "project_id": record.project_id,
        "amount_display": _signed(
            record.text,
            display_range(
                record.amount,
                record.amount_max,
                record.currency,
                display_lang(doc_lang, record.lang),
            ),
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
        "key": key,
    }


def document_row(result: DocResult, source: str, records: int | None = None) -> dict[str, Any]:
    return {
        "doc": result.doc,
        "status": result.status,
        "reason": result.reason,
        "lang": result.lang,
        "format": result.fmt,
        "encoding": result.encoding,
        "size": result.size,
        "records": len(result.records) if records is None else records,
        "sha256": result.sha256,
        "source": source,
    }


# -- CSV ---------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def csv_safe(text: str) -> str:
    """`'` before a cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR
    first), so it opens as text; plain numbers (`-5`, `1.5`) are left alone."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell_back(text: str) -> str:
    """Undo `csv_safe` on a cell read from one of our CSV files."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int | float):
        return str(value)
    return csv_safe(_no_surrogates(str(value)))


def _no_surrogates(text: str) -> str:
    """Lone surrogates (undecodable bytes in a file name) become U+FFFD: they cannot be
    written as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xlsx_text(value: str) -> str:
    """A string as a workbook can hold it: characters XML forbids and lone surrogates
    become U+FFFD, and text beyond 32,767 characters (Excel's cell limit) is cut."""
    text = _XML_ILLEGAL.sub("\ufffd", _no_surrogates(value))
    return text if len(text) <= 32_767 else text[:32_766] + "…"


class _CsvOut:
    """A CSV file written row by row: UTF-8 with BOM (Excel then reads Korean
    right), RFC 4180 quoting, CRLF lines; in place only when the block succeeds."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path, self.columns = Path(path), columns

    def __enter__(self) -> _CsvOut:
        self._stack = ExitStack()
        self._fh = self._stack.enter_context(
            atomic_open(self.path, "w", mark_pending=True, encoding="utf-8-sig", newline="")
        )
        self._writer = csv.writer(self._fh)
        self._writer.writerow(self.columns)
        return self

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow([_csv_value(row[c]) for c in self.columns])

    def __exit__(self, *exc: Any) -> bool | None:
        return self._stack.__exit__(*exc)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    """Rows (dicts holding at least `columns`) to a CSV file, formula-safe."""
    with _CsvOut(path, columns) as out:
        for row in rows:
            out.write(row)


# -- Parquet -----------------------------------------------------------------


def parquet_decimal(amount: Decimal | None) -> Decimal | None:
    """The amount if decimal128(38, 4) holds it exactly, else None."""
    if amount is None or not in_range(amount):
        return None
    exponent = EXACT.normalize(amount).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PARQUET_SCALE:
        return None
    if abs(amount) >= Decimal(10) ** (PARQUET_PRECISION - PARQUET_SCALE):
        return None
    return EXACT.quantize(amount, Decimal(1).scaleb(-PARQUET_SCALE))


def arrow_column(values: list[Any], type_: Any) -> Any:
    """A pyarrow array of `values` (Python str/int/float/bool/Decimal or None) of type
    string, int64, float64, bool or decimal128(38, 4), built from raw buffers.

    Same array as `pyarrow.array(values, type_)`, but that call imports pandas (about a
    second) whenever pandas is installed; any other value or type takes that path."""
    import pyarrow as pa

    n = len(values)
    valid = sum(1 << i for i, v in enumerate(values) if v is not None)
    nulls = n - valid.bit_count()
    validity = pa.py_buffer(valid.to_bytes((n + 7) // 8 or 1, "little")) if nulls else None

    def fits(*kinds: type) -> bool:
        return all(v is None or (type(v) in kinds) for v in values)

    if type_ == pa.string() and fits(str):
        data = [v.encode("utf-8") if v is not None else b"" for v in values]
        offsets = array("i", [0])
        total = 0
        for chunk in data:
            total += len(chunk)
            offsets.append(total)
        if total < 2**31:
            buffers = [validity, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data))]
            return pa.Array.from_buffers(type_, n, buffers, null_count=nulls)
    elif type_ == pa.int64() and fits(int):
        packed = array("q", [v if v is not None else 0 for v in values])
        return pa.Array.from_buffers(type_, n, [validity, pa.py_buffer(packed.tobytes())], nulls)
    elif type_ == pa.float64() and fits(float, int):
        packed = array("d", [float(v) if v is not None else 0.0 for v in values])
        return pa.Array.from_buffers(type_, n, [validity, pa.py_buffer(packed.tobytes())], nulls)
    elif type_ == pa.bool_() and fits(bool):
        bits = sum(1 << i for i, v in enumerate(values) if v)
        packed = pa.py_buffer(bits.to_bytes((n + 7) // 8 or 1, "little"))
        return pa.Array.from_buffers(type_, n, [validity, packed], nulls)
    elif isinstance(type_, pa.Decimal128Type) and fits(Decimal):
        scaled = [0 if v is None else _scaled_int(v, type_.scale) for v in values]
        if all(x is not None and abs(x) < 10**type_.precision for x in scaled):
            raw = b"".join(x.to_bytes(16, "little", signed=True) for x in scaled)  # type: ignore[union-attr]
            return pa.Array.from_buffers(type_, n, [validity, pa.py_buffer(raw)], nulls)
    return pa.array(values, type=type_)


def _scaled_int(value: Decimal, scale: int) -> int | None:
    """value x 10**scale as an int, or None when that is not a whole number."""
    if not value.is_finite():
        return None
    sign, digits, exponent = value.as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    shift = int(exponent) + scale
    if shift < 0:
        if mantissa % 10**-shift:
            return None
        mantissa //= 10**-shift
    else:
        mantissa *= 10**shift
    return -mantissa if sign else mantissa


class _ParquetOut:
    """records.parquet (pyarrow), written in batches: the same columns as
    records.csv; amounts as decimal128(38, 4), offsets int64, vague boolean."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.batch: list[dict[str, Any]] = []
        self.unrepresentable = 0

    def _schema(self) -> Any:
        import pyarrow as pa

        money = pa.decimal128(PARQUET_PRECISION, PARQUET_SCALE)
        types = {
            "amount": money,
            "amount_max": money,
            "project_score": pa.float64(),
            "vague": pa.bool_(),
            "start": pa.int64(),
            "end": pa.int64(),
        }
        return pa.schema([(c, types.get(c, pa.string())) for c in RECORD_COLUMNS])

    def __enter__(self) -> _ParquetOut:
        import pyarrow.parquet as pq

        self._stack = ExitStack()
        tmp = self._stack.enter_context(_replacing(self.path))
        self.schema = self._schema()
        self._writer = pq.ParquetWriter(tmp, self.schema, compression="zstd")
        return self

    def write(self, row: dict[str, Any]) -> None:
        row = dict(row)
        for c in ("amount", "amount_max"):
            exact = parquet_decimal(row[c])
            if exact is None and row[c] is not None:
                self.unrepresentable += 1
            row[c] = exact
        self.batch.append(row)
        if len(self.batch) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.batch:
            arrays = [arrow_column([r[f.name] for r in self.batch], f.type) for f in self.schema]
            self._writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self.batch = []

    def __exit__(self, exc_type: Any, *rest: Any) -> bool | None:
        try:
            if exc_type is None:
                self._flush()
        finally:
            self._writer.close()
        return self._stack.__exit__(exc_type, *rest)


# -- XLSX --------------------------------------------------------------------

# East Asian wide and fullwidth characters (Hangul, CJK, fullwidth forms).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def text_width(value: Any) -> int:
    """Display width in character cells of a value as the workbook shows it:
    numbers with thousands separators, Hangul and other wide characters count 2."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        digits = len(str(abs(value)))
        return digits + (digits - 1) // 3 + (value < 0)
    if isinstance(value, Decimal):
        return len(grouped(value))
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    text = str(value)
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


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


class _Sheet:
    """A constant-memory XlsxWriter worksheet with the house style: bold frozen
    header, autofilter, column widths from the widest formatted value."""

    def __init__(self, out: _XlsxOut, title: str, columns: list[str], links: bool = False) -> None:
        self.out, self.columns = out, columns
        # A sheet with links keeps them in a temporary file, not in memory.
        self.ws = out.wb.add_worksheet(title, out.link_sheet if links else None)
        self.col = {c: i for i, c in enumerate(columns)}
        self.widths = [text_width(c) for c in columns]
        self.caps = [_MAX_WIDTH.get(c, _DEFAULT_MAX_WIDTH) for c in columns]
        self.row = 0
        self.links = 0
        for i, c in enumerate(columns):
            self.ws.write_string(0, i, c, out.header)
        self.ws.freeze_panes(1, 0)

    def _measure(self, i: int, shown: Any) -> None:
        width = self.widths[i]
        if width >= self.caps[i]:
            return
        if isinstance(shown, str) and 2 * len(shown) <= width:
            return  # two cells a character at most (text_width): it cannot be wider
        self.widths[i] = max(width, text_width(shown))

    def put(self, c: str, value: Any, fmt: Any = None) -> None:
        """One cell of the current row: text always as text, numbers as numbers."""
        i = self.col[c]
        r = self.row
        if value is None or value == "":
            return
        # XlsxWriter's undecorated writers: the public ones only add A1-notation parsing.
        if isinstance(value, bool):
            self.ws._write_boolean(r, i, value, fmt)
        elif isinstance(value, int | float | Decimal):
            self.ws._write_number(r, i, value, fmt)
        else:
            self.ws._write_string(r, i, xlsx_text(str(value)), fmt)
        self._measure(i, value)

    def amount(self, c: str, value: Decimal | None) -> None:
        number = excel_number(value)
        if number is None:
            return
        if isinstance(number, str):
            self.ws.write_string(self.row, self.col[c], number)
            self.ws.write_comment(
                self.row,
                self.col[c],
                f"More than {EXCEL_EXACT_DIGITS} digits: kept as text so it stays exact.",
                {"author": "extract"},
            )
        else:
            fmt = self.out.whole if isinstance(number, int) else self.out.fraction
            self.ws._write_number(self.row, self.col[c], number, fmt)
        self._measure(self.col[c], value)

    def link(self, c: str, path: str) -> None:
        """A relative link to a source file (plain text past Excel's link limit)."""
        href = source_href(path)
        if self.links >= EXCEL_MAX_LINKS or len(href) > 2000:
            self.put(c, path)
            return
        url = "external:" + href
        if not self.ws.external_link(self.row, self.col[c], url, path, self.out.link):
            self.put(c, path)
            return
        self.links += 1
        self._measure(self.col[c], path)

    def finish(self) -> None:
        for i, width in enumerate(self.widths):
            self.ws.set_column(i, i, max(_MIN_WIDTH, min(width + 2, self.caps[i])))
        self.ws.autofilter(0, 0, max(self.row, 1), len(self.columns) - 1)


_FORGET_ROWS = 10_000


def _forget_written_rows(ws: Any, row: int) -> None:
    """Drop XlsxWriter's per-row height records of rows already flushed to disk.

    In constant-memory mode a row is written out when the next one starts, but
    XlsxWriter (3.x) keeps every `set_row` height in `row_info`/`row_sizes`
    (~200 bytes a row: 200 MB at a million rows); only chart and image placement
    read them later, and the records sheet has neither."""
    for table in (getattr(ws, "row_info", None), getattr(ws, "row_sizes", None)):
        if isinstance(table, dict):
            for r in [r for r in table if r < row - 1]:
                del table[r]


class _XlsxOut:
    """records.xlsx written in one streaming pass (XlsxWriter, constant memory):
    sheets `records`, `documents`, `projects` (with bar charts), and a first sheet
    `note` when the records do not all fit."""

    def __init__(self, path: Path, truncated: bool = False) -> None:
        self.path, self.truncated = Path(path), truncated
        self.records_written = 0
        self.records_seen = 0

    def __enter__(self) -> _XlsxOut:
        from .xlsxlinks import SpilledLinksSheet, Workbook

        self.link_sheet = SpilledLinksSheet
        self._stack = ExitStack()
        tmp = self._stack.enter_context(_replacing(self.path, mark_pending=True))
        self.wb = Workbook(
            tmp,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
            },
        )
        wb = self.wb
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.whole = wb.add_format({"num_format": "#,##0"})
        self.fraction = wb.add_format({"num_format": "#,##0.##########"})
        self.score = wb.add_format({"num_format": "0.00"})
        self.count = wb.add_format({"num_format": "#,##0"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1})
        self.note_sheet = wb.add_worksheet("note") if self.truncated else None
        self.records = _Sheet(self, "records", RECORD_COLUMNS, links=True)
        self.documents = _Sheet(self, "documents", DOCUMENT_COLUMNS, links=True)
        self.projects = _Sheet(self, "projects", PROJECT_COLUMNS)
        if self.note_sheet is None:
            self.records.ws.activate()
        else:
            self.note_sheet.activate()
        self._sentence_width = self.records.caps[self.records.col["sentence"]]
        self._last_sentence, self._last_lines = "", 1
        return self

    def record(self, row: dict[str, Any]) -> bool:
        """Write one records row; False when the sheet is full (see XLSX_MAX_RECORDS)."""
        self.records_seen += 1
        if self.records_written >= XLSX_MAX_RECORDS:
            return False
        sheet = self.records
        sheet.row += 1
        self.records_written += 1
        sentence = row["sentence"] or ""
        if sentence != self._last_sentence:  # amounts of one sentence come together
            self._last_sentence = sentence
            self._last_lines = sum(
                max(1, math.ceil(text_width(part) / (self._sentence_width * 0.85)))
                for part in sentence.split("\n")
            )
        lines = self._last_lines
        if lines > 1:
            sheet.ws.set_row(sheet.row, LINE_POINTS * lines)
        if sheet.row % _FORGET_ROWS == 0:
            _forget_written_rows(sheet.ws, sheet.row)
        for c in RECORD_COLUMNS:
            value = row[c]
            if c in ("amount", "amount_max"):
                sheet.amount(c, value)
            elif c == "sentence":
                sheet.put(c, value, self.wrap)
            elif c == "source":
                sheet.link(c, value)
            elif c == "project_score":
                sheet.put(c, value, self.score)
            else:
                sheet.put(c, value)
        return True

    def document(self, row: dict[str, Any]) -> None:
        sheet = self.documents
        sheet.row += 1
        for c in DOCUMENT_COLUMNS:
            if c == "source":
                sheet.link(c, row[c])
            elif c in ("size", "records"):
                sheet.put(c, row[c], self.count)
            else:
                sheet.put(c, row[c])

    def project_rows(self, rows: list[dict[str, Any]]) -> None:
        sheet = self.projects
        for row in rows:
            sheet.row += 1
            for c in PROJECT_COLUMNS:
                if c in ("distinct_total", "largest"):
                    sheet.amount(c, row[c])
                elif c in ("figures", "mentions", "documents"):
                    sheet.put(c, row[c], self.count)
                else:
                    sheet.put(c, row[c])
        self._charts(rows)

    def _charts(self, rows: list[dict[str, Any]]) -> None:
        """Bar charts of the largest distinct totals, one per currency."""
        blocks: dict[str, list[int]] = {}
        for i, row in enumerate(rows, start=1):
            if row["project"] != NO_PROJECT and isinstance(
                excel_number(row["distinct_total"]), int | float
            ):
                blocks.setdefault(row["currency"], []).append(i)
        biggest = sorted(blocks, key=lambda cur: (-len(blocks[cur]), cur))[:CHART_CURRENCIES]
        total_col = PROJECT_COLUMNS.index("distinct_total")
        anchor_col = len(PROJECT_COLUMNS) + 1
        for n, cur in enumerate(biggest):
            first = blocks[cur][0]
            last = first + min(CHART_TOP, len(blocks[cur])) - 1
            chart = self.wb.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": f"distinct total ({cur})",
                    "categories": ["projects", first, 0, last, 0],
                    "values": ["projects", first, total_col, last, total_col],
                    "fill": {"color": "#4472C4"},
                }
            )
            chart.set_title({"name": f"Top {last - first + 1} projects by distinct total, {cur}"})
            chart.set_legend({"none": True})
            chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
            chart.set_y_axis({"reverse": True})
            self.projects.ws.insert_chart(
                1 + n * 22, anchor_col, chart, {"x_scale": 1.5, "y_scale": 1.4}
            )

    def note(self) -> str:
        """The row-limit note ("" when every record fits)."""
        if self.records_seen <= XLSX_MAX_RECORDS:
            return ""
        return (
            f"records.xlsx holds the first {XLSX_MAX_RECORDS:,} rows of {self.records_seen:,} "
            "(the xlsx format's limit is 1,048,576); all rows are in records.csv and "
            "records.parquet"
        )

    def __exit__(self, exc_type: Any, *rest: Any) -> bool | None:
        try:
            if exc_type is None:
                if self.note_sheet is not None:
                    text = self.note() or (
                        f"All {self.records_seen:,} records fit in the records sheet."
                    )
                    self.note_sheet.set_column(0, 0, 120)
                    self.note_sheet.write_string(0, 0, text, self.header)
                for sheet in (self.records, self.documents, self.projects):
                    sheet.finish()
                self.wb.close()
        finally:
            for sheet in (self.records, self.documents):
                sheet.ws.close_spill()
            result = self._stack.__exit__(exc_type, *rest)
        return result


def write_xlsx(
    path: Path,
    records: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    projects: list[dict[str, Any]],
) -> None:
    """records.xlsx from rows already built (record_row, document_row, ProjectTotal.row)."""
    with _XlsxOut(path, truncated=len(records) > XLSX_MAX_RECORDS) as out:
        for row in records:
            out.record(row)
        for row in documents:
            out.document(row)
        out.project_rows(projects)


def _written(result: DocResult, shown: Any) -> tuple:
    r = shown.record
    return (
        shown.key,
        r.doc,
        result.sha256,
        r.start,
        r.end,
        r.text,
        r.sentence,
        None if r.amount is None else plain(r.amount),
        None if r.amount_max is None else plain(r.amount_max),
        r.currency,
        r.project,
        r.qualifier,
        shown.status,
    )


def export_all(
    store: Store,
    out: Path,
    corpus: Path,
    notes: list[str] | None = None,
    projects_out: list[ProjectTotal] | None = None,
) -> list[Path]:
    """Write records.csv, records.parquet, documents.csv, records.xlsx and
    corrections.csv under `out` in one pass over the store, corrections applied;
    return their paths. Lines for the run summary (row limit, corrections that
    found no record, ...) are appended to `notes`; the project totals (the projects
    sheet's rows, sorted) to `projects_out`, for the report."""
    from .review import remember_outputs, reviewed_documents, write_corrections_csv

    out = Path(out)
    notes = [] if notes is None else notes
    paths = [out / n for n in ("records.csv", "documents.csv", "records.xlsx", "records.parquet")]
    truncated = store.count_records() > XLSX_MAX_RECORDS
    stream = reviewed_documents(store)
    store.begin()
    try:
        with (
            Totals() as totals,
            _CsvOut(paths[0], RECORD_COLUMNS) as records_csv,
            _CsvOut(paths[1], DOCUMENT_COLUMNS) as documents_csv,
            _XlsxOut(paths[2], truncated) as xlsx,
            _ParquetOut(paths[3]) as parquet,
        ):
            store.clear_written()
            for result, shown in stream:
                source = source_path(corpus, result.doc, out)
                totals.add_document([s.record for s in shown], result.text)
                doc_row = document_row(result, source, len(shown))
                documents_csv.write(doc_row)
                xlsx.document(doc_row)
                written = []
                for s in shown:
                    row = record_row(s.record, result.lang, source, s.status, s.key)
                    records_csv.write(row)
                    parquet.write(row)
                    if xlsx.record(row):
                        written.append(_written(result, s))
                store.add_written(written)
            projects = totals.sorted()
            xlsx.project_rows([t.row() for t in projects])
            if projects_out is not None:
                projects_out.extend(projects)
        failpoint("during-export")  # the tables are replaced; the rest is not yet
        paths.append(write_corrections_csv(store, out))
        remember_outputs(store, out)
        store.commit()
    except BaseException:
        store.rollback()
        raise
    clear_pending(out)
    if note := xlsx.note():
        notes.append(note)
    if stream.unmatched:
        notes.append(
            f"{len(stream.unmatched)} corrections found no record (their sentence or document "
            "changed, or the file was removed, or moved beside a copy of itself); they are "
            f"kept in {out / 'corrections.csv'} and not applied"
        )
    if parquet.unrepresentable:
        notes.append(
            f"{parquet.unrepresentable} amounts do not fit records.parquet's decimal128(38, 4) "
            "and are empty there; records.csv has them exactly"
        )
    return paths


__all__ = [
    "GOLD_COLUMNS",
    "NO_PROJECT",
    "PROJECT_COLUMNS",
    "RECORD_COLUMNS",
    "export_all",
    "project_totals",
]


def _signed(text: str, display: str) -> str:
    """`amount_display` with the sign the text is written with (`△12조 4,000억원`,
    `-$3.2 million`, `(200)`: `totals.written_negative`): `amount` stays the magnitude, the
    display says it is negative. U+2212 (minus sign), not `-`, so no spreadsheet reads the
    cell as a formula."""
    return f"\u2212{display}" if display and written_negative(text) else display
