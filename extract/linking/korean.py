"""Korean linking rules over Kiwi morphemes (cue words: rules/ko/link.toml).

The noun phrase is the unit: a maximal run of nouns (NNG, NNP, SL, SN, SH,
XSN, XPN, a counter NNB after a number), parenthesised noun groups `(AI)` and
quoted names, stopping at particles, verbs, endings and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..models import Token
from .context import Ctx, Span, word_union

NP_TAGS = {"NNG", "NNP", "SL", "SN", "SH", "XSN", "XPN"}
NOUN_TAGS = {"NNG", "NNP", "SL", "SH"}
PARTICLE_TAGS = {"JKS", "JKC", "JKG", "JKO", "JKB", "JKV", "JKQ", "JX", "JC"}
INNER_JOINERS = {"·", "ㆍ", "-", "/", "&", "+", "~"}
MONEY_UNITS = {"원", "달러", "엔", "위안", "유로", "파운드"}
# tags of a morpheme glued (no space) to the noun after it inside one word: Kiwi splits
# unknown compounds (`늘봄학교` -> 늘/MAG 봄/NNG 학교/NNG)
GLUE_TAGS = {"MAG", "MM", "XR", "VA", "VV", "NR", "NP", "IC", "NNB"}
TIME_NNB = {"년", "년도", "월", "일", "분기", "반기"}
OPEN_PARENS = {"(", "（", "["}
CLOSE_PARENS = {")": "(", "）": "（", "]": "["}


def _kiwi():
    # The process's one Kiwi, shared with the segmenter (each instance is ~400 MB).
    from ..segment import get_kiwi

    return get_kiwi()


def tokenize(text: str) -> list[Token]:
    """Kiwi morphemes of `text` (offsets relative to it), for sentences given without tokens."""
    return [Token(t.form, t.start, t.end, t.tag) for t in _kiwi().tokenize(text)]


@lru_cache(maxsize=4096)
def _proper_word(word: str) -> bool:
    """`word` read alone is one proper-noun morpheme (`경기도`, `영양군`, `여수시`)."""
    toks = _kiwi().tokenize(word)
    return len(toks) == 1 and toks[0].tag == "NNP"


def place_or_body(project: str, cfg) -> bool:
    """The phrase names only places or bodies (`도내 12개 시·군`, `경기도와 시·군`, `전남
    여수시`, `농림축산식품부`, `광역자치단체`): where the money goes or who gives it, never
    the item (rules/ko/link.toml `body_words`, `place_suffixes`, `body_suffixes`)."""
    places = word_union(cfg, "region_words_set", "region_short_set", "body_words_set?")
    place_suffixes = tuple(cfg.get("place_suffixes", ()))
    body_suffixes = tuple(cfg.get("body_suffixes", ()))
    heads = tuple(cfg["budget_heads"])
    found = False
    # `농림축산식품부(이하 농식품부)`: a body with the short name it goes by
    for word in re.sub(r"[()（）]|(?<![가-힣])이하(?=\s)", " ", project).split():
        w = re.sub(r"(?<=..)(?:와|과)$", "", word)
        if w in {"및", "등", "각"} or re.fullmatch(r"[\d,.]+[가-힣]{0,2}", w):
            continue  # `12개`, a coordinator
        if w in places:
            found = True
        elif place_suffixes and w.endswith(place_suffixes) and _proper_word(w):
            found = True
        elif (
            body_suffixes
            and len(w) >= 3
            and w.endswith(body_suffixes)
            and not w.endswith(heads)
            and re.fullmatch(r"[가-힣]+", w)
        ):
            found = True
        else:
            return False
    return found


# ------------------------------------------------------------------ noun phrases


def _np_of(ctx: Ctx) -> _NP:
    """The context's one `_NP` (built on first use): `local`, `chunks` and `_total`
    walk the same tokens for the same mention, so they share its `ok` memo. A
    context's tokens, mentions and quotes do not change (see `Ctx.left_index`)."""
    np = ctx.__dict__.get("_np")
    if np is None:
        np = ctx.__dict__["_np"] = _NP(ctx)
    return np


class _NP:
    """Noun-phrase walking over one sentence's tokens."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.toks = ctx.tokens
        self._ok: dict[int, bool] = {}  # `ok` per token index
        self.quote_at_close = {}  # token index of a closing quote -> index of its opener
        self.quote_at_open = {}
        for qs, qe in ctx.quotes:
            i_open = self._index_at(qs - 1)
            i_close = self._index_at(qe)
            if i_open is not None and i_close is not None and self._is_name(qs, qe):
                self.quote_at_close[i_close] = i_open
                self.quote_at_open[i_open] = i_close

    def _index_at(self, offset: int) -> int | None:
        for i, t in enumerate(self.toks):
            if t.start == offset and t.end - t.start == 1:
                return i
        return None

    def _is_name(self, qs: int, qe: int) -> bool:
        """A quoted name, not quoted speech: short and ending in a noun."""
        if qe - qs > 40:
            return False
        inner = [t for t in self.toks if qs <= t.start and t.end <= qe]
        return bool(inner) and (inner[-1].tag in NP_TAGS or inner[-1].tag in {"NNB", "SW"})

    def ok(self, i: int) -> bool:
        """Token i can be part of a noun phrase on its own (memoised: the walks ask the
        same tokens again and again; tokens and mentions do not change)."""
        found = self._ok.get(i)
        if found is None:
            found = self._ok[i] = self._ok_now(i)
        return found

    def _ok_now(self, i: int) -> bool:
        t = self.toks[i]
        # the tag first: a token no tag admits is never ok, whatever the mentions
        if t.tag in NP_TAGS:
            found = True
        elif t.tag == "NNB" and i > 0 and self.toks[i - 1].tag == "SN":
            found = t.text not in MONEY_UNITS
        else:
            return False
        return found and not (self.ctx.in_other_mention(t.start, t.end) or self._in_mention(t))

    def fused_particle(self, i: int) -> bool:
        """A particle Kiwi split out of one written noun (`세종의사당` -> 세종/의/사당)."""
        toks = self.toks
        return (
            toks[i].tag in PARTICLE_TAGS
            and 0 < i < len(toks) - 1
            and toks[i - 1].end == toks[i].start
            and toks[i].end == toks[i + 1].start
            and self.ok(i - 1)
            and self.ok(i + 1)
        )

    def glued(self, i: int) -> bool:
        """Token i is part of the same written word as the noun after it (`늘` in 늘봄학교)."""
        toks = self.toks
        return (
            toks[i].tag in GLUE_TAGS
            and i + 1 < len(toks)
            and toks[i].end == toks[i + 1].start
            and (i == 0 or toks[i - 1].end < toks[i].start or self.ok(i - 1))
            and self.ok(i + 1)
            and toks[i].text not in MONEY_UNITS
            and not self.ctx.in_other_mention(toks[i].start, toks[i].end)
            and not self._in_mention(toks[i])
        )

    def nominalised(self, i: int) -> bool:
        """Token i is part of a verb made a noun by -ㅁ/-음 (`나눔` = 나누/VV + ㅁ/ETN) that
        modifies the noun after it (`에너지 나눔 바우처`, `배움 카드`)."""
        toks = self.toks
        n = len(toks)
        if toks[i].tag == "ETN":
            verb, etn = i - 1, i
        elif toks[i].tag in {"VV", "VA"} and i + 1 < n and toks[i + 1].tag == "ETN":
            verb, etn = i, i + 1
        else:
            return False
        return (
            verb >= 0
            and toks[verb].tag in {"VV", "VA"}
            and toks[verb].end >= toks[etn].start  # one written word
            and etn + 1 < n
            and toks[etn].end < toks[etn + 1].start  # a space, then the noun it modifies
            and self.ok(etn + 1)
            and not self._in_mention(toks[verb])
        )

    def _in_mention(self, t: Token) -> bool:
        m = self.ctx.mention
        return t.start < m.end and m.start < t.end

    def _joiner(self, i: int, step: int) -> bool:
        t = self.toks[i]
        j = i + step
        return (
            t.text in INNER_JOINERS
            and 0 <= j < len(self.toks)
            and 0 <= i - step < len(self.toks)
            and self.toks[j].tag in NP_TAGS
            and self.toks[i - step].tag in NP_TAGS
        )

    def _paren_group(self, close: int) -> int | None:
        """Index of the '(' matching the ')' at `close`, if the group holds only nouns."""
        opener = CLOSE_PARENS[self.toks[close].text]
        for j in range(close - 1, max(-1, close - 15), -1):
            t = self.toks[j]
            if t.text == opener:
                return j if j < close - 1 else None
            if not (self.ok(j) or t.tag == "SP" or t.tag in {"JC", "NNB"} or self._joiner(j, -1)):
                return None
        return None

    def back(self, k: int) -> tuple[int, int] | None:
        """The noun phrase ending at token k: (first, last) token indices, or None."""

        def takes(i: int, first: int | None) -> bool:
            if self.ok(i) or (first is not None and self._joiner(i, -1)):
                return True
            return first == i + 1 and (
                self.glued(i) or self.fused_particle(i) or self.nominalised(i)
            )

        first = self.walk_back(k, takes)
        if first is None:
            return None
        return self._trim(first, k)

    def walk_back(self, k: int, takes: Callable[[int, int | None], bool]) -> int | None:
        """First token of the run ending at token k: a quote or a bracket group is taken
        whole, any other token while `takes(index, first so far)` holds."""
        i = k
        first = None
        while i >= 0:
            if i in self.quote_at_close:
                first = self.quote_at_close[i]
                i = first - 1
                continue
            if self.toks[i].text in CLOSE_PARENS:
                j = self._paren_group(i)
                if j is None:
                    break
                first, i = j, j - 1
                continue
            if not takes(i, first):
                break
            first, i = i, i - 1
        return first

    def forward(self, k: int) -> tuple[int, int] | None:
        """The noun phrase starting at token k."""
        i = k
        last = None
        n = len(self.toks)
        while i < n:
            t = self.toks[i]
            if i in self.quote_at_open:
                last = self.quote_at_open[i]
                i = last + 1
                continue
            if t.text in OPEN_PARENS and last is not None:
                close = self._close_of(i)
                if close is None:
                    break
                last, i = close, close + 1
                continue
            fused = last is not None and self.fused_particle(i)
            if (
                self.ok(i)
                or (last is not None and self._joiner(i, 1))
                or self.glued(i)
                or fused
                or self.nominalised(i)
            ):
                last, i = i, i + 1
                continue
            break
        if last is None:
            return None
        return self._trim(k, last)

    def _close_of(self, open_: int) -> int | None:
        for j in range(open_ + 1, min(len(self.toks), open_ + 15)):
            if self.toks[j].text in CLOSE_PARENS:
                return j if self._paren_group(j) == open_ else None
        return None

    def _trim(self, first: int, last: int) -> tuple[int, int] | None:
        """Drop leading time words (올해, 2026년) and unbalanced brackets."""
        drop = word_union(self.ctx.cfg, "leading_drop_set", "discourse_drop_set?")
        toks = self.toks
        while first <= last:
            t = toks[first]
            if first in self.quote_at_open:
                break
            if t.text in drop:
                first += 1
            elif t.tag == "SN" and first + 1 <= last and toks[first + 1].text in TIME_NNB:
                if first + 1 < last and self.named_budget(first, last):
                    break  # `2026년 본예산` is a name; `2026년 예산` is not
                first += 2
            elif t.tag in {"XSN", "SW"} or t.text in CLOSE_PARENS:
                first += 1
            elif t.text in OPEN_PARENS and (close := self._close_of(first)) is not None:
                if close >= last:
                    break
                first = close + 1  # `(면적직불금) 면적직불금 단가`: a row heading, then the phrase
            elif (
                t.text in self.ctx.cfg.get("duration_nouns_set", ())
                and first > 0
                and toks[first - 1].tag == "MM"
            ):
                first += 1  # `한 해 운영비` -> `운영비`, not `해 운영비`
            else:
                break
        # `광주 AI 실증밸리 내년`, `청년농 월 최대`: a time or bound after the name
        tail = self.ctx.cfg.get("trailing_words_set", set())
        while last > first and toks[last].text in tail and last not in self.quote_at_close:
            last -= 1
        # `지역 제조기업 1곳당 AI 솔루션 도입비`: the item follows the per-unit phrase;
        # `올해 예산 가운데 청년 창업 지원 사업`: the item follows the whole it is part of
        parts = self.ctx.cfg.get("part_words_set", frozenset())
        for j in range(last - 1, first - 1, -1):
            if j > first and (_per_unit(toks, j) or (toks[j].text in parts and j < last)):
                first = j + 1
                break
        if first > last:
            return None
        return first, last

    # ---- judgements on a phrase

    def text(self, a: int, b: int) -> str:
        return self.ctx.text[self.toks[a].start : self.toks[b].end]

    def quoted(self, a: int, b: int) -> bool:
        return a in self.quote_at_open and self.quote_at_open[a] == b

    def has_quote(self, a: int, b: int) -> bool:
        return any(a <= o <= b for o in self.quote_at_open)

    def has_head(self, a: int, b: int) -> bool:
        compact = self.text(a, b).replace(" ", "")
        return compact.endswith(tuple(self.ctx.cfg["budget_heads"]))

    def generic(self, a: int, b: int) -> bool:
        """Made only of generic words, or of place names before a total head (광주시 예산)."""
        if self.has_quote(a, b):
            return False
        cfg = self.ctx.cfg
        skip = word_union(cfg, "generic_words_set", "budget_heads_set")
        content = [
            t
            for i, t in enumerate(self.toks[a : b + 1], a)
            if (t.tag in NOUN_TAGS and t.text.lower() not in skip)
            or (t.tag in {"VV", "VA"} and self.nominalised(i))  # `나눔 바우처`
        ]
        compact = self.text(a, b).replace(" ", "")
        if self.named_budget(a, b):
            return False
        if not content or compact in skip:
            return True
        total = any(compact.endswith(h) for h in cfg["total_heads"])
        return total and all(t.tag == "NNP" for t in content)

    def named_budget(self, a: int, b: int) -> bool:
        """`2차 추경`, `2026년 본예산`: an ordinal or a year makes a whole budget a named one."""
        compact = self.text(a, b).replace(" ", "")
        if not any(compact.endswith(h) for h in self.ctx.cfg["named_budget_heads"]):
            return False
        toks = self.toks
        return any(
            toks[i].tag == "SN" and toks[i + 1].text in {"차", "회", "년", "년도"}
            for i in range(a, b)
        )

    def proper_only(self, a: int, b: int) -> bool:
        nouns = [t for t in self.toks[a : b + 1] if t.tag in NOUN_TAGS]
        return bool(nouns) and all(t.tag == "NNP" for t in nouns)

    def drop_trailing(self, a: int, b: int) -> tuple[int, int]:
        """Without a separate generic budget word at the end (`전략사업 예산` -> `전략사업`)."""
        toks = self.toks
        j = b
        while j > a and toks[j - 1].end == toks[j].start:  # back to the last word's start
            j -= 1
        word = self.ctx.text[toks[j].start : toks[b].end]
        owners = self.ctx.cfg.get("owner_words_set", frozenset())
        if self.text(a, j - 1).replace(" ", "") in owners:
            return a, b  # `소관 예산`: whose budget, not an item's (not `소관`)
        if j > a and word in self.ctx.cfg["trailing_drop_set"] and not self.generic(a, j - 1):
            y = self.year_before(a, j - 1)
            if y is None:
                return a, j - 1
            if self.owner_only(a, y - 1):
                return a, b  # `질병청 내년 예산`: the owner's budget of that year, whole
            if y > a:
                return a, y - 1  # `광주 AI 실증밸리 내년 예산` -> `광주 AI 실증밸리`
        return a, b

    def field_label(self, inner: str) -> bool:
        """A bracket's words are a field label of a list or a summary box (`소요예산`,
        `총사업비`, `사업기간`, `지원규모`): what the row gives, never part of the item."""
        compact = inner.replace(" ", "")
        heads = tuple(self.ctx.cfg.get("field_label_heads", ()))
        return 0 < len(compact) <= 6 and bool(heads) and compact.endswith(heads)

    def year_before(self, a: int, k: int) -> int | None:
        """First token of a year word ending at token k (`내년`, `2026년도`), if any."""
        toks = self.toks
        if toks[k].text in self.ctx.cfg.get("year_words_set", ()):
            return k
        if toks[k].text in {"년", "년도"} and k > a and toks[k - 1].tag == "SN":
            return k - 1
        return None

    def owner_only(self, a: int, b: int) -> bool:
        """Tokens a..b name only who owns a budget: proper names, institutions
        (`질병청`, `국토부 소관`, `대구시`), not an item (`AI 실증밸리`)."""
        if b < a:
            return False
        cfg = self.ctx.cfg
        agents = tuple(cfg["agent_heads"])
        owners = cfg.get("owner_words_set", frozenset())
        words = self.ctx.text[self.toks[a].start : self.toks[b].end].split()
        nouns = [t for t in self.toks[a : b + 1] if t.tag in NOUN_TAGS]
        if not nouns:
            return False
        return all(w in owners or (len(w) >= 2 and w.endswith(agents)) for w in words) or all(
            t.tag == "NNP" for t in nouns
        )

    def span(self, a: int, b: int, rule: str, strength: str = "local") -> Span:
        if b > a and self.toks[b].text in CLOSE_PARENS:  # `1단계 사업(2020~2024년)`: a period
            j = self._paren_group(b)
            inner = self.ctx.text[self.toks[j].end : self.toks[b].start] if j is not None else ""
            if (
                j is not None
                and j > a
                and (
                    not re.search(r"[A-Za-z가-힣]", inner.replace("년", ""))
                    or self.field_label(inner)
                )
            ):
                b = j - 1  # ... or a field label (`청년 창업공간 조성(소요예산)`)
        if not self.has_quote(b, b):
            a, b = self.drop_trailing(a, b)
        start, end = self.toks[a].start, self.toks[b].end
        if self.quoted(a, b):  # the name without its marks
            start, end = start + 1, end - 1
        else:
            start = self.word_start(start)
        return Span(start, end, rule, strength)

    def word_start(self, start: int) -> int:
        """`start` moved back to the start of its written word, when a phrase begins
        inside one (Kiwi splits compounds and prefixes: `남해대교` -> `남해`+`대교`,
        `총지출` -> `총`+`지출`, `순세계잉여금` -> `순`+`세계`+`잉여금`, and a dropped
        leading token would leave `지출`, `세계잉여금`): the item is named by whole words.
        Never into an amount or across the sentence start."""
        text, m = self.ctx.text, self.ctx.mention
        lo = self.ctx.sentence.start
        for other in self.ctx.mentions:
            if other.end <= start:
                lo = max(lo, other.end)
        if m.end <= start:
            lo = max(lo, m.end)
        s = start
        while s > lo and text[s - 1].isalnum():
            s -= 1
        return self.prefixed_word(s, lo)

    def prefixed_word(self, s: int, lo: int) -> int:
        """`s`, or the start of the written word right before it when that word is a
        name's first word Kiwi read as a verb form (`늘푸른 숲 조성 사업`: rules/ko/link.toml
        `name_prefixes`, then a verb or adjective stem, ending in ETM/ETN)."""
        text = self.ctx.text
        if s - 1 <= lo or text[s - 1] != " ":
            return s
        w = s - 1
        while w > lo and text[w - 1].isalnum():
            w -= 1
        word = text[w : s - 1]
        prefixes = tuple(self.ctx.cfg.get("name_prefixes", ()))
        if not prefixes or not word.startswith(prefixes):
            return s
        toks = [t for t in self.toks if w <= t.start and t.end <= s - 1]
        if (
            len(toks) >= 3
            and toks[0].text in prefixes
            and toks[1].tag.startswith(("VA", "VV"))
            and toks[-1].tag in {"ETM", "ETN"}
        ):
            return w
        return s


# ------------------------------------------------------------------ rules


def _skip_left(ctx: Ctx, k: int, words: frozenset) -> int:
    while k >= 0 and ctx.tokens[k].text in words and ctx.tokens[k].tag not in PARTICLE_TAGS:
        k -= 1
    return k


def negative(ctx: Ctx) -> str:
    """`연매출 3억원 이하`: an amount right after a threshold noun names no project."""
    cfg = ctx.cfg
    k = _skip_left(ctx, ctx.left_index(), cfg["skip_between_set"] - {"연"})
    if k >= 0 and ctx.tokens[k].tag in {"JKS", "JX"}:
        k -= 1
    if k < 0:
        return ""
    compact = ctx.tokens[k].text
    if k > 0 and ctx.tokens[k - 1].end == ctx.tokens[k].start:
        compact = ctx.tokens[k - 1].text + compact
    if ctx.tokens[k].text in cfg["threshold_nouns_set"] or compact in cfg["threshold_nouns_set"]:
        return "ko.threshold"
    if ctx.tokens[k].text in cfg["figure_nouns_set"] or compact in cfg["figure_nouns_set"]:
        return "ko.figure"
    return ""


def _total_at(ctx: Ctx) -> int | None:
    """Index of the last token of a whole budget right before the amount, if any."""
    k = _skip_left(ctx, ctx.left_index(), ctx.cfg["skip_between_set"] - {"연"})
    if k >= 0 and ctx.tokens[k].tag in {"JKS", "JX"}:
        k -= 1
    return k if k >= 0 and _total(ctx, k) else None


def _whole_budget(ctx: Ctx, np: _NP) -> Span | None:
    """`대구시 내년 예산 11조3,470억원`, `2회 추경 4,210억원`, `시 전체 예산 48조원`: a
    whole budget right before the amount is its item (LABELED_SET.md: a named budget or
    funding pot as a whole), written with its year or time word and without the
    institution or place that owns it (`내년 예산`)."""
    k = _total_at(ctx)
    if k is None:
        return None
    found = np.back(k)
    if found is None:
        return None
    a, b = found
    toks = ctx.tokens
    time_words = ctx.cfg["leading_drop_set"]
    while a > 0 and toks[a - 1].end + 1 >= toks[a].start:
        prev = toks[a - 1]
        if prev.text in time_words:
            a -= 1
        elif prev.text in TIME_NNB and a >= 2 and toks[a - 2].tag == "SN":
            a -= 2
        elif (
            prev.text in ctx.cfg.get("duration_nouns_set", ())
            and a >= 2
            and toks[a - 2].tag == "MM"
        ):
            a -= 2  # `영양군의 한 해 예산` -> `한 해 예산`
        else:
            break
    agents = tuple(ctx.cfg["agent_heads"])
    keep = ctx.cfg["total_words_set"]  # `정부 예산`, `국가 예산`: the budget's own name
    while (
        a < b
        and toks[a].text not in keep
        and (toks[a].tag == "NNP" or (len(toks[a].text) >= 2 and toks[a].text.endswith(agents)))
    ):
        a += 1  # `경기도/교육청 내년 예산` -> `내년 예산`; a bare `시 전체 예산` stays
    return Span(toks[a].start, toks[b].end, "ko.total")


def _total(ctx: Ctx, k: int) -> str:
    """`정부 예산 689조원`, `경기도교육청 내년 예산 20조원`: "ko.total" when the phrase ending
    at token k is a whole budget (not an item's budget); `_whole_budget` proposes it."""
    np = _np_of(ctx)
    found = np.back(k)
    if found is None or found[1] != k:
        return ""
    a, b = found
    compact = np.text(a, b).replace(" ", "")
    if not any(compact.endswith(h) for h in ctx.cfg["total_heads"]) or np.has_quote(a, b):
        return ""
    before = ctx.tokens[a - 1] if a > 0 else None
    if before is not None and before.tag in {"ETM", "JKG"}:
        if before.tag == "ETM" or not _owner_before_year(ctx, np, a):
            return ""  # `사업에 드는 올해 예산`, `이 사업의 예산`: an item's budget
    if np.generic(a, b):
        # a bare `예산` refers to an item named before (`• X 확대: ... 예산 2,150억원`)
        words = {t.text for t in ctx.tokens[a : b + 1] if t.tag in NOUN_TAGS}
        if words & ctx.cfg.get("refer_budget_words_set", frozenset({"사업"})):
            return ""  # `올해 사업 예산은`, `관련 예산은`: the budget of the program in view
        if words & ctx.cfg["total_words_set"] or len(words) > 1:
            return "ko.total"
        if compact in ctx.cfg["total_words_set"]:
            # `본예산 9조원에서`: the base budget, a whole budget by itself; not after an
            # item's budget as topic (`출산육아수당 예산은 본예산 410억원`: that item's)
            if before is not None and before.tag in {"JX", "JKS"} and a >= 2:
                item = np.back(a - 2)
                if item is not None and not np.generic(*item):
                    return ""
            return "ko.total"
        return "ko.total" if _owner_before_year(ctx, np, a) else ""
    skip = word_union(ctx.cfg, "generic_words_set", "budget_heads_set", "leading_drop_set")
    content = [t for t in ctx.tokens[a : b + 1] if t.tag in NOUN_TAGS and t.text not in skip]
    agent_heads = tuple(ctx.cfg["agent_heads"])
    owners = ctx.cfg.get("owner_words_set", frozenset())
    if content and all(
        t.tag == "NNP" or t.text.endswith(agent_heads) or t.text in owners for t in content
    ):
        return "ko.total"  # an institution's or a place's own budget (`소관 예산`)
    return ""


def _time_before(ctx: Ctx, k: int) -> int:
    """Index of the token before a year or duration phrase ending at token k (`내년`,
    `2026년도`, `한 해`), or k itself when there is none."""
    toks = ctx.tokens
    if k > 0 and toks[k].text in {"년", "년도"} and toks[k - 1].tag == "SN":
        return k - 2
    if k >= 0 and toks[k].text in ctx.cfg.get("year_words_set", ()):
        return k - 1
    durations = ctx.cfg.get("duration_nouns_set", ())
    if k > 0 and toks[k].text in durations and toks[k - 1].tag == "MM":
        return k - 2
    return k


def _owner_at(ctx: Ctx, k: int, single: bool) -> bool:
    """Token k names a budget's owner: a proper name or an institution (`부산시`,
    `질병청`); with `single`, also a bare `도`, `시`, `군` (`도의 올해 예산`)."""
    if k < 0 or ctx.tokens[k].start < ctx.sentence.start:
        return False
    t = ctx.tokens[k]
    agents = tuple(ctx.cfg["agent_heads"])
    return t.tag == "NNP" or (
        t.tag in NOUN_TAGS and (len(t.text) >= 2 or single) and t.text.endswith(agents)
    )


def _owner_before_year(ctx: Ctx, np: _NP, a: int) -> bool:
    """`부산시, 내년 예산 17조원`, `여수시 2026년 국비`, `완도군의 내년 예산은`, `도의 올해
    예산은`, `영양군의 한 해 예산은`, `부산시는 내년 예산 17조원을`: an owner (a place or an
    institution) stands before the bare budget phrase starting at token a, with its year
    between (and a comma, or a topic or subject particle), or joined by 의, so the budget
    is that owner's whole budget."""
    toks = ctx.tokens
    k = _time_before(ctx, a - 1)
    if k >= 0 and toks[k].tag == "JKG" and toks[k].text == "의":
        return _owner_at(ctx, k - 1, single=True)
    if k == a - 1:
        return False  # no year: `부산시 예산` is handled as a phrase, `X, 예산` is not one
    if k >= 0 and toks[k].text in {",", "，"}:
        k -= 1
    elif k >= 0 and toks[k].tag in {"JX", "JKS"} and toks[k].text in {"은", "는", "이", "가"}:
        k -= 1  # `부산시는 내년 예산 17조원을 편성`: the owner as the sentence's topic
    return _owner_at(ctx, k, single=False)


def trim_item(text: str, start: int, end: int, cfg: dict) -> tuple[int, int]:
    """A pattern's item without the words that open a clause or close a phrase
    (`이 가운데 5단지 진입도로 확장` -> `5단지 진입도로 확장`), as character offsets; the
    same words `_NP._trim` drops from noun phrases (rules/ko/link.toml)."""
    lead = word_union(cfg, "leading_drop_set", "discourse_drop_set?")
    tail = cfg.get("trailing_words_set", set())
    words = list(re.finditer(r"\S+", text[start:end]))
    a, b = 0, len(words)
    while a < b - 1 and words[a].group() in lead:
        a += 1
    while b > a + 1 and words[b - 1].group() in tail:
        b -= 1
    if not words:
        return start, end
    return start + words[a].start(), start + words[b - 1].end()


def local(ctx: Ctx) -> list[Span]:
    """Every span the sentence-local generators propose, in precedence order (each
    generator one rule: `_whole_budget`, `_np_head`, `_amount_modifies`,
    `_invest_object`, `_np_e`, `_subject`, `_subject_far`, `_dative_far`, `_purpose`,
    `_clause_np`)."""
    np = _np_of(ctx)
    rules = (
        _whole_budget,
        _np_head,
        _amount_modifies,
        _invest_object,
        _np_e,
        _subject,
        _subject_far,
        _dative_far,
        _purpose,
        _clause_np,
    )
    spans = [span for rule in rules if (span := rule(ctx, np)) is not None]
    # a lone particle or letter (`를` next to a quote) is never an item
    return [
        sp
        for sp in spans
        if sp.text is not None
        or (len(ctx.text[sp.start : sp.end]) > 1 and not not_item_span(ctx, sp))
    ]


def not_item_span(ctx: Ctx, span: Span) -> bool:
    """A span of the amount's sentence that is grammatically no item (rules/ko/link.toml):
    a place or body (`place_or_body`), a recipient as a purpose (`청년농을 위한`), an
    adverbial of circumstance (`교과서 지위 논란 속에`), a cause or a process before
    에서/으로/로 (`내수 부진으로`, `국회 심사 과정에서`), a byline (`이슬기 기자 =`)."""
    if span.text is not None:
        return False
    phrase = ctx.text[span.start : span.end]
    if place_or_body(phrase, ctx.cfg):
        return True
    words = phrase.split()
    if span.rule == "ko.purpose" and words[-1].endswith(tuple(ctx.cfg["recipient_heads"])):
        return True  # `청년농을 위한 스마트팜 종합자금`: whom it is for, the fund is the item
    toks = ctx.tokens
    b = next((i for i, t in enumerate(toks) if t.end == span.end), None)
    if b is None or toks[b].tag not in NOUN_TAGS:
        return False  # a quoted name ends on its mark: never rejected
    cfg = ctx.cfg
    last = toks[b].text
    if last in cfg.get("adverbial_heads_set", ()) or last in cfg.get("byline_heads_set", ()):
        return True
    after = toks[b + 1] if b + 1 < len(toks) else None
    return (
        last in cfg.get("cause_heads_set", ())
        and after is not None
        and after.tag == "JKB"
        and after.start == toks[b].end
        and after.text in cfg.get("cause_particles_set", ())
    )


def weak(ctx: Ctx) -> list[Span]:
    return []


def _np_head(ctx: Ctx, np: _NP) -> Span | None:
    """`인공지능 전략사업 예산 153억원`, `'추경예산안' 13조원`, `▲하수도정비사업 3억원`."""
    cfg = ctx.cfg
    toks = ctx.tokens
    k = _skip_left(ctx, ctx.left_index(), cfg["skip_between_set"])
    particle = False
    if k >= 0 and toks[k].tag in PARTICLE_TAGS and toks[k].text in cfg["between_particles_set"]:
        particle, k = True, k - 1
        k = _skip_left(ctx, k, cfg["skip_between_set"])
    if k < 0:
        return None
    found = np.back(k)
    if found is None or found[1] != k or _per_unit(toks, k):
        return None
    a, b = found
    if np.quoted(a, b):
        return np.span(a, b, "ko.quoted")
    if (np.has_head(a, b) or np.named_budget(a, b)) and not np.generic(a, b):
        return np.span(a, b, "ko.np_head")
    if not particle and _list_context(ctx, np, a) and not np.generic(a, b):
        if not np.proper_only(a, b):
            return np.span(a, b, "ko.list_item")
    return None


def _list_context(ctx: Ctx, np: _NP, a: int) -> bool:
    """The phrase opens a list item: after a bullet, or after `,` that follows an amount."""
    markers = ctx.cfg["list_markers_set"]
    if a == 0:
        after = ctx.text[ctx.mention.end : ctx.mention.end + 2].strip()
        return after[:1] in {",", "(", "（", ""} or after[:1] in markers
    prev = ctx.tokens[a - 1]
    if prev.text in markers:
        return True
    if prev.text in {",", "，"} and a >= 2:
        before = ctx.tokens[a - 2]
        return any(m.start <= before.start < m.end for m in ctx.mentions) or before.text in {
            ")",
            "）",
        }
    return False


def _verb_at(ctx: Ctx, i: int, verbs: frozenset) -> int | None:
    """If a verb from `verbs` starts at token i (투입/NNG 하/XSV or 들이/VV), index after it."""
    toks = ctx.tokens
    if i >= len(toks) or toks[i].text not in verbs:
        return None
    if toks[i].tag in {"VV", "VA"}:
        return i + 1
    if toks[i].tag == "NNG" and i + 1 < len(toks) and toks[i + 1].tag in {"XSV", "XSA"}:
        return i + 2
    return None


def _right_start(ctx: Ctx) -> int:
    """First token after the amount, past a parenthesis (`530억원(국비 265억원)을`)."""
    toks = ctx.tokens
    i = ctx.right_index()
    if i < len(toks) and toks[i].text in OPEN_PARENS:
        for j in range(i + 1, min(len(toks), i + 30)):
            if toks[j].text in CLOSE_PARENS:
                return j + 1
    return i


def _skip_particle(ctx: Ctx, i: int, tags: set[str]) -> int:
    toks = ctx.tokens
    while i < len(toks) and toks[i].tag in tags:
        i += 1
    return i


def _amount_modifies(ctx: Ctx, np: _NP) -> Span | None:
    """`50만원 지급하는 X`, `500억원이 투입되는 X`, `1조원 규모의 X`."""
    cfg = ctx.cfg
    toks = ctx.tokens
    right = _right_start(ctx)
    i = _skip_particle(ctx, right, {"JKS", "JKO", "JX"})
    if right < len(toks) and toks[right].tag == "JKG":
        start = right + 1  # `5억원의 인센티브를`, `64만원의 등유 바우처가`
    elif i < len(toks) and toks[i].text in cfg["modifier_nouns_set"]:
        if i + 1 < len(toks) and toks[i + 1].tag == "JKG":
            start = i + 2
        elif i == right and i + 1 in np.quote_at_open:
            # headline style without 의: `1조원 규모 'AI 혁신펀드' 조성`
            return np.span(i + 1, np.quote_at_open[i + 1], "ko.amount_modifies")
        elif i == right and i + 1 < len(toks) and np.ok(i + 1):
            # `30조원 규모 2차 추경 편성`: without its closing verbal noun
            found = np.forward(i + 1)
            if found is None:
                return None
            a, b = found
            if b > a and _nominal_verb(ctx, b, cfg["modifier_verbs_set"]):
                b -= 1
            if np.generic(a, b) or np.proper_only(a, b) or not np.has_head(a, b):
                if not np.named_budget(a, b):
                    return None
            return np.span(a, b, "ko.amount_modifies")
        else:
            return None
    else:
        after = _verb_at(ctx, i, cfg["modifier_verbs_set"])
        if after is None:
            return None
        while after < len(toks) and toks[after].tag in {"EP", "XSV"}:
            after += 1
        if after >= len(toks) or toks[after].tag != "ETM":
            return None
        start = after + 1
    found = np.forward(start) if start < len(toks) else None
    if found is None:
        return None
    a, b = found
    if np.generic(a, b) or np.proper_only(a, b):
        return None
    figures = cfg["figure_nouns_set"] | cfg["threshold_nouns_set"] | cfg["subject_reject_set"]
    if toks[b].text in figures or toks[b].text in cfg["modifier_nouns_set"]:
        return None  # `1조원의 매출`, `8조원의 발행 규모`: a figure or a size, not an item
    return np.span(a, b, "ko.amount_modifies")


def _invest_object(ctx: Ctx, np: _NP) -> Span | None:
    """`50억원을 투입해 청년창업센터를 조성` -> 청년창업센터."""
    cfg = ctx.cfg
    toks = ctx.tokens
    i = _right_start(ctx)
    if i >= len(toks) or toks[i].tag != "JKO":
        return None
    dest = _destination(ctx, np, i + 1)
    if dest is not None:
        return dest
    after = _verb_at(ctx, i + 1, cfg["invest_verbs_set"])
    if after is None or after >= len(toks) or toks[after].tag != "EC":
        return None
    j = after + 1
    limit = min(len(toks), j + 12)
    while j < limit:
        found = np.forward(j) if np.ok(j) or np.glued(j) or j in np.quote_at_open else None
        if found is not None:
            a, b = found
            nxt = toks[b + 1] if b + 1 < len(toks) else None
            if nxt is not None and nxt.tag == "JKO" and not np.generic(a, b):
                return np.span(a, b, "ko.invest_object")
            j = b + 1
        elif toks[j].tag in {"EF", "SF"} or ctx.in_other_mention(toks[j].start, toks[j].end):
            return None
        j += 1
    return None


def _destination(ctx: Ctx, np: _NP, j: int) -> Span | None:
    """`300억원을 도로 개설에 투입`: the phrase before 에 after `N원을`, then a spending verb."""
    toks = ctx.tokens
    if j >= len(toks) or not np.ok(j):
        return None
    found = np.forward(j)
    if found is None:
        return None
    a, b = found
    k = b + 1
    if k >= len(toks) or toks[k].tag != "JKB" or toks[k].text not in {"에", "에다"}:
        return None
    k = _skip_particle(ctx, k + 1, {"MAG"})
    if _verb_at(ctx, k, ctx.cfg["invest_verbs_set"]) is None:
        return None
    if np.generic(a, b) or _time_or_place(ctx, np, a, b):
        return None
    return np.span(a, b, "ko.invest_object")


def _nominal_verb(ctx: Ctx, i: int, verbs: frozenset) -> bool:
    """A headline ends on a bare verbal noun: `... 412억원 투입`, `... 50억원 지원…`."""
    toks = ctx.tokens
    if i >= len(toks) or toks[i].text not in verbs or toks[i].tag != "NNG":
        return False
    return i + 1 == len(toks) or toks[i + 1].tag in {"SF", "SP", "SE", "SO", "SS", "SW"}


def _np_e(ctx: Ctx, np: _NP) -> Span | None:
    """`전통시장 주차환경 개선사업에 20억원을 지원` -> the phrase before 에."""
    cfg = ctx.cfg
    toks = ctx.tokens
    k = _skip_left(ctx, ctx.left_index(), cfg["skip_between_set"])
    if k < 1 or toks[k].tag != "JKB" or toks[k].text not in {"에", "에는"}:
        return None
    found = np.back(k - 1)
    if found is None:
        return None
    a, b = found
    if np.generic(a, b) or (np.proper_only(a, b) and not np.has_quote(a, b)):
        return None
    if _time_or_place(ctx, np, a, b):
        return None
    right = _right_start(ctx)
    if _list_follows(ctx, right):  # `X에 110억원, Y에 85억원이 배정된다`
        return np.span(a, b, "ko.np_e")
    i = _skip_particle(ctx, right, {"JKO", "JKS", "JX"})
    i = _skip_particle(ctx, i, {"MAG"})  # `387억원이 새로 편성됐다`
    verbs = cfg["invest_verbs_set"] | cfg["modifier_verbs_set"] | {"사용", "쓰"}
    if _verb_at(ctx, i, verbs) is None and not _nominal_verb(ctx, i, verbs):
        return None
    return np.span(a, b, "ko.np_e")


def _list_follows(ctx: Ctx, i: int) -> bool:
    """A comma after the amount and another `X에 N원` (or the clause end) after it."""
    toks = ctx.tokens
    if i >= len(toks) or toks[i].text not in {",", "，"}:
        return False
    nxt = ctx.index + 1
    return (
        nxt < len(ctx.mentions) and ctx.text.count("에", toks[i].end, ctx.mentions[nxt].start) > 0
    )


def _time_or_place(ctx: Ctx, np: _NP, a: int, b: int) -> bool:
    """`2030년까지`, `올해에`, `광주에`: no item."""
    last = ctx.tokens[b]
    return (
        last.text in TIME_NNB
        or last.text in ctx.cfg["leading_drop_set"]
        or (np.proper_only(a, b) and not np.has_quote(a, b))
    )


def _subject(ctx: Ctx, np: _NP) -> Span | None:
    """`일반회계는 5조원`, `설계비가 82억원`, `분야는 3천억원으로`: the subject whose value the
    amount is. With an object particle after the amount the subject is the spender
    (`시는 50억원을 투입`), not the item. A generic subject (`총사업비는`) hands over to the
    sentence's topic (`GTX-C는 ... 노선으로, 총사업비는 4조원이다`)."""
    cfg = ctx.cfg
    toks = ctx.tokens
    k = _skip_left(ctx, ctx.left_index(), cfg["skip_between_set"])
    if (
        k < 1
        or toks[k].tag not in {"JKS", "JX"}
        or toks[k].text not in cfg["subject_particles_set"]
    ):
        return None
    if ctx.mention.currency != "KRW":  # trade and investment statistics (`수출이 7억 달러로`)
        return None
    if not _predicate_follows(ctx):
        return None
    if k >= 2 and toks[k - 1].tag == "JKB" and toks[k - 1].text == "에":  # `분야에는`
        k -= 1
    found = np.back(k - 1)
    if found is None or found[1] != k - 1:
        return None
    a, b = found
    if _agent(ctx, np, a, b):
        return None
    if ctx.tokens[b].text in ctx.cfg["generic_words_set"] and not np.has_head(a, b):
        return None  # `혜택 규모는`: a measure of something named elsewhere
    if not np.generic(a, b):
        if _time_or_place(ctx, np, a, b):
            return None
        return np.span(a, b, "ko.subject")
    if not np.has_head(a, b):
        return None
    return _sentence_topic(ctx, np, a)


SUBJECT_GAP = 6  # tokens of a unit, bound or basis between a subject and its amount


def _subject_far(ctx: Ctx, np: _NP) -> Span | None:
    """`생계급여는 4인 가구 기준 월 최대 195만원으로`, `당직근무비는 평일 기준 3만원에서`,
    `엑스코선은 총사업비 8,779억원을`: the topic whose value the amount is, with only
    a unit, bound or basis between (`subject_gap` words of rules/ko/link.toml,
    numbers and counters). An agent (`시는`) or a generic word is never the item."""
    cfg = ctx.cfg
    toks = ctx.tokens
    gap = cfg.get("subject_gap_set", frozenset()) | cfg["skip_between_set"]
    k = ctx.left_index()
    steps = 0
    while k >= 0 and steps < SUBJECT_GAP:
        t = toks[k]
        counter = t.tag in {"NNB", "XSN"} and t.text not in MONEY_UNITS
        if t.text in gap or t.tag == "SN" or counter:
            k, steps = k - 1, steps + 1
            continue
        break
    if steps == 0 or k < 1 or toks[k].tag != "JX" or toks[k].text not in {"은", "는"}:
        return None
    if ctx.mention.currency != "KRW":
        return None
    found = np.back(k - 1)
    if found is None or found[1] != k - 1:
        return None
    a, b = found
    if _agent(ctx, np, a, b) or np.generic(a, b) or _time_or_place(ctx, np, a, b):
        return None
    if toks[b].text in cfg["generic_words_set"] and not np.has_head(a, b):
        return None
    return np.span(a, b, "ko.subject_far")


DATIVE_GAP = 8  # tokens of time, bound or source words between `X에` and its amount
VERB_REACH = 8  # tokens after the amount where its spending verb may stand


def _dative_far(ctx: Ctx, np: _NP) -> Span | None:
    """`다자녀 가정 교통비 지원에 연간 34억원이 들`, `X 신공장 건설에 2028년까지 1조2천억원을
    투자`, `설계·감리에 110억원이 들어간다`, `X에도 9,400억원이 편성`: the phrase before
    에/에는/에도 with only time, bound or funding-source words (`subject_gap`,
    `dative_gap` of rules/ko/link.toml, numbers, counters) between it and the amount,
    and a spending verb after the amount. (`_np_e` takes `X에 N원` with nothing between.)"""
    cfg = ctx.cfg
    toks = ctx.tokens
    gap = (
        cfg.get("subject_gap_set", frozenset())
        | cfg.get("dative_gap_set", frozenset())
        | cfg["skip_between_set"]
    )
    k = ctx.left_index()
    steps = 0
    while k >= 0 and steps < DATIVE_GAP:
        t = toks[k]
        counter = t.tag in {"NNB", "XSN", "NR"} and t.text not in MONEY_UNITS
        if t.text in gap or t.tag == "SN" or counter or (t.tag == "JX" and t.text == "까지"):
            k, steps = k - 1, steps + 1
            continue
        break
    if k >= 1 and toks[k].tag == "JX" and toks[k].text in {"는", "도"}:
        k -= 1
    if k < 1 or toks[k].tag != "JKB" or toks[k].text != "에":
        return None
    found = np.back(k - 1)
    if found is None or found[1] != k - 1:
        return None
    a, b = found
    compact = np.text(a, b).replace(" ", "")
    # an institution (`코레일에는`); not `_agent`, whose one-letter heads (`원`) would
    # also refuse `... 지원에`
    if any(len(h) > 1 and compact.endswith(h) for h in cfg["agent_heads"]):
        return None
    if np.generic(a, b) or _time_or_place(ctx, np, a, b):
        return None
    verbs = cfg["invest_verbs_set"] | cfg["modifier_verbs_set"] | cfg.get("dative_verbs_set", set())
    for i in range(ctx.right_index(), min(len(toks), ctx.right_index() + VERB_REACH)):
        t = toks[i]
        if t.tag in {"EF", "SF"} or ctx.in_other_mention(t.start, t.end):
            return None
        if t.text in verbs and t.tag in {"VV", "NNG", "VA"}:
            return np.span(a, b, "ko.dative_far")
    return None


def _predicate_follows(ctx: Ctx) -> bool:
    """The amount is the predicate or subject (`5조원이다`, `3천억원으로`, `387억원이 편성`),
    not the object of the subject's own verb (`50억원을 투입`, `1억 달러 출자하면`)."""
    toks = ctx.tokens
    i = _right_start(ctx)
    while i < len(toks) and toks[i].text in ctx.cfg["amount_tails_set"]:
        i += 1
    if i >= len(toks):
        return True
    t = toks[i]
    if t.tag in {"JKO", "VV", "VA"}:
        return False
    verb = t.tag == "NNG" and i + 1 < len(toks) and toks[i + 1].tag in {"XSV", "XSA"}
    return not verb or toks[i + 1].text == "되"  # `2억원까지 지원된다`: passive


def _agent(ctx: Ctx, np: _NP, a: int, b: int) -> bool:
    """An institution or person (`산업부는`, `시는`, `관계자는`), never the item."""
    compact = np.text(a, b).replace(" ", "")
    heads = ctx.cfg["agent_heads"]
    if any(compact.endswith(w) for w in ctx.cfg["subject_reject"]):
        return True
    return np.proper_only(a, b) or any(compact.endswith(h) for h in heads)


def _sentence_topic(ctx: Ctx, np: _NP, before: int) -> Span | None:
    """The topic `X는` that opens the sentence, when it is a non-generic item name."""
    toks = ctx.tokens
    for k in range(1, before):
        t = toks[k]
        if t.tag in {"SP", "SF", "EC", "EF"} and t.text != "·":
            break
        if t.tag == "JX" and t.text in {"은", "는"}:
            found = np.back(k - 1)
            if found is None or found[0] != 0:
                return None
            a, b = found
            if np.generic(a, b) or _agent(ctx, np, a, b):
                return None
            return np.span(a, b, "ko.sentence_topic", "clause")
    return None


def _purpose(ctx: Ctx, np: _NP) -> Span | None:
    """`X를 위해 670억원`, `X을 위한 예산 100억원` -> X (its whole clause)."""
    toks = ctx.tokens
    k = ctx.left_index()
    lo = ctx.clause_start
    for i in range(k, 0, -1):
        t = toks[i]
        if t.start < lo:
            return None
        if t.text in ctx.cfg["purpose_verbs_set"] and t.tag == "VV" and toks[i - 1].tag == "JKO":
            return _clause_back(ctx, np, i - 2)
    return None


def _clause_back(ctx: Ctx, np: _NP, k: int) -> Span | None:
    """Nouns joined by 와/과/및/의/commas/brackets, back from token k to the clause start."""
    toks = ctx.tokens

    def takes(i: int, first: int | None) -> bool:
        t = toks[i]
        joiner = t.tag in {"JC", "JKG", "SP"} or t.text in {"및", "등"} or t.text in INNER_JOINERS
        return np.ok(i) or (first is not None and joiner) or (first == i + 1 and np.glued(i))

    first = np.walk_back(k, takes)
    if first is None:
        return None
    while first <= k and (toks[first].tag in {"JC", "JKG", "SP"} or toks[first].text == "및"):
        first += 1
    found = np._trim(first, k)
    if found is None or np.generic(*found):
        return None
    return np.span(found[0], found[1], "ko.purpose", "clause")


def _clause_np(ctx: Ctx, np: _NP) -> Span | None:
    """The nearest named budget item earlier in the clause (`소상공인 지원예산 중 ... 1600억원`)."""
    toks = ctx.tokens
    lo = ctx.clause_start
    for k in range(ctx.left_index(), -1, -1):
        if toks[k].start < lo:
            return None
        if not (np.ok(k) or k in np.quote_at_close):
            continue
        if k + 1 < len(toks) and (np.ok(k + 1) and toks[k + 1].start >= toks[k].end):
            continue  # not the end of a phrase
        found = np.back(k)
        if found is None or toks[found[0]].start < lo:
            continue
        a, b = found
        if np.quoted(a, b) or (np.has_head(a, b) and not np.generic(a, b)):
            return np.span(a, b, "ko.clause_np", "clause")
    return None


# ------------------------------------------------------------------ names (for anaphora)


def names(text: str, sentence, tokens: list[Token], quotes, cfg) -> list[tuple[int, int]]:
    """Spans of project names in a sentence: quoted names and non-generic budget phrases."""
    from ..models import MoneyMention

    dummy = MoneyMention(sentence.end, sentence.end, "", None, "")
    ctx = Ctx(text, sentence, tokens, dummy, [dummy], 0, quotes, cfg)
    np = _NP(ctx)
    spans = []
    k = len(tokens) - 1
    while k >= 0:
        if np.ok(k) or k in np.quote_at_close:
            found = np.back(k)
            if found is not None:
                a, b = found
                if np.quoted(a, b) or (np.has_head(a, b) and not np.generic(a, b)):
                    s = np.span(a, b, "")
                    spans.append((s.start, s.end))
                k = a - 1
                continue
        k -= 1
    return sorted(spans)


def headline_items(text: str, sentence, tokens: list[Token], cfg) -> list[tuple[int, int]]:
    """Noun phrases of a headline that may name the article's item without a budget
    head (`스마트 물류단지 조성 속도`, `공영버스 차고지 이전`): quoted, or at least two
    nouns and neither generic nor only proper names (places, institutions)."""
    from ..models import MoneyMention

    dummy = MoneyMention(sentence.end, sentence.end, "", None, "")
    ctx = Ctx(text, sentence, tokens, dummy, [dummy], 0, [], cfg)
    np = _NP(ctx)
    spans = []
    k = len(tokens) - 1
    while k >= 0:
        found = np.back(k) if np.ok(k) else None
        if found is None:
            k -= 1
            continue
        a, b = found
        nouns = [t for t in tokens[a : b + 1] if t.tag in NOUN_TAGS]
        if len(nouns) >= 2 and not np.generic(a, b) and not np.proper_only(a, b):
            s = np.span(a, b, "")
            spans.append((s.start, s.end))
        k = a - 1
    return sorted(spans)


def may_name(text: str, sentence, quotes, cfg) -> bool:
    """False only when `names` provably finds nothing, so the caller may skip the Kiwi
    analysis of the sentence. Keep in step with `names` (tests/test_linking_memo.py
    checks it on the labeled sets).

    Why it is necessary, whatever tags and morphemes Kiwi gives: every span `names`
    returns is a quoted name (none without a quote) or a phrase P of the sentence's
    tokens with `has_head` (P's text with spaces removed, `compact(P)`, ends with a
    budget head) and not `generic`. The tokens lie inside the sentence, so compact(P)
    is a substring of the sentence's compact text ending where a head is written. And
    `generic` is true, whatever P's tokens are, when compact(P) is one of the generic
    words or heads and P is no named budget (`named_budget` needs compact(P) to end
    with a `named_budget_heads` word). So a sentence with no quote names nothing when
    every such substring, from any start up to the end of any head written in it, is
    one of those words: no head written at all (about 40% of the look-back sentences
    of the bench corpus), or heads only at the very start, written as generic words
    (`사업 참여율은 ...`, `사업명 | 2025년 | ...`, `사업비 집행률은`; not `총사업비`:
    `총사업` may be a phrase). Where anything else stands before a head, whether it
    joins the phrase depends on Kiwi's tags (`마련해 사업을`, `이번 사업은`), so nothing
    on the raw text proves the sentence names nothing."""
    heads = cfg.get("budget_heads")
    if quotes or heads is None:
        return True
    compact = text[sentence.start : sentence.end].replace(" ", "")
    skip = word_union(cfg, "generic_words_set", "budget_heads_set")
    named = tuple(cfg.get("named_budget_heads", ()))
    for head in heads:
        at = compact.find(head)
        while at >= 0:
            end = at + len(head)
            for start in range(at + 1):  # every phrase ending with this head
                phrase = compact[start:end]
                if phrase not in skip or phrase.endswith(named):
                    return True
            at = compact.find(head, at + 1)
    return False


CHUNKS_BEFORE = 4  # noun phrases before an amount that `chunks` proposes
CHUNK_TOKENS = 40  # tokens back from the amount that `chunks` walks


def chunks(ctx: Ctx) -> list[Span]:
    """Noun phrases around the amount, nearest first: up to CHUNKS_BEFORE ending before
    it in its clause (`특별교부세 186억원`, `보통교부세로 4조원을`, `X는 ... N원`) and the
    first after it (`N원 규모의 X`). Rule id `ko.chunk_<particle tag after it>`: the
    scorer weighs which particles mark the item (subject, topic, 에, 로, none ...)."""
    np = _np_of(ctx)
    toks = ctx.tokens
    out: list[Span] = []
    k = ctx.left_index()
    lo = max(-1, k - CHUNK_TOKENS)
    clause = ctx.clause_start
    while k > lo and len(out) < CHUNKS_BEFORE:
        if toks[k].start < clause:
            break
        if not np.ok(k):
            k -= 1
            continue
        found = np.back(k)
        if found is None:
            k -= 1
            continue
        a, b = found
        if not np.generic(a, b) and not _per_unit(toks, b) and not _verb_noun(toks, a, b):
            a2, b2 = np.drop_trailing(a, b)
            tag = toks[b + 1].tag if b + 1 < len(toks) else "END"
            if b + 1 < len(toks) and toks[b + 1].start >= ctx.mention.start:
                tag = "NEXT"  # right before the amount
            out.append(np.span(a2, b2, f"ko.chunk_{tag}", "clause"))
            joined = _coordinated(ctx, np, a2, b2)
            if joined is not None:
                out.append(joined)
        k = a - 1
    topic = _first_topic(ctx, np)
    if topic is not None:
        out.append(topic)
    r = ctx.right_index()
    for j in range(r, min(len(toks), r + 6)):
        if np.ok(j):
            found = np.forward(j)
            if toks[j].text in ctx.cfg.get("after_reject_first_set", ()):
                break  # `2조원 당 대표 명의로`: no item starts with the amount's `당`
            if (
                found is not None
                and not np.generic(*found)
                and not _per_unit(toks, found[1])
                and not _verb_noun(toks, *found)
            ):
                out.append(np.span(*np.drop_trailing(*found), "ko.chunk_after", "clause"))
            break
    return [sp for sp in out if not not_item_span(ctx, sp)]


def _verb_noun(toks: list[Token], a: int, b: int) -> bool:
    """The phrase a..b is one verb noun made the predicate (`50만원이 지급된다`: 지급/NNG
    되/XSV; `투입한다`, `편성했다`): what happens to the money, not the item."""
    return (
        a == b
        and b + 1 < len(toks)
        and toks[b + 1].tag in {"XSV", "XSA"}
        and toks[b].end == toks[b + 1].start
    )


def _per_unit(toks: list[Token], b: int) -> bool:
    """Token b is the `당` of a per-unit rate (`가구당`, `업체당`, `ha당`, `1인당`; Kiwi
    tags it XSN, or NNG after a list marker: `- 군당`), written onto the unit before it:
    a phrase ending there is whom or what the amount is counted by, never the item."""
    return (
        toks[b].text == "당"
        and toks[b].tag in {"XSN", "NNG"}
        and b > 0
        and toks[b - 1].end == toks[b].start
        and toks[b - 1].tag in {"NNG", "NNP", "NNB", "SL", "SN", "XSN"}
    )


TOPIC_TOKENS = 60  # tokens from the sentence start where its topic `X는` is sought


def _first_topic(ctx: Ctx, np: _NP) -> Span | None:
    """The sentence's first topic `X은/는` before the amount, wherever the amount stands
    (`지방소멸대응기금은 내년 도내 12개 시·군에 모두 1,152억 원이 배분된다`, `1차 펀드는
    지금까지 기업 37곳에 2,640억원을 투자했다`): rule `ko.chunk_topic`, one more noun
    phrase for the scorer. An agent (`시는`), a time or place, a generic word is none."""
    toks = ctx.tokens
    for k in range(1, min(len(toks), TOPIC_TOKENS)):
        t = toks[k]
        if t.start >= ctx.mention.start:
            return None
        if t.tag != "JX" or t.text not in {"은", "는"}:
            continue
        found = np.back(k - 1)
        if found is None or found[1] != k - 1:
            return None
        a, b = found
        if np.generic(a, b) or _agent(ctx, np, a, b) or _time_or_place(ctx, np, a, b):
            return None
        return np.span(a, b, "ko.chunk_topic", "clause")
    return None


COORDINATORS = {"와", "과", "및"}


def _coordinated(ctx: Ctx, np: _NP, a: int, b: int) -> Span | None:
    """The phrase a..b with the phrase joined to it by 와/과/및 before it, as one item
    (`인덕원역과 왕십리역 추가`, `조명과 환기 설비 교체`, `장서와 가구 구입비`): rule
    `ko.chunk_coord`, a longer variant the scorer weighs against the phrase alone."""
    toks = ctx.tokens
    j = a - 1
    if j < 1 or toks[j].text not in COORDINATORS or toks[j].tag not in {"JC", "MAJ", "MAG", "JKB"}:
        return None
    if toks[j].start < ctx.clause_start:
        return None
    found = np.back(j - 1)
    if found is None or found[1] != j - 1 or np.generic(*found):
        return None
    return np.span(found[0], b, "ko.chunk_coord", "clause")


def trimmed_variants(text: str, start: int, end: int, cfg) -> list[tuple[str, int, int]]:
    """Shorter variants of a phrase around an amount, each (kind, start, end) in `text`,
    for the scorer to weigh against the phrase (the labels give the shortest span that
    names the item; word lists: rules/ko/link.toml): `saeop` drops a separate last word
    `사업` (`탐나는 여행쿠폰 사업` -> `탐나는 여행쿠폰`; `2단계 사업` keeps it: a bare
    stage is no name), `owner` the leading owner words, places and bodies written with
    their suffix (`청주시 신청사 건립` -> `신청사 건립`, `해양수산부 어촌신활력증진사업`),
    `count` a last word counting the item (`산불 감시 드론 120대`; not an ordinal that
    names it, `2단계`: trim_count_keep), `cost` a separate last cost word (`일산 중앙도서관
    건립비` -> `일산 중앙도서관`) and `cost_stem` its last 비 (`관로 공사비` -> `관로 공사`).
    generators.py proposes them for phrases of the amount's sentence and, in Korean, for
    items named elsewhere, each carrying the generator it was cut from."""
    phrase = text[start:end]
    words = list(re.finditer(r"\S+", phrase))
    out: list[tuple[str, int, int]] = []
    if len(words) >= 3 or (len(words) == 2 and len(words[0].group()) >= 3):
        if words[-1].group() in cfg.get("trim_tail_words_set", frozenset()):
            prev = words[-2].group()
            if not re.search(r"\d", prev):  # `2단계 사업`, `7개 사업`: not the name alone
                out.append(("saeop", start, start + words[-2].end()))
    owners = tuple(cfg.get("trim_owner_suffixes", ()))
    i = 0
    while i < len(words) - 1:
        w = words[i].group()
        if 3 <= len(w) <= 8 and w.endswith(owners) and re.fullmatch(r"[가-힣]+", w):
            i += 1
        elif w in cfg.get("region_short_set", frozenset()) and i + 1 < len(words) - 1:
            i += 1  # `충북 청주시 ...`: a province before a place with its suffix
            continue
        else:
            break
    if 0 < i < len(words):
        out.append(("owner", start + words[i].start(), end))
    if len(words) >= 2:
        last = words[-1].group()
        cut = start + words[-2].end()
        # `공공비축미 45만t`, `산불 감시 드론 120대`, `어촌신활력증진사업 40곳`: a count of
        # the item after it (not an ordinal that names it: `2단계`, `2차`, `7호선`)
        m = re.fullmatch(r"[\d,.]+(?:만|천|백)?([가-힣A-Za-z]{0,2})", last)
        if m and m.group(1) not in cfg.get("trim_count_keep_set", frozenset()):
            out.append(("count", start, cut))
        # `국립 전북 스포츠 트레이닝센터 설계비`, `일산 중앙도서관 건립비`: a cost of the item
        elif last in cfg.get("trim_cost_words_set", frozenset()):
            out.append(("cost", start, cut))
        # `관로 공사비` -> `관로 공사`, `용수관로 설계비` -> `용수관로 설계`
        if last.endswith(tuple(cfg.get("trim_cost_stems", ()))) and len(last) >= 3:
            out.append(("cost_stem", start, end - 1))
    return out
