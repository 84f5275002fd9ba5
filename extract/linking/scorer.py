"""The decision: score every choice of a mention with the fitted model, pick the best.

The model is data, rules/link_weights.toml, written by `python -m extract
fit-linker` (extract/linking/fit.py). It is either

- an ensemble of regression trees (`model = "boosted trees, softmax over choices"`,
  `[[tree]]` tables): a choice's score is the sum of the leaves its features reach,
  boosted by LightGBM on the softmax loss over each mention's choices; or
- a linear model (`model = "softmax over choices"`, a `[weights]` table): the score is
  a dot product (a conditional logit).

Either way a choice's softmax share among the mention's choices (0-1) is the model's
probability that it is right: the `project_score` of the record. No library is
imported at run time: the trees are evaluated here, in pure Python, looking only at
the nodes that test one of the choice's non-zero features (`Trees`).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rules import load_rule_file, rules_dir
from .features import Choice

WEIGHTS_FILE = "link_weights.toml"
TREES = "boosted trees, softmax over choices"
LINEAR = "softmax over choices"


@dataclass(frozen=True)
class Trees:
    """A tree ensemble ready to score sparse rows (QuickScorer's scheme, Lucchese et al.
    2015, in pure Python).

    A row goes left at a node when its value (0.0 when the feature is absent) is <= the
    node's threshold; every threshold is >= 0, so a row with no features takes each
    tree's leftmost leaf. A tree's leaves are bits in left-to-right order; a node that
    sends the row right keeps only the leaves outside its left subtree, and the row's
    leaf is the lowest bit left. `tests[feature]` holds the thresholds of the nodes
    testing it, ascending, and for each count n of them, the (tree, mask of the leaves
    kept) that the first n nodes leave, merged per tree: a value above n thresholds
    looks at those pairs only. So only the nodes of the row's non-zero features are
    looked at. `leaves[t]` are tree t's values left to right, `base` the sum of the
    leftmost ones."""

    tests: dict[str, tuple[tuple[float, ...], tuple[tuple[tuple[int, int], ...], ...]]]
    leaves: tuple[tuple[float, ...], ...]
    base: float

    def score(self, features: dict[str, float]) -> float:
        """The ensemble's raw score of one choice (a logit: softmax over choices)."""
        kept: dict[int, int] = {}
        tests = self.tests
        for name, value in features.items():
            found = tests.get(name)
            if found is None:
                continue
            thresholds, merged = found
            for tree, mask in merged[bisect_left(thresholds, value)]:
                kept[tree] = kept.get(tree, -1) & mask
        total = self.base
        for tree, bits in kept.items():
            values = self.leaves[tree]
            total += values[(bits & -bits).bit_length() - 1] - values[0]
        return total


Model = dict[str, float] | Trees


def weights_path() -> Path:
    return rules_dir() / WEIGHTS_FILE


def trees_from_tables(tables: list[dict]) -> Trees:
    """The ensemble of the `[[tree]]` tables of the model file.

    Each table holds a tree's internal nodes as parallel arrays `feature`, `threshold`,
    `left`, `right` (a child >= 0 is an internal node's index, a child < 0 the leaf
    -child - 1), and its leaf values `leaf`; node 0 is the root (a tree with no split
    has no nodes and one leaf). Raises ValueError for a negative threshold (features
    are >= 0, and an absent one must go left)."""
    tests: dict[str, list[tuple[int, float, int]]] = {}
    leaves: list[tuple[float, ...]] = []
    for i, t in enumerate(tables):
        order: list[int] = []  # leaf numbers, left to right
        below: dict[int, int] = {}  # node -> bits of the leaves of its subtree

        def walk(k: int, t: dict = t, order: list[int] = order, below: dict = below) -> int:
            if k < 0:
                order.append(-k - 1)
                return 1 << (len(order) - 1)
            bits = walk(int(t["left"][k])) | walk(int(t["right"][k]))
            below[k] = bits
            return bits

        if t["feature"]:
            walk(0)
        else:
            order.append(0)
        for k, name in enumerate(t["feature"]):
            threshold = float(t["threshold"][k])
            if threshold < 0:
                raise ValueError(f"tree {i}: negative threshold {threshold} for {name}")
            left = int(t["left"][k])
            left_bits = below[left] if left >= 0 else 1 << order.index(-left - 1)
            tests.setdefault(str(name), []).append((i, threshold, ~left_bits))
        leaves.append(tuple(float(t["leaf"][n]) for n in order))
    merged = {k: _merged(v) for k, v in tests.items()}
    return Trees(merged, tuple(leaves), sum(v[0] for v in leaves))


def _merged(
    nodes: list[tuple[int, float, int]],
) -> tuple[tuple[float, ...], tuple[tuple[tuple[int, int], ...], ...]]:
    """A feature's nodes (tree, threshold, mask) as ascending thresholds and, for each
    count n of them (0 .. all), what the first n leave, merged per tree."""
    nodes = sorted(nodes, key=lambda n: (n[1], n[0]))
    merged: list[tuple[tuple[int, int], ...]] = [()]
    acc: dict[int, int] = {}
    for tree, _threshold, mask in nodes:
        acc[tree] = acc.get(tree, -1) & mask
        merged.append(tuple(acc.items()))
    return tuple(n[1] for n in nodes), tuple(merged)


@lru_cache(maxsize=4)
def _model_cached(path: str, mtime_ns: int) -> Model:
    data = load_rule_file(path)
    if data["meta"].get("model") == TREES:
        return trees_from_tables(data.get("tree", []))
    return {k: float(v) for k, v in data.get("weights", {}).items()}


def load_weights() -> Model:
    """The fitted model ({} when the file is missing: then precedence decides)."""
    path = weights_path()
    if not path.exists():
        return {}
    return _model_cached(str(path), path.stat().st_mtime_ns)


def logit(features: dict[str, float], model: Model) -> float:
    """A choice's raw score: its trees' leaves summed, or its dot product with weights."""
    if isinstance(model, Trees):
        return model.score(features)
    return sum(model.get(name, 0.0) * value for name, value in features.items())


def choose(options: list[Choice], model: Model) -> tuple[Choice, float]:
    """The best choice and its softmax share (rounded to 3 places).

    Without a model, the first candidate in precedence order (the provisional link).
    Ties go to the earlier choice (precedence order; "no project" is last).
    """
    if not model:
        first = next((c for c in options if c.features.get("precedence_first")), options[-1])
        return first, 1.0
    logits = [logit(c.features, model) for c in options]
    best = max(range(len(options)), key=lambda i: (logits[i], -i))
    top = logits[best]
    total = sum(math.exp(v - top) for v in logits)
    return options[best], round(1.0 / total, 3)
