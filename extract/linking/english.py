"""English linking rules over spaCy blank("en") words (cue words: rules/en/link.toml).

There is no tagger: clause ends are found with word lists (finite verbs,
relative words, punctuation) plus one shape rule (a lower-case `-ed` word after
a noun and before a preposition is a participle that ends the phrase:
`funding for Gwangju secured for 2026`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..models import Token
from .context import Ctx, Span

DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "our"}
PREPOSITIONS = {
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "to",
    "for",
    "into",
    "under",
    "over",
    "through",
    "about",
    "via",
    "including",
    "across",
    "within",
    "during",
    "toward",
    "towards",
    "among",
}
SMALL_WORDS = {"of", "and", "the", "a", "an", "for", "in", "on", "to", "with", "&", "-", "at"}
PARTICIPLE_FOLLOWERS = PREPOSITIONS | {"last", "this", "next", "earlier", "so", "as"}
OPEN_QUOTES = {'"', "'", "“", "‘", "「", "『"}
TRAILING = " \t\n,.;:'\"“”‘’)-–—"


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.blank("en")


def tokenize(text: str) -> list[Token]:
    """spaCy words of `text` (offsets relative to it), for sentences given without tokens."""
    return [Token(t.text, t.idx, t.idx + len(t.text), "") for t in _nlp()(text) if t.text.strip()]


# ------------------------------------------------------------------ helpers


def _low(t: Token) -> str:
    return t.text.lower()


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word.isupper() and len(word) > 1)


def _quoted_name(ctx: Ctx, qs: int, qe: int) -> bool:
    """A quoted title (`'Physical AI-Based Humanoid ... Zone,'`), not quoted speech."""
    inner = ctx.text[qs:qe].strip(TRAILING)
    words = re.findall(r"[A-Za-z][\w&-]*", inner)
    if not words or len(words) > 14 or re.search(r"[.!?]\s", inner):
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if not content:
        return False
    return sum(_capitalised(w) for w in content) / len(content) >= 0.6


def _quote_starting(ctx: Ctx, offset: int) -> tuple[int, int] | None:
    """The quoted name whose opening mark is at `offset`."""
    for qs, qe in ctx.quotes:
        if qs - 1 == offset and _quoted_name(ctx, qs, qe):
            return qs, _strip_end(ctx.text, qs, qe)
    return None


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return end


def _in_mention(ctx: Ctx, t: Token) -> bool:
    return any(t.start < m.end and m.start < t.end for m in ctx.mentions)


def _skip_paren(ctx: Ctx, i: int) -> int:
    """Skip a parenthesis right after the amount: `($1.1 billion)`, `(16.6%)`."""
    toks = ctx.tokens
    if i < len(toks) and toks[i].text == "(":
        for j in range(i + 1, min(len(toks), i + 12)):
            if toks[j].text == ")":
                return j + 1
    return i


def _participle_stop(ctx: Ctx, i: int) -> bool:
    toks = ctx.tokens
    word = toks[i].text
    if word in ctx.cfg["participle_keep_set"]:
        return False
    if not (word.islower() and word.endswith("ed") and len(word) > 4) or i == 0:
        return False
    prev = toks[i - 1]
    if _low(prev) in DETERMINERS | PREPOSITIONS | {"-", "and", "or", "of"} or prev.text.endswith(
        "ly"
    ):
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is None or _low(nxt) in PARTICIPLE_FOLLOWERS or not nxt.text[:1].isalnum()


def _phrase_after(
    ctx: Ctx,
    i: int,
    rule: str,
    strength: str = "local",
    recipients_ok: bool = False,
    heads_ok: bool = False,
) -> Span | None | bool:
    """The item phrase starting at token i. False when it is clearly no item (stop looking).
    `heads_ok`: a bare head word (`such incentives`) is proposed, not left to anaphora."""
    cfg = ctx.cfg
    toks = ctx.tokens
    while i < len(toks) and _low(toks[i]) in DETERMINERS | {"such"}:
        i += 1
    i = _skip_owner(ctx, i)
    if i >= len(toks):
        return False
    quoted = _quote_starting(ctx, toks[i].start)
    if quoted is not None:
        return Span(quoted[0], quoted[1], rule, strength)
    stops = cfg["stop_words_set"]
    puncts = cfg["stop_punct_set"]
    last = None
    j = i
    while j < len(toks) and j < i + 30:
        t = toks[j]
        low = _low(t)
        if low == "," and j > i and _place_after_comma(ctx, j):
            last, j = j + 1, j + 2  # `Taylor, Texas, fab`: a place name completes the name
            continue
        hyphened = j > i + 1 and _joined(toks, j - 1)  # `deficit-covering bonds`: one word
        # a stop word before a hyphen is the start of one word (`cost-of-living package`)
        hyphened = hyphened or (j + 2 < len(toks) and _joined(toks, j + 1))
        if (
            low in puncts
            or (low in stops and not hyphened)
            or _in_mention(ctx, t)
            or t.start >= ctx.sentence.end
        ):
            break
        if low in {"and", "or"} and j + 1 < len(toks):
            nxt = toks[j + 1]
            if _in_mention(ctx, nxt) or nxt.text[:1].isdigit() or nxt.text in {"$", "₩", "KRW"}:
                break
            if j > i and _new_clause(ctx, j):
                break  # `for the Northern Line upgrade and no money was left`
        if j > i and _participle_stop(ctx, j):
            break
        last = j
        j += 1
    if last is None:
        return False
    start, end = toks[i].start, toks[last].end
    phrase = ctx.text[start:end]
    for rx in cfg["time_tail_re"]:
        phrase = rx.sub("", phrase)
    end = _strip_end(ctx.text, start, start + len(phrase))
    while True:  # no dangling preposition or article at the end
        m = re.search(r"\s+(\S+)$", ctx.text[start:end])
        if not m or m.group(1).lower() not in PREPOSITIONS | DETERMINERS | {"of", "and", "or"}:
            break
        end = start + m.start()
    phrase = ctx.text[start:end]
    if not phrase or any(rx.search(phrase) for rx in cfg["reject_object_re"]):
        return False
    if _proper_only(ctx, start, end) and not (heads_ok and _titled(ctx, i, start, end)):
        return False
    words = phrase.lower().split()
    if not recipients_ok and len(words) <= 3 and words[-1] in cfg["recipient_words_set"]:
        return False
    if (
        not heads_ok
        and phrase.lower() in cfg["name_heads_set"]
        and phrase.lower() not in cfg.get("instrument_objects_set", frozenset())
    ):
        return None  # `for the project`: an anaphor, resolved later (`for loans` is no
        # anaphor: rules/en/link.toml instrument_objects)
    return Span(start, end, rule, strength)


CLAUSE_REACH = 5  # words after `and` where a verb makes it join clauses, not nouns


def _new_clause(ctx: Ctx, j: int) -> bool:
    """The `and`/`or` at token j joins a new clause, not another noun of the phrase: a
    pronoun, a negation or `the rest` follows (`and no money was left`, `and it will`,
    `and the rest into planning`), or a finite
    verb (rules/en/link.toml clause_verbs) within CLAUSE_REACH words with no punctuation,
    preposition, relative word or amount before it (`and the council will add N`,
    `and libraries get N`; `roads and bridges that were damaged` stays one phrase)."""
    cfg = ctx.cfg
    toks = ctx.tokens
    verbs = cfg.get("clause_verbs_set", frozenset())
    leads = cfg.get("clause_leads_set", frozenset())
    if j + 1 < len(toks) and _low(toks[j + 1]) in leads:
        return True
    if j + 2 < len(toks) and f"{_low(toks[j + 1])} {_low(toks[j + 2])}" in leads:
        return True  # `and the rest into planning`: a gapped list's next entry
    for k in range(j + 1, min(len(toks), j + 1 + CLAUSE_REACH)):
        t = toks[k]
        low = _low(t)
        if low in verbs:
            # `and will start work`: a verb phrase (rules/en/link.toml clause_auxiliaries)
            return k > j + 1 or low in cfg.get("clause_auxiliaries_set", frozenset())
        if (
            not t.text[:1].isalnum()
            or low in PREPOSITIONS
            or low in {"that", "which", "who", "whose", "where", "and", "or"}
            or _in_mention(ctx, t)
        ):
            return False
    return False


def _skip_owner(ctx: Ctx, i: int) -> int:
    """Token index after a leading owner (`the EPA's Brownfields Program`, `the city's
    overseas campaign`) or a lead word that is no part of a name (`a proposed festival`,
    `by issuing deficit bonds`: rules/en/link_words.toml item_lead_drop)."""
    toks = ctx.tokens
    lead = ctx.cfg.get("item_lead_drop_set", frozenset())
    for _ in range(2):
        pair = " ".join(_low(t) for t in toks[i : i + 2])
        if i + 2 < len(toks) and pair in lead:
            i += 2
        elif i + 1 < len(toks) and _low(toks[i]) in lead:
            i += 1
    for j in range(i + 1, min(len(toks) - 1, i + 4)):
        if toks[j].text in {"'s", "’s"}:
            owners = ctx.cfg.get("owner_words_set", frozenset())
            if all(_capitalised(t.text) or _low(t) in owners for t in toks[i:j]):
                return j + 1
            break
        if not toks[j].text[:1].isalnum():
            break
    return i


def _titled(ctx: Ctx, i: int, start: int, end: int) -> bool:
    """A capitalised name of two words or more after `the` or an amount (`for the
    Suburban Rail Loop East`, `$12.6 billion Metaplant America`): a title, not a place."""
    words = [w for w in re.findall(r"[A-Za-z][\w&]*", ctx.text[start:end]) if w[:1].isupper()]
    if len(words) < 2 or i == 0:
        return False
    before = ctx.tokens[i - 1]
    if (
        i >= 2
        and _low(before) == "the"
        and _low(ctx.tokens[i - 2]) in {"in", "at", "from", "across"}
    ):
        return False  # `in the United States`: a place
    return _low(before) == "the" or _in_mention(ctx, before) or before.text in {"won", "-"}


def _place_after_comma(ctx: Ctx, j: int) -> bool:
    """`, Texas` (a state or country) after a capitalised place at token j-1."""
    toks = ctx.tokens
    return (
        j + 1 < len(toks)
        and _capitalised(toks[j - 1].text)
        and toks[j + 1].text.lower() in ctx.cfg["place_names_set"]
    )


def _names_item(ctx: Ctx, span: Span) -> bool:
    """A phrase after `to` names an item: quoted, known, or headed by program/project/..."""
    if ctx.text[span.start - 1 : span.start] in OPEN_QUOTES:
        return True
    if any(h.start < span.end and span.start < h.end for h in ctx.hits):
        return True
    phrase = ctx.text[span.start : span.end]
    # `a battery materials plant in Saemangeum`: the head is before the place
    phrase = re.sub(r"\s+in\s+(?:[A-Z][\w-]*\s*)+$", "", phrase)
    words = re.findall(r"[A-Za-z][\w&-]*", phrase)
    return bool(words) and words[-1].lower() in ctx.cfg["name_heads_set"]


def _proper_only(ctx: Ctx, start: int, end: int) -> bool:
    """`Gwangju`, `Samsung Electronics`: a name of a place or recipient, not an item."""
    words = _CAP_WORD.findall(ctx.text[start:end])
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if not content or not all(_capitalised(w) for w in content):
        return False
    if content[-1].lower() in ctx.cfg["name_heads_set"]:
        return False
    return not any(h.start < end and start < h.end for h in ctx.hits)


def _phrase_before(ctx: Ctx, k: int) -> tuple[int, int] | None:
    """The noun phrase ending at token k (after its article), walking back."""
    toks = ctx.tokens
    cfg = ctx.cfg
    if k >= 0 and toks[k].text in {"”", '"', "'", "’"}:
        for qs, qe in ctx.quotes:
            if qe == toks[k].start and _quoted_name(ctx, qs, qe):
                return qs, _strip_end(ctx.text, qs, qe)
    stops = _back_stops(cfg)
    first = None
    i = k
    while i >= 0 and i > k - 8:
        t = toks[i]
        if _joined(toks, i):  # `per-pupil`, `rainy-day`: a hyphen inside a word
            first, i = i - 1, i - 2
            continue
        compound = i > 0 and _joined(toks, i - 1)  # `top-up`: a stop word ending a compound
        if (_low(t) in stops and not compound) or _in_mention(ctx, t):
            break
        if t.text in cfg["headline_verbs_set"]:  # lower case only: `Extended Day Program`
            break
        if t.start < ctx.sentence.start:
            break
        if t.text.islower() and t.text.endswith("ed") and t.text not in cfg["participle_keep_set"]:
            if not (i > 0 and _joined(toks, i - 1)):  # `cable-stayed` stays
                break
        if t.text in {"'s", "’s"} and i > 0:
            if _low(toks[i - 1]) in cfg.get("owner_words_set", ()) or first is None:
                break  # `the city's overseas campaign`: the owner is not the item
        first, i = i, i - 1
    if first is None:
        return None
    while first < k and toks[first].text in {"-", "'s", "’s"}:
        first += 1
    return toks[first].start, toks[k].end


_UNIONS: dict[tuple[int, str], tuple[dict, frozenset[str]]] = {}
_HEAD_AFTER_EXTRA = frozenset(PREPOSITIONS | DETERMINERS | {"and", "or"})


def _union(cfg: dict, name: str, *parts: str, extra: frozenset[str] = frozenset()) -> frozenset:
    """The union of the word sets `parts` of `cfg` (missing ones empty) and `extra`, built
    once per configuration and `name` instead of on every amount (a hot path). Keyed by
    the config object, which it holds."""
    held = _UNIONS.get((id(cfg), name))
    if held is None or held[0] is not cfg:
        words = frozenset(extra).union(*(cfg.get(p, frozenset()) for p in parts))
        if len(_UNIONS) > 32:  # configurations reloaded in a long-lived process
            _UNIONS.clear()
        held = _UNIONS[(id(cfg), name)] = (cfg, words)
    return held[1]


def _back_stops(cfg: dict) -> frozenset[str]:
    """The words `_phrase_before` stops at."""
    return _union(
        cfg,
        "back_stops",
        "stop_words_set",
        "stop_punct_set",
        "back_stop_verbs_set",
        "chunk_verbs_set",
        "chunk_adverbs_set",
        extra=PREPOSITIONS | DETERMINERS | {"and", "or", "of"},
    )


def _joined(toks: list[Token], i: int) -> bool:
    """Token i is a hyphen with no space either side (`per-pupil`)."""
    return (
        toks[i].text == "-"
        and 0 < i < len(toks) - 1
        and toks[i - 1].end == toks[i].start
        and toks[i].end == toks[i + 1].start
    )


def _clause_name(ctx: Ctx, lo: int, hi: int) -> Span | None:
    """The nearest quoted or known name in text[lo:hi]."""
    best = None
    for qs, qe in ctx.quotes:
        if lo <= qs and qe <= hi and _quoted_name(ctx, qs, qe):
            if best is None or qs > best[0]:
                best = (qs, _strip_end(ctx.text, qs, qe), "")
    for h in ctx.hits:
        if lo <= h.start and h.end <= hi and (best is None or h.start > best[0]):
            best = (h.start, h.end, h.project_id)
    if best is None:
        return None
    return Span(best[0], best[1], "en.clause_name", "clause", project_id=best[2])


def _has_anaphor(ctx: Ctx, lo: int, hi: int) -> bool:
    return any(rx.search(ctx.text, lo, hi) for rx in ctx.cfg["anaphora_re"])


# ------------------------------------------------------------------ rules


def negative(ctx: Ctx) -> str:
    """`annual sales of 3 billion won or less`, `revenue of 79 trillion won`, a price
    (`Fees start at $20`, `Bitcoin rose to $90,000`: `_price`); the second end of a
    change whose first end is one of these (`_change_end`)."""
    return _negative(ctx) or _change_end(ctx)


# Between the two ends of a change: `from £62 to £68`, `from $30 this year to $35`, and
# the reverse order `to £68 from £62` (up to three words between, no digits, no clause mark)
_CHANGE_GAP = re.compile(r"\s+(?:[A-Za-z'’-]+\s+){0,3}?(?P<w>to|from)\s+\Z")
_CHANGE_START = re.compile(r"\b(?P<w>from|to)\s+\Z")


def _change_end(ctx: Ctx) -> str:
    """The rule that makes the first end of a change no project's money (a fee, a price, a
    payer's bill: `_negative`), for its second end: `The annual licence fee rises from £62
    to £68` (£68 was linked to `licence fee`), `fares went to $3 from $2.50`."""
    if ctx.index == 0:
        return ""
    prev = ctx.mentions[ctx.index - 1]
    gap = _CHANGE_GAP.fullmatch(ctx.text, prev.end, ctx.mention.start)
    if gap is None:
        return ""
    lead = _CHANGE_START.search(ctx.text, max(ctx.sentence.start, prev.start - 6), prev.start)
    if lead is None or lead.group("w") == gap.group("w"):
        return ""  # `from X to Y` or `to X from Y`, never `to X to Y`
    return _negative(replace(ctx, mention=prev, index=ctx.index - 1))


def _negative(ctx: Ctx) -> str:
    if _price(ctx):
        return "en.price"
    if _payer(ctx):
        return "en.payer"
    if _effect(ctx):
        return "en.effect"
    if _balance(ctx):
        return "en.figure"
    if _charge(ctx):
        return "en.fee"
    toks = ctx.tokens
    skip = ctx.cfg["qualifier_words_set"] | {"of", "annual", "yearly", "with", "its", "an"}
    k = ctx.left_index()
    steps = 0
    while k >= 0 and _low(toks[k]) in skip and steps < 4:
        k, steps = k - 1, steps + 1
    if k >= 0 and _low(toks[k]) in ctx.cfg["threshold_before_set"]:
        return "en.threshold"
    figures = ctx.cfg["figure_words_set"]
    if k >= 0 and _low(toks[k]) in figures:
        return "en.figure"
    i = ctx.right_index()
    while i < len(toks) and toks[i].text in {"-", "won", "KRW"} and i < ctx.right_index() + 2:
        i += 1
    if i < len(toks) and _low(toks[i]) in figures - {"value", "market", "valued"}:
        return "en.figure"
    return ""


_CLAUSE_MARK = re.compile(r"[,;:(\[—–]|\s-\s")


def _price(ctx: Ctx) -> bool:
    """The clause before the amount (from its last `,;:(`) makes it a price, a fare or a
    market value (rules/en/link.toml price_before, unless the clause names a budget word
    or a program head: `Tuition grants are $500`; market_move_before only when the text
    before names no budget or program word: `The tax credit rises to C$500`)."""
    lo = max(ctx.sentence.start, ctx.mention.start - 200)
    before = ctx.text[lo : ctx.mention.start]
    marks = list(_CLAUSE_MARK.finditer(before))
    clause = before[marks[-1].end() :] if marks else before
    cfg = ctx.cfg
    if any(_price_match(cfg, rx, clause) for rx in cfg["price_before_re"]):
        # a price word inside a program's name (`Tuition Assistance Grant is`, `rent
        # relief fund`, `toll road project will cost`) makes no price
        heads = _union(cfg, "price_heads", "budget_words_set", "name_heads_set")
        if any(w in heads for w in re.findall(r"[a-z]+", clause.lower())):
            return False
        # `costs ₱2.5 million to build`: what building it costs, not a price
        return not _BUILD_AFTER.match(ctx.text, ctx.mention.end)
    if not any(rx.search(clause) for rx in cfg["market_move_before_re"]):
        return False
    block = _union(
        cfg, "market_block", "price_block_words_set", "budget_words_set", "name_heads_set"
    )
    # the subject may stand before a comma (`The scheme, which pays ..., will rise to`)
    return not any(w in block for w in re.findall(r"[a-z]+", before.lower()))


_NEXT_WORD = re.compile(r"[\s-]+([A-Za-z]+)")
_PRICE_LEADS = frozenset({"a", "an", "one", "and", "but", "while", "whereas"})


def _price_match(cfg: dict, rx: re.Pattern, clause: str) -> bool:
    """Whether `rx` (a price_before pattern) matches `clause` at a fee word that is no
    part of a compound naming a project or its cost: `Toll road construction costs rose
    from` (charge_block_words right after the fee word: toll road, fare-free, fee waiver)
    names no price; a later fee word of the clause may still (`toll road fares rose to`)."""
    block = _union(cfg, "charge_compound", "charge_block_words_set")
    pos = 0
    while pos <= len(clause):
        m = rx.search(clause, pos)
        if m is None:
            return False
        word = re.match(r"[A-Za-z]+", clause[m.start() :])
        nxt = _NEXT_WORD.match(clause, m.start() + len(word.group())) if word else None
        if nxt is None or word.group().lower() in _PRICE_LEADS or nxt.group(1).lower() not in block:
            return True
        pos = m.start() + 1
    return False


def _clause_before(ctx: Ctx) -> str:
    """The text of the amount's clause before it: after the last `,;:(` or ` - ` of the
    200 characters before the amount, within its sentence."""
    lo = max(ctx.sentence.start, ctx.mention.start - 200)
    before = ctx.text[lo : ctx.mention.start]
    marks = list(_CLAUSE_MARK.finditer(before))
    return before[marks[-1].end() :] if marks else before


def _payer(ctx: Ctx) -> bool:
    """A payer is the clause's subject (rules/en/link.toml payer_before): `visitors will pay
    1,500 won per night`, `A Band D household will pay £2,214`, `the center charges 5,000
    won`: a fee or a bill, not the item's money; unless a program word stands in the clause
    (`The BC Family Benefit will pay up to C$2,188`) or the words after the amount name
    its purpose (payer_spared_after: `Taxpayers will spend $1.2 billion on the stadium`)."""
    clause = _clause_before(ctx)
    cfg = ctx.cfg
    if not any(rx.search(clause) for rx in cfg["payer_before_re"]):
        return False
    after = ctx.text[ctx.mention.end : min(ctx.sentence.end, ctx.mention.end + 80)]
    if any(rx.search(after) for rx in cfg.get("payer_spared_after_re", ())):
        return False
    block = _union(
        cfg, "payer_block", "payer_block_words_set", "budget_words_set", "name_heads_set"
    )
    return not any(w in block for w in re.findall(r"[a-z]+", clause.lower()))


def _effect(ctx: Ctx) -> bool:
    """The amount is an estimated economic effect (rules/en/link.toml effect_after,
    effect_before): `5.1 trillion won in production inducement effects`, `add €900
    million a year to the region's GDP`, `economic benefits worth €2 billion`."""
    cfg = ctx.cfg
    end = min(ctx.sentence.end, ctx.mention.end + 80)
    after = ctx.text[ctx.mention.end : end]
    if any(rx.match(after) for rx in cfg["effect_after_re"]):
        return True
    clause = _clause_before(ctx)
    return any(rx.search(clause) for rx in cfg["effect_before_re"])


def _balance(ctx: Ctx) -> bool:
    """A deficit or a debt is the clause's subject (rules/en/link.toml balance_before):
    `The fiscal deficit is pegged at Rs 74,200 crore`, `the federal debt, which is projected
    to reach C$1.35 trillion`: a fiscal balance, not money allocated to an item; unless
    the clause names what pays it down (balance_block_words, budget words, name heads:
    `deficit-covering bonds`, `a debt relief program`)."""
    cfg = ctx.cfg
    lo = max(ctx.sentence.start, ctx.mention.start - 120)
    before = ctx.text[lo : ctx.mention.start]
    if not any(rx.search(before) for rx in cfg.get("balance_before_re", ())):
        return False
    block = _union(
        cfg, "balance_block", "balance_block_words_set", "budget_words_set", "name_heads_set"
    )
    clause = _clause_before(ctx).lower()
    return not any(w in block for w in re.findall(r"[a-z]+", clause))


def _charge(ctx: Ctx) -> bool:
    """The amount is a fee, a fare or a permit's price itself (rules/en/link.toml
    charge_after, charge_before): `a $50 application fee`, `the £1 flat fare`, `a licence
    fee of 45,000 won`, `departure tax of ¥1,000 per traveler`; LABELED_SET.md: prices and
    fees get no project. Not when a program word stands between the amount and the fee
    word or right after it (charge_block_words, budget words, name heads: `a $2 million
    fee waiver program`, `a $300 million toll road`)."""
    cfg = ctx.cfg
    end = min(ctx.sentence.end, ctx.mention.end + 80)
    after = ctx.text[ctx.mention.end : end]
    block = _union(
        cfg, "charge_block", "charge_block_words_set", "budget_words_set", "name_heads_set"
    )
    for rx in cfg.get("charge_after_re", ()):
        m = rx.match(after)
        if m:
            words = _LOWER_WORD.findall(after[: m.end() + 30].lower())
            fee_at = len(_LOWER_WORD.findall(after[: m.end()].lower()))
            if not any(w in block for w in words[: fee_at + 1]):
                return True
    clause = _clause_before(ctx)
    if any(w in block for w in _LOWER_WORD.findall(after[:30].lower())[:2]):
        return False
    if any(rx.search(clause) for rx in cfg.get("charge_before_re", ())):
        return True
    return bool(_UNIT_AFTER.match(after)) and any(
        rx.search(clause) for rx in cfg.get("charge_unit_before_re", ())
    )


_UNIT_AFTER = re.compile(r"\s*(?:each\s+)?(?:per|a|an)\s+[a-z]", re.IGNORECASE)


_BUILD_AFTER = re.compile(r"\s+(?:each\s+)?to\s+(?:build|construct|complete|replace|rebuild)\b")


def local(ctx: Ctx) -> list[Span]:
    """Every span the sentence-local generators propose, in precedence order."""
    rules = (_for, _head_after, _worth, _of_head, _invest_in, _in_head, _budget_for, _subject)
    # a rule gives False when its cue saw no item; the others may still see one
    spans = [span for rule in rules if (span := rule(ctx))]
    name = _clause_name(ctx, ctx.clause_start, ctx.mention.start)
    return spans + ([name] if name else [])


def weak(ctx: Ctx) -> list[Span]:
    """`AMOUNT (in X) to build Y` -> `build Y`."""
    toks = ctx.tokens
    i = _skip_paren(ctx, ctx.right_index())
    for j in range(i, min(len(toks) - 1, i + 7)):
        low = _low(toks[j])
        if low == "to" and _low(toks[j + 1]) == "pay" and j + 2 < len(toks):
            if _low(toks[j + 2]) in ctx.cfg["for_words_set"]:  # `to pay for the library`
                span = _phrase_after(ctx, j + 3, "en.to_purpose", "clause")
                return [span] if span else []
        if low == "to" and _low(toks[j + 1]) in ctx.cfg["purpose_verbs_set"]:
            span = _phrase_after(ctx, j + 1, "en.to_purpose", "clause")
            return [span] if span else []
        if low in ctx.cfg["stop_punct_set"] or _in_mention(ctx, toks[j]):
            return []
    return []


def _for(ctx: Ctx) -> Span | None | bool:
    """`61.7 billion won for the creation of X`, `1 billion won in the Assembly for the 'X'`."""
    cfg = ctx.cfg
    toks = ctx.tokens
    i = _skip_paren(ctx, ctx.right_index())
    between = cfg["between_for_set"]
    for j in range(i, min(len(toks), i + 9)):
        t = toks[j]
        low = _low(t)
        if low in cfg["for_words_set"]:
            return _phrase_after(ctx, j + 1, "en.for")
        if low in cfg["to_words_set"]:
            if j + 1 < len(toks) and _low(toks[j + 1]) in cfg["purpose_verbs_set"]:
                return None  # `to build X`: a purpose, tried after anaphora
            span = _phrase_after(ctx, j + 1, "en.to_name")
            return span if isinstance(span, Span) and _names_item(ctx, span) else None
        if _in_mention(ctx, t) or not (low in between or (j > i and _capitalised(t.text))):
            return None
    return None


def _head_after(ctx: Ctx) -> Span | None:
    """`a 50 billion won venture fund for regional startups`, `a 1 trillion-won fund`."""
    cfg = ctx.cfg
    toks = ctx.tokens
    i = _skip_paren(ctx, ctx.right_index())
    while (
        i < len(toks)
        and toks[i].text in {"-", "won", "KRW", "worth"}
        and toks[i].start - ctx.mention.end < 3
    ):
        i += 1  # `10 billion won-worth AI ... program`
    heads = cfg["name_heads_set"]
    bad = _union(cfg, "head_after_bad", "stop_words_set", "stop_punct_set", extra=_HEAD_AFTER_EXTRA)
    for j in range(i, min(len(toks), i + 5)):
        low = _low(toks[j])
        if low in bad or _in_mention(ctx, toks[j]):
            break
        if low in cfg["budget_words_set"]:  # `a 2 trillion won supplementary budget for X`
            if j + 1 < len(toks) and _low(toks[j + 1]) in cfg["budget_preps_set"] | {"in"}:
                span = _phrase_after(ctx, j + 2, "en.head_after")
                if isinstance(span, Span):
                    return span
            if j > i and _low(toks[j - 1]) in cfg["named_budget_words_set"]:
                # `a 13.8 trillion won extra budget`: a named budget is its own project
                return Span(toks[j - 1].start, toks[j].end, "en.head_after")
            return None
        if low in heads:
            while j + 1 < len(toks) and _low(toks[j + 1]) in heads:
                j += 1
            while (
                j + 2 < len(toks) and toks[j + 1].text == "-" and toks[j + 1].start == toks[j].end
            ):
                j += 2  # `fund-of-funds`
            end = toks[j].end
            nxt = _low(toks[j + 1]) if j + 1 < len(toks) else ""
            if nxt in cfg["for_words_set"] and j == i and low in cfg["instrument_heads_set"]:
                # `a $4.745bn grant for X's fab`: the project is what the grant is for
                tail = _phrase_after(ctx, j + 2, "en.instrument_for", recipients_ok=True)
                if isinstance(tail, Span):
                    return tail
                return _proper_for(ctx, j + 2)
            if nxt in cfg["for_words_set"]:
                # `fund for X` names it; `fund to buy stakes` gives only its purpose
                tail = _phrase_after(ctx, j + 2, "en.head_after", recipients_ok=True)
                if isinstance(tail, Span):
                    end = tail.end
            elif nxt == "in" and j > i:  # `packaging plant in West Lafayette, Indiana`
                end = _place_tail(ctx, j + 2) or end
            if j == i and end == toks[j].end:
                return None  # a bare `fund` names nothing
            return Span(toks[i].start, end, "en.head_after")
    return _name_after(ctx, i)


def _proper_for(ctx: Ctx, i: int) -> Span | None:
    """`grant for Samsung Electronics' Taylor, Texas, fab`: a named site after `for`."""
    toks = ctx.tokens
    last = None
    j = i
    while j < len(toks) and j < i + 12:
        low = _low(toks[j])
        if low == "," and last is not None and _place_after_comma(ctx, j):
            last, j = j + 1, j + 2
            if j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].text.islower():
                j += 1  # `Taylor, Texas, fab`
            continue
        if low in ctx.cfg["stop_punct_set"] or low in ctx.cfg["stop_words_set"]:
            break
        last, j = j, j + 1
    if last is None or last == i:
        return None
    end = _strip_end(ctx.text, toks[i].start, toks[last].end)
    if not toks[last].text.islower():
        return None  # only names (`for Samsung Electronics`): a recipient, not the item
    return Span(toks[i].start, end, "en.instrument_for")


def _place_tail(ctx: Ctx, i: int) -> int | None:
    """End of `West Lafayette, Indiana` starting at token i (capitalised words, `, State`)."""
    toks = ctx.tokens
    j = i
    while j < len(toks) and j < i + 4 and _capitalised(toks[j].text) and toks[j].text.isalpha():
        j += 1
    if j == i:
        return None
    if j + 1 < len(toks) and toks[j].text == "," and _place_after_comma(ctx, j):
        j += 2
    return toks[j - 1].end


def _name_after(ctx: Ctx, i: int) -> Span | None:
    """`the $12.6 billion Metaplant America`: capitalised words the amount modifies, after
    an article (`the`/`a`) before the amount."""
    toks = ctx.tokens
    k = ctx.left_index()
    if k < 0 or _low(toks[k]) not in {"the", "a", "an", "its", "their"}:
        return None
    j = i
    while j < len(toks) and j < i + 6 and _capitalised(toks[j].text) and toks[j].text.isalpha():
        j += 1
    if j == i or (j < len(toks) and toks[j].text.islower() and toks[j].text not in PREPOSITIONS):
        return None  # `the $5 billion Samsung plant`: head_after's job
    return Span(toks[i].start, toks[j - 1].end, "en.name_after")


def _cue_before(ctx: Ctx, cues: list[str]) -> int | None:
    """Index of the first token of a cue (`worth`, `with a budget of`) before the amount."""
    toks = ctx.tokens
    k = ctx.left_index()
    quals = ctx.cfg["qualifier_words_set"]
    split = _split_cues(tuple(cues))
    # only the words the loop below can read are lower-cased: from `lo` (4 skipped
    # qualifiers and the longest cue back) to the amount; words[i - lo] is token i
    lo = max(0, k + 1 - 4 - (len(split[0]) if split else 0))
    words = [_low(t) for t in toks[lo : k + 1]]
    for skip in range(0, 5):
        end = k + 1 - skip
        if end <= 0 or (skip and words[end - lo] not in quals):
            break
        for cue in split:
            if end - len(cue) >= 0 and words[end - len(cue) - lo : end - lo] == cue:
                return end - len(cue)
    return None


@lru_cache(maxsize=64)
def _split_cues(cues: tuple[str, ...]) -> list[list[str]]:
    """The cues as lower-cased word lists, longest first (stable: ties keep file order).
    Shared: read only."""
    return sorted((c.lower().split() for c in cues), key=len, reverse=True)


def _worth(ctx: Ctx) -> Span | None:
    """`a dedicated insurance product worth up to 10 trillion won`, `X (worth ... N won)`."""
    toks = ctx.tokens
    with_cue = _cue_before(ctx, ctx.cfg["with_cues"])
    cue = with_cue if with_cue is not None else _cue_before(ctx, ctx.cfg["worth_cues"])
    if cue is None:
        return None
    rule = "en.with" if with_cue is not None else "en.worth"
    k = cue - 1
    while k >= 0 and toks[k].text in {"(", ","}:
        k -= 1
    lo = ctx.clause_start
    if with_cue is not None:
        named = _clause_name(ctx, lo, toks[cue].start)
        if named is not None:
            return Span(named.start, named.end, rule, "clause", project_id=named.project_id)
        if _has_anaphor(ctx, ctx.sentence.start, toks[cue].start):
            return None
    found = _phrase_before(ctx, k)
    if found is not None:
        start, end = found
        words = ctx.text[start:end]
        if re.search(r"[a-z]", words) and not _proper_only(ctx, start, end):
            return Span(start, end, rule)
    named = _clause_name(ctx, lo, toks[cue].start)
    if named is not None:
        return Span(named.start, named.end, rule, "clause", project_id=named.project_id)
    return None


def _of_head(ctx: Ctx) -> Span | None:
    """`a one-off heating subsidy of up to 300,000 won` -> `heating subsidy`: a modified
    name head before `of` (a bare `grant of`, `sales of`, `a total of` name nothing)."""
    cfg = ctx.cfg
    cue = _cue_before(ctx, cfg["of_cues"])
    if cue is None or cue == 0:
        return None
    found = _phrase_before(ctx, cue - 1)
    if found is None:
        return None
    start, end = found
    words = re.findall(r"[A-Za-z][\w&-]*", ctx.text[start:end])
    while words and words[0].lower() in cfg["of_lead_drop_set"]:
        words.pop(0)
    if len(words) < 2 or words[-1].lower() not in cfg["name_heads_set"]:
        return None
    start = ctx.text.index(words[0], start)
    return Span(start, end, "en.of_head")


def _invest_in(ctx: Ctx) -> Span | None | bool:
    """`invest 3 trillion won in semiconductor research`."""
    toks = ctx.tokens
    i = _skip_paren(ctx, ctx.right_index())
    if i >= len(toks) or _low(toks[i]) not in {"in", "into", "on"}:
        return None
    k = ctx.left_index()
    verbs = ctx.cfg["invest_verbs_set"]
    for j in range(k, max(-1, k - 6), -1):
        if _low(toks[j]) in verbs:
            return _phrase_after(ctx, i + 1, "en.invest_in")
        if toks[j].text in ctx.cfg["stop_punct_set"]:
            break
    return None


def _budget_for(ctx: Ctx) -> Span | None:
    """`The budget for building smart factories will increase ... from 236.1 billion won`."""
    cfg = ctx.cfg
    toks = ctx.tokens
    lo = ctx.clause_start
    for j in range(ctx.left_index() - 1, -1, -1):
        if toks[j].start < lo:
            return None
        if _low(toks[j]) in cfg["budget_words_set"] and _low(toks[j + 1]) in cfg[
            "budget_preps_set"
        ] | {"in"}:
            span = _phrase_after(ctx, j + 2, "en.budget_for", "clause")
            if isinstance(span, Span) and span.end <= ctx.mention.start:
                return span
    return None


# ------------------------------------------------------------------ names (for anaphora)


def names(text: str, sentence, tokens: list[Token], quotes, cfg) -> list[tuple[int, int]]:
    """Quoted names and capitalised `X Program`/`X Project` names in a sentence."""
    from ..models import MoneyMention

    dummy = MoneyMention(sentence.end, sentence.end, "", None, "")
    ctx = Ctx(text, sentence, tokens, dummy, [], 0, quotes, cfg)
    spans = [(qs, _strip_end(text, qs, qe)) for qs, qe in quotes if _quoted_name(ctx, qs, qe)]
    heads = {"project", "program", "programme", "initiative", "scheme", "fund"}
    for m in re.finditer(
        r"(?:[A-Z][\w&-]*\s+){1,6}(?:" + "|".join(h.title() for h in heads) + r")\b",
        text[sentence.start : sentence.end],
    ):
        s, e = m.start() + sentence.start, m.end() + sentence.start
        if not any(qs - 1 <= s < qe + 1 for qs, qe in spans):
            spans.append((s, e))
    return sorted(spans)


def _in_head(ctx: Ctx) -> Span | None:
    """`$320 million in U.S. ... tax credits`, `up to 5억원 each in relocation subsidies`."""
    toks = ctx.tokens
    i = _skip_paren(ctx, ctx.right_index())
    while i < len(toks) and _low(toks[i]) in {"each", "apiece"}:
        i += 1
    if i >= len(toks) or _low(toks[i]) != "in":
        return None
    span = _phrase_after(ctx, i + 1, "en.in_head")
    if not isinstance(span, Span):
        return None
    first = re.split(r"\s+(?:for|of|to|from|per)\s+", ctx.text[span.start : span.end])[0]
    words = re.findall(r"[A-Za-z][\w&-]*", first)
    heads = ctx.cfg["name_heads_set"] | ctx.cfg["in_heads_set"]
    if len(words) < 2 or words[-1].lower() not in heads:
        return None
    tail = re.search(r"\s+to\s+(?:the\s+)?(\S+(?:\s+\S+){0,3})$", ctx.text[span.start : span.end])
    if tail is not None:  # `loans to chipmakers`: the recipient is not part of the item
        # (`tax relief for small businesses` keeps its `for`: a named relief)
        last = re.findall(r"[A-Za-z][\w&-]*", tail.group(1))
        recipient = last and last[-1].lower() in ctx.cfg["recipient_words_set"]
        if recipient or _proper_only(ctx, span.start + tail.start(1), span.end):
            return Span(span.start, span.start + tail.start(), span.rule, span.strength)
    return span


_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


def _subject(ctx: Ctx) -> Span | None:
    """`Maintenance of aging bridges receives 1.05 trillion won`, `Defense spending grows 7.5
    percent to 66.3 trillion won`, `each regional AI hub will receive ...`: the clause's
    subject, when its verb takes the amount as its value."""
    cfg = ctx.cfg
    toks = ctx.tokens
    lo = ctx.clause_start
    k = ctx.left_index()
    verbs = cfg["subject_verbs_set"]
    quals = cfg["qualifier_words_set"]
    if k >= 0 and _low(toks[k]) in {"to", "at", "by"}:  # `grows 7.5 percent to AMOUNT`
        k -= 1
        while k >= 0 and not (_low(toks[k]) in verbs or toks[k].text in cfg["stop_punct_set"]):
            if ctx.index and toks[k].start < ctx.clause_start or k < ctx.left_index() - 5:
                return None
            k -= 1
    while k >= 0 and (_low(toks[k]) in quals or _low(toks[k]) in {"between"}):
        k -= 1
    # `grows 7.5 percent to`: skip a short complement before `to`
    steps = 0
    j = k
    while j >= 0 and steps < 6 and _low(toks[j]) not in verbs:
        if toks[j].start < lo or toks[j].text in cfg["stop_punct_set"]:
            return None
        j, steps = j - 1, steps + 1
    if j < 0 or _low(toks[j]) not in verbs or (j < k and _low(toks[k]) not in {"to", "at", "by"}):
        return None
    v = j - 1
    skip = cfg["aux_words_set"] | cfg["negation_tokens_set"]
    while v >= 0 and _low(toks[v]) in skip:
        v -= 1
    if v < 0 or toks[v].start < lo:
        return None
    found = _subject_before(ctx, v, lo)
    if found is None:
        return None
    start, end = found
    first = next(i for i in range(v, -1, -1) if toks[i].start == start)
    if first > 0 and _low(toks[first - 1]) in cfg["negation_tokens_set"]:
        return None  # `It isn't unusual to receive`: a complement, not the subject
    words = ctx.text[start:end].split()
    while words and words[0].lower() in cfg["subject_lead_drop_set"]:
        start += ctx.text[start:end].find(words[0]) + len(words[0])
        start += len(ctx.text[start:end]) - len(ctx.text[start:end].lstrip())
        words = words[1:]
    if words and words[-1].lower() in cfg["budget_words_set"] and len(words) > 1:
        end = start + ctx.text[start:end].rfind(words[-1])
        end = _strip_end(ctx.text, start, end)
        words = words[:-1]
    # A possessive names the owner, not the item: `the city's budget` is a total,
    # `Gwangju's AI hub receives` funds the `AI hub`.
    while words and _POSSESSIVE.search(words[0]):
        start += ctx.text[start:end].find(words[0]) + len(words[0])
        start += len(ctx.text[start:end]) - len(ctx.text[start:end].lstrip())
        words = words[1:]
    if not words or not re.search(r"[a-z]", ctx.text[start:end], re.I):
        return None
    low = [w.lower() for w in words]
    head = re.split(r" (?:of|for|in|and) ", " ".join(low))[0].split()[-1]
    if head in cfg["recipient_words_set"] or any(w in cfg["subject_reject_set"] for w in low):
        return None
    if len(low) > 1 and low[1].endswith("ing") and low[1] not in cfg["participle_keep_set"]:
        return None  # `Households receiving benefits`: a participle clause, a recipient
    initial = start <= ctx.sentence.start + 1 and len(words) == 1  # `Defense spending grows`
    if not initial and _proper_only(ctx, start, end) and low[-1] not in cfg["name_heads_set"]:
        return None
    if low[-1] in cfg["name_heads_set"] and len(low) == 1:
        return None  # `the project costs`: an anaphor
    return Span(start, end, "en.subject", "clause")


def _subject_before(ctx: Ctx, k: int, lo: int) -> tuple[int, int] | None:
    """The subject noun phrase ending at token k (`Maintenance of aging bridges and tunnels`)."""
    toks = ctx.tokens
    cfg = ctx.cfg
    stops = _union(
        cfg,
        "subject_before_stops",
        "stop_words_set",
        "stop_punct_set",
        "subject_stop_set",
        extra=frozenset(DETERMINERS),
    )
    stops = stops | cfg["negation_tokens_set"]
    first = None
    i = k
    while i >= 0 and i > k - 10 and toks[i].start >= lo:
        t = toks[i]
        low = _low(t)
        if low in stops or _in_mention(ctx, t):
            break
        if t.text.islower() and low.endswith("ed") and low not in cfg["participle_keep_set"]:
            break
        first, i = i, i - 1
    if first is not None and _after_amount(ctx, first):
        # `$3 million for parks and libraries get $2 million`: a gapped list; what follows
        # the last `and` is the new subject, what precedes it the earlier amount's item
        last = max((j for j in range(first, k) if _low(toks[j]) in {"and", "or"}), default=-1)
        if last >= first:
            first = last + 1
    while first is not None and first <= k and _low(toks[first]) in {"of", "and", "for", "in"}:
        first += 1
    if first is None or first > k:
        return None
    return toks[first].start, toks[k].end


def _after_amount(ctx: Ctx, first: int) -> bool:
    """Only an item phrase of an earlier amount of the sentence (`$3 million for parks`)
    stands between that amount and token `first`: no punctuation, at most three words,
    the first a preposition."""
    toks = ctx.tokens
    prev = [m for m in ctx.mentions if m.end <= toks[first].start and m.start >= ctx.sentence.start]
    if not prev:
        return False
    gap = ctx.text[max(m.end for m in prev) : toks[first].start]
    words = gap.split()
    return (
        len(words) <= 3
        and not re.search(r"[,;:.()]", gap)
        and (not words or words[0].lower() in PREPOSITIONS)
    )


CHUNKS_BEFORE = 4  # noun phrases before an amount that `chunks` proposes


def chunks(ctx: Ctx) -> list[Span]:
    """Noun phrases before the amount in its clause, nearest first (`The Yongin cluster,
    where ... invest 622 trillion won`, `the Daegu-Gyeongbuk new airport railway, a 4.2
    trillion won line`), and the sentence's opening phrase. Rule id `en.chunk_<word
    after it>` (a preposition, a comma, a verb ...): the scorer weighs them."""
    toks = ctx.tokens
    out: list[Span] = []
    k = ctx.left_index()
    clause = ctx.sentence.start
    steps = 0
    while k >= 0 and len(out) < CHUNKS_BEFORE and steps < 40:
        steps += 1
        if toks[k].start < clause or not toks[k].text[:1].isalnum() or _in_mention(ctx, toks[k]):
            k -= 1
            continue
        found = _phrase_before(ctx, k)
        if found is None:
            k -= 1
            continue
        s, e = found
        first = next((i for i in range(k, -1, -1) if toks[i].start == s), k)
        after = _low(toks[k + 1]) if k + 1 < len(toks) else "END"
        kind = after if after in {"for", "of", "to", "in", ",", "is", "will", "was"} else "other"
        if toks[k + 1].start >= ctx.mention.start if k + 1 < len(toks) else False:
            kind = "next"
        if after in SPEECH_VERBS:  # `Hyundai Motor said it will invest N`: the speaker
            k = first - 1
            continue
        if _plural_verb(ctx, k) and toks[k - 1].start >= s:
            e = toks[k - 1].end  # `Grants start at $500`: the verb is no part of the item
        s = _drop_lead(ctx, s, e)
        if s is not None and _recipient_clause(ctx, s, e):
            s = None  # `Households receiving basic livelihood benefits`: who gets it
        if s is not None and _THREE_LETTERS.search(ctx.text[s:e]):
            out.append(Span(s, e, f"en.chunk_{kind}", "clause"))
        k = first - 1
    return out + _chunks_after(ctx) + _list_entry(ctx) + _list_row(ctx) + _channel_after(ctx)


def _cut_before(ctx: Ctx) -> bool:
    """A cut word (rules/en/link_words.toml `cut_words`: `cuts`, `savings`, `trimmed`)
    stands in the amount's sentence before it: `N from X` is then the budget line cut
    (`Cuts include $1.2M from middle school sports and about $640,000 from adult
    education`), not the money's source. Rule `en.cut_from` beside `en.chunk_after_from`.
    (en-span14)"""
    words = ctx.cfg.get("cut_words_set", frozenset())
    lo, hi = ctx.sentence.start, ctx.mention.start
    return any(w.lower() in words for w in re.findall(r"[A-Za-z]+", ctx.text[lo:hi]))


_ROW_SEP = re.compile(r"[;:]\s*|\n")
_ROW_AFTER = re.compile(r"\s*(?:[;.]|,\s*(?:and\s+)?[A-Z]|$)")
MAX_ROW_WORDS = 7


def _list_row(ctx: Ctx) -> list[Span]:
    """A row of a colon or semicolon list written in a sentence: `Recommended awards:
    Meals on Wheels $60,000; Pinecrest Free Clinic $125,000; Boys & Girls Club $40K.` The
    item is the whole text between the `:` / `;` (or the amount before it) and the amount,
    when the amount ends its row (a `;`, `.`, the line end) and the sentence holds another
    amount. Up to MAX_ROW_WORDS words, none a verb or function word of the clause (`The
    council will spend $5m; ...` is no row); `&`, `of`, `on`, `and` inside a name are kept
    (`Meals on Wheels`). Rule `en.list_row`. (en-span14)"""
    m = ctx.mention
    sent = ctx.sentence
    others = [o for o in ctx.mentions if o is not m and sent.start <= o.start < sent.end]
    if not others or not _ROW_AFTER.match(ctx.text, m.end, sent.end):
        return []
    lo = max([sent.start] + [o.end for o in others if o.end <= m.start])
    seg = ctx.text[lo : m.start]
    seps = list(_ROW_SEP.finditer(seg))
    if not seps or (lo != sent.start and seg[: seps[-1].start()].strip()):
        return []  # after an amount, the separator must follow it: `$60,000; X $125,000`
    s = lo + seps[-1].end()
    found = list(re.finditer(r"\S+", ctx.text[s : m.start]))
    cfg = ctx.cfg
    quals = cfg["qualifier_words_set"]
    while found and found[-1].group().lower() in quals:
        found.pop()
    if not found or len(found) > MAX_ROW_WORDS or any(c.isdigit() for c in seg[seps[-1].end() :]):
        return []
    banned = _union(
        cfg,
        "list_row_banned",
        "stop_words_set",
        "chunk_verbs_set",
        "role_verbs_set",
        extra=frozenset(DETERMINERS - {"a", "an", "the"}),
    )
    if any(w.group().lower() in banned for w in found) or not found[0].group()[:1].isalpha():
        return []
    end = _strip_end(ctx.text, s, s + found[-1].end())
    if end <= s:
        return []
    return [Span(s, end, "en.list_row", "clause")]


CHANNEL_REACH = 40  # tokens after an amount where `_channel_after` looks for its cue
MAX_CHANNEL = 2  # cue phrases `_channel_after` proposes per amount


def _channel_after(ctx: Ctx) -> list[Span]:
    """The program or fund a cue later in the amount's clause names as the channel
    (rules/en/link_words.toml channel_cues): `50 million won per company (15 billion
    won in total) through the "Gyeonggi Startup Leap Program"`, `Rs 25,000 per hectare
    for up to two hectares under the Raitha Siri scheme`. `_chunks_after` takes only the
    first preposition; this looks past it, to the sentence end or a `;`.
    Rule id `en.channel_<cue>`, `en.channel_<cue>_unit` when a per-unit word (`per`,
    `each`) stands between (the scorer weighs each); at most MAX_CHANNEL."""
    cfg = ctx.cfg
    cues = cfg.get("channel_cues_set", frozenset())
    toks = ctx.tokens
    out: list[Span] = []
    i = _skip_paren(ctx, ctx.right_index())
    for j in range(i, min(len(toks) - 1, i + CHANNEL_REACH)):
        t = toks[j]
        if t.start >= ctx.sentence.end or t.text in {";", ":"}:
            break
        low = _low(t)
        if low not in cues or _in_mention(ctx, t):
            continue
        unit = any(_low(u) in {"per", "each", "apiece"} for u in toks[i:j])
        rule = f"en.channel_{low}" + ("_unit" if unit else "")  # `N per company through X`
        span = _phrase_after(ctx, j + 1, rule, "clause", False, True)
        if not isinstance(span, Span):
            continue
        phrase = ctx.text[span.start : span.end]
        named = phrase[:1].isupper() or (span.start > 0 and ctx.text[span.start - 1] in "\"'“‘")
        kind = head_class(phrase, cfg)
        if kind == "source" or not (named or kind == "program"):
            continue  # `through municipal bonds`, `through higher fees`: no channel named
        if not named and _finance_lead(phrase, cfg):
            continue  # `through bonds for the new jail`, `through a property tax increase`
        out.append(span)
        if len(out) >= MAX_CHANNEL:
            break
    return out


_ENTRY = re.compile(
    r"(?:,\s+(?:and\s+)?|;\s+|\s+and\s+)(?P<item>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3})"
    r"\s+(?:about\s+|nearly\s+|around\s+|some\s+|roughly\s+)?$"
)


_LEAD_END = re.compile(r"\s+(?:for|to|of|in|on|at|from|with)\s+")


def _finance_lead(phrase: str, cfg: dict) -> bool:
    """Whether a word of `phrase` before its first preposition names a form of finance
    (rules/en/link_words.toml channel_finance_words: `bonds for the new jail`, `a property
    tax increase`): the money's source, not the channel it is spent through."""
    lead = _LEAD_END.split(phrase.lower(), maxsplit=1)[0]
    words = set(re.findall(r"[a-z][\w-]*", lead))
    return bool(words & cfg.get("channel_finance_words_set", frozenset()))


def _list_entry(ctx: Ctx) -> list[Span]:
    """`Job creation gets 2.1 trillion won, transport 3.4 trillion won and welfare 1
    trillion won`: after an earlier amount of the sentence, a list entry `, ITEM AMOUNT` /
    `and ITEM AMOUNT` whose verb is left out (gapping). ITEM is one to four words, none a
    verb, function word or qualifier, headed by no recipient, agent, time or source
    (`and near-poor households 300,000 won` names who gets it). Rule `en.list_entry`."""
    m = ctx.mention
    prev = [o for o in ctx.mentions if o.end <= m.start and o.start >= ctx.sentence.start]
    if not prev:
        return []
    lo = max(o.end for o in prev)
    found = _ENTRY.search(ctx.text, lo, m.start)
    if found is None:
        return []
    cfg = ctx.cfg
    words = [w.lower() for w in found.group("item").split()]
    banned = _union(
        cfg,
        "list_entry_banned",
        "stop_words_set",
        "back_stop_verbs_set",
        "chunk_verbs_set",
        "role_verbs_set",
        "qualifier_words_set",
        extra=DETERMINERS
        | PREPOSITIONS
        | {"and", "or", "of", "from", "than", "more", "less", "another", "other", "only"},
    )
    if any(w in banned or w.endswith("ed") for w in words):
        return []
    s, e = found.span("item")
    if head_class(ctx.text[s:e], cfg) in {"recipient", "agent", "verb", "time", "source"}:
        return []
    return [Span(s, e, "en.list_entry", "clause")]


SPEECH_VERBS = {"said", "says", "announced", "told", "added", "noted", "stated", "reported"}
VERB_PREPS = {"at", "from", "to", "by", "between", "around", "near"}


def _plural_verb(ctx: Ctx, k: int) -> bool:
    """Token k is a verb by agreement: a lower-case word without `-s` after a plural noun
    and before a preposition of a value (`Grants start at`, `Rebates range from`, `Costs
    rise to`); `Head Start at` (capitalised) and `sales tax of` keep their last word."""
    toks = ctx.tokens
    if k < 1 or k + 1 >= len(toks):
        return False
    if _in_mention(ctx, toks[k + 1]):
        # `Heritage grants total £3.2m`: a verb taking the amount itself
        if _low(toks[k]) not in ctx.cfg.get("role_verbs_set", frozenset()):
            return False
    elif _low(toks[k + 1]) not in VERB_PREPS:
        return False
    word, prev = toks[k].text, toks[k - 1].text
    return (
        word.isalpha()
        and word.islower()
        and not word.endswith(("s", "ed", "ing"))
        and prev.isalpha()
        and prev.lower().endswith("s")
        and not prev.lower().endswith(("ss", "us", "is"))
        and prev.lower() not in ctx.cfg.get("time_words_set", frozenset())
    )


AFTER_REACH = 8  # tokens after an amount where `_chunks_after` looks for its preposition


def _recipient_clause(ctx: Ctx, s: int, e: int) -> bool:
    """A recipient with a participle clause (`Households receiving benefits`, `Farmers
    growing rice`): it names who gets the money, not an item (as in `_subject`)."""
    words = ctx.text[s:e].lower().split()
    return (
        len(words) > 1
        and words[0] in ctx.cfg["recipient_words_set"]
        and words[1].endswith("ing")
        and words[1] not in ctx.cfg["participle_keep_set"]
    )


_FIRST_WORD = re.compile(r"(\S+)\s+")
_INDEFINITE_END = re.compile(r"(?:^|\s)an?\s+$")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_OF_HEAD = re.compile(r"^((?:[\w-]+\s+){0,2}?)([\w-]+)\s+(?:of|for|into|on)\s+")
_LOWER_WORD = re.compile(r"[a-z]+")
_CAP_WORD = re.compile(r"[A-Za-z][\w&]*")
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_HEAD_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_HEAD_PREP = re.compile(r" (?:of|for|in|to|from|at|along|on|with|under) ")
_S_END = re.compile(r"['’]s$")


def _drop_lead(ctx: Ctx, s: int, e: int) -> int | None:
    """Start of a chunk without its leading modifiers that are no part of a name
    (`larger`, `average`, `additional`: of_lead_drop); None when what is left is a bare
    head word (`the larger package`, `the fund`: an anaphor), unless an indefinite
    article introduces it (`a larger package`: a new item, kept whole)."""
    drop = ctx.cfg["of_lead_drop_set"]
    first = s
    while True:
        m = _FIRST_WORD.match(ctx.text[s:e])
        if m is None or m.group(1).lower() not in drop:
            break
        s += m.end()
    if e <= s or ctx.text[s:e].lower() in ctx.cfg["name_heads_set"]:
        if s > first and _INDEFINITE_END.search(ctx.text[max(0, first - 4) : first]):
            return first  # `a larger package`: a new item, named with its modifier
        return None  # a bare `fund` is an anaphor (the anaphora generator resolves it)
    return s


def _cut_recipient(ctx: Ctx, span: Span, preps: str = "to") -> Span:
    """`funds to Carteret County`, `loans to chipmakers`: the recipient after `to` (or
    `preps`, a regex alternation) is no part of the item."""
    tail = re.search(
        rf"\s+(?:{preps})\s+(?:the\s+)?(\S+(?:\s+\S+){{0,3}})$", ctx.text[span.start : span.end]
    )
    if tail is None:
        return span
    last = re.findall(r"[A-Za-z][\w&-]*", tail.group(1))
    recipient = last and last[-1].lower() in ctx.cfg["recipient_words_set"]
    if recipient or _proper_only(ctx, span.start + tail.start(1), span.end):
        return Span(span.start, span.start + tail.start(), span.rule, span.strength)
    return span


def _chunks_after(ctx: Ctx) -> list[Span]:
    """The object of the first preposition after the amount (`$118 million in Community
    Development Block Grant funds`, `$29.5 million into infrastructure`, `£7.2m from its
    transport reserve fund`, `will be spent on clearing landslides`). Rule id
    `en.chunk_after_<preposition>`; the scorer weighs each preposition and the object's
    head class (a program, a recipient, a place, a time)."""
    cfg = ctx.cfg
    toks = ctx.tokens
    preps = cfg.get("after_preps_set", frozenset())
    skip = cfg.get("after_skip_set", frozenset())
    passing = cfg.get("after_pass_set", frozenset())
    verbs = cfg.get("after_verbs_set", frozenset())
    out = _modified_after(ctx) or _modified_bare(ctx)
    i = _skip_paren(ctx, ctx.right_index())
    j = i
    while j < min(len(toks) - 1, i + AFTER_REACH):
        low = _low(toks[j])
        if toks[j].start >= ctx.sentence.end or _in_mention(ctx, toks[j]):
            break
        if low in verbs:  # `97.4 billion won covers relief payments`, `pays for X`
            k = j + 1 if _low(toks[j + 1]) not in {"for", "toward", "towards"} else j + 2
            span = _phrase_after(ctx, k, "en.chunk_after_verb", "clause", True, True)
            if isinstance(span, Span):
                out.append(_cut_recipient(ctx, span))
            break
        if low in preps and not (low == "in" and _low(toks[j + 1]) in {"total", "all"}):
            rule = f"en.chunk_after_{low}"
            span = _phrase_after(ctx, j + 1, rule, "clause", low not in {"to"}, True)
            if not isinstance(span, Span):
                if j + 1 < len(toks) and _low(toks[j + 1]) in passing:
                    j += 2  # `N of the cost of X`, `N of that for X`: look further
                    continue
                break
            if low == "to":  # `$300 million to Hitachi for signals`: the item is the signals
                item = _recipient_for(ctx, j + 1, span)
                if item is not None:
                    out.append(item)
                    break
            span = _cut_recipient(ctx, span)
            if low == "from":  # `from its general fund to pay for X`: the source alone
                cut = re.search(r"\s+to\s+", ctx.text[span.start : span.end])
                if cut is not None:
                    span = Span(span.start, span.start + cut.start(), span.rule, span.strength)
            phrase = ctx.text[span.start : span.end]
            if low == "to" and head_class(phrase, cfg) in {"recipient", "agent", "proper"}:
                break  # `paid 3 billion won to a supplier`: a recipient
            out.append(span)
            if low == "from" and _cut_before(ctx):  # `Cuts include N from adult education`
                out.append(replace(span, rule="en.cut_from"))
            break
        if low == "per" and j + 2 < len(toks) and toks[j + 1].text.isalpha():
            j += 2  # `N per child under the Child Care Payment`: the unit is no item
            if _low(toks[j - 1]) in cfg.get("unit_modifiers_set", frozenset()):
                j += 1  # `per eligible child`
            continue
        if low not in skip and low not in passing and not toks[j].text[:1].isdigit():
            break
        j += 1
    return out


def _recipient_for(ctx: Ctx, i: int, span: Span) -> Span | None:
    """`to Hitachi for signals`, `to TSMC for its chip factories`, `to 300 startups for
    commercialization`: after `to`, a recipient (a name, a recipient word) then `for X`:
    the item is X (rule `en.recipient_for`), not the recipient."""
    toks = ctx.tokens
    while i < len(toks) and _low(toks[i]) in DETERMINERS:
        i += 1
    for j in range(i, len(toks)):
        if toks[j].start >= span.end:
            return None
        if _low(toks[j]) in ctx.cfg["for_words_set"] and j > i:
            break
    else:
        return None
    who = ctx.text[toks[i].start : toks[j - 1].end]
    if head_class(who, ctx.cfg) not in {"recipient", "agent", "proper"}:
        return None
    item = _phrase_after(ctx, j + 1, "en.recipient_for", "clause", True, True)
    return item if isinstance(item, Span) else None


def _modified_after(ctx: Ctx) -> list[Span]:
    """The noun phrase an amount modifies (`a $48.2 million maintenance contract`, `the
    $12.6 billion Metaplant America`, `Hyundai's $5 billion plant`, `a 1.1 trillion won
    industrial water supply system`): after an article or a possessive before the amount.
    Rule id `en.chunk_modified`."""
    toks = ctx.tokens
    k = ctx.left_index()
    quals = ctx.cfg["qualifier_words_set"]
    while k >= 0 and _low(toks[k]) in quals - {"a", "an"}:
        k -= 1
    if k < 0 or not (_low(toks[k]) in DETERMINERS or toks[k].text in {"'s", "’s"}):
        return []
    i = _past_amount_words(ctx)
    if i >= len(toks) or not toks[i].text[:1].isalpha() or _low(toks[i]) in PREPOSITIONS:
        return []
    found = _modified_phrase(ctx, i, "en.chunk_modified")
    return [found[0]] if found else []  # `a $48.2 million contract`: names nothing


def _past_amount_words(ctx: Ctx) -> int:
    """The first token after the amount and the words that belong to it (`-`, `won`,
    `KRW`, `worth`)."""
    toks, i = ctx.tokens, ctx.right_index()
    while i < len(toks) and toks[i].text in {"-", "won", "KRW", "worth"}:
        i += 1
    return i


def _modified_phrase(ctx: Ctx, i: int, rule: str) -> tuple[Span, str] | None:
    """The phrase from token `i` that an amount modifies, its recipient cut off, with its
    lower-cased text; None when there is none or it is a bare head (`contract`, `bonds`,
    `budget`: names nothing)."""
    span = _phrase_after(ctx, i, rule, "local", True, True)
    if not isinstance(span, Span):
        return None
    span = _cut_recipient(ctx, span, "to|for")
    phrase = ctx.text[span.start : span.end].lower()
    cfg = ctx.cfg
    bare = cfg["name_heads_set"] | cfg["instrument_heads_set"] | cfg["budget_words_set"]
    return None if phrase in bare else (span, phrase)


_BARE_LEFT_SKIP = frozenset({"further", "extra", "additional", "another", "up", "to"})
_BARE_FIRST_BAD = frozenset({"last", "next", "earlier", "later", "ago", "over", "more", "less"})


def _modified_bare(ctx: Ctx) -> list[Span]:
    """The noun phrase an amount modifies with no article before it, as headlines and
    list rows write it (`Texas lawmakers send $8.5 billion school funding bill to
    governor`, `Commonwealth and Tasmania sign $1.9 billion hospital funding deal`, `-
    $1,000 electricity rebates for every household`, `to get £300 cost-of-living
    payments`), and the -ing object of a spending verb (`will spend 420 billion won
    buying long-term jeonse homes`). Not a phrase that opens with an article, a
    preposition, a time or an adverb (`raised $5 million last year`, `$5 million in X`,
    `costs $5 million annually`): those are other rules' or no item. Rule id
    `en.chunk_modified_bare` (weighed apart from `en.chunk_modified`). (en-same11)"""
    toks = ctx.tokens
    k = ctx.left_index()
    while k >= 0 and _low(toks[k]) in _BARE_LEFT_SKIP:
        k -= 1
    if k >= 0 and (_low(toks[k]) in DETERMINERS or toks[k].text in {"'s", "’s"}):
        return []  # `_modified_after`'s
    i = _past_amount_words(ctx)
    if i >= len(toks) or toks[i].start >= ctx.sentence.end:
        return []
    first = toks[i].text
    low = first.lower()
    cfg = ctx.cfg
    if low in _BARE_FIRST_BAD:
        return []
    bad = _union(
        cfg,
        "modified_bare_bad",
        "stop_words_set",
        "stop_punct_set",
        "chunk_adverbs_set",
        "time_words_set",
        extra=frozenset(PREPOSITIONS | DETERMINERS | {"and", "or", "per", "each", "a", "an"}),
    )
    joined = i + 2 < len(toks) and _joined(toks, i + 1)  # `cost-of-living payments`
    if not first[:1].isalpha() or (low in bad and not joined) or _in_mention(ctx, toks[i]):
        return []
    found = _modified_phrase(ctx, i, "en.chunk_modified_bare")
    if not found or head_class(found[1], cfg) in {"time", "verb", "adverb"}:
        return []
    return [found[0]]


PROGRAM_HEADS = {
    "program", "programme", "project", "scheme", "initiative", "fund", "voucher", "vouchers",
    "subsidy", "grant", "grants", "plant", "bridge", "railway", "budget",
}  # fmt: skip
NAME_STOPS = DETERMINERS | PREPOSITIONS | {
    "and", "or", "of", "is", "are", "was", "were", "will", "be", "has", "have", "had", "that",
    "which", "who", "said", "says", "new",
    # an amount's own words end a name: `a $50 million grant` names no `million grant`
    "thousand", "million", "billion", "trillion", "mn", "bn", "tn", "crore", "crores", "lakh",
    "won", "dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "yuan", "rupees",
}  # fmt: skip


# a whole's words name no program (`for a total program cost of $528 million`)
WHOLE_WORDS = frozenset({"total", "overall", "entire", "whole", "combined"})


def program_names(
    text: str, start: int, end: int, verbs: frozenset[str] | set[str] = frozenset()
) -> list[tuple[int, int]]:
    """Spans of `youth monthly rent support program`, `Raitha Siri scheme`: up to five
    words (no article, preposition or verb) before a program head in text[start:end].
    `verbs` (rules/en/link_words.toml `chunk_verbs`, `headline_verbs`) and WHOLE_WORDS
    written in lower case end a name too: a headline's `Ontario expands Home Heating
    Relief program` names `Home Heating Relief program`, while `Extended Day Program`
    keeps its first word."""
    out = []
    for m in re.finditer(r"\b(" + "|".join(sorted(PROGRAM_HEADS)) + r")\b", text[start:end]):
        head_end = start + m.end()
        words = list(
            re.finditer(r"[A-Za-z][\w&'-]*", text[max(start, head_end - 80) : start + m.start()])
        )
        first = None
        for w in reversed(words[-5:]):
            word = w.group().casefold()
            # a verb or a whole's word ends a name only in lower case: `Extended Day
            # Program` and `Total Eclipse Festival` are names (tester31)
            lower = w.group()[0].islower() and (word in verbs or word in WHOLE_WORDS)
            if word in NAME_STOPS or lower or w.group().endswith("'s"):
                break
            first = w
        if first is not None:
            a = max(start, head_end - 80) + first.start()
            if not any(q in text[a:head_end] for q in "\"'“”‘’"):  # quoted names come whole
                out.append((a, head_end))
    return out


# ------------------------------------------------------------------ head class (a feature)


_HEAD_CLASSES: dict[int, tuple[dict, dict[str, str]]] = {}


def head_class(project: str, cfg) -> str:
    """`_head_class` of the phrase, memoised per configuration object (which the memo
    holds, as `_union` does): a pure function of the phrase and the word lists, asked
    about 2.4 times per distinct phrase (features, roles, the generators)."""
    held = _HEAD_CLASSES.get(id(cfg))
    if held is None or held[0] is not cfg:
        if len(_HEAD_CLASSES) > 8:  # configurations reloaded in a long-lived process
            _HEAD_CLASSES.clear()
        held = _HEAD_CLASSES[id(cfg)] = (cfg, {})
    memo = held[1]
    found = memo.get(project)
    if found is None:
        if len(memo) > 50_000:
            memo.clear()
        found = memo[project] = _head_class(project, cfg)
    return found


def _head_class(project: str, cfg) -> str:
    """The class of a candidate's head word, so the scorer can tell a program from a
    recipient without a tagger: `program` (programme, fund, grant, allowance, bridge ...),
    `recipient` (households, farmers), `agent` (ministry, council), `time` (year, a
    date), `source` (`general fund`, `reserves`: where the money comes from), `proper`
    (only capitalised words: a place or an organisation), `gerund`
    (`removing debris ...`), `verb` (the chunk runs over a verb: `State awards`),
    `adverb`, `other`. Word lists: rules/en/link_words.toml and link.toml."""
    words = _HEAD_WORD.findall(project)
    if not words:
        return "other"
    low = [w.lower() for w in words]
    first_part = _HEAD_PREP.split(" ".join(low))[0]
    head = first_part.split()[-1]
    head = _S_END.sub("", head)
    head_last = head.split("-")[-1]
    verbs = _union(cfg, "head_class_verbs", "chunk_verbs_set", "stop_words_set")
    if head in cfg.get("time_words_set", ()) or head[:1].isdigit():
        return "time"
    sources = cfg.get("source_words_set", frozenset())
    if head in sources or " ".join(first_part.split()[-2:]) in sources:
        return "source"  # `general fund`, `council reserves`: where the money comes from
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if (
        len(low) >= 3
        and low[0] in cfg.get("agent_of_words_set", ())
        and low[1] == "of"
        and all(_capitalised(w) for w in content)
    ):
        return "agent"  # `Port of Ridgefield`, `City of Scranton`: a body, not an item
    if any(w in verbs for w in low) or any(_ing_verb(w, cfg) for w in low[1:]):
        return "verb"  # `Households receiving basic livelihood benefits`: a clause
    if head_last in cfg.get("program_heads_set", ()) or head_last in cfg["name_heads_set"]:
        return "program"
    if head_last in cfg["budget_words_set"] or head_last in cfg["in_heads_set"]:
        return "program"
    if head_last in cfg["recipient_words_set"]:
        return "recipient"
    if head_last in cfg.get("agent_words_set", ()):
        return "agent"
    if content and all(_capitalised(w) for w in content):
        return "proper"
    if low[0].endswith("ing") and words[0].islower():
        return "gerund"
    if any(w in cfg.get("chunk_adverbs_set", ()) for w in low):
        return "adverb"
    return "other"


def _ing_verb(word: str, cfg) -> bool:
    """A lower-case `-ing` word inside a phrase that is no noun of budget copy."""
    if not word.endswith("ing") or len(word) < 6 or word in cfg.get("program_heads_set", ()):
        return False
    return word not in cfg["budget_words_set"] and word not in cfg["participle_keep_set"]


# ------------------------------------------------------------------ grammatical role

_CLAUSE_CUT = re.compile(
    r"(?:[,;:()\[\]\"“”—–]|\s-\s|\b(?:and|but|while|whereas|that|which|who|as|after|"
    r"because|although|though|if|when|so)\b)",
    re.IGNORECASE,
)
_GAP_BREAK = re.compile(r"[,;:()\[\]\"“”—–\n]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def role_features(
    text: str, sent_start: int, start: int, end: int, money_start: int, first: bool, cfg
) -> list[str]:
    """Grammatical-role features of a phrase around an amount, without a tagger (word
    classes of rules/en/link_words.toml):
    - `en_role:subject_taker`: a verb chain ending at the amount follows the phrase
      (`The Household Energy Rebate will cost N`, `Level crossing removals get N`);
    - `en_role:subject_giver`: the same with a verb of paying, chunk_verbs (`The council
      approved N`: the payer, not the item);
    - `en_role:of_amount`: `a young parent supplement of N`, `orders worth N`;
    - `en_role:clause_start`: only determiners stand between its clause start and it;
    - `en_role:first_named`: the first phrase of the sentence a generator proposed;
    - `en_role:single_lower`: one lower-case word that is no program head (`take`);
    - `en_role:generic_phrase`: only generic budget words (`total project`, `first-year
      budget`, `maximum subsidy`: generic_projects, of_lead_drop, budget_words,
      generic_modifiers), which name no item of their own.
    Offsets are in `text`."""
    out: list[str] = []
    if first:
        out.append("en_role:first_named")
    phrase = text[start:end]
    words = _WORD.findall(phrase)
    if len(words) == 1 and words[0].islower() and head_class(phrase, cfg) != "program":
        out.append("en_role:single_lower")
    generic = _union(
        cfg,
        "generic_phrase",
        "generic_projects_set",
        "of_lead_drop_set",
        "budget_words_set",
        "generic_modifiers_set",
    )
    if words and all(w.lower() in generic or w.lower() in DETERMINERS for w in words):
        out.append("en_role:generic_phrase")  # `total project`, `first-year budget`: no name
    pre = text[sent_start:start]
    cut = list(_CLAUSE_CUT.finditer(pre))
    pre = pre[cut[-1].end() :] if cut else pre
    if all(
        w.lower() in DETERMINERS
        or w.lower() in cfg.get("owner_words_set", ())
        or _POSSESSIVE_END.search(w)
        for w in _WORD.findall(pre)
    ):
        out.append("en_role:clause_start")
    if end <= money_start:
        gap = text[end:money_start]
        gap_words = [w.lower() for w in _WORD.findall(gap)]
        if _GAP_BREAK.search(gap) or len(gap_words) > 8:
            return out
        verbs = _union(cfg, "role_verbs", "chunk_verbs_set", "role_verbs_set")
        small = _union(cfg, "role_small", "role_small_set", "chunk_adverbs_set")
        if not all(w in verbs or w in small for w in gap_words):
            return out
        if any(w in cfg.get("chunk_verbs_set", ()) for w in gap_words):
            out.append("en_role:subject_giver")  # `The council approved N`: who pays
        elif any(w in verbs for w in gap_words):
            out.append("en_role:subject_taker")  # `The rebate will cost N`: what it buys
        elif any(w in cfg.get("role_of_set", ()) for w in gap_words):
            out.append("en_role:of_amount")
    return out


# ------------------------------------------------------------------ trimmed variants

_LEAD_DET = re.compile(r"^(?:(?:the|a|an|its|their|his|her|our|this|these|those)\s+)+", re.I)
_OWNER_LEAD = re.compile(r"^(?:[\w.&-]+\s+){0,2}?[\w.&-]+['’]s\s+(?=\S)")
_FIRST_PREP = re.compile(
    r"\s+(?:for|to|of|in|at|along|on|with|rather\s+than|aimed|targeted|linking|ahead\s+of)\s+"
)


def trimmed_variants(text: str, start: int, end: int, cfg) -> list[tuple[str, int, int]]:
    """Shorter variants of a phrase around an amount, each (kind, start, end) in `text`,
    for the scorer to weigh against the phrase (word lists: rules/en/link_words.toml):
    `verb` drops a leading purpose verb (`rebuild the Oakey interchange` -> `Oakey
    interchange`, trim_verbs; `gerund` when it is an -ing form: `building a base`),
    `owner` a leading possessive (`Suncheon's 2026 budget` -> `2026 budget`), `of` a
    generic head before its object (`extension of the Household
    Support Fund` -> `Household Support Fund`, trim_of_heads), `tail` everything from
    the first preposition on (`flood recovery along the Yamakuni river` -> `flood
    recovery`)."""
    phrase = text[start:end]
    out: list[tuple[str, int, int]] = []

    def add(kind: str, s: int) -> None:
        rest = text[s:end]
        det = _LEAD_DET.match(rest)
        if det:
            s += det.end()
        if s < end and len(text[s:end].split()) >= 1 and s > start:
            out.append((kind, s, end))

    words = phrase.split()
    if len(words) >= 2:
        first = words[0].lower()
        verbs = cfg.get("trim_verbs_set", frozenset())
        if first in verbs:
            skip = len(words[0])
            if len(words) >= 3 and words[1].lower() in ("in", "up", "out", "on"):
                skip = phrase.index(words[1], skip) + len(words[1])
            # A gerund is its own kind: the labels keep it (`for building a base`) where
            # they drop an infinitive's verb (`to build X` -> X); the scorer weighs both.
            kind = "gerund" if first.endswith("ing") else "verb"
            add(kind, start + skip + (len(phrase[skip:]) - len(phrase[skip:].lstrip())))
        owner = _OWNER_LEAD.match(phrase)
        if owner and owner.end() < len(phrase):
            add("owner", start + owner.end())
        m = _OF_HEAD.match(phrase)
        if m and m.group(2).lower() in cfg.get("trim_of_heads_set", frozenset()):
            add("of", start + m.end())
    cut = _FIRST_PREP.search(phrase)
    if cut and cut.start() > 0:
        hi = start + cut.start()
        if len(text[start:hi].split()) >= 1:
            out.append(("tail", start, hi))
    out += lead_modifier_variants(text, [(start, end)] + [(s, e) for _k, s, e in out], cfg)
    return out


# --------------------------------------------- leading counts and modifiers (variants)

_COUNT = re.compile(r"^(?:\d[\d,.]*|\d+-(?:year|month|week|day)|[a-z]+-(?:year|month|week))$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def lead_modifier_variants(
    text: str, spans: list[tuple[int, int]], cfg
) -> list[tuple[str, int, int]]:
    """Variants of each span without its leading count or modifier words, which the
    labels mostly leave out of an item's name (`60 new surveillance cameras` ->
    `new surveillance cameras` (`count`) and `surveillance cameras` (`mod`), `a
    one-off heating-cost subsidy` -> `heating-cost subsidy`, `build 27 fixed wireless
    towers` -> (after `verb`) `fixed wireless towers`). Counts are numerals, number
    words and `two-year`; modifiers rules/en/link_words.toml `trim_lead_modifiers`. A
    year (`2026 farm budget`) is no count. The labels keep `new` about as often as they
    drop it, so both are proposed and the scorer weighs them (`en.trim_count`,
    `en.trim_mod`, `has_variant:count|mod`)."""
    mods = cfg.get("trim_lead_modifiers_set", frozenset())
    numbers = cfg.get("number_words_set", frozenset())
    out: list[tuple[str, int, int]] = []
    for start, end in spans:
        pos = start
        det = _LEAD_DET.match(text[start:end])
        if det:
            pos += det.end()
        words = [(m.start() + pos, m.group().lower()) for m in re.finditer(r"\S+", text[pos:end])]
        kind = ""
        for n, (at, word) in enumerate(words):
            if (_COUNT.match(word) or word in numbers) and not _YEAR.match(word):
                kind = kind or "count"
                if n + 1 < len(words) and words[n + 1][1] in mods:
                    out.append(("count", words[n + 1][0], end))  # `1,500 new social homes`
            elif word in mods:
                kind = "mod"
            else:
                if kind and n and word not in PREPOSITIONS | {"of", "and", "or"}:
                    out.append((kind, at, end))
                break
    return out


# ------------------------------------------------------------------ spans that are no item

_SPAN_YEAR = re.compile(r"(?:19|20)\d\d(?:[-–/]\d\d(?:\d\d)?)?")
_SPAN_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")  # whole: `0.5 hectares` counts nothing
_WORD = re.compile(r"\S+")


def tidy_span(ctx: Ctx, span: Span) -> Span | None:
    """A proposed span cut to the item it names, or None when it is grammatically no item
    (en-span14; word lists in rules/en/link_words.toml `span_*`):
    - a lead preposition, conjunction or `as a` is cut (`of treasury bonds`, `while
      Sudbury`, `as a development grant`), in lower case or before a lower-case word (`Of
      total investment`; not `For Inspiration and Recognition`);
    - a count before a lower-case word is cut (`82 projects` -> `projects`, a generic word
      the generic filter then drops; `Twenty early-learning centers` -> `early-learning
      centers`); not a year (`2026 budget`, `2026-27 budget`);
    - a finite verb of `span_verbs` inside ends the item: before it when it is last
      (`a €250 000 budget contributes`), else its object after it (`The council holds
      general reserves of £22.7m`);
    - a verb phrase led by a verb of `span_lead_verbs` whose means is named (`to reduce
      surgical wait times through the surgical initiative`) is the means;
    - a qualifier or bound alone (`at least`, `up to`) is no item.
    Spans with their own text (antecedents) are left as they are."""
    if span.text is not None:
        return span
    cfg = ctx.cfg
    text = ctx.text
    words = [
        (w.start() + span.start, w.end() + span.start)
        for w in _WORD.finditer(text[span.start : span.end])
    ]
    if not words:
        return None
    leads = cfg.get("span_lead_drop_set", frozenset())
    dets = DETERMINERS | {"such"}

    def low(k: int) -> str:
        s, e = words[k]
        return text[s:e].lower().strip("\"'“”‘’(),")

    i = 0
    while i < len(words) - 1 and (low(i) in leads or (i > 0 and low(i) in dets | {"own"})):
        w = text[words[i][0] : words[i][1]]
        nxt = text[words[i + 1][0] : words[i + 1][1]]
        if low(i) in leads and w[:1].isupper() and nxt[:1].isupper():
            break  # a title-cased name
        i += 1
    numbers = cfg.get("number_words_set", frozenset())
    first = text[words[i][0] : words[i][1]] if i < len(words) else ""
    if (
        i < len(words) - 1
        and (
            (_SPAN_COUNT.fullmatch(first) and not _SPAN_YEAR.fullmatch(first))
            or (first.lower() in numbers and first.lower() not in {"some"})
        )
        and text[words[i + 1][0]][:1].islower()
        and low(i + 1) not in cfg.get("span_count_units_set", frozenset())
    ):
        i += 1
    verbs = cfg.get("span_verbs_set", frozenset())
    j = len(words)
    for k in range(i + 1, len(words)):
        if low(k) in verbs:
            if k == len(words) - 1:
                j = k
            else:
                i = k + 1
            break
    lead_verbs = cfg.get("span_lead_verbs_set", frozenset())
    means = cfg.get("channel_cues_set", frozenset())
    if i < j and low(i) in lead_verbs:
        cue = next((k for k in range(i + 1, j - 1) if low(k) in means), None)
        if cue is not None:
            i = cue + 1
            while i < j - 1 and low(i) in dets:
                i += 1
    if i >= j:
        return None
    bounds = _union(
        cfg,
        "span_bounds",
        "qualifier_words_set",
        "span_lead_drop_set",
        "span_no_item_set",
        extra=frozenset(dets),
    )
    if all(low(k) in bounds for k in range(i, j)):
        return None
    if i == 0 and j == len(words):
        return span
    return replace(span, start=words[i][0], end=_strip_end(text, words[i][0], words[j - 1][1]))
