"""The linker's speed shortcuts (perf10) compute exactly what the plain code did:
a `before` generator's item tail is a necessary condition of its pattern, the cue
look-back reads the same words, the scorer sums the same products."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from extract.linking import english
from extract.linking.context import Ctx, config
from extract.linking.generators import WINDOW_CHARS, item_tail
from extract.linking.scorer import logit
from extract.models import MoneyMention, Sentence, Token

ROOT = Path(__file__).resolve().parent.parent
SETS = ("tests/labeled", "tests/heldout", "tests/train")


def _tail(pattern: str) -> str | None:
    tail = item_tail(re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    return None if tail is None else tail.pattern


def test_item_tail_is_the_part_after_a_top_level_item_group():
    assert _tail(r"(?:^|(?<=,\s))(?P<item>[a-z]+(?:\s[a-z]+)?)\s+gets\s+$") == r"\s+gets\s+$"
    assert _tail(r"[(\[](?P<item>[^)\]|]+)[)\]]\s*$") == r"[)\]]\s*$"  # `|`, `)` in classes
    assert _tail(r"(?P<item>\w+)\(\s*$") == r"\(\s*$"  # an escaped bracket
    # where the tail cannot stand alone: no shortcut
    assert _tail(r"a(?P<item>\w+)b|c(?P<x>\w+)d$") is None  # a top-level alternative
    assert _tail(r"(?:x(?P<item>\w+))\s+$") is None  # the group is nested
    assert _tail(r"(?P<item>\w+)?\s+$") is None  # quantified
    assert _tail(r"(?P<w>\w)(?P<item>\w+)(?P=w)$") is None  # refers to a group
    assert _tail(r"(?P<w>\w)(?P<item>\w+)\1$") is None
    assert _tail(r"(?i)(?P<item>\w+)\s+$") is None  # global flags at the start


def _windows():
    """(text, lo, end): the window before every digit of the labeled sets' articles."""
    for name in SETS:
        for path in sorted((ROOT / name / "corpus").glob("*.txt"))[::3]:
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in re.finditer(r"(?<!\d)\d", text):
                end = m.start()
                line = text.rfind("\n", max(0, end - WINDOW_CHARS), end) + 1
                yield text, max(line, end - WINDOW_CHARS), end


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_item_tail_matches_wherever_its_pattern_does(lang):
    gens = [g for g in config(lang)["generators"] if g["side"] == "before"]
    tails = [(g, item_tail(g["rx"])) for g in gens]
    assert sum(t is not None for _g, t in tails) >= len(gens) - 2  # the shortcut applies
    found = 0
    for text, lo, end in _windows():
        for g, tail in tails:
            if tail is None or g["rx"].search(text, lo, end) is None:
                continue
            found += 1
            assert tail.search(text, lo, end) is not None, (g["name"], text[lo:end])
    assert found > 20  # the check saw matches


def _old_cue_before(ctx: Ctx, cues: list[str]) -> int | None:
    toks = ctx.tokens
    k = ctx.left_index()
    quals = ctx.cfg["qualifier_words_set"]
    words = [t.text.lower() for t in toks]
    split = sorted((c.lower().split() for c in cues), key=len, reverse=True)
    for skip in range(0, 5):
        end = k + 1 - skip
        if end <= 0 or (skip and words[end] not in quals):
            break
        for cue in split:
            if end - len(cue) >= 0 and words[end - len(cue) : end] == cue:
                return end - len(cue)
    return None


def test_cue_before_reads_the_same_words_as_before():
    cfg = config("en")
    rng = random.Random(10)
    cue_lists = [cfg["with_cues"], cfg["worth_cues"], [], ["a b c d e f g", "b"]]
    vocab = sorted(
        {w for cues in cue_lists for c in cues for w in c.split()}
        | set(list(cfg["qualifier_words_set"])[:8])
        | {"the", "Fund", "WITH", "of"}
    )
    hits = 0
    for _ in range(3000):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 14))]
        tokens, pos = [], 0
        for w in words:
            tokens.append(Token(w, pos, pos + len(w), ""))
            pos += len(w) + 1
        at = rng.randint(0, pos)  # the amount: after any token, or inside one
        m = MoneyMention(at, at + 3, "$5m", Decimal(5000000), "USD")
        text = " ".join(words) + " " * 10
        ctx = Ctx(text, Sentence(0, len(text), text, "en"), tokens, m, [m], 0, [], cfg)
        for cues in cue_lists:
            old = _old_cue_before(ctx, cues)
            assert english._cue_before(ctx, cues) == old, (words, at, cues)
            hits += old is not None
    assert hits > 100


def test_logit_sums_the_same_products_in_the_same_order():
    rng = random.Random(3)
    names = [f"f{i}" for i in range(60)]
    for _ in range(500):
        weights = {n: rng.uniform(-5, 5) for n in rng.sample(names, 40)}
        features = {n: rng.choice([1.0, 0.25, rng.random()]) for n in rng.sample(names, 25)}
        plain = sum(weights.get(name, 0.0) * value for name, value in features.items())
        assert logit(features, weights) == plain  # the same float, not merely close


@pytest.mark.parametrize(
    "unit",
    [
        "사과 1개에 5,000원, ",  # small won amounts: the exchange-rate topic check
        "The fee is 3,000 won and ",
    ],
)
def test_many_small_amounts_on_one_line_scan_the_line_once(unit, monkeypatch):
    """A line of n small amounts (`5,000원` each) asked the exchange-rate topic
    (rules/*/rates.toml `topic`) of the whole line once per amount: n line scans, 30 s
    for 4,000 amounts. Counted: the characters the topic search reads, per character of
    the line."""
    from dataclasses import replace

    from extract.money import find_money, guards

    scanned = [0]

    class Counting:
        def __init__(self, rx):
            self.rx = rx

        def search(self, text, *args):
            scanned[0] += len(text)
            return self.rx.search(text, *args)

    rules = guards._rate_rules()
    counted = replace(rules, topic=Counting(rules.topic))
    monkeypatch.setattr(guards, "_rate_rules", lambda: counted)
    for n in (50, 400):
        scanned[0] = 0
        text = unit * n
        found = find_money(text, "ko" if "원" in unit else "en")
        assert len(found) >= n
        assert scanned[0] <= 2 * len(text), (n, scanned[0] / len(text))
