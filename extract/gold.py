"""A reviewed records sheet -> a labeled set (shared/LABELED_SET.md).

The reviewer edits outputs/records.xlsx (or records.csv): fixes projects,
deletes false positives, adds missed amounts with at least doc, text, amount and
currency. `sheet_to_labeled_set` validates every row (errors name the row),
writes SET/gold.csv and copies the documents into SET/corpus/: every document a
row refers to, plus every document the documents sheet lists as `extracted` or
`no_money` (an article with no money is still part of the set: predictions on it
are false positives).

The sheet comes from outside and is read within bounds: at most MAX_SHEET_ROWS
rows and MAX_SHEET_COLUMNS columns per table, MAX_CELL_CHARS characters per
cell, and for a workbook at most MAX_UNCOMPRESSED_BYTES once unzipped (checked
from the zip directory before openpyxl reads anything). A doc must name a file
inside the corpus folder (symlinks resolved: a link that leads outside is
refused, never copied). Every problem is one GoldSheetError line.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from . import models
from .export import EXCEL_EXACT_DIGITS, GOLD_COLUMNS, atomic_open, csv_cell_back
from .fmt import plain
from .safepath import inside, name_problem, real_root

REQUIRED = ("doc", "text", "amount", "currency")
QUALIFIERS = ("", "approx", "max", "min")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TRUE = {"true", "1", "yes", "y", "x", "예", "참"}
_SEPARATORS = str.maketrans("", "", ", _\u00a0'")

MAX_SHEET_ROWS = 500_000
MAX_SHEET_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_UNCOMPRESSED_BYTES = 256 << 20  # rows with 5,000-char sentences unzip to ~20 KB each
MAX_CSV_BYTES = 256 << 20


class GoldSheetError(Exception):
    """The reviewed sheet cannot become a labeled set; the message names the row."""


class _NotInCorpus(ValueError):
    """A doc the sheet names is not a file in the corpus folder given."""


def _run_corpus(sheet: Path) -> str:
    """The corpus folder the run that wrote `sheet` read ("" when unknown): the store
    beside the sheet (outputs/records.xlsx) or above it (outputs/review-backups/)."""
    import sqlite3

    for folder in (sheet.parent, sheet.parent.parent):
        store = folder / "extract.sqlite"
        if not store.is_file():
            continue
        try:
            conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key='corpus'").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        if row and row[0]:
            return str(row[0])
    return ""


def _corpus_hint(sheet: Path, corpus: Path) -> str:
    """What to do when a doc is not in `corpus`: pass the folder the run read."""
    ran_on = _run_corpus(sheet)
    if not ran_on:
        return " (the --corpus folder, default corpora): pass the folder the run read, --corpus DIR"
    try:
        same = Path(ran_on).resolve() == corpus.resolve()
    except OSError:
        same = False
    if same:
        return " (the folder the run read): was the file moved or deleted since the run?"
    return (
        f" (the --corpus folder); the run that wrote {sheet.name} read {ran_on}: "
        f"pass --corpus {ran_on}"
    )


def _table(sheet: Path, name: str) -> tuple[list[str], list[tuple[int, list[Any]]]] | None:
    """Header and (row number, values) of one table in an .xlsx or a .csv; None if absent."""
    if sheet.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(sheet, name)
        if rows is None:
            return None
    else:
        path = sheet if name == "records" else sheet.with_name("documents.csv")
        if not path.exists():
            return None
        rows = [[csv_cell_back(c) for c in r] for r in _csv_rows(path)]
    if not rows:
        return [], []
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    return header, [(i, r) for i, r in enumerate(rows[1:], start=2)]


def _check_zip(sheet: Path) -> None:
    """Refuse a workbook that is not a zip, or that would unzip to more than the bound
    (the sizes declared in the zip directory; zipfile stops at the declared size)."""
    try:
        with zipfile.ZipFile(sheet) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise GoldSheetError(f"{sheet.name}: not a readable .xlsx workbook ({exc})") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise GoldSheetError(
            f"{sheet.name}: unzips to {total / 2**20:,.0f} MB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES / 2**20:,.0f} MB a reviewed sheet may hold"
        )


def _bounded(sheet: Path, rows: Any) -> list[list[Any]]:
    """The rows of one table, refusing more rows, columns or longer cells than the bounds."""
    out: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS + 1:
            raise GoldSheetError(
                f"{sheet.name}: more than {MAX_SHEET_ROWS:,} rows; split the sheet"
            )
        values = list(row)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if len(values) > MAX_SHEET_COLUMNS:
            raise GoldSheetError(
                f"{sheet.name} row {number}: more than {MAX_SHEET_COLUMNS} columns"
            )
        for value in values:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise GoldSheetError(
                    f"{sheet.name} row {number}: a cell holds {len(value):,} characters "
                    f"(at most {MAX_CELL_CHARS:,})"
                )
        out.append(values)
    return out


def _xlsx_rows(sheet: Path, name: str) -> list[list[Any]] | None:
    from openpyxl import load_workbook

    _check_zip(sheet)
    try:
        wb = load_workbook(sheet, read_only=True, data_only=True)
    except GoldSheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise GoldSheetError(f"{sheet.name}: not a readable .xlsx workbook ({exc})") from None
    try:
        if name in wb.sheetnames:
            ws = wb[name]
        elif name == "records":
            ws = wb.worksheets[0]
        else:
            return None
        return _bounded(sheet, ws.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS + 1))
    except GoldSheetError:
        raise
    except Exception as exc:
        raise GoldSheetError(f"{sheet.name}: not a readable .xlsx workbook ({exc})") from None
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list[Any]]:
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise GoldSheetError(f"{path.name}: larger than {MAX_CSV_BYTES / 2**20:,.0f} MB")
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _bounded(path, csv.reader(fh))
    except csv.Error as exc:
        raise GoldSheetError(f"{path.name}: not a readable CSV file ({exc})") from None
    except UnicodeDecodeError:
        raise GoldSheetError(f"{path.name}: not UTF-8 text (save it as CSV UTF-8)") from None
    except OSError as exc:
        raise GoldSheetError(f"{path.name}: cannot read ({exc.strerror})") from None


def _cell(row: list[Any], header: list[str], column: str) -> Any:
    if column not in header:
        return None
    i = header.index(column)
    return row[i] if i < len(row) else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_amount(value: Any) -> Decimal | None:
    """A non-negative amount from a cell (int, float, Decimal or text); None if empty.

    Whole units, or a sub-unit value with a decimal point (`7.31` for `$7.31`, as
    ../shared/LABELED_SET.md writes it and the exports write it). Raises ValueError
    with the reason for anything else. A float is read by its shortest repr and
    accepted up to 15 significant digits (what Excel stores exactly; the exports
    write longer amounts as text).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not an amount")
        amount = Decimal(repr(value))
        if len(amount.normalize().as_tuple().digits) > EXCEL_EXACT_DIGITS:
            raise ValueError(f"{value!r} has more digits than a spreadsheet number keeps")
    elif isinstance(value, int | Decimal):
        amount = Decimal(value)
    else:
        text = str(value).strip().translate(_SEPARATORS)
        if not re.fullmatch(r"\d+(\.\d*)?", text):
            raise ValueError(f"{str(value)!r} is not an amount in digits")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise ValueError(f"{str(value)!r} is not a number") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{plain(amount)} is not a non-negative amount")
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


def _safe_doc(corpus: Path, doc: str) -> Path:
    """The document's path under the corpus folder; refuses paths that leave it, by
    name or through a symlink, and names no file system can hold."""
    shown = doc if len(doc) <= 80 else doc[:77] + "..."
    problem = name_problem(doc)
    if problem:
        raise ValueError(f"doc {shown!r} {problem}")
    rel = PurePosixPath(doc.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"doc {shown!r} must be a path relative to the corpus folder")
    path = corpus / Path(*rel.parts)
    try:
        if not inside(real_root(corpus), path):
            raise ValueError(f"doc {shown!r} is a symbolic link to a place outside {corpus}")
        if not path.is_file():
            raise _NotInCorpus(f"doc {shown!r} is not a file in {corpus}")
    except OSError as exc:
        raise ValueError(f"doc {shown!r} cannot be read: {exc.strerror}") from None
    return path


def _gold_rows(sheet: Path, corpus: Path) -> list[dict[str, str]]:
    table = _table(sheet, "records")
    assert table is not None
    header, rows = table
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GoldSheetError(
            f"{sheet.name}: the records sheet has no column {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'nothing'})"
        )
    gold: list[dict[str, str]] = []
    for number, row in rows:
        values = {c: _cell(row, header, c) for c in GOLD_COLUMNS}
        if all(_text(v) == "" for v in values.values()):
            continue  # a row the reviewer emptied, or one left holding only a link or a note
        where = f"{sheet.name} row {number}"
        doc, text = _text(values["doc"]), _text(values["text"])
        if not doc:
            raise GoldSheetError(f"{where}: missing doc")
        try:
            _safe_doc(corpus, doc)
        except _NotInCorpus as exc:
            raise GoldSheetError(f"{where}: {exc}{_corpus_hint(sheet, corpus)}") from None
        except ValueError as exc:
            raise GoldSheetError(f"{where}: {exc}") from None
        try:
            amount = parse_amount(values["amount"])
            amount_max = parse_amount(values["amount_max"])
        except ValueError as exc:
            raise GoldSheetError(f"{where}: amount {exc}") from None
        if amount is None:
            if _text(_cell(row, header, "vague")).lower() in _TRUE:
                continue  # vague amounts get no gold row (LABELED_SET.md)
            raise GoldSheetError(f"{where}: missing amount (digits, whole currency units)")
        if not text:
            raise GoldSheetError(f"{where}: missing text (the expression as written)")
        if amount_max is not None and amount_max < amount:
            raise GoldSheetError(f"{where}: amount_max {plain(amount_max)} < amount")
        currency = _text(values["currency"]).upper()
        if not currency:
            raise GoldSheetError(f"{where}: missing currency (an ISO 4217 code: KRW, USD, ...)")
        if not _CURRENCY.match(currency):
            raise GoldSheetError(
                f"{where}: currency {currency!r} is not an ISO 4217 code (KRW, USD, ...)"
            )
        qualifier = _text(values["qualifier"]).lower()
        if qualifier not in QUALIFIERS:
            raise GoldSheetError(f"{where}: qualifier {qualifier!r} is not one of approx/max/min")
        gold.append(
            {
                "doc": doc,
                "text": text,
                "amount": plain(amount),
                "amount_max": plain(amount_max),
                "currency": currency,
                "project": _text(values["project"]),
                "qualifier": qualifier,
            }
        )
    return gold


def _set_documents(sheet: Path) -> list[str]:
    """Documents the documents sheet lists as extracted or no_money."""
    table = _table(sheet, "documents")
    if table is None:
        return []
    header, rows = table
    if "doc" not in header or "status" not in header:
        return []
    keep = (models.EXTRACTED, models.NO_MONEY)
    return [
        _text(_cell(row, header, "doc"))
        for _, row in rows
        if _text(_cell(row, header, "status")) in keep and _text(_cell(row, header, "doc"))
    ]


def sheet_to_labeled_set(sheet: Path, set_dir: Path, corpus: Path) -> int:
    """Write SET/gold.csv and SET/corpus/ from a reviewed sheet; return the gold row count."""
    sheet, set_dir, corpus = Path(sheet), Path(set_dir), Path(corpus)
    if not sheet.is_file():
        raise GoldSheetError(f"{sheet} does not exist")
    if not corpus.is_dir():
        ran_on = _run_corpus(sheet)
        raise GoldSheetError(
            f"corpus folder {corpus} does not exist: pass the folder the run read, "
            + (f"--corpus {ran_on}" if ran_on else "--corpus DIR")
        )
    gold = _gold_rows(sheet, corpus)
    docs = dict.fromkeys([g["doc"] for g in gold])
    for doc in _set_documents(sheet):
        try:
            _safe_doc(corpus, doc)
        except _NotInCorpus as exc:
            raise GoldSheetError(f"documents sheet: {exc}{_corpus_hint(sheet, corpus)}") from None
        except ValueError as exc:
            raise GoldSheetError(f"documents sheet: {exc}") from None
        docs[doc] = None

    target = set_dir / "corpus"
    wanted = {PurePosixPath(d.replace("\\", "/")) for d in docs}
    if target.exists():
        stray = sorted(
            str(p.relative_to(target).as_posix())
            for p in target.rglob("*")
            if p.is_file() and PurePosixPath(p.relative_to(target).as_posix()) not in wanted
        )
        if stray:
            raise GoldSheetError(
                f"{target} holds files that are not in the reviewed sheet "
                f"({', '.join(stray[:5])}{' ...' if len(stray) > 5 else ''}): "
                "they would be scored as unlabeled articles. Use an empty folder or remove them."
            )
    for doc in docs:
        rel = PurePosixPath(doc.replace("\\", "/"))
        dest = target / Path(*rel.parts)
        try:
            source = _safe_doc(corpus, doc)  # checked again just before the copy
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_symlink():
                dest.unlink()  # never write through a link planted in the set
            shutil.copyfile(source, dest, follow_symlinks=True)
        except ValueError as exc:
            raise GoldSheetError(str(exc)) from None
        except OSError as exc:
            raise GoldSheetError(f"cannot copy {doc!r} to {dest.parent}: {exc.strerror}") from None

    with atomic_open(set_dir / "gold.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=GOLD_COLUMNS)
        writer.writeheader()
        writer.writerows(gold)
    return len(gold)
