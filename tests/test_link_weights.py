"""The project-link scorer: its weights are data that `fit-linker` reproduces, and the
linker stays linear in the text length (work counted, not timed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.linking import link_text
from extract.linking.context import WORK
from extract.linking.generators import LONG_SENTENCE, MAX_IN_VIEW, WINDOW_CHARS
from extract.linking.scorer import load_weights, weights_path
from extract.rules import load_rule_file

ROOT = Path(__file__).resolve().parent.parent


def test_committed_weights_are_fresh():
    """Re-fit on the sets named in rules/link_weights.toml, with the regularisation C
    that fit-linker chose by cross-validation (written there): the same weights come out.

    Fails when the rules, the generators or the features changed (or a set was
    relabeled) without `python -m extract fit-linker ...` being run again."""
    pytest.importorskip("sklearn", reason="scikit-learn (requirements.lock) fits the weights")
    pytest.importorskip("scipy", reason="scipy (requirements.lock) fits the weights")
    from extract.linking.fit import fit_sets

    meta = load_rule_file(weights_path())["meta"]
    sets = [ROOT / s for s in meta["sets"]]
    assert sets and all(s.is_dir() for s in sets), meta["sets"]
    assert not any("blind" in s.name for s in sets), "never fit on a blind set"
    assert meta.get("model") == "softmax over choices", meta
    weights, mentions = fit_sets(sets, float(meta["C"]))
    committed = load_weights()
    assert len(mentions) == meta["mentions"]
    stale = {
        k: (committed.get(k), weights.get(k))
        for k in set(committed) | set(weights)
        if abs(committed.get(k, 0.0) - weights.get(k, 0.0)) > 2e-3
    }
    assert not stale, f"stale weights, run fit-linker: {sorted(stale.items())[:10]}"


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


@pytest.mark.parametrize(
    ("lang", "unit"),
    [
        ("en", "The city spent $1 million on the park project, "),  # one sentence
        ("en", "The city spent $1 million on the park project {i}. "),  # many, one line
        ("ko", "시는 공원 조성 사업{i}에 12억원을 투입하고 "),
    ],
)
def test_many_amounts_on_one_line_work_is_linear(lang, unit, monkeypatch):
    """Thousands of amounts on one line (a budget annex flattened to one line; 2,000
    took 10 s, a 940 KB line timed out): the row labels before each amount come from
    one split of the line, and the items in view of an amount are read from lists that
    hold each name once, up to the cap of candidates. Counted: the work of the
    windows, the row labels and the items in view, and the names compared (norm_key
    calls), per amount."""
    import extract.linking as linking
    import extract.linking.generators as generators

    calls = [0]

    def counting(fn):
        def wrapped(s):
            calls[0] += 1
            return fn(s)

        return wrapped

    monkeypatch.setattr(generators, "norm_key", counting(generators.norm_key))
    monkeypatch.setattr(linking, "norm_key", counting(linking.norm_key))
    sizes = {}
    for n in (500, 2000):
        WORK.clear()
        calls[0] = 0
        text = "".join(unit.format(i=i % 50) for i in range(n))
        assert "\n" not in text
        links = link_text(text, lang)
        assert len(links) == n
        work = WORK["tokens"] + WORK["chars"] + WORK["rows"] + WORK["view"]
        assert WORK["rows"] >= len(text) and WORK["view"] >= n  # both are counted
        sizes[n] = (work / n, calls[0] / n)
    # an amount compares a bounded number of names (was ~600 per amount, growing
    # with the amounts of its sentence), and per-amount work does not grow
    assert max(calls for _w, calls in sizes.values()) <= 5 * MAX_IN_VIEW, sizes
    assert sizes[2000][0] <= sizes[500][0] * 1.2 + 1, sizes
    assert sizes[2000][1] <= sizes[500][1] * 1.2 + 1, sizes


def test_every_blind_set_is_marked_and_fit_linker_refuses_it(tmp_path, capsys):
    """tests/blind* carry a BLIND file; fit-linker exits 2 on each and writes nothing,
    and the committed weights were fitted on no blind set."""
    from extract.linking.fit import BLIND_MARKER, main_fit

    blind = sorted(p for p in (ROOT / "tests").glob("blind*") if p.is_dir())
    assert blind and all((p / BLIND_MARKER).is_file() for p in blind)
    out = tmp_path / "weights.toml"
    for one in blind:
        assert main_fit([ROOT / "tests" / "labeled", one], out, cv=False) == 2, one.name
        assert not out.exists()
        assert "marked blind" in capsys.readouterr().err
    fitted = load_rule_file(weights_path())["meta"]["sets"]
    assert not any((ROOT / s / BLIND_MARKER).exists() for s in fitted)
