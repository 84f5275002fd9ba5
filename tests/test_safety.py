"""Hostile and broken input (issue 13): nothing gets in, nothing gets stuck, nothing is lost.

One section per kind of failure: absurd values in the exporters, stale exports
after an interruption, documents that take too long, workers outliving their
parent, symlinks leading out of the corpus, hostile workbooks given to `gold`,
broken rule files, a damaged store, unwritable outputs.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec

from extract import models
from extract import pipeline as pipeline_mod
from extract.cli import main
from extract.errors import OutputError
from extract.export import atomic_open, export_all
from extract.fmt import display_amount, exact_sum, in_range, plain
from extract.gold import GoldSheetError, sheet_to_labeled_set
from extract.limits import MAX_SENTENCE_CHARS, html_depth
from extract.models import DocResult
from extract.pipeline import STORE_NAME, run
from extract.report import write_report
from extract.rules import RuleFileError, rules_dir
from extract.store import Store

ROOT = Path(__file__).resolve().parent.parent
KO = "광주시는 인공지능 전략사업 예산 153억원을 확보했다고 밝혔다.\n"
EN = "The ministry set aside 61.7 billion won for the creation of an AI mobility pilot city.\n"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ko.txt").write_text(KO, encoding="utf-8")
    (folder / "en.txt").write_text(EN, encoding="utf-8")
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# -- 1. no value crashes an exporter; no context rounds -------------------------

ODD_AMOUNTS = [
    "1234567890123456789012345678901",  # 31 digits: the default context rounds at 28
    "12345678901234567890123456789012300000000",  # 33 digits before 억
    "1E+100000",
    "NaN",
    "sNaN",
    "-Infinity",
    "-0",
    "1E-70",
    "0.1234567890123456789012345678901",
]


def _odd_store(out: Path) -> None:
    text = "x " * 10
    results = []
    for i, amount in enumerate(ODD_AMOUNTS):
        doc = f"odd{i}.txt"
        results.append(
            DocResult(
                doc=doc,
                sha256=f"{i:064d}",
                size=1,
                mtime_ns=1,
                status=models.EXTRACTED,
                lang="ko" if i % 2 else "en",
                text=text,
                records=[
                    rec(doc, text, "x", amount, project="사업", lang="ko" if i % 2 else "en"),
                    rec(doc, text, "x", "5", amount_max=Decimal(amount), project="사업"),
                ],
            )
        )
    with Store(out / STORE_NAME) as store:
        store.save(results)


def test_no_value_crashes_an_exporter_or_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _odd_store(out)
    with Store(out / STORE_NAME) as store:
        export_all(store, out, tmp_path / "corpus")
        write_report(store, out)
    rows = _rows(out / "records.csv")
    amounts = [r["amount"] for r in rows]
    assert "1234567890123456789012345678901" in amounts  # every digit kept
    assert "12345678901234567890123456789012300000000" in amounts
    assert "1E+100000" in amounts and "NaN" in amounts
    from openpyxl import load_workbook

    wb = load_workbook(out / "records.xlsx", read_only=True)
    cells = [c for row in wb["records"].iter_rows(values_only=True) for c in row]
    assert "1234567890123456789012345678901" in cells  # over 15 digits: exact text
    projects = list(wb["projects"].iter_rows(values_only=True))
    wb.close()
    # the project total is the exact sum of the distinct in-range amounts (no NaN, no
    # 1E+100000; the bounded "5" mentions are bounds, not figures)
    expected = plain(exact_sum({Decimal(a) for a in ODD_AMOUNTS if in_range(Decimal(a))}))
    assert any(expected in (str(c) for c in row) for row in projects)


def test_display_and_sum_are_exact_beyond_28_digits() -> None:
    big = Decimal("1234567890123456789012345678901")
    assert display_amount(big, "KRW", "ko") == "1,234,567,890,123,456,789조 123억 4,567만 8,901 원"
    assert exact_sum([big, Decimal(1)]) == Decimal("1234567890123456789012345678902")
    assert plain(Decimal("1E+100000")) == "1E+100000"  # no 100,000-digit string


def test_a_33_digit_amount_does_not_stop_the_exports(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_text(
        "정부는 123456789012345678901234567890123억원을 투입한다.\n", encoding="utf-8"
    )
    (corpus / "ko.txt").write_text(KO, encoding="utf-8")
    run(corpus, tmp_path / "out", progress=False)
    docs = {r["doc"]: r for r in _rows(tmp_path / "out" / "documents.csv")}
    assert set(docs) == {"big.txt", "ko.txt"}


# -- 2. exports never stale after an interruption; no orphan temp files ---------


def test_exports_catch_up_after_a_kill_between_commit_and_export(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    # A new article is processed and committed, then the run dies before exporting:
    (corpus / "new.txt").write_text(EN.replace("61.7", "12.5"), encoding="utf-8")
    st = os.stat(corpus / "new.txt")
    source = models.SourceFile("new.txt", str(corpus / "new.txt"), st.st_size, st.st_mtime_ns)
    with Store(out / STORE_NAME) as store:
        store.save([pipeline_mod.process_source(source)])
    summary = run(corpus, out, progress=False)
    assert summary.processed == 0  # nothing left to extract ...
    docs = {r["doc"] for r in _rows(out / "documents.csv")}
    assert "new.txt" in docs  # ... but the exports were rebuilt from the store


def test_store_generation_moves_with_every_write(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.generation() == 0
        store.save([DocResult("a.txt", "a" * 64, 1, 1, models.NO_MONEY)])
        assert store.generation() == 1
        store.remove(["a.txt"])
        assert store.generation() == 2
        store.save([])  # nothing written: nothing to export again
        assert store.generation() == 2


def test_stale_temp_files_are_removed_at_start(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    orphan = out / ".records.xlsx.k2j4_9xa.tmp"
    orphan.write_bytes(b"half a workbook")
    mine = out / "notes.tmp"  # not ours: left alone
    mine.write_text("keep")
    run(corpus, out, progress=False)
    assert not orphan.exists() and mine.exists()
    assert not [p for p in os.listdir(out) if p.endswith(".tmp") and p.startswith(".")]


FAILPOINTS = ["after-save", "before-export", "during-export", "after-export"]


def _outputs(out: Path) -> dict[str, object]:
    from openpyxl import load_workbook

    got: dict[str, object] = {}
    for name in ("records.csv", "documents.csv"):
        got[name] = (out / name).read_text(encoding="utf-8-sig")
    wb = load_workbook(out / "records.xlsx", read_only=True)
    got["xlsx"] = {
        ws.title: [tuple(str(c) for c in row) for row in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
    }
    wb.close()
    got["report"] = (out / "report.html").read_text(encoding="utf-8").replace(str(out), "OUT")
    return got


def _killed_run(corpus: Path, out: Path, point: str) -> int:
    """Run the pipeline in a forked child (the models are already loaded here) that
    SIGKILLs itself at `point`; return its exit code."""
    import multiprocessing

    def child() -> None:
        os.environ["EXTRACT_FAILPOINT"] = point
        run(corpus, out, progress=False)
        os._exit(0)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(300)
    return proc.exitcode


def _cli_run(corpus: Path, out: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "extract", "run", "--corpus", str(corpus), "--out", str(out)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )


@pytest.mark.parametrize(
    "points",
    [
        ["after-save", "before-export", "after-export"],
        # the tables are replaced, the store does not know them yet: the next run must
        # not read the new records.xlsx back as a reviewer's edit (pending markers)
        ["during-export"],
    ],
)
def test_sigkill_at_any_point_then_rerun_equals_a_clean_run(
    corpus: Path, tmp_path: Path, points: list[str]
) -> None:
    first = tmp_path / "first"
    run(corpus, first, progress=False)
    # The corpus changes: one article edited, one removed, one added.
    (corpus / "ko.txt").write_text(KO.replace("153", "275"), encoding="utf-8")
    (corpus / "en.txt").unlink()
    (corpus / "new.txt").write_text(EN.replace("61.7", "12.5"), encoding="utf-8")
    clean = tmp_path / "clean"
    run(corpus, clean, progress=False)
    expected = _outputs(clean)
    for point in points:
        out = tmp_path / point
        shutil.copytree(first, out)
        assert _killed_run(corpus, out, point) == -signal.SIGKILL, point
        run(corpus, out, progress=False)
        assert not [p for p in os.listdir(out) if p.endswith(".tmp")], point
        assert _outputs(out) == expected, point


# -- 3. per-document time budget; linear guards ---------------------------------


def _slow_when_named(monkeypatch: pytest.MonkeyPatch, marker: str, action) -> None:
    real = pipeline_mod.process_document

    def patched(document):
        if marker in document.doc:
            action()
        return real(document)

    # The workers are forked from this process and inherit the patch.
    monkeypatch.setattr(pipeline_mod, "process_document", patched)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_over_its_time_budget_is_marked_and_the_run_goes_on(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    (corpus / "slow.txt").write_text("The slow article: $3 million.\n", encoding="utf-8")
    _slow_when_named(monkeypatch, "slow", lambda: time.sleep(600))
    began = time.monotonic()
    summary = run(corpus, tmp_path / "out", jobs=jobs, progress=False, doc_timeout=1.5)
    assert time.monotonic() - began < 60
    docs = {r["doc"]: r for r in _rows(tmp_path / "out" / "documents.csv")}
    assert docs["slow.txt"]["status"] == "error"
    assert docs["slow.txt"]["reason"] == "timed out after 1.5 s"
    assert docs["ko.txt"]["status"] == docs["en.txt"]["status"] == "extracted"
    assert summary.by_status[models.ERROR] == 1
    # The same content is not retried on every run (it would time out again) ...
    again = run(corpus, tmp_path / "out", jobs=jobs, progress=False, doc_timeout=1.5)
    assert again.processed == 0
    # ... but an edit is, and so is a run with a longer budget (not a shorter one).
    (corpus / "slow.txt").write_text("The slow article: $4 million.\n", encoding="utf-8")
    assert run(corpus, tmp_path / "out", progress=False, doc_timeout=1.5).processed == 1
    assert run(corpus, tmp_path / "out", progress=False, doc_timeout=1.0).processed == 0
    assert run(corpus, tmp_path / "out", progress=False, doc_timeout=2).processed == 1


def test_a_worker_that_dies_costs_only_its_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "crash.txt").write_text("The crashing article: $3 million.\n", encoding="utf-8")
    _slow_when_named(monkeypatch, "crash", lambda: os.kill(os.getpid(), signal.SIGKILL))
    run(corpus, tmp_path / "out", jobs=2, progress=False)
    docs = {r["doc"]: r for r in _rows(tmp_path / "out" / "documents.csv")}
    assert docs["crash.txt"]["reason"] == "worker process died (signal 9)"
    assert docs["ko.txt"]["status"] == docs["en.txt"]["status"] == "extracted"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dollars.txt", "The fund got " + "$" * 100_000 + " and $5 million more.\n"),
        ("run.txt", "x" * 300_000 + " The city spends $5 million on parks.\n"),
        (
            "divs.html",
            "<html><body>" + "<div>" * 100_000 + "Parks get $5 million." + "</div>" * 100_000,
        ),
        ("oneline.txt", "words without a full stop " * 12_000 + "and then $5 million.\n"),
    ],
)
def test_pathological_lines_are_processed_in_bounded_time(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    st = path.stat()
    source = models.SourceFile(name, str(path), st.st_size, st.st_mtime_ns)
    pipeline_mod.process_source(models.SourceFile("warm.txt", str(path), 0, 0))  # load models
    began = time.monotonic()
    result = pipeline_mod.process_source(source)
    took = time.monotonic() - began
    assert took < 25, f"{name} took {took:.1f} s"  # each was minutes before the guards
    assert result.status in (models.EXTRACTED, models.NO_MONEY), result.reason
    if "5 million" in content:
        assert any(r.amount == 5_000_000 for r in result.records)
    assert all(len(r.sentence) <= MAX_SENTENCE_CHARS for r in result.records)
    for r in result.records:
        assert result.text[r.start : r.end] == r.text


def test_html_depth_is_measured_linearly() -> None:
    assert html_depth("<div><p>a<p>b</div><br><img src=x>") == 1
    began = time.monotonic()
    assert html_depth("<div>" * 1_000_000) > 512
    assert time.monotonic() - began < 5


# -- 4. workers die with their parent -------------------------------------------

_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from extract.models import SourceFile
    from extract.timeouts import run_in_workers

    def work(source):
        time.sleep(1000)

    sources = [SourceFile(f"d{i}", "/dev/null", 0, 0) for i in range(2)]
    print("ready", flush=True)
    for _ in run_in_workers(work, sources, 2, None):
        pass
    """
)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_when_their_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(_ORPHAN_SCRIPT)
    parent = subprocess.Popen(
        [sys.executable, str(script)], env=_env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(parent.pid)
            time.sleep(0.1)
        assert len(workers) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        parent.kill()
        for w in _children(parent.pid):
            os.kill(w, signal.SIGKILL)


# -- 6. symlinks never lead out of the corpus -----------------------------------


def test_symlinks_out_of_the_corpus_or_in_a_loop_are_listed_not_read(
    corpus: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET budget of 987654321억원 for the hidden project.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.txt").write_text("ANOTHER SECRET 5억원.\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(secret)
    (corpus / "folder").symlink_to(outside)
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "inside.txt").symlink_to(corpus / "ko.txt")  # inside: fine (a duplicate)
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    docs = {r["doc"]: r for r in _rows(out / "documents.csv")}
    for doc in ("passwd.txt", "secret.txt", "folder"):
        assert "outside the corpus folder" in docs[doc]["reason"], docs[doc]
    assert "loop" in docs["loop.txt"]["reason"]
    # a link inside the corpus is read: the same content as ko.txt, so one is a duplicate
    assert {docs["inside.txt"]["status"], docs["ko.txt"]["status"]} == {
        models.DUPLICATE,
        models.EXTRACTED,
    }
    everything = "".join(p.read_text(errors="replace") for p in out.iterdir() if p.is_file())
    with Store(out / STORE_NAME) as store:
        texts = "".join(d.text for d in store.document_results(with_text=True))
    for leaked in ("SECRET", "root:", "987654321", "hidden project"):
        assert leaked not in everything and leaked not in texts


def test_gold_never_copies_a_link_leading_out(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SECRET\n", encoding="utf-8")
    (corpus / "secret.txt").symlink_to(tmp_path / "secret.txt")
    sheet = tmp_path / "records.csv"
    sheet.write_text(
        "doc,text,amount,currency\nko.txt,153억원,15300000000,KRW\nsecret.txt,x,1,KRW\n",
        encoding="utf-8",
    )
    with pytest.raises(GoldSheetError, match="outside"):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)
    assert not (tmp_path / "set" / "corpus" / "secret.txt").exists()


# -- 7. hostile workbooks given to gold -----------------------------------------


def _csv_sheet(tmp_path: Path, rows: list[str]) -> Path:
    sheet = tmp_path / "records.csv"
    sheet.write_text("doc,text,amount,currency\n" + "".join(rows), encoding="utf-8")
    return sheet


def test_gold_refuses_a_workbook_that_unzips_too_large(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import gold

    monkeypatch.setattr(gold, "MAX_UNCOMPRESSED_BYTES", 8 << 20)
    sheet = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", b"A" * (16 << 20))  # 16 MB in ~16 KB
    assert sheet.stat().st_size < 100_000
    with pytest.raises(GoldSheetError, match="unzips to 16 MB"):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)


def test_gold_refuses_too_many_rows_and_huge_cells(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import gold

    monkeypatch.setattr(gold, "MAX_SHEET_ROWS", 10)
    sheet = _csv_sheet(tmp_path, ["ko.txt,153억원,15300000000,KRW\n"] * 11)
    with pytest.raises(GoldSheetError, match="more than 10 rows"):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)
    monkeypatch.undo()
    sheet = _csv_sheet(tmp_path, [f"ko.txt,{'x' * 40_000},1,KRW\n"])
    with pytest.raises(GoldSheetError, match="40,000 characters"):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)
    sheet = _csv_sheet(tmp_path, [f'ko.txt,"{"y" * 200_000}",1,KRW\n'])  # over csv's limit
    with pytest.raises(GoldSheetError):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)


def test_gold_refuses_long_doc_names_and_broken_workbooks(tmp_path: Path, corpus: Path) -> None:
    sheet = _csv_sheet(tmp_path, [f"{'a' * 300}.txt,153억원,15300000000,KRW\n"])
    with pytest.raises(GoldSheetError, match="longer than 255 bytes"):
        sheet_to_labeled_set(sheet, tmp_path / "set", corpus)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(GoldSheetError, match="not a readable .xlsx"):
        sheet_to_labeled_set(broken, tmp_path / "set", corpus)


def test_gold_hostile_sheet_is_one_line_on_the_command_line(
    tmp_path: Path, corpus: Path, capsys
) -> None:
    sheet = _csv_sheet(tmp_path, [f"{'a' * 300}.txt,153억원,15300000000,KRW\n"])
    code = main(["gold", str(sheet), "--set", str(tmp_path / "set"), "--corpus", str(corpus)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and len(err) < 300


# -- 8. broken rule files stop the run before anything is touched ---------------


AI = '"ai-mobility-pilot-city"'


def _rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    monkeypatch.setenv("EXTRACT_RULES", str(rules))
    return rules


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('id = "ai-mobility-pilot-city"', 'id = "ai-mobility'), r"line \d+"),
        (
            lambda t: t.replace('id = "ai-mobility-pilot-city"\n', "", 1),
            r'line \d+.*"id" is missing',
        ),
        (
            lambda t: t.replace(
                'id = "local-love-gift-certificate"', 'id = "ai-mobility-pilot-city"'
            ),
            r"line \d+.*duplicate id",
        ),
        (lambda t: t.replace('ko = ["AI', 'kor = ["AI', 1), r'line \d+.*unknown field "kor"'),
        (
            lambda t: t.replace('ko = ["지역사랑상품권"', 'ko = [5, "지역사랑상품권"', 1),
            r'"ko" must be',
        ),
    ],
)
def test_a_broken_gazetteer_stops_the_run_before_anything_is_touched(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit, expected: str
) -> None:
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    rules = _rules_copy(tmp_path, monkeypatch)
    projects = rules / "projects.toml"
    projects.write_text(edit(projects.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RuleFileError, match=expected) as info:
        run(corpus, out, progress=False, full=True)
    assert "projects.toml" in str(info.value)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


def test_a_broken_rule_file_is_one_line_and_exit_2(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    rules = _rules_copy(tmp_path, monkeypatch)
    (rules / "en" / "vague.toml").write_text("[meta\nkind = 'money'\n", encoding="utf-8")
    code = main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "vague.toml" in err and "line 1" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


# -- 9. a damaged store is moved aside (never deleted) and rebuilt ---------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "garbled"])
def test_a_damaged_store_is_moved_aside_and_rebuilt(
    corpus: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    for i in range(40):  # enough pages that a cut or a scribble lands inside the data
        (corpus / f"extra{i}.txt").write_text(EN.replace("61.7", f"{i}.5") * 20, encoding="utf-8")
    run(corpus, out, progress=False)
    expected = (out / "records.csv").read_bytes()
    store = out / STORE_NAME
    data = store.read_bytes()
    if damage == "garbage":
        bad = b"this is not a database" * 100
    elif damage == "truncated":
        bad = data[: len(data) // 3]
    else:
        bad = data[:4096] + bytes(b ^ 0x5A for b in data[4096:8192]) + data[8192:]
    store.write_bytes(bad)
    summary = run(corpus, out, progress=False)
    moved = [p for p in out.iterdir() if p.name.startswith(STORE_NAME + ".damaged-")]
    assert len(moved) == 1 and moved[0].read_bytes() == bad  # kept as it was
    notice = "\n".join(summary.notices)
    assert "damaged" in notice and "moved, not deleted" in notice and moved[0].name in notice
    assert (out / "records.csv").read_bytes() == expected
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- 10. unwritable outputs: one line naming the file and the cause ----------------


def test_disk_full_is_one_line_and_previous_outputs_stay(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".xlsx")}
    # 3.8 MB of Korean without money: quick to process, large to store
    (corpus / "big.txt").write_text("오늘은 날씨가 맑고 시민들이 공원을 산책했다. " * 60_000)
    limit = max(p.stat().st_size for p in out.iterdir()) + 200_000

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = _cli_run(corpus, out, preexec_fn=small_disk)
    assert result.returncode == 2, result.stdout + result.stderr
    err = result.stderr.strip()
    assert "Traceback" not in err and err.count("\n") == 0, err
    assert "extract.sqlite" in err and "cannot rollback" not in err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert after == before


def test_an_output_that_cannot_be_replaced_names_the_file(tmp_path: Path) -> None:
    locked = tmp_path / "records.xlsx"
    locked.mkdir()  # something in the way that cannot be replaced by a file
    with pytest.raises(OutputError, match="records.xlsx: cannot write") as info:
        with atomic_open(locked, "w") as fh:
            fh.write("x")
    assert str(info.value).count("\n") == 0
    assert os.listdir(tmp_path) == ["records.xlsx"]  # no temp file left


def test_read_only_file_system_is_named(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import errno

    out = tmp_path / "out"
    run(corpus, out, progress=False)
    before = (out / "records.csv").read_bytes()
    (corpus / "new.txt").write_text(EN.replace("61.7", "1.5"), encoding="utf-8")
    real_replace = os.replace

    def read_only(src, dst, *a, **kw):
        if str(dst).endswith("records.csv"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", read_only)
    code = main(["run", "--corpus", str(corpus), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "records.csv: cannot write: the file system is read-only" in err
    assert (out / "records.csv").read_bytes() == before


def test_a_second_run_on_the_same_outputs_is_refused(corpus: Path, tmp_path: Path) -> None:
    from extract.outdir import claim

    out = tmp_path / "out"
    with claim(out):
        with pytest.raises(OutputError, match="another run"):
            run(corpus, out, progress=False)


def test_an_unchanged_ignored_file_does_not_rebuild_the_exports(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / ".DS_Store").write_bytes(b"\0\0")
    (corpus / "outside.txt").symlink_to("/etc/hostname")
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    with Store(out / STORE_NAME) as store:
        generation = store.generation()
    mtime = (out / "records.xlsx").stat().st_mtime_ns
    run(corpus, out, progress=False)
    with Store(out / STORE_NAME) as store:
        assert store.generation() == generation
    assert (out / "records.xlsx").stat().st_mtime_ns == mtime
