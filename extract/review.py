"""The reviewer's corrections: read back from records.xlsx, kept, and re-applied.

A reviewer edits outputs/records.xlsx (sheet `records`): changes a row's
amount, amount_max, currency, project or qualifier; deletes a false positive's
row; adds a row for a missed amount (doc, text, amount, currency, ...); or sets
`status` to `reviewed` to confirm a row as it is. On the next run, before
anything is rewritten, `before_export` sees that records.xlsx is no longer the
file we wrote (its sha256 is stored at write time), keeps a timestamped copy of
it under outputs/review-backups/, and turns the differences between it and what
we wrote (the `review_written` table) into corrections. Corrections live in the
store's `review_corrections` table, which the cache rebuild never drops, and are
mirrored to outputs/corrections.csv (restored from there if the store is lost).

Every later export applies them (`reviewed_documents`). A correction points at
its record by document, position and text, and finds it again:

1. in the same document content (same sha256): the record at the same
   start/end with the same text;
2. else (the document was edited): a record with the same text in the same
   sentence (the nearest to the old position);
3. else a record with the same text, if the document has exactly one.

A correction that finds no record (its sentence was rewritten, its document
deleted) is kept, not applied, and counted in the run summary as `unmatched`.
Records that no correction touches are `unreviewed`; corrected or confirmed ones
`reviewed`; rows the reviewer added `added`.
"""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import shown_path
from .fmt import plain
from .models import DocResult, Record
from .store import CORRECTION_COLUMNS, Store

UNREVIEWED = "unreviewed"
REVIEWED = "reviewed"
ADDED = "added"
STATUSES = (UNREVIEWED, REVIEWED, ADDED)
# What a reviewer may type in `status` to confirm a row (case-insensitive).
CONFIRM_WORDS = {"reviewed", "ok", "yes", "y", "x", "done", "checked", "확인", "검토", "완료"}
EDITABLE = ("amount", "amount_max", "currency", "project", "qualifier")
# what a row the reviewer adds must hold
NEW_ROW_NEEDS = ("doc", "text", "amount", "currency")
# every column an import reads (the others, and a reviewer's own columns, are ignored)
READ_BACK = frozenset({"key", "doc", "text", "status", *EDITABLE})
QUALIFIERS = ("", "approx", "max", "min")
REVIEWER_RULE = "reviewer"
BACKUP_DIR = "review-backups"
CORRECTIONS_CSV = "corrections.csv"
# Outputs people open in spreadsheet programs: an edited one is never overwritten
# without a copy. records.xlsx's edits are also imported.
WATCHED = ("records.xlsx", "records.csv", "documents.csv")


@dataclass
class ShownRecord:
    """A record as the outputs show it: after corrections, with its review status."""

    record: Record
    status: str
    key: str  # identifies the row in records.xlsx (column `key`)


@dataclass
class ImportResult:
    changed: int = 0
    deleted: int = 0
    added: int = 0
    confirmed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.changed + self.deleted + self.added + self.confirmed


def record_key(sha256: str, record: Record) -> str:
    """`<first 12 hex of the document's sha256>:<start>:<end>`."""
    return f"{sha256[:12]}:{record.start}:{record.end}"


def added_key(correction_id: int) -> str:
    return f"added:{correction_id}"


# --------------------------------------------------------------------- applying


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _locate(c: dict[str, Any], sha: str, records: list[Record]) -> int | None:
    if c["doc_sha256"] == sha:
        for i, r in enumerate(records):
            if (r.start, r.end, r.text) == (c["start"], c["end"], c["text"]):
                return i
    same_sentence = [
        i for i, r in enumerate(records) if r.text == c["text"] and r.sentence == c["sentence"]
    ]
    if same_sentence:
        return min(same_sentence, key=lambda i: abs(records[i].start - c["start"]))
    same_text = [i for i, r in enumerate(records) if r.text == c["text"]]
    return same_text[0] if len(same_text) == 1 else None


def known_project_id(project: str) -> str:
    """The gazetteer id (rules/projects.toml) of a project name a reviewer typed, "" if none.

    The linker's rule (linking.generators._apply_gazetteer): a name that holds known
    names of exactly one project, and is no list (no comma), gets that project's id
    (`지역화폐 발행지원`, `the local currency vouchers`, `지역사랑상품권(지역화폐)`), matched
    as the linker matches names (Korean ignoring spaces, English case-insensitively) after
    NFKC (a full-width `ＡＩ` is `AI`).
    """
    name = unicodedata.normalize("NFKC", project).strip()
    if not name or "," in name:
        return ""
    from .linking.gazetteer import load

    ids = {hit.project_id for hit in load().find(name)}
    return ids.pop() if len(ids) == 1 else ""


def _changed(r: Record, c: dict[str, Any]) -> Record:
    project = c["project"]
    amount = _dec(c["amount"])
    return replace(
        r,
        amount=amount,
        amount_max=_dec(c["amount_max"]),
        currency=c["currency"],
        qualifier=c["qualifier"],
        vague=r.vague and amount is None,
        project=project,
        project_id=r.project_id if project == r.project else known_project_id(project),
        link_rule=r.link_rule if project == r.project else REVIEWER_RULE,
        project_score=r.project_score if project == r.project else None,
    )


def _line_at(text: str, start: int) -> str:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    return text[lo : hi if hi >= 0 else len(text)].strip()


def _added(c: dict[str, Any], result: DocResult, taken: list[tuple[int, int]]) -> Record:
    """The record a reviewer added, placed at the first free occurrence of its text."""
    start = -1
    text = result.text
    pos = text.find(c["text"]) if c["text"] else -1
    while pos >= 0:
        end = pos + len(c["text"])
        if not any(pos < b and a < end for a, b in taken):
            start = pos
            break
        pos = text.find(c["text"], pos + 1)
    end = start + len(c["text"]) if start >= 0 else -1
    return Record(
        doc=result.doc,
        lang=result.lang,
        sentence=c["sentence"] or (_line_at(text, start) if start >= 0 else ""),
        start=start,
        end=end,
        text=c["text"],
        amount=_dec(c["amount"]),
        amount_max=_dec(c["amount_max"]),
        currency=c["currency"],
        qualifier=c["qualifier"],
        vague=False,
        project=c["project"],
        project_id=known_project_id(c["project"]),
        rule=REVIEWER_RULE,
        link_rule=REVIEWER_RULE if c["project"] else "",
    )


def apply_corrections(
    result: DocResult, corrections: list[dict[str, Any]]
) -> tuple[list[ShownRecord], list[dict[str, Any]]]:
    """The document's records with its corrections applied, and the corrections
    that found no record. `result.text` is needed to place added rows."""
    records = result.records
    target: dict[int, dict[str, Any]] = {}
    unmatched: list[dict[str, Any]] = []
    adds: list[dict[str, Any]] = []
    for c in corrections:
        if c["action"] == "add":
            adds.append(c)
            continue
        i = _locate(c, result.sha256, records)
        if i is None:
            unmatched.append(c)
        else:
            target[i] = c  # corrections are in id order: the latest wins
    shown: list[ShownRecord] = []
    for i, r in enumerate(records):
        key = record_key(result.sha256, r)
        c = target.get(i)
        if c is None:
            shown.append(ShownRecord(r, UNREVIEWED, key))
        elif c["action"] == "change":
            shown.append(ShownRecord(_changed(r, c), REVIEWED, key))
        elif c["action"] == "confirm":
            shown.append(ShownRecord(r, REVIEWED, key))
        # "delete": the row is gone
    taken = [(s.record.start, s.record.end) for s in shown]
    for c in adds:
        record = _added(c, result, taken)
        if record.start >= 0:
            taken.append((record.start, record.end))
        shown.append(ShownRecord(record, ADDED, added_key(c["id"])))
    shown.sort(key=lambda s: (s.record.start < 0, s.record.start, s.record.end))
    return shown, unmatched


@dataclass
class ReviewedStream:
    """`reviewed_documents`' iterator; `unmatched` is complete once it is exhausted."""

    store: Store
    with_text: bool = True
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[DocResult, list[ShownRecord]]]:
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for c in self.store.corrections():
            by_doc.setdefault(c["doc"], []).append(c)
        if by_doc:  # no corrections, no extra read of the documents table
            _follow_moved_files(by_doc, self.store.documents())
        for result in self.store.iter_documents(with_text=self.with_text or bool(by_doc)):
            shown, lost = apply_corrections(result, by_doc.pop(result.doc, []))
            self.unmatched.extend(lost)
            yield result, shown
        for lost in by_doc.values():  # documents no longer in the corpus
            self.unmatched.extend(lost)


def _follow_moved_files(
    by_doc: dict[str, list[dict[str, Any]]], docs: dict[str, DocResult]
) -> None:
    """Corrections of a file no longer in the corpus go to the one stored file with
    the same content (sha256): the reviewer moved or renamed it. Several files with
    that content, or none, leave them unmatched (counted in the run summary)."""
    gone = [d for d in by_doc if d not in docs]
    if not gone:
        return
    by_sha: dict[str, list[str]] = {}
    for doc, result in docs.items():
        if result.sha256:
            by_sha.setdefault(result.sha256, []).append(doc)
    for old in gone:
        shas = {c["doc_sha256"] for c in by_doc[old]}
        if len(shas) != 1:
            continue
        same = by_sha.get(shas.pop(), [])
        if len(same) == 1:
            moved = by_doc.setdefault(same[0], [])
            moved.extend(by_doc.pop(old))
            moved.sort(key=lambda c: c["id"])  # id order: the latest correction wins


def reviewed_documents(store: Store, with_text: bool = True) -> ReviewedStream:
    """Every document (one at a time, ordered by path) with its shown records."""
    return ReviewedStream(store, with_text)


# ------------------------------------------------------------ reading edits back


def file_state(path: Path) -> str:
    """`size:mtime_ns:sha256` of a file we wrote."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{_sha256(path)}"


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()  # one small reused buffer


def _edited(path: Path, stored: str | None) -> bool:
    """True when `path` is not the file we last wrote (or we have no record of it)."""
    if stored is None:
        return True
    size, mtime, sha = stored.split(":", 2)
    st = path.stat()
    if (str(st.st_size), str(st.st_mtime_ns)) == (size, mtime):
        return False
    return _sha256(path) != sha


def _written_by_interrupted_run(path: Path) -> bool:
    """`path` is the file a run wrote just before it was killed (its hash was noted
    as pending and never recorded in the store): ours, not a reviewer's edit."""
    from .export import pending_marker

    try:
        noted = pending_marker(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return noted == _sha256(path)


def _backup(path: Path, stamp: str) -> Path:
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    copy = folder / f"{path.stem}-{stamp}{path.suffix}"
    shutil.copy2(path, copy)
    return copy


def before_export(store: Store, out: Path) -> list[str]:
    """Protect and import what a person edited under `out`; return summary lines.

    Restores corrections from corrections.csv when the store has none; for every
    watched output that differs from what we wrote, keeps a timestamped copy; for
    an edited records.xlsx, imports its edits as corrections. When anything was
    found, the store's exports are marked stale so this run rewrites them.
    """
    out = Path(out)
    notes: list[str] = []
    restored = restore_corrections(store, out)
    if restored:
        notes.append(f"restored {restored} corrections from {shown_path(out / CORRECTIONS_CSV)}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in WATCHED:
        path = out / name
        if not path.is_file():
            continue
        stored = store.get_review_meta(f"file:{name}")
        try:
            edited = _edited(path, stored)
        except OSError as exc:
            notes.append(
                f"cannot check {shown_path(path)} for edits ({exc.strerror}); it will be replaced"
            )
            continue
        if not edited or _written_by_interrupted_run(path):
            continue
        copy = shown_path(_backup(path, stamp))
        if name != "records.xlsx":
            why = "was edited since the last run" if stored else "was not written by this store"
            notes.append(f"{name} {why}: kept a copy as {copy}")
            continue
        if stored is None or not store.has_written():
            notes.append(
                f"records.xlsx was not written by this store (or by an older version), so "
                f"its edits cannot be read back: kept it as {copy}"
            )
            continue
        try:
            result = import_workbook(store, path)
        except Exception as exc:  # an unreadable workbook must not stop the run
            notes.append(f"cannot read the edited records.xlsx ({exc}): kept it as {copy}")
            continue
        store.set_review_meta("file:records.xlsx", file_state(path))  # imported once
        notes.append(
            f"records.xlsx was edited: imported {result.changed} changed, {result.deleted} "
            f"deleted, {result.added} added and {result.confirmed} confirmed rows as "
            f"corrections; kept the edited file as {copy}"
        )
        notes.extend(f"  not imported: {p}" for p in result.problems[:20])
        if len(result.problems) > 20:
            notes.append(f"  ... and {len(result.problems) - 20} more rows not imported")
    if notes:
        store.set_meta("exports_current", "no")
    return notes


def _same_record(written: dict[str, Any], get: Callable[[str], Any]) -> bool:
    """Whether a keyed row still shows its record: the same `doc` and `text` (a row the
    reviewer copied, key included, and changed into another amount is a new row, never
    an edit of the record it was copied from). An empty cell does not contradict."""
    doc, text = _cell_text(get("doc")), _cell_text(get("text"))
    return (not doc or doc == written["doc"]) and (not text or text == written["text"])


def _unsaved_formulas(values: tuple, typed: tuple, header: list[str]) -> list[str]:
    """The read-back columns (READ_BACK) of a row whose cell holds a formula but no saved
    value (the cell as typed starts with `=`, its value as saved is empty); a formula in
    any other column (`project_score`, a reviewer's own column) is never read."""
    out = []
    for i, raw in enumerate(typed):
        name = header[i] if i < len(header) else ""
        value = values[i] if i < len(values) else None
        if name in READ_BACK and isinstance(raw, str) and raw.startswith("=") and value is None:
            out.append(name)
    return out


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _values(get: Any) -> dict[str, Any]:
    """The editable fields of a sheet row, normalised; raises ValueError."""
    from .gold import parse_amount

    amount = parse_amount(get("amount"))
    amount_max = parse_amount(get("amount_max"))
    if amount is not None and amount_max is not None and amount_max < amount:
        raise ValueError(f"amount_max {plain(amount_max)} is below amount {plain(amount)}")
    currency = _cell_text(get("currency")).upper()
    if not currency:
        raise ValueError("currency is empty: type an ISO 4217 code (KRW, USD, EUR, ...)")
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValueError(
            f"currency {currency!r} is not an ISO 4217 code: type one such as KRW, USD or EUR"
        )
    qualifier = _cell_text(get("qualifier")).lower()
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {qualifier!r} is not one of approx, max, min or empty")
    return {
        "amount": None if amount is None else plain(amount),
        "amount_max": None if amount_max is None else plain(amount_max),
        "currency": currency,
        "project": _cell_text(get("project")),
        "qualifier": qualifier,
    }


def _shown_values(w: dict[str, Any]) -> dict[str, Any]:
    return {k: (w[k] if k in ("amount", "amount_max") else w[k] or "") for k in EDITABLE}


def import_workbook(store: Store, path: Path) -> ImportResult:
    """Turn the differences between an edited records.xlsx and what we wrote into
    corrections (see the module docstring). Rows that cannot be read are skipped
    and listed in `problems`, naming the sheet row."""
    from openpyxl import load_workbook

    result = ImportResult()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    existing = store.corrections()
    by_target = {
        (c["doc"], c["doc_sha256"], c["start"], c["end"], c["text"]): c
        for c in existing
        if c["action"] != "add"
    }
    adds = {c["id"]: c for c in existing if c["action"] == "add"}
    docs = store.documents()
    new: list[dict[str, Any]] = []
    remove: list[int] = []
    seen: set[str] = set()
    first_row: dict[str, int] = {}  # key -> the first row holding it

    wb = load_workbook(path, read_only=True, data_only=True)
    # the same cells as typed: a formula there whose saved value is missing (a tool
    # that writes formulas without computing them) must not read as an emptied cell
    typed = load_workbook(path, read_only=True, data_only=False)
    try:
        if "records" not in wb.sheetnames:
            raise ValueError("it has no sheet named records")
        rows = wb["records"].iter_rows(values_only=True)
        typed_rows = typed["records"].iter_rows(values_only=True)
        header = [_cell_text(h).lower() for h in next(rows, ())]
        next(typed_rows, None)
        if "key" not in header:
            raise ValueError("its records sheet has no key column")
        twice = sorted({h for h in header if h in READ_BACK and header.count(h) > 1})
        if twice:  # which of the two holds the reviewer's values cannot be known
            raise ValueError(
                f"its records sheet has {', '.join(twice)} twice "
                "(rename or delete the added column and run again)"
            )
        # a deleted or renamed column must not read as every cell of it emptied
        missing = sorted(READ_BACK.difference(header))
        if missing:
            raise ValueError(
                f"its records sheet has no {', '.join(missing)} column "
                "(deleted or renamed? restore the header and run again)"
            )
        idx = {h: i for i, h in enumerate(header) if h}
        for number, row in enumerate(rows, start=2):
            unsaved = _unsaved_formulas(row, next(typed_rows, ()), header)

            def get(col: str, row: tuple = row) -> Any:
                i = idx.get(col)
                return row[i] if i is not None and i < len(row) else None

            if "key" in unsaved:
                raise ValueError(
                    f"records row {number}: its key is a formula with no saved value, so "
                    "the row cannot be matched to its record"
                )
            if not unsaved and all(_cell_text(get(c)) == "" for c in READ_BACK):
                # nothing an import reads: an emptied row, or one left holding only a
                # link or a note (a spreadsheet that deletes a row may leave its link)
                continue
            key = _cell_text(get("key"))
            if unsaved:
                if key and store.written(key) is not None:
                    seen.add(key)  # an unreadable edit is not a deletion
                result.problems.append(
                    f"records row {number}: {', '.join(unsaved)} "
                    f"{'holds a formula' if len(unsaved) == 1 else 'hold formulas'} with no "
                    "saved value (type values, not formulas); the row is left as it was"
                )
                continue
            written = store.written(key) if key else None
            if written is not None and not _same_record(written, get):
                # a copied row edited into another amount: an added row; the keyed record
                # itself is never taken as deleted for it (a `doc` typo loses nothing)
                seen.add(key)
                written = None
            if written is not None and key in first_row:
                result.problems.append(
                    f"records row {number}: the key of row {first_row[key]} again (a copied "
                    "row?); to add an amount, leave `key` empty"
                )
                continue
            if written is not None:
                first_row[key] = number
            else:
                empty = [c for c in NEW_ROW_NEEDS if _cell_text(get(c)) == ""]
                if empty:
                    result.problems.append(
                        f"records row {number}: a new row needs {', '.join(NEW_ROW_NEEDS)}; "
                        f"its {' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty"
                    )
                    continue
            try:
                status = _cell_text(get("status")).lower()
                if status and status not in CONFIRM_WORDS and status not in STATUSES:
                    raise ValueError(
                        f"status {_cell_text(get('status'))[:40]!r} is not a review status (type "
                        "`reviewed` or `ok` to confirm; to delete an amount, delete its row)"
                    )
                values = _values(get)
            except ValueError as exc:
                if written is not None:
                    seen.add(key)  # a bad edit is not a deletion
                result.problems.append(f"records row {number}: {exc}")
                continue
            if written is not None:
                seen.add(key)
                changed = values != _shown_values(written)
                confirmed = _cell_text(get("status")).lower() in CONFIRM_WORDS
                if key.startswith("added:"):
                    c = adds.get(int(key.split(":", 1)[1]))
                    if c is not None and changed:
                        new.append({**c, **values, "created": now})
                        result.changed += 1
                    continue
                target = (
                    written["doc"],
                    written["doc_sha256"],
                    written["start"],
                    written["end"],
                    written["text"],
                )
                if changed or (confirmed and written["status"] == UNREVIEWED):
                    old = by_target.get(target)
                    action = (
                        "change" if changed or (old and old["action"] == "change") else ("confirm")
                    )
                    new.append(
                        {
                            **({"id": old["id"]} if old else {}),
                            "action": action,
                            "doc": written["doc"],
                            "doc_sha256": written["doc_sha256"],
                            "start": written["start"],
                            "end": written["end"],
                            "text": written["text"],
                            "sentence": written["sentence"],
                            **values,
                            "created": now,
                            "origin": path.name,
                        }
                    )
                    if changed:
                        result.changed += 1
                    else:
                        result.confirmed += 1
                continue
            doc, text = _cell_text(get("doc")), _cell_text(get("text"))
            if not doc or not text or values["amount"] is None:
                result.problems.append(
                    f"records row {number}: a new row needs doc, text, amount and currency"
                )
                continue
            if doc not in docs:
                result.problems.append(f"records row {number}: doc {doc!r} is not in the corpus")
                continue
            new.append(
                {
                    "action": "add",
                    "doc": doc,
                    "doc_sha256": docs[doc].sha256,
                    "start": -1,
                    "end": -1,
                    "text": text,
                    "sentence": _cell_text(get("sentence")),
                    **values,
                    "created": now,
                    "origin": path.name,
                }
            )
            result.added += 1
    finally:
        wb.close()
        typed.close()

    for key in list(store.written_keys()):
        if key in seen:
            continue
        if key.startswith("added:"):
            remove.append(int(key.split(":", 1)[1]))
            result.deleted += 1
            continue
        w = store.written(key)
        assert w is not None
        target = (w["doc"], w["doc_sha256"], w["start"], w["end"], w["text"])
        old = by_target.get(target)
        new.append(
            {
                **({"id": old["id"]} if old else {}),
                "action": "delete",
                "doc": w["doc"],
                "doc_sha256": w["doc_sha256"],
                "start": w["start"],
                "end": w["end"],
                "text": w["text"],
                "sentence": w["sentence"],
                **_shown_values(w),
                "created": now,
                "origin": path.name,
            }
        )
        result.deleted += 1
    store.update_corrections(new, remove)
    return result


# ------------------------------------------------------- corrections.csv mirror


def write_corrections_csv(store: Store, out: Path) -> Path:
    """outputs/corrections.csv: every stored correction (a readable backup)."""
    from .export import write_csv

    path = Path(out) / CORRECTIONS_CSV
    write_csv(path, list(CORRECTION_COLUMNS), store.corrections())
    return path


def restore_corrections(store: Store, out: Path) -> int:
    """Load corrections.csv into a store that has no corrections; return how many."""
    import csv

    from .export import csv_cell_back

    path = Path(out) / CORRECTIONS_CSV
    if not path.is_file() or store.corrections():
        return 0
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for raw in csv.DictReader(fh):
            row = {k: csv_cell_back(v or "") for k, v in raw.items() if k in CORRECTION_COLUMNS}
            if row.get("action") not in ("change", "delete", "add", "confirm"):
                continue
            for k in ("id", "start", "end"):
                row[k] = int(row[k]) if row.get(k, "").lstrip("-").isdigit() else -1
            for k in ("amount", "amount_max"):
                row[k] = row.get(k) or None
            rows.append(row)
    store.update_corrections(rows)
    return len(rows)


def remember_outputs(store: Store, out: Path) -> None:
    """Store size, mtime and sha256 of the watched outputs we just wrote."""
    for name in WATCHED:
        path = Path(out) / name
        if path.is_file():
            store.set_review_meta(f"file:{name}", file_state(path))


def backups(out: Path) -> list[Path]:
    folder = Path(out) / BACKUP_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


__all__ = [
    "ADDED",
    "REVIEWED",
    "UNREVIEWED",
    "ShownRecord",
    "apply_corrections",
    "before_export",
    "import_workbook",
    "remember_outputs",
    "reviewed_documents",
    "write_corrections_csv",
]
