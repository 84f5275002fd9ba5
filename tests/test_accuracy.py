"""Accuracy floors on the three labeled sets (README "Accuracy").

Each floor is a little under the figure measured on 2026-11-22. Raise them as
extraction improves; never lower one to make a change pass. The consistency of
each set itself is checked in test_labeled_set.py, test_heldout_set.py and
test_blind_set.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluate import EvalReport, evaluate_set

TESTS = Path(__file__).parent

FLOORS: dict[str, dict[str, float]] = {
    # dev set: the rules were developed against it
    "labeled": {
        "mention_f1": 0.99,
        "mention_precision": 0.99,
        "mention_recall": 0.99,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.97,  # 0.978 after the money round (issue 9)
        "project_lenient_f1": 0.78,  # 0.794 after the 2026-11-29 relabel
        "project_strict_f1": 0.70,  # 0.709 after the relabel
    },
    # labeled blind; its error categories guided one round of fixes
    "heldout": {
        "mention_f1": 0.96,
        "mention_precision": 0.96,
        "mention_recall": 0.96,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.98,  # 0.989 after the money round
        "project_lenient_f1": 0.57,
        "project_strict_f1": 0.46,
    },
    # labeled blind; its money misses (first measured F1 0.966) were then fixed
    "blind": {
        "mention_f1": 0.98,
        "mention_precision": 0.98,
        "mention_recall": 0.98,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.94,
        "project_lenient_f1": 0.61,  # 0.624 after the 2026-11-29 relabel
        "project_strict_f1": 0.50,  # 0.512 after the relabel
    },
}
LANG_FLOORS: dict[str, dict[str, float]] = {
    "labeled": {"ko": 0.99, "en": 0.99},
    "heldout": {"ko": 0.96, "en": 0.95},
    "blind": {"ko": 0.98, "en": 0.98},
}
# The sample articles' languages; the other files say theirs in their names.
SAMPLE_LANGS = {"000": "en", "001": "en", "002": "ko", "003": "en", "004": "en"}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def report(request) -> EvalReport:
    return evaluate_set(TESTS / request.param)


def _name(report: EvalReport) -> str:
    return Path(report.set_dir).name


def test_overall_floors(report: EvalReport) -> None:
    floors = FLOORS[_name(report)]
    low = {k: round(report.metrics[k], 3) for k, v in floors.items() if report.metrics[k] < v}
    assert not low, f"{_name(report)} below its floors {floors}: {low}"


def test_language_floors(report: EvalReport) -> None:
    for lang, floor in LANG_FLOORS[_name(report)].items():
        got = report.metrics["by_lang"][lang]["mention_f1"]
        assert got >= floor, f"{_name(report)} {lang} mention F1 {got:.3f} < {floor}"


def test_every_document_gets_its_language(report: EvalReport) -> None:
    for path in (Path(report.set_dir) / "corpus").iterdir():
        name = path.name.removeprefix("blind_")
        want = SAMPLE_LANGS.get(name[:3], name[:2])
        assert report.doc_langs.get(path.name) == want, path.name
