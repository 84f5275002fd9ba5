"""Other projects' money test suites (../shared/peer-suites) as a conformance floor."""

from __future__ import annotations

import pytest
from helpers import shared_dir

from extract.conform import conform_dir, scope_reason

PEER_SUITES = shared_dir() / "peer-suites"

# Measured pass rates of in-scope rows (see README "Accuracy"); a drop below fails.
FLOORS = {
    "duckling_amount_of_money_en.jsonl": 0.984,
    "duckling_amount_of_money_ko.jsonl": 1.0,
    "duckling_numeral_ko.jsonl": 1.0,
    "recognizers_currency_en.jsonl": 0.991,
    "recognizers_currency_en_py_unsupported.jsonl": 1.0,
    "recognizers_currency_ko.jsonl": 1.0,
}


@pytest.fixture(scope="module")
def results():
    if not PEER_SUITES.is_dir():
        pytest.skip(f"peer suites not found at {PEER_SUITES} (../shared beside the repo)")
    return {r.name: r for r in conform_dir(PEER_SUITES)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_pass_rate_floor(results, name: str) -> None:
    r = results[name]
    assert r.pass_rate >= FLOORS[name], [f["text"] for f in r.failures]


def test_every_row_is_counted(results) -> None:
    for r in results.values():
        assert r.in_scope + sum(r.out_of_scope.values()) == r.rows
        assert r.in_scope > 0, f"{r.name} has no in-scope rows"


def test_scope_reasons_are_explicit() -> None:
    assert "sub-unit" in scope_reason({"currency": "Cent", "lang": "en"})
    assert scope_reason({"currency": "KRW", "lang": "ko"}) == ""
    assert "suspect" in scope_reason({"suspect": True, "currency": "USD", "lang": "en"})
    assert "not in our" in scope_reason({"currency": "XTS", "lang": "en"})
