"""Candidate generators: every way an amount's project may be named, each PROPOSING.

`propose_document` runs every generator over a document and returns, per money
mention, a `Proposal`: its candidates (spans of the text, or names taken from
another amount or an earlier sentence) in precedence order, plus facts about the
mention itself (a negative cue such as `연매출 ... 이하`, a bracket it sits in).
Nothing here decides: `scorer.py` ranks the candidates, including "no project".

Generators, by where they look:
- the amount's own sentence (window of `WINDOW_CHARS` either side): table and
  bullet row labels (`_row_label`), list items with the amount in brackets
  (`_paren_item`), the language's noun-phrase rules (`korean.local`,
  `english.local`, `*.weak`), the patterns of `[[generator]]` tables in
  rules/{ko,en}/link*.toml (`_pattern_spans`), known names (`_apply_gazetteer`);
- the amount's neighbours: the other side of a change or a funding split, the
  amount whose bracket holds it, the part of (`이 가운데`, `of which`) the item
  before;
- the article: the item an anaphor points back to (`이 사업`, `the project`),
  the same figure earlier, the program of a per-unit rate, the headline topic.

The neighbour and article generators need to know what the other amounts are
about. They read the *provisional* link of each amount: its first candidate in
precedence order (the old cascade's choice). That keeps candidates and features
a pure function of the text and rules, independent of the fitted weights, so
`fit-linker` is reproducible.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..models import MoneyMention, ProjectLink, Sentence, Token
from . import gazetteer as gz
from .context import (
    ANAPHORA_WINDOW,
    GAZETTEER_REACH,
    HEADLINE_SENTENCES,
    QUOTE_CHARS,
    SAME_AMOUNT_FROM,
    WORK,
    Ctx,
    Span,
    _module,
    _overlaps,
    _sentence_lang,
    clean_project,
    config,
    find_quotes,
    hangul_share,
    norm_key,
    word_union,
)

WINDOW_CHARS = 400  # text either side of an amount that its sentence generators see
LONG_SENTENCE = 1000  # sentences longer than this are windowed around each amount
MAX_TOPIC_NAMES = 64  # names considered for an article's topic
FOOTNOTE_REACH = 5000  # characters back where a footnote looks for its marked name


@dataclass
class Candidate:
    """One proposed project for one amount."""

    project: str  # as shown ("" only for the no-project candidate)
    project_id: str
    generator: str  # which generator proposed it: `ko.np_head`, `en.anaphora`, ...
    start: int = -1  # its span in the document (-1: taken from another amount)
    end: int = -1
    strength: str = "local"  # "local" (next to the amount) or "clause" (elsewhere in it)
    si: int = -1  # sentence where the name was found (-1: the amount's own sentence)
    # a shorter or longer variant (`ko.trim_*`): the generator of the phrase it was made
    # from, also a feature of the variant (features.py), so the scorer weighs the same
    # source in both forms and the variant's own generator says only which form it is
    parent: str = ""


@dataclass
class Proposal:
    """Everything the scorer needs about one money mention."""

    si: int  # sentence index
    mention: MoneyMention
    lang: str
    candidates: list[Candidate] = field(default_factory=list)  # in precedence order
    negative: str = ""  # a negative rule that fired (`ko.threshold`, `en.figure`, ...)
    parent: int | None = None  # position (in the document's mentions) of the amount
    # whose bracket holds this one
    generic_first: bool = False  # the first candidate was a generic word alone
    provisional: ProjectLink = field(default_factory=ProjectLink)
    cues: tuple[str, ...] = ()  # facts of its sentence pointing to an item named elsewhere
    # (article.py: `source_before`, `part_of`, `names_no_item`, ...)


@dataclass
class _State:
    """Provisional links so far, and what each sentence names (for anaphora)."""

    links: dict[int, ProjectLink] = field(default_factory=dict)  # position -> provisional
    by_sentence: dict[int, list[int]] = field(default_factory=dict)  # sentence -> positions
    named: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (project, id)
    last_amount: dict[tuple, tuple[ProjectLink, int]] = field(default_factory=dict)
    negative: set[int] = field(default_factory=set)  # positions a negative rule decided
    anaphor_in: dict[int, bool] = field(default_factory=dict)  # sentence -> has an anaphor
    # per-document memo of analyses (`_tokens_for`, `_named_in`): each sentence is
    # analysed at most once per document, however many amounts look back at it
    memo: dict[tuple, object] = field(default_factory=dict)


def propose_document(
    text: str, sentences: list[Sentence], mentions: list[tuple[int, MoneyMention]]
) -> list[Proposal]:
    """One Proposal per mention, in the order given.

    `mentions` are (index into `sentences`, mention with document offsets). Pure:
    depends only on its inputs and the rule files.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for pos, (si, _m) in enumerate(mentions):
        groups[si].append(pos)
    gaz = gz.load()
    state = _State(by_sentence=groups)
    props: list[Proposal | None] = [None] * len(mentions)
    for si in sorted(groups):
        positions = sorted(groups[si], key=lambda p: (mentions[p][1].start, mentions[p][1].end))
        _propose_sentence(
            text, sentences, si, [mentions[p][1] for p in positions], positions, state, gaz, props
        )
    out = [p for p in props if p is not None]
    _topic(text, sentences, out, state, gaz)
    _in_view(text, sentences, out, state)
    from .article import propose_article_item

    propose_article_item(text, sentences, out, state)
    _trim_variants(text, out)
    for prop in out:
        unit = [c for c in prop.candidates if c.generator.endswith(".per_unit")]
        if unit and not prop.provisional.project and not prop.negative and prop.parent is None:
            prop.provisional = _link_of(unit[0])
    return out


def _trim_variants(text: str, props: list[Proposal]) -> None:
    """Shorter variants of each phrase around an amount (English: `rebuild the Oakey
    interchange` -> `Oakey interchange`, english.trimmed_variants; Korean: `탐나는
    여행쿠폰 사업` -> `탐나는 여행쿠폰`, korean.trimmed_variants), proposed after the
    others (`<lang>.trim_<kind>`), so the precedence order and provisional links stay."""
    from . import english, korean

    variants = {"en": english.trimmed_variants, "ko": korean.trimmed_variants}
    for prop in props:
        if prop.lang not in variants:
            continue
        cfg = config(prop.lang)
        trimmed_variants = variants[prop.lang]
        have = {norm_key(c.project) for c in prop.candidates}
        made: dict[str, set[str]] = {}  # Korean: variant name -> the generators it was cut from
        for c in list(prop.candidates):
            if not c.project or c.end - c.start > 400:
                continue
            # Korean: also the items named elsewhere (`지역 주도 AI 전환 사업` of the lead
            # -> `지역 주도 AI 전환`), proposed from where the item was (start -1)
            if c.start < 0 and prop.lang != "ko":
                continue
            # variants of the shown name; offsets into the text where it is written as is
            base = c.start if c.start >= 0 and text.startswith(c.project, c.start) else -1
            for kind, s, e in trimmed_variants(c.project, 0, len(c.project), cfg):
                name = clean_project(c.project[s:e])
                key = norm_key(name)
                parent = c.generator if prop.lang == "ko" else ""
                if not key or (key in have and key not in made):
                    continue
                if key in made:  # a variant of another generator's phrase of that name
                    if not parent or parent in made[key]:
                        continue
                    made[key].add(parent)
                elif parent:
                    made[key] = {parent}
                have.add(key)
                lo, hi = (base + s, base + e) if base >= 0 else (c.start, c.end)
                prop.candidates.append(
                    Candidate(
                        name, "", f"{prop.lang}.trim_{kind}", lo, hi, c.strength, c.si, parent
                    )
                )


DOC_BACK = 3  # sentences back whose items an amount may belong to


def _in_view(text: str, sentences: list[Sentence], props: list[Proposal], state: _State) -> None:
    """Propose the items in view of each amount: those the other amounts of its sentence
    and of the DOC_BACK sentences before it are (provisionally) about, and the names of
    the headline and lead (Korean also, for an amount whose own sentence names nothing,
    the phrase next to a headline or lead amount: `_lead_phrases`). The scorer weighs how
    far back, whether a cue points back (`이 사업`, `the project`), and how often the name
    recurs."""
    by_si: dict[int, list[ProjectLink]] = defaultdict(list)
    for prop in props:
        if prop.provisional.project and not prop.provisional.rule.endswith(".topic"):
            by_si[prop.si].append(prop.provisional)
    named: dict[int, list[tuple[str, str]]] = {}

    def names(si: int) -> list[tuple[str, str]]:
        """Items a sentence names (known, quoted, named heads, `X program`), once each."""
        if si not in named:
            sentence = sentences[si]
            if si not in state.named:
                state.named[si] = _named_in(
                    text, sentence, _module(_sentence_lang(sentence)), state.memo
                )
            more = []
            if _sentence_lang(sentence) == "en":
                from .english import program_names

                hi = min(sentence.end, sentence.start + 2000)
                more = [
                    (clean_project(text[a:b]), "")
                    for a, b in program_names(text, sentence.start, hi, _name_verbs())
                ]
            named[si] = state.named[si] + more
        return named[si]

    lead: list[tuple[str, str]] = []
    for si in range(min(HEADLINE_SENTENCES, len(sentences))):
        lead += names(si) + [(lk.project, lk.project_id) for lk in by_si.get(si, [])]
    lead_phrases = _unique_by_key([(n, pid, gen) for n, pid, gen in _lead_phrases(props)])
    lead_u = _unique_by_key([(n, pid, "") for n, pid in lead])
    # Each list below holds a name once (its first occurrence in the order scanned): a
    # later one with the same key would be skipped anyway. With the stop at
    # MAX_IN_VIEW, an amount reads at most its own candidates + MAX_IN_VIEW entries
    # per list, however many amounts its sentence holds (linear in the amounts).
    links_u: dict[int, list[tuple[str, str, str, str]]] = {}
    names_u: dict[int, list[tuple[str, str, str, str]]] = {}
    for prop in props:
        seen = {norm_key(c.project) for c in prop.candidates}
        found: list[tuple[list[tuple[str, str, str, str]], str, int]] = []
        for back in range(0, DOC_BACK + 1):
            si = prop.si - back
            if si < 0:
                break
            if si not in links_u:
                links_u[si] = _unique_by_key(
                    [(lk.project, lk.project_id, "") for lk in reversed(by_si.get(si, []))]
                )
            found.append((links_u[si], f"{prop.lang}.in_view", si))
            if back:
                if si not in names_u:
                    names_u[si] = _unique_by_key([(n, pid, "") for n, pid in names(si)])
                found.append((names_u[si], f"{prop.lang}.named_before", si))
        found.append((lead_u, f"{prop.lang}.lead", 0))
        if (
            prop.lang == "ko"
            and not any(c.start >= 0 for c in prop.candidates)
            and not separate_amount(text, sentences[prop.si], prop.mention, prop.lang)
        ):
            found.append((lead_phrases, "", 0))  # only where its own sentence names nothing
        if unlabelled_row(text, prop.mention.start):
            found = []  # `|  |  | 14,707 |`: the row's label is lost; nothing from elsewhere
        WORK["view"] += len(prop.candidates)
        for entries, gen, si in found:
            for key, name, pid, own_gen in entries:
                WORK["view"] += 1
                if key in seen:
                    continue
                if len(seen) >= MAX_IN_VIEW:
                    break
                seen.add(key)
                prop.candidates.append(Candidate(name, pid, own_gen or gen, si=si))


def separate_amount(text: str, sentence: Sentence, m: MoneyMention, lang: str) -> bool:
    """The text calls the amount separate from the item in view (rules/<lang>/link.toml
    `separate_after`, matched right after it, and `separate_before`, searched in its
    sentence before it: `예산 120억원은 별도`, `이와 별도로 차량 구매에 N원`)."""
    cfg = config(lang)
    after = text[m.end : min(sentence.end, m.end + 16)]
    if any(rx.match(after) for rx in cfg.get("separate_after_re", ())):
        return True
    before = text[max(sentence.start, m.start - 40) : m.start]
    return any(rx.search(before) for rx in cfg.get("separate_before_re", ()))


MAX_IN_VIEW = 12  # candidates an amount may have before `_in_view` proposes no more


def _unique_by_key(items: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """(norm_key, name, id, generator) of each (name, id, generator) whose key is not
    empty and not that of an earlier one, in the order given."""
    out: list[tuple[str, str, str, str]] = []
    keys: set[str] = set()
    for name, pid, gen in items:
        key = norm_key(name)
        if key and key not in keys:
            keys.add(key)
            out.append((key, name, pid, gen))
    return out


def _name_verbs() -> frozenset[str]:
    """The verbs that end an English program name (english.program_names), built once per
    configuration by english._union."""
    from .english import _union

    return _union(config("en"), "name_verbs", "chunk_verbs_set", "headline_verbs_set")


def _lead_phrases(props: list[Proposal]) -> list[tuple[str, str, str]]:
    """Korean: the phrase next to a headline or lead amount that no rule named (`남원
    춘향테마파크 리모델링 165억원…`: only a chunk), with its shorter variants, as (name,
    id, generator): `ko.lead_phrase_next` for the phrase the amount attaches to (right
    before it, or with 에: `X에 N원`), `ko.lead_phrase` for another, `..._<kind>` for
    their korean.trimmed_variants; never a figure (`평균 매매가`). A body amount whose own
    sentence names nothing (`사업비는 165억원이다`) then has the article's item to weigh."""
    from .korean import trimmed_variants

    cfg = config("ko")
    figures = cfg["figure_nouns_set"] | cfg["subject_reject_set"]
    out: list[tuple[str, str, str]] = []
    for prop in props:
        if prop.lang != "ko" or prop.si >= HEADLINE_SENTENCES or prop.provisional.project:
            continue
        near = next((c for c in prop.candidates if c.start >= 0 and c.project), None)
        if near is None or any(near.project.replace(" ", "").endswith(w) for w in figures):
            continue
        attached = near.generator.endswith(("chunk_NEXT", "chunk_JKB"))
        gen = "ko.lead_phrase_next" if attached else "ko.lead_phrase"
        out.append((near.project, near.project_id, gen))
        for kind, a, b in trimmed_variants(near.project, 0, len(near.project), cfg):
            out.append((clean_project(near.project[a:b]), "", f"{gen}_{kind}"))
    return out


def _link_of(c: Candidate) -> ProjectLink:
    return ProjectLink(c.project, c.project_id, c.generator)


def _from_link(link: ProjectLink, generator: str) -> Candidate:
    return Candidate(link.project, link.project_id, generator)


# link rules whose project names the amount's own item well enough to be an article's topic
_NAMING = ("quoted", "np_head", "sentence_topic", "gazetteer", "clause_name", "for", "head_after")


def _topic(
    text: str,
    sentences: list[Sentence],
    props: list[Proposal],
    state: _State,
    gaz: gz.Gazetteer,
) -> None:
    """Propose the article's topic program for amounts of sentences about it.

    The topic is a name from the headline/lead (quoted, known, or a named head) or one the
    local rules linked, written at least twice in the article and more often than any
    other candidate. A sentence is about it when it repeats the name or its head word,
    refers back (`the program`, `사업비는`), or gives a per-person/per-unit amount; never
    when it names another item, a total, a revenue or a market (`topic_block`).
    """
    topic = _doc_topic(text, sentences, state, gaz)
    if topic is None:
        return
    name, pid = topic
    for pos, prop in enumerate(props):
        m = prop.mention
        if prop.negative or m.amount is None:
            continue
        sentence = _window_sentence(text, sentences[prop.si], m)
        if not _about_topic(text, sentence, m, name, prop.lang, state, prop.si):
            continue
        cand = Candidate(name, pid, f"{prop.lang}.topic")
        prop.candidates.append(cand)
        if not prop.provisional.project:
            prop.provisional = _link_of(cand)
            state.links[pos] = prop.provisional


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
        mod = _module(_sentence_lang(sentence))
        for name, pid in quoted + _named_in(text, sentence, mod, state.memo):
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
    if _noun_before(text, sentence, m, name, lang, state.memo):
        return False  # `특별교부세 186억원`: the amount's own noun wins over any topic
    if name.casefold() in low:
        return True
    head = name.split()[-1]
    generic = word_union(cfg, "generic_words_set?", "budget_heads_set?")
    if hangul_share(head) > 0.5 and len(head) >= 3 and head not in generic and head in sent:
        return True  # `에너지바우처` for `취약계층 에너지바우처`
    return any(rx.search(sent) for rx in cfg["topic_refer_re"])


def _noun_before(
    text: str, sentence: Sentence, m: MoneyMention, name: str, lang: str, memo: dict | None = None
) -> bool:
    """A noun (not part of the topic's name) stands right before a Korean amount, past
    qualifier words: `특별교부세 186억원`. (English has no tagger to tell that noun from
    the verb before an amount, `receive`.)"""
    if lang != "ko":
        return False
    cfg = config(lang)
    skip = cfg["skip_between_set"]
    tokens = _tokens_for(sentence, lang, memo)
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
    ignore = word_union(cfg, "topic_units_set", "generic_words_set", "leading_drop_set")
    return len(word) >= 3 and word not in ignore


def _tokens_for(sentence: Sentence, lang: str, memo: dict | None = None) -> list[Token]:
    """The sentence's tokens, or our own analysis when the segmenter gave none.

    With `memo` (one dict per document), a sentence is analysed once however often it
    is asked for; callers get a fresh list each time."""
    tokens = list(sentence.tokens)
    want_kiwi = lang == "ko"
    if tokens and (any(t.tag for t in tokens) == want_kiwi):
        return tokens
    key = ("tokens", sentence.start, sentence.text, lang)
    if memo is not None and key in memo:
        return list(memo[key])  # type: ignore[call-overload]
    from . import english, korean

    # The analysis is of the sentence's text alone (offsets relative to it), so one
    # analysis serves every sentence of the document written the same way (a headline
    # repeated as the lead, a recurring line): analysed once, shifted to each position.
    analysed = ("analysis", sentence.text, lang)
    relative = memo.get(analysed) if memo is not None else None
    if relative is None:
        relative = (korean.tokenize if want_kiwi else english.tokenize)(sentence.text)
        if memo is not None:
            memo[analysed] = relative
    tokens = [
        Token(t.text, t.start + sentence.start, t.end + sentence.start, t.tag) for t in relative
    ]
    if memo is not None:
        memo[key] = tokens
    return list(tokens)


class _LazyTokens(Sequence[Token]):
    """A sentence's tokens, analysed on first use (a module's `names` may read none)."""

    def __init__(self, analyse: Callable[[], list[Token]]):
        self._analyse = analyse
        self._tokens: list[Token] | None = None

    def _get(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = self._analyse()
        return self._tokens

    def __getitem__(self, i):  # type: ignore[override]
        return self._get()[i]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self) -> Iterator[Token]:
        return iter(self._get())


def _window_sentence(text: str, sentence: Sentence, m: MoneyMention) -> Sentence:
    """The sentence, or for a very long one the part within WINDOW_CHARS of the amount
    (so the work per amount is bounded whatever the sentence length)."""
    if sentence.end - sentence.start <= LONG_SENTENCE:
        return sentence
    lo = max(sentence.start, m.start - WINDOW_CHARS)
    hi = min(sentence.end, m.end + WINDOW_CHARS)
    starts = [t.start for t in sentence.tokens]
    a, b = bisect_left(starts, lo), bisect_left(starts, hi)
    tokens = [t for t in sentence.tokens[a:b] if t.end <= hi]
    return Sentence(lo, hi, text[lo:hi], sentence.lang, tokens)


class _Sentence:
    """One sentence prepared for its generators: tokens, quotes, known names."""

    def __init__(
        self,
        text: str,
        sentence: Sentence,
        ms: list[MoneyMention],
        gaz: gz.Gazetteer,
        memo: dict | None = None,
    ):
        self.text = text
        self.sentence = sentence
        self.lang = _sentence_lang(sentence)
        self.cfg = config(self.lang)
        self.tokens = _tokens_for(sentence, self.lang, memo)
        self.long = sentence.end - sentence.start > LONG_SENTENCE
        self.token_starts = [t.start for t in self.tokens]
        self.quotes = find_quotes(text, sentence.start, sentence.end)
        self.hits = _known_names(gaz, text, sentence, memo)
        self.ms = ms
        self.m_starts = [m.start for m in ms]

    def ctx(self, i: int) -> Ctx:
        """The context of mention i: the whole sentence, or a window of a long one."""
        m = self.ms[i]
        if not self.long:
            WORK["tokens"] += len(self.tokens)
            return Ctx(
                self.text, self.sentence, self.tokens, m, self.ms, i, self.quotes, self.cfg,
                self.hits,
            )  # fmt: skip
        lo = max(self.sentence.start, m.start - WINDOW_CHARS)
        hi = min(self.sentence.end, m.end + WINDOW_CHARS)
        window = Sentence(lo, hi, self.text[lo:hi], self.sentence.lang)
        a, b = bisect_left(self.token_starts, lo), bisect_left(self.token_starts, hi)
        tokens = [t for t in self.tokens[a:b] if t.end <= hi]
        j0, j1 = bisect_left(self.m_starts, lo), bisect_right(self.m_starts, hi)
        ms = [x for x in self.ms[j0:j1] if x.end <= hi or x is m]
        quotes = [q for q in self.quotes if lo <= q[0] and q[1] <= hi]
        hits = [h for h in self.hits if lo <= h.start and h.end <= hi]
        WORK["tokens"] += len(tokens)
        return Ctx(self.text, window, tokens, m, ms, ms.index(m), quotes, self.cfg, hits)


def _propose_sentence(
    text: str,
    sentences: list[Sentence],
    si: int,
    ms: list[MoneyMention],
    positions: list[int],
    state: _State,
    gaz: gz.Gazetteer,
    props: list[Proposal | None],
) -> None:
    """Candidates for the amounts of one sentence; their provisional links into `state`."""
    prep = _Sentence(text, sentences[si], ms, gaz, state.memo)
    lang, cfg, mod = prep.lang, prep.cfg, _module(prep.lang)
    tidy = getattr(mod, "tidy_span", None)  # English: spans that are no item cut or dropped
    out = [Proposal(si, m, lang) for m in ms]
    first: list[ProjectLink | None] = [None] * len(ms)  # provisional, as the cascade had it
    ctxs = [prep.ctx(i) for i in range(len(ms))]
    index = {id(m): i for i, m in enumerate(ms)}
    parent: dict[int, int] = {}  # i -> index of the amount whose bracket holds it
    for i in range(len(ms)):
        ctx = ctxs[i]
        out[i].negative = mod.negative(ctx)
        outer = _paren_parent(text, ctx.mentions, ctx.index)
        if outer is not None:
            parent[i] = index[id(ctx.mentions[outer])]
            out[i].parent = positions[parent[i]]
        spans = [
            _row_label(ctx, bullets=False),
            _paren_item(ctx),
            *mod.local(ctx),
            _row_label(ctx, bullets=True),
            *_pattern_spans(ctx),
        ]
        if tidy is not None:
            spans = [tidy(ctx, s) if s is not None else None for s in spans]
        for span in [s for s in spans if s is not None] + [None]:
            applied = _apply_gazetteer(ctx, span)
            if applied is not None:
                _add(out[i], _to_candidate(text, applied))
        if out[i].candidates and not out[i].negative and outer is None:
            first[i] = _link_of(out[i].candidates[0])
        # proposal-only generators: never the provisional link other amounts read
        for span in mod.chunks(ctx):
            if tidy is not None and (span := tidy(ctx, span)) is None:
                continue
            _add(out[i], _to_candidate(text, _apply_gazetteer(ctx, span) or span))

    def empty(i: int) -> bool:
        return not out[i].negative and out[i].parent is None and not (first[i] and first[i].project)

    # a split by funding source (`국비 4천800억원과 지방비 2천400억원`) shares one item
    for i in range(1, len(ms)):
        between = text[ms[i - 1].end : ms[i].start]
        a = first[i - 1]
        if a is not None and a.project and any(rx.search(between) for rx in cfg["source_split_re"]):
            _add(out[i], _from_link(a, f"{lang}.source_split"))
            if empty(i):
                first[i] = _link_of(out[i].candidates[-1])
    # a change (from A to B) shares one item
    for i in range(len(ms) - 1):
        between = text[ms[i].end : ms[i + 1].start]
        if not any(rx.search(between) for rx in cfg["change_between_re"]):
            continue
        a, b = first[i], first[i + 1]
        if b and b.project and not out[i].negative:
            _add(out[i], _from_link(b, f"{lang}.change_pair"))
            if empty(i):
                first[i] = _link_of(out[i].candidates[-1])
        if a and a.project and not out[i + 1].negative:
            _add(out[i + 1], _from_link(a, f"{lang}.change_pair"))
            if empty(i + 1):
                first[i + 1] = _link_of(out[i + 1].candidates[-1])
    _part_of(ctxs, si, out, first, empty, state, lang)
    # anaphora, the same figure earlier, per-unit rates, the weak guesses
    for i, m in enumerate(ms):
        if out[i].negative:
            continue
        ctx = ctxs[i]
        antecedent = _anaphora(ctx, sentences, si, state, mod)
        if antecedent is not None:
            _add(out[i], Candidate(antecedent[0], antecedent[1], f"{lang}.anaphora"))
            if empty(i):
                first[i] = _link_of(out[i].candidates[-1])
        unit = _per_unit_program(ctx, first, i, sentences, si, state)
        if unit is not None:  # provisional only when the article's topic does not claim it
            _add(out[i], Candidate(unit[0], unit[1], f"{lang}.per_unit"))
        same = _same_amount(m, state)
        if same is not None and same[1] < SAME_AMOUNT_FROM:
            if _noun_before(text, ctx.sentence, m, same[0].project, lang, state.memo):
                same = None  # the headline's figure, but the body names its own item here
        if same is not None:
            _add(out[i], _from_link(same[0], f"{lang}.same_amount"))
            if empty(i):
                first[i] = _link_of(out[i].candidates[-1])
        for span in mod.weak(ctx):
            if tidy is not None and (span := tidy(ctx, span)) is None:
                continue
            applied = _apply_gazetteer(ctx, span)
            if applied is not None:
                _add(out[i], _to_candidate(text, applied))
                if empty(i):
                    first[i] = _link_of(out[i].candidates[-1])
    for i, prop in enumerate(out):
        if i in parent:
            outer = first[parent[i]] or ProjectLink()
            if not outer.project and converted_twin(text, ms[parent[i]], ms[i]):
                # `€50 million ($54 million)`: the same money, whatever its item turns out
                # to be (link_document copies the outer amount's final choice)
                named = next((c for c in out[parent[i]].candidates if c.project), None)
                outer = _link_of(named) if named is not None else outer
            prop.candidates.insert(0, _from_link(outer, f"{lang}.paren_follow"))
            first[i] = replace(outer, rule=f"{lang}.paren_follow")
    generic = cfg["generic_projects_set"]
    negated = cfg.get("negated_leads_set", frozenset())
    for i, prop in enumerate(out):
        threshold = any(rx.match(text, ms[i].end) for rx in cfg["threshold_after_re"])

        def is_generic(project: str, threshold: bool = threshold) -> bool:
            # `projects worth 50 billion won or more`: a condition on generic items
            return (
                _generic_project(project, generic)
                or (threshold and _generic_project(project.split()[-1], generic))
                or _negated(project, negated)
            )

        lk = first[i]
        if lk is not None and lk.project and is_generic(lk.project):
            first[i] = ProjectLink("", "", lk.rule)
            prop.generic_first = True
        prop.candidates = [c for c in prop.candidates if c.project and not is_generic(c.project)]
        if lang == "ko":  # places and bodies alone are never the item (korean.place_or_body)
            if lk is not None and lk.project and mod.place_or_body(lk.project, cfg):
                first[i] = ProjectLink("", "", lk.rule)
            prop.candidates = [c for c in prop.candidates if not mod.place_or_body(c.project, cfg)]
    for i, pos in enumerate(positions):
        prop = out[i]
        prop.provisional = (first[i] or ProjectLink()) if not prop.negative else ProjectLink()
        state.links[pos] = prop.provisional
        props[pos] = prop
        if prop.negative:
            state.negative.add(pos)
        elif ms[i].amount is not None:
            state.last_amount[(ms[i].amount, ms[i].currency)] = (prop.provisional, si)


def _add(prop: Proposal, cand: Candidate) -> None:
    if cand.project:
        prop.candidates.append(cand)


def _part_of(
    ctxs: list[Ctx],
    si: int,
    out: list[Proposal],
    first: list[ProjectLink | None],
    empty,
    state: _State,
    lang: str,
) -> None:
    """`이 가운데 내년 예산은 N원`, `of which N won`: a part of the item named just before.

    An amount after a part-of cue takes the item of the nearest linked amount before
    the cue, in the sentence or else the previous sentence.
    """
    for i, ctx in enumerate(ctxs):
        if out[i].negative or out[i].parent is not None:
            continue
        text, m, cfg = ctx.text, ctx.mention, ctx.cfg
        cues = [
            c.start()
            for rx in cfg["part_of_re"]
            for c in rx.finditer(text, ctx.sentence.start, m.start)
        ]
        if not cues:
            continue
        cue = max(cues)
        ms = [p.mention for p in out]
        before = [lk for j, lk in enumerate(first[:i]) if ms[j].end <= cue and lk and lk.project]
        found = None
        if before:
            found = before[-1]
        elif not any(ms[j].end <= cue for j in range(i)) and si > 0:
            prev = [
                lk
                for pos in state.by_sentence.get(si - 1, [])
                if (lk := state.links.get(pos)) is not None and lk.project
            ]
            if prev and len({lk.project for lk in prev}) == 1:
                found = prev[-1]
        if found is not None:
            _add(out[i], _from_link(found, f"{lang}.part_of"))
            if empty(i):
                first[i] = _link_of(out[i].candidates[-1])


_GENERIC_LEAD = re.compile(r"^(?:the|a|an|such|these|those|its|their)\s+")


def _generic_project(project: str, generic: frozenset[str]) -> bool:
    """`projects`, `such policies`, `시범사업비`: a generic word alone is never a project."""
    words = _GENERIC_LEAD.sub("", project.casefold()).split()
    return " ".join(words) in generic or "".join(words) in generic


def _negated(project: str, leads: frozenset[str]) -> bool:
    """`No single project`: a phrase led by a negation (rules/*/link.toml negated_leads)
    names no item; `No Kid Hungry grants` (a capital after it) is a name."""
    words = project.split(maxsplit=2)
    return len(words) > 1 and words[0].lower() in leads and not words[1][:1].isupper()


def _same_amount(m: MoneyMention, state: _State) -> tuple[ProjectLink, int] | None:
    """(link, sentence) of the same figure earlier in the article (`25억원만 반영`)."""
    if m.amount is None:
        return None
    found = state.last_amount.get((m.amount, m.currency))
    if found is None or found[0].rule.endswith(".topic") or not found[0].project:
        return None
    return found


def _to_candidate(text: str, span: Span) -> Candidate:
    raw = span.text if span.text is not None else text[span.start : span.end]
    project = clean_project(raw)
    start, end = (span.start, span.end) if span.text is None else (-1, -1)
    pid = span.project_id if project else ""
    return Candidate(project, pid, span.rule, start, end, span.strength)


def _pattern_spans(ctx: Ctx) -> list[Span]:
    """Spans the `[[generator]]` patterns of the language's link rule files find.

    A generator's `before` regex must match the text just before the amount (from
    the line start or WINDOW_CHARS back, whichever is nearer), its `after` regex the
    text right after it; its named group `item` is the proposed span.
    """
    text, m = ctx.text, ctx.mention
    line = text.rfind("\n", max(0, m.start - WINDOW_CHARS), m.start) + 1
    lo = max(line, m.start - WINDOW_CHARS)
    hi = min(len(text), m.end + WINDOW_CHARS)
    nl = text.find("\n", m.end, hi)
    hi = nl if nl >= 0 else hi
    WORK["chars"] += (m.start - lo) + (hi - m.end)
    spans = []
    for gen in ctx.cfg.get("generators", []):
        rx = gen["rx"]
        if gen["side"] == "before":
            tail = item_tail(rx)
            if tail is not None and tail.search(text, lo, m.start) is None:
                continue  # the part after `item` matches nowhere: neither can the whole
            found = rx.search(text, lo, m.start)
        else:
            found = rx.match(text, m.end, hi)
        if found is None or found.start("item") < 0:
            continue
        s, e = found.span("item")
        if "trailing_words" in ctx.cfg:  # Korean: `이 가운데 X` -> `X`
            from .korean import trim_item

            s, e = trim_item(text, s, e, ctx.cfg)
        if any(o is not m and _overlaps(s, e, o.start, o.end) for o in ctx.mentions):
            continue
        spans.append(Span(s, e, f"{ctx.cfg['lang']}.{gen['name']}", gen.get("strength", "local")))
    return spans


_FLAGS_AT_START = re.compile(r"\(\?[aiLmsux]+\)")
_REFERS = re.compile(r"\(\?P=|\(\?\(|\\[1-9]|\\g<")


@lru_cache(maxsize=256)
def item_tail(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """The part of a `before` pattern after its `(?P<item>...)` group, compiled alone
    with the same flags, or None where that part cannot stand alone (the group is not
    at the top level, is quantified, the pattern has a top-level `|`, inline global
    flags, or the tail refers to a group).

    A necessary condition, exactly: wherever the whole pattern matches in
    text[pos:endpos], its tail matched a stretch of the same string with the same
    pos/endpos, so `tail.search(text, pos, endpos)` finds something. The tail (a cue
    word before the amount: `gets`, `, which costs`, `에`) is cheap to search; the
    whole pattern tries a lazy item at every position of the window."""
    pattern = rx.pattern
    if _FLAGS_AT_START.match(pattern):
        return None
    depth, i, n = 0, 0, len(pattern)
    item_depth_open, item_end = None, None
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: to its closing bracket
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            if pattern.startswith("(?P<item>", i):
                if depth != 0:
                    return None
                item_depth_open = depth
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0 and item_depth_open is not None and item_end is None:
                item_end = i
        elif c == "|" and depth == 0:
            return None
        i += 1
    if item_end is None or depth != 0:
        return None
    tail = pattern[item_end + 1 :]
    if tail[:1] in ("?", "*", "+", "{") or _REFERS.search(tail):
        return None
    try:
        return re.compile(tail, rx.flags)
    except re.error:
        return None


_TWIN_OPEN = re.compile(
    r"\s*[(（]\s*(?:(?:about|approx\.?|approximately|around|roughly|some|nearly|almost|"
    r"just\s+over|just\s+under|over|or|equivalent\s+to|약|≈|~)\s*)?$",
    re.IGNORECASE,
)
_TWIN_CLOSE = re.compile(r"\s*[)）]")


def converted_twin(text: str, outer: MoneyMention, inner: MoneyMention) -> bool:
    """`€50 million ($54 million)`, `3.9 trillion yen (about $25 billion)`: the bracket
    holds only the amount (with a qualifier), the same money written again in another
    currency or unit; both amounts have one item."""
    return bool(
        _TWIN_OPEN.fullmatch(text, outer.end, inner.start) and _TWIN_CLOSE.match(text, inner.end)
    )


def _paren_parent(text: str, ms: Sequence[MoneyMention], i: int) -> int | None:
    """The amount whose parenthesis holds mention i (`3억원(총사업비 97억원)`), if any."""
    m = ms[i]
    for j in range(i - 1, -1, -1):
        between = text[ms[j].end : m.start]
        opened = _OPENS.match(between)
        if opened and not _CLOSES.search(between):
            return j
        if _CLOSES.search(between):
            return None
    return None


_OPENS = re.compile(r"\s*[(（]")
_CLOSES = re.compile(r"[)）]")
_LETTER = re.compile(r"[A-Za-z가-힣]")
_WIDE_GAP_END = re.compile(r"\S {2,}$")
_CELL = re.compile(r"[^|\t]+?(?= {2,}|\||\t|$)")
_TRAILING_BRACKET = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


_CELL_SEP = re.compile(r"\||\t| {2,}")
_BORDER = re.compile(r"[|｜│]")
_FIGURE = re.compile(r"[-−△]?\d[\d,.]*")
_YEAR_CELL = re.compile(r"(?:19|20)\d\d(?:년도?|년|FY)?|[‘’']\d\d(?:년)?")
_RULE_LINE = re.compile(r"[|｜│+:\s-]*-{2,}[|｜│+:\s-]*")


def _row_cells(line: str) -> list[str]:
    """The cells of a markdown-style row (`| a | b |`), outer borders dropped."""
    cells = [c.strip() for c in _BORDER.split(line.strip())]
    if cells and not cells[0]:
        cells.pop(0)
    if cells and not cells[-1]:
        cells.pop()
    return cells


def _numeric_cells(cells: list[str]) -> list[str]:
    return [c for c in cells if _FIGURE.fullmatch(c) or re.fullmatch(r"[-−△]\s\d[\d,.]*", c)]


def title_row(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a table's title row: a bordered row (`| 연도 |
    예산액 본예산 | 집행액 |`) with no figure but years, whose next row (past a `|---|`
    line) holds figures. Its cells title the columns; tester20: `예산액 본예산` was
    given as the project of every cell under it."""
    line = text[start:end]
    if "\n" in line.strip() or len(_BORDER.findall(line)) < 3:
        return False
    cells = _row_cells(line)
    if any(_FIGURE.fullmatch(c) and not _YEAR_CELL.fullmatch(c) for c in cells):
        return False
    pos = text.find("\n", end)
    for _ in range(2):
        if pos < 0:
            return False
        nxt = text.find("\n", pos + 1)
        row = text[pos + 1 : nxt if nxt >= 0 else len(text)]
        if not _RULE_LINE.fullmatch(row.strip()):
            break
        pos = nxt
    else:
        return False
    numeric = _numeric_cells(_row_cells(row)) if _BORDER.search(row) else []
    return any(not _YEAR_CELL.fullmatch(c) for c in numeric)


def unlabelled_row(text: str, pos: int) -> bool:
    """Whether the amount at `pos` stands in a bordered table row whose cells before
    its first figure are all empty (`|  |  | 14,707 | 971 |`: a PDF table finder put the
    sub-rows' labels into the parent's cell): the row's item is unknown, and the
    article's item is no guess for it (tester20: 경상지출 went to 통합재정수지)."""
    line_start = text.rfind("\n", 0, pos) + 1
    prefix = text[line_start:pos]
    if not prefix.lstrip().startswith(("|", "｜", "│")):
        return False
    head = []
    for c in _row_cells(prefix + "|"):
        if _FIGURE.fullmatch(c) or re.fullmatch(r"[-−△]\s\d[\d,.]*", c):
            break
        head.append(c)
    return bool(head) and not any(head)


_BULLET = re.compile(r"\s*(?:[▲■□○●◆◇\-·•*△▶◦]|\d{1,2}[.)]|[①-⑳])\s*")


def _row_label(ctx: Ctx, bullets: bool) -> Span | None:
    """The item of a table row or `- item: ... AMOUNT` bullet the mention stands in."""
    text, ms, m = ctx.text, ctx.mentions, ctx.mention
    lo = max(0, m.start - WINDOW_CHARS)
    line_start = text.rfind("\n", lo, m.start) + 1 or lo
    first = min((x.start for x in ms if line_start <= x.start <= m.start), default=m.start)
    prefix = text[line_start:first]
    if not bullets:
        if not _CELL_SEP.search(prefix.strip(" ")) and not _WIDE_GAP_END.search(prefix):
            return None
        cells = [
            c
            for c in _CELL.finditer(prefix)
            if _LETTER.search(c.group())  # not a count cell left unread
            and not _unit_cell(c.group())  # `| 백만원 |`: a unit, no row's name (tester22)
        ]
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
    label = _label_before_definition(label)
    label = _TRAILING_BRACKET.sub("", label)  # `조성(유형Ⅰ)` -> `조성`
    label = label.strip(" \t:,-–·")
    bullet = _BULLET.match(label)
    if bullet and bullet.end():
        start += text[start:end].find(label) + bullet.end()
        label = label[bullet.end() :]
    if not _LETTER.search(label) or len(label) > 60 or len(label.split()) > 10:
        return None
    offset = text.find(label, start, end + 1)
    if offset < 0:
        return None
    return Span(offset, offset + len(label), f"{ctx.cfg['lang']}.table_row", "clause")


def _unit_cell(cell: str) -> bool:
    """A table cell holding only a unit (`백만원`, `억원`, `$ millions`: tables.parse_unit),
    which names how the row is counted, never the row's item."""
    from ..money.tables import parse_unit

    cell = cell.strip(" \t|")
    return bool(cell) and not any(ch.isdigit() for ch in cell) and parse_unit(cell) is not None


def _label_before_definition(label: str) -> str:
    """A row label cell that writes the label again before its definition (HWP tables
    with a footnote merged into the cell: `경상지출 경상지출 : 인건비, 임차료, ...`,
    `순융자 순 융 자 : 융자지출 - 융자회수`): the label, once. Too long to be a label
    whole, such a sub-row had no label and its cells went to the article's item."""
    words = label.split()
    if len(words) < 2:
        return label
    first = words[0]
    for k in range(2, len(words) + 1):
        joined = "".join(words[1:k]).rstrip(":")
        if joined == first:
            return label[: label.find(first) + len(first)]
        if len(joined) >= len(first):
            break
    return label


_ITEM_MARK = re.compile(r"[▲■□○●◆◇•△▶◦①-⑳]|^\s*(?:[-·*]|\d{1,2}[.)])\s|\)\s*,\s*", re.M)


def _paren_item(ctx: Ctx) -> Span | None:
    """`▲대구 도시철도 엑스코선(7,800억원)`, `- 청년 월세 지원(240억원)`: a list item whose
    amount stands in parentheses after it; the item is the text from its marker to `(`."""
    text, ms, m = ctx.text, ctx.mentions, ctx.mention
    lo = max(0, m.start - WINDOW_CHARS)
    line_start = text.rfind("\n", lo, m.start) + 1 or lo
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
    end = offset + len(stripped)
    if "trailing_words" in ctx.cfg:  # Korean
        if re.search(r"[가-힣](?:은|는)\s", stripped):
            return None  # `○ 국비는 올해(1조790억원)보다`: a clause's topic, not a list item
        from .korean import trim_item

        offset, end = trim_item(text, offset, end, ctx.cfg)
    return Span(offset, end, f"{ctx.cfg['lang']}.paren_item", "local")


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
        same_paragraph = "\n" not in ctx.text[prev.end : sentences[si].start]
        if si - 1 not in state.anaphor_in:  # once per sentence, not per amount
            state.anaphor_in[si - 1] = any(rx.search(prev.text) for rx in cfg["anaphora_re"])
        has = same_paragraph and state.anaphor_in[si - 1]
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
            state.named[back] = _named_in(ctx.text, sentences[back], mod, state.memo)
        if state.named[back]:
            return _unique(state.named[back])
    return None


def _per_unit_program(
    ctx: Ctx,
    links: list[ProjectLink | None],
    i: int,
    sentences: list[Sentence],
    si: int,
    state: _State,
) -> tuple[str, str] | None:
    """`ha당 136만원`, `$35 per kilowatt-hour`: a rate of the program named just before, in
    the sentence (the nearest linked amount) or the previous one (when it names one)."""
    after = ctx.text[ctx.mention.end : min(ctx.sentence.end, ctx.mention.end + 16)]
    if not any(rx.match(after) for rx in ctx.cfg["per_unit_after_re"]):
        return None
    for lk in reversed(links[:i]):
        if lk is not None and lk.project:
            return lk.project, lk.project_id
    if si == 0 or "\n\n" in ctx.text[sentences[si - 1].end : sentences[si].start]:
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
            ctx.text, sentences[si - 1], _module(_sentence_lang(sentences[si - 1])), state.memo
        )
    return _unique(state.named[si - 1]) if state.named[si - 1] else None


def _footnote_antecedent(ctx: Ctx) -> tuple[str, str] | None:
    """`* This project ...` explains the quoted name marked `"..." *` earlier."""
    head = ctx.text[ctx.sentence.start : ctx.sentence.end].lstrip()
    if head[:1] not in {"*", "※"}:
        return None
    lo = max(0, ctx.sentence.start - FOOTNOTE_REACH)
    marks = list(re.finditer(r"[\"”'’」』]\s*\*", ctx.text[lo : ctx.sentence.start]))
    if not marks:
        return None
    close = lo + marks[-1].start()
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


def _named_in(
    text: str, sentence: Sentence, mod, memo: dict | None = None
) -> list[tuple[str, str]]:
    """Project names a sentence mentions: known names, quoted names, named heads.

    With `memo` (one dict per document), computed once per sentence and module."""
    key = ("named", sentence.start, sentence.end, mod.__name__)
    if memo is not None and key in memo:
        return list(memo[key])  # type: ignore[call-overload]
    named = _find_named(text, sentence, mod, memo)
    if memo is not None:
        memo[key] = named
    return list(named)


def _known_names(
    gaz: gz.Gazetteer, text: str, sentence: Sentence, memo: dict | None
) -> list[gz.GazetteerHit]:
    """Known names in the sentence (once per document with `memo`)."""
    key = ("known", sentence.start, sentence.end)
    if memo is None:
        return gaz.find(text, sentence.start, sentence.end)
    if key not in memo:
        memo[key] = gaz.find(text, sentence.start, sentence.end)
    return list(memo[key])  # type: ignore[call-overload]


def _find_named(text: str, sentence: Sentence, mod, memo: dict | None) -> list[tuple[str, str]]:
    if title_row(text, sentence.start, sentence.end):
        return []  # `| 연도 | 예산액 본예산 | 집행액 |`: column titles, no project of the rows
    lang = _sentence_lang(sentence)
    cfg = config(lang)
    quotes = find_quotes(text, sentence.start, sentence.end)
    may_name = getattr(mod, "may_name", None)
    if may_name is not None and not may_name(text, sentence, quotes, cfg):
        spans: list[tuple[int, int]] = []  # no analysis needed: it could name nothing
    elif may_name is not None:
        spans = mod.names(text, sentence, _tokens_for(sentence, lang, memo), quotes, cfg)
    else:  # analysed only if the module's `names` reads the tokens (English reads none)
        tokens = _LazyTokens(lambda: _tokens_for(sentence, lang, memo))
        spans = mod.names(text, sentence, tokens, quotes, cfg)
    hits = _known_names(gz.load(), text, sentence, memo)
    named: list[tuple[int, str, str]] = []
    for h in hits:
        named.append((h.start, clean_project(text[h.start : h.end]), h.project_id))
    for s, e in spans:
        if any(_overlaps(s, e, h.start, h.end) for h in hits):
            continue
        named.append((s, clean_project(text[s:e]), ""))
    return [(name, pid) for _s, name, pid in sorted(named) if name]
