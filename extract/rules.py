"""Loading the rule files kept as data under `rules/`.

Every rule file is TOML with a `[meta]` table (`kind`, `lang`, `description`)
and a list of `[[example]]` tables that the rule-example test checks. The
meaning of the other tables depends on the kind; the module that uses a kind
documents its fields. See rules/README.md for the contributor's guide.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

KINDS = {"number", "money", "link", "projects", "weights", "totals"}

_DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


class RuleFileError(ValueError):
    """A rule file that cannot be used, with the file and the reason."""


# The folder fixed for the work in progress (`pinned_rules`): the stages ask for their
# rules per sentence, and reading the environment costs microseconds each time
# (os.environ raises and catches a KeyError inside when the variable is unset).
_PINNED: ContextVar[Path | None] = ContextVar("extract_rules_pinned", default=None)


def rules_dir() -> Path:
    """The rules folder: $EXTRACT_RULES if set, else `rules/` beside the package
    (inside `pinned_rules`, the folder it read on entry)."""
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    return _as_path(os.environ.get("EXTRACT_RULES", ""))


@contextmanager
def pinned_rules() -> Iterator[Path]:
    """Read $EXTRACT_RULES once, on entry; `rules_dir()` returns that folder until exit
    (one document's extraction: a change of the variable takes effect for the next)."""
    token = _PINNED.set(_as_path(os.environ.get("EXTRACT_RULES", "")))
    try:
        yield rules_dir()
    finally:
        _PINNED.reset(token)


@cache
def _as_path(value: str) -> Path:  # called per sentence by the extractors: keep it cheap
    return Path(value) if value else _DEFAULT_RULES_DIR


def rule_files(kind: str | None = None, lang: str | None = None) -> list[Path]:
    """All rule files (sorted), optionally only those of one kind and language."""
    return list(_rule_files(str(rules_dir()), kind, lang))


@cache
def _rule_files(folder: str, kind: str | None, lang: str | None) -> tuple[Path, ...]:
    # Cached per process: the stages ask for their rules per sentence, and a
    # directory walk each time dominated the run. A rules edit takes effect on
    # the next run (see clear_cache for long-lived processes).
    found = []
    for path in sorted(Path(folder).rglob("*.toml")):
        meta = load_rule_file(path)["meta"]
        if (kind is None or meta["kind"] == kind) and (lang is None or meta.get("lang") == lang):
            found.append(path)
    return tuple(found)


def clear_cache() -> None:
    """Forget cached rule files, so edits are read again in a running process."""
    _rule_files.cache_clear()
    _load_cached.cache_clear()


@cache
def _load_cached(path: str, mtime_ns: int) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: not valid TOML: {exc}") from exc
    meta = data.get("meta")
    if not isinstance(meta, dict) or meta.get("kind") not in KINDS:
        raise RuleFileError(f"{path}: needs [meta] with kind one of {sorted(KINDS)}")
    examples = data.setdefault("example", [])
    if not isinstance(examples, list):
        raise RuleFileError(f"{path}: [[example]] must be an array of tables")
    for i, ex in enumerate(examples):
        if "text" not in ex:
            raise RuleFileError(f"{path}: example #{i + 1} has no text")
    return data


def load_rule_file(path: Path | str) -> dict[str, Any]:
    """Parse and validate one rule file (cached until the file changes)."""
    p = Path(path)
    return _load_cached(str(p), p.stat().st_mtime_ns)


def load_kind(kind: str, lang: str | None = None) -> list[dict[str, Any]]:
    """The parsed rule files of one kind (and language), in file-name order."""
    return [load_rule_file(p) for p in rule_files(kind, lang)]
