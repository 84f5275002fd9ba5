"""Project totals: distinct figures, the latest value of a change, bounds apart."""

from __future__ import annotations

from decimal import Decimal

from helpers import rec

from extract.totals import NO_PROJECT, project_totals, superseded


def _total(text: str, specs: list[tuple], lang: str = "ko") -> dict:
    records = [
        rec("a.txt", text, t, a, project=p, lang=lang, **kw) for t, a, p, *more in specs
        for kw in [more[0] if more else {}]
    ]  # fmt: skip
    records.sort(key=lambda r: r.start)
    (row,) = [t.row() for t in project_totals([(records, text)]) if t.project == "사업"]
    return row


def test_a_change_counts_its_latest_value_only() -> None:
    text = "사업 예산은 25억원에서 153억원으로 늘었다."
    row = _total(text, [("25억원", 2500000000, "사업"), ("153억원", 15300000000, "사업")])
    assert row["distinct_total"] == Decimal(15300000000)
    assert row["figures"] == 1 and row["mentions"] == 2
    assert row["distinct_total_display"] == "153억 원"


def test_the_old_value_is_left_out_where_it_is_repeated() -> None:
    text = "사업 예산이 25억원에서 153억원으로 늘었다. 정부는 25억원만 반영했었다."
    row = _total(
        text,
        [
            ("25억원", 2500000000, "사업"),
            ("153억원", 15300000000, "사업"),
            ("25억원만", 2500000000, "사업"),
        ],
    )
    assert row["distinct_total"] == Decimal(15300000000)


def test_new_value_first_then_the_old_one() -> None:
    text = "사업 분야는 3천억원으로, 올해 1천960억원보다 68% 증가했다."
    row = _total(text, [("3천억원", 300000000000, "사업"), ("1천960억원", 196000000000, "사업")])
    assert row["distinct_total"] == Decimal(300000000000)


def test_english_from_to() -> None:
    text = "The 사업 budget rose from 2.5 billion won to 15.3 billion won."
    records = [
        rec("a.txt", text, "2.5 billion won", 2500000000, project="사업", lang="en"),
        rec("a.txt", text, "15.3 billion won", 15300000000, project="사업", lang="en"),
    ]
    assert superseded(records, text) == {0}


def test_a_repeated_headline_counts_once_and_bounds_stay_apart() -> None:
    text = "사업 153억원 확보. 사업에 153억원을 투입하며 최대 50억원을 지원하고 30~40억원을 더한다."
    row = _total(
        text,
        [
            ("153억원", 15300000000, "사업"),
            ("153억원을", 15300000000, "사업"),
            ("50억원", 5000000000, "사업", {"qualifier": "max"}),
            ("30~40억원", 3000000000, "사업", {"amount_max": Decimal(4000000000)}),
        ],
    )
    assert row["distinct_total"] == Decimal(15300000000)
    assert row["largest"] == Decimal(15300000000)
    assert row["bounds"] == "max 50억 원; 30억 원 – 40억 원"
    assert row["mentions"] == 4


def test_distinct_figures_add_up_exactly_and_vague_ones_do_not() -> None:
    text = "사업 1경2345조원과 사업 1원, 사업 수백억원."
    row = _total(
        text,
        [
            ("1경2345조원", 12345000000000000, "사업"),
            ("1원", 1, "사업"),
            ("수백억원", None, "사업", {"vague": True}),
        ],
    )
    assert row["distinct_total"] == Decimal(12345000000000001)
    assert row["figures"] == 2 and row["mentions"] == 3


def test_unlinked_amounts_come_last() -> None:
    text = "사업 5억원, 그리고 7억원."
    records = [
        rec("a.txt", text, "5억원", 500000000, project="사업"),
        rec("a.txt", text, "7억원", 700000000),
    ]
    totals = project_totals([(records, text)])
    assert [t.project for t in totals] == ["사업", NO_PROJECT]


def test_a_cut_written_with_a_minus_sign_is_never_added() -> None:
    # `△12` in a budget table is a decrease of 12: the record keeps the magnitude
    # as its amount and the sign in its text; a total must not add it as +12.
    text = "(단위: 억원)\n| 사업 | △12 | 300 |"
    row = _total(text, [("△12", 1200000000, "사업"), ("300", 30000000000, "사업")])
    assert row["distinct_total"] == Decimal(30000000000)
    assert row["mentions"] == 2 and row["figures"] == 1
