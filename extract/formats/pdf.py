"""PDF to text: pypdfium2 for the words, pdfplumber for where the table cells are.

Why two libraries (measured on ../shared/formats, see README "Formats"):
pypdfium2 (PDFium; Apache-2.0/BSD-3) keeps Korean word spacing on every file,
including an InDesign two-column report where pdfminer.six-based readers
(pdfplumber, pdfminer) glue words together; pdfplumber (MIT) finds ruled
tables and their cells. So pdfplumber gives each table's cell boxes and
PDFium reads the text inside each box; the text outside the tables is read by
PDFium band by band (above, between and below the tables).

Per page: running headers and footers (a line repeated at the top or bottom
of most pages, digits ignored) and page numbers (`- 3 -`, `3 / 9`) are dropped.
Refused: password-protected PDFs, and PDFs without a text layer (scanned
pages; OCR is out of scope).
"""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

from .errors import FormatError
from .layout import Cell, TextBuilder, is_numeric_cell

MAX_PAGES = 2000
_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:p\.?\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s]*|[-–—]\s*[ivxlc]+\s*[-–—]",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be furniture


def read_pdf(raw: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Text and locations ("p. 3", "p. 3, table 2 ...") of a PDF's bytes.

    Raises FormatError: not a PDF, damaged, password-protected, too many pages,
    or no text layer.
    """
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise FormatError("password-protected PDF: cannot be read") from exc
        raise FormatError(f"damaged PDF ({exc})") from exc
    try:
        if len(pdf) > MAX_PAGES:
            raise FormatError(f"PDF has {len(pdf)} pages (limit {MAX_PAGES}): refused")
        try:
            plumber = pdfplumber.open(BytesIO(raw))
        except Exception as exc:  # pdfminer raises many types on damaged files
            raise FormatError(f"damaged PDF ({type(exc).__name__})") from exc
        with plumber:
            pages = [_read_page(pdf[i], plumber.pages[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    if not any(chars for _, chars in pages) or not any(blocks for blocks, _ in pages):
        raise FormatError("PDF has no text layer: scanned? (OCR is out of scope)")
    furniture = _running_lines(pages)
    builder = TextBuilder()
    for number, (blocks, _) in enumerate(pages, 1):
        label = f"p. {number}"
        items = _caption_first(_drop_furniture(blocks, furniture))
        for kind, payload in items:
            if kind == "line":
                builder.paragraph(payload, label)
            else:
                cells, caption = payload
                builder.blank()
                builder.table(cells, builder.next_table_label(f"{label}, "), caption)
    return builder.text(), builder.locations


def _read_page(page, plumber_page):
    """([("line", text) | ("table", (cells, ""))...], number of text characters).

    PDFium's characters are taken in its reading order; a character whose centre
    falls in a cell of a table pdfplumber found goes to that cell (the table is
    placed in the flow where its first character comes), any other to the
    current line. Spaces follow the character before them.
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        height = page.get_size()[1]
        try:
            found = plumber_page.find_tables()
        except Exception:  # a table finder failure leaves the page as plain text
            found = []
        tables = [_PageTable(t, height) for t in found]
        blocks: list[tuple[str, object]] = []
        line: list[str] = []
        last = None  # the _PageTable cell key or None (flow) of the last character
        n = textpage.count_chars()
        for i in range(n):
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            if ch in "\r\n":
                if last is None and line:
                    blocks.append(("line", "".join(line)))
                    line = []
                elif last is not None:
                    last[0].text[last[1]].append("\n")
                continue
            target = last
            if not ch.isspace():
                left, bottom, right, top = textpage.get_charbox(i)
                x, y = (left + right) / 2, (bottom + top) / 2
                target = next((k for t in tables if (k := t.cell_at(x, y)) is not None), None)
            if target is None:
                if last is not None and line:
                    blocks.append(("line", "".join(line)))
                    line = []
                line.append(ch)
            else:
                table = target[0]
                if not table.placed:
                    if line:
                        blocks.append(("line", "".join(line)))
                        line = []
                    table.placed = True
                    blocks.append(("table", table))
                cell = table.text[target[1]]
                if not ch.isspace():
                    if table.low[target[1]] is not None and top < table.low[target[1]]:
                        cell.append("\n")  # wholly below the previous character: a new line
                    table.low[target[1]] = bottom
                cell.append(ch)
            last = target
        if line:
            blocks.append(("line", "".join(line)))
        out = []
        for kind, payload in blocks:
            if kind == "table":
                out.append(("table", (payload.cells(), "")))
            elif payload.strip():
                out.append((kind, payload))
        return out, n
    finally:
        textpage.close()


class _PageTable:
    """A pdfplumber table's cell boxes in PDFium's coordinates, and the text put in each."""

    def __init__(self, table, height: float) -> None:
        self.placed = False
        self.boxes: list[tuple[float, float, float, float]] = []
        self.text: list[list[str]] = []
        self.low: list[float | None] = []  # bottom of the last character put in each cell
        self.spans: list[Cell] = []  # text "" here; filled by cells()
        x0, top, x1, bottom = table.bbox
        self.bbox = (x0, height - bottom, x1, height - top)
        owner: dict[tuple[int, int], int] = {}
        # pdfplumber gives None where no cell starts (a merged cell continues): a None
        # right of a cell widens it, a None below one lengthens it.
        for r, row in enumerate(table.rows):
            for c, box in enumerate(row.cells):
                if box is None:
                    for prev in ((r, c - 1), (r - 1, c)):
                        k = owner.get(prev)
                        if k is None:
                            continue
                        cell = self.spans[k]
                        if prev == (r, c - 1):
                            if cell.row != r:
                                continue  # the left cell comes from above: try above
                            self.spans[k] = Cell(r, cell.col, "", cell.rowspan, cell.colspan + 1)
                        elif cell.row + cell.rowspan == r:
                            self.spans[k] = Cell(
                                cell.row, cell.col, "", cell.rowspan + 1, cell.colspan
                            )
                        owner[(r, c)] = k
                        break
                    continue
                bx0, btop, bx1, bbottom = box
                owner[(r, c)] = len(self.spans)
                self.spans.append(Cell(r, c, ""))
                self.boxes.append((bx0, height - bbottom, bx1, height - btop))
                self.text.append([])
                self.low.append(None)

    def cell_at(self, x: float, y: float):
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return None
        for k, (bx0, by0, bx1, by1) in enumerate(self.boxes):
            if bx0 <= x <= bx1 and by0 <= y <= by1:
                return (self, k)
        return None

    def cells(self) -> list[Cell]:
        """The cells with their text; a row drawn without rulings between its lines
        (every numeric cell holding the same number k >= 2 of one-number lines:
        `19,124\\n35`) is split into k rows, so each number is a cell of its own."""
        lines = [
            [_mend_groups(" ".join(x.split())) for x in "".join(t).split("\n") if x.strip()]
            for t in self.text
        ]
        by_row: dict[int, list[int]] = {}
        for k, c in enumerate(self.spans):
            by_row.setdefault(c.row, []).append(k)
        stacked: dict[int, int] = {}
        for r, ks in by_row.items():
            numeric = [lines[k] for k in ks if any(is_numeric_cell(x) for x in lines[k])]
            depth = {len(x) for x in numeric}
            if (
                len(depth) == 1
                and (k := depth.pop()) >= 2
                and all(is_numeric_cell(x) for cell in numeric for x in cell)
            ):
                stacked[r] = k
        shift: dict[int, int] = {}
        extra = 0
        for r in sorted(by_row):
            shift[r] = extra
            extra += stacked.get(r, 1) - 1
        out = []
        for c, text in zip(self.spans, lines, strict=True):
            r = c.row + shift.get(c.row, 0)
            depth = stacked.get(c.row, 1)
            end = c.row + c.rowspan - 1
            rowspan = end + shift.get(end, 0) + stacked.get(end, 1) - r if c.rowspan > 1 else 1
            if depth > 1 and len(text) == depth:
                out += [Cell(r + j, c.col, x, 1, c.colspan) for j, x in enumerate(text)]
            else:
                joined = _mend_groups(" ".join(text))
                out.append(Cell(r, c.col, joined, max(rowspan, depth), c.colspan))
        return out


def _caption_first(items):
    """A unit caption (`(단위 : 억원, %)`) that PDFium reads right after a table, with
    none right before it, is the table's caption: it goes before the table."""
    from ..money.tables import unit_header_spans

    def caption(i: int) -> bool:
        kind, payload = items[i]
        return kind == "line" and len(payload) <= 60 and bool(unit_header_spans(payload))

    items = list(items)
    for i in range(len(items) - 1):
        if items[i][0] == "table" and caption(i + 1) and not (i > 0 and caption(i - 1)):
            items[i], items[i + 1] = items[i + 1], items[i]
    return items


# A digit group cut by a space PDFium put at a kerning gap: `△12,03 6` is `△12,036`.
_CUT_GROUP = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})*,)(\d{1,2}) (\d{1,2})(?![\d,.])")


def _mend_groups(text: str) -> str:
    return _CUT_GROUP.sub(
        lambda m: (
            m.group(1) + m.group(2) + m.group(3)
            if len(m.group(2)) + len(m.group(3)) == 3
            else m.group(0)
        ),
        text,
    )


def _edge(n: int) -> int:
    """How many lines at each end of a page of `n` lines may be furniture (a short
    page keeps its middle line)."""
    return max(0, min(_EDGE_LINES, (n - 1) // 2))


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


def _running_lines(pages) -> set[str]:
    """Lines (digits ignored) at a page's top or bottom on at least half of 3+ pages."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for blocks, _ in pages:
        lines = [p for k, p in blocks if k == "line"]
        n = _edge(len(lines))
        edge = {_key(x) for x in lines[:n] + lines[len(lines) - n :]}
        seen.update(edge)
    return {k for k, n in seen.items() if n >= max(3, len(pages) // 2)}


def _drop_furniture(blocks, furniture: set[str]):
    """The page's blocks without page numbers and running headers/footers at its edges."""
    out = list(blocks)

    def droppable(i: int) -> bool:
        kind, payload = out[i]
        return kind == "line" and (
            bool(_PAGE_NUMBER.fullmatch(payload.strip())) or _key(payload) in furniture
        )

    for _ in range(_edge(len(out))):
        if out and droppable(0):
            out.pop(0)
        if out and droppable(len(out) - 1):
            out.pop()
    return out
