"""HWP 5.0 (Hancom binary, an OLE compound file) to text.

python-hwpx (Apache-2.0) decodes the compound file and converts its BodyText
records into the HWPX section XML that extract/formats/hwpx.py walks, so both
Hancom formats share one reader (text boxes, tables, captions, footnotes; no
headers, footers or page numbers). Distribution-locked (배포용), password and
DRM documents are refused with a reason: their body is encrypted and the only
readable text would be the placeholder preview.
"""

from __future__ import annotations

from .errors import FormatError
from .hwpx import read_sections

_REFUSED = {
    "hwp5-distribution": "distribution-locked HWP (배포용): cannot be read",
    "hwp5-password": "password-protected HWP: cannot be read",
    "hwp5-drm": "DRM-protected HWP: cannot be read",
    "hwp5-limit-exceeded": "HWP exceeds the reader's size limits: refused",
}


def read_hwp(raw: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Text and locations of an HWP 5.0 file's bytes.

    Raises FormatError: not an HWP 5.0 file, distribution-locked, password or
    DRM protected, damaged.
    """
    from hwpx.hwp5.errors import Hwp5Error
    from hwpx.hwp5.package import convert

    if not raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FormatError("not an HWP 5.0 file (no OLE compound file signature)")
    try:
        converted = convert(raw)
    except Hwp5Error as exc:
        code = getattr(exc, "code", "")
        raise FormatError(_REFUSED.get(code, f"damaged HWP ({code or 'unreadable'})")) from exc
    names = sorted(
        (n for n in converted.files if n.startswith("Contents/section") and n.endswith(".xml")),
        key=lambda n: int(n[len("Contents/section") : -len(".xml")] or 0),
    )
    if not names:
        raise FormatError("damaged HWP (no body text sections)")
    return read_sections([converted.files[n] for n in names])
