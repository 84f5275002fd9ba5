"""The project-link scorer: its weights are data that `fit-linker` reproduces, and the
linker stays linear in the text length (work counted, not timed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.linking import link_text
from extract.linking.context import WORK
from extract.linking.generators import LONG_SENTENCE, WINDOW_CHARS
from extract.linking.scorer import LINEAR, TREES, load_weights, trees_from_tables, weights_path
from extract.rules import load_rule_file

ROOT = Path(__file__).resolve().parent.parent


def test_committed_weights_are_fresh():
    """Re-fit on the sets named in rules/link_weights.toml, with the model kind written
    there (boosted trees, or the conditional logit with the C that fit-linker chose by
    cross-validation): the same model comes out.

    Fails when the rules, the generators or the features changed (or a set was
    relabeled) without `python -m extract fit-linker ...` being run again."""
    pytest.importorskip("sklearn", reason="scikit-learn (requirements.lock) fits the model")
    pytest.importorskip("scipy", reason="scipy (requirements.lock) fits the model")
    from extract.linking.fit import fit_sets

    meta = load_rule_file(weights_path())["meta"]
    sets = [ROOT / s for s in meta["sets"]]
    assert sets and all(s.is_dir() for s in sets), meta["sets"]
    assert not any("blind" in s.name for s in sets), "never fit on a blind set"
    assert meta.get("model") in (TREES, LINEAR), meta
    if meta["model"] == TREES:
        pytest.importorskip("lightgbm", reason="LightGBM (requirements.lock) fits the trees")
        tables, mentions = fit_sets(sets, trees=True)
        assert len(mentions) == meta["mentions"]
        committed = load_rule_file(weights_path())["tree"]
        assert len(tables) == len(committed), "stale trees, run fit-linker"
        for k, (new, old) in enumerate(zip(tables, committed, strict=True)):
            shape = ("feature", "left", "right")
            assert all(new[f] == old[f] for f in shape), f"stale tree {k}, run fit-linker"
            close = [
                abs(a - b) <= 1e-9 * max(1.0, abs(b))
                for a, b in zip(new["threshold"], old["threshold"], strict=True)
            ]
            assert all(close), f"stale tree {k} thresholds, run fit-linker"
            leaves = [abs(a - b) <= 2e-3 for a, b in zip(new["leaf"], old["leaf"], strict=True)]
            assert len(new["leaf"]) == len(old["leaf"]) and all(leaves), f"stale tree {k}"
        return
    weights, mentions = fit_sets(sets, float(meta["C"]), trees=False)
    committed = load_weights()
    assert len(mentions) == meta["mentions"]
    stale = {
        k: (committed.get(k), weights.get(k))
        for k in set(committed) | set(weights)
        if abs(committed.get(k, 0.0) - weights.get(k, 0.0)) > 2e-3
    }
    assert not stale, f"stale weights, run fit-linker: {sorted(stale.items())[:10]}"


def test_trees_score_sparse_rows_like_a_full_walk():
    """The scorer walks only the trees that split on a feature the row has; a row's
    score equals the walk of every tree (absent features read as 0)."""
    tables = [
        {"feature": ["a", "b"], "threshold": [0.5, 1e-35], "left": [-1, -2], "right": [1, -3],
         "leaf": [0.1, -0.2, 0.7]},
        {"feature": ["c"], "threshold": [0.25], "left": [-1], "right": [-2], "leaf": [0.3, -0.4]},
        {"feature": [], "threshold": [], "left": [], "right": [], "leaf": [0.05]},
    ]  # fmt: skip
    model = trees_from_tables(tables)

    def full(row):
        total = 0.0
        for t in tables:
            k = 0 if t["feature"] else -1
            while k >= 0:
                go = row.get(t["feature"][k], 0.0) <= t["threshold"][k]
                k = t["left"][k] if go else t["right"][k]
            total += t["leaf"][-k - 1]
        return total

    rows = [{}, {"a": 1.0}, {"a": 1.0, "b": 1.0}, {"c": 0.5}, {"b": 1.0, "z": 3.0}]
    for row in rows:
        assert model.score(row) == pytest.approx(full(row))
    assert model.score({"a": 1.0, "b": 1.0, "c": 1.0}) == pytest.approx(0.7 - 0.4 + 0.05)


def test_every_record_gets_a_score():
    links = link_text("청년 월세 지원 사업에 240억원을 투입한다. 연매출 3억원 이하 소상공인", "ko")
    assert [lk.project for _m, lk in links] == ["청년 월세 지원 사업", ""]
    for _m, lk in links:
        assert lk.score is not None and 0.0 <= lk.score <= 1.0
        assert lk.score == round(lk.score, 3)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_long_line_work_is_linear(lang):
    """A one-line article of thousands of amounts (issue 13: 100 KB took minutes):
    each amount's generators see a bounded window, so the work per amount is
    bounded whatever the line length."""
    unit = (
        "사업 예산 12억원과 지원금 3억원, " if lang == "ko" else "the fund gets 12 billion won and "
    )
    sizes = {}
    for n in (100, 400):
        WORK.clear()
        links = link_text(unit * n, lang)
        assert len(links) >= n
        sizes[n] = (WORK["tokens"] + WORK["chars"]) / len(links)
    assert len(unit * 400) > 4 * LONG_SENTENCE
    # per-amount work does not grow with the line: bounded by the window
    assert sizes[400] <= sizes[100] * 1.2 + 1
    assert sizes[400] <= 4 * WINDOW_CHARS
