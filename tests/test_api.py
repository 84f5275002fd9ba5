"""The notebook API: extract.extract_text / extract_files / read_outputs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec

import extract
from extract.export import RECORD_COLUMNS, export_all
from extract.models import EXTRACTED, DocResult
from extract.store import Store

ROOT = Path(__file__).resolve().parents[1]
KO = "광주시는 인공지능 사업에 153억원을 투입한다. 예산은 약 25억원이었다."


def test_import_is_light() -> None:
    code = (
        "import sys, extract; heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'spacy', 'kiwipiepy', 'openpyxl', 'xlsxwriter', 'pyarrow')]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_extract_text_columns_types_and_exact_amounts() -> None:
    df = extract.extract_text(KO)
    assert list(df.columns) == RECORD_COLUMNS
    assert df["text"].tolist() == ["153억원", "25억원"]
    assert df["amount"].tolist() == [Decimal(15300000000), Decimal(2500000000)]
    assert all(type(a) is Decimal for a in df["amount"])
    assert df["amount"].dtype == object
    assert df["qualifier"].tolist() == ["", "approx"]
    assert str(df["start"].dtype) == "int64" and str(df["project_score"].dtype) == "float64"
    assert df["vague"].dtype == bool and df["status"].eq("unreviewed").all()
    assert KO[df.loc[0, "start"] : df.loc[0, "end"]] == "153억원"
    assert sum(df["amount"].dropna()) == Decimal(17800000000)


def test_extract_text_offsets_index_the_string_given() -> None:
    text = "\ufeff광주시는 인공지\u00adAI 사업에\r\n153억원을 투입한다."
    df = extract.extract_text(text)
    row = df.iloc[0]
    assert text[row.start : row.end] == row.text == "153억원"


def test_extract_text_models_loaded_once_and_lang_and_errors() -> None:
    from extract.segment import get_kiwi, get_nlp

    extract.extract_text(KO)
    kiwi, nlp = get_kiwi(), get_nlp()
    df = extract.extract_text("The city will spend $2.5 million on parks.", lang="en")
    assert get_kiwi() is kiwi and get_nlp() is nlp
    assert df["amount"].tolist() == [Decimal("2500000")] and df["currency"].tolist() == ["USD"]
    empty = extract.extract_text("No money here.")
    assert empty.empty and list(empty.columns) == RECORD_COLUMNS
    with pytest.raises(TypeError):
        extract.extract_text(b"bytes")
    with pytest.raises(ValueError, match="lang"):
        extract.extract_text(KO, lang="fr")


def test_extract_files(tmp_path: Path) -> None:
    ko = tmp_path / "광주.txt"
    ko.write_text(KO, encoding="utf-8")
    html = tmp_path / "a.html"
    html.write_text("<html><body><p>It costs $3 million.</p></body></html>", encoding="utf-8")
    df = extract.extract_files([ko, str(html), tmp_path / "missing.txt"])
    assert list(df.columns) == RECORD_COLUMNS
    assert df["doc"].tolist() == [str(ko), str(ko), str(html)]
    assert df["amount"].tolist()[-1] == Decimal(3000000)
    statuses = df.attrs["documents"]
    assert statuses[str(ko)] == ("extracted", "")
    assert statuses[str(tmp_path / "missing.txt")][0] == "error"
    with pytest.raises(TypeError):
        extract.extract_files(str(ko))


def test_read_outputs_applies_corrections(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "a.txt").write_text(KO, encoding="utf-8")
    records = [rec("a.txt", KO, "153억원", 15300000000), rec("a.txt", KO, "25억원", 2500000000)]
    with Store(out / "extract.sqlite") as store:
        store.save([DocResult("a.txt", "f" * 64, 1, 1, EXTRACTED, lang="ko", text=KO,
                              records=records)])  # fmt: skip
        store.set_meta("corpus", str(corpus.resolve()))
        store.update_corrections(
            [
                {
                    "action": "delete",
                    "doc": "a.txt",
                    "doc_sha256": "f" * 64,
                    "start": records[1].start,
                    "end": records[1].end,
                    "text": "25억원",
                    "sentence": KO,
                    "amount": "2500000000",
                    "amount_max": None,
                    "currency": "KRW",
                    "project": "",
                    "qualifier": "",
                    "created": "2026-11-29T00:00:00+00:00",
                    "origin": "test",
                }
            ]
        )
        export_all(store, out, corpus)
    df = extract.read_outputs(out)
    assert df["text"].tolist() == ["153억원"]
    assert df.loc[0, "amount"] == Decimal(15300000000)
    assert df.loc[0, "source"] == "../corpora/a.txt"
    with pytest.raises(FileNotFoundError):
        extract.read_outputs(tmp_path / "nowhere")
    conn = sqlite3.connect(out / "extract.sqlite")
    conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ValueError, match="another version"):
        extract.read_outputs(out)
    # read_outputs only reads: the store was not rebuilt
    conn = sqlite3.connect(out / "extract.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 2
    conn.close()


def test_amount_display_carries_the_sign_the_text_is_written_with() -> None:
    """`amount` is the magnitude of a negative written in the text; `amount_display` says it
    is negative, with U+2212 (no spreadsheet formula), and a plain amount has no sign."""
    df = extract.extract_text(
        "통합재정수지는 △12조 4,000억원 적자를 기록했고 국세 수입은 300조원이다."
    )
    rows = dict(zip(df["text"], df["amount_display"], strict=True))
    assert rows == {"△12조 4,000억원": "\u221212조 4,000억 원", "300조원": "300조 원"}
    assert Decimal(df["amount"].iloc[0]) == Decimal("12400000000000")
    df = extract.extract_text(
        "The agency reported a deficit of -$3.2 million; the fund got $10 million."
    )
    assert list(df["amount_display"]) == ["\u2212$3.2 million", "$10 million"]
