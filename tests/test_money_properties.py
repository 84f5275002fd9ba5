"""Property tests of the money grammar (hypothesis).

Round trip: random exact amounts are rendered in every house style the grammar
supports (Korean and English), with ranges and qualifiers, embedded in sentence
templates of both languages; the extractor must give back exactly one mention with
the exact value, currency, qualifier and offsets.

Fuzz: arbitrary Unicode and long digit runs never raise, every mention's text is
at its offsets, and a mention over a written digit run has that run's value or is
refused (vague).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from extract.money import find_money
from extract.money.exact import MAX_DIGITS, MAX_VALUE

JO, EOK, MAN = 10**12, 10**8, 10**4
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- renderers


def _group(n: int, style: str) -> str:
    """A 0 < n < 10000 group: plain 9497, with a comma 9,497, or with 천/백 9천497."""
    if style == "comma":
        return f"{n:,}"
    if style == "hanja_units" and n >= 1000:
        head, rest = divmod(n, 1000)
        return f"{head}천{rest if rest else ''}"
    return str(n)


def _korean(jo: int, eok: int, man: int, style: str) -> str:
    """`3조9497억원`-family renderings of jo*10^12 + eok*10^8 + man*10^4 (no currency)."""
    gap = " " if style == "comma" else ""
    parts = []
    for n, unit in ((jo, "조"), (eok, "억"), (man, "만")):
        if n:
            parts.append(f"{_group(n, style)}{unit}")
    return gap.join(parts)


def _plain_decimal(value: Decimal) -> str:
    s = format(value.normalize(), "f")
    return s


def _grouped(value: Decimal) -> str:
    """3949.7 -> 3,949.7 (thousands commas, exact decimals)."""
    whole, _, frac = _plain_decimal(value).partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


@st.composite
def krw_amounts(draw) -> tuple[int, int, int]:
    jo = draw(st.integers(0, 999))
    eok = draw(st.integers(0, 9999))
    man = draw(st.integers(0, 9999))
    assume(jo or eok)
    return jo, eok, man


def _ko_renderings(jo: int, eok: int, man: int) -> list[tuple[str, str]]:
    """(rendered amount with its currency, how the currency is attached)."""
    value = jo * JO + eok * EOK + man * MAN
    out = [
        (_korean(jo, eok, man, "plain") + "원", "glued"),  # 3조9497억원
        (_korean(jo, eok, man, "comma") + " 원", "spaced"),  # 3조 9,497억 원
        (_korean(jo, eok, man, "hanja_units") + "원", "glued"),  # 3조9천497억원
    ]
    if not man and jo:
        out.append((f"{_plain_decimal(Decimal(value) / JO)}조원", "glued"))  # 3.9497조원
    if not man:
        out.append((f"{value // EOK:,}억원", "glued"))  # 39,497억원
    return out


def _en_renderings(value: int) -> list[str]:
    out = []
    if value >= JO:
        out.append(f"{_plain_decimal(Decimal(value) / JO)} trillion won")  # 3.9497 trillion won
    if value >= 10**9:
        out.append(f"KRW {_grouped(Decimal(value) / 10**9)} billion")  # KRW 3,949.7 billion
    out.append(f"{value:,} won")
    return out


KO_TEMPLATES = [
    "정부는 올해 {x}의 예산을 배정했다.",
    "이 사업에는 {x}이 투입된다.",
    "국회는 {x}을 증액했다고 밝혔다.",
]
EN_TEMPLATES = [
    "The ministry set aside {x} for the program.",
    "Officials said {x} had been allocated this year.",
]


def _one(sentence: str, lang: str):
    found = find_money(sentence, lang)
    assert len(found) == 1, (sentence, found)
    m = found[0]
    assert sentence[m.start : m.end] == m.text, (sentence, m)
    return m


# ---------------------------------------------------------------- round trips


@SETTINGS
@given(amount=krw_amounts(), template=st.sampled_from(KO_TEMPLATES))
@example(amount=(3, 9497, 0), template=KO_TEMPLATES[0])
def test_korean_house_styles_round_trip(amount, template):
    jo, eok, man = amount
    value = Decimal(jo * JO + eok * EOK + man * MAN)
    for rendered, _ in _ko_renderings(jo, eok, man):
        sentence = template.format(x=rendered)
        m = _one(sentence, "ko")
        assert (m.text, m.amount, m.currency, m.qualifier) == (rendered, value, "KRW", ""), sentence
        assert m.start == sentence.index(rendered)


@SETTINGS
@given(amount=krw_amounts(), template=st.sampled_from(EN_TEMPLATES))
@example(amount=(3, 9497, 0), template=EN_TEMPLATES[0])
def test_english_krw_styles_round_trip(amount, template):
    jo, eok, man = amount
    value = jo * JO + eok * EOK + man * MAN
    for rendered in _en_renderings(value):
        sentence = template.format(x=rendered)
        m = _one(sentence, "en")
        assert (m.text, m.amount, m.currency) == (rendered, Decimal(value), "KRW"), sentence
        assert m.start == sentence.index(rendered)


@SETTINGS
@given(
    cents=st.integers(1, 99_999),  # $0.01bn .. $999.99bn, two decimals: always exact
    scale=st.sampled_from([("bn", 10**9), ("m", 10**6), (" billion", 10**9), (" million", 10**6)]),
    template=st.sampled_from(EN_TEMPLATES),
)
@example(cents=395, scale=("bn", 10**9), template=EN_TEMPLATES[0])
def test_usd_scaled_round_trip(cents, scale, template):
    word, factor = scale
    number = Decimal(cents) / 100
    rendered = f"${_plain_decimal(number)}{word}"
    sentence = template.format(x=rendered)
    m = _one(sentence, "en")
    assert (m.text, m.amount, m.currency) == (rendered, number * factor, "USD"), sentence


QUALIFIED_KO = [
    ("약 {x}", "approx"),
    ("최대 {x}", "max"),
    ("최소 {x}", "min"),
    ("{x} 이상", "min"),
    ("{x} 이하", "max"),
    ("{x}을 넘지 않는", "max"),
]
QUALIFIED_EN = [
    ("about {x}", "approx"),
    ("up to {x}", "max"),
    ("at least {x}", "min"),
    ("may not exceed {x}", "max"),
    ("more than {x}", "min"),
]


@SETTINGS
@given(amount=krw_amounts(), form=st.sampled_from(QUALIFIED_KO))
def test_korean_qualifiers_round_trip(amount, form):
    jo, eok, man = amount
    value = Decimal(jo * JO + eok * EOK + man * MAN)
    rendered = _korean(jo, eok, man, "plain") + "원"
    phrase, qualifier = form
    sentence = f"지원 규모는 {phrase.format(x=rendered)} 수준으로 정해졌다."
    m = _one(sentence, "ko")
    assert (m.text, m.amount, m.qualifier) == (rendered, value, qualifier), sentence


@SETTINGS
@given(millions=st.integers(1, 999_999), form=st.sampled_from(QUALIFIED_EN))
def test_english_qualifiers_round_trip(millions, form):
    rendered = f"${millions:,} million"
    phrase, qualifier = form
    sentence = f"The grant {phrase.format(x=rendered)} this year."
    m = _one(sentence, "en")
    assert (m.text, m.amount, m.qualifier) == (rendered, Decimal(millions) * 10**6, qualifier)


@SETTINGS
@given(
    lo=st.integers(1, 9998),
    span=st.integers(1, 9999),
    unit=st.sampled_from([("억", EOK), ("조", JO), ("만", MAN)]),
    full=st.booleans(),
)
def test_korean_ranges_round_trip(lo, span, unit, full):
    hi = lo + span
    assume(hi < 10000)
    name, factor = unit
    rendered = f"{lo}{name}~{hi}{name}원" if full else f"{lo}~{hi}{name}원"
    sentence = f"사업비는 {rendered}으로 추정된다."
    m = _one(sentence, "ko")
    assert (m.text, m.amount, m.amount_max) == (rendered, lo * factor, hi * factor), sentence


@SETTINGS
@given(lo=st.integers(1, 998), span=st.integers(1, 999))
def test_english_ranges_round_trip(lo, span):
    hi = lo + span
    assume(hi < 1000)
    for rendered, factor, cur in (
        (f"{lo}-{hi} billion won", 10**9, "KRW"),
        (f"${lo}-{hi} million", 10**6, "USD"),
    ):
        sentence = f"Analysts expect {rendered} in new orders."
        m = _one(sentence, "en")
        assert (m.text, m.amount, m.amount_max, m.currency) == (
            rendered,
            lo * factor,
            hi * factor,
            cur,
        ), sentence


# ---------------------------------------------------------------- fuzz


def _check_mentions(text: str, lang: str):
    found = find_money(text, lang)
    for m in found:
        assert text[m.start : m.end] == m.text, (text, m)
        assert 0 <= m.start < m.end <= len(text)
        if m.vague:
            assert m.amount is None
        else:
            assert isinstance(m.amount, Decimal)
            assert abs(m.amount) < MAX_VALUE
        if m.amount_max is not None:
            assert isinstance(m.amount_max, Decimal) and m.amount_max < MAX_VALUE
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=120), lang=st.sampled_from(["ko", "en"]))
def test_arbitrary_unicode_never_raises(text, lang):
    _check_mentions(text, lang)


_PIECES = st.sampled_from(
    ["$", "₩", "€", "원", "억", "조", "만", "천", " ", ",", ".", "~", "-", "billion", " won",
     "약 ", "최대 ", "경", "\u00ad", "\u200b", "(", ")", "'", "달러", "파운드"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(_PIECES, st.from_regex(r"\A[0-9]{1,45}\Z")), max_size=14),
    lang=st.sampled_from(["ko", "en"]),
)
def test_money_shaped_noise_never_raises(parts, lang):
    _check_mentions("".join(parts), lang)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digits=st.from_regex(r"\A[1-9][0-9]{0,44}\Z"), form=st.sampled_from(["${}", "{}원"]))
@example(digits="330055521570925576", form="${}")
def test_long_digit_runs_have_their_value_or_are_refused(digits, form):
    rendered = form.format(digits)
    text = f"The total is {rendered} today. 총액은 {rendered}이다."
    for lang in ("en", "ko"):
        for m in _check_mentions(text, lang):
            if m.text != rendered:
                continue
            if len(digits) > MAX_DIGITS:
                assert m.vague and m.amount is None, m
            elif not m.vague:
                assert m.amount == Decimal(digits), m


@pytest.mark.parametrize(
    "text,lang",
    [
        ("$330055521570925576 trillion won", "en"),
        ("9" * 5000 + "원", "ko"),
        ("$" + "9" * 5000, "en"),
        ("1" + ",000" * 40 + " won", "en"),
        ("1" + "조" * 30 + "원", "ko"),
    ],
)
def test_huge_inputs_are_refused_not_rounded(text, lang):
    for m in _check_mentions(text, lang):
        assert m.vague and m.amount is None, m
