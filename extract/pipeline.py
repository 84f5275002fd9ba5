"""The pipeline: corpus folder in, stored records and exported tables out.

Per document: ingest -> detect -> segment -> extract money -> link projects
(`process_source`, a pure function of the file and the rules, run in worker
processes with --jobs). Across documents: duplicate detection, the incremental
re-run against the store, and the exports.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import models
from .detect import detect_blocks, document_language
from .errors import shown_path
from .failpoints import failpoint
from .ingest import DEFAULT_MAX_BYTES, discover, ingest
from .linking import link_document
from .models import DocResult, Document, MoneyMention, Record, SourceFile
from .money import find_money, may_hold_money, may_open_money
from .money.countries import resolve_country_words
from .money.dollars import resolve_bare_dollars
from .money.english import EUROPEAN_DOCUMENT, european_document
from .money.furniture import furniture_ranges
from .money.guards import unit_word
from .money.linebreak import join_broken_lines, join_english_lines
from .money.local_signs import resolve_local_signs
from .money.scale_header import scale_signed_cells
from .money.subunits import subunit_label
from .money.tables import caption_units, compound_cell, find_table_money, unit_header_spans
from .rules import KINDS, pinned_rules, rule_files, rules_dir
from .segment import load_models, segment
from .store import Store
from .timeouts import DEFAULT_DOC_TIMEOUT, TIMED_OUT, run_in_workers

STORE_NAME = "extract.sqlite"
OUTPUT_NAMES = (
    "records.csv",
    "records.parquet",
    "records.xlsx",
    "documents.csv",
    "corrections.csv",
    "report.html",
)
SAVE_BATCH = 100  # documents per store transaction


class CorpusError(Exception):
    """The corpus folder cannot be used at all (missing, not a folder)."""


class EngineError(Exception):
    """The engine cannot start or reach its workers (`--engine ray` with a bad or
    unreachable `--address`); nothing was extracted."""


@dataclass
class RunSummary:
    corpus: Path
    out: Path
    seen: int = 0
    processed: int = 0
    unchanged: int = 0
    removed: int = 0
    by_status: Counter = field(default_factory=Counter)
    records_by_lang: Counter = field(default_factory=Counter)
    records_by_currency: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # doc, status, reason
    outputs: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # things the user must know (store moved)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase
    notes: list[str] = field(default_factory=list)  # review imports, backups, row limits


def fingerprint() -> str:
    """Hash of the rules and the package code: when it changes, stored results are stale."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for base, pattern in ((rules_dir(), "*.toml"), (package, "*.py")):
        for path in sorted(base.rglob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def process_document(
    document: Document, lang: str | None = None, trace: list | None = None
) -> tuple[list[models.Block], list[Record]]:
    """Detect, segment, extract money and link projects in one decoded document;
    `lang` ("ko", "en") skips language detection and reads every block as it.

    With `trace`, the linker appends each record's candidates and features to it
    (in record order; used by `fit-linker`). The rules folder is read once per
    document (`rules.pinned_rules`)."""
    with pinned_rules():
        return _process_document(document, lang, trace)


def _process_document(
    document: Document, lang: str | None, trace: list | None
) -> tuple[list[models.Block], list[Record]]:
    text = document.text
    blocks = detect_blocks(text)
    if lang is not None:
        blocks = [replace(b, lang=lang) for b in blocks]
    # Korean money is found per block, first: Kiwi (the slowest stage) then
    # analyses only the blocks that hold some, for candidate checks and linking.
    korean = {b.start: _block_money(text, b) for b in blocks if b.lang == "ko"}
    # `141.5억` / `달러로 ...`: a currency word the layout put on the next line
    korean = join_broken_lines(text, blocks, korean)
    # other paragraphs where no money can be (no number word, digit or Hangul): split
    # without spaCy, and their sentences skip the money rules (`may_open_money`)
    quiet = sorted(
        (b.start, b.end)
        for b in blocks
        if b.lang != "ko" and not may_hold_money(text, b.start, b.end)
    )
    quiet_set = set(quiet)
    sentences = segment(
        text,
        blocks,
        needs_morphemes=lambda b: bool(korean.get(b.start)),
        needs_words=lambda b: (b.start, b.end) not in quiet_set,
    )
    skip = furniture_ranges(text)
    found: list[tuple[int, MoneyMention]] = []
    starts = [s.start for s in sentences]
    for ms in korean.values():
        found += [(max(bisect_right(starts, m.start) - 1, 0), m) for m in ms]
    quiet_starts = [a for a, _ in quiet]
    # `€4,5 billion` in a document that writes `2,5 %` elsewhere: a decimal comma
    european = EUROPEAN_DOCUMENT.set(european_document(text))
    try:
        for index, sentence in enumerate(sentences):
            if sentence.lang == "ko":
                continue
            if _within(sentence, quiet, quiet_starts, text) and not may_open_money(sentence.text):
                continue  # find_money would find nothing here
            # (The English extractor, primary for every non-Korean sentence, reads no tokens.)
            for m in find_money(sentence.text, sentence.lang):
                found.append((index, _shifted(m, sentence.start)))
    finally:
        EUROPEAN_DOCUMENT.reset(european)
    # `receive $5` / `million from the state`: an English amount the layout broke
    found = join_english_lines(text, blocks, sentences, found)
    mentions = [(i, m) for i, m in found if not _inside(m, skip) and not unit_word(text, m)]
    mentions = _caption_units_flagged(text, mentions)
    mentions = _scaled_by_header(text, mentions)
    table = _table_mentions(text, sentences, mentions, skip)
    # a compound cell (`1조 2,000` under `(단위: 억원)`) replaces the bare `1조` read in it
    whole = [(m.start, m.end) for _, m in table if compound_cell(m)]
    if whole:
        mentions = [(i, f) for i, f in mentions if not _inside(f, whole)]
    mentions += table
    mentions.sort(key=lambda im: (im[1].start, im[1].end))
    # `Fig. 2p`, `No. 5p`: a label the sentence split cut from its word (money14b)
    mentions = [(i, m) for i, m in mentions if not subunit_label(text, m)]
    resolved = resolve_country_words(text, resolve_bare_dollars(text, [m for _, m in mentions]))
    resolved = resolve_local_signs(text, resolved)  # `Sh1.2 billion` in a Ugandan story
    mentions = [(i, m) for (i, _), m in zip(mentions, resolved, strict=True)]
    links = link_document(text, sentences, mentions, trace)
    records = []
    for (index, m), link in zip(mentions, links, strict=True):
        sentence = sentences[index]
        records.append(
            Record(
                doc=document.doc,
                lang=sentence.lang,
                sentence=sentence.text.strip(),
                start=m.start,
                end=m.end,
                text=m.text,
                amount=m.amount,
                amount_max=m.amount_max,
                currency=m.currency,
                qualifier=m.qualifier,
                vague=m.vague,
                project=link.project,
                project_id=link.project_id,
                rule=m.rule,
                link_rule=link.rule,
                project_score=link.score,
                location=document.location_at(m.start),
            )
        )
    return blocks, records


# A small document in both languages (prose, a list, a unit-header table) whose
# processing compiles every rule set, the linker's configuration and the gazetteer.
_WARM_UP_TEXT = """광주시, 내년 국비 3조9497억원 확보
광주시는 인공지능 전략사업 예산 153억원을 확보했다고 밝혔다. 이 사업은 2027년까지 추진된다.
▲도시철도 통합무선망 구축사업비 12억원(총사업비 30억원)
(단위: 억원)
| 사업 | 예산 |
| 수소버스 보급 | 120 |
The ministry set aside 61.7 billion won for the creation of an AI mobility pilot city.
Spending on smart factory subsidies will rise from $2.5 million to about $3 million next year.
"""


def warm_up() -> None:
    """Load the models and compile every rule set now, by processing a small document.

    Called before worker processes are forked, so they inherit the compiled state
    instead of each compiling it again (seconds per process)."""
    load_models()
    process_document(
        Document(doc="warm-up", text=_WARM_UP_TEXT, sha256="", fmt="txt", encoding="utf-8")
    )
    # Every rule file listed and parsed now: `validate_rules` empties these caches at the
    # start of a run, and the linker re-lists its files every 2 s (context.files_key), so
    # without this each forked worker parsed every rule file again on its first re-list.
    for kind in sorted(KINDS):
        for lang in (None, "ko", "en"):
            rule_files(kind, lang)


def in_source(
    document: Document, blocks: list[models.Block], records: list[Record]
) -> tuple[list[models.Block], list[Record]]:
    """Blocks and records with offsets in the decoded source file rather than in the
    normalised text (Document.source_span), each record's text as the file has it:
    `source[start:end] == record.text` even after soft hyphens, zero-width
    characters, a BOM, CRLF or NFC composition earlier in the file."""
    out_blocks = [replace(b, start=document.source_offset(b.start)) for b in blocks]
    for b, orig in zip(out_blocks, blocks, strict=True):
        b.end = document.source_span(orig.start, orig.end)[1]
    out_records = []
    for r in records:
        s, e = document.source_span(r.start, r.end)
        out_records.append(replace(r, start=s, end=e, text=document.source_text[s:e]))
    return out_blocks, out_records


def _block_money(text: str, block: models.Block) -> list[MoneyMention]:
    """Money in one Korean block, offsets in the document."""
    return [_shifted(m, block.start) for m in find_money(text[block.start : block.end], "ko")]


def _shifted(m: MoneyMention, offset: int) -> MoneyMention:
    return replace(m, start=m.start + offset, end=m.end + offset)


def _within(
    sentence: models.Sentence, ranges: list[tuple[int, int]], starts: list[int], text: str
) -> bool:
    """The sentence lies in one of `ranges` (sorted by start; `starts` their starts)
    and its text is the document's text there."""
    k = bisect_right(starts, sentence.start) - 1
    return (
        k >= 0
        and sentence.end <= ranges[k][1]
        and len(sentence.text) == sentence.end - sentence.start
        and text.startswith(sentence.text, sentence.start)
    )


def _inside(m: MoneyMention, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in ranges)


def _caption_units_flagged(
    text: str, mentions: list[tuple[int, MoneyMention]]
) -> list[tuple[int, MoneyMention]]:
    """`Budget (USD 100 million)` closing a caption line with prose, not a table, under
    it: a unit or an amount? Flagged vague, never read as 100 million (tables.py
    `caption_units`)."""
    spans = caption_units(text)
    headers = unit_header_spans(text) if mentions else []
    if headers:
        # `Budget (USD 100 million)` right above its table: the table's unit, never an
        # amount (a sentence alone does not see the table under it)
        mentions = [(i, m) for i, m in mentions if not _inside(m, headers)]
    if not spans:
        return mentions
    return [
        (i, _flagged(m, "caption_unit")) if _inside(m, spans) and m.amount is not None else (i, m)
        for i, m in mentions
    ]


def _flagged(m: MoneyMention, why: str) -> MoneyMention:
    return replace(m, amount=None, amount_max=None, vague=True, rule=f"{m.lang}.refused.{why}")


def _scaled_by_header(
    text: str, mentions: list[tuple[int, MoneyMention]]
) -> list[tuple[int, MoneyMention]]:
    """`mentions` with the table cells a header scales (`$1,234` under `(in millions)`)
    scaled or refused: scale_header.py `scale_signed_cells`."""
    scaled = scale_signed_cells(text, [m for _, m in mentions])
    return [(i, m) for (i, _), m in zip(mentions, scaled, strict=True)]


def _table_mentions(
    text: str,
    sentences: list[models.Sentence],
    found: list[tuple[int, MoneyMention]],
    skip: list[tuple[int, int]],
) -> list[tuple[int, MoneyMention]]:
    """Cells of unit-header tables, where no sentence-level mention overlaps them,
    attached to the sentence that contains them."""
    out = []
    for m in find_table_money(text):
        overlapping = [f for _, f in found if m.start < f.end and f.start < m.end]
        if compound_cell(m) and all(m.start <= f.start and f.end <= m.end for f in overlapping):
            overlapping = []  # the cell's bare `1조` yields to the whole cell
        if _inside(m, skip) or overlapping:
            continue
        index = next(
            (i for i, s in enumerate(sentences) if s.start <= m.start and m.end <= s.end), None
        )
        if index is not None:
            out.append((index, m))
    return out


def process_source(source: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> DocResult:
    """Everything about one file; never raises: failures become an `error` status."""
    result = DocResult(
        doc=source.doc, sha256="", size=source.size, mtime_ns=source.mtime_ns, status=models.ERROR
    )
    try:
        ingested = ingest(source, max_bytes)
        result.sha256 = ingested.sha256
        if ingested.document is None:
            result.status, result.reason = ingested.status, ingested.reason
            return result
        document = ingested.document
        result.fmt, result.encoding, result.text = document.fmt, document.encoding, document.text
        blocks, records = process_document(document)
        if document.source_offsets and document.source_text:
            blocks, records = in_source(document, blocks, records)
            result.text = document.source_text
        result.blocks, result.records = blocks, records
        result.lang = document_language(blocks)
        result.status = models.EXTRACTED if records else models.NO_MONEY
    except Exception as exc:  # one bad file must not stop the run
        result.status = models.ERROR
        result.reason = f"internal error while processing: {type(exc).__name__}: {exc}"
    return result


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""  # ingest will report why it cannot be read
    return digest.hexdigest()


def plan(
    sources: list[SourceFile],
    known: dict[str, DocResult],
    fresh: bool,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> tuple[list[SourceFile], list[DocResult], int]:
    """Decide what to do with each file: (to process, duplicates to record, unchanged count).

    A file is unchanged when the stored row has the same size, mtime and content
    hash and the rules/code fingerprint is the same (`fresh`); files that failed
    are always retried (a permission fix does not change the mtime), except those that
    ran out of time (the same content would again), unless this run's `doc_timeout`
    (None or 0: no limit) is longer than the one they ran out of. Identical content
    in two files is processed once, under the first path in sorted order.
    """
    first_by_hash: dict[str, str] = {}
    todo: list[SourceFile] = []
    duplicates: list[DocResult] = []
    unchanged = 0
    for source in sources:
        stored = known.get(source.doc)
        same_stat = stored and (stored.size, stored.mtime_ns) == (source.size, source.mtime_ns)
        sha = stored.sha256 if same_stat and stored.sha256 else _file_sha256(source.path)
        # Empty and unreadable files are reported by ingest, not as duplicates of each other.
        keyed = sha and source.size > 0
        first = first_by_hash.setdefault(sha, source.doc) if keyed else source.doc
        if first != source.doc:
            reason = f"same content as {first}"
            if fresh and stored and stored.status == models.DUPLICATE and stored.reason == reason:
                unchanged += 1
            else:
                duplicates.append(
                    DocResult(
                        doc=source.doc,
                        sha256=sha,
                        size=source.size,
                        mtime_ns=source.mtime_ns,
                        status=models.DUPLICATE,
                        reason=reason,
                    )
                )
        elif (
            fresh
            and stored
            and stored.sha256 == sha
            and (
                stored.status not in (models.DUPLICATE, models.ERROR)
                or (
                    stored.reason.startswith(TIMED_OUT)
                    and not _longer_budget(stored.reason, doc_timeout)
                )
            )
        ):
            unchanged += 1
        else:
            todo.append(source)
    return todo, duplicates, unchanged


def _longer_budget(reason: str, doc_timeout: float | None) -> bool:
    """Whether `doc_timeout` (None or 0: no limit) is longer than the budget a
    `timed out after N s` reason ran out of."""
    try:
        spent = float(reason[len(TIMED_OUT) :].strip().removesuffix("s"))
    except ValueError:
        return False
    return not doc_timeout or doc_timeout > spent


def _batched(items: Iterable[DocResult], size: int) -> Iterator[list[DocResult]]:
    batch: list[DocResult] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _results(
    todo: list[SourceFile],
    jobs: int,
    max_bytes: int,
    progress: Callable | None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> Iterator[DocResult]:
    if not todo:
        return
    if not doc_timeout and jobs <= 1:
        results: Iterable[DocResult] = (process_source(s, max_bytes) for s in todo)
    else:
        # Models are loaded and rules compiled once here and the workers forked from
        # this process share their read-only pages (Kiwi's model alone is ~500 MB per
        # copy); a worker killed for running out of time is replaced by a cheap fork.
        # Each worker holds one document at a time, so memory stays flat.
        warm_up()
        results = run_in_workers(process_source, todo, jobs, doc_timeout, (max_bytes,))
    yield from (progress(results, total=len(todo)) if progress else results)


def _fork_context() -> multiprocessing.context.BaseContext | None:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else None


def _tqdm_progress() -> Callable | None:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda it, total: tqdm(it, total=total, unit="doc", file=sys.stderr, leave=False)


def run(
    corpus: Path,
    out: Path,
    jobs: int | None = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    full: bool = False,
    progress: bool | None = None,
    export: bool = True,
    engine: str = "local",
    address: str | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> RunSummary:
    """Process `corpus` incrementally into the store under `out`, then export.

    `engine` runs the extraction of the files that changed: "local" (`jobs` worker
    processes on this machine) or "ray" (`jobs` actors, default one per CPU, on the
    Ray cluster at `address`; see engines/ray_engine.py). Planning, the store and
    the exports are the same for both. Locally each document gets at most
    `doc_timeout` seconds (None or 0: no limit). Raises CorpusError (corpus
    unusable), RuleFileError (a broken rule file, before anything is touched) and
    OutputError (an output cannot be written: the message names it).
    """
    from .export import export_all
    from .outdir import claim
    from .report import write_report
    from .review import before_export
    from .validate import validate_rules

    corpus, out = Path(corpus), Path(out)
    if not corpus.exists():
        raise CorpusError(f"corpus folder {corpus.absolute()} does not exist")
    if not corpus.is_dir():
        raise CorpusError(f"{corpus.absolute()} is not a folder")
    validate_rules()
    summary = RunSummary(corpus=corpus, out=out)
    skipped: list[tuple[str, str]] = []
    try:
        sources = discover(
            corpus, skipped, exclude=(out,), output_marks=(STORE_NAME, "records.csv")
        )
    except OSError as exc:
        raise CorpusError(str(exc)) from exc
    # System files (.DS_Store, .git/) are not articles, but still listed with why.
    ignored = [
        DocResult(
            doc=rel,
            sha256="",
            size=0,
            mtime_ns=0,
            status=models.UNSUPPORTED,
            reason=f"ignored: {why}",
        )
        for rel, why in skipped
    ]
    summary.seen = len(sources) + len(ignored)
    show = _tqdm_progress() if progress is None else (_tqdm_progress() if progress else None)
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[phase] = summary.seconds.get(phase, 0.0) + now - clock
        clock = now

    with claim(out), Store(out / STORE_NAME) as store:
        if store.moved_aside:
            summary.notices.append(
                f"warning: {store.path} was damaged ({store.damage}); it was moved, not "
                f"deleted, to {store.moved_aside} (it may hold reviewers' corrections) and "
                "the store is rebuilt from the corpus"
            )
        if export:  # a reviewer's edits are read back before anything is rewritten
            summary.notes += before_export(store, out)
        store.set_meta("corpus", str(corpus.resolve()))
        current_fp = fingerprint()
        fresh = not full and store.get_meta("fingerprint") == current_fp
        known = store.documents()
        gone = sorted(set(known) - {s.doc for s in sources} - {d.doc for d in ignored})
        if gone:
            store.remove(gone)
        summary.removed = len(gone)
        todo, duplicates, summary.unchanged = plan(sources, known, fresh, doc_timeout)
        # Rows that say what the store already says are not rewritten: an unchanged
        # .DS_Store or outside link must not make every run rebuild the exports.
        store.save(duplicates + [d for d in ignored if not _same_row(known.get(d.doc), d)])
        summary.processed = len(todo) + len(duplicates)
        lap("plan")
        if engine == "ray":
            from .engines.ray_engine import run_ray

            produced = run_ray(todo, out, jobs, max_bytes, address, show is not None, doc_timeout)
        elif engine == "local":
            produced = _results(todo, jobs or 1, max_bytes, show, doc_timeout)
        else:
            raise ValueError(f"unknown engine {engine!r}")
        # closing(): workers stop as soon as the run fails, not when the traceback goes.
        with closing(produced) as results:
            for batch in _batched(results, SAVE_BATCH):
                lap("extract")
                store.save(batch)
                failpoint("after-save")
                lap("store")
        # Only a finished run vouches for every stored row being current.
        store.set_meta("fingerprint", current_fp)
        _count(store, summary)
        lap("store")
        outputs = [out / name for name in OUTPUT_NAMES]
        # The exports are current when they were built from this very store content
        # (its generation, bumped in every write transaction) by this code, and no
        # reviewer's edit read back since has marked them stale.
        built_from = f"{store.generation()}:{current_fp}"
        current = (
            store.get_meta("exports_built_from") == built_from
            and store.get_meta("exports_current") != "no"
        )
        if export and not (current and all(p.exists() for p in outputs)):
            failpoint("before-export")
            projects: list = []
            export_all(store, out, corpus, summary.notes, projects)
            lap("export")
            write_report(store, out, corpus, projects)
            lap("report")
            failpoint("after-export")
            store.set_meta("exports_built_from", built_from)
            store.set_meta("exports_current", "yes")
        if export:
            summary.outputs = outputs
    return summary


def _same_row(stored: DocResult | None, new: DocResult) -> bool:
    return stored is not None and (stored.status, stored.reason) == (new.status, new.reason)


def _count(store: Store, summary: RunSummary) -> None:
    # Counted in SQL: nothing proportional to the corpus is loaded.
    by_status, by_lang, by_currency = store.counts()
    summary.by_status.update(by_status)
    summary.records_by_lang.update(by_lang)
    summary.records_by_currency.update(by_currency)
    summary.failures.extend(store.failures([models.ERROR, models.UNSUPPORTED]))


def extract_corpus(corpus: Path, out: Path, jobs: int = 1) -> tuple[list[Record], dict[str, str]]:
    """Run the pipeline without exports; return all records and each document's language."""
    run(corpus, out, jobs=jobs, progress=False, export=False)
    with Store(Path(out) / STORE_NAME) as store:
        docs = store.document_results()
    records = [r for d in docs for r in d.records]
    return records, {d.doc: d.lang for d in docs}


def format_summary(summary: RunSummary) -> str:
    """The terminal summary printed at the end of a run."""
    s = summary.by_status
    extracted = s[models.EXTRACTED] + s[models.NO_MONEY]
    skipped = s[models.DUPLICATE] + s[models.UNSUPPORTED]
    lines = list(summary.notices) + [
        f"{summary.seen} files seen in {shown_path(summary.corpus)}: {extracted} extracted "
        f"({s[models.EXTRACTED]} with money, {s[models.NO_MONEY]} without), "
        f"{skipped} skipped ({s[models.DUPLICATE]} duplicate, {s[models.UNSUPPORTED]} "
        f"unsupported), {s[models.ERROR]} failed",
        f"this run: {summary.processed} processed, {summary.unchanged} unchanged, "
        f"{summary.removed} removed",
    ]
    total = sum(summary.records_by_lang.values())
    by_lang = ", ".join(f"{k} {v}" for k, v in sorted(summary.records_by_lang.items()))
    by_cur = ", ".join(f"{k} {v}" for k, v in summary.records_by_currency.most_common())
    lines.append(
        f"{total} money records"
        + (f" (by language: {by_lang}; by currency: {by_cur})" if total else "")
    )
    others = sorted(k for k in summary.records_by_lang if k not in ("ko", "en"))
    if others:
        lines.append(
            f"  {', '.join(others)}: neither Korean nor English (a language code from "
            "langdetect; und = undecided): those records were read with the English rules "
            "(the Korean ones for amounts written in Hangul); check them"
        )
    for doc, status, reason in summary.failures:
        lines.append(f"  {status}: {doc}: {reason}")
    lines.extend(summary.notes)
    if summary.outputs:
        lines.append("outputs: " + ", ".join(shown_path(p) for p in summary.outputs))
    return "\n".join(lines)
