"""The user-editable gazetteer of known projects (rules/projects.toml).

Each project has an id and names in Korean and English. Korean names match
ignoring spaces; English names match case-insensitively as whole words, with
spaces and hyphens interchangeable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rules import load_rule_file

MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class GazetteerHit:
    start: int  # offsets in the text that was searched
    end: int
    project_id: str
    name: str  # the canonical name (first listed in the hit's language)


@dataclass(frozen=True)
class Gazetteer:
    pattern: re.Pattern | None  # one alternation over every name
    groups: tuple[tuple[str, str], ...]  # per named group: (project id, canonical name)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[GazetteerHit]:
        """Non-overlapping known names in text[start:end], longest first at each place."""
        if self.pattern is None:
            return []
        end = len(text) if end is None else end
        hits = []
        for m in self.pattern.finditer(text, start, end):
            project_id, name = self.groups[m.lastindex - 1]
            hits.append(GazetteerHit(m.start(), m.end(), project_id, name))
        return hits


def _name_regex(name: str, lang: str) -> str:
    name = name.strip()
    if lang == "ko":
        chars = [c for c in name if not c.isspace()]
        body = r"\s*".join(re.escape(c) for c in chars)
    else:
        words = [w for w in re.split(r"[\s\-]+", name) if w]
        body = r"[\s\-]+".join(re.escape(w) for w in words)
    # whole words for Latin-script edges; Korean compounds may attach (스마트공장화 is fine)
    left = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", name) else ""
    right = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", name) else ""
    return left + body + right


def build(projects: list[dict]) -> Gazetteer:
    """A gazetteer from [[project]] tables (id, ko = [...], en = [...])."""
    entries: list[tuple[str, str, str, int, str]] = []  # (regex, id, canonical, length, first)
    first_chars: set[str] = set()
    for proj in projects:
        pid = proj["id"]
        for lang in ("ko", "en"):
            names = proj.get(lang, [])
            if isinstance(names, str):
                names = [names]
            for name in names:
                if len(name.replace(" ", "")) >= MIN_NAME_CHARS:
                    rx = _name_regex(name, lang)
                    entries.append((rx, pid, names[0], len(name), _first_char(name, lang)))
                    first_chars.add(name.strip()[0])
    if not entries:
        return Gazetteer(None, ())
    entries.sort(key=lambda e: -e[3])  # longest names first: alternation is ordered
    # A lookahead on the names' first characters lets the engine skip most
    # positions at once (5x faster than trying every alternative everywhere).
    firsts = sorted({c for name in first_chars for c in (name, name.lower(), name.upper())})
    guard = "(?=[" + "".join(re.escape(c) for c in firsts) + "])"
    order = _dispatch_order(entries)
    if order is None:
        alternation = "|".join(f"({e[0]})" for e in entries)
    else:  # the same alternatives, grouped by their first letter (see _dispatch_order)
        groups = []
        for members in order:
            heads = "|".join(sorted({re.escape(entries[k][4]) for k in members}))
            groups.append(f"(?={heads})(?:" + "|".join(f"({entries[k][0]})" for k in members) + ")")
        alternation = "|".join(groups)
        entries = [entries[k] for members in order for k in members]
    pattern = re.compile(f"{guard}(?:{alternation})", re.IGNORECASE)
    return Gazetteer(pattern, tuple((e[1], e[2]) for e in entries))


def _first_char(name: str, lang: str) -> str:
    """The first character the name's pattern (`_name_regex`) consumes ("" if none)."""
    if lang == "ko":
        return next((c for c in name if not c.isspace()), "")
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    return words[0][0] if words else ""


def _dispatch_order(entries: list[tuple[str, str, str, int, str]]) -> list[list[int]] | None:
    """The alternatives (indices into `entries`, in their order) grouped so that no
    character can begin a match of two groups, or None where that cannot be shown.

    Then at any position only one group's first-letter lookahead passes, and within it
    the alternatives keep their order: the first alternative that matches there is the
    same as in the one long alternation, which the engine otherwise tries in full at
    every position that passes the guard (4x slower on the bench corpus).

    Under re.IGNORECASE a pattern letter c that has case matches a character x exactly
    when lower(x) is lower(c) or one of the extra equivalents of lower(c) (`ı`, `ſ`, `K`:
    the table re compiles with, re._casefix); a letter without case matches only itself
    (re/_compiler.py). Two groups therefore never share a character when those sets of
    lowercase forms are disjoint; groups whose sets meet are merged.
    tests/test_linking.py checks this reading against every code point."""
    keys = _case_keys()
    if keys is None or any(not e[4] for e in entries):
        return None
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    for e in entries:  # union the letters whose lowercase forms meet
        forms = keys(e[4])
        for other in forms[1:]:
            parent[root(other)] = root(forms[0])
    by_root: dict[str, list[int]] = {}
    for k, e in enumerate(entries):
        by_root.setdefault(root(keys(e[4])[0]), []).append(k)
    return list(by_root.values())


def _case_keys():
    """c -> the lowercase forms a character must have to match pattern letter c under
    re.IGNORECASE (None when this Python's re does not expose its case tables)."""
    try:
        import _sre
        from re._casefix import _EXTRA_CASES
    except ImportError:  # pragma: no cover - other Python versions
        return None

    def keys(c: str) -> list[str]:
        if not _sre.unicode_iscased(ord(c)):
            return [c]
        lo = _sre.unicode_tolower(ord(c))
        return [chr(lo)] + [chr(x) for x in _EXTRA_CASES.get(lo, ())]

    return keys


@lru_cache(maxsize=4)
def _cached(key: tuple) -> Gazetteer:
    projects: list[dict] = []
    for path, _mtime in key:
        projects.extend(load_rule_file(path).get("project", []))
    return build(projects)


def load() -> Gazetteer:
    """The gazetteer from every kind="projects" rule file (reloaded when one changes)."""
    from .context import files_key

    return _cached(files_key("projects"))
