"""Run our money extractor on other projects' test suites (../shared/peer-suites).

Each .jsonl row is one expected money expression (see the suite's README). A
row passes when the extractor, run on the row's sentence (Recognizers) or whole
input (Duckling), yields a mention with the same amount, amount_max and
currency, and the same qualifier when the row has a min/max bound. Rows we do
not claim to handle are counted as out of scope with the reason, never dropped.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import regex

from .money import find_money

# Native Korean counting numerals: not used for money amounts in news.
_NATIVE_KO = regex.compile(
    r"하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열|스물|서른|마흔|쉰|예순|일흔|여든|아흔"
)
_ISO = regex.compile(r"^[A-Z]{3}$")


@dataclass
class FileResult:
    name: str
    rows: int = 0
    in_scope: int = 0
    passed: int = 0
    span_exact: int = 0
    out_of_scope: Counter = field(default_factory=Counter)
    failures: list[dict] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.in_scope if self.in_scope else 1.0


def _supported(lang: str) -> set[str]:
    from .money import english, korean

    return (korean if lang == "ko" else english).supported_currencies()


# Rows whose reading we differ from by design: (lang, upstream currency, currency word in
# the row's text, words that make the row not such a case) -> why. Counted out of scope
# with the reason, never silently dropped.
BY_DESIGN = {
    ("ko", "LKR", "루피", ("스리랑카", "인도", "파키스탄")): (
        "by design: a bare 루피 is read as the Indian rupee (rules/ko/currencies.toml); "
        "Recognizers-Text maps it to the Sri Lankan rupee"
    ),
}


def scope_reason(row: dict) -> str:
    """Why a row is out of scope, or "" when we claim to handle it."""
    if row.get("suspect"):
        return "upstream expected value flagged suspect"
    text = row.get("text") or ""
    for (lang, currency, word, unless), why in BY_DESIGN.items():
        if (row.get("lang"), row.get("currency")) == (lang, currency) and word in text:
            if not any(u in text for u in unless):
                return why
    if row.get("subset") == "latent":
        return "latent: a bare number with no currency (Duckling's withLatent)"
    if row.get("subset") == "numeral":
        if row["amount"].startswith("-"):
            return "negative number: never a money amount"
        if _NATIVE_KO.search(row["text"]):
            return "native Korean counting numeral: not used for money"
        return ""
    if row.get("subset") == "negative":
        return ""
    currency = row.get("currency") or ""
    if not _ISO.match(currency):
        return f"'{currency}' is a sub-unit or ambiguous unit with no ISO 4217 code"
    if currency not in _supported(row["lang"]):
        return f"currency {currency} not in our {row['lang']} rules"
    return ""


def _expected(row: dict) -> tuple[Decimal, Decimal | None, str, str]:
    amount_max = Decimal(row["amount_max"]) if row.get("amount_max") else None
    qualifier = row["qualifier"] if row["qualifier"] in ("min", "max") else ""
    return Decimal(row["amount"]), amount_max, row["currency"], qualifier


def check_row(row: dict) -> tuple[bool, bool, str]:
    """(passed, span exact, what we found) for one in-scope row."""
    if row.get("subset") == "numeral":
        from .money import korean

        try:
            value = korean.parse_number(row["text"])
        except ValueError as exc:
            return False, False, f"ValueError: {exc}"
        return value == Decimal(row["amount"]), True, str(value)
    text = row.get("sentence") or row["text"]
    mentions = find_money(text, row["lang"])
    found = "; ".join(
        f"{m.text!r}={m.amount}{'-' + str(m.amount_max) if m.amount_max else ''} {m.currency}"
        f"{' ' + m.qualifier if m.qualifier else ''}"
        for m in mentions
    )
    if row.get("subset") == "negative":
        return not mentions, not mentions, found
    amount, amount_max, currency, qualifier = _expected(row)
    for m in mentions:
        if (m.amount, m.amount_max, m.currency) != (amount, amount_max, currency):
            continue
        if qualifier and m.qualifier != qualifier:
            continue
        return True, m.text.strip() == row["text"].strip(), found
    return False, False, found


def conform_file(path: Path) -> FileResult:
    result = FileResult(name=path.name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        result.rows += 1
        reason = scope_reason(row)
        if reason:
            result.out_of_scope[reason] += 1
            continue
        result.in_scope += 1
        passed, exact, found = check_row(row)
        if passed:
            result.passed += 1
            result.span_exact += exact
        else:
            result.failures.append(
                {
                    "id": row["id"],
                    "text": row["text"],
                    "sentence": row.get("sentence", ""),
                    "expected": f"{row['amount']}"
                    f"{'-' + row['amount_max'] if row.get('amount_max') else ''} "
                    f"{row.get('currency')} {row.get('qualifier', '')}".strip(),
                    "found": found,
                }
            )
    return result


def conform_dir(directory: Path) -> list[FileResult]:
    files = sorted(Path(directory).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no .jsonl peer-suite files in {directory}")
    return [conform_file(p) for p in files]


def to_json(results: list[FileResult]) -> dict:
    return {
        r.name: {
            "rows": r.rows,
            "in_scope": r.in_scope,
            "passed": r.passed,
            "pass_rate": round(r.pass_rate, 4),
            "span_exact": r.span_exact,
            "out_of_scope": dict(r.out_of_scope),
            "failures": r.failures,
        }
        for r in results
    }


def format_report(results: list[FileResult], show: int = 20) -> str:
    lines = [f"{'file':48} {'rows':>5} {'in scope':>8} {'passed':>6} {'rate':>7} {'out':>4}"]
    for r in results:
        lines.append(
            f"{r.name:48} {r.rows:5} {r.in_scope:8} {r.passed:6} {r.pass_rate:7.1%} "
            f"{sum(r.out_of_scope.values()):4}"
        )
    for r in results:
        if r.out_of_scope:
            lines.append(f"\n{r.name}: out of scope")
            lines += [f"  {n:4}  {reason}" for reason, n in r.out_of_scope.most_common()]
        if r.failures:
            lines.append(
                f"\n{r.name}: {len(r.failures)} failures"
                + (f" (first {show})" if len(r.failures) > show else "")
            )
            for f in r.failures[:show]:
                where = f" in {f['sentence']!r}" if f["sentence"] else ""
                lines.append(
                    f"  {f['text']!r}{where}\n      expected {f['expected']}; "
                    f"found {f['found'] or 'nothing'}"
                )
    return "\n".join(lines)


def main_conform(directory: Path, as_json: bool = False, show: int = 20) -> int:
    try:
        results = conform_dir(directory)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(to_json(results), ensure_ascii=False, indent=2))
    else:
        print(format_report(results, show))
    return 0
