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

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .fmt import EXACT, display_amount, display_range, in_range, plain
from .models import EXCHANGE_RATE

NO_PROJECT = "(no project)"
# A decrease in budget tables: the amount is the magnitude, the sign stays in `text`.
NEGATIVE_MARKS = frozenset("△▽-−–")
MAX_BOUNDS_LISTED = 5
MAX_WRITTEN_AS = 10
_CHANGE_WINDOW = 40  # characters between the two amounts of a change, at most
# Figures waiting to go into the figures table, at most (then one executemany).
_FLUSH_ROWS = 1_000


@dataclass
class ProjectTotal:
    """Money attributed to one project in one currency, over all documents.

    While documents are added it holds only counts and the first few names and
    bounds (`Totals` keeps the distinct figures in SQLite); `Totals.sorted` fills in
    `distinct_total`, `figures` and `largest`."""

    project: str
    currency: str
    distinct_total: Decimal = Decimal(0)  # exact sum of the distinct figures
    figures: int = 0  # how many distinct figures are in distinct_total
    largest: Decimal | None = None
    bounds: dict[str, None] = field(default_factory=dict)  # first bounds shown, in order
    more_bounds: bool = False  # more distinct bounds than `bounds` holds
    mentions: int = 0
    superseded: int = 0
    documents: int = 0
    langs: set[str] = field(default_factory=set)
    written_as: dict[str, None] = field(default_factory=dict)  # first names, in order

    @property
    def lang(self) -> str:
        return "ko" if "ko" in self.langs and "en" not in self.langs else "en"

    def add_bound(self, shown: str) -> None:
        """Note a bound's display; only the first MAX_BOUNDS_LISTED distinct are kept."""
        if shown in self.bounds:
            return
        if len(self.bounds) < MAX_BOUNDS_LISTED:
            self.bounds[shown] = None
        else:
            self.more_bounds = True

    def add_name(self, name: str) -> None:
        """Note a way the project was written; only the first MAX_WRITTEN_AS are kept."""
        if len(self.written_as) < MAX_WRITTEN_AS:
            self.written_as[name] = None

    def row(self) -> dict[str, Any]:
        counted = self.figures > 0
        total, largest = self.distinct_total, self.largest
        return {
            "project": self.project,
            "currency": self.currency,
            "distinct_total": total if counted else None,
            "distinct_total_display": display_amount(total, self.currency, self.lang)
            if counted
            else "",
            "figures": self.figures,
            "largest": largest,
            "largest_display": display_amount(largest, self.currency, self.lang),
            "bounds": "; ".join(self.bounds) + (" ..." if self.more_bounds else ""),
            "mentions": self.mentions,
            "documents": self.documents,
            "languages": ", ".join(sorted(self.langs)),
            "written_as": "; ".join(self.written_as),
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
        # `A에서 B로`, `from A to B`: A is old; `A로, 올해 B보다`, `A, up from B` (new
        # first, rules/<lang>/link.toml change_new_first): B is old.
        new_first = between.lstrip().startswith(("으로", "로")) or any(
            rx.search(between) for rx in config(lang).get("change_new_first_re", ())
        )
        old.add(i + 1 if new_first else i)
    return old


class Totals:
    """Accumulates `ProjectTotal`s one document at a time.

    Memory: one small entry per project and currency (counts, languages, the first
    few names and bounds); the distinct figures, which grow with the corpus, go to
    a private temporary SQLite database on disk (deleted when closed), whose
    `sorted` adds them up exactly (Decimal, from the exact digits; never a float).
    Use as a context manager, or call `close`."""

    def __init__(self) -> None:
        self._totals: dict[tuple[str, str], ProjectTotal] = {}
        self._ids: dict[tuple[str, str], int] = {}
        self._pending: list[tuple[int, str, int]] = []
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            # "": a temporary database in a file of its own, removed on close; its page
            # cache stays at sqlite's default (2 MB), whatever the number of figures.
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.execute(
                "CREATE TABLE figures (grp INTEGER NOT NULL, amount TEXT NOT NULL, "
                "old INTEGER NOT NULL, PRIMARY KEY (grp, amount, old)) WITHOUT ROWID"
            )
        return self._db

    def _flush(self) -> None:
        if self._pending:
            conn = self._conn()
            conn.execute("BEGIN")
            conn.executemany("INSERT OR IGNORE INTO figures VALUES (?, ?, ?)", self._pending)
            conn.execute("COMMIT")
            self._pending.clear()

    def _figure(self, key: tuple[str, str], amount: Decimal, old: bool) -> None:
        # plain() is one string per value (1.50 and 1.5 both `1.5`), so distinct
        # strings are distinct numbers.
        grp = self._ids.setdefault(key, len(self._ids))
        self._pending.append((grp, plain(amount), int(old)))
        if len(self._pending) >= _FLUSH_ROWS:
            self._flush()

    def add_document(self, records: Iterable[Any], text: str = "") -> None:
        """`records` (models.Record) of one document, sorted by position."""
        records = list(records)
        old = superseded(records, text) if text else set()
        seen: set[tuple[str, str]] = set()
        for i, r in enumerate(records):
            if r.link_rule == EXCHANGE_RATE:
                continue  # the price of a currency, not an amount of anything
            key = (r.project_id or r.project or NO_PROJECT, r.currency)
            entry = self._totals.get(key)
            if entry is None:
                entry = self._totals[key] = ProjectTotal(*key)
            entry.mentions += 1
            if key not in seen:  # one document at a time: count, not a set
                seen.add(key)
                entry.documents += 1
            if r.lang:
                entry.langs.add(r.lang)
            if r.project:
                entry.add_name(r.project)
            if r.amount is None or not in_range(r.amount):
                continue  # NaN or absurd values (a damaged store) are mentions only
            if i in old:
                entry.superseded += 1
                self._figure(key, r.amount, old=True)
            elif r.text.lstrip()[:1] in NEGATIVE_MARKS:
                continue  # a cut: counted as a mention, never added
            elif r.qualifier in ("max", "min") or r.amount_max is not None:
                shown = display_range(r.amount, r.amount_max, r.currency, entry.lang)
                entry.add_bound(f"{r.qualifier} {shown}".strip())
            else:
                self._figure(key, r.amount, old=False)

    def _counted(self) -> Iterator[tuple[int, Decimal]]:
        """(group, figure) for every distinct figure that is not the old value of a
        change anywhere in its group, by group."""
        self._flush()
        if self._db is None:
            return
        yield from (
            (grp, Decimal(amount))
            for grp, amount in self._db.execute(
                "SELECT grp, amount FROM figures AS f WHERE old = 0 AND NOT EXISTS "
                "(SELECT 1 FROM figures AS g WHERE g.grp = f.grp AND g.amount = f.amount "
                "AND g.old = 1) ORDER BY grp"
            )
        )

    def sorted(self) -> list[ProjectTotal]:
        """Named projects first, by currency, then the largest distinct total (the
        totals filled in from the figures added so far)."""
        by_id = {grp: self._totals[key] for key, grp in self._ids.items()}
        for entry in self._totals.values():
            entry.distinct_total, entry.figures, entry.largest = Decimal(0), 0, None
        for grp, amount in self._counted():
            entry = by_id[grp]
            entry.distinct_total = EXACT.add(entry.distinct_total, amount)
            entry.figures += 1
            if entry.largest is None or amount > entry.largest:
                entry.largest = amount
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

    def close(self) -> None:
        """Drop the figures table (its file goes with it)."""
        self._pending.clear()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Totals:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def project_totals(documents: Iterable[tuple[Iterable[Any], str]]) -> list[ProjectTotal]:
    """Totals over (records, text) pairs, one per document; see the module docstring."""
    with Totals() as totals:
        for records, text in documents:
            totals.add_document(records, text)
        return totals.sorted()
