"""Small builders shared by the tests of the later stages (store, export, report, gold)."""

from __future__ import annotations

from decimal import Decimal

from extract.models import Record


def rec(doc: str, full: str, text: str, amount, **kw) -> Record:
    """A record of `text`, found (first occurrence) in the document text `full`."""
    start = full.index(text)
    return Record(
        doc=doc,
        lang=kw.pop("lang", "ko"),
        sentence=kw.pop("sentence", full),
        start=start,
        end=start + len(text),
        text=text,
        amount=None if amount is None else Decimal(amount),
        amount_max=kw.pop("amount_max", None),
        currency=kw.pop("currency", "KRW"),
        qualifier=kw.pop("qualifier", ""),
        vague=kw.pop("vague", False),
        **kw,
    )


def shared_dir():
    """The read-only shared material (peer suites, real-ko-klue): `../shared` beside the
    repository, or the folder named by the EXTRACT_SHARED environment variable (for a
    checkout that does not sit beside it, e.g. a git worktree)."""
    import os
    from pathlib import Path

    env = os.environ.get("EXTRACT_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"
