"""Accuracy floors on the labeled sets (README "Accuracy").

Each floor is a little under the figure measured (linking: 2026-11-30, softmax
scorer, train at 160 documents; money: 2026-11-22). Two blind linking floors were
lowered that day (strict F1, English lenient F1): the scorer is chosen by 5-fold
cross-validation on the fit sets only (+1.1 strict / +1.6 lenient F1 there), and
on blind it measures lower than the per-candidate regression before it while on
blind2 it measures higher (README "How linking works"). Raise them as
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
        "project_lenient_f1": 0.88,  # 0.886 / 0.747 on 2026-11-30 (final refit, C = 1.0)
        "project_strict_f1": 0.74,
    },
    # labeled blind; its error categories guided one round of fixes
    "heldout": {
        "mention_f1": 0.98,  # 0.990
        "mention_precision": 0.98,
        "mention_recall": 0.98,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.98,  # 0.989 after the money round
        # 0.767 / 0.612 on 2026-11-30 (final refit, C = 1.0 by fit-linker's rule); 0.77 ->
        # 0.76: a fitted set, in-sample figures move with C (0.739 at C = 0.5, 0.773 at C = 1
        # before the tester's fixes)
        # 0.774 / 0.603 after ko-link6 (C = 1.0): 0.76 -> 0.77
        "project_lenient_f1": 0.77,
        "project_strict_f1": 0.60,
    },
    # labeled blind; its money misses (first measured F1 0.966) were then fixed
    "blind": {
        "mention_f1": 0.99,  # 1.000
        "mention_precision": 0.99,
        "mention_recall": 0.99,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.96,  # 0.971
        # 0.687 / 0.526 on 2026-11-30, final (0.679 / 0.521 before); 0.707 / 0.524 after ko-link6
        "project_lenient_f1": 0.70,
        "project_strict_f1": 0.52,
    },
    # fresh blind set (tests/blind2): never used to write rules or to fit
    "blind2": {
        "mention_f1": 0.99,  # 1.000
        "mention_precision": 0.99,
        "mention_recall": 0.99,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.97,  # 0.978
        "project_lenient_f1": 0.72,  # 0.730 / 0.582 on 2026-11-30, final (0.707 / 0.567 before)
        "project_strict_f1": 0.57,
    },
    # training articles: the scorer's weights are fitted on them (with dev and heldout);
    # 260 documents since 2026-11-30 (en_111-en_134 and ko_111-ko_126 joined, harder links:
    # 0.368 / 0.611 strict / lenient on them before their refit). Strict 0.54 -> 0.53: the
    # set changed, not the code (0.548 at 220 documents, 0.538 at 260 with the refit)
    "train": {
        "mention_f1": 0.99,  # 0.999 (bare "$" of Australian releases read as AUD since)
        "mention_precision": 0.99,
        "mention_recall": 0.99,
        "span_exact": 0.98,
        "qualifier_accuracy": 0.97,  # 0.979
        "project_lenient_f1": 0.75,  # 0.754 / 0.547 on 260 documents, final refit (C = 1.0)
        "project_strict_f1": 0.54,
    },
}
LANG_FLOORS: dict[str, dict[str, float]] = {
    "labeled": {"ko": 0.99, "en": 0.99},
    "heldout": {"ko": 0.96, "en": 0.95},
    "blind": {"ko": 0.98, "en": 0.98},
    "blind2": {"ko": 0.99, "en": 0.99},
    "train": {"ko": 0.99, "en": 0.99},
}
# project lenient F1 per language (measured 2026-11-30 at the end of the second round;
# the earlier value in brackets where a floor went down)
LINK_LANG_FLOORS: dict[str, dict[str, float]] = {
    # labeled ko 0.89 -> 0.88: 0.887 after the Korean topic and coordination candidates and
    # clause features (ko-link4), kept because Korean CV rose; a fitted set, ~2 amounts of 150
    "labeled": {"ko": 0.89, "en": 0.86},  # 0.901 / 0.863 (final refit, 2026-11-30)
    # heldout ko 0.73 -> 0.73 kept; en 0.64 -> 0.63: 0.653 -> 0.634 after the refit with the
    # English batch en_081-en_110 (CV en lenient rose); nothing tuned
    # ko 0.80 -> 0.81: 0.812 after ko-link6 (Korean kinds and features, C = 1.0)
    "heldout": {"ko": 0.81, "en": 0.68},  # 0.802 / 0.689 final (0.739 / 0.634 before)
    # blind en 0.67 -> 0.61 earlier this round (0.615 after the softmax scorer), now 0.641
    # ko 0.70 -> 0.72: 0.730 after ko-link6
    "blind": {"ko": 0.72, "en": 0.65},  # 0.705 / 0.652 final (0.699 / 0.641 before)
    # ko 0.83 -> 0.835: 0.841 after ko-link6
    "blind2": {"ko": 0.835, "en": 0.63},  # 0.831 / 0.637 final (0.804 / 0.620 before)
    # ko 0.81 -> 0.82: 0.827 after ko-link6
    "train": {"ko": 0.82, "en": 0.69},  # 0.816 / 0.694 on 260 documents (final refit)
}
# The sample articles' languages; the other files say theirs in their names.
SAMPLE_LANGS = {"000": "en", "001": "en", "002": "ko", "003": "en", "004": "en"}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def report(request, tmp_path_factory) -> EvalReport:
    set_dir = TESTS / request.param
    if not (set_dir / "gold.csv").exists():
        set_dir = _joined(set_dir, tmp_path_factory.mktemp(request.param))
    return evaluate_set(set_dir)


def _joined(set_dir: Path, tmp: Path) -> Path:
    """A set labeled in halves (gold_ko.csv, gold_en.csv) as one gold.csv."""
    tmp = tmp / set_dir.name  # keep the set's name for the floors
    tmp.mkdir()
    (tmp / "corpus").symlink_to((set_dir / "corpus").resolve())
    lines: list[str] = []
    for part in sorted(set_dir.glob("gold_*.csv")):
        rows = part.read_text(encoding="utf-8-sig").splitlines()
        lines += rows if not lines else rows[1:]
    (tmp / "gold.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp


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


def test_link_language_floors(report: EvalReport) -> None:
    for lang, floor in LINK_LANG_FLOORS[_name(report)].items():
        got = report.metrics["by_lang"][lang]["project_lenient_f1"]
        assert got >= floor, f"{_name(report)} {lang} project lenient F1 {got:.3f} < {floor}"


def test_every_document_gets_its_language(report: EvalReport) -> None:
    for path in (Path(report.set_dir) / "corpus").iterdir():
        name = path.name.removeprefix("blind_")
        want = SAMPLE_LANGS.get(name[:3], name[:2])
        assert report.doc_langs.get(path.name) == want, path.name
