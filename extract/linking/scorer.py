"""The decision: score every choice of a mention with the fitted weights, pick the best.

The weights are data, rules/link_weights.toml, written by `python -m extract
fit-linker` (extract/linking/fit.py: a conditional logit, softmax over each
mention's choices, over the features of features.py). Scoring is a dot product:
no library at run time. A choice's softmax share among the mention's choices
(0-1) is the model's probability that it is right: the `project_score` of the record.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import repeat
from operator import mul
from pathlib import Path

from ..rules import load_rule_file, rules_dir
from .features import Choice

WEIGHTS_FILE = "link_weights.toml"


def weights_path() -> Path:
    return rules_dir() / WEIGHTS_FILE


@lru_cache(maxsize=4)
def _weights_cached(path: str, mtime_ns: int) -> dict[str, float]:
    data = load_rule_file(path)
    return {k: float(v) for k, v in data.get("weights", {}).items()}


def load_weights() -> dict[str, float]:
    """The fitted weights ({} when the file is missing: then precedence decides)."""
    path = weights_path()
    if not path.exists():
        return {}
    return _weights_cached(str(path), path.stat().st_mtime_ns)


def logit(features: dict[str, float], weights: dict[str, float]) -> float:
    # the same products summed in the same order as a generator over items() (so the
    # same float), without a Python frame per feature
    return sum(map(mul, map(weights.get, features, repeat(0.0)), features.values()))


def choose(options: list[Choice], weights: dict[str, float]) -> tuple[Choice, float]:
    """The best choice and its softmax share (rounded to 3 places).

    Without weights, the first candidate in precedence order (the provisional link).
    Ties go to the earlier choice (precedence order; "no project" is last).
    """
    if not weights:
        first = next((c for c in options if c.features.get("precedence_first")), options[-1])
        return first, 1.0
    logits = [logit(c.features, weights) for c in options]
    best = max(range(len(options)), key=lambda i: (logits[i], -i))
    top = logits[best]
    total = sum(math.exp(v - top) for v in logits)
    return options[best], round(1.0 / total, 3)
