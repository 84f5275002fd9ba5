"""Readers of the binary formats governments publish in: HWP, HWPX, PDF, DOCX.

`read(fmt, raw)` turns a file's bytes into (text, locations): plain text in
reading order (tables as `| a | b |` rows, see layout.py) and (offset, label)
pairs for Document.locations. Unreadable or refused files raise FormatError
with the reason for documents.csv; any other exception from a library is the
caller's to turn into an error line (ingest does).
"""

from __future__ import annotations

from .errors import FormatError

# Extension -> Document.fmt of the formats read here.
EXTENSIONS = {".hwp": "hwp", ".hwpx": "hwpx", ".pdf": "pdf", ".docx": "docx"}

__all__ = ["EXTENSIONS", "FormatError", "read"]


def read(fmt: str, raw: bytes) -> tuple[str, list[tuple[int, str]]]:
    """(text, locations) of a file's bytes in format `fmt` ("hwp", "hwpx", "pdf", "docx")."""
    if fmt == "hwp":
        from .hwp import read_hwp

        return read_hwp(raw)
    if fmt == "hwpx":
        from .hwpx import read_hwpx

        return read_hwpx(raw)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(raw)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(raw)
    raise ValueError(f"not a binary format: {fmt}")
