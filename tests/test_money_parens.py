"""Parenthetical amounts inheriting the qualifier of the amount before them."""

from __future__ import annotations

from decimal import Decimal

from extract.models import MoneyMention
from extract.money.parens import inherit_parenthetical


def _m(text: str, part: str, qualifier: str = "") -> MoneyMention:
    start = text.index(part)
    return MoneyMention(start, start + len(part), part, Decimal(1), "KRW", qualifier=qualifier)


def _quals(text: str, *parts: tuple[str, str]) -> list[str]:
    mentions = [_m(text, p, q) for p, q in parts]
    return [m.qualifier for m in inherit_parenthetical(text, mentions)]


def test_restated_amount_takes_the_outer_qualifier():
    text = "최대 60억 원(지방 소재 기업 70억 원)"
    assert _quals(text, ("60억 원", "max"), ("70억 원", "")) == ["max", "max"]


def test_own_qualifier_is_kept():
    text = "약 5억원(최대 6억원)"
    assert _quals(text, ("5억원", "approx"), ("6억원", "max")) == ["approx", "max"]


def test_amount_not_closing_the_parenthesis_is_left_alone():
    text = "최대 5억원(6억원 중 일부)"
    assert _quals(text, ("5억원", "max"), ("6억원", "")) == ["max", ""]


def test_amount_not_right_after_is_left_alone():
    text = "최대 5억원을 주고 (6억원)"
    assert _quals(text, ("5억원", "max"), ("6억원", "")) == ["max", ""]


def test_unqualified_outer_gives_nothing():
    text = "5억원(6억원)"
    assert _quals(text, ("5억원", ""), ("6억원", "")) == ["", ""]
