"""The reviewer's loop: edits in records.xlsx are read back, kept and re-applied."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import rec
from openpyxl import load_workbook

from extract.export import RECORD_COLUMNS, export_all
from extract.gold import sheet_to_labeled_set
from extract.models import EXTRACTED, DocResult
from extract.review import (
    ADDED,
    REVIEWED,
    UNREVIEWED,
    apply_corrections,
    backups,
    before_export,
)
from extract.store import Store

ROOT = Path(__file__).resolve().parents[1]
KO = "광주시 인공지능 사업 예산은 25억원에서 153억원으로 늘었다.\n도시철도 11억원도 반영됐다."
KO_1, KO_2 = KO.split("\n")
EN = "It gets 61.7 billion won for the AI city and $2.5 million more."


def results() -> list[DocResult]:
    ko, en = "ko.txt", "en.txt"
    return [
        DocResult(
            ko,
            "a" * 64,
            1,
            1,
            EXTRACTED,
            lang="ko",
            text=KO,
            records=[
                rec(ko, KO, "25억원", 2500000000, project="인공지능 사업", sentence=KO_1),
                rec(ko, KO, "153억원", 15300000000, project="인공지능 사업", sentence=KO_1),
                rec(ko, KO, "11억원", 1100000000, project="도시철도", sentence=KO_2),
            ],
        ),
        DocResult(
            en,
            "b" * 64,
            1,
            1,
            EXTRACTED,
            lang="en",
            text=EN,
            records=[
                rec(en, EN, "61.7 billion won", 61700000000, lang="en", project="AI city"),
                rec(en, EN, "$2.5 million", 2500000, lang="en", currency="USD"),
            ],
        ),
    ]


@pytest.fixture
def outputs(tmp_path: Path) -> tuple[Path, Path]:
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    for d in results():
        (corpus / d.doc).write_text(d.text, encoding="utf-8")
    with Store(out / "extract.sqlite") as store:
        store.save(results())
        export_all(store, out, corpus)
    return corpus, out


def sheet_rows(path: Path) -> list[dict]:
    ws = load_workbook(path)["records"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(2)]


def edit(path: Path) -> None:
    """What a reviewer does: fix a project and a qualifier, confirm a row, delete a false
    positive, add a missed amount."""
    wb = load_workbook(path)
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    by_text = {ws.cell(r, col["text"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(by_text["11억원"], col["project"]).value = "광주 도시철도 2호선"
    ws.cell(by_text["61.7 billion won"], col["qualifier"]).value = "approx"
    ws.cell(by_text["153억원"], col["status"]).value = "OK"
    ws.delete_rows(by_text["$2.5 million"])
    new = ws.max_row + 1
    for name, value in {
        "doc": "ko.txt",
        "text": "153억원",
        "amount": 99,
        "currency": "krw",
        "project": "missed",
    }.items():
        ws.cell(new, col[name]).value = value
    wb.save(path)


def rerun(out: Path, corpus: Path, extra: list[DocResult] = ()) -> list[str]:
    with Store(out / "extract.sqlite") as store:
        notes = before_export(store, out)
        store.save(list(extra))
        export_all(store, out, corpus, notes)
    return notes


def check_edits(rows: list[dict]) -> None:
    by_text = {r["text"]: r for r in rows if r["status"] != ADDED}
    assert by_text["11억원"]["project"] == "광주 도시철도 2호선"
    assert by_text["11억원"]["status"] == REVIEWED
    assert by_text["61.7 billion won"]["qualifier"] == "approx"
    assert by_text["153억원"]["status"] == REVIEWED
    assert by_text["25억원"]["status"] == UNREVIEWED
    assert "$2.5 million" not in by_text
    added = [r for r in rows if r["status"] == ADDED]
    assert len(added) == 1 and added[0]["amount"] == 99 and added[0]["currency"] == "KRW"
    assert added[0]["project"] == "missed"


def test_edits_are_imported_kept_and_reapplied(outputs) -> None:
    corpus, out = outputs
    assert {r["status"] for r in sheet_rows(out / "records.xlsx")} == {UNREVIEWED}
    edit(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any("imported 2 changed, 1 deleted, 1 added and 1 confirmed" in n for n in notes)
    check_edits(sheet_rows(out / "records.xlsx"))
    # the edited workbook itself was kept, and a copy is named in the summary
    assert len(backups(out)) == 1 and str(backups(out)[0]) in " ".join(notes)
    # the CSV and the corrections mirror carry the same
    with open(out / "records.csv", encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert {r["text"] for r in csv_rows} == {"25억원", "153억원", "11억원", "61.7 billion won"}
    with open(out / "corrections.csv", encoding="utf-8-sig", newline="") as fh:
        actions = sorted(r["action"] for r in csv.DictReader(fh))
    assert actions == ["add", "change", "change", "confirm", "delete"]
    # a run with nothing edited imports nothing and changes nothing
    assert rerun(out, corpus) == []
    check_edits(sheet_rows(out / "records.xlsx"))


def test_edit_an_edited_row_and_undo_an_added_one(outputs) -> None:
    corpus, out = outputs
    edit(out / "records.xlsx")
    rerun(out, corpus)
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, col["status"]).value == ADDED:
            ws.delete_rows(r)
        elif ws.cell(r, col["text"]).value == "11억원":
            ws.cell(r, col["project"]).value = "도시철도 2호선"
    wb.save(out / "records.xlsx")
    rerun(out, corpus)
    rows = sheet_rows(out / "records.xlsx")
    assert not [r for r in rows if r["status"] == ADDED]
    assert next(r for r in rows if r["text"] == "11억원")["project"] == "도시철도 2호선"


def test_corrections_survive_a_new_article_and_reextraction(outputs) -> None:
    corpus, out = outputs
    edit(out / "records.xlsx")
    rerun(out, corpus)
    # the Korean article is re-extracted after an edit elsewhere in it (new sha256,
    # shifted offsets), and a new article arrives
    text = "[속보] " + KO
    changed = results()[0]
    changed.sha256, changed.text = "c" * 64, text
    changed.records = [rec("ko.txt", text, t, a, project=p) for t, a, p in (
        ("25억원", 2500000000, "인공지능 사업"),
        ("153억원", 15300000000, "인공지능 사업"),
        ("11억원", 1100000000, "도시철도"),
    )]  # fmt: skip
    for r in changed.records:
        r.sentence = KO.split("\n")[0] if r.text != "11억원" else KO.split("\n")[1]
    new_text = "부산시는 해양 사업에 50억원을 투입한다."
    new = DocResult(
        "new.txt",
        "d" * 64,
        1,
        1,
        EXTRACTED,
        lang="ko",
        text=new_text,
        records=[rec("new.txt", new_text, "50억원", 5000000000, project="해양 사업")],
    )
    (corpus / "new.txt").write_text(new_text, encoding="utf-8")
    notes = rerun(out, corpus, [changed, new])
    rows = sheet_rows(out / "records.xlsx")
    check_edits(rows)
    assert next(r for r in rows if r["doc"] == "new.txt")["status"] == UNREVIEWED
    assert not any("found no record" in n for n in notes)


def test_corrections_survive_a_cache_rebuild_and_a_lost_store(outputs) -> None:
    corpus, out = outputs
    edit(out / "records.xlsx")
    rerun(out, corpus)
    # a new schema version drops the cache tables, never the review tables
    conn = sqlite3.connect(out / "extract.sqlite")
    conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with Store(out / "extract.sqlite") as store:
        assert store.documents() == {}
        assert len(store.corrections()) == 5
    # a store that is gone altogether: corrections.csv brings them back
    for p in out.glob("extract.sqlite*"):
        p.unlink()
    notes = rerun(out, corpus, results())
    assert any("restored 5 corrections" in n for n in notes)
    check_edits(sheet_rows(out / "records.xlsx"))


def test_a_workbook_we_cannot_read_back_is_kept(outputs) -> None:
    corpus, out = outputs
    (out / "extract.sqlite").unlink()
    for p in out.glob("extract.sqlite-*"):
        p.unlink()
    (out / "corrections.csv").unlink()
    edit(out / "records.xlsx")
    notes = rerun(out, corpus, results())
    assert any("cannot be read back" in n for n in notes)
    kept = [p for p in backups(out) if p.suffix == ".xlsx"]
    assert len(kept) == 1
    assert any(r["project"] == "광주 도시철도 2호선" for r in sheet_rows(kept[0]))


def test_an_edited_csv_is_copied_before_it_is_replaced(outputs) -> None:
    corpus, out = outputs
    path = out / "records.csv"
    path.write_text(path.read_text(encoding="utf-8-sig") + "my note\n", encoding="utf-8-sig")
    notes = rerun(out, corpus)
    assert any("records.csv was edited" in n for n in notes)
    (copy,) = backups(out)
    assert copy.read_text(encoding="utf-8-sig").endswith("my note\n")
    assert "my note" not in path.read_text(encoding="utf-8-sig")


def test_bad_edits_are_named_and_not_imported(outputs) -> None:
    corpus, out = outputs
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.cell(2, col["amount"]).value = "a lot"
    ws.cell(3, col["qualifier"]).value = "roughly"
    wb.save(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any("records row 2: amount" in n or "records row 2:" in n for n in notes)
    assert any("records row 3: qualifier 'roughly'" in n for n in notes)
    assert len(sheet_rows(out / "records.xlsx")) == 5  # a bad edit is not a deletion


def test_relocation_rules() -> None:
    doc = results()[0]
    r153 = doc.records[1]
    correction = {
        "id": 1,
        "action": "change",
        "doc": doc.doc,
        "doc_sha256": "0" * 64,  # another version of the document
        "start": 999,
        "end": 1004,
        "text": "153억원",
        "sentence": r153.sentence,
        "amount": "15300000000",
        "amount_max": None,
        "currency": "KRW",
        "project": "fixed",
        "qualifier": "",
    }
    shown, lost = apply_corrections(doc, [correction])
    assert not lost and next(s for s in shown if s.record.text == "153억원").record.project == (
        "fixed"
    )
    # sentence rewritten, but the expression is still unique in the document
    shown, lost = apply_corrections(doc, [{**correction, "sentence": "other"}])
    assert not lost
    # gone from the document: kept, not applied
    shown, lost = apply_corrections(doc, [{**correction, "sentence": "x", "text": "7억원"}])
    assert lost and all(s.status == UNREVIEWED for s in shown)


def test_gold_reads_the_reviewed_workbook(outputs, tmp_path: Path) -> None:
    corpus, out = outputs
    edit(out / "records.xlsx")
    rerun(out, corpus)
    n = sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", corpus)
    assert n == 5
    with open(tmp_path / "set" / "gold.csv", encoding="utf-8") as fh:
        gold = list(csv.DictReader(fh))
    assert {g["project"] for g in gold} >= {"광주 도시철도 2호선", "missed"}
    assert RECORD_COLUMNS[-1] == "key"


def test_full_runs_with_a_new_article(tmp_path: Path) -> None:
    """The whole loop through `run`: edit, add an article, run again, edits intact."""
    from extract.pipeline import format_summary, run

    corpus, out = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    for name in ("000_32f4792a353187e9.txt", "003_dc98f4a00cff1e0a.txt"):
        shutil.copyfile(ROOT / "tests" / "labeled" / "corpus" / name, corpus / name)
    run(corpus, out, progress=False)
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    fixed_key = ws.cell(2, col["key"]).value
    ws.cell(2, col["project"]).value = "reviewed project"
    gone_key = ws.cell(3, col["key"]).value
    ws.delete_rows(3)
    wb.save(out / "records.xlsx")
    (corpus / "new.txt").write_text("부산시는 해양 사업에 50억원을 투입한다.", encoding="utf-8")
    summary = run(corpus, out, progress=False)
    text = format_summary(summary)
    assert "records.xlsx was edited: imported 1 changed, 1 deleted" in text
    rows = {r["key"]: r for r in sheet_rows(out / "records.xlsx")}
    assert rows[fixed_key]["project"] == "reviewed project"
    assert rows[fixed_key]["status"] == REVIEWED
    assert gone_key not in rows
    assert [r["status"] for r in rows.values() if r["doc"] == "new.txt"] == [UNREVIEWED]
    # and once more, nothing new: still intact, nothing imported
    summary = run(corpus, out, progress=False)
    assert not summary.notes
    assert {r["key"]: r for r in sheet_rows(out / "records.xlsx")}[fixed_key]["project"] == (
        "reviewed project"
    )


def _open_at(path: Path, text: str):
    """(workbook, records sheet, column numbers by name, the row whose `text` is `text`)."""
    wb = load_workbook(path)
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["text"]).value == text)
    return wb, ws, col, row


def test_a_copied_row_is_a_new_row_and_a_repeated_key_is_named(outputs) -> None:
    # a reviewer copies a row, key included, to add a missed amount: the copy with another
    # text is an added row (the original keeps its amount); a copy with the same text is
    # named and not imported, never applied over the first row
    corpus, out = outputs
    wb, ws, col, src = _open_at(out / "records.xlsx", "11억원")
    for text, amount, project in (("153억원", 7, "copied"), ("11억원", 5, "twin")):
        new = ws.max_row + 1
        for c in range(1, ws.max_column + 1):
            ws.cell(new, c).value = ws.cell(src, c).value
        ws.cell(new, col["text"]).value = text
        ws.cell(new, col["amount"]).value = amount
        ws.cell(new, col["project"]).value = project
    wb.save(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any("the key of row" in n for n in notes), notes
    rows = sheet_rows(out / "records.xlsx")
    kept = [r for r in rows if r["text"] == "11억원"]
    assert [(r["amount"], r["project"]) for r in kept] == [(1100000000, "도시철도")]
    added = [r for r in rows if r["status"] == ADDED]
    assert [(r["text"], r["amount"], r["project"]) for r in added] == [("153억원", 7, "copied")]


def test_a_doc_typo_in_a_keyed_row_deletes_nothing(outputs) -> None:
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    ws.cell(row, col["doc"]).value = "KO.txt"  # a typo: not in the corpus
    wb.save(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any("not in the corpus" in n for n in notes), notes
    assert "11억원" in {r["text"] for r in sheet_rows(out / "records.xlsx")}


def _saved_and_rerun(wb, out: Path, corpus: Path, note: str) -> dict[str, dict]:
    """Save the edited workbook, re-run, check the summary names `note`; the new rows by
    text."""
    wb.save(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any(note in n for n in notes), notes
    return {r["text"]: r for r in sheet_rows(out / "records.xlsx")}


def test_a_formula_without_a_saved_value_changes_nothing(outputs) -> None:
    # openpyxl (and other tools) save a typed formula without its value: the data-only
    # read sees an empty cell, which must not become "no project" or a deletion
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    ws.cell(row, col["project"]).value = '=UPPER("x")'
    other = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["text"]).value == "25억원")
    ws.cell(other, col["project"]).value = "인공지능 사업 본예산"
    # a formula in a column never read back (and in a reviewer's own column) blocks nothing
    ws.cell(other, col["project_score"]).value = "=1/2"
    mine = ws.max_column + 1
    ws.cell(1, mine).value = "my check"
    for r in range(2, ws.max_row + 1):
        ws.cell(r, mine).value = f"=LEN(A{r})"
    by_text = _saved_and_rerun(wb, out, corpus, "project holds a formula with no saved value")
    assert by_text["11억원"]["project"] == "도시철도"
    assert by_text["11억원"]["status"] == UNREVIEWED
    assert by_text["25억원"]["project"] == "인공지능 사업 본예산"  # the rest is imported


def test_a_formula_key_without_a_saved_value_keeps_the_workbook_unread(outputs) -> None:
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    ws.cell(row, col["key"]).value = '=CONCAT("a","b")'
    ws.cell(row, col["project"]).value = "changed"
    texts = _saved_and_rerun(wb, out, corpus, "its key is a formula with no saved value")
    assert texts["11억원"]["project"] == "도시철도"  # nothing deleted, nothing changed
    assert len(texts) == 5
    assert [p for p in backups(out) if p.suffix == ".xlsx"]


@pytest.mark.parametrize("change", ["delete", "rename"])
def test_a_deleted_or_renamed_column_is_refused_not_read_as_emptied(outputs, change) -> None:
    # a reviewer deletes a column "to make room" or renames `amount` to `amount (KRW)`:
    # the missing column must not clear that field on every row (tester15)
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    ws.cell(row, col["project"]).value = "changed"
    if change == "delete":
        ws.delete_cols(col["amount"])
    else:
        ws.cell(1, col["amount"]).value = "amount (KRW)"
    texts = _saved_and_rerun(wb, out, corpus, "has no amount column")
    assert texts["11억원"]["amount"] == 1_100_000_000
    assert texts["11억원"]["project"] == "도시철도"  # nothing of the sheet imported
    assert all(r["amount"] for r in texts.values())
    assert [p for p in backups(out) if p.suffix == ".xlsx"]


def test_corrections_follow_a_file_moved_into_a_subfolder(tmp_path: Path) -> None:
    """Organising corpora/ into sub-folders keeps the review (tester15): a correction
    whose file is gone goes to the one file with the same content."""
    from extract.pipeline import format_summary, run

    corpus, out = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    name = "000_32f4792a353187e9.txt"
    shutil.copyfile(ROOT / "tests" / "labeled" / "corpus" / name, corpus / name)
    run(corpus, out, progress=False)
    wb, ws, col, row = _open_at(out / "records.xlsx", "563.9 billion won")
    ws.cell(row, col["project"]).value = "reviewed project"
    wb.save(out / "records.xlsx")
    run(corpus, out, progress=False)
    (corpus / "2026").mkdir()
    (corpus / name).rename(corpus / "2026" / name)
    text = format_summary(run(corpus, out, progress=False))
    assert "found no record" not in text
    rows = [r for r in sheet_rows(out / "records.xlsx") if r["text"] == "563.9 billion won"]
    assert rows[0]["doc"] == f"2026/{name}"
    assert rows[0]["project"] == "reviewed project" and rows[0]["status"] == REVIEWED
    # beside a copy of itself the move is ambiguous: kept, not applied, counted
    shutil.copyfile(corpus / "2026" / name, corpus / "copy.txt")
    (corpus / "2026" / name).rename(corpus / "moved-again.txt")
    text = format_summary(run(corpus, out, progress=False))
    assert "found no record" in text


def test_an_unknown_status_is_named_and_the_row_left_as_it_was(outputs) -> None:
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    ws.cell(row, col["status"]).value = "deleted"
    ws.cell(row, col["project"]).value = "changed"
    texts = _saved_and_rerun(wb, out, corpus, "status 'deleted' is not a review status")
    assert texts["11억원"]["project"] == "도시철도"
    assert texts["11억원"]["status"] == UNREVIEWED


def test_a_duplicated_column_is_refused_not_half_read(outputs) -> None:
    # a reviewer adds a note column named `project` at the end (tester16)
    corpus, out = outputs
    wb, ws, col, row = _open_at(out / "records.xlsx", "11억원")
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "project"
    ws.cell(row, extra).value = "my note"
    texts = _saved_and_rerun(wb, out, corpus, "has project twice")
    assert texts["11억원"]["project"] == "도시철도"
    assert texts["25억원"]["project"] and texts["25억원"]["status"] == UNREVIEWED


def test_a_row_left_with_only_a_link_is_ignored_and_a_new_row_names_what_it_lacks(outputs):
    # tester20 E5: a spreadsheet program deleting a row may leave its `source` link behind;
    # such a row is nothing to import, never `currency '' is not an ISO 4217 code`
    corpus, out = outputs
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.delete_rows(2)
    ws.cell(ws.max_row + 1, col["source"]).value = "..\\corpora\\ko.txt"
    half = ws.max_row + 1
    ws.cell(half, col["doc"]).value = "ko.txt"
    ws.cell(half, col["text"]).value = "11억원"
    ws.cell(half, col["amount"]).value = 1100000000
    ws.cell(3, col["currency"]).value = None
    ws.cell(4, col["currency"]).value = "원"
    wb.save(out / "records.xlsx")
    notes = rerun(out, corpus)
    assert any("imported 0 changed, 1 deleted, 0 added" in n for n in notes), notes
    problems = [n.strip() for n in notes if "not imported" in n]
    assert problems == [
        "not imported: records row 3: currency is empty: type an ISO 4217 code "
        "(KRW, USD, EUR, ...)",
        "not imported: records row 4: currency '원' is not an ISO 4217 code: type one such "
        "as KRW, USD or EUR",
        f"not imported: records row {half}: a new row needs doc, text, amount, currency; "
        "its currency is empty",
    ], problems


def test_a_reviewer_typed_known_name_gets_its_gazetteer_id(outputs) -> None:
    """tester30: a project a reviewer typed had no project_id, so `지역사랑상품권` became a
    second row of the projects sheet beside the linker's own. A name holding known names of
    one project gets its id, as the linker gives it (tester31: `지역화폐 발행지원`, `the local
    currency vouchers`); a list or a name holding two projects' names does not."""
    corpus, out = outputs
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    by_text = {ws.cell(r, col["text"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(by_text["11억원"], col["project"]).value = "지역 사랑 상품권(지역화폐)"
    ws.cell(by_text["25억원"], col["project"]).value = "지역사랑상품권, 국가AI컴퓨팅센터"
    ws.cell(by_text["153억원"], col["project"]).value = "지역화폐와 국가AI컴퓨팅센터"
    ws.cell(by_text["61.7 billion won"], col["project"]).value = "the local currency vouchers."
    new = ws.max_row + 1
    for name, value in {"doc": "ko.txt", "text": "153억원", "amount": 1, "currency": "KRW"}.items():
        ws.cell(new, col[name]).value = value
    ws.cell(new, col["project"]).value = "지역화폐 발행지원"
    wb.save(out / "records.xlsx")
    rerun(out, corpus)
    rows = sheet_rows(out / "records.xlsx")
    ids = {(r["text"], r["status"]): r["project_id"] or "" for r in rows}
    assert ids[("11억원", REVIEWED)] == "local-love-gift-certificate"
    assert ids[("61.7 billion won", REVIEWED)] == "local-love-gift-certificate"
    assert ids[("153억원", ADDED)] == "local-love-gift-certificate"
    assert ids[("25억원", REVIEWED)] == ""
    assert ids[("153억원", REVIEWED)] == ""


def projects_rows(path: Path) -> dict[str, dict]:
    ws = load_workbook(path)["projects"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(2)]
    return {(r["project"], r["currency"]): r for r in rows}


def test_the_alias_step_reads_what_the_reviewer_typed(outputs) -> None:
    """names14: the projects sheet groups a document's names after the reviewer's edits are
    applied. A project typed as a longer name whose end is the linker's `인공지능 사업`
    takes the linker's mentions into its row (the note says so) while the records keep
    their words; typing another name takes it apart again."""
    corpus, out = outputs
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    by_text = {ws.cell(r, col["text"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(by_text["11억원"], col["project"]).value = "광주시 인공지능 사업"
    wb.save(out / "records.xlsx")
    rerun(out, corpus)
    rows = {r["text"]: r for r in sheet_rows(out / "records.xlsx")}
    assert rows["25억원"]["project"] == "인공지능 사업"  # the article's words, unchanged
    assert rows["11억원"]["project"] == "광주시 인공지능 사업"
    projects = projects_rows(out / "records.xlsx")
    row = projects[("광주시 인공지능 사업", "KRW")]
    assert row["distinct_total"] == 15300000000 + 1100000000
    assert row["mentions"] == 3
    assert row["written_as"] == "인공지능 사업; 광주시 인공지능 사업"
    assert "`인공지능 사업` counted here" in row["note"]
    assert ("인공지능 사업", "KRW") not in projects and ("도시철도", "KRW") not in projects

    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    by_text = {ws.cell(r, col["text"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(by_text["11억원"], col["project"]).value = "광주 도시철도 2호선"
    wb.save(out / "records.xlsx")
    rerun(out, corpus)
    projects = projects_rows(out / "records.xlsx")
    assert projects[("인공지능 사업", "KRW")]["distinct_total"] == 15300000000
    assert projects[("인공지능 사업", "KRW")]["note"] is None  # an empty cell
    assert projects[("광주 도시철도 2호선", "KRW")]["distinct_total"] == 1100000000
