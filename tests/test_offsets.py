"""Offsets are exact: `text[start:end] == record.text` for every record of every test
corpus (tests/labeled, heldout, blind, blind2, blind3, blind4, blind5, dev_en2, dev_ko2, dev_en3,
train, corpora/, real-ko-klue), where
`text` is the file decoded as written (no newline translation; a UTF-8 BOM is the
first character) and, for HTML, the extracted text.

ingest.normalize_text removes soft hyphens, zero-width characters, BOMs, C0/C1
controls and the CR of CRLF, folds other newlines and spaces, and composes NFC; a
synthetic file with every one of these checks that the map back is exact.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from helpers import shared_dir

from extract.ingest import discover
from extract.pipeline import process_source

REPO = Path(__file__).resolve().parents[1]
CORPORA = {
    "labeled": REPO / "tests" / "labeled" / "corpus",
    "heldout": REPO / "tests" / "heldout" / "corpus",
    "blind": REPO / "tests" / "blind" / "corpus",
    "blind2": REPO / "tests" / "blind2" / "corpus",
    "blind3": REPO / "tests" / "blind3" / "corpus",
    "blind4": REPO / "tests" / "blind4" / "corpus",
    "blind5": REPO / "tests" / "blind5" / "corpus",
    "dev_en2": REPO / "tests" / "dev_en2" / "corpus",
    "dev_ko2": REPO / "tests" / "dev_ko2" / "corpus",
    "dev_en3": REPO / "tests" / "dev_en3" / "corpus",
    "train": REPO / "tests" / "train" / "corpus",
    "corpora": REPO / "corpora",
    "real-ko-klue": shared_dir() / "real-ko-klue" / "corpus",
}


def _source_text(path: str, fmt: str, encoding: str, extracted: str) -> str:
    if fmt not in ("txt", "md"):
        return extracted  # offsets of HTML (and other extracted formats) are into the text
    raw = Path(path).read_bytes()
    return raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)


def _check_folder(folder: Path) -> int:
    checked = 0
    for source in discover(folder):
        result = process_source(source)
        if not result.records:
            continue
        text = _source_text(source.path, result.fmt, result.encoding, result.text)
        for r in result.records:
            assert text[r.start : r.end] == r.text, (source.doc, r.start, r.end, r.text)
            checked += 1
    return checked


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_record_is_at_its_offsets(name: str) -> None:
    folder = CORPORA[name]
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    if name == "real-ko-klue":
        pytest.skip("checked in test_real_ko_klue.py (one run over that corpus)")
    assert _check_folder(folder) > 0


NOISE = {
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "BOM inside": "\ufeff",
    "control": "\x07",
    "CRLF": "\r\n",
    "CR": "\r",
    "NEL": "\x85",
    "line separator": "\u2028",
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
}

# Compatibility forms the money rules do not read until ingest rewrites them:
# full-width signs and letters, and the Latin ligatures of PDF text.
COMPAT = [
    ("The city will spend ＄5 million on a library.", "＄5 million", 5_000_000, "USD"),
    (
        "Councils set aside ﬁfty million dollars for ﬂood walls.",
        "ﬁfty million dollars",
        50_000_000,
        "USD",
    ),
    ("The ﬁscal plan puts ﬁve billion dollars into rail.", "ﬁve billion dollars", 5 * 10**9, "USD"),
    ("The grant is ￡５ million for roads.", "￡５ million", 5_000_000, "GBP"),
    ("ＵＳ＄２ million goes to the port.", "ＵＳ＄２ million", 2_000_000, "USD"),
]


def _noisy_article() -> str:
    lines = []
    for i, (name, ch) in enumerate(NOISE.items()):
        lines.append(
            f"{name}:{ch} 예산은 {i + 1}억{ch}원이다.{ch}The fund got ${i + 2} mil{ch}lion."
        )
    decomposed = unicodedata.normalize("NFD", "국비 7억원을 확보했다. 한글 자모가 분해된 문장이다.")
    return "\ufeff" + "\r\n".join(lines) + "\r\n" + decomposed + "\r\n마지막 3조원.\r\n"


def test_offsets_survive_every_normalisation(tmp_path: Path) -> None:
    (tmp_path / "noisy.txt").write_bytes(_noisy_article().encode("utf-8"))
    (source,) = discover(tmp_path)
    result = process_source(source)
    text = (tmp_path / "noisy.txt").read_bytes().decode("utf-8")
    assert text[0] == "\ufeff"
    assert len(result.records) >= len(NOISE) + 2
    for r in result.records:
        assert text[r.start : r.end] == r.text
        assert unicodedata.normalize("NFC", r.text).replace("\u00ad", "") != ""
    last = result.records[-1]
    assert last.text == "3조원" and last.amount == 3 * 10**12


@pytest.mark.parametrize(("sentence", "span", "amount", "currency"), COMPAT)
def test_compatibility_forms_are_read_at_their_offsets(
    tmp_path: Path, sentence: str, span: str, amount: int, currency: str
) -> None:
    (tmp_path / "compat.txt").write_text(sentence, encoding="utf-8")
    (source,) = discover(tmp_path)
    (record,) = process_source(source).records
    assert (record.text, record.amount, record.currency) == (span, amount, currency)
    assert sentence[record.start : record.end] == span
