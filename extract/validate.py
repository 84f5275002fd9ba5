"""Check every rule and gazetteer file once, before a run touches anything.

A careless edit of a rule file (a TOML syntax error, a project without an `id`,
two projects with one id, a name that is a number) used to surface as every
document becoming `error`, or as a bare KeyError. `validate_rules` reads every
file under the rules folder, checks it against the schema below, then builds
each stage's compiled rules once; the first problem raises RuleFileError with
the file, the line and the field (`rules/projects.toml line 12: [[project]] #3:
field "id" is missing`).

Schema (beyond TOML syntax):
- every file: `[meta]` with `kind` one of rules.KINDS and an optional string
  `lang`/`description`; `[[example]]` tables each with a string `text`;
- kind "projects": `[[project]]` tables with a non-empty string `id` (unique
  over all gazetteer files), `ko`/`en` a string or a list of strings, no other
  fields (a misspelt `kor = [...]` would otherwise be silently ignored);
- any other array of tables whose entries carry an `id`: ids are strings,
  unique within the file.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path
from typing import Any

from .rules import KINDS, RuleFileError, clear_cache, rules_dir

PROJECT_FIELDS = {"id", "ko", "en"}

# The stages' rule compilers, run once so a rule that parses but cannot be used
# (a bad regex, a wrong type deep in a table) stops the run here. Missing names
# are skipped, so a refactoring of a stage does not break validation.
_COMPILERS = (
    ("extract.money.en_rules", "english_rules", ()),
    ("extract.money.ko_grammar", "grammar", ()),
    ("extract.money.ko_grammar", "pieces", ()),
    ("extract.money.korean", "_patterns", ()),
    ("extract.money.guards", "_rate_rules", ()),
    ("extract.money.tables", "_table_rules", ()),
    ("extract.linking", "config", ("ko",)),
    ("extract.linking", "config", ("en",)),
    ("extract.linking.gazetteer", "load", ()),
    ("extract.money.countries", "country_rules", ()),
    ("extract.totals", "total_rules", ()),
    ("extract.totals_cross", "cross_rules", ()),
)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _line_of(text: str, table: str, index: int, field: str | None = None) -> int:
    """1-based line of the `index`-th (0-based) `[[table]]` header, or of `field = ` in it."""
    header = re.compile(rf"(?m)^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]")
    ends = [m.end() for m in header.finditer(text)]
    if index >= len(ends):
        return 0
    pos = ends[index]
    if field is not None:
        stop = ends[index + 1] if index + 1 < len(ends) else len(text)
        m = re.compile(rf"(?m)^[ \t]*{re.escape(field)}[ \t]*=").search(text, pos, stop)
        if m:
            pos = m.end()
    return text.count("\n", 0, pos) + 1


class _File:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = _display(path)
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(f"{self.name}: cannot read: {exc}") from None
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(f"{self.name}: not valid TOML: {exc}") from None

    def fail(self, table: str, index: int, field: str | None, problem: str) -> RuleFileError:
        line = _line_of(self.text, table, index, field)
        where = f"{self.name} line {line}" if line else self.name
        what = f"[[{table}]] #{index + 1}" + (f" ({self.id_of(table, index)})" if field else "")
        return RuleFileError(f"{where}: {what}: {problem}")

    def id_of(self, table: str, index: int) -> str:
        entry = self.data.get(table, [])[index]
        value = entry.get("id") if isinstance(entry, dict) else None
        return f"id {value!r}" if isinstance(value, str) and value else "no id"


def _check_meta(f: _File) -> str:
    meta = f.data.get("meta")
    if not isinstance(meta, dict):
        raise RuleFileError(f"{f.name}: needs a [meta] table with kind one of {sorted(KINDS)}")
    kind = meta.get("kind")
    if kind not in KINDS:
        raise RuleFileError(
            f'{f.name}: [meta] field "kind" is {kind!r}, must be one of {sorted(KINDS)}'
        )
    for key in ("lang", "description"):
        if key in meta and not isinstance(meta[key], str):
            raise RuleFileError(f'{f.name}: [meta] field "{key}" must be a string')
    examples = f.data.get("example", [])
    if not isinstance(examples, list):
        raise RuleFileError(f"{f.name}: example must be an array of tables ([[example]])")
    for i, ex in enumerate(examples):
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            raise f.fail("example", i, "text", 'field "text" (a string) is missing')
    return kind


def _check_projects(f: _File, seen: dict[str, str]) -> None:
    projects = f.data.get("project", [])
    if not isinstance(projects, list):
        raise RuleFileError(f"{f.name}: project must be an array of tables ([[project]])")
    for i, proj in enumerate(projects):
        if not isinstance(proj, dict):
            raise f.fail("project", i, None, "must be a table")
        pid = proj.get("id")
        if pid is None:
            raise f.fail("project", i, None, 'field "id" is missing')
        if not isinstance(pid, str) or not pid.strip():
            raise f.fail("project", i, "id", 'field "id" must be a non-empty string')
        if pid in seen:
            raise f.fail("project", i, "id", f"duplicate id (also in {seen[pid]})")
        seen[pid] = f.name
        for key, value in proj.items():
            if key not in PROJECT_FIELDS:
                raise f.fail("project", i, key, f'unknown field "{key}" (fields: id, ko, en)')
            if key in ("ko", "en") and not _strings(value):
                raise f.fail(
                    "project", i, key, f'field "{key}" must be a string or a list of strings'
                )


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _check_ids(f: _File) -> None:
    for table, entries in f.data.items():
        if table in ("project", "example") or not isinstance(entries, list):
            continue
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or "id" not in entry:
                continue
            value = entry["id"]
            if not isinstance(value, str):
                raise f.fail(table, i, "id", 'field "id" must be a string')
            if value in seen:
                raise f.fail(table, i, "id", "duplicate id in this file")
            seen.add(value)


def validate_rules(folder: Path | None = None, compile_rules: bool = True) -> int:
    """Validate every rule file under `folder` (default: rules_dir()); return how many.

    Raises RuleFileError naming the file, the line and the field of the first problem.
    With `compile_rules`, each stage's rules are then built once, so that a rule that
    parses but cannot be compiled (a bad regex) stops the run here too.
    """
    folder = Path(folder) if folder is not None else rules_dir()
    if not folder.is_dir():
        raise RuleFileError(f"rules folder {folder.absolute()} does not exist")
    paths = sorted(folder.rglob("*.toml"))
    seen_ids: dict[str, str] = {}
    for path in paths:
        f = _File(path)
        kind = _check_meta(f)
        if kind == "projects":
            _check_projects(f, seen_ids)
        _check_ids(f)
    if compile_rules:
        clear_cache()
        _compile_all(folder)
    return len(paths)


def _compile_all(folder: Path) -> None:
    for module_name, attr, args in _COMPILERS:
        module = importlib.import_module(module_name)
        build = getattr(module, attr, None)
        if build is None:
            continue
        try:
            build(*args)
        except RuleFileError:
            raise
        except Exception as exc:  # the message names the stage; the schema found no file
            stage = module_name.removeprefix("extract.")
            raise RuleFileError(
                f"rules in {_display(folder)} cannot be used by {stage}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
