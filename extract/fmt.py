"""Amounts written for people: plain digits for tables, words for reading.

`plain` is the exact machine form (records.csv, the store, gold.csv);
`display_amount` is the reading form shown next to it in records.xlsx and the
report, in the document's language: `3조 9,497억 원`, `3.95 trillion won`,
`$1.1 billion`. The reading form may round (English scale words keep two
decimals); the exact value is always in the `amount` column beside it.

No value can make these functions raise or round silently: arithmetic runs in
`EXACT` (precision large enough for any amount, Inexact trapped), and a value
outside `in_range` (not finite, or more than SHOWN_DIGITS digits either side of
the point: only a damaged store or a bug produces one) is written in exact
scientific notation (`1E+100000`, `NaN`) instead of digits.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# Amounts are shown as digits up to this many places either side of the point.
SHOWN_DIGITS = 60

# Exact decimal arithmetic: no rounding ever passes unnoticed (Inexact raises).
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
# For the reading form's deliberate rounding (quantize to 0.01).
_ROUNDING = EXACT.copy()
_ROUNDING.traps[decimal.Inexact] = False

# Korean groups by powers of 10^4.
_KO_UNITS = ((Decimal(10) ** 12, "조"), (Decimal(10) ** 8, "억"), (Decimal(10) ** 4, "만"))
_KO_CURRENCY = {
    "KRW": "원",
    "USD": "달러",
    "EUR": "유로",
    "JPY": "엔",
    "CNY": "위안",
    "GBP": "파운드",
}
_EN_SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
_EN_PREFIX = {"USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£"}
_EN_SUFFIX = {"KRW": "won", "CNY": "yuan"}


def in_range(amount: Decimal | int) -> bool:
    """Whether an amount is finite with at most SHOWN_DIGITS digits either side of the point."""
    d = Decimal(amount)
    if not d.is_finite():
        return False
    if d.is_zero():
        return True
    return -SHOWN_DIGITS <= d.adjusted() < SHOWN_DIGITS and d.as_tuple().exponent >= -SHOWN_DIGITS


def exact_sum(amounts: Iterable[Decimal | int]) -> Decimal:
    """The exact sum of the in-range amounts (others are left out, see `in_range`)."""
    total = Decimal(0)
    for a in amounts:
        if in_range(a):
            total = EXACT.add(total, Decimal(a))
    return total


def plain(amount: Decimal | int | None) -> str:
    """Exact digits, no exponent, no separators; integral values without a fraction.

    Out-of-range values (see `in_range`) are written in exact scientific notation.
    """
    if amount is None:
        return ""
    d = Decimal(amount)
    if not in_range(d):
        return str(d)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grouped(d: Decimal | int) -> str:
    """`1234.5` -> `1,234.5`: thousands separators, exact (no rounding)."""
    text = plain(d)
    if not in_range(d):
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def _korean(amount: Decimal, currency: str) -> str:
    unit = _KO_CURRENCY.get(currency, currency)
    sign = "-" if amount < 0 else ""
    rest = amount.copy_abs()
    parts: list[str] = []
    for size, name in _KO_UNITS:
        count = EXACT.divide_int(rest, size)
        if count:
            parts.append(f"{grouped(count)}{name}")
            rest = EXACT.subtract(rest, EXACT.multiply(count, size))
    if rest or not parts:
        parts.append(grouped(rest))
    return f"{sign}{' '.join(parts)} {unit}"


# ISO 4217 currencies whose minor unit has no decimals in use (ISO 4217 "minor unit" 0)
_NO_MINOR_UNIT = frozenset({"KRW", "JPY", "VND", "IDR", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF"})


def _one_decimal(number: str) -> bool:
    whole, point, frac = number.partition(".")
    return bool(point) and len(frac) == 1


def _english(amount: Decimal, currency: str) -> str:
    sign = "-" if amount < 0 else ""
    magnitude = amount.copy_abs()
    number = grouped(magnitude)
    if currency not in _NO_MINOR_UNIT and _one_decimal(number):
        number += "0"  # `£0.50`, `$3.80`: cents written as money is (exact: a zero added)
    for size, name in _EN_SCALES:
        if magnitude >= size:
            scaled = _ROUNDING.quantize(EXACT.divide(magnitude, size), Decimal("0.01"))
            number = f"{plain(scaled)} {name}"
            break
    if currency in _EN_PREFIX:
        return f"{sign}{_EN_PREFIX[currency]}{number}"
    if currency in _EN_SUFFIX:
        return f"{sign}{number} {_EN_SUFFIX[currency]}"
    return f"{sign}{currency} {number}".strip()


def display_amount(amount: Decimal | int | None, currency: str, lang: str) -> str:
    """The amount as a reader of `lang` would write it; "" when there is no amount."""
    if amount is None:
        return ""
    d = Decimal(amount)
    if not in_range(d):
        return f"{plain(d)} {currency}".strip()
    return _korean(d, currency) if lang == "ko" else _english(d, currency)


def display_range(
    amount: Decimal | int | None,
    amount_max: Decimal | int | None,
    currency: str,
    lang: str,
) -> str:
    """`display_amount`, or `low – high` for a range; "" for a vague amount."""
    low = display_amount(amount, currency, lang)
    if not low or amount_max is None:
        return low
    return f"{low} – {display_amount(amount_max, currency, lang)}"
