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
    entries: list[tuple[str, str, str, int]] = []  # (regex, id, canonical, length)
    first_chars: set[str] = set()
    for proj in projects:
        pid = proj["id"]
        for lang in ("ko", "en"):
            names = proj.get(lang, [])
            if isinstance(names, str):
                names = [names]
            for name in names:
                if len(name.replace(" ", "")) >= MIN_NAME_CHARS:
                    entries.append((_name_regex(name, lang), pid, names[0], len(name)))
                    first_chars.add(name.strip()[0])
    if not entries:
        return Gazetteer(None, ())
    entries.sort(key=lambda e: -e[3])  # longest names first: alternation is ordered
    # A lookahead on the names' first characters lets the engine skip most
    # positions at once (5x faster than trying every alternative everywhere).
    firsts = sorted({c for name in first_chars for c in (name, name.lower(), name.upper())})
    guard = "(?=[" + "".join(re.escape(c) for c in firsts) + "])"
    alternation = "|".join(f"({rx})" for rx, _, _, _ in entries)
    pattern = re.compile(f"{guard}(?:{alternation})", re.IGNORECASE)
    return Gazetteer(pattern, tuple((pid, canon) for _, pid, canon, _ in entries))


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
