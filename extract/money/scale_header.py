"""Signed table cells under a scaling header: `$1,234` under `(in millions)`.

A cell written with its own currency sign is read by the prose grammar as the sign and
number say (`$1,234` = 1,234 dollars). Under a header that scales the table (`(in
millions)`, `(in thousands, except per share data)`: rules/en/tables.toml
`scale_headers`, or a unit header with a scale, `($ in thousands)`) the reading is
multiplied by the header's scale (`scale_signed_cells`, rule `en.table.scaled`), or
refused where the row's scale is unsure (a per-unit row: `table.refused.per_unit`).
The table grammar itself (unit headers, bare numeric cells) is tables.py.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

import regex

from ..models import MoneyMention
from .exact import EXACT
from .tables import (
    _KO_SENTENCE,
    _PROSE_END,
    _SIGNED_CELL,
    _headers,
    _lines,
    _per_unit_label,
    _table_rules,
)

__all__ = ["scale_signed_cells", "signed_cells"]

_MAX_SIGNED_ROWS = 60
# A value written to the cent (`$38.50`, `$1,234.05`): under a header of thousands or
# millions it is a price or a per-unit figure, or the table's scale is not its own; a
# billions table writes `$1.25` (billion) as a matter of course.
_CENTS = regex.compile(r"\.\d\d\Z")
_CENTS_MAX_SCALE = Decimal(10**6)


def signed_cells(text: str) -> dict[tuple[int, int], Decimal | None]:
    """The cells written with their own currency sign (`$1,234`) in a table under a
    header that scales them: `(in millions)`, `(in thousands, except per share data)`
    (rules/en/tables.toml `scale_headers`) or a unit header with a scale (`($ in
    thousands)`, `(in billion won)`). Keyed by the span of sign and number, the value
    is the factor the sign-and-number reading is to be multiplied by; None where no
    factor is sure: a per-unit row (`Diluted EPS $2.15`, rules `per_unit_rows`) under a
    header that does not except it, and a value to the cent (`Net sales $38.50`) under a
    header of thousands or millions (a price, not millions). Without this, `$1,234`
    under `(in millions)` read as 1,234 dollars. The table ends at a blank line after a
    row or a prose line."""
    rules = _table_rules()
    scales: list[tuple[int, Decimal, bool]] = []  # (header line end, factor, excepts)
    if rules.scale_header is not None and rules.scale_trigger is not None:
        if rules.scale_trigger.search(text):
            for m in rules.scale_header.finditer(text):
                factor = _SCALE_WORDS.get(m.group("scale").lower().rstrip("s"))
                if factor is not None:
                    scales.append((_line_end(text, m.end()), factor, bool(m.group("except"))))
    for f in _headers(text, rules):
        if f.column_unit is None and f.multiplier > 1:
            scales.append((_line_end(text, f.end), f.multiplier, False))
    out: dict[tuple[int, int], Decimal | None] = {}
    for end, factor, excepts in sorted(scales):
        rows = 0
        for start, line in _lines(text, end + 1):
            stripped = line.strip()
            if not stripped:
                if rows:
                    break
                continue
            cells = list(_SIGNED_CELL.finditer(line))
            if _KO_SENTENCE.search(stripped) or _PROSE_END.search(stripped) and not cells:
                break
            rows += 1
            if rows > _MAX_SIGNED_ROWS:
                break
            if not cells:
                continue
            label = line[: cells[0].start()]
            per_unit = rules.per_unit_row is not None and rules.per_unit_row.search(label)
            some_unit = _per_unit_label(label, rules)
            for c in cells:
                span = (start + c.start(), start + c.end())
                if some_unit and not per_unit:
                    out[span] = None  # `Revenue per user $38.50`: never scaled, nor sure
                    continue
                if per_unit:
                    if not excepts:
                        out[span] = None  # `EPS $2.15` under `(in millions)`: which?
                    continue  # excepted: the sign-and-number reading stands
                if factor <= _CENTS_MAX_SCALE and _CENTS.search(c.group("num")):
                    # `Net sales  $38.50` under `(in millions)`: a figure to the cent is a
                    # price or a per-unit figure, not millions: which? Never scaled
                    out[span] = None
                    continue
                out[span] = factor
    return out


def scale_signed_cells(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` (offsets in `text`, the whole document) with each one that is a signed
    table cell under a scaling header (`signed_cells`) multiplied by the header's scale,
    rule `en.table.scaled`, or refused (vague, rule `table.refused.per_unit`) where the
    row's scale is unsure. Other mentions are returned as they are."""
    if not any(m.amount is not None and m.lang == "en" for m in mentions):
        return mentions
    cells = signed_cells(text)
    if not cells:
        return mentions
    from .ko_grammar import clean

    out = []
    for m in mentions:
        span = (m.start, m.end)
        if span in cells and m.amount is not None and m.amount_max is None and not m.vague:
            factor = cells[span]
            if factor is None:
                m = replace(m, amount=None, vague=True, qualifier="", rule="table.refused.per_unit")
            else:
                with localcontext(EXACT):
                    m = replace(m, amount=clean(m.amount * factor), rule="en.table.scaled")
        out.append(m)
    return out


_SCALE_WORDS = {
    "thousand": Decimal(1000),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
    "trillion": Decimal(10**12),
}


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end
