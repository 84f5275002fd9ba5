"""Walk every rule file under rules/ and check every example it carries.

This is the contract that keeps rules as data: a rule file's examples are what
it must parse and what they mean. Adding a phrasing = editing data + examples.
"""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest

from extract.rules import load_rule_file, rules_dir

LANG_MODULES = {"ko": "extract.money.korean", "en": "extract.money.english"}


def _examples():
    for path in sorted(rules_dir().rglob("*.toml")):
        data = load_rule_file(path)
        for i, ex in enumerate(data["example"]):
            rel = path.relative_to(rules_dir())
            yield pytest.param(data["meta"], ex, id=f"{rel}#{i + 1}:{ex['text'][:40]}")


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _check_number(meta, ex):
    module = importlib.import_module(LANG_MODULES[ex.get("lang", meta["lang"])])
    assert module.parse_number(ex["text"]) == Decimal(str(ex["value"]))


def _money_fields(mentions) -> list[dict]:
    return [
        {
            "text": m.text,
            "amount": m.amount,
            "amount_max": m.amount_max,
            "currency": m.currency,
            "qualifier": m.qualifier,
            "vague": m.vague,
            "exchange_rate": getattr(m, "exchange_rate", False)
            or getattr(m, "link_rule", "") == "exchange_rate",
            "rate_base": getattr(m, "rate_base", False)
            or getattr(m, "link_rule", "") == "rate_base",
        }
        for m in mentions
    ]


def _want(ex) -> list[dict]:
    return [
        {
            "text": e["text"],
            "amount": _dec(e.get("amount")),
            "amount_max": _dec(e.get("amount_max")),
            "currency": e["currency"],
            "qualifier": e.get("qualifier", ""),
            "vague": e.get("vague", False),
            "exchange_rate": e.get("exchange_rate", False),
            "rate_base": e.get("rate_base", False),
        }
        for e in ex["expect"]
    ]


def _check_money(meta, ex):
    from extract.money import find_money

    assert _money_fields(find_money(ex["text"], ex.get("lang", meta["lang"]))) == _want(ex)


def _check_table(meta, ex):
    from extract.money.tables import find_table_money

    assert _money_fields(find_table_money(ex["text"])) == _want(ex)


def _check_furniture(meta, ex):
    from extract.money.furniture import furniture_ranges

    got = [ex["text"][a:b].strip() for a, b in furniture_ranges(ex["text"])]
    assert got == [s.strip() for s in ex["skipped"]]


def _check_document(meta, ex):
    # The whole pipeline (detect -> segment -> money) on the text as one document:
    # for rules that act through the sentence splitter (rules/en/abbreviations.toml).
    from extract.models import Document
    from extract.pipeline import process_document

    _, records = process_document(Document("example", ex["text"], "", "txt", "utf-8"))
    assert _money_fields(records) == _want(ex)


def _check_link(meta, ex):
    from extract.linking import link_text

    links = link_text(ex["text"], ex.get("lang", meta["lang"]))
    got = [(m.text, link.project) for m, link in links]
    for e in ex["expect"]:
        assert (e["money"], e["project"]) in got, f"want {e} in {got}"
        if "project_id" in e:
            ids = [link.project_id for m, link in links if m.text == e["money"]]
            assert e["project_id"] in ids, f"want project_id {e['project_id']} in {ids}"


def _check_totals(meta, ex):
    # The whole pipeline on the text, then what the project total makes of each record
    # (extract/totals.py figure_roles): `counted` are the figures added, `left_out` the
    # changes, a total column's parts, per-unit amounts, conversions, money not received and
    # a spent column beside its budget (mentions only), in text order.
    from extract.models import Document
    from extract.pipeline import process_document
    from extract.totals import (
        CHANGE,
        CONVERSION,
        FIGURE,
        NOT_RECEIVED,
        PART,
        PER_UNIT,
        SPENT,
        figure_roles,
    )

    _, records = process_document(Document("example", ex["text"], "", "txt", "utf-8"))
    roles = figure_roles(records, ex["text"])
    got = [r.text for r, role in zip(records, roles, strict=True) if role == FIGURE]
    mentions_only = (CHANGE, PART, PER_UNIT, CONVERSION, NOT_RECEIVED, SPENT)
    out = [r.text for r, role in zip(records, roles, strict=True) if role in mentions_only]
    assert (got, out) == (ex["counted"], ex["left_out"]), [
        (r.text, role) for r, role in zip(records, roles, strict=True)
    ]


def _check_aliases(meta, ex):
    # One document whose records are linked to `names` (in order): extract/aliases.py
    # `project_groups` must make `same` one group each, every other name its own group,
    # and find `ambiguous` (the end of two longer names) kept apart.
    from extract.aliases import project_groups
    from extract.models import Record

    records = [
        Record(doc="a.txt", lang=meta["lang"], sentence="", start=i, end=i + 1, text="x",
               amount=None, amount_max=None, currency="KRW", qualifier="", vague=False,
               project=name)
        for i, name in enumerate(ex["names"])
    ]  # fmt: skip
    grouping = project_groups(records)
    got: dict[str, set[str]] = {}
    for name, key in zip(ex["names"], grouping.keys, strict=True):
        got.setdefault(key, set()).add(name)
    want = [set(g) for g in ex["same"]]
    want += [{n} for n in ex["names"] if not any(n in g for g in want)]
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, want)), grouping
    assert sorted(grouping.ambiguous) == sorted(ex.get("ambiguous", [])), grouping


CHECKERS = {
    "number": _check_number,
    "money": _check_money,
    "link": _check_link,
    "projects": _check_link,
    "totals": _check_totals,
    "aliases": _check_aliases,
    # example kinds that a rule file of kind "money" may declare with meta.example_kind
    "table": _check_table,
    "furniture": _check_furniture,
    "document": _check_document,
}


@pytest.mark.parametrize("meta,example", list(_examples()))
def test_rule_example(meta, example):
    CHECKERS[meta.get("example_kind", meta["kind"])](meta, example)


def test_every_rule_file_has_examples():
    # the fitted weights (kind "weights") are checked by every link example and by
    # tests/test_link_weights.py (re-fit, compare), not by examples of their own
    empty = [
        str(p)
        for p in rules_dir().rglob("*.toml")
        if not load_rule_file(p)["example"] and load_rule_file(p)["meta"]["kind"] != "weights"
    ]
    assert not empty, f"rule files without examples: {empty}"
