"""Page furniture after an article: related-article lists and trailing headline links.

`furniture_ranges(text)` gives the character ranges of a document that are not
part of the article (`관련기사` / `Related articles` up to the end, a trailing
block of `▶ 헤드라인…` links); the pipeline reports no money inside them. The
words are data in rules/boilerplate.toml (`[furniture]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..rules import load_rule_file, rule_files, rules_dir
from .patterns import literal_trie

__all__ = ["furniture_ranges"]

_DECOR = regex.compile(r"[\s\[\]【】<>《》〈〉()■□◆◇●○★☆▶►▷:：|\-=_#*]+")
_SENTENCE_END = regex.compile(r"(?:다|요)\.?[\"'”’)]*\Z|[.!?。][\"'”’)]*\Z")


@dataclass(frozen=True)
class _Rules:
    headings: frozenset[str]  # case-folded, decoration removed
    bullets: tuple[str, ...]
    strong: tuple[str, ...]
    marks: tuple[str, ...]
    body_min: int
    trigger: regex.Pattern


def _key(line: str) -> str:
    return _DECOR.sub(" ", line).strip().casefold()


@lru_cache(maxsize=4)
def _rules(folder: str) -> _Rules:
    headings: set[str] = set()
    bullets: list[str] = []
    strong: list[str] = []
    marks: list[str] = []
    body_min = 150
    for path in rule_files("money"):
        f = load_rule_file(path).get("furniture")
        if not f:
            continue
        headings.update(_key(h) for h in f.get("headings", []))
        bullets += f.get("link_bullets", [])
        strong += f.get("strong_bullets", [])
        marks += f.get("link_marks", [])
        body_min = int(f.get("body_min_chars", body_min))
    words = sorted(headings | set(bullets), key=len, reverse=True)
    return _Rules(
        frozenset(headings),
        tuple(bullets),
        tuple(strong),
        tuple(marks),
        body_min,
        regex.compile(literal_trie(words), regex.IGNORECASE),  # only asks whether one occurs
    )


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        out.append((pos, end))
        pos = end + 1
    return out


def _is_body(line: str, rules: _Rules) -> bool:
    s = line.strip()
    return len(s) >= rules.body_min and bool(_SENTENCE_END.search(s))


def _heading_start(text: str, lines: list[tuple[int, int]], rules: _Rules) -> int | None:
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        if len(line) > 40 or _key(line) not in rules.headings:
            continue
        if not any(_is_body(text[c:d], rules) for c, d in lines[i + 1 :]):
            return a
    return None


def _link_block_start(text: str, lines: list[tuple[int, int]], rules: _Rules) -> int | None:
    start, links, marked, strong = None, 0, False, True
    for a, b in reversed(lines):
        s = text[a:b].strip()
        if not s:
            continue
        bullet = next((x for x in rules.bullets if s.startswith(x)), None)
        if bullet is None or (_SENTENCE_END.search(s) and not s.endswith(rules.marks)):
            break
        start, links = a, links + 1
        marked = marked or any(m in s for m in rules.marks)
        strong = strong and bullet in rules.strong
    if links and (marked or strong):
        return start
    return None


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges (start, end) of `text` that are page furniture, not article text."""
    rules = _rules(str(rules_dir()))
    if not rules.trigger.search(text):
        return []
    lines = _lines(text)
    starts = [
        s
        for s in (_heading_start(text, lines, rules), _link_block_start(text, lines, rules))
        if s is not None
    ]
    return [(min(starts), len(text))] if starts else []
