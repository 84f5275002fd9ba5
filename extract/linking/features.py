"""Features of each candidate: what the scorer weighs (names are the keys of
rules/link_weights.toml).

A mention's candidates are first merged by name (two generators proposing the same
name make one candidate that carries both), then each gets a sparse feature dict
{name: value}. The "no project" choice is a candidate too, with its own features
(prefixed `none:`): a negative cue before the amount, how many candidates there are.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Sentence
from . import english
from .context import HEADLINE_SENTENCES, QUOTE_CHARS, config, norm_key
from .generators import Candidate, Proposal

_NEXT = (".chunk_NEXT", ".chunk_next")  # generators of the phrase right before an amount
RECUR_PREFIX = 50_000  # characters of the article where a name's recurrence is counted
NEG_BEFORE = 30  # characters before an amount where a no-project word counts
NEG_AFTER = 12  # ... and after it
KIND_BEFORE = 60  # characters before an amount, in its sentence, where a no-project kind counts
KIND_AFTER = 15  # ... and after it
KIND_TAIL = 10  # characters after a kind word where a name head makes it a name
# patterns of the hot paths, compiled once (module-level `re.search` looks each up per call)
_CLAUSE_PUNCT = re.compile(r"[,;:]")
_LATIN_LOWER = re.compile(r"[a-z]+")
_WORD_KO_EN = re.compile(r"[가-힣A-Za-z]+")


@dataclass
class Choice:
    """One thing the scorer may pick for a mention: a merged candidate or no project."""

    project: str  # "" for no project
    project_id: str
    generators: list[str]  # every generator that proposed it, in precedence order
    features: dict[str, float] = field(default_factory=dict)
    start: int = -1
    end: int = -1
    back: int = 0  # sentences between the amount and where the name was found


class DocFacts:
    """Facts about the whole article, computed once per document."""

    def __init__(
        self, text: str, sentences: list[Sentence], amounts: list[tuple[int, int]] | None = None
    ):
        self.text = text
        self.sentences = sentences
        # (start, end) of every money mention of the document, sorted (English
        # `_english_between_features`: another amount between a phrase and its amount)
        self.amounts = sorted(amounts or [])
        self.amount_starts = [a for a, _b in self.amounts]
        self.folded = text[:RECUR_PREFIX].casefold()
        lead_end = sentences[min(HEADLINE_SENTENCES, len(sentences)) - 1].end if sentences else 0
        self.headline = sentences[0].text.casefold() if sentences else ""
        self.lead = text[:lead_end].casefold()
        self._counts: dict[str, int] = {}
        self._cue: dict[int, bool] = {}
        self._starts: dict[int, list[int]] = {}
        self._folded_sents: dict[int, str] = {}
        self._per_unit: dict[tuple, bool] = {}  # per amount, asked once per candidate

    def folded_sentence(self, si: int) -> str:
        """Sentence si's first 2,000 characters, case-folded (memoised)."""
        folded = self._folded_sents.get(si)
        if folded is None:
            folded = self._folded_sents[si] = self.sentences[si].text[:2000].casefold()
        return folded

    def token_starts(self, si: int) -> list[int]:
        """Start offsets of sentence si's tokens (for bisecting; memoised)."""
        if si not in self._starts:
            self._starts[si] = [t.start for t in self.sentences[si].tokens]
        return self._starts[si]

    def cue(self, si: int, lang: str) -> bool:
        """Sentence si has a word that points back (`이 사업`, `the program`)."""
        if si not in self._cue:
            cfg = config(lang)
            sent = self.sentences[si].text[:2000]
            res = cfg["anaphora_re"] + cfg["topic_refer_re"]
            self._cue[si] = any(rx.search(sent) for rx in res)
        return self._cue[si]

    def count(self, name: str) -> int:
        key = name.casefold()
        if key not in self._counts:
            self._counts[key] = self.folded.count(key) if key else 0
        return self._counts[key]


def choices(prop: Proposal, facts: DocFacts) -> list[Choice]:
    """The mention's choices: its merged candidates (precedence order), then no project."""
    merged: dict[str, Choice] = {}
    order: list[tuple[Choice, int, Candidate]] = []
    for rank, c in enumerate(prop.candidates):
        key = norm_key(c.project)
        if not key:
            continue
        if key in merged:
            ch = merged[key]
            for g in (c.generator, c.parent):
                if g and g not in ch.generators:
                    ch.generators.append(g)
            if c.project_id and not ch.project_id:
                ch.project_id = c.project_id
            if c.si < 0:
                ch.back = 0
            continue
        back = prop.si - c.si if c.si >= 0 else 0
        gens = [c.generator, c.parent] if c.parent and c.parent != c.generator else [c.generator]
        ch = Choice(c.project, c.project_id, gens, start=c.start, end=c.end, back=back)
        merged[key] = ch
        order.append((ch, rank, c))
    provisional = norm_key(prop.provisional.project)
    # a noun phrase right before the amount (`특별교부세 186억원`), and how many items each
    # earlier sentence offers (two programs in view: `the program` is ambiguous)
    next_to = {norm_key(c.project) for c in prop.candidates if c.generator.endswith(_NEXT)}
    per_back: dict[int, int] = {}
    for ch, _rank, c in order:
        if c.start < 0:
            per_back[ch.back] = per_back.get(ch.back, 0) + 1
    out = []
    keys = [norm_key(ch.project) for ch, _rank, _c in order]
    seen_kinds: dict[str, int] = {}
    # where the sentence's first proposed phrase starts (English `first_named`), once
    sent_start = facts.sentences[prop.si].start
    first_named = min(
        (o.start for o in prop.candidates if o.start >= sent_start and o.project), default=-1
    )
    for (ch, rank, c), key in zip(order, keys, strict=True):
        ch.features = _candidate_features(ch, rank, c, prop, facts, provisional, first_named)
        if c.start < 0:
            if next_to - {norm_key(ch.project)}:
                ch.features["other_noun_next_to_amount"] = 1.0
            if ch.back and per_back.get(ch.back, 0) > 1:
                ch.features["several_in_that_sentence"] = 1.0
                if "cue_points_back" in ch.features:  # `the program` of two (gen-en)
                    ch.features["ambiguous_anaphor"] = 1.0
        # its rank among the candidates of its kind (the nearest chunk, the first rule hit)
        kind = candidate_kind(ch)
        ch.features[f"kind_rank:{kind}:{min(seen_kinds.get(kind, 0), 3)}"] = 1.0
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        # a longer or shorter variant of another candidate (`청주시 신청사 건립` / `신청사 건립`)
        outer = [
            o
            for (o, _r, _c), other in zip(order, keys, strict=True)
            if key != other and key in other
        ]
        if outer:
            ch.features["inside_other"] = 1.0
            if prop.lang == "ko" and any(
                facts.count(ch.project) > facts.count(o.project) for o in outer
            ):
                ch.features["recurs_alone:ko"] = 1.0  # the article writes it without the rest
        inner = [
            oc
            for (_o, _r, oc), other in zip(order, keys, strict=True)
            if other != key and other in key
        ]
        if inner:
            ch.features["contains_other"] = 1.0
            if prop.lang == "ko" and facts.count(ch.project) >= 2:
                ch.features["recurs_whole:ko"] = 1.0  # the article repeats the longer name
        for oc in inner:  # a shorter variant of it was proposed (`rebuild the X` -> `X`)
            if oc.generator.startswith(("en.trim_", "ko.trim_")):
                ch.features[f"has_variant:{oc.generator[8:]}"] = 1.0
        out.append(ch)
    if prop.lang == "en":
        _source_beside_use(out)
    out.append(Choice("", "", ["none"], _none_features(prop, facts, len(out))))
    _cue_features(out, prop)
    if prop.lang == "ko":
        _verb_features(out, prop, facts)
    if prop.lang == "en":
        _english_between_features(out, prop, facts)
        _english_share_features(out, prop, facts)
        _english_first_word(out)
    for ch in out:
        ch.features = by_language(ch.features, prop.lang)
    return out


_USE_GENERATORS = ("en.for", "en.to_purpose", "en.recipient_for", "en.chunk_after_for")


def _source_beside_use(out: list[Choice]) -> None:
    """`£7.2m from its general fund to pay for the library`: where the sentence names
    what the money is spent on, a source of it (`from X`, a `source` head) gets the
    feature `en_source_beside_use` (the scorer weighs it)."""
    uses = {id(ch) for ch in out if any(g in _USE_GENERATORS for g in ch.generators)}
    if not uses:
        return
    for ch in out:
        source = "en_head:source" in ch.features or "gen:en.chunk_after_from" in ch.features
        if source and id(ch) not in uses:
            ch.features["en_source_beside_use"] = 1.0


# generators that propose widely (every noun phrase, every item in view)
BROAD = (".chunk_", ".lead", ".in_view", ".named_before")


def candidate_kind(ch: Choice) -> str:
    """`rule_local` (a narrow rule found it near the amount), `rule_far` (a narrow rule,
    from another amount or sentence), `chunk` (only a noun phrase of the sentence), `lead`
    (only a headline/lead name), `far` (only an item in view), or `none`."""
    if not ch.project:
        return "none"
    if any(not any(b in g for b in BROAD) for g in ch.generators):
        return "rule_local" if ch.start >= 0 else "rule_far"
    if ch.start >= 0:
        return "chunk"
    if len(ch.generators) == 1 and ".lead" in ch.generators[0]:
        return "lead"
    return "far"


def by_language(f: dict[str, float], lang: str) -> dict[str, float]:
    """Each language-neutral feature twice: shared, and as `<lang>|name`, so the scorer
    may weigh a cue differently in Korean and English (features already naming the
    language or a generator, which names it, are not copied)."""
    out = dict(f)
    copies = _copies.get(lang)
    if copies is None:
        copies = _copies[lang] = {}
    for key, value in f.items():
        copy = copies.get(key, _NEW)
        if copy is _NEW:
            copy = _language_copy(key, lang)
        if copy is not None:
            out[copy] = value
    return out


_NEW = object()
# by_language's answer per language and feature name
_copies: dict[str, dict[str, str | None]] = {}


def _language_copy(key: str, lang: str) -> str | None:
    """`<lang>|key`, or None for a feature that names its language or generator; kept
    (feature names are a bounded set of rule and generator names; cleared if not)."""
    if ":ko" in key or ":en" in key or key.startswith(("gen:", "none:neg:")):
        copy = None
    else:
        copy = f"{lang}|{key}"
    copies = _copies.setdefault(lang, {})
    if len(copies) > 50_000:
        copies.clear()
    copies[key] = copy
    return copy


def _cue_features(out: list[Choice], prop: Proposal) -> None:
    """The amount's sentence points to an item named elsewhere (`국비는 N원`, `이 가운데`,
    no item named: article.py): a feature of the article's main item, of the other
    candidates from elsewhere, and of no project, one per cue."""
    split = bool(config(prop.lang).get("article_cues"))
    for ch in out:
        main = any(g.endswith(".article_item") for g in ch.generators)
        # own weights, in a language with article cues, for a candidate from elsewhere
        # and for an empty precedence order (replacing the shared ones), so what the
        # article items teach about Korean articles stays Korean
        if split and ch.features.pop("from_elsewhere", None):
            ch.features[f"from_elsewhere:{prop.lang}"] = 1.0
        if split and ch.features.pop("none:precedence_empty", None):
            ch.features[f"none:precedence_empty:{prop.lang}"] = 1.0
        for cue in prop.cues:
            if not ch.project:
                ch.features[f"none:cue:{cue}"] = 1.0
            elif main:
                ch.features[f"cue:{cue}|main"] = 1.0
            elif ch.start < 0:
                ch.features[f"cue:{cue}|elsewhere"] = 1.0
            elif cue.endswith("_row"):  # the row's own label (`▲부산:`, `1인 가구`)
                ch.features[f"cue:{cue}|local"] = 1.0


@lru_cache(maxsize=8)
def _budget_heads(lang: str) -> tuple[str, ...]:
    """The language's budget head words, case-folded, as one tuple for str.endswith."""
    cfg = config(lang)
    return tuple(h.casefold() for h in cfg.get("budget_heads") or cfg.get("name_heads", []))


_ROW_FIGURE = re.compile(r"[-−△▲▽]?\d")
# the rest of a table row's gap once its first figure starts: figures and borders only
_ROW_REST = re.compile(r"(?:[-−△▲▽]?\s?[\d,.]+%?|[|\t ]+|-)+")


def _bucket(name: str, value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"{name}<={edge}"
    return f"{name}>{edges[-1]}"


def _candidate_features(
    ch: Choice,
    rank: int,
    c: Candidate,
    prop: Proposal,
    facts: DocFacts,
    provisional: str,
    first_named: int,
) -> dict[str, float]:
    lang = prop.lang
    f: dict[str, float] = {"bias": 1.0, f"lang:{lang}": 1.0}
    empty = not provisional
    for g in ch.generators:
        f[f"gen:{g}"] = 1.0
        if empty:  # the precedence order found nothing: which generators to trust then
            f[f"gen:{g}|first_empty"] = 1.0
    if empty:
        f["first_empty"] = 1.0
    f["n_generators"] = min(len(ch.generators), 4) / 4
    f[_bucket("rank", rank, (0, 1, 3))] = 1.0
    if norm_key(ch.project) == provisional:
        f["precedence_first"] = 1.0
    if ch.project_id:
        f["known_name"] = 1.0
    m = prop.mention
    cfg = config(lang)
    words = ch.project.split()
    last = words[-1].casefold() if words else ""
    if c.start >= 0:
        if c.start >= m.end:
            f["span_after"] = 1.0
            dist = c.start - m.end
        else:
            dist = max(0, m.start - c.end)
        gap = facts.text[min(c.end, m.start) : max(c.end, m.start)] if c.end <= m.start else ""
        if gap and any(g.endswith(".table_row") for g in ch.generators):
            # a row's cells share its label: measured to the row's first cell, so the
            # 2026 column is as near its label as the 2025 one (tester20: the second
            # cell, past `1,430,043 |`, went to the article's item)
            first = _ROW_FIGURE.search(gap)
            if first is not None and not _ROW_REST.fullmatch(gap, first.start()):
                first = None
            if first is not None:
                gap = gap[: first.start()]
                dist = len(gap)
        f[_bucket("dist_chars", dist, (2, 10, 40, 120))] = 1.0
        if _CLAUSE_PUNCT.search(gap):
            f["punct_between"] = 1.0
        elif c.end <= m.start and gap.strip().casefold() in _budget_heads(lang):
            # only a money word between the item and its amount: `인공지능 전략사업 예산 153억원`
            f["budget_word_between"] = 1.0
        if c.start > 0 and facts.text[c.start - 1] in QUOTE_CHARS:
            f["quoted"] = 1.0
    else:
        f["from_elsewhere"] = 1.0
        f[_bucket("sentences_back", ch.back, (0, 1, 2))] = 1.0
        if facts.cue(prop.si, lang):
            f["cue_points_back"] = 1.0
        sent = facts.folded_sentence(prop.si)
        if ch.back and ch.project.casefold() in sent:
            f["name_in_sentence"] = 1.0  # named again in the amount's own sentence
        elif ch.back and len(last) >= 2 and last in sent:
            f["head_in_sentence"] = 1.0  # its head word is (`바우처`, `the fund`)
        if per_unit_after(prop, facts):
            f["per_unit_amount"] = 1.0  # `1인당 30만원`: a rate of a program named before
        if per_unit_before(prop, facts):
            f["per_unit_before"] = 1.0  # `Each region will receive N`, `가구당 N`
        if 0 < ch.back <= 3:
            lo = facts.sentences[prop.si - ch.back].end
            hi = min(facts.sentences[prop.si].start, lo + 5000)
            if "\n\n" in facts.text[lo:hi]:
                f["paragraph_between"] = 1.0
    if c.strength == "clause":
        f["clause_level"] = 1.0
    name = ch.project.casefold()
    if name in facts.headline:
        f["in_headline"] = 1.0
    elif name in facts.lead:
        f["in_lead"] = 1.0
    count = facts.count(ch.project)
    f["recurrence"] = min(math.log2(1 + count), 4.0) / 4
    f[_bucket("words", len(words), (1, 3, 6, 10))] = 1.0
    purpose = any(g.endswith(("to_purpose", "to_name")) for g in ch.generators)
    if purpose and last in cfg.get("generic_projects_set", frozenset()):
        # `to develop tailored AI projects`: a generic object after a purpose verb is not
        # a name head (unlike `to bury 31 miles of lines`, or `the smart farm project`)
        f["purpose_generic_head"] = 1.0
    elif last.endswith(_budget_heads(lang)):
        f["budget_head"] = 1.0
    if last:  # the head word (Korean: its last two letters, `교부세` -> `부세`)
        f[f"head:{lang}:{last[-2:] if lang == 'ko' else last}"] = 1.0
    recipients = cfg.get("recipient_words_set", frozenset())
    if words and (words[0].casefold() in recipients or last in recipients):
        f["recipient_word"] = 1.0  # `Households receiving ...`: who gets it, not the item
    if prop.negative:
        f["negative_cue"] = 1.0
    if prop.parent is not None:
        f["in_bracket"] = 1.0
    if lang == "ko" and c.start >= 0:
        f.update(korean_grammar(c.start, c.end, prop, facts))
    if lang == "en" and c.start >= 0:  # what the head of a phrase around the amount
        # names: a program, a recipient, an agent ... (names from elsewhere have their own)
        f[f"en_head:{english.head_class(ch.project, cfg)}"] = 1.0
        sent = facts.sentences[prop.si]
        for name in english.role_features(
            facts.text, sent.start, c.start, c.end, m.start, c.start == first_named, cfg
        ):
            f[name] = 1.0
    return f


_CLAUSE_ENDS = {"EC", "EF"}  # Kiwi tags of a connective or final ending: a clause ends
_NOUNS = {"NNG", "NNP", "SL", "SH"}
_TOPIC = {"JX", "JKS"}  # topic and subject particles


def korean_grammar(start: int, end: int, prop: Proposal, facts: DocFacts) -> dict[str, float]:
    """What the Kiwi morphemes of the amount's sentence (analysed once by the segmenter:
    no new analysis here) say of a candidate span in it: a clause ends (EC/EF:
    `6천억원을 들여 ... 자원을 확충`) or a modifier clause (ETM) stands between the span
    and the amount, and the span holds the sentence's first noun and is its topic or
    subject (what the sentence is about: `지방소멸대응기금은 ... 1,152억 원이 배분된다`)."""
    toks = facts.sentences[prop.si].tokens
    if not toks:
        return {}
    starts = facts.token_starts(prop.si)
    m = prop.mention
    if end <= m.start:
        between = toks[bisect_left(starts, end) : bisect_left(starts, m.start)]
    else:
        between = toks[bisect_left(starts, m.end) : bisect_left(starts, start)]
    f: dict[str, float] = {}
    if any(t.tag in _CLAUSE_ENDS for t in between):
        f["clause_between:ko"] = 1.0
    elif any(t.tag == "ETM" for t in between):
        f["modifier_between:ko"] = 1.0
    inside = toks[bisect_left(starts, start) : bisect_left(starts, end)]
    nouns = [t for t in inside if t.tag in _NOUNS or t.tag == "XSN"]
    cfg = config("ko")
    name = facts.text[start:end]
    if name.replace(" ", "") in cfg.get("region_words_set", frozenset()) or (
        nouns and all(t.tag == "NNP" for t in nouns) and len(nouns) <= 2
    ):
        f["place_only:ko"] = 1.0  # `▲경기: 780억원`, `비수도권 N원`: where, not what
    kind = _korean_head(name, inside, cfg)
    if kind:
        f[f"ko_head:{kind}"] = 1.0
    after = facts.text[end : end + 10]
    if any(rx.match(after) for rx in cfg["basis_after_re"]):
        f["basis_after:ko"] = 1.0  # `1인 가구 기준 월 36만원`, `유형에 따라`: counted by it
    elif _TO_WHOM.match(after):
        f["to_whom:ko"] = 1.0  # `병장에게`, `귀어 창업자에게는`: who gets it, not what
    elif _FOR_WHAT.match(after):
        f["for_what:ko"] = 1.0  # `청년농을 위한 X`, `공원 조성을 위한 X`: whom or what X serves
    first = next((t for t in toks if t.tag in _NOUNS), None)
    if first is not None and start <= first.start and first.end <= end:
        nxt = bisect_left(starts, end)
        if nxt < len(toks) and toks[nxt].tag in _TOPIC:  # `X는 ...`, `X가 ...` opens it
            f["sentence_first:ko"] = 1.0
    return f


_TO_WHOM = re.compile(r"(?:에게|한테)(?:는|도|만)?(?:\s|$)")
_FOR_WHAT = re.compile(r"(?:을|를)?\s*위한\s")


def _korean_head(name: str, inside: list, cfg: dict) -> str:
    """What the last word of a Korean candidate names, by rules/ko/link.toml's lists:
    `count` (`112곳`, `기업 6곳`, `사업 7건`: how many, not which), `source` (`세계잉여금`,
    `대학 자부담`, `사학진흥기금 융자`: where the money comes from), `agent` (`운영사`,
    `민간기업`, `예결위`: who pays or decides), `fee` (`참가비`, `주차료`, `행사 입장권`: a
    price someone pays, empty by LABELED_SET.md), `recipient` (`1인 가구`, `무주택 청년`,
    `소상공인`: who gets it, not what it is for), `figure` (`지원 상한`, `최종 반영액`, `국비
    비중`: the money itself, not its item), `time` (`출생 직후`, `기본계획 당시`: when), or ""
    (anything else)."""
    if (
        inside
        and inside[-1].tag in {"NNB", "NNG", "SN"}
        and (inside[-1].tag == "SN" or (len(inside) > 1 and inside[-2].tag == "SN"))
    ):
        return "count"
    words = name.split()
    last = words[-1] if words else ""
    if last.endswith(tuple(cfg.get("fee_heads", ()))):
        return "fee"
    if last.endswith(tuple(cfg.get("source_heads", ()))):
        return "source"
    if last.endswith(tuple(cfg.get("payer_heads", ()))):
        return "agent"
    if last.endswith(tuple(cfg.get("recipient_heads", ()))):
        return "recipient"
    if last.endswith(tuple(cfg.get("figure_heads", ()))):
        return "figure"
    if last.endswith(tuple(cfg.get("time_heads", ()))) or last in cfg.get("time_words_set", ()):
        return "time"
    return ""


VERB_TOKENS = 10  # tokens after a Korean amount where its verb is sought


def _verb_features(out: list[Choice], prop: Proposal, facts: DocFacts) -> None:
    """The class of the Korean amount's verb (rules/ko/link.toml `verb_classes`: `give`
    for `30만원을 지급한다`, `spend` for `N원이 든다`, `budget` for `N원을 반영했다`, `change`
    for `N원 늘었다`), crossed with where each choice comes from (its sentence, elsewhere,
    none): `N원을 더했다` after `X에` names X, `1인당 N원을 준다` pays the program before."""
    toks = facts.sentences[prop.si].tokens
    if not toks:
        return
    i = bisect_left(facts.token_starts(prop.si), prop.mention.end)
    classes = config("ko").get("verb_classes", {})
    cls = ""
    for j in range(i, min(len(toks), i + VERB_TOKENS)):
        t = toks[j]
        if t.tag in {"VV", "VA", "VCP"} or (
            t.tag == "NNG" and j + 1 < len(toks) and toks[j + 1].tag in {"XSV", "XSA"}
        ):
            cls = next((c for c, words in classes.items() if t.text in words), "other")
            break
        if t.tag in {"EF", "SF"}:
            break
    if not cls:
        return
    for ch in out:
        where = "none" if not ch.project else "local" if ch.start >= 0 else "elsewhere"
        ch.features[f"ko_verb:{cls}|{where}"] = 1.0


def _english_between_features(out: list[Choice], prop: Proposal, facts: DocFacts) -> None:
    """Another amount stands between a phrase of the sentence and this amount (en-choose12):
    `The general account accounts for KRW 11.2 trillion and special accounts for KRW 1.9
    trillion` (for 1.9 trillion, `general account` has 11.2 trillion between: it is that
    amount's item), `N for X, and M for Y` (for N, `Y` is past M). Feature
    `en_amount_between` (one) or `en_amounts_between` (two or more), and
    `en_amount_between_clause` when a clause mark (`,;:`, `and`, `while`, `with`) stands
    between too; the scorer weighs them."""
    m = prop.mention
    for ch in out:
        if ch.project and ch.start < 0 and ch.back == 0:
            _named_in_sentence(ch, prop, facts)
        if not ch.project or ch.start < 0:
            continue
        lo, hi = (ch.end, m.start) if ch.end <= m.start else (m.end, ch.start)
        if hi <= lo:
            continue
        i = bisect_left(facts.amount_starts, lo)
        n = 0
        while i < len(facts.amounts) and facts.amounts[i][1] <= hi:
            a, b = facts.amounts[i]
            i += 1
            if a == m.start:
                continue
            pair = facts.text[b : m.start] if b <= m.start else facts.text[m.end : a]
            if len(pair) <= 80 and any(rx.search(pair) for rx in _pair_res()):
                continue  # `N for 2026/27, up from M`: the other side of its change
            n += 1
        if not n:
            continue
        ch.features["en_amounts_between" if n > 1 else "en_amount_between"] = 1.0
        if _BETWEEN_CLAUSE.search(facts.text, lo, hi):
            ch.features["en_amount_between_clause"] = 1.0


TWIN_GAP = 3  # characters between two amounts that are one (`42.1 billion won ($30.3 million)`)


def _named_in_sentence(ch: Choice, prop: Proposal, facts: DocFacts) -> None:
    """An item proposed from elsewhere (an item in view, the article's item) that the
    amount's own sentence names: `en_named_by_other_amount` when another amount of the
    sentence (not this one's bracketed twin) stands nearer to where it is named (`quantum
    technology at 299 billion won, ..., and the Korean launch vehicle program, which
    receives 163 billion won`: for 299 billion, the program is 163 billion's item), else
    `en_named_nearest` (en-choose12)."""
    m = prop.mention
    sent = facts.sentences[prop.si]
    folded = facts.folded_sentence(prop.si)
    at = folded.find(ch.project.casefold())
    if at < 0 or not ch.project.strip():
        return
    start = sent.start + at
    end = start + len(ch.project)
    if start < m.end and m.start < end:
        return
    dist = m.start - end if end <= m.start else start - m.end
    i = bisect_left(facts.amount_starts, sent.start)
    while i < len(facts.amounts) and facts.amounts[i][0] < sent.end:
        a, b = facts.amounts[i]
        i += 1
        if a == m.start or 0 <= a - m.end <= TWIN_GAP or 0 <= m.start - b <= TWIN_GAP:
            continue
        if a < end and start < b:
            continue
        other = start - b if b <= start else a - end
        if 0 <= other < dist:
            ch.features["en_named_by_other_amount"] = 1.0
            return
    ch.features["en_named_nearest"] = 1.0


def _english_first_word(out: list[Choice]) -> None:
    """The first word of an English candidate, as `first:en:<word>` (en-choose12): a
    function word or a verb left at a phrase's start (`than`, `as`, `pay`, `saying`) marks
    a chunk cut in the wrong place, a modifier (`new`, `total`, `first`) a generic one."""
    for ch in out:
        words = ch.project.split()
        if words:
            ch.features[f"first:en:{words[0].casefold()}"] = 1.0


def _english_share_features(out: list[Choice], prop: Proposal, facts: DocFacts) -> None:
    """The English amount is what one unit gets at most or per unit (rules/en/link.toml
    `share_cap_before`: `grants of up to $2,500`; `share_unit_after`: `$650 per month`,
    `C$25,000 each`), crossed with where each choice stands (en-choose12): such a share
    belongs to the program that pays it more often than to `for X` after it. Feature
    `en_share:<cap|unit>|<local_before|local_after|elsewhere|none>`."""
    cap_res, unit_res = _share_res()
    m = prop.mention
    lo = max(facts.sentences[prop.si].start, m.start - 40)
    kinds = []
    before = facts.text[lo : m.start]
    if any(rx.search(before) for rx in cap_res):
        kinds.append("cap")
    after = facts.text[m.end : m.end + 20]
    if any(rx.match(after) for rx in unit_res):
        kinds.append("unit")
    for kind in kinds:
        for ch in out:
            ch.features[f"en_share:{kind}|{_where(ch, prop)}"] = 1.0


@lru_cache(maxsize=1)
def _pair_res() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in config("en").get("pair_change_tail", ()))


@lru_cache(maxsize=1)
def _share_res() -> tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    cfg = config("en")
    return (
        tuple(re.compile(p, re.IGNORECASE) for p in cfg.get("share_cap_before", ())),
        tuple(re.compile(p, re.IGNORECASE) for p in cfg.get("share_unit_after", ())),
    )


def _where(ch: Choice, prop: Proposal) -> str:
    """Where a choice stands relative to the amount: `none`, `elsewhere` (another
    sentence, a neighbour), `local_before` or `local_after` (a phrase of its sentence)."""
    if not ch.project:
        return "none"
    if ch.start < 0:
        return "elsewhere"
    return "local_after" if ch.start >= prop.mention.end else "local_before"


_BETWEEN_CLAUSE = re.compile(r"[,;:]|\b(?:and|while|with|whereas|but)\b")


PER_UNIT_REACH = 60  # characters before an amount where `per_unit_before` cues are sought


def per_unit_before(prop: Proposal, facts: DocFacts) -> bool:
    """The words right before the amount, in its sentence, make it a per-unit share
    (`per_unit_before` of rules/<lang>/link.toml: `Each region will receive`, `가구당`)."""
    m = prop.mention
    key = ("before", prop.lang, prop.si, m.start)
    found = facts._per_unit.get(key)
    if found is None:
        lo = max(facts.sentences[prop.si].start, m.start - PER_UNIT_REACH)
        before = facts.text[lo : m.start]
        found = any(rx.search(before) for rx in config(prop.lang)["per_unit_before_re"])
        facts._per_unit[key] = found
    return found


def per_unit_after(prop: Proposal, facts: DocFacts) -> bool:
    """The words right after the amount make it a rate (`per_unit_after`: `1인당 30만원`,
    `a month`); memoised per amount like `per_unit_before`."""
    m = prop.mention
    key = ("after", prop.lang, m.end)
    found = facts._per_unit.get(key)
    if found is None:
        after = facts.text[m.end : m.end + 16]
        found = any(rx.match(after) for rx in config(prop.lang)["per_unit_after_re"])
        facts._per_unit[key] = found
    return found


def _none_features(prop: Proposal, facts: DocFacts, n: int) -> dict[str, float]:
    lang = prop.lang
    f: dict[str, float] = {"none:bias": 1.0, f"none:lang:{lang}": 1.0}
    f[_bucket("none:candidates", n, (0, 1, 2))] = 1.0
    if prop.negative:
        f["none:negative"] = 1.0
        f[f"none:neg:{prop.negative}"] = 1.0
    if prop.generic_first:
        f["none:generic_first"] = 1.0
    if prop.parent is not None:
        f["none:in_bracket"] = 1.0
    if prop.mention.amount is None:
        f["none:vague"] = 1.0
    if not prop.provisional.project:
        f["none:precedence_empty"] = 1.0
    if per_unit_before(prop, facts):
        f["none:per_unit_before"] = 1.0
    m = prop.mention
    cfg = config(lang)
    near = facts.text[max(0, m.start - NEG_BEFORE) : m.end + NEG_AFTER].casefold()
    words = cfg.get("no_project_words_set", frozenset())
    hits = [w for w in words if w in near] if lang == "ko" else [
        w for w in _LATIN_LOWER.findall(near) if w in words
    ]  # fmt: skip
    if hits:
        f["none:no_project_word"] = 1.0
    for kind in no_project_kinds(prop, facts):
        f[f"none:kind:{kind}"] = 1.0
    fees = cfg.get("fee_heads", ()) if lang == "ko" else ()
    if fees and any(
        w in facts.text[max(facts.sentences[prop.si].start, m.start - 20) : m.start] for w in fees
    ):
        f["none:fee_before:ko"] = 1.0  # `참가비는 1만원이다`: a fee, not money for an item
    before = _WORD_KO_EN.findall(facts.text[max(0, m.start - 20) : m.start])
    after = _WORD_KO_EN.findall(facts.text[m.end : m.end + 20])
    if before:  # the word before the amount (`매출`, `price`, `연봉`)
        word = before[-1].casefold()
        f[f"none:before:{lang}:{word[-2:] if lang == 'ko' else word}"] = 1.0
    if after:
        word = after[0].casefold()
        f[f"none:after:{lang}:{word[:2] if lang == 'ko' else word}"] = 1.0
    return f


def no_project_kinds(prop: Proposal, facts: DocFacts) -> list[str]:
    """The kinds of amount that are no money allocated to something (LABELED_SET.md: a
    company's profit or sales, a market size, an economic effect, a salary, a fine,
    damages, an asset value, a debt or a balance; rules/<lang>/link.toml
    `no_project_kinds`) whose word stands within KIND_BEFORE characters before the
    amount or KIND_AFTER after it (up to a `,;:()` or a conjunction), in its sentence; a
    word followed by a name head is
    part of a name and does not count (`영업이익 공유 사업`, `market development fund`:
    `no_project_kind_blocks`). The scorer weighs each kind (`none:kind:<kind>`)."""
    cfg = config(prop.lang)
    kinds = cfg.get("no_project_kinds_re") or {}
    if not kinds:
        return []
    m, sent, text = prop.mention, facts.sentences[prop.si], facts.text
    hi = min(sent.end, m.end + KIND_AFTER)
    stop = _AFTER_STOP.search(text, m.end, hi)  # `N원)을 통해 피해가`, `$5 million and a deficit`
    after = (m.end, stop.start() if stop else hi)
    lo = max(sent.start, m.start - KIND_BEFORE)
    marks = list(_BEFORE_STOP.finditer(text, lo, m.start))  # the amount's own clause
    windows = ((marks[-1].end() if marks else lo, m.start), after)
    blocks = cfg.get("no_project_kind_blocks_set", frozenset())
    out = []
    for kind, rx in kinds.items():
        for lo, hi in windows:
            tails = (text[h.end() : h.end() + KIND_TAIL] for h in rx.finditer(text, lo, hi))
            if any(not _named_by(tail, blocks, prop.lang) for tail in tails):
                out.append(kind)
                break
    return out


_BEFORE_STOP = re.compile(r"[;:()\[\]]|,\s")
_AFTER_STOP = re.compile(r"[,;:()\[\]]|\b(?:and|or|while|but)\b")


def _named_by(tail: str, blocks: frozenset[str], lang: str) -> bool:
    """The text right after a kind word makes it part of a name: a block word among the
    next two words (`market development fund`, `영업이익 공유 사업`)."""
    if lang == "ko":
        return any(w in tail for w in blocks)
    return any(w.lower() in blocks for w in re.findall(r"[A-Za-z]+", tail)[:2])
