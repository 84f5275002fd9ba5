"""Hyperlinks in an XlsxWriter worksheet without holding them in memory.

XlsxWriter (3.x) keeps every hyperlink of a worksheet as a `Url` object in a dict
until the workbook is closed, even in constant-memory mode: about 760 bytes per
link, so a sheet at Excel's limit of 65,530 links holds about 50 MB, and records.xlsx
has two such sheets (records and documents). `SpilledLinksSheet` writes the link's
cell as usual and notes the link (row, column, relationship target, anchor) in a
temporary file instead; when XlsxWriter assembles the sheet's XML, the
`<hyperlinks>` element is written from that file, and so is the sheet's
relationships file (`Workbook`'s packager streams it instead of building the list
of every relationship first, which XlsxWriter's does). The target and anchor
come from XlsxWriter's own `Url` parsing, so the workbook is byte for byte the
one `write_url` would have made (tests/test_xlsxlinks.py). Relies on XlsxWriter's
private `_write_hyperlinks`, `external_hyper_links`, `_get_packager` and
`Packager._write_worksheet_rels_files` (version pinned in requirements.lock).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.relationships import DOCUMENT_SCHEMA, Relationships
from xlsxwriter.url import Url
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

# Excel refuses more hyperlinks than this in one worksheet.
EXCEL_LINK_LIMIT = 65_530


class _Chain:
    """What the packager makes of `external_hyper_links + other lists`: iterable once
    per use, true when any part is."""

    def __init__(self, *parts: Iterable[Any]) -> None:
        self.parts = parts

    def __add__(self, other: Iterable[Any]) -> _Chain:
        return _Chain(*self.parts, other)

    def __bool__(self) -> bool:
        return any(bool(p) for p in self.parts)

    def __iter__(self) -> Iterator[Any]:
        for part in self.parts:
            yield from part


class _SpilledRelationships:
    """The sheet's external hyperlink relationships, read back from its spill file in
    the order their `rId`s were given."""

    def __init__(self, sheet: SpilledLinksSheet) -> None:
        self.sheet = sheet

    def __add__(self, other: Iterable[Any]) -> _Chain:
        return _Chain(self, other)

    def __bool__(self) -> bool:
        return self.sheet.spilled_links > 0

    def __iter__(self) -> Iterator[list[str]]:
        for _row, _col, target, _anchor in self.sheet.spilled():
            yield ["/hyperlink", target, "External"]


class SpilledLinksSheet(Worksheet):
    """A worksheet whose external links live in a temporary file until it is written
    (add with `external_link`, in row order; `write_url` is not supported)."""

    def __init__(self) -> None:
        super().__init__()
        self.spilled_links = 0
        self._last = ("", "", "")  # the last URL parsed: (url, target, anchor)
        # Deleted when closed or when the process ends; never in the outputs folder.
        self._spill = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        self.external_hyper_links = _SpilledRelationships(self)  # type: ignore[assignment]

    def external_link(self, row: int, col: int, url: str, text: str, cell_format: Any) -> bool:
        """Write `text` at (row, col) as a link to `url` (an XlsxWriter URL such as
        `external:../a.txt`); False, and nothing written, once the sheet holds Excel's
        limit of links or when XlsxWriter would refuse the URL."""
        if self.spilled_links >= EXCEL_LINK_LIMIT:
            return False
        if len(url.split("#", 1)[0].encode("utf-16-le")) // 2 > self.max_url_length:
            return False  # write_url would refuse it too (with a warning)
        if self._last[0] != url:  # rows of one document link to the same file
            try:
                parsed = Url(url)
            except ValueError:
                return False
            self._last = (url, parsed._target(), parsed._anchor)
        if self._write_string(row, col, text, cell_format) != 0:
            return False
        self._spill.write(json.dumps([row, col, self._last[1], self._last[2]]) + "\n")
        self.spilled_links += 1
        return True

    def spilled(self) -> Iterator[tuple[int, int, str, str]]:
        """The links noted so far, in the order they were added."""
        self._spill.flush()
        self._spill.seek(0)
        for line in self._spill:
            row, col, target, anchor = json.loads(line)
            yield row, col, target, anchor
        self._spill.seek(0, 2)

    def _write_hyperlinks(self) -> None:
        if self.hyperlinks:
            raise NotImplementedError("SpilledLinksSheet takes links only by external_link")
        if not self.spilled_links:
            return
        self._xml_start_tag("hyperlinks")
        for row, col, _target, anchor in self.spilled():
            self.rel_count += 1
            attributes = [("ref", xl_rowcol_to_cell(row, col)), ("r:id", f"rId{self.rel_count}")]
            if anchor:
                attributes.append(("location", anchor))
            self._xml_empty_tag("hyperlink", attributes)
        self._xml_end_tag("hyperlinks")

    def close_spill(self) -> None:
        """Remove the temporary file (after the workbook is closed)."""
        self._spill.close()


class _StreamingPackager(Packager):
    """XlsxWriter's packager, but a worksheet's relationships file is written while
    its relationships are read (one at a time), not after collecting them all."""

    def _write_worksheet_rels_files(self) -> None:
        # XlsxWriter 3.3's method, with `rels.relationships` an iterator.
        index = 0
        for worksheet in self.workbook.worksheets():
            if worksheet.is_chartsheet:
                continue
            index += 1
            external_links = (
                worksheet.external_hyper_links
                + worksheet.external_drawing_links
                + worksheet.external_vml_links
                + worksheet.external_background_links
                + worksheet.external_table_links
                + worksheet.external_comment_links
            )
            if not external_links:
                continue
            rels = Relationships()
            rels.relationships = _document_relationships(external_links)  # type: ignore[assignment]
            rels._set_xml_writer(self._filename(f"xl/worksheets/_rels/sheet{index}.xml.rels"))
            rels._assemble_xml_file()


def _document_relationships(links: Iterable[Any]) -> Iterator[tuple[str, str, str | None]]:
    """What `Relationships._add_document_relationship(*link)` would have stored."""
    for link in links:
        rel_type, target, *mode = link
        yield DOCUMENT_SCHEMA + rel_type, target, mode[0] if mode else None


class Workbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose packager streams worksheet relationships (for
    `SpilledLinksSheet`; other sheets are written as XlsxWriter writes them)."""

    def _get_packager(self) -> Packager:
        return _StreamingPackager()
