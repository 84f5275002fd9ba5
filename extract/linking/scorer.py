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
imported at run time: the trees are walked here, in pure Python, and only the trees
that split on one of the choice's non-zero features are walked at all (the others
give the leaf of an all-zero row, summed once at load time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rules import load_rule_file, rules_dir
from .features import Choice

WEIGHTS_FILE = "link_weights.toml"
TREES = "boosted trees, softmax over choices"
LINEAR = "softmax over choices"

# A tree node: (feature, threshold, left, right); left/right is a node or a leaf value.
# A row goes left when its value (0.0 when the feature is absent) is <= the threshold.
Node = tuple[str, float, "Node | float", "Node | float"]


@dataclass(frozen=True)
class Trees:
    """A tree ensemble ready to score sparse rows.

    `trees` are the roots; `by_feature` lists, for each feature some split tests, the
    trees that test it; `base` is the ensemble's score of a row with no features (the
    sum of each tree's all-zero leaf), `zero_leaf` each tree's share of it."""

    trees: tuple[Node | float, ...]
    by_feature: dict[str, tuple[int, ...]]
    zero_leaf: tuple[float, ...]
    base: float

    def score(self, features: dict[str, float]) -> float:
        """The ensemble's raw score of one choice (a logit: softmax over choices)."""
        touched: set[int] = set()
        for name in features:
            hit = self.by_feature.get(name)
            if hit:
                touched.update(hit)
        total = self.base
        get = features.get
        for i in touched:
            node = self.trees[i]
            while type(node) is tuple:
                node = node[2] if get(node[0], 0.0) <= node[1] else node[3]
            total += node - self.zero_leaf[i]
        return total


Model = dict[str, float] | Trees


def weights_path() -> Path:
    return rules_dir() / WEIGHTS_FILE


def trees_from_tables(tables: list[dict]) -> Trees:
    """The ensemble of the `[[tree]]` tables of the model file.

    Each table holds a tree's internal nodes as parallel arrays `feature`, `threshold`,
    `left`, `right` (a child >= 0 is an internal node's index, a child < 0 the leaf
    -child - 1), and its leaf values `leaf`; node 0 is the root (a tree with no split
    has no nodes and one leaf)."""
    roots: list[Node | float] = []
    for t in tables:
        leaves = [float(v) for v in t["leaf"]]

        def build(k: int, t: dict = t, leaves: list[float] = leaves) -> Node | float:
            if k < 0:
                return leaves[-k - 1]
            return (
                str(t["feature"][k]),
                float(t["threshold"][k]),
                build(int(t["left"][k])),
                build(int(t["right"][k])),
            )

        roots.append(build(0) if t["feature"] else leaves[0])
    by_feature: dict[str, list[int]] = {}
    zero: list[float] = []
    for i, root in enumerate(roots):
        stack, node = [root], root
        while stack:
            n = stack.pop()
            if type(n) is tuple:
                by_feature.setdefault(n[0], [])
                if not by_feature[n[0]] or by_feature[n[0]][-1] != i:
                    by_feature[n[0]].append(i)
                stack += [n[2], n[3]]
        while type(node) is tuple:
            node = node[2] if 0.0 <= node[1] else node[3]
        zero.append(node)
    return Trees(tuple(roots), {k: tuple(v) for k, v in by_feature.items()}, tuple(zero), sum(zero))


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
