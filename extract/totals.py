"""What a project's total means: the sum of its distinct figures.

Articles repeat amounts: the headline figure comes back in the body, three
outlets report the same budget, a change names the old value before the new
one. Adding every mention would count the same money several times, so the
projects table (`projects` sheet, report) adds up, per project and currency:

- `distinct_total`: every *distinct definite figure* once: an exact or `approx`
  amount counts once however many mentions and documents repeat it;
- not in it: vague amounts (`수백억원`), bounds (`max`/`min` qualifier: `최대
  50억원`, `at least $2 million`) and ranges (`30~50억원`), which are listed in
  `bounds` instead, and the old value of a change (`25억원에서 153억원으로`: only
  153억 counts, and 25억 is left out wherever else it is repeated for the project;
  the pairs are recognised by the linker's `change_between` rules), and a
  decrease written with a minus sign (`△12`, `▽12`, `-12` in a table): the
  record's amount is the figure as written, without its sign, and a cut is no
  allocation: it counts as a mention only;
- `largest`: the largest single figure (often the headline total: an article
  that gives a total and its parts has both among its figures).

What it does not know: which year a figure is for (this year's and next year's
budgets of one project are both figures), and whether one figure is part of
another. Two different grants of exactly the same amount to one project count
once. Read `distinct_total` as "the distinct amounts reported for this project",
not as an audited sum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .fmt import display_amount, display_range, exact_sum, in_range
from .models import EXCHANGE_RATE

NO_PROJECT = "(no project)"
# A decrease in budget tables: the amount is the magnitude, the sign stays in `text`.
NEGATIVE_MARKS = frozenset("△▽-−–")
MAX_BOUNDS_LISTED = 5
MAX_WRITTEN_AS = 10
_CHANGE_WINDOW = 40  # characters between the two amounts of a change, at most


@dataclass
class ProjectTotal:
    """Money attributed to one project in one currency, over all documents."""

    project: str
    currency: str
    figures: set[Decimal] = field(default_factory=set)
    old_figures: set[Decimal] = field(default_factory=set)  # old values of changes
    bounds: dict[str, None] = field(default_factory=dict)  # ordered set of displays
    mentions: int = 0
    superseded: int = 0
    documents: int = 0
    langs: set[str] = field(default_factory=set)
    written_as: dict[str, None] = field(default_factory=dict)  # ordered set

    @property
    def counted(self) -> set[Decimal]:
        """The distinct figures in the total."""
        return self.figures - self.old_figures

    @property
    def distinct_total(self) -> Decimal:
        return exact_sum(self.counted)  # exact; NaN and absurd values left out

    @property
    def largest(self) -> Decimal | None:
        shown = [d for d in self.counted if in_range(d)]
        return max(shown) if shown else None

    @property
    def lang(self) -> str:
        return "ko" if "ko" in self.langs and "en" not in self.langs else "en"

    def row(self) -> dict[str, Any]:
        total, largest, counted = self.distinct_total, self.largest, self.counted
        return {
            "project": self.project,
            "currency": self.currency,
            "distinct_total": total if counted else None,
            "distinct_total_display": display_amount(total, self.currency, self.lang)
            if counted
            else "",
            "figures": len(counted),
            "largest": largest,
            "largest_display": display_amount(largest, self.currency, self.lang),
            "bounds": "; ".join(list(self.bounds)[:MAX_BOUNDS_LISTED])
            + (" ..." if len(self.bounds) > MAX_BOUNDS_LISTED else ""),
            "mentions": self.mentions,
            "documents": self.documents,
            "languages": ", ".join(sorted(self.langs)),
            "written_as": "; ".join(list(self.written_as)[:MAX_WRITTEN_AS]),
        }


PROJECT_COLUMNS = [
    "project",
    "currency",
    "distinct_total",
    "distinct_total_display",
    "figures",
    "largest",
    "largest_display",
    "bounds",
    "mentions",
    "documents",
    "languages",
    "written_as",
]


def superseded(records: list[Any], text: str) -> set[int]:
    """Indices (into `records`, sorted by position) of the old value of a change."""
    from .linking import config

    old: set[int] = set()
    for i in range(len(records) - 1):
        a, b = records[i], records[i + 1]
        if a.start < 0 or b.start < a.end or b.start - a.end > _CHANGE_WINDOW:
            continue
        if a.currency != b.currency:
            continue
        between = text[a.end : b.start]
        lang = a.lang if a.lang in ("ko", "en") else "en"
        if not any(rx.search(between) for rx in config(lang)["change_between_re"]):
            continue
        # `A에서 B로`, `from A to B`: A is old; `A로, 올해 B보다` (new first): B is old.
        old.add(i + 1 if between.lstrip().startswith(("으로", "로")) else i)
    return old


class Totals:
    """Accumulates `ProjectTotal`s one document at a time (memory: one entry per
    project and currency, plus its distinct figures; nothing per document)."""

    def __init__(self) -> None:
        self._totals: dict[tuple[str, str], ProjectTotal] = {}

    def add_document(self, records: Iterable[Any], text: str = "") -> None:
        """`records` (models.Record) of one document, sorted by position."""
        records = list(records)
        old = superseded(records, text) if text else set()
        seen: set[tuple[str, str]] = set()
        for i, r in enumerate(records):
            if r.link_rule == EXCHANGE_RATE:
                continue  # the price of a currency, not an amount of anything
            key = r.project_id or r.project or NO_PROJECT
            entry = self._totals.setdefault((key, r.currency), ProjectTotal(key, r.currency))
            entry.mentions += 1
            if (key, r.currency) not in seen:  # one document at a time: count, not a set
                seen.add((key, r.currency))
                entry.documents += 1
            if r.lang:
                entry.langs.add(r.lang)
            if r.project:
                entry.written_as[r.project] = None
            if r.amount is None or not in_range(r.amount):
                continue  # NaN or absurd values (a damaged store) are mentions only
            if i in old:
                entry.superseded += 1
                entry.old_figures.add(r.amount)
            elif r.text.lstrip()[:1] in NEGATIVE_MARKS:
                continue  # a cut: counted as a mention, never added
            elif r.qualifier in ("max", "min") or r.amount_max is not None:
                shown = display_range(r.amount, r.amount_max, r.currency, entry.lang)
                entry.bounds[f"{r.qualifier} {shown}".strip()] = None
            else:
                entry.figures.add(r.amount)

    def sorted(self) -> list[ProjectTotal]:
        """Named projects first, by currency, then the largest distinct total."""
        return sorted(
            self._totals.values(),
            key=lambda t: (
                t.project == NO_PROJECT,
                t.currency,
                -t.distinct_total,
                -t.mentions,
                t.project,
            ),
        )


def project_totals(documents: Iterable[tuple[Iterable[Any], str]]) -> list[ProjectTotal]:
    """Totals over (records, text) pairs, one per document; see the module docstring."""
    totals = Totals()
    for records, text in documents:
        totals.add_document(records, text)
    return totals.sorted()
