"""Unit tests of the scorer (extract/evaluate.py) with hand-built records."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from extract.evaluate import (
    EvalReport,
    GoldError,
    GoldRow,
    error_rows,
    format_table,
    load_gold,
    main_evaluate,
    match,
    normalize_project,
    projects_lenient,
    projects_strict,
    score,
    to_json,
    write_errors,
)
from extract.models import Record

HEADER = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]


def gold(
    doc="a.txt",
    text="153억원",
    amount="15300000000",
    currency="KRW",
    project="",
    amount_max=None,
    qualifier="",
    row=0,
) -> GoldRow:
    return GoldRow(
        doc=doc,
        text=text,
        amount=Decimal(amount),
        currency=currency,
        project=project,
        amount_max=None if amount_max is None else Decimal(amount_max),
        qualifier=qualifier,
        row=row,
    )


def rec(
    doc="a.txt",
    text="153억원",
    amount="15300000000",
    currency="KRW",
    project="",
    amount_max=None,
    qualifier="",
    start=0,
    lang="ko",
    sentence="",
) -> Record:
    return Record(
        doc=doc,
        lang=lang,
        sentence=sentence,
        start=start,
        end=start + len(text),
        text=text,
        amount=None if amount is None else Decimal(amount),
        amount_max=None if amount_max is None else Decimal(amount_max),
        currency=currency,
        qualifier=qualifier,
        vague=amount is None,
        project=project,
    )


LANGS = {"a.txt": "ko", "b.txt": "en"}


# ------------------------------------------------------------------ matching


def test_multiset_each_gold_matched_once():
    g = [gold(row=2)]
    p = [rec(start=0), rec(start=50)]
    s = score(g, p, LANGS)
    assert s["counts"]["matched"] == 1
    assert s["mention_precision"] == 0.5 and s["mention_recall"] == 1.0
    assert s["mention_f1"] == pytest.approx(2 / 3)


def test_duplicate_gold_rows_need_two_predictions():
    g = [gold(row=2), gold(row=3)]
    one = score(g, [rec()], LANGS)
    assert one["mention_recall"] == 0.5 and one["mention_precision"] == 1.0
    two = score(g, [rec(start=0), rec(start=900)], LANGS)
    assert two["mention_f1"] == 1.0


def test_match_needs_same_doc_currency_amount_and_max():
    g = [gold(doc="a.txt")]
    assert score(g, [rec(doc="b.txt")], LANGS)["counts"]["matched"] == 0
    assert score(g, [rec(currency="USD")], LANGS)["counts"]["matched"] == 0
    assert score(g, [rec(amount="15300000001")], LANGS)["counts"]["matched"] == 0
    assert score(g, [rec(amount_max="20000000000")], LANGS)["counts"]["matched"] == 0
    # an amount_max equal to the amount is no range at all
    assert score(g, [rec(amount_max="15300000000")], LANGS)["counts"]["matched"] == 1
    # 1.5E+10 and 15000000000 are the same Decimal value
    g2 = [gold(amount="15000000000")]
    assert score(g2, [rec(amount="1.5E+10")], LANGS)["counts"]["matched"] == 1


def test_range_matches_on_both_ends():
    g = [gold(text="30~50억원", amount="3000000000", amount_max="5000000000")]
    p = [rec(text="30~50억원", amount="3000000000", amount_max="5000000000")]
    assert score(g, p, LANGS)["mention_f1"] == 1.0


def test_prefers_candidate_whose_project_matches():
    # Same value twice in the doc, two projects: the prediction order must not decide.
    g = [gold(project="인공지능 전략사업", row=2), gold(project="AI 반도체 지원", row=3)]
    p = [rec(project="AI 반도체 지원", start=0), rec(project="인공지능 전략사업", start=40)]
    s = score(g, p, LANGS)
    assert s["project_strict_f1"] == 1.0
    m = match(g, p)
    assert {(x.gold.row, x.pred.start) for x in m.pairs} == {(3, 0), (2, 40)}


def test_second_pass_prefers_lenient_then_same_text():
    g = [
        gold(text="153억원", project="도로 확장", row=2),
        gold(text="153억 원", project="인공지능 전략사업 예산", row=3),
    ]
    p = [rec(text="153억 원", project="인공지능 전략사업")]
    m = match(g, p)
    assert m.pairs[0].gold.row == 3  # lenient project match wins over first-in-order


def test_vague_predictions_are_not_scored():
    g = [gold()]
    p = [rec(), rec(text="수백억원", amount=None, start=30)]
    s = score(g, p, LANGS)
    assert s["mention_precision"] == 1.0
    assert s["counts"]["unscored_vague"] == 1
    assert s["counts"]["predicted"] == 1


def test_by_lang_uses_document_language():
    g = [gold(doc="a.txt"), gold(doc="b.txt", text="$1.1bn", amount="1100000000", currency="USD")]
    # the Korean extractor found an amount in the English doc: still counted as "en"
    p = [
        rec(doc="a.txt"),
        rec(doc="b.txt", text="$1.1bn", amount="1100000000", currency="USD", lang="ko"),
        rec(doc="b.txt", amount="5", start=9),
    ]
    s = score(g, p, LANGS)
    assert set(s["by_lang"]) == {"ko", "en"}
    assert s["by_lang"]["ko"]["mention_f1"] == 1.0
    assert s["by_lang"]["en"]["mention_precision"] == 0.5
    assert s["by_lang"]["en"]["counts"]["gold"] == 1


def test_span_exactness_and_qualifier_accuracy():
    g = [
        gold(text="50만원", amount="500000", qualifier="max", row=2),
        gold(text="3억원", amount="300000000", qualifier="max", row=3),
        gold(text="25억원", amount="2500000000", row=4),
    ]
    p = [
        rec(text="최대 연 50만원", amount="500000", qualifier="max"),
        rec(text="3억원", amount="300000000", qualifier="", start=10),
        rec(text="25억원", amount="2500000000", qualifier="approx", start=20),
    ]
    s = score(g, p, LANGS)
    assert s["span_exact"] == pytest.approx(2 / 3)
    # only gold rows with a qualifier count: 1 of 2 right
    assert s["qualifier_accuracy"] == 0.5


def test_qualifier_accuracy_is_not_applicable_without_gold_qualifiers():
    """A set whose gold has no qualifier at all says n/a, not 0.000 ("all wrong")."""
    g = [gold(text="25억원", amount="2500000000", row=2)]
    p = [rec(text="25억원", amount="2500000000", qualifier="approx")]
    s = score(g, p, LANGS)
    assert s["qualifier_accuracy"] is None
    assert s["by_lang"]["ko"]["qualifier_accuracy"] is None


def test_project_precision_and_recall_denominators():
    g = [
        gold(project="인공지능 전략사업", row=2),
        gold(
            text="11억원", amount="1100000000", project="도시철도 통합무선망철도 구축사업비", row=3
        ),
        gold(text="3억원", amount="300000000", project="", row=4),
        gold(text="9억원", amount="900000000", project="공공배달앱", row=5),
    ]  # never found
    p = [
        rec(project="'인공지능 전략사업'"),  # strict after normalisation
        rec(text="11억원", amount="1100000000", project="통합무선망철도 구축사업비", start=9),
        rec(text="3억원", amount="300000000", project="소상공인", start=20),
    ]  # gold empty
    s = score(g, p, LANGS)
    c = s["counts"]
    assert (c["project_gold"], c["project_predicted"]) == (3, 3)
    assert (c["project_strict_hits"], c["project_lenient_hits"]) == (1, 2)
    assert s["project_strict_precision"] == pytest.approx(1 / 3)
    assert s["project_strict_recall"] == pytest.approx(1 / 3)
    assert s["project_lenient_precision"] == pytest.approx(2 / 3)
    assert s["project_lenient_recall"] == pytest.approx(2 / 3)


def test_nothing_to_find_and_nothing_found_is_perfect():
    s = score([], [], {})
    assert s["mention_f1"] == 1.0 and s["by_lang"] == {}
    s = score([gold()], [], LANGS)
    assert s["mention_f1"] == 0.0 and s["mention_precision"] == 0.0


# ------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "a,b",
    [
        (
            "'Physical AI-Based Humanoid Manufacturing Innovation Pilot Zone'",
            "Physical AI-Based Humanoid Manufacturing Innovation Pilot Zone",
        ),
        ("“Region-Led AI Transformation”", "region-led ai transformation"),
        ("the creation of an AI mobility pilot city", "creation of an AI mobility pilot city"),
        ("An AI voucher", "ai voucher"),
        ("「2025년도 제1회 정부 추경예산안」", "'2025년도 제1회 정부 추경예산안'"),
        ("  인공지능(AI) 사업 ", "인공지능 AI 사업"),
        ("ＡＩ 바우처", "AI 바우처"),  # NFKC folds full-width letters
    ],
)
def test_strict_equal_after_normalisation(a, b):
    assert projects_strict(a, b)


def test_normalisation_details():
    assert normalize_project("The the program") == "the program"  # only one article dropped
    assert normalize_project("theatre fund") == "theatre fund"
    assert normalize_project("'…'") == ""
    assert not projects_strict("AI voucher", "AI vouchers")


def test_lenient_containment_and_english_words():
    assert projects_lenient("AI mobility pilot city", "creation of an AI mobility pilot city")
    assert projects_lenient("smart factory budget", "budget for smart factory")
    assert not projects_lenient("smart factories", "port projects")
    assert not projects_lenient("", "port projects")


def test_lenient_korean_by_character_bigrams():
    # no containment either way; bigram overlap F1 = 0.8
    assert projects_lenient("인공지능 전략 사업", "인공지능 전략사업 예산")
    assert projects_lenient("지역 AI 거점", "지역 주도 AI 전환")  # 지역 + ai: F1 = 4/7
    assert not projects_lenient("도시철도 통합무선망", "공공배달앱 예산")
    assert not projects_lenient("청년 월세 지원", "어르신 무료 급식")


# ------------------------------------------------------------------ loading


def write_set(tmp_path: Path, rows, header=HEADER, docs=("a.txt",)) -> Path:
    (tmp_path / "corpus").mkdir()
    for d in docs:
        (tmp_path / "corpus" / d).write_text(
            "인공지능 전략사업 예산 153억원이 포함됐다. 도시철도 사업비 11억원도 반영됐다.\n",
            encoding="utf-8",
        )
    with open(tmp_path / "gold.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return tmp_path


def test_load_gold_reads_rows(tmp_path):
    d = write_set(
        tmp_path,
        [
            ["a.txt", "153억원", "15300000000", "", "KRW", "인공지능 전략사업", ""],
            ["a.txt", "30~50억원", "3000000000", "5000000000", "KRW", "", "APPROX"],
        ],
    )
    rows = load_gold(d)
    assert rows[0] == GoldRow(
        "a.txt", "153억원", Decimal(15300000000), "KRW", "인공지능 전략사업", None, "", 2
    )
    assert rows[1].amount_max == Decimal(5000000000) and rows[1].qualifier == "approx"


def test_load_gold_without_optional_columns(tmp_path):
    d = write_set(
        tmp_path,
        [["a.txt", "153억원", "15300000000", "KRW", ""]],
        header=["doc", "text", "amount", "currency", "project"],
    )
    assert load_gold(d)[0].amount_max is None


@pytest.mark.parametrize(
    "row,message",
    [
        (
            ["a.txt", "1.2억", "1.2억", "", "KRW", "", ""],
            "gold.csv row 2: amount '1.2억' is not a plain number (digits, one point)",
        ),
        (
            ["a.txt", "x", "1,200", "", "KRW", "", ""],
            "gold.csv row 2: amount '1,200' is not a plain number (digits, one point)",
        ),
        (["nope.txt", "x", "12", "", "KRW", "", ""], "gold.csv row 2: doc 'nope.txt' not found"),
        (["a.txt", "x", "12", "", "won", "", ""], "gold.csv row 2: currency 'won'"),
        (["a.txt", "x", "12", "", "KRW", "", "about"], "gold.csv row 2: qualifier 'about'"),
        (["a.txt", "x", "12", "1.5.0", "KRW", "", ""], "gold.csv row 2: amount_max '1.5.0'"),
        (["a.txt", "x", "12", "1.5", "KRW", "", ""], "gold.csv row 2: amount_max 1.5 is below"),
        (["a.txt", "x", "12", "5", "KRW", "", ""], "gold.csv row 2: amount_max 5 is below"),
        (["a.txt", "", "12", "", "KRW", "", ""], "gold.csv row 2: text is empty"),
    ],
)
def test_bad_rows_are_named(tmp_path, row, message):
    d = write_set(tmp_path, [row])
    with pytest.raises(GoldError, match=re.escape(message)):
        load_gold(d)


def test_errors_name_the_right_row_and_all_problems(tmp_path):
    ok = ["a.txt", "153억원", "15300000000", "", "KRW", "", ""]
    d = write_set(
        tmp_path,
        [
            ok,
            ok,
            ["a.txt", "x", "abc", "", "KRW", "", ""],
            ok,
            ["b.txt", "x", "1", "", "usd", "", ""],
        ],
    )
    with pytest.raises(GoldError) as exc:
        load_gold(d)
    msg = str(exc.value)
    assert "gold.csv row 4: amount 'abc' is not a plain number (digits, one point)" in msg
    assert "gold.csv row 6: doc 'b.txt' not found in corpus/" in msg
    assert "gold.csv row 6: currency 'usd'" in msg


def test_missing_column_and_missing_files(tmp_path):
    d = write_set(tmp_path, [["a.txt", "x", "1"]], header=["doc", "text", "amount"])
    with pytest.raises(GoldError, match="missing required column.*currency, project"):
        load_gold(d)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GoldError, match="no corpus/ folder"):
        load_gold(empty)
    (empty / "corpus").mkdir()
    with pytest.raises(GoldError, match="no gold.csv or gold.xlsx"):
        load_gold(empty)


def test_gold_xlsx_is_accepted(tmp_path):
    from openpyxl import Workbook

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("x", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["a.txt", "153억원", 15300000000, None, "KRW", "인공지능 전략사업", None])
    ws.append(["a.txt", "1.2억", "1.2억", None, "KRW", None, None])
    wb.save(tmp_path / "gold.xlsx")
    with pytest.raises(GoldError, match=re.escape("gold.xlsx row 3: amount '1.2억' is not")):
        load_gold(tmp_path)
    ws.delete_rows(3)
    wb.save(tmp_path / "gold.xlsx")
    assert load_gold(tmp_path)[0].amount == Decimal(15300000000)


def test_main_evaluate_bad_set_exits_2(tmp_path, capsys):
    d = write_set(tmp_path, [["a.txt", "1.2억", "1.2억", "", "KRW", "", ""]])
    assert main_evaluate(d, as_json=False, errors=None, jobs=1) == 2
    err = capsys.readouterr().err
    assert "gold.csv row 2: amount '1.2억' is not a plain number (digits, one point)" in err


# ------------------------------------------------------------------- output


def _report(tmp_path: Path) -> EvalReport:
    d = write_set(
        tmp_path,
        [
            ["a.txt", "153억원", "15300000000", "", "KRW", "인공지능 전략사업", ""],
            ["a.txt", "11억원", "1100000000", "", "KRW", "도시철도", ""],
        ],
    )
    g = load_gold(d)
    p = [
        rec(project="공공배달앱", sentence="인공지능 전략사업 예산 153억원이 포함됐다."),
        rec(text="5억원", amount="500000000", start=40, sentence="5억원 문장"),
    ]
    from extract.evaluate import _metrics

    m = match(g, p)
    return EvalReport(d, _metrics(m, g, {"a.txt": "ko"}), m, {"a.txt": "ko"}, g)


def test_to_json_keys_and_table(tmp_path):
    r = _report(tmp_path)
    j = to_json(r)
    assert list(j)[:8] == [
        "mention_f1",
        "mention_precision",
        "mention_recall",
        "project_strict_f1",
        "project_lenient_f1",
        "qualifier_accuracy",
        "span_exact",
        "by_lang",
    ]
    assert j["mention_precision"] == 0.5 and j["by_lang"]["ko"]["mention_recall"] == 0.5
    json.dumps(j)
    table = format_table(r)
    assert "ko" in table and "lenient" in table and "0.500" in table
    # this set's gold has no qualifier: n/a in the table, null in the JSON
    assert j["qualifier_accuracy"] is None and "n/a" in table


def test_write_errors_lists_fp_fn_and_wrong_links(tmp_path):
    r = _report(tmp_path)
    kinds = sorted(row["kind"] for row in error_rows(r))
    assert kinds == ["false_negative", "false_positive", "wrong_link"]
    out = tmp_path / "err" / "errors.csv"
    assert write_errors(r, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    fn = next(x for x in rows if x["kind"] == "false_negative")
    # the sentence of a missed amount is found in the corpus file itself
    assert (fn["gold_text"], fn["sentence"]) == ("11억원", "도시철도 사업비 11억원도 반영됐다.")
    wl = next(x for x in rows if x["kind"] == "wrong_link")
    assert (wl["gold_project"], wl["pred_project"], wl["project_lenient_ok"]) == (
        "인공지능 전략사업",
        "공공배달앱",
        "no",
    )
    assert next(x for x in rows if x["kind"] == "false_positive")["sentence"] == "5억원 문장"


def test_same_value_in_headline_and_body_pairs_by_rank():
    # headline "월 최대 110만원" (max) and body "월 110만원" (no qualifier), same project;
    # only the body prediction has a project: it must still pair with the body row.
    g = [
        gold(text="110만원", amount="1100000", project="영농정착지원금", qualifier="max", row=2),
        gold(text="110만원", amount="1100000", project="영농정착지원금", row=3),
    ]
    p = [
        rec(text="110만원", amount="1100000", qualifier="max", start=5),
        rec(text="110만원", amount="1100000", project="영농정착지원금", start=300),
    ]
    m = match(g, p)
    assert {(x.gold.row, x.pred.start) for x in m.pairs} == {(2, 5), (3, 300)}
    assert score(g, p, LANGS)["qualifier_accuracy"] == 1.0


def test_write_errors_keeps_article_formulas_as_text(tmp_path):
    # an article line that a spreadsheet would evaluate must open as text in errors.csv
    d = write_set(tmp_path, [["a.txt", "153억원", "15300000000", "", "KRW", "=1+1", ""]])
    g = load_gold(d)
    p = [rec(project="@SUM(A1)", sentence='=HYPERLINK("http://evil.example","153억원")')]
    from extract.evaluate import _metrics

    m = match(g, p)
    r = EvalReport(d, _metrics(m, g, {"a.txt": "ko"}), m, {"a.txt": "ko"}, g)
    out = tmp_path / "errors.csv"
    assert write_errors(r, out) == 1
    row = next(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert row["sentence"].startswith("'=HYPERLINK(")
    assert row["pred_project"] == "'@SUM(A1)"
    assert row["gold_project"] == "'=1+1"
    assert not list(tmp_path.glob(".errors.csv*"))  # written atomically, no temp left
