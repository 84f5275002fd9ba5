"""Money in tables written as text under a unit header: `(단위: 억원)`, `(in billion won)`.

Press releases give budgets as tables whose cells are bare numbers; the unit is
said once, in a header such as `(단위: 억원)`. `find_table_money` reads such a
table from the whole document: every purely numeric cell under the header is an
amount = number x unit, in the header's currency, except cells in a percentage,
ratio or serial column or row, nil cells (`-`) and the years of a header row.
The table ends at a blank line, a prose line or a line without numeric cells.

Header patterns, non-money markers, nil cells and signs are data in
rules/*/tables.toml (the `[table]` table of kind "money" files). A document
without any trigger word (`단위`, `unit`, `in billion` ...) costs one scan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_rule_file, rule_files, rules_dir
from .exact import EXACT, too_large
from .patterns import literal_trie, word_alternation

__all__ = [
    "compound_cell",
    "find_table_money",
    "parse_unit",
    "unit_header_spans",
]

# Cells are separated by tabs or runs of 2+ spaces (a single space stays inside a cell).
_CELL = regex.compile(r"[^\t \u3000]+(?: [^\t \u3000]+)*")
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_YEAR = regex.compile(r"(?:19|20)\d\d")
_ROW_NUMBER = regex.compile(r"\d{1,3}\.?")
_PROSE_END = regex.compile(r"[.!?。][\"'”’)]*\Z")
# A Korean sentence end anywhere in the line: `... 선정됐다.`, `... 늘었다`
_KO_SENTENCE = regex.compile(r"(?:다|요)(?:\.|[\"'”’)]*\Z)")
_KO_UNIT = regex.compile(r"(?P<mult>[\d.,]*[ ]?[십백천만억조]*)[ ]?(?P<cur>\S.*)")
_LEADING_SYMBOL = regex.compile(r"\A(US\$|[$₩￦€£¥])(?=\w)")
_PARENS_TAIL = regex.compile(r"\s*[(\[（].*[)\]）]\s*\Z")
_SYLLABLE = regex.compile(r"\p{Hangul}")
_SPACED_GAP = 4  # widest run of spaces inside a spaced-out label (`구  분`, `합  계`)
_MAX_PREAMBLE = 2  # blank or one-cell lines tolerated between a header and the first row


@dataclass(frozen=True)
class _Header:
    pattern: regex.Pattern
    lang: str
    bare: bool = False  # a unit without `단위`/`Unit`/`in` (`(KRW 100 million)`): see _headers


@dataclass(frozen=True)
class _TableRules:
    trigger: regex.Pattern
    headers: tuple[_Header, ...]
    bare_trigger: regex.Pattern  # cheap test before the bare headers are searched
    marker: regex.Pattern  # a cell naming a non-money column/row
    marker_end: regex.Pattern | None
    money_marker: regex.Pattern  # a money column despite a marker word: `State share`
    money_column: regex.Pattern  # a column header naming money: `진료비`, `예산`, `Budget`
    count_column: regex.Pattern  # ... or counting: `수급자`, `인원`, `recipients` (wins)
    rate_units: frozenset[str]  # unit header parts that only mark rate columns: `%`
    nil: frozenset[str]
    cell: regex.Pattern  # a money cell: optional sign, a number; or (number)
    separator: regex.Pattern | None  # a cell border drawn with a character: `|` (markdown)
    rule_line: regex.Pattern | None  # a line that only draws borders: `|---|:--:|`
    # a unit closing a column title (`2026/27 £k`, `Budget £000`): group `unit`
    column_unit: regex.Pattern | None = None
    column_trigger: regex.Pattern | None = None
    # a header naming only a scale (`(in millions)`, `(in thousands, except per share
    # data)`): group `scale`, group `except` for what it leaves unscaled
    scale_header: regex.Pattern | None = None
    scale_trigger: regex.Pattern | None = None
    per_unit_row: regex.Pattern | None = None  # `Diluted EPS`, `Dividend per share`
    # a column title naming a count, year, period or rate under ANY unit header
    # (`참여인원`, `착공연도`, `Households served`, `FTE`): fullmatched, see _is_count_title
    count_title: regex.Pattern | None = None
    # a column title naming money by its form, whatever it counts (`보조대상액`, `대수선비`,
    # `Cost of visits`, `Capital projects`): rules `money_titles`, fullmatched
    money_title: regex.Pattern | None = None
    # a recipient group (`중소기업`, `Households`) and a total (`총액`, `Total funding`):
    # beside a total, a recipient group's column is the total's part (rules
    # `recipient_columns`, `total_columns`)
    recipient_column: regex.Pattern | None = None
    total_column: regex.Pattern | None = None
    # `1조 2,000` under `(단위: 억원)`: a cell written with a big unit then a small group
    # (rules `compound_units`: unit -> value); group `count`, `unit`, `small`
    compound: regex.Pattern | None = None
    compound_units: dict[str, Decimal] | None = None
    # a label naming some per-unit figure (`Revenue per user`, `Average selling price`)
    per_unit_word: regex.Pattern | None = None
    # a row label counting (`Headcount`, `Staff (FTE)`, `Jobs created`, `Number of grants`)
    count_row: regex.Pattern | None = None
    count_row_start: regex.Pattern | None = None
    # a caption line naming a figure (`<그림 2> ... (단위: 백만원, %)`, `Figure 3. ... ($m)`):
    # its unit header names the unit of a chart, whose axis ticks are no table
    figure_caption: regex.Pattern | None = None
    # a word of a column title naming a rate anywhere in the title (`집행률 (C/A) 추경(A`,
    # a PDF header run together): rules `rate_word_ends`, minus `rate_word_not`
    rate_word: regex.Pattern | None = None
    # under a unit header naming a rate too (`($ million, %)`): the column titles that are
    # money or a period/stage (`2025`, `Budget`, `Actual`) and those that compare
    # (`Growth`, `vs 2024`, `Δ`): rules `rate_table_money`, `rate_table_not_money`
    rate_table_money: regex.Pattern | None = None
    rate_table_not_money: regex.Pattern | None = None


# (compiled once: regex's own pattern cache costs more than the match)
_UNIT_PARTS = regex.compile(r"[,，·/、;]")
_WORD = regex.compile(r"\S+")
_HANGUL_GAP = regex.compile(r"(?<=\p{Hangul})\s+(?=\p{Hangul})")


_I = regex.IGNORECASE


def _alternatives(patterns: list[str]) -> str:
    """Regexes from a rule file as one alternation (empty when the file gives none)."""
    return "|".join(f"(?:{r})" for r in patterns)


def _optional(pattern: str, flags: int = 0) -> regex.Pattern | None:
    """`pattern` compiled, or None for a rule the rule files leave empty."""
    return regex.compile(pattern, flags) if pattern else None


@lru_cache(maxsize=4)
def _rules(folder: str) -> _TableRules:
    triggers: list[str] = []
    headers: list[_Header] = []
    bare_triggers: list[str] = []
    markers: list[str] = []
    ends: list[str] = []
    money_markers: list[str] = []
    money_columns: list[str] = []
    count_columns: list[str] = []
    rate_units: set[str] = set()
    nil: set[str] = set()
    signs: set[str] = set()
    separators: set[str] = set()
    rule_lines: list[str] = []
    column_units: list[str] = []
    column_triggers: list[str] = []
    scale_headers: list[str] = []
    scale_triggers: list[str] = []
    per_unit_rows: list[str] = []
    count_titles: list[str] = []
    money_titles: list[str] = []
    recipient_columns: list[str] = []
    total_columns: list[str] = []
    compound_units: dict[str, Decimal] = {}
    per_unit_words: list[str] = []
    count_rows: list[str] = []
    count_row_starts: list[str] = []
    figure_captions: list[str] = []
    rate_word_ends: list[str] = []
    rate_word_not: list[str] = []
    rate_table_money: list[str] = []
    rate_table_not_money: list[str] = []
    for path in rule_files("money"):
        data = load_rule_file(path)
        t = data.get("table")
        if not t:
            continue
        lang = data["meta"].get("lang", "")
        triggers += t.get("triggers", [])
        headers += [_Header(regex.compile(h), lang) for h in t.get("headers", [])]
        headers += [_Header(regex.compile(h), lang, True) for h in t.get("bare_headers", [])]
        bare_triggers += t.get("bare_triggers", [])
        markers += t.get("non_money", [])
        ends += t.get("non_money_end", [])
        money_markers += t.get("money_despite", [])
        money_columns += t.get("money_columns", [])
        count_columns += t.get("count_columns", [])
        rate_units.update(t.get("rate_units", []))
        nil.update(t.get("nil", []))
        signs.update(t.get("signs", []))
        separators.update(t.get("separators", []))
        rule_lines += t.get("rule_lines", [])
        column_units += t.get("column_units", [])
        column_triggers += t.get("column_triggers", [])
        scale_headers += t.get("scale_headers", [])
        scale_triggers += t.get("scale_triggers", [])
        per_unit_rows += t.get("per_unit_rows", [])
        count_titles += t.get("count_titles", [])
        money_titles += t.get("money_titles", [])
        recipient_columns += t.get("recipient_columns", [])
        total_columns += t.get("total_columns", [])
        compound_units.update({k: Decimal(v) for k, v in t.get("compound_units", {}).items()})
        per_unit_words += t.get("per_unit_words", [])
        count_rows += t.get("count_rows", [])
        count_row_starts += t.get("count_row_starts", [])
        figure_captions += t.get("figure_captions", [])
        rate_word_ends += t.get("rate_word_ends", [])
        rate_word_not += t.get("rate_word_not", [])
        rate_table_money += t.get("rate_table_money", [])
        rate_table_not_money += t.get("rate_table_not_money", [])
    sign = "[" + regex.escape("".join(sorted(signs))) + "]" if signs else "(?!)"
    return _TableRules(
        trigger=regex.compile(literal_trie(triggers), regex.IGNORECASE),
        headers=tuple(headers),
        bare_trigger=regex.compile(literal_trie(bare_triggers), regex.IGNORECASE)
        if bare_triggers
        else regex.compile("(?!)"),
        marker=regex.compile(word_alternation(markers), regex.IGNORECASE),
        marker_end=regex.compile(rf"(?:{'|'.join(map(regex.escape, ends))})\Z") if ends else None,
        money_marker=regex.compile(
            word_alternation(money_markers, flexible_spaces=True), regex.IGNORECASE
        ),
        money_column=regex.compile(literal_trie(money_columns), regex.IGNORECASE),
        count_column=regex.compile(word_alternation(count_columns), regex.IGNORECASE),
        rate_units=frozenset(u.casefold() for u in rate_units),
        nil=frozenset(nil),
        cell=regex.compile(rf"(?:(?P<sign>{sign})[ ]?)?(?P<num>{_NUM})|\((?P<neg>{_NUM})\)"),
        separator=(
            regex.compile("[" + regex.escape("".join(sorted(separators))) + "]")
            if separators
            else None
        ),
        rule_line=_optional(_alternatives(rule_lines)),
        column_unit=_optional(_alternatives(column_units)),
        column_trigger=_optional(column_triggers and literal_trie(column_triggers), _I),
        scale_header=_optional(_alternatives(scale_headers)),
        scale_trigger=_optional(scale_triggers and literal_trie(scale_triggers), _I),
        per_unit_row=_optional(per_unit_rows and word_alternation(per_unit_rows), _I),
        count_title=_optional(_alternatives(count_titles), _I),
        money_title=_optional(_alternatives(money_titles), _I),
        recipient_column=_optional(recipient_columns and word_alternation(recipient_columns), _I),
        total_column=_optional(total_columns and word_alternation(total_columns), _I),
        compound=regex.compile(
            rf"(?P<count>{_NUM})[ ]?(?P<unit>{literal_trie(list(compound_units))})[ ]?"
            rf"(?P<small>{_NUM})"
        )
        if compound_units
        else None,
        compound_units=compound_units or None,
        per_unit_word=regex.compile(word_alternation(per_unit_words), regex.IGNORECASE)
        if per_unit_words
        else None,
        count_row=regex.compile(word_alternation(count_rows), regex.IGNORECASE)
        if count_rows
        else None,
        count_row_start=regex.compile(
            rf"\s*(?:{word_alternation(count_row_starts)})", regex.IGNORECASE
        )
        if count_row_starts
        else None,
        figure_caption=regex.compile(
            rf"\s*(?:{'|'.join(f'(?:{r})' for r in figure_captions)})", regex.IGNORECASE
        )
        if figure_captions
        else None,
        rate_word=regex.compile(
            rf"(?<![\p{{Hangul}}])(?!(?:{'|'.join(map(regex.escape, rate_word_not)) or '(?!)'})"
            rf"(?![\p{{Hangul}}]))\p{{Hangul}}*(?:{'|'.join(map(regex.escape, rate_word_ends))})"
            rf"(?![\p{{Hangul}}])"
        )
        if rate_word_ends
        else None,
        rate_table_money=_optional(_alternatives(rate_table_money), _I),
        rate_table_not_money=_optional(_alternatives(rate_table_not_money), _I),
    )


def _table_rules() -> _TableRules:
    return _rules(str(rules_dir()))


# ---------------------------------------------------------------- units


_THOUSANDS_CAPTION = regex.compile(r"^(\S*?)\s*'?000s?$")


def parse_unit(unit: str) -> tuple[Decimal, str] | None:
    """Multiplier and currency of a unit header's text: `억원` -> (10^8, KRW),
    `백만 달러` -> (10^6, USD), `KRW 100 million` -> (10^8, KRW), `억원, %` -> the
    money part. None when no part names a currency (`%`, `건`, `명`)."""
    for part in _UNIT_PARTS.split(unit):
        found = _parse_one(part.strip())
        if found:
            return found
    return None


def _parse_one(s: str) -> tuple[Decimal, str] | None:
    if not s:
        return None
    s = _THOUSANDS_CAPTION.sub(r"\1 thousand", s)  # `$000`, `$'000`: thousands, not 0
    from . import en_numbers, ko_grammar

    m = _KO_UNIT.fullmatch(s)
    if m:
        cur = ko_grammar.grammar().currency_of_suffix(m.group("cur"))
        mult = m.group("mult").replace(" ", "")
        if cur is not None:
            try:
                value = ko_grammar.parse_number(mult) if mult else Decimal(1)
            except ValueError:
                value = None
            if value is not None and value >= 1:
                return value, cur.iso
    from .en_rules import english_rules

    rules = english_rules()
    words = _LEADING_SYMBOL.sub(r"\1 ", s).replace(" of ", " ").replace(" in ", " ").split()
    for k in range(len(words) + 1):
        for cur_words, mult_words in ((words[:k], words[k:]), (words[k:], words[:k])):
            if not cur_words:
                continue
            text = " ".join(cur_words)
            form = rules.lookup(rules.suffix_forms, text) or rules.lookup(rules.prefix_forms, text)
            if form is None:
                continue
            value = _en_multiplier(mult_words, en_numbers)
            if value is not None:
                return value * form.multiplier, form.code
    return None


def _en_multiplier(words: list[str], en_numbers) -> Decimal | None:
    if not words:
        return Decimal(1)
    words = [
        w[:-1] if w.lower() in ("thousands", "millions", "billions", "trillions") else w
        for w in words
    ]
    text = " ".join(words)
    if not words[0][0].isdigit():
        text = "1 " + text
    try:
        value = en_numbers.parse_number(text)
    except ValueError:
        return None
    return value if value >= 1 else None


# ---------------------------------------------------------------- headers


@dataclass(frozen=True)
class _Found:
    start: int  # the whole header
    end: int
    unit_start: int
    unit_end: int
    multiplier: Decimal
    currency: str
    lang: str
    mixed: bool = False  # the unit also names a count or measure: `(단위: 명, 억원)`
    # a header row whose column titles carry the unit (`Scheme  2026/27 £k  2027/28 £k`):
    # only the columns so titled are money; the span is empty, at the row's start
    column_unit: regex.Pattern | None = None
    # ... and where those units stand (`백만원` in `2026년 예산(백만원)`): never amounts
    unit_spans: tuple[tuple[int, int], ...] = ()
    # the unit of a figure's caption (`<그림 2> ... (단위: 백만원)`) or a unit quoted in a
    # table's cell: never an amount, and no table is read under it
    figure: bool = False


# the last texts' headers: `find_table_money`, `unit_header_spans` (the pipeline's
# caption check) and `signed_cells` each read every header of the same document
_HEADERS_MEMO: dict[tuple[int, str], tuple[_TableRules, tuple[_Found, ...]]] = {}


def _headers(text: str, rules: _TableRules) -> list[_Found]:
    """The unit headers in `text`, in order (found once per text and rules)."""
    key = (id(rules), text)
    hit = _HEADERS_MEMO.get(key)
    if hit is not None and hit[0] is rules:
        return list(hit[1])
    found = _find_headers(text, rules)
    if len(_HEADERS_MEMO) >= 32:
        _HEADERS_MEMO.clear()
    _HEADERS_MEMO[key] = (rules, tuple(found))
    return list(found)


def _find_headers(text: str, rules: _TableRules) -> list[_Found]:
    labelled = bool(rules.trigger.search(text))
    bare = bool(rules.bare_trigger.search(text))
    out: list[_Found] = []
    if not labelled and not bare:
        return _column_headers(text, rules, out)
    for h in rules.headers:
        if not (bare if h.bare else labelled):
            continue
        for m in h.pattern.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in out):
                continue
            unit = parse_unit(m.group("unit"))
            if unit is None:
                continue
            if h.bare and not _bare_unit(text, m, unit[0]):
                continue
            quoted = _quoted_in_cell(text, m, rules)
            mixed = _mixed_unit(m.group("unit"), rules)
            figure = _figure_caption(text, m.start(), rules)
            out.append(
                _Found(
                    *(m.start(), m.end(), *m.span("unit"), *unit, h.lang, mixed),
                    figure=figure or quoted,
                )
            )
    out += _column_headers(text, rules, out)
    return sorted(out, key=lambda f: f.start)


def _figure_caption(text: str, start: int, rules: _TableRules) -> bool:
    """Whether the line holding a unit header at `start` is a figure's caption (`<그림 2>
    재정융자사업 추이 (단위: 백만원, %)`, `Figure 3. Spending ($m)`: rules
    `figure_captions`, at the line's start): the numbers under it are a chart's axis
    ticks and data labels, never a table's cells (tester20: eight ticks `80,000` ...
    `10,000` were 800억 ... 100억원, added to the project's total)."""
    if rules.figure_caption is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return rules.figure_caption.match(text, line_start, start) is not None


# a unit quoted as code or in quotes: `(단위: 백만원)` in a description, never a header
_QUOTE_BEFORE = regex.compile(r"[`'\"‘“「『]\Z")


def _quoted_in_cell(text: str, m: regex.Match, rules: _TableRules) -> bool:
    """Whether a unit header is quoted rather than stated: written in quotes or code
    marks (`` `(단위: 백만원)` ``), or standing in a cell of a table row (between cell
    borders) whose other cells hold a number that is no year (`| a.hwp | 예산표
    (단위: 백만원) | 4 |`): the row is data describing a table, and the unit is not
    this table's (tester20: a count column `4` under it read as 4,000,000 won)."""
    if _QUOTE_BEFORE.search(text, max(0, m.start() - 1), m.start()):
        return True
    if rules.separator is None:
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if not rules.separator.search(text, line_start, m.start()) or not rules.separator.search(
        text, m.end(), line_end
    ):
        return False  # not between cell borders
    cells = _cells(line, line_start, rules)
    return any(
        c.value is not None and not _is_year(c) and (c.end <= m.start() or c.start >= m.end())
        for c in cells
    )


def _column_headers(text: str, rules: _TableRules, found: list[_Found]) -> list[_Found]:
    """Header rows with no unit header of their own whose money column titles end in
    the unit (`Scheme   2026/27 £k   2027/28 £k`, `Service  Budget £000  Actual £000`):
    two or more cells, no numbers but years, and every unit on the row the same
    (`£k` beside `£m`: which one a cell is in is not guessed, the row is skipped)."""
    if rules.column_unit is None or rules.column_trigger is None:
        return []
    if not rules.column_trigger.search(text):
        return []
    out: list[_Found] = []
    for start, line in _lines(text, 0):
        if not rules.column_trigger.search(line):
            continue
        end = start + len(line)
        if any(f.start <= end and start <= f.end for f in found):
            continue  # the row holds a unit header of its own: `Scheme (£000s)  2026/27`
        cells = _cells(line, start, rules)
        if len(cells) < 2 or any(c.value is not None and not _is_year(c) for c in cells):
            continue
        units = set()
        spans = []
        for c in cells:
            m = rules.column_unit.search(c.text)
            if m:
                units.add(parse_unit(m.group("unit")))
                spans.append((c.start + m.start("unit"), c.start + m.end("unit")))
        if len(units) != 1 or None in units:
            continue
        lang = "ko" if _SYLLABLE.search("".join(text[a:b] for a, b in spans)) else "en"
        if lang == "ko" and not (
            (rules.separator is not None and rules.separator.search(line)) or "\t" in line.strip()
        ):
            continue  # `사업비(억원) 내역은 다음과 같다`: a Korean title row needs cell borders
        multiplier, currency = units.pop()
        out.append(
            _Found(
                start,
                start,
                start,
                start,
                multiplier,
                currency,
                lang,
                True,
                rules.column_unit,
                tuple(spans),
            )
        )
    return out


def _bare_unit(text: str, m: regex.Match, multiplier: Decimal) -> bool:
    """Whether a bracketed unit without `단위`/`Unit`/`in` (`(KRW 100 million)`, `(백만원)`)
    is a unit line: a round unit (1, 10, 100, 1,000 ... of the currency: `(5억원)` is an
    amount) standing alone on its line, or closing a caption line right above a table
    (`Port budget (KRW 100 million)` then `| Project | 2026 |`)."""
    if multiplier <= 0 or multiplier.scaleb(-multiplier.adjusted()) != 1:
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start : m.start()].strip() and not text[m.end() : line_end].strip():
        return True  # the line is only the unit: never an amount, with or without a table
    caption = _YEAR.sub("", text[line_start : m.start()])
    if text[m.end() : line_end].strip() or _CAPTION_AMOUNT.search(caption):
        return False  # `It costs $75,000 (KRW 100 million)`: a conversion, not a unit
    for _ in range(_MAX_PREAMBLE + 1):  # the next non-blank line is a table row
        if line_end >= len(text):
            return False
        start = line_end + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[start:line_end]
        if line.strip():
            return bool(_TABLE_ROW.search(line))
    return False


def caption_units(text: str) -> list[tuple[int, int]]:
    """Spans of round bracketed units closing a caption line with no table under it
    (`Budget (USD 100 million)` then prose; since 2026-12-01, money12): a table's unit
    whose table the layout lost, or the caption's own figure? Unsure: the amount read
    there is flagged vague (pipeline.py), where it was read as USD 100,000,000."""
    rules = _table_rules()
    if not rules.bare_trigger.search(text):
        return []
    out = []
    for h in rules.headers:
        if not h.bare:
            continue
        for m in h.pattern.finditer(text):
            unit = parse_unit(m.group("unit"))
            if unit is None or _bare_unit(text, m, unit[0]):
                continue
            multiplier = unit[0]
            if multiplier <= 0 or multiplier.scaleb(-multiplier.adjusted()) != 1:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            caption = _CAPTION_NUMBER.sub("", text[line_start : m.start()], count=1)
            caption = _YEAR.sub("", caption)
            if not caption.strip() or _CAPTION_AMOUNT.search(caption):
                continue
            if _CAPTION_PROSE.search(caption):
                continue  # `The fund will grow (USD 100 million)`: a sentence, not a caption
            out.append(m.span("unit"))
    return out


# `Table 2.`, `Figure 3:` opening a caption
_CAPTION_NUMBER = regex.compile(
    r"\A\s*(?i:table|figure|fig\.|chart|exhibit)\s*[\dA-Z][\dA-Z.\-]*\s*[.:]?\s"
)
# a caption is a title: a few words, no sentence's punctuation or lower-case verb-like run
_CAPTION_PROSE = regex.compile(r"[.!?;:,]\s|(?:\S+\s+){8,}")
_TABLE_ROW = regex.compile(r"[|\t]|\S[ ]{2,}\S")
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CAPTION_AMOUNT = regex.compile(r"[\d$€£¥₩]")


def _mixed_unit(unit: str, rules: _TableRules) -> bool:
    """Whether a unit header names a count or measure beside its money unit (`명, 억원`,
    `억원, km`, `persons, KRW million`): then only the columns whose header names money
    take the money unit. A rate (`억원, %`: rules `rate_units`) is not such a unit."""
    parts = [p.strip() for p in _UNIT_PARTS.split(unit) if p.strip()]
    return len(parts) > 1 and any(
        p.casefold() not in rules.rate_units and _parse_one(p) is None for p in parts
    )


def unit_header_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the money unit headers in `text` (`(단위: 백만원)`): never amounts."""
    out = []
    for f in _headers(text, _table_rules()):
        out += [(f.start, f.end)] if f.column_unit is None else list(f.unit_spans)
    return out


# ---------------------------------------------------------------- rows


@dataclass
class _Cell:
    start: int
    end: int
    text: str
    value: Decimal | None  # magnitude of a numeric cell, else None
    # `1조 2,000`: the big unit's value (10^12) and its count (1); `value` is then the
    # small group (2,000), in the header's unit only when that unit is the next one down
    big_unit: Decimal | None = None
    big_count: Decimal | None = None


def _cells(line: str, offset: int, rules: _TableRules) -> list[_Cell]:
    if rules.separator is not None and rules.separator.search(line):
        return _separated_cells(line, offset, rules)
    if "\t" in line.strip():
        return _tab_cells(line, offset, rules)
    out = []
    for m in _CELL.finditer(line):
        out.append(_cell(offset + m.start(), m.group(), rules))
    out = _join_spaced_labels(out, line, offset)
    if len(out) == 1 and " " in line.strip():
        # Whitespace collapsed to single spaces: `도로 12,400 13,100 700`.
        words = [_Cell(c.start, c.end, c.text, c.value) for c in _split_words(out[0], rules)]
        tail = 0
        for c in reversed(words):
            if c.value is None and c.text not in rules.nil:
                break
            tail += 1
        if tail >= 2 and tail < len(words):
            head = words[: len(words) - tail]
            label = _Cell(head[0].start, head[-1].end, " ".join(c.text for c in head), None)
            return [label] + words[len(words) - tail :]
    return out


def _tab_cells(line: str, offset: int, rules: _TableRules) -> list[_Cell]:
    """Cells of a tab-separated row (HTML tables arrive so): an empty cell between two
    tabs is kept, so that the columns stay aligned with the header row."""
    out = _split_keeping_empty(line, offset, rules, regex.finditer("\t", line))
    while out and not out[0].text:
        out.pop(0)
    while out and not out[-1].text:
        out.pop()
    return out


def _join_spaced_labels(cells: list[_Cell], line: str, offset: int) -> list[_Cell]:
    """Join a label Korean tables spell out with wide spaces (`구  분`, `합  계`,
    `증  감`) back into one cell, so that header and row cells keep their columns:
    runs of single Hangul syllables no more than _SPACED_GAP spaces apart."""
    out: list[_Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if (
            prev is not None
            and c.value is None
            and prev.value is None
            and _SYLLABLE.fullmatch(c.text)
            and _SYLLABLE.fullmatch(prev.text[-1:])
            and all(_SYLLABLE.fullmatch(w) for w in prev.text.split())
            and c.start - prev.end <= _SPACED_GAP
            and not line[prev.end - offset : c.start - offset].strip()
        ):
            out[-1] = _Cell(prev.start, c.end, line[prev.start - offset : c.end - offset], None)
            continue
        out.append(c)
    return out


def _separated_cells(line: str, offset: int, rules: _TableRules) -> list[_Cell]:
    """Cells between drawn borders (`| 합계 | 31,540 |`); an empty inner cell is kept so
    that the columns stay aligned with the header row, the outer borders make none."""
    assert rules.separator is not None
    out = _split_keeping_empty(line, offset, rules, rules.separator.finditer(line))
    if out and not out[0].text:
        out.pop(0)
    if out and not out[-1].text:
        out.pop()
    return out


def _split_keeping_empty(line: str, offset: int, rules: _TableRules, seps) -> list[_Cell]:
    """The cells between the separator matches `seps` of a line, empty ones included."""
    out = []
    pos = 0
    for m in [*seps, None]:
        raw = line[pos : m.start() if m else len(line)]
        out.append(_cell(offset + pos + len(raw) - len(raw.lstrip()), raw.strip(), rules))
        pos = m.end() if m else len(line)
    return out


def _cell(start: int, body: str, rules: _TableRules) -> _Cell:
    """A cell `body` at offset `start`, with its value when it is a number (not a nil)."""
    num = rules.cell.fullmatch(body) if body else None
    value = None
    if num and body not in rules.nil:
        value = Decimal((num.group("num") or num.group("neg")).replace(",", ""))
    elif rules.compound is not None and rules.compound_units and body:
        m = rules.compound.fullmatch(body)
        if m is not None:
            return _Cell(
                start,
                start + len(body),
                body,
                Decimal(m.group("small").replace(",", "")),
                rules.compound_units[m.group("unit")],
                Decimal(m.group("count").replace(",", "")),
            )
    return _Cell(start, start + len(body), body, value)


def _split_words(cell: _Cell, rules: _TableRules) -> list[_Cell]:
    out = []
    for m in _WORD.finditer(cell.text):
        out.append(_cell(cell.start + m.start(), m.group(), rules))
    return out


def _is_marker(cell: str, rules: _TableRules, header: _Found | None = None) -> bool:
    """Whether a column header or row label marks cells that are not money: a rate,
    ratio or serial number; under a mixed unit header (`(단위: 명, 억원)`) also every
    column whose header does not name money (`환자수`, `Participants`)."""
    if header is not None and header.column_unit is not None:
        return not header.column_unit.search(cell)  # only the columns titled with the unit
    if rules.money_marker.fullmatch(cell.strip()):
        return False  # `State share` under `(Rs crore)`: the state's money, not a ratio
    if header is not None and _is_count_title(cell, rules):
        return True  # `참여인원`, `착공연도`, `Households served` under `(단위: 억원)`
    if header is not None and header.mixed:
        # the head word decides, and a header's head is its last word: `급여 수급자`,
        # `Grant recipients` count; `참여자 지원금`, `Projects budget` are money
        return _last_end(rules.count_column, cell) >= _last_end(rules.money_column, cell)
    for form in (cell, _joined_hangul(cell)):  # `비  중`, `증 감 률` are 비중, 증감률
        if rules.marker.search(form):
            return True
        if rules.rate_word is not None and rules.rate_word.search(form):
            return True  # `집행률 (C/A) 추경(A`: a rate word anywhere in the title
        if rules.marker_end is not None and rules.marker_end.search(_PARENS_TAIL.sub("", form)):
            return True
    return False


def _count_heads(head: list[_Cell], rules: _TableRules, header: _Found) -> list[bool]:
    """Per column title under a money-only unit header: whether its head word counts
    (rules `count_columns` after its last `money_columns` word: `설치 기업`, `Schools`),
    when another title of the row names money (`예산`, `Budget`): the table says which
    column is money, and the cells under a counting title are not (`| 사업 | 참여 기업 |
    예산 |` 12 was 12억원 until 2026-12-01): skipped, never read. Without a title naming
    money (`| 구분 | 기업 | 가구 | 합계 |`: aid by recipient) nothing changes."""
    if header.mixed or header.column_unit is not None or len(head) < 3:
        return []
    titled = [c.value is None and _is_money_title(c.text, rules) for c in head]
    totals = rules.total_column is not None and any(
        c.value is None and rules.total_column.search(c.text) for c in head
    )
    counts = [
        c.value is None
        and not titled[j]
        and _last_end(rules.count_column, c.text) > _last_end(rules.money_column, c.text)
        and _count_ends(c.text, rules)
        # beside a total (`총액`, `Total funding`), a recipient group's column is the
        # total's part: `| 구분 | 중소기업 | 대기업 | 총액 |` is loans by firm size
        and not (totals and _recipient_head(c.text, rules))
        for j, c in enumerate(head)
    ]
    money = [
        c.value is None
        and not counts[j]
        and (titled[j] or _last_end(rules.money_column, c.text) >= 0)
        for j, c in enumerate(head)
    ]
    return counts if any(counts) and any(money) else []


def _is_money_title(cell: str, rules: _TableRules) -> bool:
    """Whether a column title names money by its form (rules `money_titles`, whole title,
    a bracketed tail and spaces between Hangul syllables dropped): `보조대상액`, `대수선비`,
    `Cost of visits`, `Capital projects` are money whatever word inside them counts."""
    if rules.money_title is None:
        return False
    title = _joined_hangul(_PARENS_TAIL.sub("", cell.strip()))
    return bool(title) and rules.money_title.fullmatch(title) is not None


def _recipient_head(cell: str, rules: _TableRules) -> bool:
    """Whether the title's last counting word names a recipient group (`중소기업`,
    `저소득 가구`, `Households`, `Firms`: rules `recipient_columns`)."""
    if rules.recipient_column is None:
        return False
    end = _last_end(rules.recipient_column, cell)
    return end >= 0 and end == _last_end(rules.count_column, cell)


def _count_ends(title: str, rules: _TableRules) -> bool:
    """Whether the count word ends the title (a bracketed tail dropped): `참여 기업`,
    `설치 대수`, `Grants awarded`; never `기 업 특별회계` (기업특별회계, an account: the
    count word only modifies its head; 84 cells of a fiscal statistics table were
    skipped for it)."""
    joined = _joined_hangul(_PARENS_TAIL.sub("", title).strip())
    return bool(joined) and _last_end(rules.count_column, joined) == len(joined)


def _is_count_title(cell: str, rules: _TableRules) -> bool:
    """Whether a column title names a count, a year, a period or a rate (rules
    `count_titles`, whole title, spaces between Hangul syllables ignored): its cells are
    not money under any unit header. A title holding a digit (`2026년도`, `Year 1`,
    `FY2026`) names a money column's period and never counts."""
    if rules.count_title is None or _is_money_title(cell, rules):
        return False  # `Cost of visits`: money, whatever it is the cost of
    title = _joined_hangul(cell.strip())
    if not title or regex.search(r"\d", title):
        return False
    return rules.count_title.fullmatch(title) is not None


def _last_end(pattern: regex.Pattern, cell: str) -> int:
    """Where the last match of `pattern` in `cell` ends (spaces between Hangul syllables
    ignored, `시설 수` = `시설수`), -1 without one."""
    joined = _joined_hangul(cell)
    ends = [m.end() for m in pattern.finditer(joined)]
    return ends[-1] if ends else -1


def _joined_hangul(cell: str) -> str:
    """`비  중` -> `비중`: spaces between Hangul syllables removed."""
    return _HANGUL_GAP.sub("", cell)


def _is_year(cell: _Cell) -> bool:
    return cell.value is not None and bool(_YEAR.fullmatch(cell.text))


def _lines(text: str, pos: int):
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        yield pos, text[pos:end]
        pos = end + 1


def _read_table(text: str, header: _Found, rules: _TableRules, stop: int) -> list[MoneyMention]:
    out: list[MoneyMention] = []
    line_start = text.rfind("\n", 0, header.start) + 1
    line_end = text.find("\n", header.end)
    line_end = len(text) if line_end < 0 else line_end
    # The header's own line may carry column titles around the header.
    own = (
        text[line_start : header.start]
        + " " * (header.end - header.start)
        + text[header.end : line_end]
    )
    head_cells = [c for c in _cells(own, line_start, rules) if c.value is None]
    head_marks = (
        [_is_marker(c.text, rules, header) for c in head_cells] if len(head_cells) >= 2 else []
    )
    count_marks = _count_heads(head_cells, rules, header) if head_marks else []
    rows = preamble = 0
    single = False  # the last row was read as a label and one value
    lone: list[list[tuple[int, Decimal]]] = [[]]  # runs of one-number rows: (index in out, value)
    nil_dash = tight_minus = False  # a lone `-` cell (a nil); a `-1,250` cell (a minus)
    rate_unit = _names_rate(text[header.unit_start : header.unit_end], rules)
    # columns where a cell was rate-shaped, and one-decimal cells read: (index in out, column)
    rate_columns: set[int] = set()
    one_decimal: list[tuple[int, int]] = []
    # cells under a title that names no money in such a table, and columns with a grouped cell
    rate_titled: list[tuple[int, int]] = []
    grouped_columns: set[int] = set()
    for start, line in _lines(text, line_end + 1):
        if start + len(line) >= stop and stop < len(text):
            break  # the next table's header
        stripped = line.strip()
        if not stripped:
            if rows:
                break
            preamble += 1
            if preamble > _MAX_PREAMBLE:
                break
            continue
        if rules.rule_line is not None and rules.rule_line.fullmatch(stripped):
            continue  # `|---|---|` under a markdown header row
        cells = _cells(line, start, rules)
        if len(cells) == 1 and cells[0].value is None:
            # `Highways 1,250` with one space: a label and one value, when the rows
            # around it are written alike (one such line alone may be prose)
            pair = _label_value(line, start, rules)
            if pair and (single or _label_value(_next_line(text, start + len(line)), 0, rules)):
                cells = pair
        single = len(cells) == 2 and _label_value(line, start, rules) is not None
        numeric = [c for c in cells if c.value is not None]
        if _KO_SENTENCE.search(stripped) or (_PROSE_END.search(stripped) and len(cells) == 1):
            break
        if not numeric and any(_SIGNED_CELL.fullmatch(c.text) for c in cells):
            rows += 1  # `Roads  $1,250`: a row (signed_cells reads it), so a blank ends the table
            continue
        if not numeric or (not rows and all(_is_year(c) for c in numeric)):
            if len(cells) >= 2:
                head_cells = cells
                head_marks = [_is_marker(c.text, rules, header) for c in cells]
                count_marks = _count_heads(head_cells, rules, header)
                continue
            if rows:
                break
            preamble += 1
            if preamble > _MAX_PREAMBLE:
                break
            continue
        rows += 1
        nil_dash = nil_dash or any(c.text in _DASHES for c in cells)
        tight_minus = tight_minus or any(_TIGHT_MINUS.match(c.text) for c in cells)
        if len(cells) != 1 and lone[-1]:
            lone.append([])  # a row with a label ends a run of one-number rows
        rate_marks = _rate_table_marks(head_cells, rules) if rate_unit else []
        before = len(out)
        if cells[0].value is None and _is_marker(cells[0].text, rules):
            continue  # a percentage/ratio row
        if (
            len(cells) > 2
            and cells[0].value is not None
            and cells[1].value is None
            and _ROW_NUMBER.fullmatch(cells[0].text)
        ):
            cells = cells[1:]  # a row number
        if (
            header.multiplier > 1
            and cells[0].value is None
            and _per_unit_label(cells[0].text, rules)
        ):
            continue  # `Average selling price  412` under `($ in millions)`: which scale?
        if cells[0].value is None and _count_label(cells[0].text, rules):
            continue  # `Headcount  300` under `($ in millions)`: people, not money
        for i, c in enumerate(cells):
            if c.value is None:
                continue
            if i == 0 and len(cells) > 1 and (cells[1].value is None or _is_year(c)):
                continue  # a number or a year standing where the row label goes
            if head_marks and _column_marked(i, cells, head_marks, head_cells, text):
                continue
            if any(count_marks) and _column_marked(i, cells, count_marks, head_cells, text):
                continue  # `| 사업 | 참여 기업 | 예산 |`: 12 firms, not 12억원 (unsure: skipped)
            if header.mixed and not head_marks:
                continue  # `(단위: 명, 억원)` with no column headers: which is money?
            # `Growth` 10.0 under `($ million, %)`: a rate? Read only where a cell of the
            # column has thousands groups (`증 감 (B-A)` 1,181,077: money)
            titled = bool(rate_marks) and _column_marked(i, cells, rate_marks, head_cells, text)
            if titled and _GROUPED.fullmatch(c.text):
                grouped_columns.add(i)
            if titled and _row_difference(c, cells):
                titled = False  # `| 1,200 | 1,500 | 300 |`: the change of the row's amounts
            if rate_unit and _rate_shaped(c, cells):
                rate_columns.add(i)
                continue  # `93.9` beside `167,517` under `(단위: 백만원, %)`: a rate, unsure
            if rate_unit and _ONE_DECIMAL.fullmatch(c.text):
                one_decimal.append((len(out), i))
            if titled:
                rate_titled.append((len(out), i))
            out.append(_mention(c, header))
        if len(cells) == 1 and len(out) == before + 1:
            lone[-1].append((before, cells[0].value))
    axis = {i for run in lone if _is_axis([v for _, v in run]) for i, _ in run}
    # `100.0` under the column whose `93.9` was rate-shaped (a garbled title, `800 | 800 |
    # 100.0` with no thousands separator to compare with): the rate too (tester22 A10f)
    axis |= {k for k, col in one_decimal if col in rate_columns}
    axis |= {k for k, col in rate_titled if col not in grouped_columns}
    out = [m for i, m in enumerate(out) if i not in axis]
    if nil_dash:
        out = [_run_in(m, tight_minus) for m in out]
    return out


_DASHES = frozenset(["-", "−", "–", "—", "－"])
_TIGHT_MINUS = regex.compile(r"[-−]\d")
_SPACED_MINUS = regex.compile(r"[-−] +(?=\d)")
_ONE_DECIMAL = regex.compile(r"\d{1,3}\.\d")
_GROUPED = regex.compile(r"[-−△]?[ ]?\d{1,3}(?:,\d{3})+")


def _names_rate(unit: str, rules: _TableRules) -> bool:
    """Whether a unit header also names a rate (`백만원, %`): rules `rate_units`."""
    return any(p.strip().casefold() in rules.rate_units for p in _UNIT_PARTS.split(unit))


def _row_difference(c: _Cell, cells: list[_Cell]) -> bool:
    """Whether a cell's value is the difference of two other values of its row (`증감` 300
    beside 1,200 and 1,500): an amount of change, no rate. Whole numbers only: `10.0`
    beside 100 and 110 is as much the rate as the change."""
    if c.value is None or c.value == 0 or "." in c.text:
        return False
    vals = [o.value for o in cells if o is not c and o.value is not None]
    return any(abs(a - b) == abs(c.value) for k, a in enumerate(vals) for b in vals[k + 1 :])


def _rate_table_marks(head: list[_Cell], rules: _TableRules) -> list[bool]:
    """Under a unit header that also names a rate (`($ million, %)`, `(단위: 억원, %)`), the
    columns that are not money (fix12, tester25 1.8): every title that does not name money
    or a period/stage (a year, `Budget`, `Actual`: rules `rate_table_money`, `money_columns`,
    `money_titles`) or that compares (`Growth`, `vs 2024`, `Δ`, `YoY`, `전년 대비`: rules
    `rate_table_not_money`). Their cells are skipped rather than read as money, unless a
    cell of the column has thousands groups (`증 감 (B-A)` 1,181,077: no rate). The first
    title (the row labels') is marked too, harmlessly. Empty without two titles."""
    if len(head) < 2:
        return []
    marks = [not _rate_table_money_title(c.text, rules) for c in head]
    return marks if any(marks[1:]) else []


def _rate_table_money_title(title: str, rules: _TableRules) -> bool:
    """A percent sign: a rate; a title naming money by its form (`증감액`, `Budget ...`) or
    its own money unit (`Change ($m)`, `증감(억원)`): money;
    a comparison (`Growth`, `vs 2024`): no money; else a year, a stage or a money word."""
    t = title.strip()
    if _PERCENT_TITLE.search(t):
        return False
    if _is_money_title(t, rules) or _MONEY_UNIT_TITLE.search(t):
        return True  # `증감액`, `Change ($m)`: an amount of change
    if rules.rate_table_not_money is not None and rules.rate_table_not_money.search(t):
        return False
    return bool(
        _DIGIT_TITLE.search(t)
        or (rules.rate_table_money is not None and rules.rate_table_money.search(t))
        or rules.money_column.search(t)
    )


_DIGIT_TITLE = regex.compile(r"\d")
_PERCENT_TITLE = regex.compile(r"[%％]|(?i:per ?cent)")
_MONEY_UNIT_TITLE = regex.compile(
    r"[(（][ ]?(?:[A-Z]{0,2}\$|€|£|₩|(?:USD|KRW|EUR|GBP)\b|(?:천|백만|천만|억|십억|조)?[ ]?원[)）])"
)


def _rate_shaped(c: _Cell, cells: list[_Cell]) -> bool:
    """Whether a cell under a unit header that also names a rate (`(단위: 백만원, %)`)
    is shaped like the rate rather than the money: one decimal, under 1,000 (`93.9`,
    `100.0`), in a row whose other figures are whole amounts with thousands separators
    (`167,517`). Its column title should say so (`집행률`), but a PDF table finder may
    garble the title row; the cell is then skipped rather than read as 93.9 million won."""
    if not _ONE_DECIMAL.fullmatch(c.text):
        return False
    others = [o for o in cells if o is not c and o.value is not None]
    return any(_GROUPED.fullmatch(o.text) for o in others) and not any(
        "." in o.text for o in others if not _ONE_DECIMAL.fullmatch(o.text)
    )


def _is_axis(values: list[Decimal | None]) -> bool:
    """Whether one-number rows are a chart's axis ticks: three or more whole numbers
    equally spaced, each a multiple of the step (`80,000` `70,000` ... `10,000`), not
    a table (a table row has a label)."""
    if len(values) < 3 or any(v is None or v != v.to_integral() for v in values):
        return False
    step = values[1] - values[0]  # type: ignore[operator]
    return (
        step != 0
        and all(b - a == step for a, b in zip(values, values[1:], strict=False))  # type: ignore[operator]
        and all(v % step == 0 for v in values)  # type: ignore[operator]
    )


def _run_in(m: MoneyMention, tight_minus: bool) -> MoneyMention:
    """A cell `- 167,517` (a dash, a space, a number) in a table whose nil cells are
    written `-`: a PDF table finder ran an empty `-` cell into the next one; the figure
    is positive. The mention keeps only the number (so no total reads it as a cut).
    Where the table also writes minus signs tight (`-7,900`), which one is unsure: the
    cell is refused (vague, rule `table.refused.dash`)."""
    dash = _SPACED_MINUS.match(m.text)
    if dash is None:
        return m
    if tight_minus:
        return replace(m, amount=None, amount_max=None, vague=True, rule="table.refused.dash")
    return replace(m, start=m.start + dash.end(), text=m.text[dash.end() :])


# A label without digits, one space, one number: `Highways 1,250`, `Parks and open
# spaces -120`
_LABEL_VALUE = regex.compile(
    rf"\s*(?P<label>[^\d\s][^\d\t]*?) (?P<num>[-−△]?[ ]?{_NUM}|\({_NUM}\))\s*"
)


def _per_unit_label(label: str, rules: _TableRules) -> bool:
    """Whether a row label names a per-unit figure (a price, an average, a rate, a
    figure per share/user/head: rules/en/tables.toml `per_unit_rows`, `per_unit_words`),
    which a table's scale does not multiply."""
    return any(p is not None and p.search(label) for p in (rules.per_unit_row, rules.per_unit_word))


def _count_label(label: str, rules: _TableRules) -> bool:
    """Whether a row label counts rather than names money: it starts with `Number of` /
    `No. of`, or in each of its coordinated parts the last count word (`count_rows`:
    `Headcount`, `Staff (FTE)`, `Jobs created`) stands after the last money word (`Staff
    costs` is money, and so is `Operations and staff`)."""
    if rules.count_row_start is not None and rules.count_row_start.match(label):
        return True
    if rules.count_row is None:
        return False
    # each part of a coordination counts: `Staff and volunteers`, never `Operations and staff`
    parts = [p for p in _COORDINATION.split(label) if p.strip()]
    return bool(parts) and all(
        _last_end(rules.count_row, p) > max(-1, _last_end(rules.money_column, p)) for p in parts
    )


_COORDINATION = regex.compile(r"(?i)\s+(?:and|or)\s+|\s*[&,/+]\s*")


def _label_value(line: str, start: int, rules: _TableRules) -> list[_Cell] | None:
    """A row written `Label 1,250` (single spaces only, no digits in the label, the
    value no year) as its two cells, else None."""
    m = _LABEL_VALUE.fullmatch(line)
    if m is None or "  " in line.strip() or _YEAR.fullmatch(m.group("num")):
        return None
    if _PROSE_END.search(m.group("label")) or not regex.search(r"\p{L}", m.group("label")):
        return None
    value = _cell(start + m.start("num"), m.group("num"), rules)
    if value.value is None:
        return None
    label = _Cell(start + m.start("label"), start + m.end("label"), m.group("label"), None)
    return [label, value]


def _next_line(text: str, end: int) -> str:
    """The next non-blank line after the line ending at `end` ('' at the end)."""
    for _, line in _lines(text, end + 1):
        if line.strip():
            return line
        return ""
    return ""


def _column_marked(
    i: int, cells: list[_Cell], marks: list[bool], head: list[_Cell], text: str
) -> bool:
    """Whether cell `i` of a row stands in a marked (percentage/ratio) column. Rows
    with as many cells as the header align by index; other space-aligned rows by
    where the cell stands under the header (a blank cell shifts nothing); a cell as
    near to two header cells while a marked column exists is taken as marked:
    skipped rather than guessed."""
    n, h = len(cells), len(marks)
    if n == h:
        return marks[i]
    if any(marks) and len(head) == h and _same_line(head, text) and _same_line(cells, text):
        j = _column_under(cells[i], head, text)
        return j is None or marks[j]
    if n < h and cells[0].value is None:
        j = i  # trailing empty cells dropped
    else:
        j = h - (n - i)  # align from the right: labels spanning cells, missing label
    return 0 <= j < h and marks[j]


def _column(c: _Cell, text: str) -> tuple[int, int]:
    left = c.start - (text.rfind("\n", 0, c.start) + 1)
    return left, left + (c.end - c.start)


def _same_line(cells: list[_Cell], text: str) -> bool:
    return (
        bool(cells)
        and "\n" not in text[cells[0].start : cells[-1].end]
        and ("\t" not in text[cells[0].start : cells[-1].end])
    )


def _column_under(c: _Cell, head: list[_Cell], text: str) -> int | None:
    """Index of the header cell whose columns overlap the cell's most, else the nearest
    one; None when two are equally near."""
    a, b = _column(c, text)
    scored = []
    for j, hc in enumerate(head):
        ha, hb = _column(hc, text)
        scored.append((min(b, hb) - max(a, ha), j))  # overlap; negative: the gap
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] <= 0 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def _mention(c: _Cell, header: _Found) -> MoneyMention:
    """The cell's mention: value x the header's unit. A compound cell (`1조 2,000`) is
    read only where the grammar is certain: the header's unit is the big unit's next
    one down (10^4 smaller: 억 under 조, 만 under 억) and the small group is below 10^4
    (`1조 2,000` under `(단위: 억원)` = 1조2,000억); any other is refused (vague, no
    amount, rule `table.refused.compound`), never read as its big unit alone."""
    from .ko_grammar import clean

    if c.big_unit is not None and c.big_count is not None and c.value is not None:
        small = c.value
        if (
            header.multiplier * 10**4 != c.big_unit
            or small >= 10**4
            or small != small.to_integral()
        ):
            return MoneyMention(
                start=c.start,
                end=c.end,
                text=c.text,
                amount=None,
                currency=header.currency,
                lang=header.lang,
                rule="table.refused.compound",
                vague=True,
            )
        return MoneyMention(
            start=c.start,
            end=c.end,
            text=c.text,
            amount=clean(c.big_count * c.big_unit + small * header.multiplier),
            currency=header.currency,
            lang=header.lang,
            rule=f"{header.lang}.table",
        )
    return MoneyMention(
        start=c.start,
        end=c.end,
        text=c.text,
        amount=clean(c.value * header.multiplier),
        currency=header.currency,
        lang=header.lang,
        rule=f"{header.lang}.table",
    )


def compound_cell(m: MoneyMention) -> bool:
    """Whether `m` is a table cell written with a big unit and a small group (`1조
    2,000`), read or refused by `find_table_money`: it replaces a bare `1조` that the
    sentence grammar reads inside it."""
    rules = _table_rules()
    return (
        (m.rule.endswith(".table") or m.rule == "table.refused.compound")
        and rules.compound is not None
        and rules.compound.fullmatch(m.text) is not None
    )


def find_table_money(text: str) -> list[MoneyMention]:
    """Every money cell of the unit-header tables in `text` (offsets in `text`), in order."""
    rules = _table_rules()
    headers = _headers(text, rules)
    out: list[MoneyMention] = []
    for i, header in enumerate(headers):
        if header.figure:
            continue  # a chart's axis or a quoted unit, not a table
        stop = headers[i + 1].start if i + 1 < len(headers) else len(text)
        try:
            with localcontext(EXACT):  # exact or nothing: never a rounded cell value
                out += _read_table(text, header, rules, stop)
        except ArithmeticError:
            continue
    # A cell beyond what the grammar accepts is reported vague with the reason; so is a
    # Korean table's dot-grouped cell (`5.000` under `(단위: 억원)`: 5억 or 5,000억?), as
    # the prose's `5.000억원` is (ko.refused.dot_group)
    return [
        replace(m, amount=None, amount_max=None, vague=True, rule="table.refused.too_large")
        if too_large(m.amount, m.amount_max)
        else replace(m, amount=None, amount_max=None, vague=True, rule="table.refused.dot_group")
        if m.lang == "ko" and m.amount is not None and _DOT_GROUP_CELL.fullmatch(m.text)
        else m
        for m in out
    ]


# `5.000`, `1.250.000`, `△3.500`: a thousands dot or three decimals
_DOT_GROUP_CELL = regex.compile(r"[-−△▲▽]?[ ]?\d{1,3}(?:\.\d{3})+")


# A cell written with its own currency sign: `$1,234`, `€ 56.7`, `(£12)`
_SIGNED_CELL = regex.compile(
    rf"(?<![\w$€£¥₩.,])(?P<sign>US\$|A\$|C\$|\$|€|£|¥|₩)[ ]?(?P<num>{_NUM})(?![\w%.,]|[ ]?\p{{L}})"
)


def reload() -> None:
    """Forget compiled table rules (after editing a rule file in a running process)."""
    _rules.cache_clear()
