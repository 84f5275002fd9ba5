"""What every link generator works with: the candidate span, one mention's context,
the merged cue words of rules/{ko,en}/link*.toml, and small text helpers."""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..models import MoneyMention, Sentence, Token
from ..rules import load_rule_file, rule_files
from . import gazetteer as gz

GAZETTEER_REACH = 20  # characters between a known name and an amount it alone may claim
ANAPHORA_WINDOW = 3  # sentences back in which an anaphor looks for its antecedent
SAME_AMOUNT_FROM = 1  # a repeated figure from sentences before this (the headline) needs care
HEADLINE_SENTENCES = 4  # sentences at the start where an article names its topic

# Work counters (tokens and characters the generators looked at), so a test can check
# that linking stays linear in the text length without timing anything.
WORK: Counter[str] = Counter()

QUOTE_PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    '"': '"',
    "'": "'",
}
QUOTE_CHARS = "\"'“”‘’「」『』《》〈〉"
_QUOTE_RES = [
    re.compile(r"“([^”\n]{1,200})”"),
    re.compile(r"「([^」\n]{1,200})」"),
    re.compile(r"『([^』\n]{1,200})』"),
    re.compile(r"《([^》\n]{1,200})》"),
    re.compile(r"〈([^〉\n]{1,200})〉"),
    re.compile(r'"([^"\n]{1,200})"'),
    # single quotes double as apostrophes (Seoul’s, Korea's): a quote opens after a
    # non-letter and closes before a non-letter
    re.compile(r"(?<![A-Za-z0-9])‘([^\n]{1,120}?)’(?![A-Za-z])"),
    re.compile(r"(?<![A-Za-z0-9])'([^'\n]{1,120}?)'(?![A-Za-z])"),
]


@dataclass
class Span:
    """A candidate project: a span of the document text, or an explicit text."""

    start: int
    end: int
    rule: str
    strength: str = "local"  # "local" (next to the amount) or "clause" (elsewhere in it)
    text: str | None = None  # overrides text[start:end] (antecedents from other sentences)
    project_id: str = ""


@dataclass
class Ctx:
    """Everything a language module needs to link one mention."""

    text: str  # the document
    sentence: Sentence
    tokens: list[Token]  # the sentence's tokens, document offsets
    mention: MoneyMention  # document offsets
    mentions: list[MoneyMention]  # all mentions of the sentence, in order
    index: int  # position of `mention` in `mentions`
    quotes: list[tuple[int, int]]  # quoted contents in the sentence (document offsets)
    cfg: dict[str, Any]
    hits: list[gz.GazetteerHit] = field(default_factory=list)

    @property
    def clause_start(self) -> int:
        """Start of the mention's clause: after the previous amount or `;` in the sentence."""
        start = self.sentence.start
        if self.index > 0:
            start = max(start, self.mentions[self.index - 1].end)
        semi = self.text.rfind(";", start, self.mention.start)
        start = semi + 1 if semi >= 0 else start
        for rx in self.cfg.get("clause_break_re", []):
            for m in rx.finditer(self.text, start, self.mention.start):
                start = m.end()
        return start

    def in_other_mention(self, start: int, end: int) -> bool:
        ms = self.mentions
        if len(ms) == 1 and ms[0] is self.mention:  # the usual case: no other amount
            return False
        return any(m is not self.mention and start < m.end and m.start < end for m in self.mentions)

    def left_index(self) -> int:
        """Index of the last token ending at or before the mention (-1 if none).

        Scanned once per context (the generators ask it dozens of times per amount;
        a context's tokens and mention do not change)."""
        k = self.__dict__.get("_left_index")
        if k is None:
            k = -1
            for i, t in enumerate(self.tokens):
                if t.end <= self.mention.start:
                    k = i
                else:
                    break
            self.__dict__["_left_index"] = k
        return k

    def right_index(self) -> int:
        """Index of the first token starting at or after the mention's end (once per
        context, as `left_index`)."""
        r = self.__dict__.get("_right_index")
        if r is None:
            r = len(self.tokens)
            for i, t in enumerate(self.tokens):
                if t.start >= self.mention.end:
                    r = i
                    break
            self.__dict__["_right_index"] = r
        return r


# ------------------------------------------------------------------ rule data


@lru_cache(maxsize=8)
def _config_cached(lang: str, key: tuple) -> dict[str, Any]:
    cfg: dict[str, Any] = {"lang": lang, "generators": []}
    for path, _mtime in key:
        data = load_rule_file(path)
        for gen in data.get("generator", []):
            cfg["generators"].append(_compile_generator(path, gen))
        for cue in data.get("article_cue", []):
            cfg.setdefault("article_cues", []).append(_compile_cue(path, cue))
        for name, value in data.get("cues", {}).items():
            if isinstance(value, list):
                cfg.setdefault(name, []).extend(value)
            else:
                cfg[name] = value
    for name, value in list(cfg.items()):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            cfg[name + "_set"] = frozenset(v.lower() for v in value)
    for name in (
        "anaphora",
        "change_between",
        "change_new_first",
        "time_tail",
        "reject_object",
        "clause_break",
        "topic_refer",
        "source_split",
        "threshold_after",
        "per_unit_after",
        "per_unit_before",
        "part_of",
        "price_before",
        "market_move_before",
        "payer_before",
        "payer_spared_after",
        "effect_after",
        "effect_before",
        "balance_before",
        "charge_after",
        "charge_before",
        "charge_unit_before",
        "separate_after",
        "separate_before",
        "basis_after",
    ):
        cfg[name + "_re"] = [re.compile(p, re.IGNORECASE) for p in cfg.get(name, [])]
    cfg["no_project_kinds_re"] = {
        kind: _word_alternation(words, lang)
        for kind, words in (cfg.get("no_project_kinds") or {}).items()
    }
    return cfg


def _word_alternation(words: list[str], lang: str) -> re.Pattern[str]:
    """One case-insensitive regex for a list of words or phrases, longest first; English
    words match whole (`fine`, not `finest`), Korean ones anywhere (`영업이익은`)."""
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\b" if lang == "en" else f"(?:{alt})", re.IGNORECASE)


def _compile_generator(path: str, gen: dict[str, Any]) -> dict[str, Any]:
    """A `[[generator]]` table: `name`, `before` or `after` (a regex with a group `item`)."""
    side = "before" if "before" in gen else "after"
    try:
        rx = re.compile(gen[side], re.IGNORECASE | re.MULTILINE)
    except (KeyError, re.error) as exc:
        raise ValueError(f"{path}: generator {gen.get('name')!r}: {exc}") from exc
    if "item" not in rx.groupindex or "name" not in gen:
        raise ValueError(f"{path}: generator {gen.get('name')!r} needs a name and (?P<item>...)")
    return {**gen, "side": side, "rx": rx}


def _compile_cue(path: str, cue: dict[str, Any]) -> dict[str, Any]:
    """An `[[article_cue]]` table: `name` and one regex, `before` (matched against the
    sentence up to the amount), `after` (matched right after it) or `sentence` (searched
    in the whole sentence)."""
    side = next((k for k in ("before", "after", "sentence") if k in cue), None)
    try:
        rx = re.compile(cue[side], re.IGNORECASE) if side else None
    except re.error as exc:
        raise ValueError(f"{path}: article_cue {cue.get('name')!r}: {exc}") from exc
    if rx is None or "name" not in cue:
        raise ValueError(f"{path}: article_cue needs a name and before/after/sentence")
    return {"name": cue["name"], "side": side, "rx": rx}


_RESCAN_SECONDS = 2.0
_file_keys: dict[tuple[str, str | None], tuple[float, tuple]] = {}


def files_key(kind: str, lang: str | None = None) -> tuple:
    """(path, mtime) of the rule files of a kind; the folder is re-scanned every 2 s at most."""
    now = time.monotonic()
    cached = _file_keys.get((kind, lang))
    if cached is not None and now - cached[0] < _RESCAN_SECONDS:
        return cached[1]
    key = tuple((str(p), p.stat().st_mtime_ns) for p in rule_files(kind, lang))
    _file_keys[(kind, lang)] = (now, key)
    return key


_last_config: dict[str, tuple[tuple, dict[str, Any]]] = {}


def config(lang: str) -> dict[str, Any]:
    """The merged link rules of one language (lists concatenated over its files)."""
    key = files_key("link", lang)
    last = _last_config.get(lang)
    if last is not None and last[0] is key:  # the same key object: no need to hash it
        return last[1]
    cfg = _config_cached(lang, key)
    _last_config[lang] = (key, cfg)
    return cfg


_UNIONS: dict[tuple[int, tuple[str, ...]], tuple[dict, frozenset[str]]] = {}


def word_union(cfg: dict[str, Any], *names: str) -> frozenset[str]:
    """The union of the word sets `names` of a config (`name?`: empty when missing; any
    other name must be there), built once per config object instead of on every call of
    a hot path. Holds the config, so a reloaded one (a new object) gets its own."""
    held = _UNIONS.get((id(cfg), names))
    if held is None or held[0] is not cfg:
        words = frozenset().union(
            *(cfg.get(n[:-1], frozenset()) if n.endswith("?") else cfg[n] for n in names)
        )
        if len(_UNIONS) > 64:  # configurations reloaded in a long-lived process
            _UNIONS.clear()
        held = _UNIONS[(id(cfg), names)] = (cfg, words)
    return held[1]


# ------------------------------------------------------------------ helpers


def find_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted contents (start, end without the marks) in text[start:end], outermost first."""
    found: list[tuple[int, int]] = []
    for rx in _QUOTE_RES:
        for m in rx.finditer(text, start, end):
            s, e = m.span(1)
            if text[s].isspace() or text[e - 1].isspace():
                continue
            if any(s - 1 < fe and fs - 1 < e + 1 for fs, fe in found):
                continue  # overlaps a quote already found
            found.append((s, e))
    return sorted(found)


@lru_cache(maxsize=1 << 14)  # pure; the generators and features ask for the same names often
def clean_project(text: str) -> str:
    """Project text as shown: quote marks and outer punctuation off, spaces collapsed."""
    # quote marks go, apostrophes inside words stay (`Gwangju's subway`)
    text = _QUOTE_MARK.sub("", text)
    text = _SPACES.sub(" ", text).strip(" \t\n,.;:·-–—+=")  # `+ state funds` of a sum
    # a section or byline tag before a name (`[인터뷰] 완도군수`, `[Analysis] ...`)
    text = _SECTION_TAG.sub("", text)
    return text


# clean_project's patterns, compiled once (module-level `re.sub` looks each up per call)
_QUOTE_MARK = re.compile(
    f"(?<![A-Za-z])[{re.escape(QUOTE_CHARS)}]|(?<!s)[{re.escape(QUOTE_CHARS)}](?![A-Za-z])"
    f"|(?<=s)[{re.escape(QUOTE_CHARS)}](?!\\s+[A-Z])"  # a plural possessive stays
)
_SPACES = re.compile(r"\s+")
_SECTION_TAG = re.compile(r"^\[[^\[\]]{1,20}\]\s*")
_ARTICLE = re.compile(r"^(the|a|an)\s+")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 14)  # pure; called about 17 times per amount
def norm_key(text: str) -> str:
    """A key to compare two project names (NFKC, case-fold, no spaces or punctuation)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARTICLE.sub("", text)
    return _NON_WORD.sub("", text)


def hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


def _module(lang: str):
    from . import english, korean

    return korean if lang == "ko" else english


def _sentence_lang(sentence: Sentence) -> str:
    if sentence.lang in ("ko", "en"):
        return sentence.lang
    return "ko" if hangul_share(sentence.text) >= 0.3 else "en"


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1
