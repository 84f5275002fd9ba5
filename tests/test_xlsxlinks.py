"""Links kept in a file (extract/xlsxlinks.py) make the workbook XlsxWriter would make."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from extract import xlsxlinks
from extract.export import source_href

PATHS = [
    "../corpora/ko/광주 예산.txt",
    "../corpora/a#b.txt",
    "../corpora/with space/x.txt",
    "sub/../y.txt",
    "../corpora/퍼센트%41.txt",
]


def _workbook(path: Path, spilled: bool, rows: int = 40) -> None:
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    wb = (xlsxlinks.Workbook if spilled else xlsxwriter.Workbook)(str(path), options)
    wb.set_properties({"created": datetime(2026, 11, 30)})
    link = wb.add_format({"font_color": "#0563C1", "underline": 1})
    sheets = [
        wb.add_worksheet(name, xlsxlinks.SpilledLinksSheet if spilled else None)
        for name in ("records", "documents")
    ]
    for n, ws in enumerate(sheets):
        for row in range(1, rows + 1):
            ws.write_string(row, 0, f"row {row}")
            target = PATHS[(row + n) % len(PATHS)]
            url = "external:" + source_href(target)
            if spilled:
                assert ws.external_link(row, 2, url, target, link)
            else:
                ws.write_url(row, 2, url, link, string=target)
            if row % 7 == 0:  # comments add relationships after the links' ones
                ws.write_comment(row, 1, "kept as text", {"author": "extract"})
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"values": ["records", 1, 0, 5, 0]})
    sheets[0].insert_chart(1, 5, chart)
    wb.close()
    if spilled:
        for ws in sheets:
            ws.close_spill()


def test_the_workbook_is_byte_for_byte_what_write_url_makes(tmp_path: Path) -> None:
    _workbook(tmp_path / "plain.xlsx", spilled=False)
    _workbook(tmp_path / "spilled.xlsx", spilled=True)
    with (
        zipfile.ZipFile(tmp_path / "plain.xlsx") as plain,
        zipfile.ZipFile(tmp_path / "spilled.xlsx") as spilled,
    ):
        assert plain.namelist() == spilled.namelist()
        assert "xl/worksheets/_rels/sheet1.xml.rels" in plain.namelist()
        for name in plain.namelist():
            assert plain.read(name) == spilled.read(name), name
    ws = load_workbook(tmp_path / "spilled.xlsx")["documents"]
    assert ws.cell(2, 3).value == PATHS[2]
    assert ws.cell(2, 3).hyperlink.target == "..\\corpora\\with%20space\\x.txt"


def test_links_past_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxlinks, "EXCEL_LINK_LIMIT", 3)
    wb = xlsxlinks.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("s", xlsxlinks.SpilledLinksSheet)
    written = [ws.external_link(r, 0, "external:a.txt", "a.txt", None) for r in range(5)]
    assert written == [True, True, True, False, False]
    assert not ws.external_link(6, 0, "external:" + "a" * 3000, "long", None)
    wb.close()
    ws.close_spill()
    got = load_workbook(tmp_path / "x.xlsx")["s"]
    assert [got.cell(r + 1, 1).hyperlink is not None for r in range(5)] == written
    assert got.cell(7, 1).value is None  # nothing written for a refused link


def test_a_sheet_keeps_no_link_in_memory(tmp_path: Path) -> None:
    wb = xlsxlinks.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("s", xlsxlinks.SpilledLinksSheet)
    for r in range(2000):
        ws.external_link(r, 0, f"external:d{r}.txt", f"d{r}.txt", None)
    assert not ws.hyperlinks and ws.spilled_links == 2000
    wb.close()
    ws.close_spill()
    assert load_workbook(tmp_path / "x.xlsx")["s"].cell(2000, 1).hyperlink.target == "d1999.txt"
