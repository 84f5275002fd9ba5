"""HWPX (Hancom OWPML, a zip of XML parts) to text: paragraphs, text boxes, tables.

The body is `Contents/section0.xml`, `section1.xml`, ... (in the order the
package manifest `Contents/content.hpf` lists them, else by number). Each
section holds `hp:p` paragraphs of `hp:run`s; a run holds text (`hp:t`, with
`hp:tab`/`hp:lineBreak`/`hp:fwSpace` inside), controls (`hp:ctrl`: header,
footer, page number, footnote ...), tables (`hp:tbl`) and drawing objects
(`hp:rect`, `hp:container` ... whose `hp:drawText` holds text boxes).

Kept: paragraph text, text boxes and footnotes (after their anchor paragraph),
table captions and cells. Dropped: headers and footers (`hp:header`,
`hp:footer`), page numbers (`hp:pageNum`, `hp:autoNum`), hidden comments.

A table used for layout (one cell, one column, or a cell holding another
table: the boxes Korean press releases are drawn with) is read as the
paragraphs inside it; any other table is a data table (layout.TextBuilder.table).

HWP 5.0 files go through the same walker after python-hwpx converts them to
these XML parts (extract/formats/hwp.py).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from lxml import etree

from .errors import FormatError
from .layout import Cell, TextBuilder

# Parts unzipped in total; an HWPX press release is a few MB of XML.
MAX_UNZIPPED = 256 * 1024 * 1024
_SECTION = re.compile(r"Contents/section(\d+)\.xml\Z")
_SKIP = frozenset({"header", "footer", "pageNum", "autoNum", "pageHiding", "pageNumCtrl"})
_SKIP |= {"hiddenComment", "fieldEnd", "bookmark", "indexmark", "memo"}
_NOTES = frozenset({"footNote", "endNote"})
_SPACE_CHARS = {"fwSpace": " ", "nbSpace": " ", "hyphen": "-", "lineBreak": "\n", "tab": "\t"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
    )


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1]


def read_hwpx(raw: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Text and locations of an HWPX package's bytes.

    Raises FormatError (not a zip, no section part, damaged XML, too large
    unzipped, encrypted parts).
    """
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FormatError("not an HWPX file (not a zip archive)") from exc
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNZIPPED:
            raise FormatError("HWPX unzips to more than 256 MB: refused")
        names = {i.filename for i in infos}
        if "META-INF/manifest.xml" in names:
            manifest = archive.read("META-INF/manifest.xml")
            if b"encryption-data" in manifest:
                raise FormatError("password-protected HWPX: cannot be read")
        sections = sorted(
            (int(m.group(1)), n) for n in names if (m := _SECTION.fullmatch(n)) is not None
        )
        if not sections:
            raise FormatError("not an HWPX file (no Contents/section0.xml)")
        parts = [archive.read(name) for _, name in sections]
    return read_sections(parts)


def read_sections(parts: list[bytes]) -> tuple[str, list[tuple[int, str]]]:
    """Text and locations of the section XML parts of an HWPX package, in order."""
    builder = TextBuilder()
    for number, data in enumerate(parts, 1):
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise FormatError(f"damaged section {number} XML: {exc}") from exc
        _Walker(builder, f"section {number}").walk(root)
    return builder.text(), builder.locations


class _Walker:
    def __init__(self, builder: TextBuilder, section: str) -> None:
        self.b = builder
        self.section = section
        self.para = 0

    def walk(self, root) -> None:
        for p in root:
            if _local(p) == "p":
                self.para += 1
                self.paragraph(p, f"{self.section}, para {self.para}")

    # A paragraph: its text, with tables and boxes written where they are anchored.
    def paragraph(self, p, label: str) -> None:
        text: list[str] = []
        later: list = []  # footnotes: after the paragraph

        def flush() -> None:
            self.b.paragraph("".join(text), label)
            text.clear()

        for run in p:
            if _local(run) != "run":
                continue
            for child in run:
                name = _local(child)
                if name == "t":
                    text.append(_t_text(child))
                elif name == "ctrl":
                    later += [c for c in child if _local(c) in _NOTES]
                elif name == "tbl":
                    flush()
                    self.table(child, label)
                elif name in _SKIP:
                    continue
                else:  # drawing objects, pictures with captions, equations: their text boxes
                    boxes = _top_sublists(child)
                    if boxes:
                        flush()
                        for box in boxes:
                            self.sublist(box, label)
        flush()
        for note in later:
            for box in _top_sublists(note):
                self.sublist(box, label)

    def sublist(self, sub, label: str) -> None:
        for p in sub:
            if _local(p) == "p":
                self.paragraph(p, label)

    def table(self, tbl, anchor: str) -> None:
        cells = []
        nested = False
        for tr in tbl:
            if _local(tr) != "tr":
                continue
            for tc in tr:
                if _local(tc) != "tc":
                    continue
                addr = span = sub = None
                for x in tc:
                    name = _local(x)
                    if name == "cellAddr":
                        addr = x
                    elif name == "cellSpan":
                        span = x
                    elif name == "subList":
                        sub = x
                if sub is not None and any(_local(e) == "tbl" for e in sub.iter()):
                    nested = True
                cells.append((tc, addr, span, sub))
        caption = next((x for x in tbl if _local(x) == "caption"), None)
        cols = {_int(a, "colAddr") for _, a, _, _ in cells}
        if nested or len(cells) <= 1 or len(cols) <= 1:
            if caption is not None:
                for box in _top_sublists(caption):
                    self.sublist(box, anchor)
            for _, _, _, sub in cells:
                if sub is not None:
                    self.sublist(sub, anchor)
            self.b.blank()
            return
        label = self.b.next_table_label(f"{self.section}, ")
        grid = []
        for _, addr, span, sub in cells:
            lines = _plain_lines(sub) if sub is not None else []
            grid.append(
                Cell(
                    _int(addr, "rowAddr"),
                    _int(addr, "colAddr"),
                    " ".join(lines),
                    _int(span, "rowSpan", 1),
                    _int(span, "colSpan", 1),
                )
            )
        caption_text = ""
        if caption is not None:
            caption_text = " ".join(
                line for box in _top_sublists(caption) for line in _plain_lines(box)
            )
        self.b.blank()
        try:
            self.b.table(grid, label, caption_text)
        except ValueError as exc:
            raise FormatError(str(exc)) from exc


def _int(el, attr: str, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(attr, default))
    except (TypeError, ValueError):
        return default


def _t_text(t) -> str:
    out = [t.text or ""]
    for child in t:
        out.append(_SPACE_CHARS.get(_local(child), ""))
        out.append(child.tail or "")
    return "".join(out)


def _top_sublists(el) -> list:
    """`hp:subList` elements under `el` that are not inside another subList under it."""
    found = []
    stack = list(el)
    while stack:
        node = stack.pop(0)
        name = _local(node)
        if name == "subList":
            found.append(node)
        elif name and name not in _SKIP:
            stack[:0] = list(node)
    return found


def _plain_lines(sub) -> list[str]:
    """Every paragraph's text inside a cell or caption (nested boxes included), in order."""
    out = []
    for p in sub.iter():
        if _local(p) != "p":
            continue
        parts = []
        for run in p:
            if _local(run) != "run":
                continue
            for t in run:
                if _local(t) == "t":
                    parts.append(_t_text(t))
        line = "".join(parts).strip()
        if line:
            out.append(line)
    return out
