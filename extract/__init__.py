"""Bilingual (Korean + English) extraction of money amounts and the projects they fund.

Notebook API (each loads its modules on first use, so `import extract` is light)::

    import extract
    df = extract.extract_text("광주시는 인공지능 사업에 153억원을 투입한다.")
    df = extract.extract_files(["corpora/a.txt", "b.html"])
    df = extract.read_outputs("outputs")

See `extract.api` for the columns and types.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["extract_files", "extract_text", "read_outputs"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
