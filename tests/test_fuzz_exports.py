"""Property tests: whatever a record holds, every exporter writes a valid file.

Arbitrary Unicode (control characters, lone surrogates from undecodable file
names, formula-like text), long digit runs and odd Decimals (huge and tiny
exponents, NaN, Infinity, 31+ digits) in every field of a record: the CSVs,
the workbook and the report are written without an exception, read back, and
every amount that is in range comes back digit for digit.
"""

from __future__ import annotations

import csv
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import models
from extract.export import export_all
from extract.fmt import in_range, plain
from extract.models import DocResult, Record
from extract.report import write_report
from extract.store import Store

text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
digit_runs = st.integers(1, 120).map(lambda n: "9" * n)
decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=Decimal(10) ** 40, places=0),
    digit_runs.map(Decimal),
    st.builds(lambda d, e: Decimal(f"{d}E{e}"), st.integers(1, 999), st.integers(-200, 200)),
    st.none(),
)


@st.composite
def records(draw, doc: str) -> Record:
    sentence = draw(st.one_of(text, digit_runs))
    return Record(
        doc=doc,
        lang=draw(st.sampled_from(["ko", "en", "", "xx"])),
        sentence=sentence,
        start=draw(st.integers(0, 10**6)),
        end=draw(st.integers(0, 10**6)),
        text=draw(st.one_of(text, digit_runs)),
        amount=draw(decimals),
        amount_max=draw(decimals),
        currency=draw(st.one_of(st.sampled_from(["KRW", "USD", "EUR"]), text)),
        qualifier=draw(st.sampled_from(["", "approx", "max", "min"])),
        vague=draw(st.booleans()),
        project=draw(text),
        project_id=draw(text),
        rule=draw(text),
        link_rule=draw(text),
        project_score=draw(st.one_of(st.none(), st.floats(0, 1))),
        location=draw(text),
    )


@st.composite
def results(draw) -> list[DocResult]:
    out = []
    names = draw(st.lists(text.filter(lambda s: s.strip()), min_size=1, max_size=3, unique=True))
    for i, name in enumerate(names):
        doc = f"{i}-{name}"
        out.append(
            DocResult(
                doc=doc,
                sha256=f"{i:064d}",
                size=draw(st.integers(0, 10**12)),
                mtime_ns=1,
                status=draw(st.sampled_from([models.EXTRACTED, models.ERROR, models.NO_MONEY])),
                reason=draw(text),
                lang=draw(st.sampled_from(["ko", "en", "mixed", ""])),
                fmt="txt",
                encoding=draw(text),
                text=draw(text),
                records=draw(st.lists(records(doc), max_size=3)),
            )
        )
    return out


def _clean(value: str) -> str:
    """What a store round trip keeps of a string (lone surrogates cannot be UTF-8)."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(docs=results())
def test_exporters_never_fail_and_write_valid_files(tmp_path_factory, docs) -> None:
    out = tmp_path_factory.mktemp("out")
    # The store holds UTF-8: text is decoded by ingest, file names made printable by
    # discover, so lone surrogates never reach it. Everything else does.
    for item in docs + [r for d in docs for r in d.records]:
        for f in fields(item):
            value = getattr(item, f.name)
            if isinstance(value, str):
                setattr(item, f.name, _clean(value))
    with Store(out / "extract.sqlite") as store:
        store.save(docs)
        export_all(store, out, Path("/nonexistent/corpus"))
        write_report(store, out)

    with open(out / "records.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [r for d in sorted(docs, key=lambda d: d.doc) for r in d.records]
    assert len(rows) == len(expected)
    exact = {plain(r.amount) for r in expected if r.amount is not None and in_range(r.amount)}
    assert exact <= {row["amount"] for row in rows}

    from openpyxl import load_workbook

    wb = load_workbook(out / "records.xlsx", read_only=True)
    assert wb.sheetnames == ["records", "documents", "projects"]
    assert sum(1 for _ in wb["records"].iter_rows()) == len(expected) + 1
    wb.close()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
