"""Unit tests of the Korean money extractor (rule-file examples are in test_rule_examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.models import Token
from extract.money import korean
from extract.money.korean import find_money, parse_number, supported_currencies


@pytest.fixture(scope="session")
def kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def _tokens(kiwi, text: str) -> list[Token]:
    return [Token(t.form, t.start, t.start + t.len, t.tag) for t in kiwi.tokenize(text)]


def _one(text: str):
    found = find_money(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text,value",
    [
        ("3조9497억", "3949700000000"),
        ("1천246억", "124600000000"),
        ("이천칠백삼십오만", "27350000"),
        ("2,107억", "210700000000"),
        ("1.5조", "1500000000000"),
        ("일점이삼", "1.23"),
        ("387억 4000만", "38740000000"),
        ("4조 4천5백억여", "4450000000000"),
        ("칠천십이억삼천구백팔십만천백이십삼", "701239801123"),
        ("사분의삼", "0.75"),
    ],
)
def test_parse_number_values(text, value):
    assert parse_number(text) == Decimal(value)


def test_parse_number_is_exact_and_integral():
    value = parse_number("1.5조")
    assert value == Decimal("1500000000000")
    assert str(value) == "1500000000000"  # no exponent, no ".0"


@pytest.mark.parametrize("text", ["", "원", "억조", "3억만5", "abc", "이삼"])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_supported_currencies_come_from_the_rules():
    assert {"KRW", "USD", "JPY", "CNY", "EUR", "GBP", "CAD", "AUD", "HKD"} <= supported_currencies()


@pytest.mark.parametrize(
    "text",
    [
        "국회 예산 3조9497억원이 확정됐다",
        "약 387억 4000만 원 규모, 최대 연 50만원",
        "사업비 30~50억원 중 미화 5억 달러",
        "수백억원대 손실과 77억 감액",
    ],
)
def test_offsets_are_exact(text):
    mentions = find_money(text)
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.lang == "ko" and m.rule.startswith("ko.")


def test_qualifier_words_stay_outside_the_span():
    m = _one("소상공인에게 최대 연 50만원 지급")
    assert (m.text, m.amount, m.qualifier) == ("50만원", Decimal(500000), "max")


@pytest.mark.parametrize(
    "text",
    ["이억원 의원이 질의했다", "조원태 회장이 말했다", "만원 버스에 시달렸다", "이유로 들었다"],
)
def test_kiwi_rejects_words_that_look_like_amounts(text):
    assert find_money(text) == []


def test_caller_tokens_are_used_instead_of_a_new_analysis(kiwi, monkeypatch):
    text = "이억원 의원과 만원 버스, 그리고 일억 원"

    def fail(*args):
        raise AssertionError("Kiwi must not run when tokens are given")

    monkeypatch.setattr(korean, "_window_tokens", fail)
    found = find_money(text, _tokens(kiwi, text))
    assert [(m.text, m.amount) for m in found] == [("일억 원", Decimal(100000000))]


def test_no_kiwi_for_unambiguous_text(monkeypatch):
    def fail(*args):
        raise AssertionError("Kiwi must not run")

    monkeypatch.setattr(korean, "_window_tokens", fail)
    assert [m.amount for m in find_money("예산 153억원과 1600억원을 반영했다")] == [
        Decimal(15300000000),
        Decimal(160000000000),
    ]
    assert find_money("The city won a 3.9497 trillion won budget in 2026.") == []


@pytest.mark.parametrize(
    "text,rendered",
    [
        ("수백억원", "수백억원"),
        ("매년 수십억 원이 든다", "수십억 원"),
        ("억대 연봉", "억대"),
        ("5조원대 예산", "5조원대"),
    ],
)
def test_vague_amounts_have_no_value(text, rendered):
    m = _one(text)
    assert (m.text, m.amount, m.vague, m.currency) == (rendered, None, True, "KRW")


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("30~50억원", 3000000000, 5000000000),
        ("30억~50억원", 3000000000, 5000000000),
        ("1억~2억 원", 100000000, 200000000),
        ("2~3천만원", 20000000, 30000000),
        ("1.5~2조원", 1500000000000, 2000000000000),
    ],
)
def test_ranges_are_one_mention(text, low, high):
    m = _one(text)
    assert (m.amount, m.amount_max, m.text) == (Decimal(low), Decimal(high), text)


def test_a_change_is_two_mentions():
    found = find_money("추경예산이 25억원에서 153억원으로 증액됐다")
    assert [(m.text, m.amount_max) for m in found] == [("25억원", None), ("153억원", None)]


@pytest.mark.parametrize(
    "text",
    [
        "민원 74건이 2025년에 10% 늘었다",
        "문의 062-715-2020",
        "3기 신도시 1만명 입주, 3만 가구 공급",
        "인구 5천만 가운데 1억 명",
        "제3조 2항",
        "누적 10억대 판매",
        "헌법 4원칙과 3원색",
    ],
)
def test_counts_years_and_numbers_are_not_money(text):
    assert find_money(text) == []


def test_english_multiplier_after_a_code_is_left_to_english():
    assert find_money("KRW 7 billion and EUR 20 million") == []
    assert [m.amount for m in find_money("정가는 EUR 20이다")] == [Decimal(20)]


@pytest.mark.parametrize(
    "text,amount,currency",
    [
        ("4억 2천만 캐나다 달러", "420000000", "CAD"),
        ("이달러이십삼센트", "2.23", "USD"),
        ("일쩜이삼달러", "1.23", "USD"),
        ("10₩", "10", "KRW"),
        ("KRW 3조", "3000000000000", "KRW"),
    ],
)
def test_currency_forms(text, amount, currency):
    m = _one(text)
    assert (m.amount, m.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    "text,currency,amount",
    [
        ("파키스탄 정부가 예산을 냈다.\n정부는 100억 루피를 철도에 쓴다.", "PKR", 10000000000),
        ("스리랑카 콜롬보 항만 사업.\n정부는 100억 루피를 배정했다.", "LKR", 10000000000),
        ("뭄바이 지하철 사업.\n정부는 100억 루피를 배정했다.", "INR", 10000000000),
        ("정부는 100억 루피를 배정했다.", "INR", 10000000000),
        # two countries in the document, none in the sentence: flagged, no amount
        ("인도 정부와 파키스탄 정부의 협상.\n정부는 100억 루피를 배정했다.", "INR", None),
        # the sentence settles it
        ("인도 정부와 협상했다.\n파키스탄 정부는 100억 루피를 배정했다.", "PKR", 10000000000),
    ],
)
def test_a_bare_rupee_takes_the_country_the_document_names(text, currency, amount) -> None:
    """rules/ko/currencies.toml [[country_currency]] `루피` (extract/money/countries.py):
    until 2026-11-30 a bare 루피 was INR in a story about Pakistan or Sri Lanka."""
    from extract.models import Document
    from extract.pipeline import process_document

    _, records = process_document(Document("a", text, "", "txt", "utf-8"))
    (r,) = records
    assert (r.currency, r.amount) == (currency, amount)
    assert r.vague == (amount is None)


@pytest.mark.parametrize(
    "text,qualifier",
    [
        # a condition of a negated verb of receiving or spending turns (tester12 item 7)
        ("사업비가 2억원을 초과하는 경우에는 지원하지 않는다.", "max"),
        ("사업비가 2억원을 초과할 경우 지원하지 않는다.", "max"),
        ("연매출 5억원을 넘는 경우 지원받을 수 없다.", "max"),
        ("총사업비 3억원 이상인 때에는 보조금을 지원하지 아니한다.", "max"),
        ("사업비가 3억원 미만인 경우 지원할 수 없다.", "min"),
        # ... a condition for paying something, "need not", a double negative do not (item 6)
        ("연소득 5천만원 이하이면 세금을 내지 않는다.", "max"),
        ("연매출 3억원 미만인 경우 수수료를 내지 않는다.", "max"),
        ("부채가 1억원 이하인 경우 보증료를 납부하지 않아도 된다.", "max"),
        ("보증금 2억원 이하인 경우에는 지원 대상에서 제외되지 않는다.", "max"),
        ("2억원 이하는 제외되지 않는다.", "max"),
        ("1억원 미만인 경우 신청하지 않아도 된다.", "max"),
        ("체납액이 100만원을 넘는 경우 신청 불가.", "min"),
        # the direct negated bound still turns
        ("어떤 사업도 10억원 이상을 받을 수 없다.", "max"),
    ],
)
def test_negated_bound_turns_only_for_receiving_or_spending(text, qualifier):
    assert _one(text).qualifier == qualifier
