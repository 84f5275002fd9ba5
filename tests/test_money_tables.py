"""Unit-header tables, page furniture and exchange-rate guards, and how the pipeline uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.models import Document, MoneyMention
from extract.money import find_money, tables
from extract.money.furniture import furniture_ranges
from extract.money.guards import apply_guards
from extract.money.tables import find_table_money, parse_unit, unit_header_spans


@pytest.mark.parametrize(
    "unit,want",
    [
        ("억원", (Decimal(10**8), "KRW")),
        ("억 원", (Decimal(10**8), "KRW")),
        ("백만원", (Decimal(10**6), "KRW")),
        ("천원", (Decimal(1000), "KRW")),
        ("원", (Decimal(1), "KRW")),
        ("백만 달러", (Decimal(10**6), "USD")),
        ("억원, %", (Decimal(10**8), "KRW")),
        ("billion won", (Decimal(10**9), "KRW")),
        ("KRW 100 million", (Decimal(10**8), "KRW")),
        ("million dollars", (Decimal(10**6), "USD")),
        ("millions of dollars", (Decimal(10**6), "USD")),
        ("KRW billion", (Decimal(10**9), "KRW")),
        ("$ million", (Decimal(10**6), "USD")),
        ("US$ thousand", (Decimal(1000), "USD")),
        ("%", None),
        ("건, 명", None),
        ("percent", None),
    ],
)
def test_parse_unit(unit, want):
    assert parse_unit(unit) == want


def test_table_offsets_point_at_the_cells():
    text = "예산 현황\n(단위: 억원)\n구분\t2025\t2026\n합계\t29,120\t32,000\n"
    found = find_table_money(text)
    assert [text[m.start : m.end] for m in found] == ["29,120", "32,000"]
    assert [m.amount for m in found] == [Decimal("2912000000000"), Decimal("3200000000000")]
    assert unit_header_spans(text) == [(6, 14)]


def test_two_tables_with_different_units():
    text = "(단위: 억원)\n국비  300\n\n(단위: 백만 달러)\n수출  1,200\n"
    got = [(m.text, m.amount, m.currency) for m in find_table_money(text)]
    assert got == [
        ("300", Decimal("30000000000"), "KRW"),
        ("1,200", Decimal("1200000000"), "USD"),
    ]


def test_collapsed_whitespace_rows():
    text = "(단위: 억원)\n도로 12,400 13,100 700\n철도 8,020 8,900 880"
    assert [m.text for m in find_table_money(text)] == [
        "12,400", "13,100", "700", "8,020", "8,900", "880",
    ]  # fmt: skip


def test_no_header_reads_no_table(monkeypatch):
    # Without a unit header no row is parsed at all (work counted, not timed: speed
    # is measured by `make bench`, never by a unit test).
    text = "정부는 내년 예산을 3조원 늘린다. 구분  2025  2026\n" * 20000  # ~0.8 MB
    calls = []
    monkeypatch.setattr(tables, "_read_table", lambda *a, **k: calls.append(a) or [])
    assert find_table_money(text) == []
    assert calls == []


def test_guards_keep_order_mark_rates_and_drop_their_base():
    text = "1 USD = 1,333 KRW, and the grant is $5 million."
    kept = [(m.text, m.exchange_rate) for m in find_money(text, "en")]
    assert kept == [("1,333 KRW", True), ("$5 million", False)]
    assert apply_guards("x", []) == []


def test_furniture_keeps_a_body_bullet_list_followed_by_prose():
    text = "지원 내용\n▶ 청년 월세 지원 20만원\n이어 정부는 추가 대책을 내놨다.\n"
    assert furniture_ranges(text) == []


@pytest.fixture(scope="module")
def processed():
    from extract.pipeline import process_document

    text = (
        "정부는 내년 SOC 예산으로 32조원을 편성했다고 밝혔다.\n"
        "\n"
        "(단위: 억원)\n"
        "구 분      2025년    2026년    증 감\n"
        "합 계      29,120    32,000    2,880\n"
        "증감률(%)    -        9.9        -\n"
        "\n"
        "원·달러 환율은 1,391.5원에 마감했다.\n"
        "\n"
        "관련기사\n"
        "▶ 반도체 지원 1조원 확대…업계 환영\n"
    )
    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    return text, process_document(doc)[1]


def test_pipeline_reads_tables_marks_rates_and_skips_furniture(processed):
    text, records = processed
    got = [(r.text, r.amount, r.project, r.link_rule == "exchange_rate") for r in records]
    assert got[:4] == [
        ("32조원", Decimal("32000000000000"), got[0][2], False),
        ("29,120", Decimal("2912000000000"), got[1][2], False),
        ("32,000", Decimal("3200000000000"), got[2][2], False),
        ("2,880", Decimal("288000000000"), got[3][2], False),
    ]
    assert got[4:] == [("1,391.5원", Decimal("1391.5"), "", True)]
    for r in records:
        assert text[r.start : r.end] == r.text
        assert r.text in r.sentence


def test_table_mentions_yield_to_sentence_mentions():
    from extract.models import Sentence
    from extract.pipeline import _table_mentions

    text = "(단위: 억원)\n국비  300  350\n"
    at = text.index("300")
    found = [(0, MoneyMention(at, at + 3, "300", Decimal(300), "KRW"))]
    sentences = [Sentence(0, 9, text[:9], "ko"), Sentence(9, len(text), text[9:], "ko")]
    got = _table_mentions(text, sentences, found, [])
    assert [(i, m.text) for i, m in got] == [(1, "350")]
    assert _table_mentions(text, sentences, [], [(0, len(text))]) == []


def test_a_total_row_never_takes_the_project_of_one_of_its_rows():
    from extract.pipeline import process_document

    text = (
        "국토부 2026년 도로 건설 예산 확정\n\n국토부는 내년 도로 건설에 5조원을 쓴다.\n\n"
        "(단위: 억원)\n사업명\t2025\t2026\t증감\n도로 건설\t50,000\t52,500\t2,500\n"
        "철도 건설\t12,000\t12,600\t600\n합  계\t62,000\t65,100\t3,100\n"
    )
    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    got = {r.text: (r.project, r.link_rule) for r in process_document(doc)[1]}
    assert got["52,500"] == ("도로 건설", "ko.table_row")
    assert got["65,100"] == ("", "table_total")
    assert got["3,100"] == ("", "table_total")


@pytest.mark.parametrize(
    "rows, total",
    [
        ("사업명\t예산\n도로 포장\t485억원\n공원 정비\t800억원\n합계\t1,285억원\n", "1,285억원"),
        ("도로 포장 485억원\n공원 정비 800억원\n합계 1,285억원\n", "1,285억원"),
        (
            "Project\tCost\nRoad resurfacing\t$45 million\nPark renovation\t$83 million\n"
            "Total\t$128 million\n",
            "$128 million",
        ),
        (
            "Road resurfacing: $45 million\nPark renovation: $83 million\nTotal: $128 million\n",
            "$128 million",
        ),
    ],
)
def test_a_total_row_of_unit_cells_takes_neither_a_row_nor_its_label(rows, total):
    # rows whose cells carry their unit are read by the money grammar, not as a table
    # under a unit header: the total must still not become a part (or `Total`)
    from extract.pipeline import process_document

    text = "City budget for roads and parks\n\nThe city approved its budget.\n\n" + rows
    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    got = {r.text: (r.project, r.link_rule) for r in process_document(doc)[1]}
    rows_named = {"도로 포장", "공원 정비", "합계", "road resurfacing", "park renovation", "total"}
    assert got[total][0].casefold() not in rows_named  # empty, or the article's whole budget
    assert all(p.casefold() in rows_named for t, (p, _rule) in got.items() if t != total)


@pytest.mark.parametrize(
    "table, totals",
    [
        (  # the item in the second cell: a subtotal takes none of the rows' items
            "| 분야 | 사업 | 금액 |\n|---|---|---|\n| 교통 | 도시철도 안전 보강 | 600억원 |\n"
            "| 교통 | 버스 준공영제 지원 | 400억원 |\n| 소계 | | 1,000억원 |\n"
            "| 복지 | 긴급 생계비 지원 | 700억원 |\n| 소계 | | 1,100억원 |\n"
            "| 합계 | | 2,100억원 |\n",
            ["1,000억원", "1,100억원", "2,100억원"],
        ),
        (  # a bracket, a mark or a dash after the total word
            "| Item | Cost |\n|---|---|\n| Road resurfacing | $45 million |\n"
            "| Park renovation | $83 million |\n| Total (A+B) | $128 million |\n"
            "| TOTAL BUDGET | $25 million |\n| Subtotal – parks | $20 million |\n",
            ["$128 million", "$25 million", "$20 million"],
        ),
        (
            "| 사업 | 예산 |\n|---|---|\n| 주택 복구 | 100억원 |\n| 산림 복원 | 50억원 |\n"
            "| 합계* | 150억원 |\n| 소계(시설) | 150억원 |\n| 계 (A) | 150억원 |\n",
            ["150억원"],
        ),
    ],
)
def test_total_rows_in_any_cell_and_with_a_suffix_take_no_row(table, totals):
    from extract.pipeline import process_document

    text = "예산 확정\n\n" + table
    doc = Document(doc="t.md", text=text, sha256="", fmt="md", encoding="utf-8")
    records = process_document(doc)[1]
    for r in records:
        if r.text in totals:
            assert (r.project, r.link_rule) in {("", "table_total"), ("", "none")}, r
        else:
            assert r.link_rule.endswith("table_row"), r


def test_a_total_in_prose_keeps_its_project():
    from extract.pipeline import process_document

    text = "Stadium plan approved\n\nTotal: $128 million for the new stadium roof.\n"
    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    got = {r.text: (r.project, r.link_rule) for r in process_document(doc)[1]}
    assert got["$128 million"][1] != "table_total"


@pytest.mark.parametrize(
    "words",
    [
        ["unit", "in billion", "in billions", "in million", "단위", "$ million", "$million"],
        ["a", "ab", "abc", "b"],
        ["x"],
        [],
        ["(단위", "[x]", "a.b", "a|b"],
    ],
)
def test_literal_trie_matches_the_same_strings(words):
    """A trigger built as a prefix tree has a match in exactly the texts the plain
    alternation has one in (case-insensitively, as the triggers are compiled)."""
    import itertools

    import regex

    from extract.money.patterns import literal_trie

    plain = regex.compile(
        "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)",
        regex.IGNORECASE,
    )
    tree = regex.compile(literal_trie(words), regex.IGNORECASE)
    pieces = sorted({w[:i] for w in words for i in range(len(w) + 1)} | {"A", " ", "UNIT"})
    for a, b in itertools.product(pieces, repeat=2):
        text = "x" + a + b
        assert bool(tree.search(text)) == bool(plain.search(text)), text
        assert bool(tree.fullmatch(a + b)) == bool(plain.fullmatch(a + b)), a + b


def test_a_bare_unit_line_is_no_amount() -> None:
    """`(KRW 100 million)`, `(백만원)` alone on a line (rules/*/tables.toml bare_headers) are
    units, never amounts (until 2026-11-30 read as 100 million won and 1,000,000 won);
    `(5억원)` alone is an amount, and a caption without a table under it keeps its unit
    as an amount (the grammar cannot tell)."""
    from extract.money import find_money

    for text, lang, unit in [
        ("Port budget\n(KRW 100 million)\n| Project | 2026 |\n| Jinhae | 7,100 |\n", "en", "KRW"),
        ("(KRW 100 million)\n", "en", "KRW"),
        ("항만 예산\n(백만원)\n| 사업 | 2026 |\n| 진해 | 7,100 |\n", "ko", "원"),
        ("(억원)\n", "ko", "원"),
    ]:
        assert not [m.text for m in find_money(text, lang) if unit in m.text], text
    assert [m.amount for m in find_money("총사업비\n(5억원)\n", "ko")] == [500000000]


def _records(text: str) -> list[tuple[str, Decimal | None, str, bool]]:
    from extract.pipeline import process_document

    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    return [(r.text, r.amount, r.rule, r.vague) for r in process_document(doc)[1]]


def test_signed_cells_under_a_scale_only_header_are_scaled() -> None:
    # `$1,234` under `(in millions)` is 1,234 million dollars (was 1,234 dollars: wrong)
    text = (
        "Results\n\n(in millions)       2026      2025\n"
        "Revenue           $1,234    $1,100\nNet income          $210      $190\n\n"
        "The company paid $5 for each badge.\n"
    )
    got = _records(text)
    assert [(t, a) for t, a, _, _ in got] == [
        ("$1,234", Decimal("1234000000")),
        ("$1,100", Decimal("1100000000")),
        ("$210", Decimal("210000000")),
        ("$190", Decimal("190000000")),
        ("$5", Decimal("5")),  # after the table's end: as written
    ]
    assert {r for _, _, r, _ in got[:4]} == {"en.table.scaled"}


def test_a_per_share_row_is_as_written_when_excepted_else_refused() -> None:
    excepted = (
        "Results\n\n(in millions, except per share data)   2026   2025\n"
        "Revenue           $1,234    $1,100\nDiluted EPS        $2.15     $1.98\n"
    )
    got = {t: (a, v) for t, a, _, v in _records(excepted)}
    assert got["$1,234"] == (Decimal("1234000000"), False)
    assert got["$2.15"] == (Decimal("2.15"), False)
    plain = "Results\n\n(in millions)   2026\nRevenue   $1,234\nDiluted EPS   $2.15\n"
    got = {t: (a, v) for t, a, _, v in _records(plain)}
    assert got["$1,234"] == (Decimal("1234000000"), False)
    assert got["$2.15"] == (None, True)  # which scale? refused, never $2.15 million or $2.15


def test_a_signed_cell_in_cents_under_thousands_or_millions_is_refused() -> None:
    # `Net sales  $38.50` under `(in millions)`: a figure to the cent is a price or a
    # per-unit figure (until 2026-12-01 scaled to $38.5 million with no flag); a billions
    # table writes `$1.25` (billion) as a matter of course, and `$12.5` is a decimal.
    text = (
        "Results\n\n(in millions)        2026       2025\n"
        "Net sales            $38.50     $36.05\nOperating income     $1,250     $1,100\n"
        "Other                $12.5      $11.0\n\n"
        "Statement\n\n(in thousands)\nFee per visit    $1,234.50\nGrants    $2,400\n\n"
        "Group\n\n(in billions)\nRevenue   $1.25\nNet income   $0.40\n"
    )
    got = {t: (a, v) for t, a, _, v in _records(text)}
    assert got["$38.50"] == (None, True)
    assert got["$36.05"] == (None, True)
    assert got["$1,250"] == (Decimal("1250000000"), False)
    assert got["$12.5"] == (Decimal("12500000"), False)
    assert got["$11.0"] == (Decimal("11000000"), False)
    assert got["$1,234.50"] == (None, True)
    assert got["$2,400"] == (Decimal("2400000"), False)
    assert got["$1.25"] == (Decimal("1250000000"), False)
    assert got["$0.40"] == (Decimal("400000000"), False)


def test_signed_cells_under_a_unit_header_take_its_scale() -> None:
    text = "Budget\n\nBudget summary ($ in thousands)\nParks   $1,250\nLibraries   300\n"
    got = {t: a for t, a, _, _ in _records(text)}
    assert got == {"$1,250": Decimal("1250000"), "300": Decimal("300000")}


def test_a_scale_in_prose_scales_nothing() -> None:
    text = "Results\n\nThe company said revenue (in millions) was $1,234. It paid $5 for lunch.\n"
    assert [(t, a) for t, a, _, _ in _records(text)] == [
        ("$1,234", Decimal("1234")),
        ("$5", Decimal("5")),
    ]


@pytest.mark.parametrize(
    "table,money",
    [
        (
            "(단위: 억원)\n| 사업 | 예산 | 참여인원 |\n"
            "| 청년일자리 | 120 | 350 |\n| 노인돌봄 | 85 | 1,200 |\n",
            ["120", "85"],
        ),
        ("(단위: 억원)\n| 사업 | 예산 | 인원(명) |\n| 청년일자리 | 120 | 350 |\n", ["120"]),
        ("(단위: 억원)\n| 사업 | 개소수 | 예산 |\n| 어린이집 확충 | 35 | 120 |\n", ["120"]),
        ("(단위: 억원)\n| 사업 | 지원건수 | 지원액 |\n| 창업 | 250 | 40 |\n", ["40"]),
        (
            "(단위: 억원)\n| 사업 | 착공연도 | 사업기간 | 예산 |\n| 도서관 | 2027 | 3 | 40 |\n",
            ["40"],
        ),
        (
            "($ in millions)\n| Program | Households served | Funding |\n"
            "| Heating Aid | 12,000 | 40 |\n",
            ["40"],
        ),
        ("($ in millions)\n| Project | Year | Cost |\n| Library | 2027 | 40 |\n", ["40"]),
        (
            "($ in thousands)\n| Program | Positions | FTE | Budget |\n"
            "| Parks | 45 | 40 | 1,250 |\n",
            ["1,250"],
        ),
        (
            "($ in millions)\n| Program | Number of grants | Grants |\n| Arts | 12 | 3.5 |\n",
            ["3.5"],
        ),
        # a digit in the title names a money column's period, never a count
        ("(단위: 억원)\n| 구분 | 2025년도 | 2026년도 |\n| 도로 | 120 | 130 |\n", ["120", "130"]),
        ("(단위: 억원)\n| 구분 | 전년도 | 금년도 |\n| 도로 | 120 | 130 |\n", ["120", "130"]),
        ("($ in millions)\n| Program | Year 1 | Year 2 |\n| Roads | 12 | 13 |\n", ["12", "13"]),
    ],
)
def test_count_year_and_period_columns_are_not_money_under_any_unit_header(table, money):
    """tester17 #1: a count/year column under a money-only unit header took the money
    scale (350 participants -> 350억원, 12,000 households -> $12 billion)."""
    assert [m.text for m in find_table_money(table)] == money


@pytest.mark.parametrize(
    "unit,cell,amount,rule",
    [
        ("억원", "1조 2,000", Decimal("1200000000000"), "ko.table"),
        ("억원", "1조2,000", Decimal("1200000000000"), "ko.table"),
        ("만원", "3억 2,000", Decimal("320000000"), "ko.table"),
        # the header's unit is not the big unit's next one down: which is it? refused
        ("백만원", "1조 2,000", None, "table.refused.compound"),
        ("억원", "3억 2,000", None, "table.refused.compound"),
        # a small group of 10,000 or more, or with decimals, is no 4-digit group
        ("억원", "1조 12,000", None, "table.refused.compound"),
        ("억원", "1조 2.5", None, "table.refused.compound"),
    ],
)
def test_a_compound_cell_is_read_whole_or_refused(unit, cell, amount, rule):
    """tester17 #2: `1조 2,000` under `(단위: 억원)` was the bare `1조` alone."""
    import extract

    df = extract.extract_text(f"(단위: {unit})\n| 사업 | 예산 |\n| 청년일자리 사업 | {cell} |\n")
    assert df[["text", "amount", "rule"]].to_dict("records") == [
        {"text": cell, "amount": amount, "rule": rule}
    ]


@pytest.mark.parametrize(
    "table,want",
    [
        (
            "| 사업 | 2026년 예산(백만원) |\n| 도시재생 | 12,500 |\n",
            [("12,500", Decimal("12500000000"))],
        ),
        (
            "| 사업 | 예산(억원) | 참여인원 |\n| 도시재생 | 125 | 300 |\n",
            [("125", Decimal("12500000000"))],
        ),
        # a Korean title row without cell borders starts no table; its unit is no amount
        ("사업비(억원) 내역은 다음과 같다\n도시재생 125\n", []),
    ],
)
def test_a_unit_in_a_column_title_is_the_columns_unit(table, want):
    """tester17 #3: `2026년 예산(백만원)` was a record of 1,000,000 won, the cell missed."""
    import extract

    df = extract.extract_text(table)
    assert [(r["text"], r["amount"]) for r in df.to_dict("records")] == want


@pytest.mark.parametrize(
    "after",
    [
        "\nStaff  14\nVehicles  22\n",  # a blank line ends the table
        "\nThe council employs\nStaff  14\nVehicles  22\n",
        "The council employs\nStaff  14\nVehicles  22\n",  # a label line ends it
    ],
)
def test_a_signed_tables_unit_ends_with_the_table(after: str) -> None:
    text = "Budget\n\nCapital programme ($ in thousands)\nRoads  $1,250\nParks  $830\n" + after
    got = {t: a for t, a, _, _ in _records(text)}
    assert got == {"$1,250": Decimal("1250000"), "$830": Decimal("830000")}


@pytest.mark.parametrize(
    "header",
    ["(in millions)", "(in millions, except per share data)", "($ in thousands)"],
)
def test_a_per_unit_row_named_by_its_words_is_never_scaled(header: str) -> None:
    text = (
        f"Results\n\nResults {header}\nRevenue  $1,234\nRevenue per user  $38.50\n"
        "Average selling price  $412\nAverage hourly wage  $28.40\nWages  $400\n"
    )
    got = {t: (a, v) for t, a, _, v in _records(text)}
    scale = Decimal(1000) if "thousands" in header else Decimal(10**6)
    assert got["$1,234"] == (1234 * scale, False)
    assert got["$400"] == (400 * scale, False)  # a total of wages is scaled
    for cell in ("$38.50", "$412", "$28.40"):
        assert got[cell] == (None, True)  # refused: neither reading is sure


def test_an_unsigned_per_unit_row_under_a_unit_header_is_not_read() -> None:
    text = (
        "Plan\n\nCapital plan ($ in millions)\n  2025  2026\n"
        "Roads  45  50\nAverage price  412  420\n"
    )
    got = {t: a for t, a, _, _ in _records(text)}
    assert got == {"45": Decimal(45 * 10**6), "50": Decimal(50 * 10**6)}


@pytest.mark.parametrize(
    "text,want",
    [
        (
            "Capital plan ($ in millions)\n  2025  2026\nRoads  45  50\nHeadcount  300  320\n",
            {"45": Decimal(45 * 10**6), "50": Decimal(50 * 10**6)},
        ),
        (
            "Capital budget (£000s)\nHighways 1,250\nLibraries 830\nStaff 42\nStaff (FTE) 40\n",
            {"1,250": Decimal(1250000), "830": Decimal(830000)},
        ),
        (  # the head word decides: `Staff costs` is money, `Number of grants` counts
            "Capital budget (£000s)\nHighways 1,250\nStaff costs 830\nNumber of grants 42\n",
            {"1,250": Decimal(1250000), "830": Decimal(830000)},
        ),
        (  # every coordinated part must count: `Operations and staff` is money
            "Budget (£000s)\nOperations and staff  15\nStaff and volunteers  40\n",
            {"15": Decimal(15000)},
        ),
        (
            "Programme ($ in millions)\n\n  2024  2025\nGrants  45  50\n"
            "Jobs created  1,200  1,400\n",
            {"45": Decimal(45 * 10**6), "50": Decimal(50 * 10**6)},
        ),
    ],
)
def test_a_count_row_in_a_money_table_is_not_money(text: str, want: dict) -> None:
    got = {t: a for t, a, _, _ in _records("Budget\n\n" + text)}
    assert got == want


# ---------------------------------------------------------------- tester20's table kinds


@pytest.mark.parametrize(
    "text",
    [
        # a regulatory impact table: the `단위` column's cell names the unit of the others
        "| 분석기준년도 | 규제시행년도 | 분석대상기간(년) | 할인율(%) | 단위 |\n"
        "| 2023 | 2024 | 10 | 4.5 | 백만원, 현재가치 |\n",
        "| 구분 | 단위 |\n| 수출 | 억달러 |\n",
        "\t구분\t단위\t\n\t비용\t천원\t\n",
        "단위: 백만원\n",
        "단위 억원\n",
    ],
)
def test_a_unit_word_without_a_number_is_never_an_amount(text: str) -> None:
    assert _records("분석 결과\n\n" + text) == []


def test_a_unit_word_in_prose_or_beside_a_number_is_kept() -> None:
    got = {
        t for t, _, _, _ in _records("정부는 백만원을 지원한다.\n\n| 청년 | 1인당 백만원 지원 |\n")
    }
    assert got == {"백만원"}


@pytest.mark.parametrize(
    "text",
    [
        "<그림 2> 재정융자사업 추이 (단위: 백만원, %)\n80,000\n70,000\n60,000\n50,000\n"
        "자료: 기재부\n",
        "[그림 1] 연도별 예산 (단위: 억원)\n2021  1,200\n2022  1,350\n",
        "Figure 3. Spending by year (in millions of dollars)\nRoads  45\nParks  12\n",
        "Chart 2: Grants ($ thousands)\nYouth  1,250\nSeniors  830\n",
        # no caption, but equally spaced round numbers one per line are an axis
        "(단위: 억원)\n400\n300\n200\n100\n0\n",
        "(in millions of dollars)\n\n10\n20\n30\n40\n",
    ],
)
def test_a_figure_caption_or_an_axis_makes_no_money(text: str) -> None:
    assert _records("재정 동향\n\n" + text) == []


def test_one_number_rows_that_are_no_axis_are_still_read() -> None:
    got = [t for t, _, _, _ in _records("예산\n\n(단위: 억원)\n1,200\n1,350\n900\n")]
    assert got == ["1,200", "1,350", "900"]


def test_a_rate_column_under_a_garbled_pdf_title_row_is_no_money() -> None:
    text = (
        "결산\n\n(단위: 백만원, %)\n\n"
        "| 연도 | 예산액 본예산 | 예산액 추경(A | ) 집행액 (C) 추경(A | 집행률 (C/A) 추경(A "
        "| 집행률 (C/B) 추경(A | 불용액 추경(A |\n"
        "| 2020 | 167,517 | - 167,517 | 157,265 | 93.9 | 93.9 | - 10,252 |\n"
        "| 2021 | 113,909 | 135,705 | 143,605 | 105.8 | 100.0 | - |\n"
    )
    got = _records(text)
    assert [t for t, _, _, _ in got] == [
        "167,517", "167,517", "157,265", "10,252", "113,909", "135,705", "143,605",
    ]  # fmt: skip
    # `- 167,517`: an empty `-` cell ran into the figure; it is no cut
    assert all(a is not None and a > 0 for _, a, _, _ in got)


def test_a_one_decimal_cell_beside_grouped_money_under_a_rate_header_is_skipped() -> None:
    text = (
        "결산\n\n(단위: 백만원, %)\n\n| 연도 | 예산액 | 추경 | 비고 |\n"
        "| 2020 | 167,517 | 1,200 | 93.9 |\n"
    )
    assert [t for t, _, _, _ in _records(text)] == ["167,517", "1,200"]
    # without a rate in the unit header a decimal cell is money (12.5억원)
    text = "결산\n\n(단위: 억원)\n\n| 사업 | 예산 | 추경 |\n| 도로 | 1,200 | 12.5 |\n"
    assert [t for t, _, _, _ in _records(text)] == ["1,200", "12.5"]


def test_a_spaced_dash_where_the_table_also_writes_tight_minus_signs_is_refused() -> None:
    text = (
        "결산\n\n(단위: 백만원)\n\n| 사업 | 예산 | 증감 |\n| 도로 | 1,200 | -300 |\n"
        "| 항만 | - 500 | - |\n"
    )
    got = {t: (a, r) for t, a, r, _ in _records(text)}
    assert got["- 500"] == (None, "table.refused.dash")
    assert got["-300"][0] == Decimal(300 * 10**6)


@pytest.mark.parametrize(
    "text,want",
    [
        (  # a title whose last word says what was done so many times counts
            "Table 2: Grants by program ($ thousands)\n\n| Program | Grants awarded | Amount |\n"
            "|---|---|---|\n| Senior Meals | 12 | 830 |\n",
            ["830"],
        ),
        (  # a unit quoted inside a cell describes another table: it is no unit of this one
            "Files\n\n| file | what it is | tables |\n|---|---|---|\n"
            "| a.hwp | 예산 `(단위: 백만원)` | 4 |\n| b.hwp | 수출 (단위: 억달러, %) | 23 |\n"
            "| c.hwp | 통계 | 2 |\n",
            [],
        ),
    ],
)
def test_a_count_column_and_a_quoted_unit_make_no_money(text: str, want: list) -> None:
    assert [t for t, _, _, _ in _records(text)] == want


def _projects(text: str) -> list[tuple[str, str]]:
    from extract.pipeline import process_document

    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    return [(r.text, r.project) for r in process_document(doc)[1]]


_BUDGET_TABLE = """2026년 행정안전부 예산안

행정안전부는 교부세를 늘렸다. 교부세는 지방의 재원이다. 교부세 규모는 69조원이다.

(단위 : 백만원, %)

| 구 분 |  | 2025 본예산 (A) | 2026년 본예산 (B) | 증 감 (B-A) | 증감률 |
| 계 |  | 72,083,936 | 76,905,548 | 4,821,612 | 6.69 |
|  | AI 민주정부 | 821,250 | 1,266,066 | 444,816 | 54.16 |
|  | 지역균형성장 | 1,430,043 | 2,611,120 | 1,181,077 | 82.59 |
|  | 국민안전 | 1,668,079 | 2,535,129 | 867,050 | 51.98 |
|  | 교부세 | 67,038,505 | 69,354,953 | 2,316,448 | 3.46 |
|  | 기본경비 | 39,671 | 39,778 | 107 | 0.27 |
|  | 인건비 | 369,519 | 391,217 | 21,698 | 5.87 |
"""


def test_a_table_rows_cells_share_its_label() -> None:
    # tester20 B2: the 2026 column went to the article's item while 2025 kept the label
    got = dict(_projects(_BUDGET_TABLE))
    for label, cells in [
        ("지역균형성장", ["1,430,043", "2,611,120", "1,181,077"]),
        ("국민안전", ["1,668,079", "2,535,129", "867,050"]),
        ("기본경비", ["39,671", "39,778", "107"]),
        ("인건비", ["369,519", "391,217", "21,698"]),
    ]:
        assert [got[c] for c in cells] == [label] * 3


def test_a_sub_rows_label_before_its_definition_and_a_row_with_no_label() -> None:
    text = (
        "통합재정수지 동향\n\n2010년 1월 통합재정수지는 2.3조원 흑자를 기록했다.\n\n"
        "(단위 : 십억원)\n\n"
        "| 구 분 |  | 일반 회계 | 특별 회계 | 합 계 |\n"
        "| 지출 및 순융자 (B) |  | 15,271 | 2,528 | 22,694 |\n"
        "|  | 경상지출 경상지출 : 인건비, 임차료, 이자지급, 보조금 및 지방정부 등에 대한 경상이전 "
        "| 14,707 | 971 | 19,774 |\n"
        "|  | 순융자 순 융 자 : 융자지출 - 융자회수 | 150 | 450 | 1,290 |\n\n"
        "(단위 : 십억원)\n\n| 구 분 |  | 일반 회계 | 특별 회계 | 합 계 |\n"
        "| 지출 및 순융자 (B) 경상지출3) 자본지출4) |  | 31,855 | 7,296 | 49,312 |\n"
        "|  |  | 1,544 | 4,279 | 6,135 |\n"
    )
    got = dict(_projects(text))
    assert [got[c] for c in ("14,707", "971", "19,774")] == ["경상지출"] * 3
    assert [got[c] for c in ("150", "450", "1,290")] == ["순융자"] * 3
    # the PDF put the sub-rows' labels into the parent's cell: the row's item is
    # unknown, and neither the article's item nor a name in view is a guess for it
    assert [got[c] for c in ("1,544", "4,279", "6,135")] == ["", "", ""]


def test_a_tables_title_row_names_no_project() -> None:
    text = (
        "에너지바우처 결산\n\n(단위: 백만원, %)\n\n"
        "| 연도 | 예산액 본예산 | 예산액 추경 증감액 | 집행액 (C) | 집행률 (C/A) |\n"
        "| 2020 | 167,517 | 1,000 | 157,265 | 93.9 |\n"
        "| 2021 | 113,909 | 21,796 | 143,605 | 105.8 |\n"
    )
    got = _projects(text)
    assert [t for t, _ in got] == ["167,517", "1,000", "157,265", "113,909", "21,796", "143,605"]
    assert all(p != "예산액 본예산" for _, p in got)


def test_a_count_word_that_only_modifies_a_title_marks_no_count_column() -> None:
    # `기 업 특별회계` (enterprise special accounts) beside `세입 세출외` is money
    text = (
        "재정통계\n\n(단위 : 십억원)\n\n"
        "| 구 분 | 일반 회계 | 세입 세출외 | 기 업 특별회계 | 합 계 |\n"
        "| 지출 | 15,271 | 0 | 660 | 22,694 |\n"
    )
    assert [t for t, _, _, _ in _records(text)] == ["15,271", "660", "22,694"]


# ---------------------------------------------------------------- a caption's unit (money12)


def _records_of(text: str) -> list[tuple[str, Decimal | None, bool, str]]:
    from extract.pipeline import process_document

    _, records = process_document(Document("t", text, "", "txt", "utf-8"))
    return [(r.text, r.amount, r.vague, r.rule) for r in records]


@pytest.mark.parametrize(
    "text",
    [
        "Budget (USD 100 million)\nThe ministry said the program would expand next year.\n",
        "Table 2. Budget (USD 100 million)\nThe ministry said the program would grow.\n",
    ],
)
def test_a_caption_unit_with_prose_under_it_is_flagged_never_an_amount(text):
    # a table's unit whose table the layout lost, or the caption's figure? Unsure
    assert _records_of(text) == [("USD 100 million", None, True, "en.refused.caption_unit")]


def test_a_caption_unit_above_its_table_is_the_unit_only():
    text = "Budget (USD 100 million)\n| Project | 2026 |\n|---|---|\n| Port | 12 |\n"
    assert [(t, a) for t, a, _, _ in _records_of(text)] == [("12", Decimal(1200000000))]


def test_an_amount_in_brackets_in_prose_stays_an_amount():
    text = "It costs $75,000 (KRW 100 million).\nIt will get USD 100 million in new funds.\n"
    assert [(t, a) for t, a, _, _ in _records_of(text)] == [
        ("$75,000", Decimal(75000)),
        ("KRW 100 million", Decimal(100000000)),
        ("USD 100 million", Decimal(100000000)),
    ]


def test_a_rate_column_under_a_garbled_title_is_skipped_in_every_row():
    # tester22 A10f: `100.0` beside `800 | 800` was read as 100,000,000 won
    text = (
        "(단위: 백만원, %)\n| 사업 | 예산 | 집행액 | 집행 (C/A) 추경(A |\n|---|---|---|---|\n"
        "| A사업 | 1,200 | 1,127 | 93.9 |\n| B사업 | 800 | 800 | 100.0 |\n"
    )
    assert [m.text for m in find_table_money(text)] == ["1,200", "1,127", "800", "800"]
