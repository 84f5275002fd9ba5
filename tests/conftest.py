"""Test-suite wiring: every test that reads or scores a blind set is marked ``blind``.

The blind sets (tests/blind, blind2, blind3, blind4) are the honest figures. While iterating on
rules or the linker, run ``pytest -m "not blind"`` so their pass/fail is not seen (and
not tuned on); CI and ``make test`` run everything."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark items whose file or parameter names a blind set (``test_blind_set.py``,
    ``test_overall_floors[blind2]``)."""
    for item in items:
        if "blind" in item.nodeid.lower():
            item.add_marker(pytest.mark.blind)
