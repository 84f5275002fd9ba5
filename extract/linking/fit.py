"""`python -m extract fit-linker`: fit the scorer's weights from labeled sets.

For every money mention of the sets' corpora that matches a gold row (same doc,
amount and currency, as `evaluate` matches them), its choices (features.py) are
labeled: the gold project (strictly equal after `evaluate.normalize_project`, or if
no choice is, leniently equal), or "no project" when the gold project is empty. The
examples of the link rule files (rules/*/link*.toml) are labeled mentions too. The
model is a conditional logit: P(choice) = softmax of w . features over the mention's
choices, fitted by scipy's L-BFGS (deterministic) with an L2 prior whose strength is
chosen by cross-validation; the weights are written, rounded, to
rules/link_weights.toml. Fitting needs scipy and scikit-learn; running needs only
that file.

It also prints 5-fold cross-validated linking figures (folds by document), where
the cross-validated choice goes wrong, and how project_score compares with accuracy.
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
C = 1.0  # inverse regularisation strength when none is given (fit-linker picks from C_GRID)
C_GRID = (0.5, 1.0, 2.0)  # the strengths fit-linker compares in cross-validation
C_TOLERANCE = 0.005  # F1 differences below this are noise (a fold moves ~10 mentions)
# A rule file's [[example]] counts as this many labeled mentions: each is a written,
# checked instance of its rule's kind (tests/test_rule_examples.py requires it to pass).
EXAMPLE_WEIGHT = 3.0
FOLDS = 5


@dataclass
class Mention:
    """One matched mention: its choices and its gold project."""

    group: str  # document key (set/doc), the unit of cross-validation
    lang: str
    gold: str
    choices: list[Choice]
    example: bool = False  # a rule file's [[example]]: fitted on, never scored in CV


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
    from ..models import NO_PROJECT_RULES
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
            if r.link_rule in NO_PROJECT_RULES:
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
                out.append(Mention(f"{path.name}#{n}", lang, hit.get("project", ""), options, True))
    return out


def fit(mentions: list[Mention], c: float = C) -> dict[str, float]:
    """Weights {feature: value} of a conditional logit over each mention's choices.

    The probability of choice i of a mention is softmax(w . x_i) over its choices; the
    fit maximises the log probability of the right choices (several when candidates
    with equal names merged differently) minus |w|^2 / 2c, by scipy's L-BFGS from zero
    (deterministic). Mentions whose gold project no candidate gives teach nothing here
    and are left out. The scorer's softmax share is then this model's probability.
    """
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    xs: list[dict[str, float]] = []
    ys: list[int] = []
    seg: list[int] = []
    weight: list[float] = []
    for m in mentions:
        labels = _labels(m)
        if not any(labels):
            continue
        n = seg[-1] + 1 if seg else 0
        weight.append(EXAMPLE_WEIGHT if m.example else 1.0)
        for choice, y in zip(m.choices, labels, strict=True):
            xs.append(choice.features)
            ys.append(y)
            seg.append(n)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs).tocsr()
    y = np.asarray(ys, dtype=float)
    group = np.asarray(seg)
    k = int(group[-1]) + 1
    mw = np.asarray(weight)
    # sums over each mention's rows
    g = sparse.csr_matrix(
        (np.ones(len(group)), (group, np.arange(len(group)))), shape=(k, len(group))
    )

    def loss_grad(w):
        z = x @ w
        top = np.full(k, -np.inf)
        np.maximum.at(top, group, z)
        e = np.exp(z - top[group])
        total = g @ e
        right = g @ (e * y)
        p_all = e / total[group]
        p_right = e * y / right[group]
        loss = -(mw * (np.log(right) - np.log(total))).sum() + 0.5 / c * (w @ w)
        return loss, x.T @ (mw[group] * (p_all - p_right)) + w / c

    result = minimize(
        loss_grad,
        np.zeros(x.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20000, "gtol": 1e-7, "ftol": 1e-13},
    )
    names = vec.get_feature_names_out()
    return {
        str(name): round(float(w), DIGITS)
        for name, w in zip(names, result.x, strict=True)
        if round(float(w), DIGITS) != 0.0
    }


def predict(m: Mention, weights: dict[str, float]) -> tuple[str, float]:
    """The chosen project ("" for none) and its project_score."""
    from .scorer import choose

    best, score = choose(m.choices, weights)
    return best.project, score


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


def breakdown(mentions: list[Mention], predictions: list[str]) -> dict[str, dict[str, int]]:
    """Where the choice goes wrong, per language and overall (counts of mentions).

    `gold` mentions with a gold project; `oracle_strict` / `oracle_lenient` those of them
    whose gold project is among the candidates; `top_strict` / `top_lenient` those of the
    oracle ones where it was chosen; `gold_to_none` (a project, none chosen; `..._reachable`
    when a candidate had it), `wrong_candidate` (another project chosen; `..._reachable`),
    `empty` (gold empty) and `empty_to_project` (a project chosen anyway).
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m, pred in zip(mentions, predictions, strict=True):
        names = [c.project for c in m.choices if c.project]
        strict = bool(m.gold) and any(projects_strict(n, m.gold) for n in names)
        lenient = bool(m.gold) and any(projects_lenient(n, m.gold) for n in names)
        for key in ("all", m.lang):
            c = counts[key]
            if not m.gold:
                c["empty"] += 1
                c["empty_to_project"] += bool(pred)
                continue
            c["gold"] += 1
            c["oracle_strict"] += strict
            c["oracle_lenient"] += lenient
            if not pred:
                c["gold_to_none"] += 1
                c["gold_to_none_reachable"] += lenient
            elif projects_lenient(pred, m.gold):
                c["top_strict"] += strict and projects_strict(pred, m.gold)
                c["top_lenient"] += lenient
            else:
                c["wrong_candidate"] += 1
                c["wrong_candidate_reachable"] += lenient
    return counts


def _fold_of(mentions: list[Mention]) -> dict[str, int]:
    groups = sorted({m.group for m in mentions if not m.example})
    return {g: i % FOLDS for i, g in enumerate(groups)}


def cv_predictions(mentions: list[Mention], c: float = C) -> list[tuple[str, float]]:
    """FOLDS-fold cross-validated choices of the set mentions (folds by document, sorted,
    round-robin; the rule examples are always in the training part, never scored)."""
    fold_of = _fold_of(mentions)
    out: dict[int, tuple[str, float]] = {}
    for k in range(FOLDS):
        train = [m for m in mentions if m.example or fold_of[m.group] != k]
        test = [(i, m) for i, m in enumerate(mentions) if not m.example and fold_of[m.group] == k]
        if not test:
            continue
        weights = fit(train, c)
        for i, m in test:
            out[i] = predict(m, weights)
    return [out[i] for i in sorted(out)]


def cross_validate(mentions: list[Mention], c: float = C) -> dict[str, dict[str, float]]:
    """Figures of FOLDS-fold cross-validation over the set mentions."""
    scored = [m for m in mentions if not m.example]
    return figures(scored, [p for p, _s in cv_predictions(mentions, c)])


def choose_c(mentions: list[Mention]) -> tuple[float, dict[float, dict[str, dict[str, float]]]]:
    """The regularisation: the smallest C of C_GRID whose cross-validated mean of strict
    and lenient F1 is within C_TOLERANCE of the best (a stronger prior unless a weaker
    one is clearly better, as the one-standard-error rule does), and every C's figures."""
    results = {c: cross_validate(mentions, c) for c in C_GRID}

    def mean(c: float) -> float:
        row = results[c]["all"]
        return (row["strict_f1"] + row["lenient_f1"]) / 2

    best = max(mean(c) for c in C_GRID)
    return min(c for c in C_GRID if mean(c) >= best - C_TOLERANCE), results


def calibration(mentions: list[Mention], predictions: list[tuple[str, float]]) -> list[str]:
    """project_score against how often the choice is right (leniently; "no project" is
    right when the gold is empty), in three bands of the score."""
    bands = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01))
    out = []
    for lo, hi in bands:
        rows = [
            (
                score,
                (not m.gold and not pred)
                or bool(m.gold and pred and projects_lenient(pred, m.gold)),
            )
            for m, (pred, score) in zip(mentions, predictions, strict=True)
            if lo <= score < hi
        ]
        if rows:
            mean = sum(r[0] for r in rows) / len(rows)
            right = sum(r[1] for r in rows) / len(rows)
            out.append(
                f"score {lo:.1f}-{min(hi, 1.0):.1f}: {len(rows)} mentions, "
                f"mean score {mean:.2f}, right {right:.2f}"
            )
    return out


def weights_toml(weights: dict[str, float], sets: list[str], info: dict[str, Any]) -> str:
    lines = [
        "# Fitted weights of the project-link scorer (extract/linking/scorer.py).",
        "# MADE BY A COMMAND, DO NOT EDIT BY HAND:",
        "#   python -m extract fit-linker " + " ".join(f"--set {s}" for s in sets),
        "# (a conditional logit, softmax over each amount's choices, over the features of",
        "# extract/linking/features.py, fitted with scipy's L-BFGS on these labeled sets plus",
        "# the [[example]]s of rules/*/link*.toml; C chosen by 5-fold cross-validation).",
        "# tests/test_link_weights.py re-fits and fails when this file is stale.",
        "",
        "[meta]",
        'kind = "weights"',
        'description = "Weights of the project-link scorer, fitted by fit-linker."',
        'model = "softmax over choices"',
        "sets = [" + ", ".join(f'"{s}"' for s in sets) + "]",
    ]
    for key, value in info.items():
        lines.append(f"{key} = {value}")
    lines += ["", "[weights]"]
    for name in sorted(weights):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'"{escaped}" = {weights[name]}')
    return "\n".join(lines) + "\n"


def collect_sets(sets: list[Path]) -> list[Mention]:
    """The matched mentions of the sets, then the rule examples."""
    mentions: list[Mention] = []
    for s in sets:
        mentions += collect_set(s)
    return mentions + collect_examples()


def fit_sets(sets: list[Path], c: float = C) -> tuple[dict[str, float], list[Mention]]:
    mentions = collect_sets(sets)
    return fit(mentions, c), mentions


BLIND_MARKER = "BLIND"


def blind_sets(sets: list[Path]) -> list[Path]:
    """The sets among `sets` that are marked blind: a file named BLIND in the set's
    folder (tests/blind, tests/blind2, tests/blind3 have one). A blind set measures
    what the linker does on text nobody tuned on; fitting on it would void that."""
    return [s for s in sets if (s / BLIND_MARKER).exists()]


def main_fit(sets: list[Path], out: Path | None, cv: bool = True) -> int:
    """Fit and write the weights; print the fit and cross-validated figures.

    With cv, C is chosen from C_GRID by cross-validation; without, the C of the
    committed weights file is kept (C when there is none). Returns 2 without
    fitting when a set is marked blind (`blind_sets`) or cannot be read (a missing
    folder, a bad gold.csv)."""
    from ..evaluate import GoldError
    from ..export import atomic_open
    from ..rules import load_rule_file
    from .scorer import weights_path

    refused = blind_sets(sets)
    if refused:
        names = ", ".join(str(s) for s in refused)
        print(
            f"error: {names} is marked blind ({BLIND_MARKER} file): a blind set is for "
            "measuring with `evaluate`, never for fitting. Nothing was written.",
            file=sys.stderr,
        )
        return 2
    names = [str(s) for s in sets]
    try:
        mentions = collect_sets(sets)
    except (GoldError, OSError) as exc:
        print(f"error: bad labeled set: {exc}. Nothing was written.", file=sys.stderr)
        return 2
    scored = [m for m in mentions if not m.example]
    if cv:
        c, results = choose_c(mentions)
        for value, figs in results.items():
            print(f"C={value}: {FOLDS}-fold cross-validation:", _fmt(figs))
    else:
        path = weights_path()
        c = float(load_rule_file(path)["meta"].get("C", C)) if path.exists() else C
    weights = fit(mentions, c)
    rows = sum(len(m.choices) for m in mentions)
    info = {"mentions": len(mentions), "rows": rows, "features": len(weights), "C": c}
    target = out or weights_path()
    with atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write(weights_toml(weights, names, info))
    print(
        f"fitted {len(weights)} weights (C={c}) on {len(mentions)} mentions "
        f"({rows} rows) -> {target}"
    )
    first = [predict(m, {})[0] for m in scored]
    print("precedence order alone (no weights):", _fmt(figures(scored, first)))
    fitted = [predict(m, weights)[0] for m in scored]
    print("training fit (matched mentions):", _fmt(figures(scored, fitted)))
    if cv:
        held = cv_predictions(mentions, c)
        preds = [p for p, _s in held]
        print(
            f"{FOLDS}-fold cross-validation by document ({len(scored)} set mentions):",
            _fmt(figures(scored, preds)),
        )
        print("where the cross-validated choice goes wrong:")
        for line in _fmt_breakdown(breakdown(scored, preds)):
            print("  " + line)
        print("project_score in cross-validation:")
        for line in calibration(scored, held):
            print("  " + line)
    sys.stdout.flush()
    return 0


def _fmt(figs: dict[str, dict[str, float]]) -> str:
    return "; ".join(
        f"{k}: strict F1 {v['strict_f1']:.3f}, lenient F1 {v['lenient_f1']:.3f}"
        for k, v in sorted(figs.items())
    )


def _fmt_breakdown(counts: dict[str, dict[str, int]]) -> list[str]:
    def share(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "-"

    out = []
    for key in sorted(counts):
        c = counts[key]
        gold, ls, ll = c["gold"], c["oracle_strict"], c["oracle_lenient"]
        out.append(
            f"{key}: {gold} with a project: gold among candidates {share(ls, gold)} strict / "
            f"{share(ll, gold)} lenient; of those, chosen {share(c['top_strict'], ls)} strict / "
            f"{share(c['top_lenient'], ll)} lenient. Errors: project -> none {c['gold_to_none']} "
            f"({c['gold_to_none_reachable']} reachable), wrong candidate {c['wrong_candidate']} "
            f"({c['wrong_candidate_reachable']} reachable), empty -> project "
            f"{c['empty_to_project']} of {c['empty']}"
        )
    return out
