"""`make bench`: a full pipeline run over a generated, deterministic synthetic corpus.

The corpus mixes Korean and English budget articles built from varied
templates, amounts and fillers (about 4 KB each, so 10,000 articles is about
35 MB), with about 3 money amounts per KB: twice as dense as the sample
articles in corpora/ (1.5 per KB), so the money stages are not flattered.
The run is timed end to end (discover -> export) and the peak memory of the
whole process tree (the main process plus its workers) is sampled from /proc
as PSS, so pages the forked workers share are counted once.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REGIONS_KO = [
    "광주시",
    "부산시",
    "대구시",
    "전남도",
    "경남도",
    "울산시",
    "제주도",
    "세종시",
    "강원도",
]
REGIONS_EN = ["Gwangju", "Busan", "Daegu", "Jeonnam", "Gyeongnam", "Ulsan", "Jeju", "Sejong"]
ITEMS_KO = [
    "인공지능 전략사업 예산",
    "도시철도 통합무선망 구축사업비",
    "스마트공장 보급 사업",
    "청년 창업 지원금",
    "지역사랑상품권 발행 지원",
    "하수도정비사업",
    "데이터센터 구축 사업",
    "수소버스 보급 보조금",
    "노후 산단 리모델링 사업",
    "AI 반도체 실증 사업",
]
ITEMS_EN = [
    "the creation of an AI mobility pilot city",
    "building a hydrogen bus depot",
    "a feasibility study on a national computing center",
    "smart factory subsidies",
    "expanding the regional data center",
    "youth startup grants",
    "a semiconductor testing hub",
    "upgrading the urban railway radio network",
]
FILLER_KO = [
    "관계자는 지역 경제 활성화에 큰 도움이 될 것으로 기대한다고 밝혔다.",
    "시는 올해 상반기 중 세부 계획을 마련해 사업을 본격 추진할 계획이다.",
    "이번 사업은 지난해 예비타당성조사를 통과한 뒤 설계 단계에 들어갔다.",
    "참석자들은 제도 개선과 인력 양성이 함께 이뤄져야 한다고 강조했다.",
    "전문가들은 사업 효과를 면밀히 점검해야 한다는 의견을 내놓았다.",
    "지난 {day}일 열린 설명회에는 기업 관계자 {n}여 명이 참석했다.",
    "사업 참여율은 전년 대비 {pct}% 늘어난 것으로 집계됐다.",
]
FILLER_KO += [
    "이날 행사에는 시장과 지역 국회의원, 관계 기관장 등이 참석해 사업 추진 상황을 점검했다.",
    "시는 관련 조례 개정과 함께 전담 조직을 신설해 사업 관리 체계를 강화하기로 했다.",
    "업계에서는 인력 수급과 인프라 확충이 뒷받침돼야 성과를 낼 수 있다는 목소리가 나온다.",
    "정부는 다음 달 공모를 거쳐 최종 대상지를 선정하고 하반기부터 지원에 나설 예정이다.",
    "앞서 시는 지난해 {month}월 중앙부처를 잇달아 방문해 사업의 필요성을 설명했다.",
]
FILLER_EN = [
    "Officials said the plan would be reviewed by the National Assembly next month.",
    "The ministry expects the program to create jobs across the region.",
    "Critics argued that the timeline was too ambitious for local governments.",
    "Participation rose {pct} percent from the previous year, according to the agency.",
    "More than {n} companies attended the briefing held on March {day}.",
    "The initiative follows a feasibility study completed in {year}.",
    "Analysts noted that execution capacity varies widely between provinces.",
    "The mayor and several lawmakers visited the site on Tuesday to review progress.",
    "Local business groups welcomed the decision but called for faster procedures.",
    "A selection committee will announce the final list of participants in the second half.",
    "The city plans to revise its ordinances and set up a dedicated team this year.",
    "Experts said workforce shortages could slow the rollout in smaller cities.",
]
# Openers put before a filler (most fillers get one), and the numbers drawn for its
# slots: a filler line rarely repeats within an article, so nothing that remembers a
# sentence's analysis is flattered by the corpus (real articles seldom repeat one).
OPENERS_KO = ["", "", "한편 ", "이와 관련해 ", "특히 ", "또한 ", "아울러 ", "이에 따라 "]
OPENERS_KO += ["다만 ", "실제로 "]
OPENERS_EN = ["", "", "Meanwhile, ", "In addition, ", "However, ", "Separately, ", "Earlier, "]
OPENERS_EN += ["As a result, ", "In particular, ", "At the same time, "]


# One line in MONEY_LINE_ODDS is one of the three money templates (1 to 2
# amounts each); the rest are fillers. 16 gives about 3 amounts per KB.
MONEY_LINE_ODDS = 16


def _ko_amount(rng: random.Random) -> str:
    form = rng.randrange(6)
    if form == 0:
        return f"{rng.randint(1, 9)}조{rng.randint(1, 9999)}억원"
    if form == 1:
        return f"{rng.randint(1, 999)}억 {rng.randint(1, 9) * 1000}만 원"
    if form == 2:
        return f"{rng.randint(1, 9)}천{rng.randint(1, 999)}억원"
    if form == 3:
        return f"{rng.randint(1, 9999):,}억 원"
    if form == 4:
        return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}조원"
    return f"{rng.randint(1, 999)}만원"


def _en_amount(rng: random.Random) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"{rng.randint(1, 999)}.{rng.randint(1, 9)} billion won"
    if form == 1:
        return f"${rng.randint(1, 99)}.{rng.randint(1, 9)} million"
    if form == 2:
        return f"KRW {rng.randint(1, 99)} billion"
    if form == 3:
        return f"{rng.randint(1, 9)}.{rng.randint(10, 99)} trillion won"
    return f"€{rng.randint(1, 500)} million"


@dataclass(frozen=True)
class _Style:
    """How one language's synthetic articles are written."""

    regions: list[str]
    items: list[str]
    fillers: list[str]
    openers: list[str]
    amount: Callable[[random.Random], str]
    headline: str
    money_lines: tuple[str, ...]  # {region}, {item}, {a} and {b} (amounts, drawn in order)
    min_chars: int  # about 4 KB of UTF-8


KOREAN = _Style(
    REGIONS_KO,
    ITEMS_KO,
    FILLER_KO,
    OPENERS_KO,
    _ko_amount,
    "{region}, 내년 국비 {a} 확보",
    (
        "{region}에 따르면 {item} {a}이 반영됐다.",
        "▲{item} {a}(총사업비 {b})",
        "{item}은 {a}에서 {b}으로 증액됐다.",
    ),
    1400,
)
ENGLISH = _Style(
    REGIONS_EN,
    ITEMS_EN,
    FILLER_EN,
    OPENERS_EN,
    _en_amount,
    "{region} secures record national funding",
    (
        "The budget includes {a} for {item}.",
        "{region} will receive about {a} for {item}, officials said.",
        "Spending on {item} will rise from {a} to {b} next year.",
    ),
    3800,
)


def _fill(template: str, rng: random.Random, style: _Style, **names: str) -> str:
    amounts = {k: style.amount(rng) for k in ("a", "b") if "{" + k + "}" in template}
    return template.format(**names, **amounts)


def _filler(rng: random.Random, style: _Style) -> str:
    """A filler sentence (no money) with an opener and its number slots drawn."""
    line = rng.choice(style.fillers).format(
        day=rng.randint(1, 28),
        month=rng.randint(1, 12),
        n=rng.randint(20, 400),
        pct=f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        year=rng.randint(2015, 2025),
    )
    opener = rng.choice(style.openers)
    if opener and style.openers is OPENERS_EN:
        line = line[:1].lower() + line[1:]
    return opener + line


def article(rng: random.Random, style: _Style) -> str:
    """One synthetic article: a headline, then money lines among fillers."""
    region = rng.choice(style.regions)
    lines = [_fill(style.headline, rng, style, region=region)]
    while sum(len(line) for line in lines) < style.min_chars:
        kind = rng.randrange(MONEY_LINE_ODDS)
        item = rng.choice(style.items)
        if kind < len(style.money_lines):
            lines.append(_fill(style.money_lines[kind], rng, style, region=region, item=item))
        else:
            lines.append(_filler(rng, style))
    return "\n".join(lines) + "\n"


def generate_corpus(folder: Path, docs: int, seed: int = 7) -> int:
    """Write `docs` articles (60% Korean) into `folder`; return the total bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(docs):
        lang = "ko" if rng.random() < 0.6 else "en"
        text = article(rng, KOREAN if lang == "ko" else ENGLISH)
        data = text.encode("utf-8")
        (folder / f"{i:05d}_{lang}.txt").write_bytes(data)
        total += len(data)
    return total


def _memory_bytes(pid: int) -> int:
    """Proportional set size (PSS) of one process: pages shared with others (the
    model pages forked workers share) are split between them, not counted twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_memory_bytes(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        total += _memory_bytes(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


class PeakMemory:
    """Samples the process tree's RSS in a background thread."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_memory_bytes(os.getpid()))
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def sample_copies(folder: Path, copies: int, samples: Path) -> int:
    """Write `copies` copies of every sample article in `samples` into `folder`, each
    made unique by a last line naming the copy (so no copy is skipped as a duplicate
    of another); return the total bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    originals = sorted(p for p in samples.iterdir() if p.is_file() and p.suffix == ".txt")
    total = 0
    for n in range(copies):
        for path in originals:
            data = path.read_bytes().rstrip(b"\n") + f"\n(copy {n})\n".encode()
            (folder / f"{n:04d}_{path.name}").write_bytes(data)
            total += len(data)
    return total


def _naive_document(path: str) -> int:
    """The naive reference for one file: langdetect, Kiwi (sentences + morphemes)
    and spaCy (blank English + sentencizer), each once over all the text. Returns
    the number of Kiwi tokens (so the work cannot be skipped)."""
    from .detect import _langdetect
    from .segment import get_kiwi, get_nlp

    text = Path(path).read_text(encoding="utf-8", errors="replace")
    _langdetect(text)
    tokens = sum(len(s.tokens) for s in get_kiwi().split_into_sents(text, return_tokens=True))
    get_nlp()(text)
    return tokens


def run_naive(corpus: Path, jobs: int) -> int:
    """Run the naive reference over every file of `corpus` in `jobs` processes
    (models loaded once, then forked, exactly as the pipeline does)."""
    from concurrent.futures import ProcessPoolExecutor

    from .pipeline import _fork_context
    from .segment import load_models

    paths = sorted(str(p) for p in corpus.iterdir() if p.is_file())
    load_models()
    if jobs <= 1:
        return sum(map(_naive_document, paths))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context()) as pool:
        chunk = max(1, min(32, len(paths) // (jobs * 8)))
        return sum(pool.map(_naive_document, paths, chunksize=chunk))


@dataclass
class Timing:
    seconds: float
    peak: int  # bytes, PSS of the process tree
    cpu: float = 0.0  # CPU seconds (user + system) of this process and its workers


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished (reaped) children.

    Both the pipeline's and the naive reference's workers are reaped when their
    run ends, so a difference around a run is the CPU that run used: unlike wall
    time, it barely moves when other jobs load a shared machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(fn: Callable[[], object]) -> tuple[Timing, object]:
    with PeakMemory() as memory:
        cpu = cpu_seconds()
        started = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
    return Timing(elapsed, memory.peak, cpu), value


def _line(label: str, t: Timing, docs: int, size: int) -> str:
    return (
        f"{label}: {t.seconds:.1f} s, {docs / t.seconds:.0f} documents/s, "
        f"{size / 1e6 / t.seconds:.2f} MB/s, peak memory {t.peak / 2**20:.0f} MiB (PSS), "
        f"CPU {t.cpu:.1f} s"
    )


def bench_corpus(
    name: str, corpus: Path, out: Path, docs: int, size: int, jobs: int, naive: bool
) -> float | None:
    """Time a full pipeline run over `corpus` in two parts (extraction into the store,
    then the exports, each with its peak memory) and, if `naive`, the naive reference
    in the same number of processes; print them and the ratio. Returns the ratio."""
    from .pipeline import format_summary, run

    extraction, summary = _timed(lambda: run(corpus, out, jobs=jobs, progress=False, export=False))
    print(_line(f"{name}: extraction into the store, --jobs {jobs}", extraction, docs, size))
    print("  by phase: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.seconds.items()))
    try:
        exports, summary = _timed(lambda: run(corpus, out, jobs=jobs, progress=False))
    except Exception as exc:  # report it, keep the extraction figures
        print(f"{name}: exports failed: {type(exc).__name__}: {exc}")
        return None
    print(
        f"{name}: exports (csv, xlsx, report): {exports.seconds:.1f} s, "
        f"peak memory {exports.peak / 2**20:.0f} MiB (PSS), CPU {exports.cpu:.1f} s"
    )
    full = Timing(
        extraction.seconds + exports.seconds,
        max(extraction.peak, exports.peak),
        extraction.cpu + exports.cpu,
    )
    print(format_summary(summary))
    print(_line(f"{name}: full run", full, docs, size))
    if not naive:
        return None
    reference, _ = _timed(lambda: run_naive(corpus, jobs))
    label = f"{name}: naive reference (langdetect + Kiwi + spaCy over all text, --jobs {jobs})"
    print(_line(label, reference, docs, size))
    ratio = reference.seconds / full.seconds
    print(
        f"{name}: speed-up over the naive reference: {ratio:.2f}x full run, "
        f"{reference.seconds / extraction.seconds:.2f}x extraction only"
    )
    if full.cpu > 0 and extraction.cpu > 0:
        print(
            f"{name}: by CPU time (less sensitive to other jobs on the machine): "
            f"{reference.cpu / full.cpu:.2f}x full run, "
            f"{reference.cpu / extraction.cpu:.2f}x extraction only"
        )
    return ratio


def freeze_rules(snapshot: Path) -> Path:
    """Copy the rule files to `snapshot` and make this process (and the workers it
    forks) read them there ($EXTRACT_RULES): a long bench keeps one set of rules, so
    an edit under rules/ during it neither mixes rule versions nor makes the export
    run see a new fingerprint and re-extract the corpus."""
    from .rules import clear_cache, rules_dir

    shutil.copytree(rules_dir(), snapshot)
    os.environ["EXTRACT_RULES"] = str(snapshot.resolve())
    clear_cache()
    return snapshot


def main_bench(
    docs: int = 10_000,
    jobs: int = 2,
    workdir: Path = Path(".bench"),
    seed: int = 7,
    naive: bool = True,
    samples: Path | None = Path("corpora"),
    copies: int = 400,
) -> int:
    """`bench`: the synthetic corpus, then (if `samples` holds articles) the sample
    articles x `copies`; each a full run beside the naive reference."""
    from .pipeline import run, warm_up

    corpus, out = workdir / "corpus", workdir / "outputs"
    shutil.rmtree(workdir, ignore_errors=True)
    freeze_rules(workdir / "rules")
    # Both the pipeline and the naive reference fork their workers from this process,
    # so the models are loaded once, here, before anything is timed.
    started = time.perf_counter()
    warm_up()
    print(
        f"models loaded and rules compiled in {time.perf_counter() - started:.1f} s "
        "(once per process, before the timings below)"
    )
    started = time.perf_counter()
    size = generate_corpus(corpus, docs, seed)
    print(
        f"generated {docs} articles, {size / 1e6:.1f} MB in "
        f"{time.perf_counter() - started:.1f} s (seed {seed})"
    )
    bench_corpus("bench corpus", corpus, out, docs, size, jobs, naive)
    started = time.perf_counter()
    again = run(corpus, out, jobs=jobs, progress=False)
    print(
        f"incremental re-run with nothing changed: {time.perf_counter() - started:.1f} s "
        f"({again.unchanged} unchanged)"
    )
    if samples is not None and samples.is_dir() and any(samples.glob("*.txt")) and copies > 0:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        size = sample_copies(corpus, copies, samples)
        count = sum(1 for _ in corpus.iterdir())
        print(f"\nsample articles in {samples} x {copies}: {count} articles, {size / 1e6:.1f} MB")
        bench_corpus("samples", corpus, out, count, size, jobs, naive)
    return 0
