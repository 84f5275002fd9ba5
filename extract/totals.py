"""What a project's total means: the sum of its distinct figures.

Articles repeat amounts: the headline figure comes back in the body, three
outlets report the same budget, a change names the old value before the new
one. Adding every mention would count the same money several times, so the
projects table (`projects` sheet, report) adds up, per project and currency:

- `distinct_total`: every *distinct definite figure* once: an exact or `approx`
  amount counts once however many mentions and documents repeat it;
- not in it: vague amounts (`수백억원`: a mention only), bounds (`max`/`min`
  qualifier: `최대 50억원`, `at least $2 million`) and ranges (`30~50억원`), which are
  listed in `bounds` instead, and the old value of a change (`25억원에서 153억원으로`: only
  153억 counts, and 25억 is left out wherever else it is repeated for the project;
  the pairs are recognised by the linker's `change_between` rules), and a
  decrease written with a minus sign (`△12`, `▽12`, `-12` in a table): the
  record's amount is the figure as written, without its sign, and a cut is no
  allocation: it counts as a mention only;
- not in it either (since 2026-11-30), though each stays a mention: the size of a
  change (`rose to $90 million, an increase of $15 million`, `지난해보다 50억원 늘어난
  350억원`: only the level counts; a `증감`/`Change` column of a table), and the parts
  of a table row beside its total column (`| 구분 | 국비 | 도비 | 합계 |`: the 합계 counts,
  국비 and 도비 are in it). The words are data in rules/<lang>/totals.toml; where they do
  not match, the amount stays a figure (the old behaviour);
- not in it either (since 2026-11-30), though it stays a mention of its program: an
  amount per person or unit (`Households will get $500 each`, `가구당 30만원`, `1인당
  20만원씩`; rules/<lang>/totals.toml `[per_unit]`): a share of the program's money, not
  a figure of its size (the $500 of a $12 million program is not $12,000,500);
- not in it either (since 2026-11-30), though it stays a mention and shares its twin's
  project: an amount in brackets right after an amount in another currency, holding
  only the amount (`NZ$400 million ($240 million)`): the same money converted, which
  counted was a second total of it (`conversions`); nor an old value a cue names however
  far back the new one stands in the sentence (`$40 million is budgeted for the port, up
  from 2025 $35 million`: rules/<lang>/totals.toml `[old_value]`, `old_values`); a sign
  kept in a prose amount's `text` (`△12조`, `-$3.2 million`, `마이너스 30억원`,
  extract/money/signs.py) makes it a cut as in a table;
- not in it either (since 2026-12-01, totals12), though each stays a mention: an
  amount in a bracket right after an amount of its currency (`1조원(국비 6,000억원,
  지방비 4,000억원)`: parts; `$5 million ($4.5 million in 2025)`: old; `12억원(총사업비
  146억원)`: UNSURE, another measure of the money), the earlier year's amount where a
  sentence gives two years (`2024년 7,000억원, 2025년 8,000억원`: 8,000억 counts), an
  old value written before the level (`Up 3.0% from $11.65 million, ... now $12
  million`, `당초 1,500억원보다 늘었다`): rules/<lang>/totals.toml `[old_value]`, `[part]`;
- not in it either (since 2026-12-01, totals13), though each stays a mention: the other
  amounts of a list sharing a change verb (`cut by $2 million and $1 million
  respectively`, `각각 200억원과 100억원 줄었다`), the size of a change after a verb without
  `by` (`state aid fell $2 million`), money not received (`lost out on a $15 million
  grant`, `탈락한 50억원`: NOT_RECEIVED), an amount written as included in another of its
  sentence and project (`50억원을 포함해 총 100억원`: PART), a per-unit amount with a money
  noun between (`가구당 보조금 50만원`), a table cell under a column spending the budget
  column's money (`| Approved | Paid |`, `| 예산액 | 집행액 |`: SPENT), and an addition
  (`an extra $5 million`, `추가로 50억원을 투입`) where the document names a level of its
  project (with none, the addition is the project's only figure and counts); since fix14,
  money asked for beside another figure of its project (`requested $280 million`,
  `요청한 280억원 가운데 ... 90억원만 반영`: NOT_RECEIVED; alone, it counts), an addition word
  after the amount (`3억 달러를 추가로 공여`) and `X별로 N원` after a countable unit (`도시별로
  약 400억원`: PER_UNIT);
- `(no project)` rows: no `distinct_total` (their amounts are unrelated; a note says so);
- `largest`: the largest single figure (often the headline total: an article
  that gives a total and its parts has both among its figures).

Rows are keyed by project (`project_id`, else the name) per document after the alias step
(extract/aliases.py, names14): names of one document equal up to case, spacing or a leading
article, and a name that is the end of exactly one longer name of it (`Transit Pass Program`
of `Green Transit Pass Program`, `육성사업` of `스마트농업육성사업`), are one project, and the
roles above read them as one (a running total's parts under either spelling). Across
documents, names equal up to case, spacing or a leading article are one row, shown as the
first document wrote it (a shorter name is joined only within its own document). The records
keep their names; `written_as` lists the spellings and `note` what the step did.

What it does not know: which year a figure is for when the years stand in
different sentences (this year's and next year's budgets of one project are then
both figures), and whether one figure is part of another outside a bracket, a
table or a written sum. Two different grants of exactly the same amount to one project count
once. Read `distinct_total` as "the distinct amounts reported for this project",
not as an audited sum.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import regex

from .aliases import Grouping, project_groups, spelling_key
from .fmt import EXACT, display_amount, display_range, in_range, plain
from .models import NO_PROJECT_RULES
from .rules import load_rule_file, rule_files, rules_dir
from .totals_cross import additions_more, cross_roles, definite, per_unit_more, separate_money

NO_PROJECT = "(no project)"
NO_PROJECT_NOTE = "amounts of no project are not added up"
# A decrease in budget tables: the amount is the magnitude, the sign stays in `text`.
NEGATIVE_MARKS = frozenset("△▽-−–")
# An accounting bracket around a bare table figure, `(200)`, is a negative too.
_ACCOUNTING_NEGATIVE = regex.compile(r"^\(\s*[\d][\d,.\s]*\)$")


def written_negative(text: str) -> bool:
    """Whether a record's `text` is written as a negative: a leading minus or `△`/`▽`
    (`△12`, `-1,250`), or an accounting bracket around a bare figure (`(200)`). Its
    `amount` is the magnitude; a total never adds it."""
    text = text.strip()
    return text[:1] in NEGATIVE_MARKS or bool(_ACCOUNTING_NEGATIVE.match(text)) or _prose_sign(text)


def _prose_sign(text: str) -> bool:
    """A sign word or a bracketed sign the prose rules keep in `text` (`마이너스 30억원`,
    `(-)15억원`: rules/*/signs.toml, extract/money/signs.py; since 2026-11-30)."""
    from .money.signs import written_with_sign

    return written_with_sign(text)


MAX_BOUNDS_LISTED = 5
MAX_WRITTEN_AS = 10
MAX_NOTES = 5
_CHANGE_WINDOW = 40  # characters between the two amounts of a change, at most
_OBJECT_WINDOW = 120  # ... with an object between (`[old_value]`: `for the library, up from`)
# Figures waiting to go into the figures table, at most (then one executemany).
_FLUSH_ROWS = 1_000


def _capped_add(kept: dict[str, None], item: str, cap: int) -> bool:
    """Add `item` to the insertion-ordered set `kept` unless it already holds `cap`
    items; False only when a new item did not fit."""
    if item not in kept:
        if len(kept) >= cap:
            return False
        kept[item] = None
    return True


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
    # first notes of the alias step (extract/aliases.py), in order: a name counted here as
    # the end of this project's name, or kept apart as the end of two names
    notes: dict[str, None] = field(default_factory=dict)
    more_notes: bool = False

    @property
    def lang(self) -> str:
        return "ko" if "ko" in self.langs and "en" not in self.langs else "en"

    def add_bound(self, shown: str) -> None:
        """Note a bound's display; only the first MAX_BOUNDS_LISTED distinct are kept."""
        if not _capped_add(self.bounds, shown, MAX_BOUNDS_LISTED):
            self.more_bounds = True

    def add_name(self, name: str) -> None:
        """Note a way the project was written; only the first MAX_WRITTEN_AS are kept."""
        if len(self.written_as) < MAX_WRITTEN_AS:
            self.written_as[name] = None

    def add_note(self, note: str) -> None:
        """Note what the alias step did here; only the first MAX_NOTES distinct are kept."""
        if not _capped_add(self.notes, note, MAX_NOTES):
            self.more_notes = True

    def row(self) -> dict[str, Any]:
        # the `(no project)` rows' figures belong to nothing in common (a weekly price and
        # a daily one): their sum means nothing, so no total is shown; the figures, the
        # largest and the mentions stay (fix14)
        alone = self.project == NO_PROJECT
        counted = self.figures > 0 and not alone
        total, largest = self.distinct_total, self.largest
        notes = "; ".join(self.notes) + (" ..." if self.more_notes else "")
        if alone and self.figures:
            notes = "; ".join(n for n in (NO_PROJECT_NOTE, notes) if n)
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
            "note": notes,
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
    "note",
]


# What `figure_roles` says of a record (the projects table counts only FIGURE).
FIGURE = "figure"  # a distinct definite figure of its project
OLD = "old"  # the old value of a change (`25억원에서 153억원으로`: 25억)
CUT = "cut"  # a decrease written with a minus sign (`△12`)
BOUND = "bound"  # a bound or a range (`최대 50억원`, `30~50억원`), listed apart
CHANGE = "change"  # the size of a change (`an increase of $15 million`, `50억원 늘어난`)
PART = "part"  # a table row's part beside its total column (`국비` under `| 국비 | 합계 |`)
PER_UNIT = "per_unit"  # an amount per person or unit (`$500 each`, `가구당 30만원`)
# the same money converted, in brackets after it (`NZ$400 million ($240 million)`)
CONVERSION = "conversion"
# an amount the grammar cannot place: in a bracket after an amount of the currency, neither
# its parts nor another year's (`12억원(총사업비 146억원)`: another measure of the money)
UNSURE = "unsure"
# money the project did not get: a grant lost or denied, a lost lawsuit, a bid that failed
# (`lost out on a $15 million grant`, `신청했으나 탈락한 50억원`; totals13)
NOT_RECEIVED = "not_received"
# a table row's amount spent or paid beside the budget it spends (`| Approved | Paid |`,
# `| 예산액 | 집행액 |`): the same money measured twice; the budget column counts (totals13)
SPENT = "spent"
NOT_MONEY_OF = "none"  # an exchange rate or a count rate's base: adds to nothing
SKIP = "skip"  # no usable amount (vague, NaN, absurd): a mention only

_WINDOW = 160  # characters before an amount that the change rules look at
_MAX_HEADER_UP = 40  # lines above a table row searched for its header row


@dataclass(frozen=True)
class _TotalRules:
    before: dict[str, regex.Pattern]  # by language: the text right before an amount
    after: dict[str, regex.Pattern]  # by language: matched at the text right after it
    # by language: (before, after) pairs that both must match (`added |$4 million| to the
    # program, bringing it to`)
    both: dict[str, list[tuple[regex.Pattern, regex.Pattern]]]
    per_unit_before: dict[str, regex.Pattern]  # by language: `가구당 |30만원`, `each will get |`
    per_unit_after: dict[str, regex.Pattern]  # by language: `$500| each`, `30만원|씩`
    total_columns: frozenset[str]  # normalised header cells (`_header_key`)
    change_columns: frozenset[str]
    # a column title naming an amount per unit (`세대당 지원금`, `단가`, `Per-pupil
    # funding`, `Unit cost`): its cells are per unit (`[per_unit] columns`, searched)
    per_unit_column: regex.Pattern | None = None
    # `[old_value]` by key (one per shape, `_OLD_SHAPES`), then by language
    old_value: dict[str, dict[str, regex.Pattern]] = field(default_factory=dict)
    # by language: the text before an accountant's bracket around a prose amount that makes
    # it a loss (`a loss of |($4.5 million)`: `[cut] bracket_before`)
    cut_bracket_before: dict[str, regex.Pattern] | None = None
    # by language: a funder's name right before / after an amount in a bracket that breaks
    # down the amount before it (`1조원(국비 |6,000억원`: `[part] funder_before`, `funder_after`)
    funder_before: dict[str, regex.Pattern] = field(default_factory=dict)
    funder_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: a total word right before / after the total of a plan's yearly amounts
    # (`등 총 |1조 1,000억원`, `|$15 million| in total`: `[part] total_before`, `total_after`)
    total_before: dict[str, regex.Pattern] = field(default_factory=dict)
    total_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: an addition word right before / after an amount in a bracket after an
    # amount (`(plus |$1 million`, `(부대사업 20억원| 별도)`: `[part] extra_before`,
    # `extra_after`), unless `extra_unless` is in the rest of the bracket (`포함`)
    extra_before: dict[str, regex.Pattern] = field(default_factory=dict)
    extra_after: dict[str, regex.Pattern] = field(default_factory=dict)
    extra_unless: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: an addition to a level (`an extra |$5 million`, `a £5m| boost`, `추가로
    # |50억원`, `50억원|을 더 투입`: `[change_amount] addition_before`, `addition_after`): a
    # change where the document names a level of the project, else a figure (totals13)
    addition_before: dict[str, regex.Pattern] = field(default_factory=dict)
    addition_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: money not received (`lost out on a |$15 million`, `탈락한 |50억원`:
    # `[not_received] before`, `after`)
    not_received_before: dict[str, regex.Pattern] = field(default_factory=dict)
    not_received_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: money asked for (`had requested |$280 million`, `시가 요청한 |280억원`:
    # `[not_received] requested_before`, `requested_after`): not received where the document
    # names another figure of the project (the money given), else its only figure (fix14)
    requested_before: dict[str, regex.Pattern] = field(default_factory=dict)
    requested_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: what right after an amount says a change verb before it puts money in
    # (`dropped |$5 million| into the project`: `[change_amount] unless_after`, fix13);
    # a `both` pair still makes it a change (`put another C$1.1 billion into …, bringing`)
    change_unless_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # by language: an amount written as included in another amount of its sentence
    # (`including |$5 million`, `50억원|을 포함해 총 100억원`: `[part] included_before`,
    # `included_after`)
    included_before: dict[str, regex.Pattern] = field(default_factory=dict)
    included_after: dict[str, regex.Pattern] = field(default_factory=dict)
    # a table's budget column and the columns spending the same money (`[table]
    # budget_columns`, `spent_columns`, searched in a header cell's `_header_key`)
    budget_column: regex.Pattern | None = None
    spent_column: regex.Pattern | None = None


def _header_key(cell: str) -> str:
    """`합계 (A+B)*` -> `합계(a+b)`: case, spaces, `*` marks and full-width signs ignored."""
    return regex.sub(r"[\s*※]+", "", cell).replace("－", "-").replace("＋", "+").lower()


# `_TotalRules` field -> (rules/<lang>/totals.toml section, key in it) (totals13)
_MORE_KEYS = {
    "addition_before": ("change_amount", "addition_before"),
    "addition_after": ("change_amount", "addition_after"),
    "not_received_before": ("not_received", "before"),
    "change_unless_after": ("change_amount", "unless_after"),
    "not_received_after": ("not_received", "after"),
    "requested_before": ("not_received", "requested_before"),
    "requested_after": ("not_received", "requested_after"),
    "included_before": ("part", "included_before"),
    "included_after": ("part", "included_after"),
}


@lru_cache(maxsize=4)
def _rules(folder: str) -> _TotalRules:
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    both: dict[str, list[tuple[str, str]]] = {}
    unit_before: dict[str, list[str]] = {}
    unit_after: dict[str, list[str]] = {}
    old_value: dict[str, dict[str, list[str]]] = {}
    totals: set[str] = set()
    changes: set[str] = set()
    unit_columns: list[str] = []
    cut_bracket: dict[str, list[str]] = {}
    funder_before: dict[str, list[str]] = {}
    funder_after: dict[str, list[str]] = {}
    total_before: dict[str, list[str]] = {}
    total_after: dict[str, list[str]] = {}
    extra: dict[str, dict[str, list[str]]] = {"before": {}, "after": {}, "unless": {}}
    more: dict[str, dict[str, list[str]]] = {k: {} for k in _MORE_KEYS}
    budget_columns: list[str] = []
    spent_columns: list[str] = []
    for path in rule_files("totals"):
        data = load_rule_file(path)
        lang = data["meta"].get("lang", "")
        change = data.get("change_amount", {})
        before.setdefault(lang, []).extend(change.get("before", []))
        after.setdefault(lang, []).extend(change.get("after", []))
        both.setdefault(lang, []).extend(
            (pair["before"], pair["after"]) for pair in change.get("both", [])
        )
        per_unit = data.get("per_unit", {})
        unit_before.setdefault(lang, []).extend(per_unit.get("before", []))
        unit_after.setdefault(lang, []).extend(per_unit.get("after", []))
        for key, patterns in data.get("old_value", {}).items():
            old_value.setdefault(key, {}).setdefault(lang, []).extend(patterns)
        cut_bracket.setdefault(lang, []).extend(data.get("cut", {}).get("bracket_before", []))
        funder_before.setdefault(lang, []).extend(data.get("part", {}).get("funder_before", []))
        funder_after.setdefault(lang, []).extend(data.get("part", {}).get("funder_after", []))
        total_before.setdefault(lang, []).extend(data.get("part", {}).get("total_before", []))
        total_after.setdefault(lang, []).extend(data.get("part", {}).get("total_after", []))
        for key, by_lang in extra.items():
            by_lang.setdefault(lang, []).extend(data.get("part", {}).get(f"extra_{key}", []))
        unit_columns.extend(per_unit.get("columns", []))
        for key, by_lang in more.items():
            # (section, key in it): `[change_amount] addition_before`, `[not_received]
            # before`, `[part] included_after`
            section, name = _MORE_KEYS[key]
            by_lang.setdefault(lang, []).extend(data.get(section, {}).get(name, []))
        table = data.get("table", {})
        budget_columns.extend(table.get("budget_columns", []))
        spent_columns.extend(table.get("spent_columns", []))
        totals.update(_header_key(w) for w in table.get("total_columns", []))
        changes.update(_header_key(w) for w in table.get("change_columns", []))
    flags = regex.IGNORECASE | regex.VERSION1

    def one(patterns: list[str]) -> regex.Pattern:
        return regex.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", flags)

    return _TotalRules(
        before={lang: one(p) for lang, p in before.items()},
        after={lang: one(p) for lang, p in after.items()},
        both={lang: [(one([b]), one([a])) for b, a in pairs] for lang, pairs in both.items()},
        per_unit_before={lang: one(p) for lang, p in unit_before.items()},
        per_unit_after={lang: one(p) for lang, p in unit_after.items()},
        total_columns=frozenset(totals),
        change_columns=frozenset(changes),
        per_unit_column=one(unit_columns) if unit_columns else None,
        cut_bracket_before={lang: one(p) for lang, p in cut_bracket.items() if p},
        funder_before={lang: one(p) for lang, p in funder_before.items() if p},
        funder_after={lang: one(p) for lang, p in funder_after.items() if p},
        total_before={lang: one(p) for lang, p in total_before.items() if p},
        total_after={lang: one(p) for lang, p in total_after.items() if p},
        extra_before={lang: one(p) for lang, p in extra["before"].items() if p},
        extra_after={lang: one(p) for lang, p in extra["after"].items() if p},
        extra_unless={lang: one(p) for lang, p in extra["unless"].items() if p},
        old_value={
            key: {lang: one(p) for lang, p in by_lang.items() if p}
            for key, by_lang in old_value.items()
        },
        **{
            key: {lang: one(p) for lang, p in by_lang.items() if p} for key, by_lang in more.items()
        },
        budget_column=one(budget_columns) if budget_columns else None,
        spent_column=one(spent_columns) if spent_columns else None,
    )


def total_rules() -> _TotalRules:
    """The compiled rules/*/totals.toml (cached per rules folder)."""
    return _rules(str(rules_dir()))


def change_amounts(
    records: list[Any], text: str, columns: dict[int, str] | None = None
) -> set[int]:
    """Indices of the records that are the size of a change, not a level: `an increase
    of $15 million`, `up $2 million`, `a $4 million increase`, `50억원 늘어난`, `증액분
    50억원` (rules/<lang>/totals.toml `[change_amount]`), the other amounts of a list
    sharing the change's verb (`cut by $2 million and $1 million respectively`, `각각
    200억원과 100억원 줄었다`), an addition where the document names a level of its project
    (`an extra $5 million`, `추가로 50억원을 투입`), and the cells of a table's change column
    (`증감`, `Change`; `columns`, by default `_table_columns` of the records). `records`
    have `start`, `end`, `lang`, offsets in `text`."""
    rules = total_rules()
    if columns is None:
        columns = _table_columns(records, text, rules)
    return _cues(records, text, rules, columns).changes


def per_unit_amounts(records: list[Any], text: str) -> set[int]:
    """Indices of the records that are an amount per person or unit: `가구당 평균
    30만원`, `1인당 20만원씩`, `Households will get $500 each`, `$300 per student`
    (rules/<lang>/totals.toml `[per_unit]`; a time unit, `$5 million a year`, is not
    one). `records` have `start`, `end`, `lang`, offsets in `text`."""
    rules = total_rules()
    return _matching(records, text, rules.per_unit_before, rules.per_unit_after)


@dataclass
class _Cues:
    """What the words around each amount say (one pass over the records, `_cues`)."""

    changes: set[int]
    per_unit: set[int]
    not_received: set[int]
    included: set[int]  # written as included in another amount of its sentence: parts


def _cues(records: list[Any], text: str, rules: _TotalRules, columns: dict[int, str]) -> _Cues:
    """The changes, per-unit amounts, money not received and included amounts of one
    document: every prose pattern group matched in one pass (`_match_groups`), then the
    lists sharing a verb (`_spread`), the additions that have a level of their project
    (`_additions`) and the included amounts that have their total in the sentence."""
    changed, per_unit, lost, asked, added, included, put_in, paired = _match_groups(
        records,
        text,
        [
            (rules.before, rules.after, rules.both),
            (rules.per_unit_before, rules.per_unit_after, None),
            (rules.not_received_before, rules.not_received_after, None),
            (rules.requested_before, rules.requested_after, None),
            (rules.addition_before, rules.addition_after, None),
            (rules.included_before, rules.included_after, None),
            ({}, rules.change_unless_after, None),
            ({}, {}, rules.both),
        ],
    )
    changed -= put_in - paired
    changes = {i for i, role in columns.items() if role == CHANGE} | changed
    added |= additions_more(records, text)  # `add |$3 million`, `a supplementary estimate of`
    changes |= _spread(records, text, changed, each=True)
    included = _spread(records, text, included, objects=True)
    included = {
        i for i in included if _total_beside(records, text, i, included | changes | per_unit)
    }
    included |= {
        i
        for i in range(1, len(records))
        if records[i - 1].currency == records[i].currency
        and _project_key(records[i - 1]) == _project_key(records[i])
        and 0 <= records[i].start - records[i - 1].end <= _CUE_WINDOW
        and _OF_THAT.fullmatch(text, records[i - 1].end, records[i].start)
        and i - 1 not in changes | per_unit
    }
    lost = _spread(records, text, lost)  # `국비 30억원과 도비 20억원을 받지 못했다` (fix13)
    added = _spread(records, text, added) - changes - included - lost
    changes |= _additions(records, text, added, changes | per_unit | included)
    # money asked for beside the money given (`requested $280 million ... approved $90
    # million`, `요청한 280억원 가운데 ... 90억원만 반영`): not received; alone, it is the
    # project's only figure and counts, as an addition does (fix14)
    asked = _spread(records, text, asked) - changes - included - lost - per_unit
    lost |= _levelled(records, asked, changes | per_unit | included | lost | added)
    return _Cues(changes, per_unit, lost, included)


# `from` + a time (`from last year`, `from a year earlier`) or a source (`from the state`,
# `from a federal grant`) names no object cut from: `fell $2 million from last year and $10
# million from the state was approved` is no list of cuts (fix13, tester29 m03 p01 e10 r09)
_NO_CUT_FROM = (
    r"(?!(?:(?:the|a|an|this|that|last|previous|prior)\s+)?(?:(?:last|previous|prior|same|"
    r"fiscal|financial|calendar)\s+)?(?:year|years|month|quarter|week|period|budget\s+year)\b"
    r"|a\s+year\s+(?:earlier|ago|before)|(?:19|20)\d\d\b|fy\s*\d"
    r"|(?:(?:the|a|an)\s+)?(?:(?:federal|state|city|county|national|central|provincial|"
    r"regional|local|municipal|private|government|lottery)(?:\s+(?:government|grants?|"
    r"loans?|funds?|funding|aid|money|bonds?|coffers|treasury))?|grants?|loans?|bonds?|"
    r"donors?|investors?|donations?|the\s+government|taxpayers)\b(?!['’]s|-))"
)
# Between two amounts of a list (`$2 million and $1 million`, `200억원, 100억원`, `국비
# 200억원과 시비 100억원`): English `and`/`or`/a comma; Korean `과`/`와`/`및`/a comma and at
# most one label (not a compared amount's `보다`, `대비`, `에서`)
_LIST_JOIN = {
    # each amount may name what it is cut from (`cut $2 million from parks and $1 million
    # from libraries`)
    "en": regex.compile(
        r"(?:\s+from\s+" + _NO_CUT_FROM + r"[^\d$€£¥₩,.;:()\n]{1,40}?)?"
        r"(?P<comma>\s*,)?\s*(?P<and>(?:and|or)\s+)?"
        r"(?:(?:about|around|roughly|nearly|some|approximately)\s+)?",
        regex.IGNORECASE,
    ),
    # a list after `including`, each amount with its object (`including $5 million for
    # docks and $3 million for roads`)
    "en_objects": regex.compile(
        r"(?:\s+(?:for|on|to|toward|towards|in|from)\s+[^\d$€£¥₩,.;:()\n]{1,40}?)?"
        r"(?P<comma>\s*,)?\s*(?P<and>(?:and|or)\s+)?"
        r"(?:(?:about|around|roughly|nearly|some|approximately)\s+)?",
        regex.IGNORECASE,
    ),
    # (a label is no time word, `지난해 280억원`, nor a compared level, `전년비`, `전년보다는`:
    # fix13, tester29 r08 q01 q02 q04)
    "ko": regex.compile(
        r"\s*(?:이|가)?\s*(?:,|과|와|및|그리고)\s*"
        r"(?:(?![가-힣·]*(?:보다|대비|에서|으로|로|에게|에|을|를)(?:는|도)?\s)"
        r"(?!(?:올해|금년|지난해|작년|전년|전년도|내년|당초|기존|(?:전년|작년|전월|전기)비)"
        r"(?:에|에는|은|는|도)?\s)"
        r"(?P<label>[가-힣·]{1,8})\s*(?P<particle>이|가|은|는|도)?\s+)?"
        r"(?:약\s*)?"
    ),
}
# a Korean list sharing a change verb after it names each amount's own item: `각각` before
# the list, or a subject of its own before every amount (`국비가 8억원, 시비가 4억원 늘었다`);
# else (`올해 300억원, 지난해 280억원, 20억원 증가`, `300억원, 전년비 20억원 줄었다`) only the
# amount before the verb is a change (fix13, tester29 r08 q04)
_KO_EACH = regex.compile(r"(?:각각|각기|저마다)\s*(?:[가-힣·]{1,8}\s+)?$")
_KO_SUBJECT = regex.compile(r"[가-힣·]{1,8}(?:이|가)\s*$")
# after the last amount of an English list sharing the verb before its first: its end, or
# what the change is measured from (`down $2 million and $1 million from 2025`)
# (a `from …` object must end the clause: `and $10 million from the state was approved` is
# a subject going on with its own verb; fix13, tester29)
_LIST_END = regex.compile(
    r"\s*,?\s*respectively\b|\s*(?:[.;:)]|,|$)"
    r"|\s+from\s+" + _NO_CUT_FROM + r"[^.;:()\n,]{1,40}?\s*(?:[.;:)]|,|$)"
    r"|\s+from\s+(?:(?:19|20)\d\d|last\s+year|a\s+year\s+(?:earlier|ago))\b"
    r"|\s+(?:over|compared|versus|vs\.?|against|on\s+(?:the\s+)?(?:year|last|previous))\b",
    regex.IGNORECASE,
)
_RESPECTIVELY = regex.compile(r"\s*,?\s*respectively\b", regex.IGNORECASE)


def _joined(records: list[Any], text: str, i: int, objects: bool = False) -> regex.Match | None:
    """The join between record `i` and the next (one currency, one language), if any;
    with `objects`, an English amount's object may stand before the join."""
    a, b = records[i], records[i + 1]
    if a.currency != b.currency or a.lang != b.lang or a.end < 0 or b.start < a.end:
        return None
    rx = _LIST_JOIN["ko" if a.lang == "ko" else "en_objects" if objects else "en"]
    m = rx.fullmatch(text, a.end, b.start)
    if m is None or (a.lang != "ko" and not (m.group("comma") or m.group("and"))):
        return None
    return m


def _ko_each(records: list[Any], text: str, chain: list[int]) -> bool:
    """Whether a Korean list (record indices, in order) names each amount's own item:
    `각각` right before its first amount, or a subject before each (`국비가 8억원, 시비가`)."""
    first = records[chain[0]]
    before = text[max(0, first.start - 40) : first.start]
    if _KO_EACH.search(before):
        return True
    if not _KO_SUBJECT.search(before):
        return False
    for j in chain[:-1]:
        m = _joined(records, text, j)
        if m is None or m.group("particle") not in ("이", "가"):
            return False
    return True


def _spread(
    records: list[Any], text: str, seeds: set[int], objects: bool = False, each: bool = False
) -> set[int]:
    """`seeds` and the other amounts of a list sharing a seed's verb (totals13): English
    writes the verb before the list (`were cut by $2 million and $1 million
    respectively`, `down $2 million and $1 million`): the amounts after a seed, when the
    list ends in `respectively` or its last amount is joined by `and`/`or` and ends its
    clause; Korean after it (`국비와 시비가 각각 200억원과 100억원 줄었다`): the amounts
    before a seed. With `objects` (a list after `including`), an English list's amounts may
    each have an object (`for docks`) and every amount joined after a seed is taken."""
    out = set(seeds)
    for i in sorted(seeds):
        r = records[i]
        if r.lang == "ko":
            j, chain = i, [i]
            while j > 0 and j - 1 not in out and _joined(records, text, j - 1):
                j -= 1
                chain.insert(0, j)
            if len(chain) > 1 and (not each or _ko_each(records, text, chain)):
                out.update(chain)
            continue
        chain, last_and = [], False
        j = i
        while j + 1 < len(records) and (m := _joined(records, text, j, objects)):
            j += 1
            chain.append(j)
            last_and = bool(m.group("and"))
        if objects:
            out.update(chain)
            continue
        while chain:
            end = records[chain[-1]].end
            if _RESPECTIVELY.match(text, end) or (last_and and _LIST_END.match(text, end)):
                out.update(chain)
                break
            chain.pop()
            last_and = bool(chain) and bool(_joined(records, text, chain[-1] - 1).group("and"))
    return out


def _project_key(record: Any) -> str:
    """The key a project total groups a record under (`Totals.add_document`), or ""."""
    return getattr(record, "project_id", "") or getattr(record, "project", "") or ""


def _total_beside(records: list[Any], text: str, i: int, excluded: set[int]) -> bool:
    """Whether an amount written as included (`including |$5 million`, `50억원|을 포함해`)
    has the amount it is in beside it: another amount of its currency and of its project's
    total (the same project, or both none) in its sentence, not itself included, a change or
    per unit (`50억원을 포함해 총 100억원`, `$20 million, including $5 million in state
    aid`); else it stays a figure: `Transport gets $3 billion, including $780 million for
    the feeder bus network` gives each project its own figure, neither counted twice."""
    a = records[i]
    key = _project_key(a)
    for j, b in enumerate(records):
        if j == i or j in excluded or b.currency != a.currency or b.start < 0:
            continue
        if _project_key(b) != key:
            continue
        lo, hi = (b.end, a.start) if b.end <= a.start else (a.end, b.start)
        if not 0 <= hi - lo <= _CUE_WINDOW:
            continue
        if not _SENTENCE_END.search(text, lo, hi):
            return True
    return False


# `gets $12 million|. Of that, |$2 million`: the amount it is in ends the sentence right
# before (fix13, tester29 e16); an amount further on stays a figure (`Of that, 380 billion won
# is for a new monthly allowance` linked to the allowance, not to the level before)
_OF_THAT = regex.compile(r"\s*[.!?]\s+Of\s+(?:that|this|it|those|these)\s*,\s*")


def _additions(records: list[Any], text: str, added: set[int], excluded: set[int]) -> set[int]:
    """The additions (`an extra $5 million`, `a £5m boost`, `추가로 50억원을`, `50억원을 더
    투입`) that are changes: where the document names a level of the addition's project,
    another amount of its currency and project that is no addition, change or per-unit
    amount (totals13; ../shared/LABELED_SET.md gives each amount its row, README: an
    addition beside its level is the size of a change). With no level the addition is
    the only figure of its project and counts. An addition in a bracket after an amount
    is the bracket rules' (`(an additional $2 million)`: a figure, `_extra_bracket`)."""
    out: set[int] = set()
    for i in _levelled(records, added, excluded):
        r = records[i]
        if _bracket_host(records, text, i) is not None:
            continue
        if _extra_bracket(r, text) if _in_bracket(r, text) else separate_money(r, text):
            continue
        out.add(i)
    return out


def _levelled(records: list[Any], marked: set[int], excluded: set[int]) -> set[int]:
    """The marked amounts (additions, money asked for) whose project has a level in the
    document: another amount of its currency and project, not marked nor excluded, and no
    bound (`최대 100억원`, `up to $5 million`, fix13). Amounts of no project have none."""
    levels: set[tuple[str, str]] = set()
    for j, r in enumerate(records):
        key = _project_key(r)
        if j in marked or j in excluded or not key or r.amount is None:
            continue
        if r.qualifier in ("max", "min") or r.amount_max is not None:
            continue
        levels.add((key, r.currency))
    return {i for i in marked if (_project_key(records[i]), records[i].currency) in levels}


def _in_bracket(record: Any, text: str) -> bool:
    """Whether an amount stands inside a bracket opened on its line (`(추가 |20억원`); the
    bracket rules (`_extra_bracket`) apply only there (fix13b, tester30: `30억원을 추가
    편성한다` was read as a bracket's `(추가 20억원)` and stayed a figure beside its level)."""
    line = text[text.rfind("\n", 0, max(0, record.start)) + 1 : max(0, record.start)]
    opened = max(line.rfind("("), line.rfind("（"))
    return opened >= 0 and opened > max(line.rfind(")"), line.rfind("）"))


def _matching(
    records: list[Any],
    text: str,
    before_rx: dict[str, regex.Pattern],
    after_rx: dict[str, regex.Pattern],
    both: dict[str, list[tuple[regex.Pattern, regex.Pattern]]] | None = None,
) -> set[int]:
    """Indices of the records whose language's `before` pattern ends right before them,
    whose `after` pattern matches right after them, or one of whose `both` pairs does
    both (patterns by language; a language without its own takes English's)."""
    return _match_groups(records, text, [(before_rx, after_rx, both)])[0]


_Group = tuple[
    dict[str, regex.Pattern],
    dict[str, regex.Pattern],
    "dict[str, list[tuple[regex.Pattern, regex.Pattern]]] | None",
]


def _match_groups(records: list[Any], text: str, groups: list[_Group]) -> list[set[int]]:
    """`_matching` for several (before, after, both) groups in one pass over the records
    (each record's windows cut once): one set of indices per group."""
    out: list[set[int]] = [set() for _ in groups]
    for i, r in enumerate(records):
        if r.start < 0 or r.end > len(text):
            continue
        window = text[max(0, r.start - _WINDOW) : r.start]
        ahead = text[r.end : r.end + _WINDOW]
        for found, (before_rx, after_rx, both) in zip(out, groups, strict=True):
            lang = r.lang if r.lang in before_rx or r.lang in after_rx else "en"
            before, after = before_rx.get(lang), after_rx.get(lang)
            if (
                (before is not None and _ends_at(before, window))
                or (after is not None and after.match(ahead))
                or any(
                    _ends_at(b, window) and a.match(ahead) for b, a in (both or {}).get(lang, ())
                )
            ):
                found.add(i)
    return out


def _ends_at(pattern: regex.Pattern, window: str) -> bool:
    """Whether `pattern` (whose alternatives end in `$`) matches at the window's end.

    Searched backwards from the end (the pattern compiled once more with `REVERSE`,
    `_reversed`): the end is tried first and every other end position fails at `$` at
    once, where a forward search tried the whole pattern at every start of the window
    (totals13: the same matches, a third of the time)."""
    m = _reversed(pattern).search(window)
    return m is not None and m.end() == len(window)


_REVERSED: dict[regex.Pattern, regex.Pattern] = {}


def _reversed(pattern: regex.Pattern) -> regex.Pattern:
    """`pattern` compiled to match backwards (cached: the rules' patterns are few)."""
    rx = _REVERSED.get(pattern)
    if rx is None:
        rx = _REVERSED[pattern] = regex.compile(pattern.pattern, pattern.flags | regex.REVERSE)
    return rx


def _table_columns(records: list[Any], text: str, rules: _TotalRules) -> dict[int, str]:
    """CHANGE, PART, PER_UNIT or OLD for the records that stand in a `|`- or tab-separated
    table row under a header row naming a change column, one total column, a per-unit
    column or two years or more. Under a header with no single total column, a cell under
    an earlier year's column than the latest (`| 사업 | 2025 예산 | 2026 예산 | 증감 |`,
    `| Program | FY2025 | FY2026 |`) is OLD: last year's figure beside this year's level,
    as one sentence's two years (tester26: budget tables added both years). A row whose
    cell count differs from its header's, or a header with two total columns, is left
    alone (the amounts stay figures: a miss, never a guess)."""
    rows: dict[int, list[int]] = {}
    for i, r in enumerate(records):
        if r.start < 0 or r.end > len(text):
            continue
        line_start = text.rfind("\n", 0, r.start) + 1
        rows.setdefault(line_start, []).append(i)
    out: dict[int, str] = {}
    for line_start, members in rows.items():
        line_end = text.find("\n", line_start)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        sep = "|" if "|" in line else "\t" if "\t" in line else ""
        if not sep:
            continue
        header = _header_row(text, line_start, sep, line.count(sep), rules)
        if header is None:
            continue
        cols = {i: line[: records[i].start - line_start].count(sep) for i in members}
        totals = [j for j, cell in enumerate(header) if _header_key(cell) in rules.total_columns]
        per_unit = _per_unit_cells(header, rules)
        spent = _spent_cells(header, rules)
        for i, j in cols.items():
            if _header_key(header[j]) in rules.change_columns:
                out[i] = CHANGE
            elif j in per_unit:
                out[i] = PER_UNIT
            elif j in spent:
                out[i] = SPENT
        if len(totals) == 1 and totals[0] in cols.values():
            for i, j in cols.items():
                if j != totals[0] and i not in out:
                    out[i] = PART
            continue
        years = {j: y for j, cell in enumerate(header) if (y := _column_year(cell)) is not None}
        if len(set(years.values())) >= 2:
            latest = max(years.values())
            for i, j in cols.items():
                if i not in out and j in years and years[j] < latest:
                    out[i] = OLD
    return out


_COLUMN_YEAR = regex.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])|['‘’`]\s*(\d\d)\s*(?:년|년도)")


def _column_year(cell: str) -> int | None:
    """The year a column title names (`2025 예산`, `2026년 정부안`, `FY2026`, `2024-25`,
    `('25년)`: the first year written), else None."""
    m = _COLUMN_YEAR.search(cell)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))


_NUMBER_CELL = regex.compile(r"[\s△▽+\-−–]*[\d][\d,.\s]*")
_YEAR_CELL = regex.compile(r"\s*(?:19|20)\d\d\s*(?:년|년도)?\s*")


def _header_row(
    text: str, row_start: int, sep: str, seps: int, rules: _TotalRules
) -> list[str] | None:
    """The cells of the nearest line above a table row that has as many separators,
    no figure cells (years aside) and a total or change column, else None; the search
    stops at a line without the separator."""
    end = row_start - 1
    for _ in range(_MAX_HEADER_UP):
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        if sep not in line:
            return None
        if line.count(sep) != seps:
            continue
        cells = line.split(sep)
        if any(_NUMBER_CELL.fullmatch(c) and not _YEAR_CELL.fullmatch(c) for c in cells):
            continue  # a data row
        keys = {_header_key(c) for c in cells}
        if (
            keys & (rules.total_columns | rules.change_columns)
            or _per_unit_cells(cells, rules)
            or _spent_cells(cells, rules)
        ):
            return cells
        if len({y for c in cells if (y := _column_year(c)) is not None}) >= 2:
            return cells  # columns of two or more years: the latest is the level
    return None


def _spent_cells(cells: list[str], rules: _TotalRules) -> set[int]:
    """The columns of a header row that spend the money of its budget column (`| Approved
    | Paid |`, `| Budget | Actual | Spent |`, `| 예산액 | 집행액 |`, `| 배정 | 지출 |`:
    `[table] spent_columns` beside a `budget_columns`; totals13): the same money measured
    twice, only the budget column counts (with several years' budget columns, `| 2025 예산
    | 2026 예산 | 집행 |`, the latest year's, as for any year columns). None without a
    budget column."""
    spent_rx, budget_rx = rules.spent_column, rules.budget_column
    if spent_rx is None or budget_rx is None:
        return set()
    keys = [_header_key(c) for c in cells]
    spent = {j for j, k in enumerate(keys) if k and spent_rx.search(k)}
    if not spent or not any(k and budget_rx.search(k) for k in keys):
        return set()
    return spent


def _per_unit_cells(cells: list[str], rules: _TotalRules) -> set[int]:
    """The columns of a header row whose title names an amount per unit (`세대당 지원금`,
    `1인당 지원액`, `단가`, `Per-pupil funding`, `Unit cost`: `[per_unit] columns`)."""
    rx = rules.per_unit_column
    if rx is None:
        return set()
    return {j for j, c in enumerate(cells) if c.strip() and rx.search(c.strip())}


def figure_roles(records: list[Any], text: str = "") -> list[str]:
    """What each record (`models.Record`, one document, sorted by position) is to its
    project's total: FIGURE, OLD, NOT_RECEIVED, SPENT, CUT, BOUND, CHANGE, PART, PER_UNIT,
    CONVERSION, UNSURE, NOT_MONEY_OF or SKIP (see the module docstring)."""
    rules = total_rules()
    columns = _table_columns(records, text, rules) if text else {}
    cues = _cues(records, text, rules, columns) if text else _Cues(set(), set(), set(), set())
    changes, per_unit = cues.changes, cues.per_unit
    per_unit |= {i for i, role in columns.items() if role == PER_UNIT}
    if text:
        per_unit |= per_unit_more(records, text) - changes  # fix13b: extract/totals_cross.py
    old = old_values(records, text, changes) if text else set()
    old |= {i for i, role in columns.items() if role == OLD}
    converted = conversions(records, text) if text else set()
    parts = {i for i, role in columns.items() if role == PART} | cues.included
    spent = {i for i, role in columns.items() if role == SPENT}
    if text:
        parts |= sum_parts(records, text) | bracket_parts(records, text)
        parts |= year_parts(records, text, changes)
        parts |= split_parts(records, text, changes | per_unit | old | converted)
    unsure = bracketed(records, text) if text else set()
    if text:  # fix13b: running totals, old values in the next sentence, the rest's shares
        more_old, more_parts = _cross(
            records, text, changes | per_unit | old | converted | parts | spent | unsure, changes
        )
        old |= more_old
        parts |= more_parts
    roles = []
    for i, r in enumerate(records):
        if getattr(r, "link_rule", "") in NO_PROJECT_RULES or getattr(r, "exchange_rate", False):
            roles.append(NOT_MONEY_OF)
        elif r.amount is None or not in_range(r.amount):
            roles.append(SKIP)
        elif i in converted:
            roles.append(CONVERSION)
        elif i in old:  # never a change (superseded skips those)
            roles.append(OLD)
        elif i in cues.not_received:
            roles.append(NOT_RECEIVED)
        elif i in spent:
            roles.append(SPENT)
        elif written_negative(r.text) or _bracketed_loss(r, text):
            roles.append(CUT)
        elif i in changes:
            roles.append(CHANGE)
        elif r.qualifier in ("max", "min") or r.amount_max is not None:
            roles.append(BOUND)
        elif i in parts:
            roles.append(PART)
        elif i in per_unit:
            roles.append(PER_UNIT)
        elif i in unsure:
            roles.append(UNSURE)
        else:
            roles.append(FIGURE)
    return roles


def _cross(
    records: list[Any], text: str, taken: set[int], changes: set[int]
) -> tuple[set[int], set[int]]:
    """(old values, parts) of the kinds across sentences (extract/totals_cross.py) among the
    definite figures not `taken` by another role."""
    usable = [
        i
        for i, r in enumerate(records)
        if i not in taken
        and definite(r)
        and getattr(r, "link_rule", "") not in NO_PROJECT_RULES
        and not getattr(r, "exchange_rate", False)
        and not written_negative(r.text)
        and not _bracketed_loss(r, text)
    ]
    return cross_roles(records, text, usable, changes)


# ends a sentence between two amounts: the cue of an old value reaches no further back
_SENTENCE_END = regex.compile(r"[.!?。][\s\"'’”)]*\s|[\n;]")
_CUE_WINDOW = 160  # characters between an old amount and the level of its sentence, at most


@dataclass(frozen=True)
class _OldShape:
    """One shape of an old value (rules/<lang>/totals.toml `[old_value]`, one key each).

    `at` says where the key's patterns are matched: `before` (ending right before the old
    amount), `after` (at the text right after it) or `between` (the text between two
    neighbouring amounts, searched, or matched `whole`). `old` says which amount is old:
    `self` for `before`/`after`; for a pair, `first`, `second` or `linked` (the linker's
    `change_between`: `A에서 B로` makes the first old, a new-first cue the second). `partner`
    is what must stand beside: `earlier` (an earlier amount of the currency, no change, in
    the sentence), `either` (the same, before or after), `host` (the amount of the currency
    right before the bracket holding it), `none` (nothing: the pattern says it all), `level`
    (the pair's two amounts are no change) or `change` (the pair's second amount is the
    size of a change)."""

    at: str
    old: str
    partner: str
    window: int = _CUE_WINDOW
    whole: bool = False
    # the old value and its partner must not be linked to two projects (`other_project`)
    same_project: bool = False


_OLD_SHAPES: dict[str, _OldShape] = {
    # `FY2026 $40 million ..., up from 2025 |$35 million` (since 2026-11-30, tester20 B9)
    "before": _OldShape("before", "self", "earlier"),
    # `지난해 450억원|보다 늘어난 500억원`, `부산시(8,000억원)|보다` (since 2026-12-01, tester24)
    "compared_after": _OldShape("after", "self", "either"),
    # `$12 million| for the library, up from |$9 million` (since 2026-12-01, tester21)
    "new_first_between": _OldShape("between", "second", "level", _OBJECT_WINDOW),
    # `9,800억원|보다 |2,700억원 늘어난` (since 2026-12-01, tester23): the level elsewhere
    "before_change": _OldShape("between", "first", "change", _OBJECT_WINDOW, whole=True),
    # `Up 3.0% from |$11.65 million, the budget is now $12 million`, `compared with |$4
    # million in 2025, the fund now holds $6 million`: the level before or after (totals12)
    "leading": _OldShape("before", "self", "either", same_project=True),
    # `$5 million ($4.5 million| in 2025)`, `5,000억원(2025년 |4,500억원)`: a bracket right
    # after an amount of the currency, naming another year (totals12)
    "bracket_after": _OldShape("after", "self", "host", same_project=True),
    "bracket_before": _OldShape("before", "self", "host", same_project=True),
    # `사업비는 당초 |1,500억원|보다 늘었다`: compared against right before a verb of change;
    # the level may stand in another sentence (totals12)
    "compared_change": _OldShape("after", "self", "none"),
}
# the linker's change pairs (rules/<lang>/link.toml `change_between`): `25억원에서 153억원으로`
_LINKED_CHANGE = _OldShape("between", "linked", "level", _CHANGE_WINDOW)


def old_values(records: list[Any], text: str, changes: set[int] | None = None) -> set[int]:
    """Indices (into `records`, sorted by position) of old values: the old value of a change
    (`25억원에서 153억원으로`: 25억; `$3.9 billion, up from $2.8 billion`: $2.8 billion),
    one a cue names however far back the level stands in the sentence, an amount the
    sentence compares its level against. One matcher per shape of `[old_value]`
    (`_OLD_SHAPES`) and the linker's change pairs. An amount that is the size of a change
    (`changes`, by default `change_amounts(records, text)`) is never old, and never the
    level of a pair (`an increase of $15 million to $90 million`)."""
    from .linking import config

    if changes is None:
        changes = change_amounts(records, text)
    table = total_rules().old_value
    old: set[int] = set()
    for key, shape in _OLD_SHAPES.items():
        old |= _old_matching(records, text, shape, table.get(key, {}), changes)
    linked = {lang: config(lang)["change_between_re"] for lang in ("ko", "en")}
    old |= _old_matching(records, text, _LINKED_CHANGE, linked, changes)
    return old | _earlier_years(records, text, table, changes)


def _year_of(record: Any, text: str, table: dict[str, dict[str, regex.Pattern]]) -> int | None:
    """The year written right at an amount (`2024년 |7,000억원`, `$7 million| in 2024`:
    `[old_value] year_before`, `year_after`, group `year`), else None."""
    lang = record.lang if record.lang in ("ko", "en") else "en"
    before = table.get("year_before", {}).get(lang)
    after = table.get("year_after", {}).get(lang)
    if before is not None:
        window = text[max(0, record.start - _WINDOW) : record.start]
        for m in before.finditer(window, overlapped=True):
            if m.end() == len(window) and m.group("year"):
                return int(m.group("year"))
    if after is not None:
        m = after.match(text[record.end : record.end + _WINDOW])
        if m is not None and m.group("year"):
            return int(m.group("year"))
    return None


def _years(
    records: list[Any], text: str, table: dict[str, dict[str, regex.Pattern]], changes: set[int]
) -> dict[int, int]:
    """The year written at each amount that has one (index -> year), changes left out."""
    return {
        i: y
        for i, r in enumerate(records)
        if i not in changes and r.start >= 0 and (y := _year_of(r, text, table)) is not None
    }


_SENTENCE_REACH = 1000  # characters a sentence reaches from its amounts, at most


def other_project(a: Any, b: Any, text: str) -> bool:
    """Whether two records of one sentence are linked to two different projects, both
    named in that sentence (fix12, tester25 1.3-1.4): then neither is the old value, the
    part or another measure of the other, whatever the sentence's shape (`The Harbor
    project gets $7 million in 2024, and the Bridge project gets $8 million in 2025`: each
    the only figure of its project). A record with no project, or linked to a name
    written outside the sentence (a guess of the linker), may still be one: a miss at
    worst, never a figure counted under a wrong project."""
    ka, kb = getattr(a, "project", ""), getattr(b, "project", "")
    if not ka or not kb:
        return False
    if (getattr(a, "project_id", "") or ka) == (getattr(b, "project_id", "") or kb):
        return False
    if ka in kb or kb in ka:  # `Harbor project` and `Harbor project budget`: one item
        return False
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    if lo < 0 or hi > len(text):
        return False
    first = max(0, lo - _SENTENCE_REACH)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, first, lo)]
    end = _SENTENCE_END.search(text, hi, hi + _SENTENCE_REACH)
    sentence = text[starts[-1] if starts else first : end.start() if end else hi + _SENTENCE_REACH]
    return ka in sentence and kb in sentence


def _same_sentence(a: Any, b: Any, text: str) -> bool:
    """Whether two amounts stand close in one sentence (no sentence end between them)."""
    lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return 0 <= hi - lo <= _CUE_WINDOW and not _SENTENCE_END.search(text, lo, hi)


def year_parts(records: list[Any], text: str, changes: set[int] | None = None) -> set[int]:
    """Indices of the yearly amounts of a plan written with its total in one sentence
    (`2025년 5,000억원, 2026년 6,000억원 등 총 1조 1,000억원`, `$7 million in 2025 and $8
    million in 2026, $15 million in total`): parts of the total, left out of totals like a
    table row's parts beside its total; the total counts. The total is another amount of
    the currency in the sentence with no year of its own, after a total word
    (rules/<lang>/totals.toml `[part] total_before`, `total_after`) or equal to the yearly
    amounts' sum. Without such a total the latest year counts (`_earlier_years`)."""
    if not text:
        return set()
    rules = total_rules()
    if changes is None:
        changes = change_amounts(records, text)
    years = _years(records, text, rules.old_value, changes)
    out: set[int] = set()
    for i in years:
        a = records[i]
        group = [
            j
            for j in years
            if j == i
            or (
                records[j].currency == a.currency
                and not other_project(a, records[j], text)
                and _same_sentence(a, records[j], text)
            )
        ]
        if len({years[j] for j in group}) < 2:
            continue
        definite = all(
            records[j].amount is not None
            and in_range(records[j].amount)
            and records[j].amount_max is None
            for j in group
        )
        total = (
            sum((Decimal(str(records[j].amount)) for j in group), Decimal(0)) if definite else None
        )
        for k, r in enumerate(records):
            if (
                k in years
                or k in changes
                or r.currency != a.currency
                or r.amount is None
                or not in_range(r.amount)
            ):
                continue
            if any(other_project(records[j], r, text) for j in group):
                continue
            if not _same_sentence(a, r, text):
                continue
            named = bool(_matching([r], text, rules.total_before, rules.total_after))
            if named or (total is not None and Decimal(str(r.amount)) == total):
                out.add(i)
                break
    return out


def _earlier_years(
    records: list[Any], text: str, table: dict[str, dict[str, regex.Pattern]], changes: set[int]
) -> set[int]:
    """Indices of amounts of an earlier year than another amount of the currency in the same
    sentence (`2024년 7,000억원, 2025년 8,000억원`, `$7 million in 2024 and $8 million in
    2025`; totals12): the latest year's figure is the level, an earlier year's an old value
    (their sum is no figure of anything). Not where the sentence gives the plan's total
    (`year_parts`): then every year is a part."""
    years = _years(records, text, table, changes)
    plan = year_parts(records, text, changes) if years else set()
    years = {i: y for i, y in years.items() if i not in plan}
    old: set[int] = set()
    for i, yi in years.items():
        a = records[i]
        for j, yj in years.items():
            b = records[j]
            if yj <= yi or b.currency != a.currency or other_project(a, b, text):
                continue
            if _same_sentence(a, b, text):
                old.add(i)
                break
    return old


# the old name: every old value (tests, callers)
superseded = old_values


def _old_matching(
    records: list[Any],
    text: str,
    shape: _OldShape,
    patterns: dict[str, Any],
    changes: set[int],
) -> set[int]:
    """Indices of the records that are old in `shape`, its patterns by language (a language
    without its own takes English's; for the linker's pairs, a list of patterns)."""
    if not patterns:
        return set()
    out: set[int] = set()
    if shape.at != "between":
        for i, r in enumerate(records):
            rx = patterns.get(r.lang if r.lang in patterns else "en")
            if rx is None or i in changes or r.start < 0:
                continue
            if shape.at == "before":
                window = text[max(0, r.start - _WINDOW) : r.start]
                if not _ends_at(rx, window):
                    continue
            elif not rx.match(text[r.end : r.end + _WINDOW]):
                continue
            if shape.partner == "none":
                out.add(i)
            elif shape.partner == "host":
                host = _bracket_host(records, text, i)
                if host is None or (shape.same_project and other_project(records[host], r, text)):
                    continue
                if _later_year(r, records[host], text):
                    continue  # `2025년 5,000억원(2026년 6,000억원)`: the later year counts
                out.add(i)
            elif _level_beside(
                records,
                text,
                i,
                changes,
                earlier_only=shape.partner == "earlier",
                same_project=shape.same_project,
            ):
                out.add(i)
        return out
    for i in range(len(records) - 1):
        a, b = records[i], records[i + 1]
        if i in changes or (i + 1 in changes) != (shape.partner == "change"):
            continue
        if a.start < 0 or b.start < a.end or b.start - a.end > shape.window:
            continue
        if a.currency != b.currency:
            continue
        lang = a.lang if a.lang in patterns else "en"
        rx = patterns.get(lang)
        if rx is None:
            continue
        between = text[a.end : b.start]
        if shape.old == "linked":
            if any(p.search(between) for p in rx):
                out.add(i + 1 if _new_first(between, lang) else i)
        elif (
            rx.fullmatch(text, a.end, b.start) if shape.whole else rx.search(text[a.end : b.start])
        ):
            out.add(i + 1 if shape.old == "second" else i)
    return out


def _later_year(a: Any, b: Any, text: str) -> bool:
    """Whether amount `a` is written with a later year than amount `b` (both with one,
    fix12, tester25 1.5): a bracket after an amount naming a later year is no old value,
    as with two years in one sentence the latest counts (`_earlier_years`)."""
    table = total_rules().old_value
    ya, yb = _year_of(a, text, table), _year_of(b, text, table)
    return ya is not None and yb is not None and ya > yb


def _new_first(between: str, lang: str) -> bool:
    """`A로, 올해 B보다`, `A, up from B` (rules/<lang>/link.toml change_new_first): the first
    amount of a change pair is the new value; else (`A에서 B로`, `from A to B`) the second."""
    from .linking import config

    return between.lstrip().startswith(("으로", "로")) or any(
        rx.search(between) for rx in config(lang).get("change_new_first_re", ())
    )


_BRACKET_OPEN = regex.compile(r"[^\S\n]*[(（][^()（）\n]{0,40}")


def _bracket_host(records: list[Any], text: str, i: int) -> int | None:
    """The index of the amount of record `i`'s currency right before the bracket that holds
    record `i` (`$5 million (|$4.5 million| in 2025)`, `1조원(국비 |6,000억원|, ...)`), if any:
    only spaces between the host and `(`, the bracket still open at record `i`."""
    b = records[i]
    for j in range(i - 1, -1, -1):
        a = records[j]
        if a.end < 0 or a.end > b.start:
            continue
        if a.currency == b.currency and _BRACKET_OPEN.fullmatch(text, a.end, b.start):
            return None if _extra_bracket(b, text) else j
        if b.start - a.end > 60:
            return None
    return None


_BRACKET_REST = regex.compile(r"[^()（）\n]{0,60}")


def _extra_bracket(record: Any, text: str) -> bool:
    """Whether a bracketed amount is written as money *in addition* to the amount before the
    bracket (`100억원(부대사업 |20억원| 별도)`, `$5 million (plus |$1 million| in state aid)`;
    fix12b, tester25 s31/s32: left out as unsure or a part, while it is in neither): then
    the bracket has no host and the amount is a figure. rules/<lang>/totals.toml `[part]
    extra_before` (ending right before it) / `extra_after` (at the text right after it),
    unless `extra_unless` stands in the rest of the bracket (`(추가분 20억원 포함)`)."""
    rules = total_rules()
    lang = record.lang if record.lang in rules.extra_before else "en"
    before, after = rules.extra_before.get(lang), rules.extra_after.get(lang)
    window = text[max(0, record.start - _WINDOW) : record.start]
    rest = _BRACKET_REST.match(text, record.end)
    rest_text = rest.group() if rest else ""
    unless = rules.extra_unless.get(lang)
    opened = window[max(window.rfind("("), window.rfind("（")) + 1 :]
    if unless is not None and (unless.search(rest_text) or unless.search(opened)):
        return False
    if before is not None and _ends_at(before, window):
        return True
    return after is not None and bool(after.match(rest_text))


def _level_beside(
    records: list[Any],
    text: str,
    i: int,
    changes: set[int],
    earlier_only: bool,
    same_project: bool = False,
) -> bool:
    """Whether another amount of record `i`'s currency (vague too), no change, stands in
    its sentence within `_CUE_WINDOW` characters (before it only, if `earlier_only`; not
    of another project, if `same_project`)."""
    a = records[i]
    for j, b in enumerate(records):
        if j == i or j in changes or b.currency != a.currency or b.start < 0:
            continue
        if same_project and other_project(a, b, text):
            continue
        if earlier_only and j > i:
            break
        lo, hi = (b.end, a.start) if b.end <= a.start else (a.end, b.start)
        if hi < lo or hi - lo > _CUE_WINDOW or _SENTENCE_END.search(text, lo, hi):
            continue
        return True
    return False


def _bracketed_loss(record: Any, text: str) -> bool:
    """Whether a prose amount stands in an accountant's brackets after a loss word (`a loss
    of ($4.5 million)`, since 2026-12-01, tester22: counted as a figure while `-$4.5 million`
    was a cut): rules/<lang>/totals.toml `[cut] bracket_before`, ending right before `(`."""
    rules = total_rules().cut_bracket_before or {}
    rx = rules.get(record.lang if record.lang in rules else "en")
    s, e = record.start, record.end
    # slices, not indexing: a record's offsets come from the store and may not fit the text
    if rx is None or s < 1 or e < s or text[s - 1 : s] != "(" or text[e : e + 1] != ")":
        return False
    window = text[max(0, s - 1 - _WINDOW) : s - 1]
    return _ends_at(rx, window)


def bracket_parts(records: list[Any], text: str) -> set[int]:
    """Indices of the amounts in a bracket right after an amount of the same currency that
    break it down (totals12): `총사업비 1조원(국비 6,000억원, 지방비 4,000억원)`, `1조원(국비
    60%인 6,000억원 포함)`, `$10 million (federal $6 million, state $4 million)`. Parts,
    left out of totals like a table row's beside its total, when every amount in the
    bracket is a funder's share (rules/<lang>/totals.toml `[part] funder_before`,
    `funder_after`) or they add up to the amount before the bracket exactly; the others are
    `bracketed` (UNSURE). A bracket after a name (`the Harbor project ($5 million)`) has no
    host: its amount is a figure."""
    rules = total_rules()
    groups: dict[int, list[int]] = {}
    for i in range(1, len(records)):
        host = _bracket_host(records, text, i)
        if host is not None:
            groups.setdefault(host, []).append(i)
    out: set[int] = set()
    for host, members in groups.items():
        h = records[host]
        definite = all(
            records[k].amount is not None and records[k].amount_max is None
            for k in [host, *members]
        )
        adds_up = definite and sum(Decimal(str(records[k].amount)) for k in members) == Decimal(
            str(h.amount)
        )
        if adds_up or all(_funder_share(records[k], text, rules) for k in members):
            # a funder's share is the host's part whatever it is linked to; another
            # project's amount is that project's figure (fix12)
            out.update(
                k
                for k in members
                if _funder_share(records[k], text, rules) or not other_project(h, records[k], text)
            )
    return out


def bracketed(records: list[Any], text: str) -> set[int]:
    """Indices of every amount in a bracket right after an amount of the same currency
    (`100억원(국비 70억원)`, `12억원(총사업비 146억원)`, `$5 million ($4.5 million in 2025)`).
    Such an amount is never a second allocation beside the one before it: a part, another
    year's, a change, or another measure of the same money (a project's cost over all years
    beside this year's allocation). Those the rules cannot place are left out of totals as
    UNSURE (totals12): a total too low is visible, one too high is a wrong number. A
    bracket that says its amount is in addition (`(plus $1 million)`, `(20억원 별도)`:
    `_extra_bracket`) has no host: its amount is a figure (fix12b)."""
    out: set[int] = set()
    for i in range(1, len(records)):
        host = _bracket_host(records, text, i)
        # another project's amount in the bracket is that project's figure (fix12)
        if host is None or other_project(records[host], records[i], text):
            continue
        if _later_year(records[i], records[host], text):
            continue  # the later year's amount: the level (fix12; the host is old)
        out.add(i)
    return out


def _funder_share(record: Any, text: str, rules: _TotalRules) -> bool:
    """Whether a funder's name stands at a bracketed amount (`국비 |6,000억원`, `federal |$6
    million`, `$6 million| federal`): `[part] funder_before` / `funder_after`."""
    return bool(_matching([record], text, rules.funder_before, rules.funder_after))


def conversions(records: list[Any], text: str) -> set[int]:
    """Indices of amounts in brackets right after an amount in another currency, holding
    only the amount (and a qualifier): the same money converted (`NZ$400 million ($240
    million)`, `5억 달러(약 6,500억원)`). A project total leaves it out (since
    2026-11-30): added, it was a second total of the same money in the projects sheet.
    The twin test is the linker's (`converted_twin`), which gives both one project."""
    from .linking.generators import converted_twin

    out: set[int] = set()
    for i in range(1, len(records)):
        a, b = records[i - 1], records[i]
        if a.currency == b.currency or a.start < 0 or b.start < a.end:
            continue
        if converted_twin(text, a, b):
            out.add(i)
    return out


# `국비 300억원 + 지방비 200억원 = 500억원`: between two addends a `+` and at most three
# words (the next part's label); between the last addend and the sum an `=`
_PLUS_BETWEEN = regex.compile(r"[^\S\n]*[+＋][^\S\n]*(?:[\p{L}]+[^\S\n]*){0,3}")
_EQUALS_BETWEEN = regex.compile(r"[^\S\n]*[=＝][^\S\n]*")


def sum_parts(records: list[Any], text: str) -> set[int]:
    """Indices of the addends of a written sum whose result follows `=`: `국비 300억원 +
    지방비 200억원 = 500억원`, `$3 million + $2 million = $5 million` (since 2026-12-01,
    tester22 A12): parts of the sum, left out of totals like a table row's parts beside
    its total; the sum counts. Only where the addends (one currency, exact) add up to the
    sum exactly; otherwise nothing changes."""
    out: set[int] = set()
    i = 0
    while i < len(records) - 2:
        j = i
        while (
            j + 1 < len(records)
            and records[j + 1].currency == records[i].currency
            and records[j].end >= 0
            and records[j + 1].start >= records[j].end
            and _PLUS_BETWEEN.fullmatch(text, records[j].end, records[j + 1].start)
        ):
            j += 1
        k = j + 1
        if (
            j > i
            and k < len(records)
            and records[k].currency == records[i].currency
            and records[k].start >= records[j].end
            and _EQUALS_BETWEEN.fullmatch(text, records[j].end, records[k].start)
            and all(r.amount is not None and r.amount_max is None for r in records[i : k + 1])
            and sum(Decimal(str(r.amount)) for r in records[i:k]) == Decimal(str(records[k].amount))
        ):
            out.update(range(i, k))
            i = k
        else:
            i += 1
    return out


_SPLIT_WINDOW = 300  # characters between two amounts of one sentence's split, at most


def split_parts(records: list[Any], text: str, excluded: set[int]) -> set[int]:
    """Indices of the amounts of one sentence that split a figure of their project into
    parts adding up to it exactly (since 2026-12-01, tester26: `청년 일자리 사업에 320억원을
    투입한다. 재원은 국비 192억원과 시비 128억원으로 구성된다.` totalled 640억; `Of the
    total, the central government pays 50.4 billion won and the city pays 33.6 billion
    won.`): parts, left out like a table row's parts beside its total; the figure they add
    up to counts. The figure is another amount of the currency in the document (before or
    after), or one of the sentence's own amounts equal to the sum of the others after `등`
    or a total word (`국비 85억원, 시비 35억원 등 120억원`; tester28: `국비 100억원, 시비
    50억원, 민자 50억원` had made 100억 the whole). Only where every amount of the split is
    linked to the figure's project (one linked elsewhere: nothing changes) and, for a figure
    outside the sentence, the sentence names shares (`_SPLIT_CUE`: `재원은`, `이 중`, `Of
    the total`, `of the cost`; a funder's name alone is not enough, tester28) and adds
    nothing (`_SPLIT_EXTRA`: `추가로`, `additional`, `also`, `매년`; tester27: `내년에는
    국비 200억원과 시비 100억원이 추가로 투입된다` under a 300억원 budget was dropped as its
    parts). `excluded` (changes, old values, per-unit amounts, conversions) neither split
    nor are split. Exact sums only (Decimal); two amounts at least."""
    usable = [
        i
        for i, r in enumerate(records)
        if i not in excluded
        and r.start >= 0
        and r.amount is not None
        and in_range(r.amount)
        and r.amount_max is None
        and r.qualifier not in ("max", "min")
    ]
    rules = total_rules()
    groups: list[list[int]] = []
    for i in usable:
        if groups:
            j = groups[-1][-1]
            a, b = records[j], records[i]
            if (
                b.currency == a.currency
                and 0 <= b.start - a.end <= _SPLIT_WINDOW
                and not _SENTENCE_END.search(text, a.end, b.start)
            ):
                groups[-1].append(i)
                continue
        groups.append([i])
    out: set[int] = set()
    for group in groups:
        amounts = {i: Decimal(str(records[i].amount)) for i in group}
        whole = sum(amounts.values(), Decimal(0))
        last = records[group[-1]].end
        stop = _SENTENCE_END.search(text, last, last + _SPLIT_WINDOW)
        clause = text[
            _line_start(text, records[group[0]].start) : stop.start() if stop else last + 40
        ]
        if _SPLIT_EXTRA.search(clause):
            continue  # `국비 200억원과 시비 100억원이 추가로 투입된다`: new money, no split
        if len(group) >= 2 and _SPLIT_CUE.search(clause):
            for k in usable:
                r = records[k]
                if k in amounts or r.currency != records[group[0]].currency:
                    continue
                if Decimal(str(r.amount)) == whole and all(
                    _project_key(records[i]) == _project_key(r) for i in group
                ):
                    out.update(group)
                    break
        if len(group) >= 3:
            for k in group:
                rest = [i for i in group if i != k]
                named = _matching([records[k]], text, rules.total_before, rules.total_after)
                if (
                    (
                        named
                        or _ETC_BEFORE.search(text, max(0, records[k].start - 12), records[k].start)
                    )
                    and amounts[k] == whole - amounts[k]
                    and all(_project_key(records[i]) == _project_key(records[k]) for i in rest)
                ):
                    out.update(rest)
                    break
    return out


# A split's sentence names its shares (`재원은`, `이 중`, `Of the total`, `of the cost`; a
# funder's name alone does not, tester28); one that adds money (`추가로`, `additional`,
# `also`) splits nothing (tester27).
_SPLIT_CUE = regex.compile(
    r"재원|이\s*중|이\s*가운데|그\s*중|분담|나누어|나눠"
    r"|\bof\s+(?:the|that|this|which|its)\s+(?:total|cost|costs|sum|amount|budget|funding|bill)\b",
    regex.IGNORECASE,
)
# `국비 85억원, 시비 35억원 |등 120억원`: the whole after `등` (or a total word, `[part]
# total_before`)
_ETC_BEFORE = regex.compile(r"(?<![가-힣])등\s*(?:약\s*)?$")
_SPLIT_EXTRA = regex.compile(
    r"추가|별도|더\s*(?:투입|지원|들어|늘)|새로|매년|해마다|이와\s*별도"
    r"|\b(?:additional|extra|also|another|further|more|new|each\s+year|every\s+year|annually|per\s+year|a\s+year)\b",
    regex.IGNORECASE,
)


def _line_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts: after the last sentence end before it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - _SPLIT_WINDOW), pos)]
    return ends[-1] if ends else max(0, text.rfind("\n", 0, pos) + 1)


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
        # a group's spelling (aliases.spelling_key) -> the key its first document gave it
        self._spellings: dict[str, str] = {}
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
        # one project written two ways in the document is one group (names14): the roles
        # read the group as the project (a running total's parts under either spelling)
        grouping = project_groups(records, text)
        roles = figure_roles(grouping.keyed(records), text)
        ids = {r.project_id for r in records if getattr(r, "project_id", "")}
        seen: set[tuple[str, str]] = set()
        for r, role, group in zip(records, roles, grouping.keys, strict=True):
            if role == NOT_MONEY_OF:
                continue  # the price of a currency, a rate's base: not an amount of anything
            if group and group not in ids:
                # the same spelling in two documents (`Breakfast Scheme`, `breakfast
                # scheme`) is one row, shown as the first document wrote it
                group = self._spellings.setdefault(spelling_key(group) or group, group)
            key = (group or NO_PROJECT, r.currency)
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
                if note := _alias_note(r.project, group, grouping):
                    entry.add_note(note)
            if role == OLD:
                entry.superseded += 1
                self._figure(key, r.amount, old=True)
            elif role == BOUND:
                shown = display_range(r.amount, r.amount_max, r.currency, entry.lang)
                entry.add_bound(f"{r.qualifier} {shown}".strip())
            elif role == FIGURE:
                self._figure(key, r.amount, old=False)
            # SKIP (NaN or absurd values of a damaged store), CUT, CHANGE, PART, PER_UNIT,
            # CONVERSION, UNSURE, NOT_RECEIVED, SPENT: mentions only

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
        names = _gazetteer_names()
        for (project, _), entry in self._totals.items():
            entry.distinct_total, entry.figures, entry.largest = Decimal(0), 0, None
            entry.project = _shown_name(project, entry.lang, names)
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


def _alias_note(name: str, group: str, grouping: Grouping) -> str:
    """The projects sheet's note on a name the alias step read (extract/aliases.py)."""
    if name in grouping.aliases.get(group, ()):
        return f"`{name}` counted here: the end of this project's name in the same document"
    if longer := grouping.ambiguous.get(name):
        ends = " and ".join(f"`{n}`" for n in longer)
        return f"`{name}` kept apart: the end of {ends} in one document, which is unsure"
    return ""


def _gazetteer_names() -> dict[str, dict[str, str]]:
    """Gazetteer id -> {language: canonical name} (rules/projects.toml, first name of each
    language's list)."""
    from .linking.context import files_key

    return _names_of(files_key("projects"))


@lru_cache(maxsize=4)
def _names_of(key: tuple) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path, _mtime in key:
        for project in load_rule_file(path).get("project", []):
            for lang in ("ko", "en"):
                names = project.get(lang, [])
                names = [names] if isinstance(names, str) else names
                if names:
                    out.setdefault(project["id"], {})[lang] = names[0]
    return out


def _shown_name(project: str, lang: str, names: dict[str, dict[str, str]]) -> str:
    """The `project` shown for a group keyed by a gazetteer id (totals12: a Korean-only
    document showed `local-love-gift-certificate`): the gazetteer's name in the group's
    language (Korean for Korean-only groups), else its other name; a key the gazetteer does
    not know (a name, or an id of an older gazetteer) is shown as it is."""
    known = names.get(project)
    if not known:
        return project
    return known.get(lang) or known.get("en") or known.get("ko") or project


def project_totals(documents: Iterable[tuple[Iterable[Any], str]]) -> list[ProjectTotal]:
    """Totals over (records, text) pairs, one per document; see the module docstring."""
    with Totals() as totals:
        for records, text in documents:
            totals.add_document(records, text)
        return totals.sorted()
