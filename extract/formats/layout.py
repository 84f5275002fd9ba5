"""Text and tables of a paged or sectioned document, written as plain text with locations.

Every binary reader (HWP, HWPX, PDF, DOCX) emits paragraphs and tables through a
`TextBuilder`; the result is one text the money stages read like any article:

- a paragraph is one line (line breaks inside it become spaces, tabs are kept:
  Hancom documents align figures with tabs, which the table reader splits on);
- a table is one line per row, cells between `|` borders (`| 합계 | 29,120 |`),
  the form `extract/money/tables.py` splits on (rules/ko/tables.toml
  `separators`); an empty cell keeps its place so columns stay aligned with the
  header row, a cell merged over several columns or rows is written once (at
  its top-left place), so an amount is never repeated;
- the caption and the paragraph above a table come right before its rows (that
  is where `(단위: 억원)` is written), and a blank line follows the table, so the
  table reader stops there.

`locations` are (offset in the text, label) pairs: a label for each paragraph
("section 1, para 12", "p. 3"), each table ("table 2"), and for each numeric
cell the table label plus the row's and the column's headers
("table 2, row '생계급여', col '2025 정부안'"), so a reviewer can tell which
column of a budget table an amount comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import FormatError

# Control characters (tab and newline are handled by the builder), Hancom's
# inline-object placeholders and the replacement character.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffc\ufffd]")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u3000]+")
# A cell holding one number (what the table reader may take for an amount):
# optional sign (△ is the minus of Korean tables), digits with commas, decimals,
# or a number in parentheses.
_NUMERIC = re.compile(r"[△▲▽▼+\-−]?\s?(?:\d[\d,]*(?:\.\d+)?|\(\d[\d,]*(?:\.\d+)?\))")
# A year standing as a column title: `2024`, `2024년`, `’25년`, `'25`.
_YEARISH = re.compile(r"(?:(?:19|20)\d\d|['’]\d\d)\s*년?")
# A cell holding an amount with its own unit or currency (`1,200억원`, `$120 million`,
# `47.8%`): a data cell, so its row is never a header row (the first data rows of a table
# whose every value carries its unit were merged into its header line, and `2026 $120
# million` was read as $2026).
_AMOUNT_CELL = re.compile(
    r"(?:US\$|A\$|C\$|NZ\$|HK\$|[$€£¥₩￦]|Rs\.?|₹)\s*\d"
    r"|\d[\d,]*(?:\.\d+)?\s*(?:[십백천만억조]+\s*)?"
    r"(?:원|달러|유로|엔|위안|파운드|%|％|퍼센트"
    r"|(?:thousand|million|billion|trillion|bn|mn|crore|lakh)\b|(?:won|dollars?|euros?|pounds?)\b)",
    re.IGNORECASE,
)
_MAX_HEADER_ROWS = 3
_MAX_LABEL_CHARS = 40
_MAX_GRID = 200_000  # cells in one table; a larger grid is a hostile file


def clean_inline(text: str) -> str:
    """`text` without control characters, its whitespace runs as one space (tabs kept)."""
    text = _CONTROL.sub(lambda m: "\t" if m.group() == "\t" else " ", text)
    text = text.replace("\r", " ").replace("\n", " ")
    parts = [_SPACES.sub(" ", p).strip() for p in text.split("\t")]
    return "\t".join(parts).strip("\t ")


def cell_text(lines: list[str]) -> str:
    """One table cell's text from its paragraphs: one line, no tabs, no `|`."""
    text = " ".join(clean_inline(x).replace("\t", " ") for x in lines)
    return _SPACES.sub(" ", text.replace("|", "/")).strip()


def is_numeric_cell(text: str) -> bool:
    """Whether a cell holds a single number (possibly signed or in parentheses)."""
    return bool(_NUMERIC.fullmatch(text.strip()))


@dataclass
class TextBuilder:
    """Accumulates lines and their locations; `text()` joins them."""

    parts: list[str] = field(default_factory=list)
    locations: list[tuple[int, str]] = field(default_factory=list)
    size: int = 0
    tables: int = 0

    def _mark(self, label: str, at: int | None = None) -> None:
        at = self.size if at is None else at
        if self.locations and self.locations[-1][0] == at:
            self.locations[-1] = (at, label)
        elif not self.locations or self.locations[-1][1] != label:
            self.locations.append((at, label))

    def _add(self, line: str) -> None:
        self.parts.append(line + "\n")
        self.size += len(line) + 1

    def paragraph(self, text: str, label: str) -> None:
        """One paragraph; empty ones are skipped."""
        line = clean_inline(text)
        if not line:
            return
        self._mark(label)
        self._add(line)

    def blank(self) -> None:
        """End a block with an empty line (never two in a row)."""
        if self.parts and self.parts[-1] != "\n":
            self._add("")

    def next_table_label(self, prefix: str) -> str:
        self.tables += 1
        return f"{prefix}table {self.tables}" if prefix else f"table {self.tables}"

    def table(self, cells: list[Cell], label: str, caption: str = "") -> None:
        """A data table from its cells (merged cells once, with their spans).

        Writes the caption, one `| a | b |` line per row that has text, then a
        blank line. Numeric cells get their own location label with the row and
        column headers.
        """
        cells = [c for c in cells if c.row >= 0 and c.col >= 0]
        if not cells:
            return
        height = max(c.row + max(c.rowspan, 1) for c in cells)
        width = max(c.col + max(c.colspan, 1) for c in cells)
        if height * width > _MAX_GRID:
            raise FormatError(f"table too large ({height} x {width} cells): refused")
        rows: list[list[str]] = [[""] * width for _ in range(height)]
        filled: list[list[str]] = [[""] * width for _ in range(height)]
        for c in cells:
            text = cell_text([c.text])
            rows[c.row][c.col] = text
            for r in range(c.row, min(height, c.row + max(c.rowspan, 1))):
                for k in range(c.col, min(width, c.col + max(c.colspan, 1))):
                    filled[r][k] = text
        keep = [i for i, r in enumerate(rows) if any(r)]
        if not keep:
            return
        rows = [rows[i] for i in keep]
        filled = [filled[i] for i in keep]
        if caption.strip():
            self.paragraph(caption, label)
        self._mark(label)
        n_head = _header_rows(filled)
        col_labels = [
            _short(_join_unique(filled[i][c] for i in range(n_head))) for c in range(width)
        ]
        if n_head > 1:
            # Several header rows (`2024년` over `정부안 | 확정`) become one line of
            # per-column labels: the table reader reads the header line just above
            # the rows, and a merged header then names every column it covers.
            head = [_join_unique(filled[i][c] for i in range(n_head)) for c in range(width)]
            rows = [head] + rows[n_head:]
            filled = [head] + filled[n_head:]
            n_head = 1
        for r, row in enumerate(rows):
            row_label = "" if r < n_head else _row_label(filled[r])
            line = "|"
            marks: list[tuple[int, str]] = []
            for c, text in enumerate(row):
                line += " "
                if text and r >= n_head and is_numeric_cell(text):
                    bits = [label]
                    if row_label:
                        bits.append(f"row '{row_label}'")
                    if col_labels[c] and col_labels[c] != row_label:
                        bits.append(f"col '{col_labels[c]}'")
                    if len(bits) > 1:
                        marks.append((len(line), ", ".join(bits)))
                        marks.append((len(line) + len(text), label))
                line += text + " |"
            base = self.size
            for off, name in marks:
                self._mark(name, base + off)
            self._add(line)
        self.blank()

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Cell:
    """One table cell at its top-left grid place, with its spans (1 = not merged)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def _header_rows(filled: list[list[str]]) -> int:
    """Leading rows without a numeric cell other than years (`2024`, `'25년`) and without
    an amount written with its unit (`1,200억원`, `$120 million`, `47.8%`)."""
    n = 0
    for row in filled[:_MAX_HEADER_ROWS]:
        if any(
            (is_numeric_cell(c) and not _YEARISH.fullmatch(c)) or _AMOUNT_CELL.search(c)
            for c in row
        ):
            break
        n += 1
    return n if n < len(filled) else 0


def _row_label(row: list[str]) -> str:
    for c in row:
        if c and not is_numeric_cell(c):
            return _short(c)
    return ""


def _join_unique(texts) -> str:
    seen: list[str] = []
    for t in texts:
        if t and t not in seen:
            seen.append(t)
    return " ".join(seen)


def _short(text: str) -> str:
    text = text.replace("'", "’")
    return text if len(text) <= _MAX_LABEL_CHARS else text[: _MAX_LABEL_CHARS - 1] + "…"
