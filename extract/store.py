"""The embedded SQLite store under outputs/: documents, their text, and their records.

Each `save`/`remove` is one transaction, so a crash mid-run leaves the previous
state of every document intact. Amounts are stored as exact decimal TEXT, never
REAL. The store is a cache of the pipeline's results: when its schema version
differs from this code's, it is rebuilt empty and the next run reprocesses all.

Every write transaction also bumps the `generation` counter in `meta`, in the
same transaction, so "which store contents were the exports built from" is
exact even after a kill at any point (see `generation`). A damaged file (not a
database, truncated, garbled) is moved aside, never deleted, and a new store is
started (`Store.moved_aside` says where the old one went). Write failures
(disk full, read-only folder) raise `OutputError` naming the file and the
cause; a failed transaction is rolled back without hiding that cause.

The reviewer's work is not a cache: the `review_*` tables (corrections, what the
last records.xlsx showed, hashes of the files we wrote) are never dropped by that
rebuild; they have their own version (`REVIEW_VERSION`, in `review_meta`), and
the corrections are also mirrored to outputs/corrections.csv (extract/review.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import OutputError
from .fmt import plain
from .models import Block, DocResult, Record

SCHEMA_VERSION = "2"
REVIEW_VERSION = "1"
# Tables the cache rebuild drops; the review_* tables are deliberately not in it.
CACHE_TABLES = ("records", "texts", "documents", "meta")

_DOC_COLUMNS = ("doc", "sha256", "size", "mtime_ns", "status", "reason", "lang", "fmt", "encoding")
_RECORD_COLUMNS = (
    "doc",
    "lang",
    "sentence",
    "start",
    "end",
    "text",
    "amount",
    "amount_max",
    "currency",
    "qualifier",
    "vague",
    "project",
    "project_id",
    "rule",
    "link_rule",
    "project_score",
    "location",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    lang TEXT NOT NULL,
    fmt TEXT NOT NULL,
    encoding TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (
    doc TEXT PRIMARY KEY REFERENCES documents(doc) ON DELETE CASCADE,
    text TEXT NOT NULL,
    blocks TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    amount TEXT,
    amount_max TEXT,
    currency TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    vague INTEGER NOT NULL,
    project TEXT NOT NULL,
    project_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    link_rule TEXT NOT NULL,
    project_score REAL,
    location TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_doc ON records (doc, start);
"""

# Kept across cache rebuilds (see the module docstring).
_REVIEW_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS review_corrections (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    doc TEXT NOT NULL,
    doc_sha256 TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentence TEXT NOT NULL,
    amount TEXT,
    amount_max TEXT,
    currency TEXT NOT NULL,
    project TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    created TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_corrections_doc ON review_corrections (doc);
CREATE TABLE IF NOT EXISTS review_written (
    key TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    doc_sha256 TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentence TEXT NOT NULL,
    amount TEXT,
    amount_max TEXT,
    currency TEXT NOT NULL,
    project TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    status TEXT NOT NULL
);
"""
CORRECTION_COLUMNS = (
    "id",
    "action",
    "doc",
    "doc_sha256",
    "start",
    "end",
    "text",
    "sentence",
    "amount",
    "amount_max",
    "currency",
    "project",
    "qualifier",
    "created",
    "origin",
)
WRITTEN_COLUMNS = (
    "key",
    "doc",
    "doc_sha256",
    "start",
    "end",
    "text",
    "sentence",
    "amount",
    "amount_max",
    "currency",
    "project",
    "qualifier",
    "status",
)


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _dec(value: str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # written by something else: shown as NaN, never a crash
        return Decimal("NaN")


# sqlite error names that mean the file itself is damaged (not locked, not read-only).
_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


class DamagedStore(sqlite3.DatabaseError):
    """The store file is not a usable database (integrity check failed)."""


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    if isinstance(exc, DamagedStore):
        return True
    name = getattr(exc, "sqlite_errorname", "")
    return name in _DAMAGE or name.startswith("SQLITE_CORRUPT_")


def _dec_text(value: Decimal | int | None) -> str | None:
    return None if value is None else plain(value)


class Store:
    """Results of the pipeline, one row per input file plus its records."""

    def __init__(self, path: Path, recover: bool = True) -> None:
        """Open (or create) the store at `path`.

        With `recover`, a damaged file is moved to `<path>.damaged-<UTC time>` (with
        its -wal/-shm files) and a new, empty store is created; `moved_aside` is then
        the new name of the old file. Raises OutputError when the file cannot be
        opened or created (read-only folder, disk full, locked).
        """
        self.path = Path(path)
        self.moved_aside: Path | None = None
        self.damage = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from .errors import output_error

            raise output_error(self.path.parent, exc, "cannot create the folder") from exc
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if not (recover and _is_damage(exc)):
                raise self._error(exc, "cannot open") from exc
            self.damage = str(exc)
            self.moved_aside = self._move_aside()
            try:
                self._open()
            except sqlite3.DatabaseError as again:
                self._close_quietly()
                raise self._error(again, "cannot create") from again

    def _open(self) -> None:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
        # covers exactly one save/remove.
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._check()
        self._init_schema()

    def _check(self) -> None:
        """Raise DamagedStore unless sqlite's quick integrity check passes (reads every
        page once: about 0.1 s per 100 MB)."""
        rows = self._conn.execute("PRAGMA quick_check(5)").fetchall()
        if rows != [("ok",)]:
            raise DamagedStore("; ".join(str(r[0]) for r in rows))

    def _close_quietly(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        try:
            for suffix in ("-wal", "-shm", ""):  # the main file last: it names the set
                side = Path(f"{self.path}{suffix}")
                if side.exists():
                    os.replace(side, f"{target}{suffix}")
        except OSError as exc:
            from .errors import output_error

            raise output_error(self.path, exc, "is damaged and cannot be moved aside") from exc
        return target

    def _error(self, exc: sqlite3.Error, doing: str) -> OutputError:
        cause = str(exc)
        if isinstance(exc, DamagedStore) or _is_damage(exc):
            cause = f"damaged ({cause})"
        if "unable to open" in cause or "readonly" in cause:
            cause += " (is the folder writable?)"
        elif "disk" in cause:  # sqlite says "disk I/O error" for a write the OS refused
            try:
                free = shutil.disk_usage(self.path.parent).free
                cause += f" ({free / 2**20:,.0f} MB free on its disk)"
            except OSError:
                pass
        return OutputError(self.path, f"{doing}: {cause}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that also bumps `generation`; rolled back on any error
        without masking it; sqlite errors become OutputError naming the store."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the original error says why; sqlite may have rolled back already
            if isinstance(exc, sqlite3.OperationalError | DamagedStore) or (
                isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc)
            ):
                raise self._error(exc, "cannot write") from exc
            raise  # a bug (constraint, programming error): the traceback is wanted

    def generation(self) -> int:
        """How many write transactions the store has committed (0 for a new store)."""
        value = self.get_meta("generation")
        return int(value) if value and value.isdigit() else 0

    def _init_schema(self) -> None:
        conn = self._conn
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        version = None
        if has_meta:
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = row[0] if row else None
        conn.execute("BEGIN IMMEDIATE")
        try:
            if has_meta and version != SCHEMA_VERSION:
                for table in CACHE_TABLES:
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in (_SCHEMA + _REVIEW_SCHEMA).split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (SCHEMA_VERSION,),
            )
            conn.execute(
                "INSERT OR REPLACE INTO review_meta (key, value) VALUES ('review_version', ?)",
                (REVIEW_VERSION,),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # keep the original error
            raise

    # -- meta ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        try:
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
            )
        except sqlite3.OperationalError as exc:
            raise self._error(exc, "cannot write") from exc

    # -- writing ------------------------------------------------------------

    def save(self, results: Iterable[DocResult]) -> None:
        """Replace each document's row, text and records, all in one transaction."""
        results = list(results)
        if not results:
            return
        with self.transaction():
            for result in results:
                self._save_one(result)

    def _save_one(self, r: DocResult) -> None:
        conn = self._conn
        conn.execute("DELETE FROM records WHERE doc=?", (r.doc,))
        conn.execute("DELETE FROM texts WHERE doc=?", (r.doc,))
        conn.execute(
            f"INSERT OR REPLACE INTO documents ({', '.join(_DOC_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_DOC_COLUMNS))})",
            (r.doc, r.sha256, r.size, r.mtime_ns, r.status, r.reason, r.lang, r.fmt, r.encoding),
        )
        if r.text or r.blocks:
            blocks = json.dumps([[b.start, b.end, b.lang] for b in r.blocks])
            conn.execute(
                "INSERT INTO texts (doc, text, blocks) VALUES (?, ?, ?)", (r.doc, r.text, blocks)
            )
        conn.executemany(
            'INSERT INTO records (doc, lang, sentence, start, "end", text, amount, amount_max, '
            "currency, qualifier, vague, project, project_id, rule, link_rule, project_score, "
            "location) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.doc,
                    x.lang,
                    x.sentence,
                    x.start,
                    x.end,
                    x.text,
                    _dec_text(x.amount),
                    _dec_text(x.amount_max),
                    x.currency,
                    x.qualifier,
                    int(bool(x.vague)),
                    x.project,
                    x.project_id,
                    x.rule,
                    x.link_rule,
                    x.project_score,
                    x.location,
                )
                for x in r.records
            ],
        )

    def remove(self, docs: Iterable[str]) -> None:
        """Delete documents with their text and records, in one transaction."""
        with self.transaction() as conn:
            for doc in docs:
                conn.execute("DELETE FROM records WHERE doc=?", (doc,))
                conn.execute("DELETE FROM texts WHERE doc=?", (doc,))
                conn.execute("DELETE FROM documents WHERE doc=?", (doc,))

    # -- reading ------------------------------------------------------------

    def documents(self) -> dict[str, DocResult]:
        """Every stored document without text or records (for the incremental check)."""
        rows = self._conn.execute(
            f"SELECT {', '.join(_DOC_COLUMNS)} FROM documents ORDER BY doc"
        ).fetchall()
        return {row[0]: DocResult(**dict(zip(_DOC_COLUMNS, row, strict=True))) for row in rows}

    def records(self) -> list[Record]:
        """Every record, ordered by document and position."""
        cols = ", ".join(f'"{c}"' for c in _RECORD_COLUMNS)
        rows = self._conn.execute(f"SELECT {cols} FROM records ORDER BY doc, start, id").fetchall()
        return [self._record(row) for row in rows]

    def iter_records(self, batch: int = 10_000) -> Iterator[list[Record]]:
        """Every record in the order of `records()`, `batch` at a time, so a reader's
        memory is bounded by the batch, not by the store (for streaming exports).
        Do not write to the store while iterating."""
        cols = ", ".join(f'"{c}"' for c in _RECORD_COLUMNS)
        cursor = self._conn.execute(f"SELECT {cols} FROM records ORDER BY doc, start, id")
        try:
            while rows := cursor.fetchmany(max(1, batch)):
                yield [self._record(row) for row in rows]
        finally:
            cursor.close()

    def counts(self) -> tuple[Counter, Counter, Counter]:
        """(documents by status, records by language, records by currency), counted in SQL."""
        conn = self._conn
        return (
            Counter(dict(conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status"))),
            Counter(dict(conn.execute("SELECT lang, COUNT(*) FROM records GROUP BY lang"))),
            Counter(dict(conn.execute("SELECT currency, COUNT(*) FROM records GROUP BY currency"))),
        )

    def failures(self, statuses: Iterable[str]) -> list[tuple[str, str, str]]:
        """(doc, status, reason) of the documents with one of `statuses`, by path."""
        wanted = list(statuses)
        marks = ", ".join("?" * len(wanted))
        return self._conn.execute(
            f"SELECT doc, status, reason FROM documents WHERE status IN ({marks}) ORDER BY doc",
            wanted,
        ).fetchall()

    @staticmethod
    def _record(row: tuple) -> Record:
        (doc, lang, sentence, start, end, text, amount, amount_max, currency, qualifier, vague,
         project, project_id, rule, link_rule, project_score, location) = row  # fmt: skip
        return Record(
            doc=doc,
            lang=lang,
            sentence=sentence,
            start=start,
            end=end,
            text=text,
            amount=_dec(amount),
            amount_max=_dec(amount_max),
            currency=currency,
            qualifier=qualifier,
            vague=bool(vague),
            project=project,
            project_id=project_id,
            rule=rule,
            link_rule=link_rule,
            project_score=project_score,
            location=location,
        )

    def document_results(self, with_text: bool = False) -> list[DocResult]:
        """Every document ordered by path, with its records (and text and blocks if asked)."""
        docs = self.documents()
        for record in self.records():
            docs[record.doc].records.append(record)
        if with_text:
            for doc, text, blocks in self._conn.execute("SELECT doc, text, blocks FROM texts"):
                result = docs[doc]
                result.text = text
                result.blocks = [Block(s, e, lang) for s, e, lang in json.loads(blocks)]
        return [docs[d] for d in sorted(docs)]

    def count_records(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def iter_documents(self, with_text: bool = False) -> Iterator[DocResult]:
        """Every document ordered by path with its records (and text), one at a time:
        memory holds one document, however large the store."""
        cols = ", ".join(f'"{c}"' for c in _RECORD_COLUMNS)
        docs = self._conn.execute(f"SELECT {', '.join(_DOC_COLUMNS)} FROM documents ORDER BY doc")
        recs = self._conn.execute(f"SELECT {cols} FROM records ORDER BY doc, start, id")
        pending = recs.fetchone()
        for row in docs:
            result = DocResult(**dict(zip(_DOC_COLUMNS, row, strict=True)))
            while pending is not None and pending[0] < result.doc:
                pending = recs.fetchone()  # a record without its document: skip
            while pending is not None and pending[0] == result.doc:
                result.records.append(self._record(pending))
                pending = recs.fetchone()
            if with_text:
                found = self._conn.execute(
                    "SELECT text, blocks FROM texts WHERE doc=?", (result.doc,)
                ).fetchone()
                if found:
                    result.text = found[0]
                    result.blocks = [Block(a, b, lang) for a, b, lang in json.loads(found[1])]
            yield result

    def text_of(self, doc: str) -> str:
        row = self._conn.execute("SELECT text FROM texts WHERE doc=?", (doc,)).fetchone()
        return row[0] if row else ""

    # -- review (kept across cache rebuilds) -----------------------------------

    def get_review_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM review_meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_review_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO review_meta (key, value) VALUES (?, ?)", (key, value)
        )

    def corrections(self) -> list[dict[str, Any]]:
        """Every stored correction as a dict of CORRECTION_COLUMNS, oldest first."""
        cols = ", ".join(f'"{c}"' for c in CORRECTION_COLUMNS)
        rows = self._conn.execute(f"SELECT {cols} FROM review_corrections ORDER BY id")
        return [dict(zip(CORRECTION_COLUMNS, r, strict=True)) for r in rows]

    def update_corrections(self, add: Iterable[dict[str, Any]], remove: Iterable[int] = ()) -> None:
        """Insert (or, with an `id`, replace) corrections and delete others, in one
        transaction."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for cid in remove:
                conn.execute("DELETE FROM review_corrections WHERE id=?", (cid,))
            for c in add:
                cols = [k for k in CORRECTION_COLUMNS if k in c and not (k == "id" and not c[k])]
                conn.execute(
                    f"INSERT OR REPLACE INTO review_corrections "
                    f"({_quoted(cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [c[k] for k in cols],
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def written(self, key: str) -> dict[str, Any] | None:
        """The row records.xlsx showed under `key` when we last wrote it."""
        cols = ", ".join(f'"{c}"' for c in WRITTEN_COLUMNS)
        row = self._conn.execute(
            f"SELECT {cols} FROM review_written WHERE key=?", (key,)
        ).fetchone()
        return dict(zip(WRITTEN_COLUMNS, row, strict=True)) if row else None

    def written_keys(self) -> Iterator[str]:
        yield from (r[0] for r in self._conn.execute("SELECT key FROM review_written"))

    def has_written(self) -> bool:
        return self._conn.execute("SELECT 1 FROM review_written LIMIT 1").fetchone() is not None

    def begin(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._conn.execute("COMMIT")

    def rollback(self) -> None:
        self._conn.execute("ROLLBACK")

    def clear_written(self) -> None:
        """Inside a transaction the caller opened (`begin`)."""
        self._conn.execute("DELETE FROM review_written")

    def add_written(self, rows: Iterable[tuple]) -> None:
        """Rows of WRITTEN_COLUMNS, inside a transaction the caller opened (`begin`)."""
        self._conn.executemany(
            f"INSERT OR REPLACE INTO review_written "
            f"({_quoted(WRITTEN_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(WRITTEN_COLUMNS))})",
            rows,
        )

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
