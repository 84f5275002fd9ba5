"""DOCX (Office Open XML) to text with python-docx (MIT).

The body's paragraphs and tables are read in document order (python-docx's
`doc.paragraphs` leaves tables out, so the body element's children are walked).
A merged cell appears once per grid place it covers in `row.cells`: it is
written once, at its first place. A table with one cell, one column or a
nested table is layout and read as paragraphs. Headers and footers live in
other parts and are not read.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from .errors import FormatError
from .layout import Cell, TextBuilder

MAX_UNZIPPED = 256 * 1024 * 1024


def read_docx(raw: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Text and locations ("para 3", "table 1 ...") of a DOCX file's bytes.

    Raises FormatError: not a zip / not a Word document, too large unzipped,
    damaged.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise FormatError("DOCX unzips to more than 256 MB: refused")
    except zipfile.BadZipFile as exc:
        raise FormatError("not a DOCX file (not a zip archive)") from exc
    try:
        document = docx.Document(BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise FormatError(f"not a Word document ({type(exc).__name__})") from exc
    builder = TextBuilder()
    walker = _Walker(builder, document)
    walker.block_items(document.element.body)
    return builder.text(), builder.locations


class _Walker:
    def __init__(self, builder: TextBuilder, document) -> None:
        self.b = builder
        self.document = document
        self.para = 0

    def block_items(self, parent, label: str | None = None) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                if label is None:
                    self.para += 1
                self.b.paragraph(Paragraph(child, self.document).text, label or f"para {self.para}")
            elif tag == "tbl":
                self.table(Table(child, self.document), label or f"para {self.para}")
            elif tag == "sdt":  # content controls wrap paragraphs and tables
                content = child.find(child.tag.replace("sdt", "sdtContent"))
                if content is not None:
                    self.block_items(content, label)

    def table(self, table, anchor: str) -> None:
        rows = list(table.rows)
        grid: list[list] = [list(r.cells) for r in rows]
        width = max((len(r) for r in grid), default=0)
        nested = any(c.tables for r in grid for c in r)
        if nested or width <= 1 or sum(len(r) for r in grid) <= 1:
            seen: set[int] = set()
            for r in grid:
                for c in r:
                    if id(c._tc) not in seen:
                        seen.add(id(c._tc))
                        self.block_items(c._tc, anchor)
            self.b.blank()
            return
        cells: list[Cell] = []
        where: dict[int, int] = {}
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                key = id(cell._tc)
                if key in where:  # a merged cell repeats: widen or lengthen the first one
                    k = where[key]
                    first = cells[k]
                    cells[k] = Cell(
                        first.row,
                        first.col,
                        first.text,
                        max(first.rowspan, r - first.row + 1),
                        max(first.colspan, c - first.col + 1),
                    )
                    continue
                where[key] = len(cells)
                cells.append(Cell(r, c, " ".join(p.text for p in cell.paragraphs)))
        self.b.blank()
        self.b.table(cells, self.b.next_table_label(""))
