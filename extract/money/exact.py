"""Exact arithmetic for money: the limits of what the grammar accepts and the
Decimal context every money stage computes in.

- An amount written with more than `MAX_DIGITS` digits, or worth `MAX_VALUE` or more
  in its currency (10^20: a hundred 경 won, far beyond any budget on Earth), is
  refused: the extractors report it vague with the reason in its rule
  (`en.refused.too_long`, `ko.refused.too_large`), never a rounded value.
- `EXACT` is a Decimal context with ample precision that traps `Inexact`: a
  computation that would round raises instead (the callers turn it into "not a
  number"). Use it with `decimal.localcontext(EXACT)`; the module default context
  (28 digits, silent rounding) is never relied on.
"""

from __future__ import annotations

from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

MAX_DIGITS = 20
MAX_VALUE = Decimal(10) ** 20

EXACT = Context(prec=80, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])


def too_large(*values: Decimal | None) -> bool:
    """True when any value is beyond what the grammar accepts (see MAX_VALUE)."""
    return any(v is not None and abs(v) >= MAX_VALUE for v in values)
