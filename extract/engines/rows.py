"""DocResult <-> Arrow rows: the table form of a result, for distributed engines.

One row per input file; its blocks and records are nested lists of structs, so
the Parquet dataset an engine writes can be queried as is. Amounts are exact
decimal strings (never floats); `project_score` is the linker's 0-1 confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyarrow as pa

from ..fmt import plain
from ..models import Block, DocResult, Record, SourceFile

SOURCE_SCHEMA = pa.schema(
    [("doc", pa.string()), ("path", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64())]
)

_BLOCK = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("lang", pa.string())])
_RECORD = pa.struct(
    [
        ("lang", pa.string()),
        ("sentence", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("amount", pa.string()),
        ("amount_max", pa.string()),
        ("currency", pa.string()),
        ("qualifier", pa.string()),
        ("vague", pa.bool_()),
        ("project", pa.string()),
        ("project_id", pa.string()),
        ("rule", pa.string()),
        ("link_rule", pa.string()),
        ("project_score", pa.float64()),
        ("location", pa.string()),
    ]
)
RESULT_SCHEMA = pa.schema(
    [
        ("doc", pa.string()),
        ("sha256", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("lang", pa.string()),
        ("fmt", pa.string()),
        ("encoding", pa.string()),
        ("text", pa.string()),
        ("blocks", pa.list_(_BLOCK)),
        ("records", pa.list_(_RECORD)),
    ]
)


def sources_table(sources: Iterable[SourceFile]) -> pa.Table:
    """The files to process as a table (doc, path, size, mtime_ns)."""
    return pa.Table.from_pylist(
        [{"doc": s.doc, "path": s.path, "size": s.size, "mtime_ns": s.mtime_ns} for s in sources],
        schema=SOURCE_SCHEMA,
    )


def source_from_row(row: dict) -> SourceFile:
    return SourceFile(row["doc"], row["path"], int(row["size"]), int(row["mtime_ns"]))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def result_to_row(r: DocResult) -> dict:
    """One DocResult as a row of RESULT_SCHEMA."""
    return {
        "doc": r.doc,
        "sha256": r.sha256,
        "size": r.size,
        "mtime_ns": r.mtime_ns,
        "status": r.status,
        "reason": r.reason,
        "lang": r.lang,
        "fmt": r.fmt,
        "encoding": r.encoding,
        "text": r.text,
        "blocks": [{"start": b.start, "end": b.end, "lang": b.lang} for b in r.blocks],
        "records": [
            {
                "lang": x.lang,
                "sentence": x.sentence,
                "start": x.start,
                "end": x.end,
                "text": x.text,
                "amount": _dec(x.amount),
                "amount_max": _dec(x.amount_max),
                "currency": x.currency,
                "qualifier": x.qualifier,
                "vague": bool(x.vague),
                "project": x.project,
                "project_id": x.project_id,
                "rule": x.rule,
                "link_rule": x.link_rule,
                "project_score": x.project_score,
                "location": x.location,
            }
            for x in r.records
        ],
    }


def results_table(results: Iterable[DocResult]) -> pa.Table:
    return pa.Table.from_pylist([result_to_row(r) for r in results], schema=RESULT_SCHEMA)


def result_from_row(row: dict) -> DocResult:
    """The DocResult a row of RESULT_SCHEMA holds (the inverse of `result_to_row`)."""
    doc = row["doc"]
    return DocResult(
        doc=doc,
        sha256=row["sha256"],
        size=row["size"],
        mtime_ns=row["mtime_ns"],
        status=row["status"],
        reason=row["reason"],
        lang=row["lang"],
        fmt=row["fmt"],
        encoding=row["encoding"],
        text=row["text"],
        blocks=[Block(b["start"], b["end"], b["lang"]) for b in row["blocks"] or []],
        records=[
            Record(
                doc=doc,
                lang=x["lang"],
                sentence=x["sentence"],
                start=x["start"],
                end=x["end"],
                text=x["text"],
                amount=None if x["amount"] is None else Decimal(x["amount"]),
                amount_max=None if x["amount_max"] is None else Decimal(x["amount_max"]),
                currency=x["currency"],
                qualifier=x["qualifier"],
                vague=x["vague"],
                project=x["project"],
                project_id=x["project_id"],
                rule=x["rule"],
                link_rule=x["link_rule"],
                project_score=x["project_score"],
                location=x["location"],
            )
            for x in row["records"] or []
        ],
    )


def iter_results(batches: Iterable[pa.RecordBatch]) -> Iterator[DocResult]:
    """DocResults from Arrow record batches of RESULT_SCHEMA, one batch in memory at a time."""
    for batch in batches:
        for row in batch.to_pylist():
            yield result_from_row(row)
