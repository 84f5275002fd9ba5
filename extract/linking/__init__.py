"""Project linking: give every money mention the project, program or fund it belongs to.

`link_document` is the stage's entry point (a pure function of its inputs and the
rule files, so it runs in worker processes). The grammar lives in `korean.py`
(Kiwi morphemes) and `english.py` (spaCy blank words); their cue words are data
in rules/ko/link.toml and rules/en/link.toml; known names in rules/projects.toml
(`gazetteer.py`).

Per sentence, each mention goes through: a negative rule (thresholds) -> the
parenthesis rule (`3억원(총사업비 97억원)`, `1.5 trillion won ($1.1 billion)`:
the inner amount shares the outer one's project) -> the language's local rules,
strongest first -> known names in its clause. Then, for mentions still without a
project: the other amount of a change (`25억원에서 153억원으로`, `from A to B`),
an anaphor (`the program`, `이 사업`) resolved to the one project in view, and
last a weak purpose guess (`AMOUNT to build X`).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..models import MoneyMention, ProjectLink, Sentence, Token
from ..rules import load_rule_file, rule_files
from . import gazetteer as gz

GAZETTEER_REACH = 20  # characters between a known name and an amount it alone may claim
ANAPHORA_WINDOW = 3  # sentences back in which an anaphor looks for its antecedent
SAME_AMOUNT_FROM = 1  # a repeated figure from sentences before this (the headline) needs care
HEADLINE_SENTENCES = 4  # sentences at the start where an article names its topic

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
        return any(m is not self.mention and start < m.end and m.start < end for m in self.mentions)

    def left_index(self) -> int:
        """Index of the last token ending at or before the mention (-1 if none)."""
        k = -1
        for i, t in enumerate(self.tokens):
            if t.end <= self.mention.start:
                k = i
            else:
                break
        return k

    def right_index(self) -> int:
        """Index of the first token starting at or after the mention's end."""
        for i, t in enumerate(self.tokens):
            if t.start >= self.mention.end:
                return i
        return len(self.tokens)


# ------------------------------------------------------------------ rule data


@lru_cache(maxsize=8)
def _config_cached(lang: str, key: tuple) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    for path, _mtime in key:
        data = load_rule_file(path)
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
        "time_tail",
        "reject_object",
        "clause_break",
        "topic_refer",
        "source_split",
        "threshold_after",
        "per_unit_after",
        "part_of",
    ):
        cfg[name + "_re"] = [re.compile(p, re.IGNORECASE) for p in cfg.get(name, [])]
    return cfg


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


def config(lang: str) -> dict[str, Any]:
    """The merged link rules of one language (lists concatenated over its files)."""
    return _config_cached(lang, files_key("link", lang))


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


def clean_project(text: str) -> str:
    """Project text as shown: quote marks and outer punctuation off, spaces collapsed."""
    # quote marks go, apostrophes inside words stay (`Gwangju's subway`)
    text = re.sub(
        f"(?<![A-Za-z])[{re.escape(QUOTE_CHARS)}]|(?<!s)[{re.escape(QUOTE_CHARS)}](?![A-Za-z])"
        f"|(?<=s)[{re.escape(QUOTE_CHARS)}](?!\\s+[A-Z])",  # a plural possessive stays
        "",
        text,
    )
    text = re.sub(r"\s+", " ", text).strip(" \t\n,.;:·-–—")
    return text


def norm_key(text: str) -> str:
    """A key to compare two project names (NFKC, case-fold, no spaces or punctuation)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"^(the|a|an)\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


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


# ------------------------------------------------------------------ the stage


@dataclass
class _State:
    """Links decided so far, and what each sentence names (for anaphora)."""

    links: dict[int, ProjectLink] = field(default_factory=dict)  # position -> link
    by_sentence: dict[int, list[int]] = field(default_factory=dict)  # sentence -> positions
    named: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (project, id)
    amounts: list[tuple] = field(default_factory=list)  # (amount, currency, link) so far
    negative: set[int] = field(default_factory=set)  # positions a negative rule decided
    per_unit: dict[int, ProjectLink] = field(default_factory=dict)  # rates: a last resort


def link_document(
    text: str, sentences: list[Sentence], mentions: list[tuple[int, MoneyMention]]
) -> list[ProjectLink]:
    """One ProjectLink per mention, in the order given.

    `mentions` are (index into `sentences`, mention with document offsets).
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for pos, (si, _m) in enumerate(mentions):
        groups[si].append(pos)
    gaz = gz.load()
    state = _State(by_sentence=groups)
    for si in sorted(groups):
        positions = sorted(groups[si], key=lambda p: (mentions[p][1].start, mentions[p][1].end))
        _link_sentence(
            text, sentences, si, [mentions[p][1] for p in positions], positions, state, gaz
        )
    _topic_fallback(text, sentences, mentions, state, gaz)
    for pos, link in state.per_unit.items():
        if not state.links.get(pos, ProjectLink()).project:
            state.links[pos] = link
    return [state.links.get(pos, ProjectLink()) for pos in range(len(mentions))]


# link rules whose project names the amount's own item well enough to be an article's topic
_NAMING = ("quoted", "np_head", "sentence_topic", "gazetteer", "clause_name", "for", "head_after")


def _topic_fallback(
    text: str,
    sentences: list[Sentence],
    mentions: list[tuple[int, MoneyMention]],
    state: _State,
    gaz: gz.Gazetteer,
) -> None:
    """Give the article's topic program to amounts of sentences about it that got no project.

    The topic is a name from the headline/lead (quoted, known, or a named head) or one the
    local rules linked, written at least twice in the article and more often than any
    other candidate. A sentence is about it when it repeats the name or its head word,
    refers back (`the program`, `사업비는`), or gives a per-person/per-unit amount; never
    when it names another item, a total, a revenue or a market (`topic_block`).
    """
    empty = [
        pos
        for pos in range(len(mentions))
        if pos not in state.negative and not state.links.get(pos, ProjectLink()).project
    ]
    if not empty:
        return
    topic = _doc_topic(text, sentences, state, gaz)
    if topic is None:
        return
    name, pid = topic
    for pos in empty:
        si, m = mentions[pos]
        sentence = sentences[si]
        lang = _sentence_lang(sentence)
        if m.amount is None or not _about_topic(text, sentence, m, name, lang, state, si):
            continue
        state.links[pos] = ProjectLink(name, pid, f"{lang}.topic")


def _doc_topic(
    text: str, sentences: list[Sentence], state: _State, gaz: gz.Gazetteer
) -> tuple[str, str] | None:
    candidates: dict[str, tuple[str, str, bool]] = {}  # key -> (name, id, in headline)
    for lk in state.links.values():
        if lk.project and lk.rule.endswith(_NAMING) and _names_program(lk.project):
            candidates.setdefault(norm_key(lk.project), (lk.project, lk.project_id, False))
    for si in range(min(HEADLINE_SENTENCES, len(sentences))):
        sentence = sentences[si]
        quoted = [
            (clean_project(text[qs:qe]), "")
            for qs, qe in find_quotes(text, sentence.start, sentence.end)
            if _quoted_title(text[qs:qe])
        ]
        for name, pid in quoted + _named_in(text, sentence, _module(_sentence_lang(sentence))):
            if not _names_program(name):
                continue
            for variant in _variants(name):
                candidates[norm_key(variant)] = (variant, pid, True)
    counted = []
    folded = text.casefold()
    for key, (name, pid, lead) in candidates.items():
        if len(key) >= 2:
            counted.append((folded.count(name.casefold()), lead, name, pid, key))
    # a name written twice stands for the shorter names inside it (`민생회복 소비쿠폰`)
    scored = []
    for count, lead, name, pid, key in counted:
        if count < 2:
            continue
        longer = [c for c in counted if c[0] >= 2 and key in c[4] and len(c[4]) > len(key)]
        if not longer:
            inner = [c[0] for c in counted if c[4] in key]
            scored.append((max([count, *inner]), lead, name, pid))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    if len(scored) > 1 and scored[1][:2] == scored[0][:2]:
        # a tie: fine only when one name contains the other (`에너지바우처` in `취약계층 …`)
        a, b = norm_key(scored[0][2]), norm_key(scored[1][2])
        if a not in b and b not in a:
            return None
        shorter = min(scored[:2], key=lambda x: len(x[2]))
        return shorter[2], shorter[3]
    return scored[0][2], scored[0][3]


def _quoted_title(inner: str) -> bool:
    """A quoted name (`'지역 주도 AI 전환'`, `"K-Bio Lab Hub"`), not speech or a figure."""
    inner = inner.strip()
    if len(inner) > 40 or re.search(
        r"[.!?,]|[다요]$|[억조만천백]\s*원|원대$|\d\s*(?:[억조만]|won|[mbt]il)", inner
    ):
        return False
    if hangul_share(inner) >= 0.3:
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w&-]*", inner) if len(w) > 3]
    return bool(words) and sum(w[:1].isupper() for w in words) / len(words) >= 0.6


def _names_program(name: str) -> bool:
    """A program's name, not a bare head (`projects`) or a place."""
    words = name.split()
    if len(words) == 1 and re.fullmatch(r"[A-Za-z]+", name):
        return name.lower() not in config("en")["name_heads_set"] and not name[:1].isupper()
    return True


def _variants(name: str) -> list[str]:
    """A headline name and its last word (`취약계층 에너지바우처` -> `에너지바우처`)."""
    words = name.split()
    out = [name]
    heads = config("ko")["budget_heads"]
    last = words[-1]
    if (
        len(words) > 1
        and hangul_share(last) > 0.5
        and any(last.endswith(h) and len(last) > len(h) for h in heads)
    ):
        out.append(last)
    return out


def _about_topic(
    text: str, sentence: Sentence, m: MoneyMention, name: str, lang: str, state: _State, si: int
) -> bool:
    cfg = config(lang)
    sent = sentence.text
    low = sent.casefold()
    if any(w in low for w in cfg["topic_block_set"]):
        return False
    others = {
        norm_key(lk.project)
        for pos in state.by_sentence.get(si, [])
        if (lk := state.links.get(pos)) is not None and lk.project
    }
    if others - {norm_key(name)}:
        return False  # the sentence names another item
    if sent.lstrip()[:1] in QUOTE_CHARS:
        return False  # quoted speech
    if _noun_before(text, sentence, m, name, lang):
        return False  # `특별교부세 186억원`: the amount's own noun wins over any topic
    if name.casefold() in low:
        return True
    head = name.split()[-1]
    generic = cfg.get("generic_words_set", frozenset()) | cfg.get("budget_heads_set", frozenset())
    if hangul_share(head) > 0.5 and len(head) >= 3 and head not in generic and head in sent:
        return True  # `에너지바우처` for `취약계층 에너지바우처`
    return any(rx.search(sent) for rx in cfg["topic_refer_re"])


def _noun_before(text: str, sentence: Sentence, m: MoneyMention, name: str, lang: str) -> bool:
    """A noun (not part of the topic's name) stands right before a Korean amount, past
    qualifier words: `특별교부세 186억원`. (English has no tagger to tell that noun from
    the verb before an amount, `receive`.)"""
    if lang != "ko":
        return False
    cfg = config(lang)
    skip = cfg["skip_between_set"]
    tokens = _tokens_for(sentence, lang)
    before = [t for t in tokens if t.end <= m.start]
    while before and before[-1].text.lower() in skip:
        before.pop()
    if not before:
        return False
    t = before[-1]
    if t.text.casefold() in name.casefold():
        return False
    if t.tag not in {"NNG", "NNP", "SL"}:
        return False
    word = t.text
    for prev in reversed(before[:-1]):  # the whole written word (`특별교부세`)
        if prev.end != tokens[tokens.index(t)].start or prev.tag not in {"NNG", "NNP", "SL", "XPN"}:
            break
        word, t = prev.text + word, prev
    ignore = cfg["topic_units_set"] | cfg["generic_words_set"] | cfg["leading_drop_set"]
    return len(word) >= 3 and word not in ignore


def _tokens_for(sentence: Sentence, lang: str) -> list[Token]:
    """The sentence's tokens, or our own analysis when the segmenter gave none."""
    tokens = list(sentence.tokens)
    want_kiwi = lang == "ko"
    if tokens and (any(t.tag for t in tokens) == want_kiwi):
        return tokens
    from . import english, korean

    tokenize = korean.tokenize if want_kiwi else english.tokenize
    return [
        Token(t.text, t.start + sentence.start, t.end + sentence.start, t.tag)
        for t in tokenize(sentence.text)
    ]


def _link_sentence(
    text: str,
    sentences: list[Sentence],
    si: int,
    ms: list[MoneyMention],
    positions: list[int],
    state: _State,
    gaz: gz.Gazetteer,
) -> None:
    sentence = sentences[si]
    lang = _sentence_lang(sentence)
    mod = _module(lang)
    cfg = config(lang)
    tokens = _tokens_for(sentence, lang)
    quotes = find_quotes(text, sentence.start, sentence.end)
    hits = gaz.find(text, sentence.start, sentence.end)
    links: list[ProjectLink | None] = [None] * len(ms)
    final = [False] * len(ms)
    parent: dict[int, int] = {}
    for i, m in enumerate(ms):
        ctx = Ctx(text, sentence, tokens, m, ms, i, quotes, cfg, hits)
        negative = mod.negative(ctx)
        if negative:
            links[i], final[i] = ProjectLink("", "", negative), True
            continue
        outer = _paren_parent(text, ms, i)
        if outer is not None:
            parent[i] = outer
            continue
        span = _row_label(text, ms, i, bullets=False) or _paren_item(text, ms, i)
        span = span or mod.local(ctx)
        span = span or _row_label(text, ms, i, bullets=True)
        span = _apply_gazetteer(ctx, span)
        if span is not None:
            links[i] = _to_link(text, span)
    # a split by funding source (`국비 4천800억원과 지방비 2천400억원`) shares one item
    for i in range(1, len(ms)):
        between = text[ms[i - 1].end : ms[i].start]
        a = links[i - 1]
        if final[i] or i in parent or (links[i] is not None and links[i].project):
            continue
        if a is not None and a.project and any(rx.search(between) for rx in cfg["source_split_re"]):
            links[i] = replace(a, rule=f"{lang}.source_split")
    # a change (from A to B) shares one item
    for i in range(len(ms) - 1):
        between = text[ms[i].end : ms[i + 1].start]
        if not any(rx.search(between) for rx in cfg["change_between_re"]):
            continue
        a, b = links[i], links[i + 1]
        if (a is None or not a.project) and b and b.project and not final[i] and i not in parent:
            links[i] = replace(b, rule=f"{lang}.change_pair")
        elif (b is None or not b.project) and a and a.project and not final[i + 1]:
            if i + 1 not in parent:
                links[i + 1] = replace(a, rule=f"{lang}.change_pair")
    _part_of(text, sentence, si, ms, links, final, parent, state, cfg, lang)
    # anaphora, then the weak guesses
    for i, m in enumerate(ms):
        if final[i] or i in parent or (links[i] is not None and links[i].project):
            continue
        ctx = Ctx(text, sentence, tokens, m, ms, i, quotes, cfg, hits)
        antecedent = _anaphora(ctx, sentences, si, state, mod)
        if antecedent is not None:
            links[i] = ProjectLink(antecedent[0], antecedent[1], f"{lang}.anaphora")
            continue
        unit = _per_unit_program(ctx, links, sentences, si, state)
        if unit is not None:  # used when the article's topic does not claim the rate
            state.per_unit[positions[i]] = ProjectLink(unit[0], unit[1], f"{lang}.per_unit")
        same = _same_amount(m, state)
        if same is not None and same[1] < SAME_AMOUNT_FROM:
            if _noun_before(text, sentence, m, same[0].project, lang):
                same = None  # the headline's figure, but the body names its own item here
        if same is not None:
            same = same[0]
            links[i] = replace(same, rule=f"{lang}.same_amount")
            continue
        span = _apply_gazetteer(ctx, mod.weak(ctx))
        if span is not None:
            links[i] = _to_link(text, span)
    for i in sorted(parent):
        outer = links[parent[i]]
        links[i] = replace(outer or ProjectLink(), rule=f"{lang}.paren_follow")
    generic = cfg["generic_projects_set"]
    for i, lk in enumerate(links):
        if lk is None or not lk.project:
            continue
        threshold = any(rx.match(text, ms[i].end) for rx in cfg["threshold_after_re"])
        if _generic_project(lk.project, generic) or (
            threshold and _generic_project(lk.project.split()[-1], generic)
        ):
            # `projects worth 50 billion won or more`: a condition on generic items
            links[i] = ProjectLink("", "", lk.rule)
    for i, pos in enumerate(positions):
        state.links[pos] = links[i] or ProjectLink()
        if final[i]:
            state.negative.add(pos)
        if ms[i].amount is not None and not final[i]:
            state.amounts.append((ms[i].amount, ms[i].currency, state.links[pos], si))


def _part_of(
    text: str,
    sentence: Sentence,
    si: int,
    ms: list[MoneyMention],
    links: list[ProjectLink | None],
    final: list[bool],
    parent: dict[int, int],
    state: _State,
    cfg: dict[str, Any],
    lang: str,
) -> None:
    """`이 가운데 내년 예산은 N원`, `of which N won`: a part of the item named just before.

    An amount after a part-of cue that names no item of its own takes the item of the
    nearest linked amount before the cue, in the sentence or else the previous sentence.
    """
    for i, m in enumerate(ms):
        if final[i] or i in parent or (links[i] is not None and links[i].project):
            continue
        cues = [
            c.start()
            for rx in cfg["part_of_re"]
            for c in rx.finditer(text, sentence.start, m.start)
        ]
        if not cues:
            continue
        cue = max(cues)
        before = [lk for j, lk in enumerate(links[:i]) if ms[j].end <= cue and lk and lk.project]
        if before:
            links[i] = replace(before[-1], rule=f"{lang}.part_of")
            continue
        if any(ms[j].end <= cue for j in range(i)) or si == 0:
            continue  # the amount before the cue names no item: nothing to take
        prev = [
            lk
            for pos in state.by_sentence.get(si - 1, [])
            if (lk := state.links.get(pos)) is not None and lk.project
        ]
        if prev and len({lk.project for lk in prev}) == 1:
            links[i] = replace(prev[-1], rule=f"{lang}.part_of")


def _generic_project(project: str, generic: frozenset[str]) -> bool:
    """`projects`, `such policies`, `시범사업비`: a generic word alone is never a project."""
    words = re.sub(r"^(?:the|a|an|such|these|those|its|their)\s+", "", project.casefold()).split()
    return " ".join(words) in generic or "".join(words) in generic


def _same_amount(m: MoneyMention, state: _State) -> tuple[ProjectLink, int] | None:
    """(link, sentence) of the same figure earlier in the article (`25억원만 반영`)."""
    if m.amount is None:
        return None
    for amount, currency, link, si in reversed(state.amounts):
        if amount == m.amount and currency == m.currency:
            if link.rule.endswith(".topic") or not link.project:
                return None
            return link, si
    return None


def _to_link(text: str, span: Span) -> ProjectLink:
    raw = span.text if span.text is not None else text[span.start : span.end]
    project = clean_project(raw)
    return ProjectLink(project, span.project_id if project else "", span.rule)


def _paren_parent(text: str, ms: Sequence[MoneyMention], i: int) -> int | None:
    """The amount whose parenthesis holds mention i (`3억원(총사업비 97억원)`), if any."""
    m = ms[i]
    for j in range(i - 1, -1, -1):
        between = text[ms[j].end : m.start]
        opened = re.match(r"\s*[(（]", between)
        if opened and not re.search(r"[)）]", between):
            return j
        if re.search(r"[)）]", between):
            return None
    return None


_CELL_SEP = re.compile(r"\||\t| {2,}")
_BULLET = re.compile(r"\s*(?:[▲■□○●◆◇\-·•*△▶◦]|\d{1,2}[.)]|[①-⑳])\s*")


def _row_label(text: str, ms: Sequence[MoneyMention], i: int, bullets: bool) -> Span | None:
    """The item of a table row or `- item: ... AMOUNT` bullet the mention stands in."""
    m = ms[i]
    line_start = text.rfind("\n", 0, m.start) + 1
    first = min((x.start for x in ms if line_start <= x.start <= m.start), default=m.start)
    prefix = text[line_start:first]
    if not bullets:
        if not _CELL_SEP.search(prefix.strip(" ")) and not re.search(r"\S {2,}$", prefix):
            return None
        cells = [c for c in re.finditer(r"[^|\t]+?(?= {2,}|\||\t|$)", prefix) if c.group().strip()]
        if not cells:
            return None
        start, end = cells[-1].span()
    else:
        bullet = _BULLET.match(prefix)
        colon = prefix.find(":")
        if not bullet or bullet.end() == 0 or colon < 0:
            return None
        start, end = bullet.end(), colon
    start += line_start
    end += line_start
    label = text[start:end]
    label = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", label)  # `조성(유형Ⅰ)` -> `조성`
    label = label.strip(" \t:,-–·")
    bullet = _BULLET.match(label)
    if bullet and bullet.end():
        start += text[start:end].find(label) + bullet.end()
        label = label[bullet.end() :]
    if not re.search(r"[A-Za-z가-힣]", label) or len(label) > 60 or len(label.split()) > 10:
        return None
    offset = text.find(label, start, end + 1)
    if offset < 0:
        return None
    return Span(offset, offset + len(label), "table_row", "clause")


_ITEM_MARK = re.compile(r"[▲■□○●◆◇•△▶◦①-⑳]|^\s*(?:[-·*]|\d{1,2}[.)])\s|\)\s*,\s*", re.M)


def _paren_item(text: str, ms: Sequence[MoneyMention], i: int) -> Span | None:
    """`▲대구 도시철도 엑스코선(7,800억원)`, `- 청년 월세 지원(240억원)`: a list item whose
    amount stands in parentheses after it; the item is the text from its marker to `(`."""
    m = ms[i]
    line_start = text.rfind("\n", 0, m.start) + 1
    opened = max(text.rfind("(", line_start, m.start), text.rfind("（", line_start, m.start))
    if (
        opened < 0
        or len(text[opened + 1 : m.start]) > 12
        or re.search(r"[)）]", text[opened : m.start])
    ):
        return None
    # the item starts after the previous amount on the line
    line_start = max(
        [x.end for x in ms if x is not m and line_start <= x.end <= opened] or [line_start]
    )
    found = list(_ITEM_MARK.finditer(text, line_start, opened))
    if not found:
        return None
    start = found[-1].end()
    label = text[start:opened]
    stripped = label.strip(" \t:,-–·")
    if (
        not re.search(r"[A-Za-z가-힣]", stripped)
        or len(stripped) > 60
        or len(stripped.split()) > 10
    ):
        return None
    if re.search(r"[.!?]\s|다\s*[.,]", stripped):
        return None
    offset = start + label.find(stripped)
    return Span(offset, offset + len(stripped), "paren_item", "local")


def _apply_gazetteer(ctx: Ctx, span: Span | None) -> Span | None:
    """Attach a known project's id to a span, or let a known name in the clause win."""
    hits = ctx.hits
    if not hits:
        return span
    if span is not None and span.text is None:
        inside = [h for h in hits if _overlaps(h.start, h.end, span.start, span.end)]
        if len({h.project_id for h in inside}) > 1 or "," in ctx.text[span.start : span.end]:
            return span  # a list of several items: no one id fits the whole
        if inside:
            best = max(inside, key=lambda h: min(h.end, span.end) - max(h.start, span.start))
            return replace(span, project_id=best.project_id)
    if span is not None and span.strength == "local":
        return span
    lo, hi = ctx.clause_start, ctx.mention.start
    near = [h for h in hits if lo <= h.start and h.end <= hi]
    if not near:
        return span
    hit = max(near, key=lambda h: h.end)
    if span is not None and span.text is None and span.end > hit.end:
        return span  # the clause-level guess stands nearer the amount
    if span is None and _other_item_between(ctx, hit.end, ctx.mention.start):
        return None  # a known name in passing (`지역화폐로 주는 생활안정지원금 50만원`)
    return Span(hit.start, hit.end, "gazetteer", "clause", project_id=hit.project_id)


def _other_item_between(ctx: Ctx, start: int, end: int) -> bool:
    """Another item's head word (`지원금`, `program`) stands between a known name and the amount."""
    between = ctx.text[start:end]
    if len(between.strip()) > GAZETTEER_REACH:
        return True  # too far to claim the amount alone
    if "budget_heads" in ctx.cfg:
        words = re.findall(r"[가-힣]+", between)
        return any(w.endswith(h) for w in words for h in ctx.cfg["budget_heads"] if len(w) > len(h))
    words = re.findall(r"[A-Za-z]+", between.lower())
    return any(w in ctx.cfg["name_heads_set"] for w in words)


def _anaphora(ctx: Ctx, sentences: list[Sentence], si: int, state: _State, mod) -> tuple | None:
    """(project, id) that an anaphor near the mention refers to, when unambiguous."""
    cfg = ctx.cfg
    sentence = ctx.sentence
    has = any(rx.search(sentence.text) for rx in cfg["anaphora_re"])
    if not has and si > 0:
        prev = sentences[si - 1]
        same_paragraph = "\n" not in ctx.text[prev.end : sentence.start]
        has = same_paragraph and any(rx.search(prev.text) for rx in cfg["anaphora_re"])
    if not has:
        return None
    footnote = _footnote_antecedent(ctx)
    if footnote is not None:
        return footnote
    for back in range(si - 1, max(-1, si - 1 - ANAPHORA_WINDOW), -1):
        linked = [
            (lk.project, lk.project_id)
            for pos in state.by_sentence.get(back, [])
            if (lk := state.links.get(pos)) is not None and lk.project
        ]
        if linked:
            return _unique(linked)
    for back in range(si - 1, max(-1, si - 1 - ANAPHORA_WINDOW), -1):
        if back not in state.named:
            state.named[back] = _named_in(ctx.text, sentences[back], mod)
        if state.named[back]:
            return _unique(state.named[back])
    return None


def _per_unit_program(
    ctx: Ctx, links: list[ProjectLink | None], sentences: list[Sentence], si: int, state: _State
) -> tuple[str, str] | None:
    """`ha당 136만원`, `$35 per kilowatt-hour`: a rate of the program named just before, in
    the sentence (the nearest linked amount) or the previous one (when it names one)."""
    after = ctx.text[ctx.mention.end : min(ctx.sentence.end, ctx.mention.end + 16)]
    if not any(rx.match(after) for rx in ctx.cfg["per_unit_after_re"]):
        return None
    for lk in reversed(links[: ctx.index]):
        if lk is not None and lk.project:
            return lk.project, lk.project_id
    if si == 0 or "\n\n" in ctx.text[sentences[si - 1].end : ctx.sentence.start]:
        return None
    linked = [
        (lk.project, lk.project_id)
        for pos in state.by_sentence.get(si - 1, [])
        if (lk := state.links.get(pos)) is not None and lk.project
    ]
    if linked:
        return _unique(linked)
    if si - 1 not in state.named:
        state.named[si - 1] = _named_in(
            ctx.text, sentences[si - 1], _module(_sentence_lang(sentences[si - 1]))
        )
    return _unique(state.named[si - 1]) if state.named[si - 1] else None


def _footnote_antecedent(ctx: Ctx) -> tuple[str, str] | None:
    """`* This project ...` explains the quoted name marked `"..." *` earlier."""
    head = ctx.text[ctx.sentence.start : ctx.sentence.end].lstrip()
    if head[:1] not in {"*", "※"}:
        return None
    marks = list(re.finditer(r"[\"”'’」』]\s*\*", ctx.text[: ctx.sentence.start]))
    if not marks:
        return None
    close = marks[-1].start()
    line_start = ctx.text.rfind("\n", 0, close) + 1
    quotes = [q for q in find_quotes(ctx.text, line_start, close + 1) if q[1] == close]
    if not quotes:
        return None
    qs, qe = quotes[0]
    found = gz.load().find(ctx.text, qs, qe)
    return clean_project(ctx.text[qs:qe]), (found[0].project_id if found else "")


def _unique(items: list[tuple[str, str]]) -> tuple[str, str] | None:
    keys = {pid or norm_key(name) for name, pid in items}
    return items[-1] if len(keys) == 1 else None


def _named_in(text: str, sentence: Sentence, mod) -> list[tuple[str, str]]:
    """Project names a sentence mentions: known names, quoted names, named heads."""
    lang = _sentence_lang(sentence)
    cfg = config(lang)
    tokens = _tokens_for(sentence, lang)
    quotes = find_quotes(text, sentence.start, sentence.end)
    spans = mod.names(text, sentence, tokens, quotes, cfg)
    hits = gz.load().find(text, sentence.start, sentence.end)
    named: list[tuple[int, str, str]] = []
    for h in hits:
        named.append((h.start, clean_project(text[h.start : h.end]), h.project_id))
    for s, e in spans:
        if any(_overlaps(s, e, h.start, h.end) for h in hits):
            continue
        named.append((s, clean_project(text[s:e]), ""))
    return [(name, pid) for _s, name, pid in sorted(named) if name]


# ------------------------------------------------------------------ convenience


def link_text(text: str, lang: str) -> list[tuple[MoneyMention, ProjectLink]]:
    """Detect, segment, find money and link in a text (for rule examples and tests)."""
    from ..detect import detect_blocks
    from ..money import find_money
    from ..segment import segment

    if lang not in ("ko", "en"):
        lang = "ko" if hangul_share(text) >= 0.3 else "en"
    blocks = detect_blocks(text)
    sentences = segment(text, blocks)
    found: list[tuple[int, MoneyMention]] = []
    for index, sentence in enumerate(sentences):
        local = [
            Token(t.text, t.start - sentence.start, t.end - sentence.start, t.tag)
            for t in sentence.tokens
        ]
        for m in find_money(sentence.text, sentence.lang or lang, local or None):
            found.append(
                (index, replace(m, start=m.start + sentence.start, end=m.end + sentence.start))
            )
    links = link_document(text, sentences, found)
    return [(m, link) for (_i, m), link in zip(found, links, strict=True)]
