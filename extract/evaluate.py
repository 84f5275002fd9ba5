"""Score the pipeline against a labeled set (format: ../shared/LABELED_SET.md).

A labeled set is `SET/corpus/` plus `SET/gold.csv` (or `gold.xlsx`). `evaluate_set`
runs the full pipeline over the corpus into a temporary folder and `score` compares
its records with the gold rows:

- Mention match: same doc, currency, amount and amount_max (an amount_max equal to
  the amount counts as no range). Multiset matching: each gold row and each
  prediction is used at most once; within one (doc, value) group, pairs whose
  projects are strictly equal are made first, then the rest are paired preferring a
  lenient project match. Ties go to an identical text, then to the same rank (the
  nth prediction in text order with the nth gold row in file order: keep gold rows
  in document order). Predictions whose amount is None (vague amounts) are not
  scored at all.
- Span exactness: matched pairs whose predicted text equals the gold text (NFC).
- Qualifier accuracy: matched pairs whose gold qualifier is set; correct when the
  predicted qualifier is the same; None (printed n/a) when no matched gold row has one.
- Project linking (strict and lenient, see `normalize_project`, `projects_lenient`):
  a *hit* is a matched pair whose gold project is non-empty and whose predicted
  project matches it. precision = hits / matched pairs with a non-empty predicted
  project; recall = hits / all gold rows with a non-empty project (unmatched
  mentions count as misses).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .models import Record

REQUIRED_COLUMNS = ("doc", "text", "amount", "currency", "project")
OPTIONAL_COLUMNS = ("amount_max", "qualifier")
QUALIFIERS = ("", "approx", "max", "min")
_CURRENCY = re.compile(r"[A-Z]{3}")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # a point only for sub-unit values (7.31)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
# Brackets and quotes that Unicode files under categories other than P*.
_EXTRA_PUNCT = set("<>`´^|~")


class GoldError(ValueError):
    """A labeled set that cannot be scored; the message names the file and row."""


@dataclass(frozen=True)
class GoldRow:
    """One labeled monetary expression. `row` is the spreadsheet row (header = row 1)."""

    doc: str
    text: str
    amount: Decimal
    currency: str
    project: str = ""
    amount_max: Decimal | None = None
    qualifier: str = ""
    row: int = 0


@dataclass
class Pair:
    """A matched (gold, predicted) mention."""

    gold: GoldRow
    pred: Record


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    false_negatives: list[GoldRow] = field(default_factory=list)
    false_positives: list[Record] = field(default_factory=list)
    unscored: int = 0  # predictions with no amount (vague)


@dataclass
class EvalReport:
    """Figures (`metrics`, the dict `score` returns) plus what is needed to list errors."""

    set_dir: Path
    metrics: dict[str, Any]
    matching: Matching
    doc_langs: dict[str, str]
    gold: list[GoldRow]


# --------------------------------------------------------------------------- loading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb["gold"] if "gold" in wb.sheetnames else wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = [[c.strip() for c in row] for row in csv.reader(fh)]
    if not rows:
        raise GoldError(f"{path.name}: empty file, expected a header row")
    return [h.strip().lower() for h in rows[0]], rows[1:]


def _norm_doc(doc: str) -> str:
    doc = unicodedata.normalize("NFC", doc.strip().replace("\\", "/"))
    return doc[2:] if doc.startswith("./") else doc


def gold_path(set_dir: Path) -> Path:
    """The gold table of a set: gold.csv, else gold.xlsx."""
    for name in ("gold.csv", "gold.xlsx"):
        if (set_dir / name).is_file():
            return set_dir / name
    raise GoldError(f"{set_dir}: no gold.csv or gold.xlsx")


def load_gold(set_dir: Path) -> list[GoldRow]:
    """Read and validate `set_dir/gold.csv` (or gold.xlsx).

    Raises GoldError listing every problem, each naming its row, e.g.
    `gold.csv row 12: amount '1.2억' is not a plain number (digits, one point)`.
    Rows are numbered as in a spreadsheet: the header is row 1. Wholly empty rows
    are skipped. A point is allowed for sub-unit values (`7.31` for `$7.31`).
    """
    set_dir = Path(set_dir)
    corpus = set_dir / "corpus"
    if not corpus.is_dir():
        raise GoldError(f"{set_dir}: no corpus/ folder")
    path = gold_path(set_dir)
    header, rows = _read_table(path)
    name = path.name
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise GoldError(
            f"{name}: missing required column(s) {', '.join(missing)} "
            f"(header is: {', '.join(h for h in header if h)})"
        )
    idx = {h: i for i, h in enumerate(header) if h}
    problems: list[str] = []
    out: list[GoldRow] = []
    for n, cells in enumerate(rows, start=2):
        if not any(cells):
            continue

        def get(col: str, cells: list[str] = cells) -> str:
            i = idx.get(col)
            return cells[i] if i is not None and i < len(cells) else ""

        errs = []
        doc = _norm_doc(get("doc"))
        if not doc:
            errs.append("doc is empty")
        elif not (corpus / doc).is_file():
            errs.append(f"doc '{doc}' not found in corpus/")
        text = get("text")
        if not text:
            errs.append("text is empty")
        amount_s = get("amount")
        if not _DIGITS.fullmatch(amount_s):
            errs.append(f"amount '{amount_s}' is not a plain number (digits, one point)")
        max_s = get("amount_max")
        if max_s and not _DIGITS.fullmatch(max_s):
            errs.append(f"amount_max '{max_s}' is not a plain number (digits, one point)")
        currency = get("currency")
        if not _CURRENCY.fullmatch(currency):
            errs.append(f"currency '{currency}' is not an ISO 4217 code (3 capital letters)")
        qualifier = get("qualifier").lower()
        if qualifier not in QUALIFIERS:
            errs.append(f"qualifier '{qualifier}' is not one of approx, max, min or empty")
        if not errs and max_s and Decimal(max_s) < Decimal(amount_s):
            errs.append(f"amount_max {max_s} is below amount {amount_s}")
        if errs:
            problems.extend(f"{name} row {n}: {e}" for e in errs)
            continue
        amount = Decimal(amount_s)
        amount_max = Decimal(max_s) if max_s else None
        out.append(
            GoldRow(
                doc=doc,
                text=text,
                amount=amount,
                currency=currency,
                project=get("project"),
                amount_max=None if amount_max == amount else amount_max,
                qualifier=qualifier,
                row=n,
            )
        )
    if problems:
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise GoldError("\n".join(problems[:20]) + more)
    return out


# ---------------------------------------------------------------- project comparison


def normalize_project(name: str) -> str:
    """NFKC, case-fold, quotes/brackets/punctuation out, whitespace collapsed and
    trimmed, then one leading "the"/"a"/"an" dropped.

    Punctuation becomes a space, so `AI-Based` and `AI Based` compare equal.
    """
    s = unicodedata.normalize("NFKC", name or "").casefold()
    s = "".join(
        " " if unicodedata.category(ch).startswith("P") or ch in _EXTRA_PUNCT else ch for ch in s
    )
    s = " ".join(s.split())
    return _LEADING_ARTICLE.sub("", s)


def project_tokens(normalized: str) -> Counter[str]:
    """Tokens of a normalised project name: English words as they are; a word with
    Hangul gives its character bigrams (a one-letter word gives itself)."""
    toks: Counter[str] = Counter()
    for word in normalized.split():
        if _HANGUL.search(word) and len(word) > 1:
            toks.update(word[i : i + 2] for i in range(len(word) - 1))
        else:
            toks[word] += 1
    return toks


def token_f1(a: str, b: str) -> float:
    """Token-overlap F1 of two normalised names (multiset overlap)."""
    ta, tb = project_tokens(a), project_tokens(b)
    overlap = sum((ta & tb).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(ta.values()), overlap / sum(tb.values())
    return 2 * p * r / (p + r)


def projects_strict(pred: str, gold: str) -> bool:
    """Equal after `normalize_project` (two empty names are equal)."""
    return normalize_project(pred) == normalize_project(gold)


def projects_lenient(pred: str, gold: str) -> bool:
    """Both non-empty after normalisation and one contains the other, or their
    token-overlap F1 is at least 0.5."""
    a, b = normalize_project(pred), normalize_project(gold)
    if not a or not b:
        return False
    return a in b or b in a or token_f1(a, b) >= 0.5


# ------------------------------------------------------------------------- matching


def _key(amount: Decimal | int, amount_max: Decimal | int | None, currency: str) -> tuple:
    a = Decimal(amount)
    m = None if amount_max is None or Decimal(amount_max) == a else Decimal(amount_max)
    return (currency.strip().upper(), a, m)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def _closest(cands: list[GoldRow], rank: dict[int, int], i: int, p: Record) -> GoldRow:
    """The candidate with the same text as `p`, then the nearest rank to `i`."""
    return min(cands, key=lambda g: (_nfc(g.text) != _nfc(p.text), abs(rank[id(g)] - i)))


def match(gold: Sequence[GoldRow], predicted: Iterable[Record]) -> Matching:
    """Pair predictions with gold rows (see the module docstring for the rules)."""
    result = Matching()
    golds: dict[tuple, list[GoldRow]] = defaultdict(list)
    for g in gold:
        golds[(_norm_doc(g.doc), *_key(g.amount, g.amount_max, g.currency))].append(g)
    preds: dict[tuple, list[Record]] = defaultdict(list)
    for p in sorted(predicted, key=lambda r: (r.doc, r.start, r.end)):
        if p.amount is None:
            result.unscored += 1
            continue
        preds[(_norm_doc(p.doc), *_key(p.amount, p.amount_max, p.currency))].append(p)

    for key, ps in preds.items():
        # Ordinals within the group (gold rows in file order, predictions in text
        # order) break ties, so the nth occurrence pairs with the nth row.
        rank = {id(g): i for i, g in enumerate(golds.get(key, []))}
        free = list(golds.get(key, []))
        pending: list[tuple[int, Record]] = []

        # Pass 1: strictly equal projects (an equivalence, so greedy is optimal).
        for i, p in enumerate(ps):
            cands = [g for g in free if projects_strict(p.project, g.project)]
            if cands:
                g = _closest(cands, rank, i, p)
                free.remove(g)
                result.pairs.append(Pair(g, p))
            else:
                pending.append((i, p))
        # Pass 2: anything left, preferring a lenient project match.
        for i, p in pending:
            if not free:
                result.false_positives.append(p)
                continue
            lenient = [g for g in free if projects_lenient(p.project, g.project)]
            g = _closest(lenient or free, rank, i, p)
            free.remove(g)
            result.pairs.append(Pair(g, p))
        golds[key] = free
    for rows in golds.values():
        result.false_negatives.extend(rows)
    result.false_negatives.sort(key=lambda g: g.row)
    return result


# -------------------------------------------------------------------------- scoring


def _div(num: int, den: int) -> float:
    return num / den if den else 0.0


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted and nothing to find is a perfect 1.0;
    otherwise an empty denominator gives 0.0."""
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    p, r = _div(tp, n_pred), _div(tp, n_gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _figures(pairs: list[Pair], n_pred: int, gold: list[GoldRow]) -> dict[str, Any]:
    tp = len(pairs)
    mp, mr, mf = _prf(tp, n_pred, len(gold))
    span = sum(_nfc(x.pred.text) == _nfc(x.gold.text) for x in pairs)
    qual = [x for x in pairs if x.gold.qualifier]
    qual_ok = sum((x.pred.qualifier or "") == x.gold.qualifier for x in qual)
    gold_proj = sum(bool(normalize_project(g.project)) for g in gold)
    pred_proj = sum(bool(normalize_project(x.pred.project)) for x in pairs)
    with_gold_proj = [x for x in pairs if normalize_project(x.gold.project)]
    strict_hits = sum(projects_strict(x.pred.project, x.gold.project) for x in with_gold_proj)
    lenient_hits = sum(projects_lenient(x.pred.project, x.gold.project) for x in with_gold_proj)
    sp, sr, sf = _prf(strict_hits, pred_proj, gold_proj)
    lp, lr, lf = _prf(lenient_hits, pred_proj, gold_proj)
    return {
        "mention_f1": mf,
        "mention_precision": mp,
        "mention_recall": mr,
        "project_strict_f1": sf,
        "project_lenient_f1": lf,
        # None (JSON null, "n/a" in the table) when no matched gold row has a qualifier:
        # 0.0 would read as "every qualifier wrong".
        "qualifier_accuracy": _div(qual_ok, len(qual)) if qual else None,
        "span_exact": _div(span, tp),
        "project_strict_precision": sp,
        "project_strict_recall": sr,
        "project_lenient_precision": lp,
        "project_lenient_recall": lr,
        "counts": {
            "gold": len(gold),
            "predicted": n_pred,
            "matched": tp,
            "false_positives": n_pred - tp,
            "false_negatives": len(gold) - tp,
            "span_exact": span,
            "qualifier_gold": len(qual),
            "qualifier_correct": qual_ok,
            "project_gold": gold_proj,
            "project_predicted": pred_proj,
            "project_strict_hits": strict_hits,
            "project_lenient_hits": lenient_hits,
        },
    }


def _lang(doc: str, doc_langs: dict[str, str], fallback: str = "") -> str:
    return doc_langs.get(doc) or doc_langs.get(_norm_doc(doc)) or fallback or "und"


def _metrics(m: Matching, gold: Sequence[GoldRow], doc_langs: dict[str, str]) -> dict[str, Any]:
    scored_preds = [x.pred for x in m.pairs] + m.false_positives
    out = _figures(m.pairs, len(scored_preds), list(gold))
    out["counts"]["unscored_vague"] = m.unscored
    langs = {_lang(g.doc, doc_langs) for g in gold}
    langs |= {_lang(p.doc, doc_langs, p.lang) for p in scored_preds}
    by_lang = {}
    for lang in sorted(langs):
        pairs = [x for x in m.pairs if _lang(x.gold.doc, doc_langs) == lang]
        n_pred = sum(_lang(p.doc, doc_langs, p.lang) == lang for p in scored_preds)
        lang_gold = [g for g in gold if _lang(g.doc, doc_langs) == lang]
        by_lang[lang] = _figures(pairs, n_pred, lang_gold)
    out["by_lang"] = by_lang
    return out


def score(
    gold: list[GoldRow], predicted: list[Record], doc_langs: dict[str, str]
) -> dict[str, Any]:
    """All figures as a dict (keys as in `to_json`, floats unrounded).

    `doc_langs` maps doc -> the pipeline's document language; a gold row and a
    prediction are counted under their document's language in `by_lang`
    (a prediction whose doc is missing from it falls back to its own `lang`).
    """
    return _metrics(match(gold, predicted), gold, doc_langs)


# ----------------------------------------------------------------------- evaluation


def evaluate_set(set_dir: Path, jobs: int = 1) -> EvalReport:
    """Validate the set, run the full pipeline over `set_dir/corpus` into a temporary
    folder (never `outputs/`), and score the records."""
    from .pipeline import extract_corpus

    set_dir = Path(set_dir)
    gold = load_gold(set_dir)
    with tempfile.TemporaryDirectory(prefix="extract-eval-") as tmp:
        records, doc_langs = extract_corpus(set_dir / "corpus", Path(tmp), jobs=jobs)
    doc_langs = {_norm_doc(d): lang for d, lang in doc_langs.items()}
    m = match(gold, records)
    return EvalReport(set_dir, _metrics(m, gold, doc_langs), m, doc_langs, gold)


JSON_KEYS = (
    "mention_f1",
    "mention_precision",
    "mention_recall",
    "project_strict_f1",
    "project_lenient_f1",
    "qualifier_accuracy",
    "span_exact",
    "by_lang",
)


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {
        k: round(v, 4) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v
        for k, v in d.items()
    }


def to_json(report: EvalReport) -> dict[str, Any]:
    """The figures as a JSON-ready dict: the keys of JSON_KEYS first, then extras
    (project precision/recall, counts). Floats are rounded to 4 places."""
    m = _rounded(report.metrics)
    return {**{k: m[k] for k in JSON_KEYS}, **{k: v for k, v in m.items() if k not in JSON_KEYS}}


def _fmt_or_na(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _row(label: str, f: dict[str, Any]) -> str:
    c = f["counts"]
    return (
        f"{label:<10}{f['mention_precision']:>7.3f}{f['mention_recall']:>7.3f}"
        f"{f['mention_f1']:>7.3f}{c['gold']:>7}{c['predicted']:>7}{c['matched']:>7}"
        f"{f['span_exact']:>7.3f}{_fmt_or_na(f['qualifier_accuracy']):>7}"
        f"{f['project_strict_f1']:>8.3f}{f['project_lenient_f1']:>8.3f}"
    )


def format_table(report: EvalReport) -> str:
    """A plain-text summary table, one line overall and one per language."""
    m = report.metrics
    c = m["counts"]
    head = (
        f"{'':<10}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}{'match':>7}"
        f"{'span':>7}{'qual':>7}{'proj-s':>8}{'proj-l':>8}"
    )
    lines = [f"Labeled set: {report.set_dir}", "", "Mentions", head, "-" * len(head)]
    lines.append(_row("all", m))
    lines += [_row(lang, f) for lang, f in m["by_lang"].items()]
    lines += [
        "",
        "Project linking        P      R     F1",
        f"  strict          {m['project_strict_precision']:>6.3f} "
        f"{m['project_strict_recall']:>6.3f} {m['project_strict_f1']:>6.3f}",
        f"  lenient         {m['project_lenient_precision']:>6.3f} "
        f"{m['project_lenient_recall']:>6.3f} {m['project_lenient_f1']:>6.3f}",
        "",
        f"span exact {c['span_exact']}/{c['matched']}, qualifier {c['qualifier_correct']}/"
        f"{c['qualifier_gold']}, projects: {c['project_gold']} gold, "
        f"{c['project_predicted']} predicted on matches, {c['project_strict_hits']} strict / "
        f"{c['project_lenient_hits']} lenient hits; {c['unscored_vague']} vague predictions "
        "not scored",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------------ error list

ERROR_COLUMNS = (
    "kind",
    "doc",
    "lang",
    "gold_row",
    "gold_text",
    "pred_text",
    "gold_amount",
    "pred_amount",
    "gold_amount_max",
    "pred_amount_max",
    "gold_currency",
    "pred_currency",
    "gold_qualifier",
    "pred_qualifier",
    "gold_project",
    "pred_project",
    "project_lenient_ok",
    "sentence",
)


def read_doc_text(path: Path) -> str:
    """The text the pipeline sees in a corpus file (decoded, main text, NFC), for context."""
    from . import formats
    from .ingest import decode_bytes, html_main_text, normalize_text

    fmt = formats.EXTENSIONS.get(path.suffix.lower())
    if fmt is not None:  # HWP, HWPX, PDF, DOCX: the reader's text ("" when it refuses)
        try:
            return normalize_text(formats.read(fmt, path.read_bytes())[0])[0]
        except Exception:
            return ""
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml")
    text, _ = decode_bytes(path.read_bytes(), html=is_html)
    if is_html:
        text = html_main_text(text)
    return normalize_text(text)[0]


_SENT_END = re.compile(r"(?<=[.!?。])\s+|\n+")


def _sentence_at(text: str, needle: str, nth: int) -> str:
    """The sentence holding the nth (0-based) occurrence of `needle`, or ''."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return ""
    starts = [0] + [mt.end() for mt in _SENT_END.finditer(text) if mt.end() <= pos]
    end = _SENT_END.search(text, pos + len(needle))
    return text[starts[-1] : end.start() if end else len(text)].strip()


def _fmt(v: Decimal | None) -> str:
    return "" if v is None else format(v, "f")


def error_rows(report: EvalReport) -> list[dict[str, str]]:
    """False positives, false negatives, wrong links and wrong qualifiers, by doc."""
    texts: dict[str, str] = {}

    def doc_text(doc: str) -> str:
        if doc not in texts:
            path = report.set_dir / "corpus" / doc
            texts[doc] = read_doc_text(path) if path.is_file() else ""
        return texts[doc]

    def gold_part(g: GoldRow) -> dict[str, str]:
        return {
            "doc": g.doc,
            "gold_row": str(g.row),
            "gold_text": g.text,
            "gold_amount": _fmt(g.amount),
            "gold_amount_max": _fmt(g.amount_max),
            "gold_currency": g.currency,
            "gold_qualifier": g.qualifier,
            "gold_project": g.project,
        }

    def pred_part(p: Record) -> dict[str, str]:
        return {
            "doc": _norm_doc(p.doc),
            "pred_text": p.text,
            "pred_amount": _fmt(p.amount),
            "pred_amount_max": _fmt(p.amount_max),
            "pred_currency": p.currency,
            "pred_qualifier": p.qualifier,
            "pred_project": p.project,
            "sentence": p.sentence,
        }

    rows: list[tuple[tuple, dict[str, str]]] = []
    m = report.matching
    nth: Counter[tuple[str, str]] = Counter()
    missed = {id(g) for g in m.false_negatives}
    for g in sorted(report.gold, key=lambda g: g.row):
        k = (g.doc, g.text)
        occurrence = nth[k]
        nth[k] += 1
        if id(g) in missed:
            sent = _sentence_at(doc_text(g.doc), _nfc(g.text), occurrence)
            row = {"kind": "false_negative", **gold_part(g), "sentence": sent}
            rows.append(((g.doc, g.row, 0), row))
    for p in m.false_positives:
        rows.append(((p.doc, 0, p.start), {"kind": "false_positive", **pred_part(p)}))
    for x in m.pairs:
        g, p = x.gold, x.pred
        kinds = []
        if (normalize_project(g.project) or normalize_project(p.project)) and not (
            projects_strict(p.project, g.project)
        ):
            kinds.append("wrong_link")
        if g.qualifier and (p.qualifier or "") != g.qualifier:
            kinds.append("wrong_qualifier")
        for kind in kinds:
            lenient = "yes" if projects_lenient(p.project, g.project) else "no"
            row = {"kind": kind, **gold_part(g), **pred_part(p), "project_lenient_ok": lenient}
            rows.append(((g.doc, g.row, p.start), row))
    out = []
    for _, row in sorted(rows, key=lambda t: t[0]):
        row["lang"] = _lang(row["doc"], report.doc_langs)
        out.append({c: row.get(c, "") for c in ERROR_COLUMNS})
    return out


def write_errors(report: EvalReport, path: Path) -> int:
    """Write `error_rows` as CSV (UTF-8 with BOM, for Excel), atomically, every text cell
    that a spreadsheet would evaluate (`=HYPERLINK(...)` in an article) kept as text
    (`export.csv_safe`); returns the row count."""
    from .export import atomic_open, csv_safe

    rows = error_rows(report)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=ERROR_COLUMNS)
        w.writeheader()
        for row in rows:
            w.writerow({k: csv_safe(v) if isinstance(v, str) else v for k, v in row.items()})
    return len(rows)


def main_evaluate(set_dir: Path, as_json: bool, errors: Path | None, jobs: int) -> int:
    """The `evaluate` command: print the table (or JSON), optionally write the error
    CSV. Returns 0, or 2 with a message on stderr when the set is unusable."""
    try:
        report = evaluate_set(Path(set_dir), jobs=jobs)
    except GoldError as exc:
        print(f"error: bad labeled set {set_dir}:\n{exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(to_json(report), ensure_ascii=False, indent=2))
    else:
        print(format_table(report))
    if errors is not None:
        n = write_errors(report, errors)
        print(f"{n} errors written to {errors}", file=sys.stderr)
    return 0
