"""Unit tests for the English money extractor (extract.money.english).

The rule files' own [[example]]s are checked by test_rule_examples.py; these tests
pin behaviour across rules: offsets, won-as-verb, conversions, ranges, vague amounts,
distractors, speed on Korean text.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.money.english import find_money, parse_number, supported_currencies


def _one(text: str):
    found = find_money(text)
    assert len(found) == 1, found
    return found[0]


def _summary(text: str) -> list[tuple]:
    return [
        (m.text, m.amount, m.amount_max, m.currency, m.qualifier, m.vague) for m in find_money(text)
    ]


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "text,value",
    [
        ("3.9497 trillion", "3949700000000"),
        ("1.2bn", "1200000000"),
        ("327.1 bln", "327100000000"),
        ("twenty", "20"),
        ("one hundred twenty-three", "123"),
        ("a million", "1000000"),
        ("1,234,567.89", "1234567.89"),
        ("4 trillion and 600 billion", "4600000000000"),
        ("12,34,567.89", "1234567.89"),
        ("four crore", "40000000"),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


def test_parse_number_is_exact_decimal():
    value = parse_number("3.9497 trillion")
    assert isinstance(value, Decimal)
    assert str(value) == "3949700000000"


@pytest.mark.parametrize("text", ["", "a", "million", "five apples", "$5", "won", "1.2.3"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


# ---------------------------------------------------------------- offsets and fields


def test_offsets_are_exact_and_fields_set():
    text = "On Friday, the city said 3.9497 trillion won was secured."
    m = _one(text)
    assert text[m.start : m.end] == m.text == "3.9497 trillion won"
    assert (m.amount, m.currency, m.lang) == (Decimal("3949700000000"), "KRW", "en")
    assert m.rule.startswith("en.")


def test_qualifier_words_are_not_in_the_text():
    text = "Each region will receive approximately 7 billion KRW."
    m = _one(text)
    assert m.text == "7 billion KRW"
    assert m.qualifier == "approx"
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "phrase,qualifier",
    [
        ("about", "approx"),
        ("nearly", "approx"),
        ("some", "approx"),
        ("close to", "approx"),
        ("up to", "max"),
        ("no more than", "max"),
        ("under", "max"),
        ("at least", "min"),
        ("more than", "min"),
        ("over", "min"),
        ("no less than", "min"),
    ],
)
def test_qualifiers(phrase, qualifier):
    m = _one(f"The fund will hold {phrase} $3 million next year.")
    assert (m.text, m.qualifier) == ("$3 million", qualifier)


# ---------------------------------------------------------------- won as a verb


def test_won_as_verb_before_an_amount():
    assert _summary("General Dynamics won a $48.2 million Army contract.") == [
        ("$48.2 million", Decimal("48200000"), None, "USD", "", False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Korea won 3 gold medals in Paris.",
        "Ulsan won 2-1 at home.",
        "Of the five bills, two won approval.",
        "The party, which in 2018 won the election, lost in 2022.",
        "Lee Won-jae scored 3 goals.",
    ],
)
def test_won_is_not_money_without_an_amount_before_it(text):
    assert find_money(text) == []


def test_won_needs_a_number_but_accepts_plain_amounts():
    assert _summary("A coffee costs 5,000 won in Seoul.") == [
        ("5,000 won", Decimal("5000"), None, "KRW", "", False)
    ]


# ---------------------------------------------------------------- conversions, compounds


def test_parenthetical_conversion_is_two_amounts():
    got = _summary("Samsung will spend KRW1.44 trillion ($1.18 billion) on the line.")
    assert [(t, a, c) for t, a, _, c, _, _ in got] == [
        ("KRW1.44 trillion", Decimal("1440000000000"), "KRW"),
        ("$1.18 billion", Decimal("1180000000"), "USD"),
    ]


def test_compound_scales_sum():
    m = _one("The fund totals 4 trillion and 600 billion won.")
    assert (m.text, m.amount) == ("4 trillion and 600 billion won", Decimal("4600000000000"))


def test_compound_stops_at_a_count():
    m = _one("It had sales of $1.2 trillion and 35 million customers.")
    assert (m.text, m.amount) == ("$1.2 trillion", Decimal("1200000000000"))


@pytest.mark.parametrize(
    "text,expr,amount,currency",
    [
        ("It raised $1.1bn.", "$1.1bn", "1100000000", "USD"),
        ("It raised US$1.2 billion.", "US$1.2 billion", "1200000000", "USD"),
        ("It raised ₩386 billion.", "₩386 billion", "386000000000", "KRW"),
        ("It raised W50 billion.", "W50 billion", "50000000000", "KRW"),
        ("It raised €30 million.", "€30 million", "30000000", "EUR"),
        ("It raised ¥100 million.", "¥100 million", "100000000", "JPY"),
        ("It raised 100 million yuan.", "100 million yuan", "100000000", "CNY"),
        ("It raised RMB 5 billion.", "RMB 5 billion", "5000000000", "CNY"),
        ("It raised £3.4m.", "£3.4m", "3400000", "GBP"),
        ("It raised 2.9 tln-won.", "2.9 tln-won", "2900000000000", "KRW"),
        ("It raised one million won.", "one million won", "1000000", "KRW"),
        ("It raised Rs 10 lakh crore.", "Rs 10 lakh crore", "10000000000000", "INR"),
    ],
)
def test_currency_forms(text, expr, amount, currency):
    m = _one(text)
    assert (m.text, m.amount, m.currency) == (expr, Decimal(amount), currency)


# ---------------------------------------------------------------- ranges and changes


@pytest.mark.parametrize(
    "text,expr,low,high,currency",
    [
        (
            "It costs between 2 and 3 billion won.",
            "between 2 and 3 billion won",
            "2e9",
            "3e9",
            "KRW",
        ),
        ("Rounds run $2-3 million.", "$2-3 million", "2e6", "3e6", "USD"),
        ("Savings of 16-17 billion won.", "16-17 billion won", "16e9", "17e9", "KRW"),
        ("Each gets 2 to 3 billion won.", "2 to 3 billion won", "2e9", "3e9", "KRW"),
        (
            "They want between $2 million and $3 million.",
            "between $2 million and $3 million",
            "2e6",
            "3e6",
            "USD",
        ),
    ],
)
def test_ranges_are_one_mention(text, expr, low, high, currency):
    m = _one(text)
    assert (m.text, m.amount, m.amount_max, m.currency) == (
        expr,
        Decimal(low),
        Decimal(high),
        currency,
    )


def test_a_change_is_two_mentions():
    text = "It will rise from 236.1 billion won this year to 436.6 billion won in 2026."
    got = _summary(text)
    assert [(t, a, mx) for t, a, mx, *_ in got] == [
        ("236.1 billion won", Decimal("236100000000"), None),
        ("436.6 billion won", Decimal("436600000000"), None),
    ]


# ---------------------------------------------------------------- vague


@pytest.mark.parametrize(
    "text,expr,currency",
    [
        ("It will cost tens of billions of won.", "tens of billions of won", "KRW"),
        ("They spent hundreds of millions of dollars.", "hundreds of millions of dollars", "USD"),
        ("Investors poured billions of dollars in.", "billions of dollars", "USD"),
    ],
)
def test_vague_amounts_have_no_value(text, expr, currency):
    m = _one(text)
    assert (m.text, m.amount, m.vague, m.currency) == (expr, None, True, currency)


# ---------------------------------------------------------------- distractors


@pytest.mark.parametrize(
    "text",
    [
        "Contact: Section Chief (+82) 62-715-2020, Senior Administrator (+82) 62-715-2024",
        "Release Date\t2019.01.30",
        "AI usage stands at 40.4 percent in Seoul and 17.9% elsewhere.",
        "In 2025, five regional governments and 74 companies were selected.",
        "The tower is 300 m tall and the race was 10k.",
        "The dollar rose 1.2 percent against the yen.",
        "Millions of people watched the final.",
    ],
)
def test_distractors_are_not_money(text):
    assert find_money(text) == []


def test_korean_amounts_are_left_to_the_korean_extractor():
    text = "광주시는 $1.1 billion 규모의 투자와 3조원, KRW 3조, 5억 달러, 1.5조원을 확보했다."
    assert [(m.text, m.currency) for m in find_money(text)] == [("$1.1 billion", "USD")]


def test_korean_text_gives_the_english_extractor_nothing():
    # Korean amounts are the Korean extractor's (how fast this is: `make bench`).
    text = (
        "광주시가 정부에 요청한 인공지능 사업 추가경정예산이 25억원에서 153억원으로 증액됐다. "
        * 200
    )
    assert find_money(text) == []


def test_supported_currencies_come_from_the_rules():
    codes = supported_currencies()
    assert {"KRW", "USD", "EUR", "JPY", "CNY", "GBP", "INR"} <= codes
    assert all(len(c) == 3 and c.isupper() for c in codes)


def _corpus_lines() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "corpora"
    return [line for p in sorted(root.glob("*.txt")) for line in p.read_text().splitlines()]


@pytest.mark.parametrize(
    "extra",
    ["", "a dollar", "A  Dollar a day", "seventy", "xseventy", "ﬁfty", "FIFTEEN", "lakh", "no"],
)
def test_number_trigger_parts_answer_as_the_whole_trigger(extra):
    """`triggered` searches the trigger's alternatives apart; it must say what one
    search of the whole alternation says, on every line of the sample articles."""
    from extract.money.english import english_rules

    g = english_rules().numbers
    assert len(g.trigger_parts) == 4
    for line in [*_corpus_lines(), ""]:
        for text in (line + extra, extra + line, extra):
            assert g.triggered(text) == (g.trigger.search(text) is not None), text


@pytest.mark.parametrize(
    "text",
    [
        "Xseventy dollars were paid. Yone euro each.",
        "The council met on Monday. Officials said nothing new.",
        "Xtwelve euros and Za dollar a day",
    ],
)
def test_quiet_paragraph_parts_find_money_only_where_they_may(text):
    """A paragraph `may_hold_money` rejects: any part of it (a sentence cut anywhere)
    finds money only where `may_open_money` says it may (the pipeline skips the rest)."""
    from extract.money import find_money, may_hold_money, may_open_money

    lines = [line for line in _corpus_lines() if not may_hold_money(line)]
    assert lines  # the sample articles have such paragraphs
    assert not may_hold_money(text)
    for whole in [text, *lines]:
        for a in range(len(whole)):
            for b in (a + 1, a + 20, len(whole)):
                part = whole[a:b]
                assert may_open_money(part) or find_money(part, "en") == [], part
    assert may_open_money("seventy dollars") and find_money("seventy dollars", "en")


_SPACINGS = ["", "  ", "\u00a0- ", "\t"]
_TAILS = ["", " x", "é$"]
_SWAPS = {"s": "ſ", "k": "\u212a", "i": "ı", "ss": "ß", "fi": "ﬁ"}


def _case_variants(form: str) -> set[str]:
    """The form as written, in lower, upper and title case, and with each of the
    letters `regex` matches across scripts swapped in (`ß` for `ss`, `ſ`, the Kelvin
    sign, dotless and dotted i) and out."""
    out = {form, form.lower(), form.upper(), form.title()}
    lower = form.lower()
    for a, b in _SWAPS.items():
        out |= {lower.replace(a, b), form.replace(b, a), form.upper().replace("I", "İ")}
    return out


def test_suffix_starts_never_rejects_a_suffix_match():
    """`SuffixStarts.may_match` is a pre-check of the `suffix` pattern: wherever the
    pattern matches, the pre-check must say it may. Checked for every suffix form
    (in every case and spacing, with what may follow it) and at every position of
    every line of the sample articles."""
    from extract.money.english import english_rules

    r = english_rules()
    starts = r.suffix_starts
    texts = []
    for key, form in r.suffix_forms.items():
        for variant in _case_variants(form.text) | _case_variants(key.lstrip("\0")):
            for sp in _SPACINGS:
                texts += [f"5{sp}{variant}{tail}" for tail in _TAILS]
    matched = 0
    for text in texts:
        hit = r.suffix.match(text, 1)
        matched += hit is not None
        assert starts.may_match(text, 1) or hit is None, text
    assert matched > len(r.suffix_forms) * len(_SPACINGS)  # the variants do match
    for line in [*_corpus_lines(), ""]:
        for pos in range(len(line) + 1):
            assert starts.may_match(line, pos) or r.suffix.match(line, pos) is None, (line, pos)


@pytest.mark.parametrize(
    "after, may",
    [
        (" for the", False),
        (" companies", False),
        ("-year plan", False),
        ("", False),
        (".", False),
        (" won", True),
        ("  Won", True),
        (" - dollars", True),
        (" US$", True),
        (" €", True),
        (" Straße", True),  # not a currency, but not ASCII: the regex decides
        (" wons", False),
        (" dollarsé", True),
    ],
)
def test_suffix_starts_rejects_ordinary_words(after, may):
    from extract.money.english import english_rules

    r = english_rules()
    assert r.suffix_starts.may_match("5" + after, 1) is may
    if not may:
        assert r.suffix.match("5" + after, 1) is None


@pytest.mark.parametrize(
    "text,qualifier",
    [
        # a double negative keeps the bound as written (tester12 item 8)
        ("It is not rare for districts to receive more than $2 million.", "min"),
        ("It isn't unusual to receive more than $3 million from the fund.", "min"),
        ("It is not uncommon for towns to get less than $5,000.", "max"),
        ("No district failed to get more than $1 million.", "min"),
        # ... a plain negation still turns it
        ("The state won't get more than $2 billion from the settlement.", "max"),
        ("Districts will not receive more than $2 million.", "max"),
    ],
)
def test_double_negative_keeps_the_bound(text, qualifier):
    assert _one(text).qualifier == qualifier


def test_a_dot_group_before_a_scale_in_a_european_document_is_flagged() -> None:
    # fix12b (tester25 m41): `€1.500.000` in another sentence makes the document European;
    # `$2.500 million` there is 2,500 million or 2.5 million: flagged, never read as 2.5
    from extract.models import Document
    from extract.pipeline import process_document

    text = "The Bridge project got €1.500.000. The Harbor project costs $2.500 million."
    _, records = process_document(Document("t.txt", text, "", "txt", "utf-8"))
    got = {r.text: (r.amount, r.vague) for r in records}
    assert got["€1.500.000"] == (1_500_000, False)
    assert got["$2.500 million"] == (None, True)
    text = "The server at 10.100.200.300 hosts the records. The Harbor project gets $2.500 million."
    _, records = process_document(Document("t.txt", text, "", "txt", "utf-8"))
    assert [(r.text, r.amount) for r in records] == [("$2.500 million", 2_500_000)]
