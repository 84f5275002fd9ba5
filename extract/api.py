"""The notebook API: text, files or an outputs folder in, a pandas DataFrame out.

Every function returns one row per money expression with the columns of
records.csv (`extract.export.RECORD_COLUMNS`), in this order and with these types:

- amount, amount_max: object, `decimal.Decimal` (exact, whole currency units)
  or None (a vague amount; no range);
- project_score: float64, the linker's confidence 0-1, NaN when not scored;
- vague: bool, True for amounts with no definite value (`수백억원`);
- start, end: int64, character offsets of `text` in the document's text;
- every other column (doc, text, currency, project, qualifier, status, key, ...):
  str, "" when empty.

Amounts are never floats: sum them with `sum(df.amount.dropna())` (exact) or
convert knowingly (`df.amount.astype("float64")` rounds past 15 digits).
Kiwi and spaCy are loaded on the first call and kept for the process (about
3 s and 600 MB once; later calls cost only the extraction).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import models
from .export import RECORD_COLUMNS, record_row
from .models import Document, Record, SourceFile

_INT_COLUMNS = ("start", "end")


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    df = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    for c in RECORD_COLUMNS:
        if c in ("amount", "amount_max"):
            df[c] = df[c].astype(object)
        elif c == "project_score":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif c == "vague":
            df[c] = df[c].astype(bool)
        elif c in _INT_COLUMNS:
            df[c] = df[c].astype("int64")
        else:
            df[c] = df[c].fillna("").astype(str)
    return df


def _rows(records: Iterable[Record], doc_lang: str, source: str, sha: str) -> list[dict]:
    from .review import UNREVIEWED, record_key

    return [record_row(r, doc_lang, source, UNREVIEWED, record_key(sha, r)) for r in records]


def extract_text(text: str, lang: str | None = None, doc: str = "<text>") -> Any:
    """Every money expression in `text`, as a DataFrame (columns: module docstring).

    `text`: an article's text (str; analysed NFC-normalised, but `start`/`end`
    index `text` as given and `df.text` is the span as written there). `lang`:
    "ko" or "en" to skip language detection (None: detected per paragraph).
    `doc`: the name put in the `doc` column.
    Returns an empty DataFrame with the same columns when there is no money.
    Raises TypeError when `text` is not a str, ValueError for another `lang`.

    >>> df = extract.extract_text("광주시는 인공지능 사업에 153억원을 투입한다.")
    >>> df.loc[0, ["text", "amount", "currency"]].tolist()
    ['153억원', Decimal('15300000000'), 'KRW']
    """
    from .detect import document_language
    from .ingest import normalize_text
    from .pipeline import in_source, process_document

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if lang not in (None, "ko", "en"):
        raise ValueError(f"lang must be None, 'ko' or 'en', not {lang!r}")
    normalised, offsets = normalize_text(text)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    document = Document(doc, normalised, sha, "txt", "utf-8", offsets, source_text=text)
    blocks, records = process_document(document, lang=lang)
    if offsets:  # as for files: offsets and text as the caller's string has them
        blocks, records = in_source(document, blocks, records)
    return _frame(_rows(records, lang or document_language(blocks), "", sha))


def extract_files(paths: Iterable[str | os.PathLike[str]]) -> Any:
    """Every money expression in the given files (.txt, .md, .html, and whatever
    formats `python -m extract run` reads), as one DataFrame.

    `doc` and `source` hold each path as given. Files that cannot be read (missing,
    unsupported, undecodable) give no rows; `df.attrs["documents"]` maps every
    path to `(status, reason)` (statuses as in documents.csv) so nothing is
    dropped silently. Raises TypeError when `paths` is a single str/Path.

    >>> df = extract.extract_files(["corpora/a.txt"])
    >>> df.attrs["documents"]
    {'corpora/a.txt': ('extracted', '')}
    """
    from .pipeline import process_source
    from .review import record_key  # noqa: F401  (same keys as the outputs)

    if isinstance(paths, str | os.PathLike):
        raise TypeError("extract_files takes a list of paths; use [path] for one file")
    rows: list[dict[str, Any]] = []
    statuses: dict[str, tuple[str, str]] = {}
    for given in paths:
        name = os.fspath(given)
        path = Path(name)
        try:
            st = path.stat()
        except OSError as exc:
            statuses[name] = (models.ERROR, f"cannot read: {exc.strerror or exc}")
            continue
        source = SourceFile(doc=name, path=str(path.resolve()), size=st.st_size,
                            mtime_ns=st.st_mtime_ns)  # fmt: skip
        result = process_source(source)
        statuses[name] = (result.status, result.reason)
        rows += _rows(result.records, result.lang, name, result.sha256)
    df = _frame(rows)
    df.attrs["documents"] = statuses
    return df


def read_outputs(out: str | os.PathLike[str] = "outputs") -> Any:
    """The records of a `python -m extract run` output folder, from its store
    (`out/extract.sqlite`), with the reviewer's corrections applied: the rows of
    records.csv, all of them (no xlsx row limit), as a DataFrame.

    Raises FileNotFoundError when `out` holds no store, ValueError when the store
    was written by another version (run `python -m extract run` again). The
    store is only read.

    >>> records = extract.read_outputs("outputs")
    >>> records.groupby("currency").amount.apply(lambda s: sum(s.dropna()))
    """
    from .export import source_path
    from .pipeline import STORE_NAME
    from .review import reviewed_documents
    from .store import SCHEMA_VERSION, Store

    path = Path(out) / STORE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no {STORE_NAME} in {Path(out).resolve()}: run the pipeline first")
    probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = probe.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path} is not a store this version can read ({exc})") from None
    finally:
        probe.close()
    if not row or row[0] != SCHEMA_VERSION:
        raise ValueError(
            f"{path} was written by another version of extract: run python -m extract run"
        )
    rows: list[dict[str, Any]] = []
    with Store(path) as store:
        corpus = store.get_meta("corpus")
        for result, shown in reviewed_documents(store):
            source = source_path(Path(corpus), result.doc, Path(out)) if corpus else ""
            rows += [record_row(s.record, result.lang, source, s.status, s.key) for s in shown]
    return _frame(rows)
