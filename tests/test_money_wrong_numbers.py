"""Wrong numbers a new-user tester found in prose (tester20), each as a kind.

The rules with data have their examples beside them (rules/ko/ordinals.toml,
rules/ko/signs.toml, rules/en/signs.toml, the rand sign in rules/en/currencies.toml,
rules/*/totals.toml); these tests cover the kinds decided in code: a number spaced from a
compound unit (ko_grammar.py, korean.py `_spaced_number`), a currency word on the next
line (extract/money/linebreak.py), a currency word apart from its amount that starts
another word, and equations that are no exchange rate (guards.py `_rate_equation`).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.money import find_money


def _read(text: str, lang: str = "ko") -> list[tuple[str, Decimal | None, str, bool]]:
    return [(m.text, m.amount, m.currency, m.vague) for m in find_money(text, lang)]


def _records(text: str) -> list[tuple[str, Decimal | None, str]]:
    from extract.models import Document
    from extract.pipeline import process_document

    _, records = process_document(Document("t", text, "", "txt", "utf-8"))
    return [(r.text, r.amount, r.currency) for r in records]


# ---------------------------------------------------------------- a number spaced from its unit


@pytest.mark.parametrize(
    "text, span, amount",
    [
        ("사업비는 5 천만원이다.", "5 천만원", "50000000"),
        ("비용은 350 백만원이다.", "350 백만원", "350000000"),
        ("편익은 연 4.5 백만원이다.", "4.5 백만원", "4500000"),
        ("예산은 2 십억원이다.", "2 십억원", "2000000000"),
        ("예산은 30 백억원이다.", "30 백억원", "300000000000"),
        ("상금은 7 십만원이다.", "7 십만원", "700000"),
        ("예산은 2 천 5백만원이다.", "2 천 5백만원", "25000000"),
        ("사업비는 5 천만 원이다.", "5 천만 원", "50000000"),
        ("정부는 2 천억 투입을 결정했다.", "2 천억", "200000000000"),
        # the big units were read apart already
        ("임대료는 월 50 만원, 총 12 억원이다.", "50 만원", "500000"),
    ],
)
def test_digits_spaced_from_a_small_unit_are_its_coefficient(text, span, amount):
    found = _read(text)
    assert (span, Decimal(amount), "KRW", False) == found[0]


@pytest.mark.parametrize(
    "text, span",
    [
        ("2024 백만원 목표를 세웠다.", "2024 백만원"),  # a year before the unit?
        ("금액은 1,2 천만원이다.", "1,2 천만원"),  # digits the grammar cannot take
        # a space as a thousands separator only with groups of three (money12, tester22 A6)
        ("예산 12 34 백만원", "12 34 백만원"),
        ("예산 2024 345 백만원", "2024 345 백만원"),
        # one digit, or a number opening a line: a count or a list's number? (fix12, tester25 1.6)
        ("사업비 3 500억원", "3 500억원"),
        ("교량 보수 사업 5 300억원 투입.", "5 300억원"),
        ("2 200억원 교량 사업", "2 200억원"),
        ("12 345억원 도로 사업", "12 345억원"),
    ],
)
def test_unsure_digits_before_a_unit_are_flagged_never_the_unit_alone(text, span):
    assert _read(text) == [(span, None, "KRW", True)]


@pytest.mark.parametrize(
    "text, span, amount",
    [
        ("2026년 예산 12 345 백만원", "12 345 백만원", "12345000000"),
        ("총사업비 1 234 567 천원을 투입한다.", "1 234 567 천원", "1234567000"),
        ("올해 청년 사업 12 345 백만원", "12 345 백만원", "12345000000"),
    ],
)
def test_a_space_between_groups_of_three_digits_is_a_thousands_separator(text, span, amount):
    assert _read(text) == [(span, Decimal(amount), "KRW", False)]


def test_a_one_digit_group_is_read_where_the_text_writes_sure_space_groups():
    # fix12, tester25 1.6: `2 100 백만원` alone is flagged; beside `12 345 백만원`, grouped
    assert _read("청년 사업 12 345 백만원, 노인 사업 2 100 백만원") == [
        ("12 345 백만원", Decimal("12345000000"), "KRW", False),
        ("2 100 백만원", Decimal("2100000000"), "KRW", False),
    ]
    assert _read("노인 사업 2 100 백만원") == [("2 100 백만원", None, "KRW", True)]


def test_a_spaced_count_is_no_money():
    assert _read("참가 인원은 3 천명이다.") == []


# ---------------------------------------------------------------- a currency word on the next line


@pytest.mark.parametrize(
    "text, span, amount, currency",
    [
        (
            "‘25년 2분기 해외직접투자는 141.5억\n달러로 전년동기비 13.4% 감소",
            "141.5억\n달러",
            "14150000000",
            "USD",
        ),
        ("수출 목표는 50억\n달러이며", "50억\n달러", "5000000000", "USD"),
        ("총 편익은 28.43백만\n원으로 추정된다.", "28.43백만\n원", "28430000", "KRW"),
        ("총 4조 6,117억\n원 규모이다.", "4조 6,117억\n원", "4611700000000", "KRW"),
        ("중국 투자 20억\n위안 규모", "20억\n위안", "2000000000", "CNY"),
        ("1인당 30만\n원씩 지급한다.", "30만\n원", "300000", "KRW"),
    ],
)
def test_a_currency_word_on_the_next_line_belongs_to_the_amount(text, span, amount, currency):
    assert _records(text) == [(span, Decimal(amount), currency)]


@pytest.mark.parametrize(
    "text, want",
    [
        # a word starting with the currency's letters: no join, the line's own reading
        ("올해 예산은 3,500억\n원자력 안전 예산을 포함한다.", [("3,500억", "350000000000", "KRW")]),
        ("인구 5천만\n원주민 보호구역", []),
        ("일본은 50억\n엔진 개발에 나섰다.", [("50억", "5000000000", "KRW")]),
        # a blank line between: no join, and no bare won either
        ("해외직접투자 141.5억\n\n달러로 감소", []),
        ("목표 2030년\n원화 결제 확대", []),
        # the currency word must be whole (money11d, tester22 A2): 파운드리 (foundry),
        # 유로존 (eurozone) are words; `달러 환율` names a rate: no dollars, no bare won
        ("삼성전자는 올해 50억\n파운드리 투자를 확정했다.", [("50억", "5000000000", "KRW")]),
        ("투자 5천만\n유로존 경기 둔화로 줄었다.", []),
        ("관광객 300만\n달러 환율 상승으로 감소했다.", []),
        ("수출 20억\n달러화 환율이 올랐다.", []),
    ],
)
def test_no_join_where_the_next_line_starts_another_word(text, want):
    assert _records(text) == [(s, Decimal(a), c) for s, a, c in want]


# English prose wrapped by the layout (money12, tester24 e16/e17): `$5` / `million` read as $5


@pytest.mark.parametrize(
    "text, span, amount, currency",
    [
        (
            "The Harbor project will receive $5\nmillion from the state.",
            "$5\nmillion",
            "5000000",
            "USD",
        ),
        (
            "The Harbor project will receive 5 million US\ndollars from the state.",
            "5 million US\ndollars",
            "5000000",
            "USD",
        ),
        ("The city set aside $2.5\nbillion for transit.", "$2.5\nbillion", "2500000000", "USD"),
        ("Seoul will spend 3 trillion\nwon on housing.", "3 trillion\nwon", "3000000000000", "KRW"),
    ],
)
def test_an_english_scale_or_currency_on_the_next_line_belongs_to_the_amount(
    text, span, amount, currency
):
    assert _records(text) == [(span, Decimal(amount), currency)]


@pytest.mark.parametrize(
    "text, want",
    [
        # across a blank line: never joined
        ("The Harbor project will receive $5\n\nmillion people use it.", [("$5", "5", "USD")]),
        # a sentence ended on the first line, a capitalised next line
        ("The fee is $5.\nMillion-dollar homes are exempt.", [("$5", "5", "USD")]),
        # a word that only starts with a scale word
        ("The prize is $5\nmillionaires need not apply.", [("$5", "5", "USD")]),
        # table rows are never joined
        ("| Roads | $5 |\n| million | x |", [("$5", "5", "USD")]),
        # a scale word before a count noun on the next line: a count (fix12, tester25 1.7)
        (
            "Admission to the Harbor museum is $5\nmillion visitors are expected this year.",
            [("$5", "5", "USD")],
        ),
        ("Tickets cost €12\nmillion fans came.", [("€12", "12", "EUR")]),
    ],
)
def test_no_english_join_across_a_blank_line_a_sentence_or_a_row(text, want):
    assert _records(text) == [(s, Decimal(a), c) for s, a, c in want]


def test_a_currency_word_apart_that_starts_a_word_is_checked():
    # `50억 엔진` (engine), `5천만 원주민` (natives): never JPY / KRW amounts
    assert _read("일본은 50억 엔진 개발에 나섰다.") == [("50억", Decimal(5000000000), "KRW", False)]
    assert _read("인구 5천만 원주민 보호구역") == []
    assert _read("총 3억 원씩, 5억 원어치, 10억 엔을 투자") == [
        ("3억 원", Decimal(300000000), "KRW", False),
        ("5억 원", Decimal(500000000), "KRW", False),
        ("10억 엔", Decimal(1000000000), "JPY", False),
    ]


# ---------------------------------------------------------------- equations


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "ㆍ 85.7만 세대 × 4.3만원 = 36,851백만원",
            [("4.3만원", "43000"), ("36,851백만원", "36851000000")],
        ),
        (
            "ㅇ △13,635십억원 = 728십억원(통합재정수지) - 14,363십억원",
            [
                ("△13,635십억원", "13635000000000"),
                ("728십억원", "728000000000"),
                ("14,363십억원", "14363000000000"),
            ],
        ),
        (
            "총사업비 100억원 = 국비 50억원 + 지방비 50억원.",
            [("100억원", "10000000000"), ("50억원", "5000000000"), ("50억원", "5000000000")],
        ),
    ],
)
def test_an_equation_in_one_currency_is_no_exchange_rate(text, want):
    found = find_money(text, "ko")
    assert [(m.text, m.amount) for m in found] == [(s, Decimal(a)) for s, a in want]
    assert not any(m.exchange_rate for m in found)


@pytest.mark.parametrize(
    "text, lang, rate",
    [
        ("1달러 = 1,350원으로 환산했다.", "ko", "1,350원"),
        ("100엔=930원 기준이다.", "ko", "930원"),
        ("Conversions use 1 USD = 1,333 KRW.", "en", "1,333 KRW"),
    ],
)
def test_a_currency_priced_in_another_is_still_a_rate(text, lang, rate):
    found = find_money(text, lang)
    assert [(m.text, m.exchange_rate) for m in found] == [(rate, True)]


def test_a_large_conversion_is_no_rate():
    found = find_money("$5 million = ₩6.9 billion at current rates.", "en")
    assert [(m.text, m.exchange_rate) for m in found] == [
        ("$5 million", False),
        ("₩6.9 billion", False),
    ]


# ---------------------------------------------------------------- a decimal comma (money12)


@pytest.mark.parametrize(
    "text, want",
    [
        # the document writes European notation elsewhere: `$4,5 billion` is 4.5 billion
        (
            "Inflation in the euro area was 2,5 % last year.\nThe US will spend $4,5 billion.",
            [("$4,5 billion", "4500000000", "USD")],
        ),
        (
            "The grant is €1.500.000 in all.\nThe US will spend $4,5 billion.",
            [("€1.500.000", "1500000", "EUR"), ("$4,5 billion", "4500000000", "USD")],
        ),
        # nowhere else: 4.5 or 45? No record, as before
        ("The US will spend $4,5 billion.\nIt costs $1,5 billion more.", []),
    ],
)
def test_a_decimal_comma_is_read_only_in_european_copy(text, want):
    assert _records(text) == [(s, Decimal(a), c) for s, a, c in want]
