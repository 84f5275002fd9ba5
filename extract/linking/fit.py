"""`python -m extract fit-linker`: fit the scorer's weights from labeled sets.

For every money mention of the sets' corpora that matches a gold row (same doc,
amount and currency, as `evaluate` matches them), each of its choices becomes one
training row: its features (features.py), label 1 when it is the gold project
(strictly equal after `evaluate.normalize_project`, or if no choice is, leniently
equal), or when it is "no project" and the gold project is empty. The examples of
the link rule files (rules/*/link*.toml) are rows too. scikit-learn's
LogisticRegression (lbfgs, deterministic) fits one weight per feature; the weights
are written, rounded, to rules/link_weights.toml. Fitting needs scikit-learn;
running needs only that file.

It also prints 5-fold cross-validated linking figures, folds by document.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..evaluate import GoldRow, load_gold, match, projects_lenient, projects_strict
from .features import Choice

DIGITS = 4  # decimals kept in the weights file
C = 0.3  # inverse regularisation strength (best of 0.1-10 in cross-validation)
FOLDS = 5


@dataclass
class Mention:
    """One matched mention: its choices and its gold project."""

    group: str  # document key (set/doc), the unit of cross-validation
    lang: str
    gold: str
    choices: list[Choice]


def _labels(m: Mention) -> list[int]:
    if not m.gold:
        return [1 if not c.project else 0 for c in m.choices]
    strict = [1 if c.project and projects_strict(c.project, m.gold) else 0 for c in m.choices]
    if any(strict):
        return strict
    return [1 if c.project and projects_lenient(c.project, m.gold) else 0 for c in m.choices]


def set_gold(set_dir: Path) -> list[GoldRow]:
    """The set's gold rows: gold.csv (or .xlsx), else every gold_*.csv (a set whose
    halves are labeled separately, such as tests/train's gold_ko.csv and gold_en.csv)."""
    parts = sorted(set_dir.glob("gold_*.csv"))
    if (set_dir / "gold.csv").exists() or (set_dir / "gold.xlsx").exists() or not parts:
        return load_gold(set_dir)
    rows: list[GoldRow] = []
    for part in parts:
        with tempfile.TemporaryDirectory(prefix="extract-fit-") as tmp:
            (Path(tmp) / "corpus").symlink_to((set_dir / "corpus").resolve())
            shutil.copyfile(part, Path(tmp) / "gold.csv")
            rows += load_gold(Path(tmp))
    return rows


def collect_set(set_dir: Path) -> list[Mention]:
    """Matched mentions of one labeled set, with their choices."""
    from ..ingest import discover, ingest
    from ..models import EXCHANGE_RATE
    from ..pipeline import process_document

    gold = set_gold(set_dir)
    out: list[Mention] = []
    for source in discover(set_dir / "corpus"):
        ingested = ingest(source)
        if ingested.document is None:
            continue
        trace: list = []
        _blocks, records = process_document(ingested.document, trace=trace)
        blank = [replace(r, project="") for r in records]
        by_id = {id(r): (r, options) for r, (_p, options) in zip(blank, trace, strict=True)}
        doc_gold = [g for g in gold if _same_doc(g.doc, source.doc)]
        for pair in match(doc_gold, blank).pairs:
            r, options = by_id[id(pair.pred)]
            if r.link_rule == EXCHANGE_RATE:
                continue  # decided by the money guard, not by the scorer
            out.append(Mention(f"{set_dir.name}/{source.doc}", r.lang, pair.gold.project, options))
    return out


def _same_doc(a: str, b: str) -> bool:
    return a.replace("\\", "/").strip("/") == b.replace("\\", "/").strip("/")


def collect_examples() -> list[Mention]:
    """The `[[example]]`s of the link rule files, as labeled mentions."""
    from ..rules import load_rule_file, rule_files
    from . import link_text_traced

    out = []
    for path in rule_files("link"):
        data = load_rule_file(path)
        for n, ex in enumerate(data["example"]):
            if "expect" not in ex:
                continue
            lang = ex.get("lang", data["meta"].get("lang", ""))
            found = link_text_traced(ex["text"], lang)
            want = list(ex["expect"])
            for m, options in found:
                hit = next((e for e in want if e["money"] == m.text), None)
                if hit is None:
                    continue
                want.remove(hit)
                out.append(Mention(f"{path.name}#{n}", lang, hit.get("project", ""), options))
    return out


def _rows(mentions: list[Mention]) -> tuple[list[dict[str, float]], list[int]]:
    xs, ys = [], []
    for m in mentions:
        for c, y in zip(m.choices, _labels(m), strict=True):
            xs.append(c.features)
            ys.append(y)
    return xs, ys


def fit(mentions: list[Mention]) -> dict[str, float]:
    """Weights {feature: value} fitted on the mentions' rows (deterministic)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs, ys = _rows(mentions)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs)
    model = LogisticRegression(C=C, max_iter=5000, solver="lbfgs", fit_intercept=False)
    model.fit(x, ys)
    names = vec.get_feature_names_out()
    return {
        str(name): round(float(w), DIGITS)
        for name, w in zip(names, model.coef_[0], strict=True)
        if round(float(w), DIGITS) != 0.0
    }


def predict(m: Mention, weights: dict[str, float]) -> str:
    from .scorer import choose

    return choose(m.choices, weights)[0].project


def figures(mentions: list[Mention], predictions: list[str]) -> dict[str, dict[str, float]]:
    """Linking precision/recall/F1 (strict and lenient) per language and overall, over
    matched mentions (as `evaluate` counts them, without the unmatched gold rows)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m, pred in zip(mentions, predictions, strict=True):
        for key in ("all", m.lang):
            c = counts[key]
            c["gold"] += bool(m.gold)
            c["pred"] += bool(pred)
            if m.gold and pred:
                c["strict"] += projects_strict(pred, m.gold)
                c["lenient"] += projects_lenient(pred, m.gold)
    out = {}
    for key, c in counts.items():
        row = {}
        for kind in ("strict", "lenient"):
            p = c[kind] / c["pred"] if c["pred"] else 0.0
            r = c[kind] / c["gold"] if c["gold"] else 0.0
            row[f"{kind}_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
        out[key] = row
    return out


def cross_validate(mentions: list[Mention]) -> dict[str, dict[str, float]]:
    """Figures of FOLDS-fold cross-validation, folds by document (sorted, round-robin)."""
    groups = sorted({m.group for m in mentions})
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    predictions: dict[int, str] = {}
    for k in range(FOLDS):
        train = [m for m in mentions if fold_of[m.group] != k]
        test = [(i, m) for i, m in enumerate(mentions) if fold_of[m.group] == k]
        if not train or not test:
            continue
        weights = fit(train)
        for i, m in test:
            predictions[i] = predict(m, weights)
    kept = [m for i, m in enumerate(mentions) if i in predictions]
    return figures(kept, [predictions[i] for i in sorted(predictions)])


def weights_toml(weights: dict[str, float], sets: list[str], info: dict[str, Any]) -> str:
    lines = [
        "# Fitted weights of the project-link scorer (extract/linking/scorer.py).",
        "# MADE BY A COMMAND, DO NOT EDIT BY HAND:",
        "#   python -m extract fit-linker " + " ".join(f"--set {s}" for s in sets),
        "# (scikit-learn LogisticRegression over the features of extract/linking/features.py,",
        "# trained on these labeled sets plus the [[example]]s of rules/*/link*.toml).",
        "# tests/test_link_weights.py re-fits and fails when this file is stale.",
        "",
        "[meta]",
        'kind = "weights"',
        'description = "Weights of the project-link scorer, fitted by fit-linker."',
        "sets = [" + ", ".join(f'"{s}"' for s in sets) + "]",
    ]
    for key, value in info.items():
        lines.append(f"{key} = {value}")
    lines += ["", "[weights]"]
    for name in sorted(weights):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'"{escaped}" = {weights[name]}')
    return "\n".join(lines) + "\n"


def fit_sets(sets: list[Path]) -> tuple[dict[str, float], list[Mention]]:
    mentions: list[Mention] = []
    for s in sets:
        mentions += collect_set(s)
    mentions += collect_examples()
    return fit(mentions), mentions


def main_fit(sets: list[Path], out: Path | None, cv: bool = True) -> int:
    from ..export import atomic_open
    from .scorer import weights_path

    names = [str(s) for s in sets]
    weights, mentions = fit_sets(sets)
    rows = sum(len(m.choices) for m in mentions)
    info = {"mentions": len(mentions), "rows": rows, "features": len(weights), "C": C}
    target = out or weights_path()
    with atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write(weights_toml(weights, names, info))
    print(f"fitted {len(weights)} weights on {len(mentions)} mentions ({rows} rows) -> {target}")
    first = figures(mentions, [predict(m, {}) for m in mentions])
    print("precedence order alone (no weights):", _fmt(first))
    fitted = figures(mentions, [predict(m, weights) for m in mentions])
    print("training fit (matched mentions):", _fmt(fitted))
    if cv:
        print(f"{FOLDS}-fold cross-validation by document:", _fmt(cross_validate(mentions)))
    sys.stdout.flush()
    return 0


def _fmt(figs: dict[str, dict[str, float]]) -> str:
    return "; ".join(
        f"{k}: strict F1 {v['strict_f1']:.3f}, lenient F1 {v['lenient_f1']:.3f}"
        for k, v in sorted(figs.items())
    )
