"""Every reason a document can get in documents.csv is listed in README "Document statuses".

The reasons are read from the code, not from a list kept beside it: every string given
to the calls and names that produce a reason (FormatError, DecodeFailure, `_fail`,
`failed`, `skip`, a `reason` keyword or variable, `_REFUSED`, and what `_os_reason`
and `link_problem` return). Each becomes a pattern, its formatted values `.+`, which
must match one code span of the README's reason column in full; and every code span
there must match a reason the code can give, so the README lists no stale one.
(tester20 E2: three real reasons were missing and one listed was worded otherwise.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "extract"

# call -> (first argument holding the reason, prefix the reason gets in documents.csv)
CALLS = {
    "FormatError": (0, ""),
    "DecodeFailure": (0, ""),
    "_fail": (2, ""),
    "failed": (1, ""),
    "skip": (1, "ignored: "),  # ingest.discover: pipeline.run writes `ignored: {why}`
}
RETURNS = {"_os_reason": "", "link_problem": "ignored: "}
ASSIGNED = {"reason", "_REFUSED"}


def _constants(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            if isinstance(value, str):
                out.update({t.id: value for t in node.targets if isinstance(t, ast.Name)})
    return out


def _templates(node: ast.AST, names: dict[str, str]) -> list[list[str | None]]:
    """The strings an expression can give, as parts (None: a formatted value)."""
    if isinstance(node, ast.Constant):
        return [[node.value]] if isinstance(node.value, str) and node.value else []
    if isinstance(node, ast.JoinedStr):
        parts: list[str | None] = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(v.value)
            elif isinstance(v.value, ast.Name) and v.value.id in names:
                parts.append(names[v.value.id])  # `f"{TIMED_OUT} {timeout:g} s"`
            else:
                parts.append(None)
        return [parts]
    children: list[ast.AST] = []
    if isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, ast.BoolOp):
        children = list(node.values)
    elif isinstance(node, ast.Dict):
        children = [v for v in node.values if v is not None]
    elif isinstance(node, ast.Call):
        children = list(node.args)
    return [t for c in children for t in _templates(c, names)]


def code_reasons() -> dict[str, str]:
    """pattern -> where in the code (file:line) for every reason the code can give."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _constants(tree)
        for node in ast.walk(tree):
            pieces: list[tuple[str, ast.AST]] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in CALLS:
                    first, prefix = CALLS[name]
                    pieces += [(prefix, a) for a in node.args[first:]]
                pieces += [("", k.value) for k in node.keywords if k.arg == "reason"]
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    target = t.id if isinstance(t, ast.Name) else getattr(t, "attr", "")
                    if target in ASSIGNED:
                        pieces.append(("", node.value))
            elif isinstance(node, ast.FunctionDef) and node.name in RETURNS:
                pieces += [
                    (RETURNS[node.name], r.value)
                    for r in ast.walk(node)
                    if isinstance(r, ast.Return) and r.value is not None
                ]
            for prefix, expr in pieces:
                for parts in _templates(expr, names):
                    pattern = re.escape(prefix) + "".join(
                        ".+" if p is None else re.escape(p) for p in parts
                    )
                    where = f"{path.relative_to(ROOT)}:{getattr(expr, 'lineno', node.lineno)}"
                    found.setdefault(pattern, where)
    return found


def readme_reasons() -> list[str]:
    """The code spans of the reason column of README "Document statuses"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Document statuses", 1)[1].split("\n## ", 1)[0]
    spans = []
    for line in section.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 3:
            spans += re.findall(r"`([^`]+)`", cells[1])
    return spans


def test_the_code_gives_the_reasons_the_collector_should_find() -> None:
    # the collector itself works: known reasons of each kind are among its patterns
    patterns = code_reasons()
    for reason in (
        "not a DOCX file (not a zip archive)",
        "not an HWPX file (not a zip archive)",
        "damaged HWP (hwp5-damaged)",
        "distribution-locked HWP (배포용): cannot be read",
        "cannot read: permission denied",
        "ignored: placeholder or OS metadata file",
        "ignored: symbolic link loop: not read",
        "timed out after 60 s",
        "same content as ko/a.txt",
        "binary content, not text (looks like PDF)",
        "table too large (900 x 900 cells): refused",
    ):
        assert any(re.fullmatch(p, reason) for p in patterns), reason
    assert len(patterns) >= 50


def test_every_reason_the_code_gives_is_in_the_readme() -> None:
    spans = readme_reasons()
    assert len(spans) >= 40
    missing = [
        f"{where}: {pattern}"
        for pattern, where in code_reasons().items()
        if not any(re.fullmatch(pattern, s) for s in spans)
    ]
    assert not missing, "reasons not in README 'Document statuses':\n" + "\n".join(missing)


def test_every_reason_in_the_readme_is_one_the_code_gives() -> None:
    patterns = list(code_reasons())
    stale = [s for s in readme_reasons() if not any(re.fullmatch(p, s) for p in patterns)]
    assert not stale, f"README 'Document statuses' lists reasons the code never gives: {stale}"
