"""The article's own item, for amounts of sentences that do not name one.

Budget articles name their program in the headline or lead and then give its
figures sentence by sentence without naming it again: `국비는 812억원, 시비는 348억원이다`,
`이 가운데 올해 확보한 국비는 96억원이다`, `사업비는 약 2,900억원으로 늘 수 있다`,
`가구당 최대 1억2천만원`. Two generators-level facts serve the scorer there:

- `article_item` proposes the article's main item to every amount: the name with
  the most (provisional) links of the article's amounts, plus two for each headline
  or lead sentence naming it, plus the times it is written (up to MAX_COUNT); ties
  to the name with more links, then the earlier.
  Its generator id is `<lang>.article_item`; when another generator proposes the
  same name, the merged candidate carries both.
- `cues` are the facts of the amount's sentence that point to an item named
  elsewhere, from the `[[article_cue]]` tables of rules/<lang>/link_generators.toml
  (a funding-source word before the amount, `이 가운데`, a cost word as the subject,
  a per-unit rate) plus three of the sentence itself: it names no item
  (`names_no_item`), none of its amounts has a provisional link (`links_none`), a
  noun other than the main item's stands right before the amount (`own_noun`).
  features.py turns them into features of the main item, of the other candidates
  from elsewhere and of "no project".

Everything here reads only the text, the rules and the provisional links, never the
fitted weights (see generators.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..models import Sentence
from .context import HEADLINE_SENTENCES, _module, _sentence_lang, config, norm_key

if TYPE_CHECKING:
    from .generators import Proposal, _State

# generators of an item written right at the amount (a whole budget `정부 예산은 N원`):
# the article's item is not proposed over it
OWN_ITEM = (".total",)
CUE_BEFORE = 80  # characters before an amount that a `before` cue sees
CUE_AFTER = 40  # ... and after it for an `after` cue
LEAD_WEIGHT = 2  # a name of the headline or lead counts as this many links
MAX_COUNT = 6  # times a name is written, counted up to this (a shorter name is counted
# inside the longer ones too, so `신청사 건립` outranks `충북 청주시 신청사 건립`)
MIN_KEY = 3  # a shorter name (`기금`, `결과`) is a head word, not the article's item


def propose_article_item(
    text: str, sentences: list[Sentence], props: list[Proposal], state: _State
) -> None:
    """Add each amount's cues, and the article's main item as a candidate, in place."""
    from .generators import Candidate, _named_in, _noun_before, unlabelled_row

    langs = {p.lang for p in props if config(p.lang).get("article_cues")}
    if not langs:
        return

    def named(si: int) -> list[tuple[str, str]]:
        if si not in state.named:
            sentence = sentences[si]
            mod = _module(_sentence_lang(sentence))
            state.named[si] = _named_in(text, sentence, mod, state.memo)
        return state.named[si]

    score: dict[str, int] = defaultdict(int)
    first: dict[str, tuple[int, str, str]] = {}  # key -> (sentence, name, id)
    linked_in: set[int] = set()
    for prop in props:
        lk = prop.provisional
        if not lk.project or lk.rule.endswith(".topic"):
            continue
        linked_in.add(prop.si)
        key = norm_key(lk.project)
        if len(key) < MIN_KEY:
            continue
        score[key] += 1
        first.setdefault(key, (prop.si, lk.project, lk.project_id))
        if prop.si < first[key][0]:
            first[key] = (prop.si, lk.project, lk.project_id)
    for si in range(min(HEADLINE_SENTENCES, len(sentences))):
        keys = set()
        for name, pid in named(si):
            key = norm_key(name)
            if len(key) >= MIN_KEY and key not in keys:  # a name counts once a sentence
                keys.add(key)
                score[key] += LEAD_WEIGHT
                if key not in first or si < first[key][0]:
                    first[key] = (si, name, pid)
    _headline_items(text, sentences, score, first, state.memo)
    main = None
    if score:
        folded = text.casefold()
        count = {k: min(folded.count(first[k][1].casefold()), MAX_COUNT) for k in score}
        best = max(score, key=lambda k: (score[k] + count[k], score[k], -first[k][0]))
        if score[best] >= LEAD_WEIGHT:
            main = first[best]
    for prop in props:
        if prop.lang not in langs:
            continue
        prop.cues = _cues(text, sentences[prop.si], prop, named(prop.si), prop.si in linked_in)
        if main is None or prop.negative or prop.parent is not None or prop.mention.amount is None:
            continue
        if unlabelled_row(text, prop.mention.start):
            continue  # `|  |  | 14,707 |`: a table row whose label is lost is no article item
        si, name, pid = main
        sentence = sentences[prop.si]
        if _noun_before(text, sentence, prop.mention, name, prop.lang, state.memo) or any(
            c.generator.endswith(OWN_ITEM) for c in prop.candidates
        ):
            prop.cues += ("own_noun",)  # `특별교부세 186억원`: the amount's own item is written
            continue  # and wins over the article's, as over its topic (generators._topic)
        prop.candidates.append(Candidate(name, pid, f"{prop.lang}.article_item", si=si))


def _headline_items(
    text: str, sentences: list[Sentence], score: dict[str, int], first: dict, memo: dict
) -> None:
    """Headline phrases without a budget head (`스마트 물류단지 조성 속도`), cut to the
    longest run of their first words the article writes again (`스마트 물류단지 조성`),
    count like a lead name."""
    if not sentences or _sentence_lang(sentences[0]) != "ko":
        return
    from .generators import _tokens_for
    from .korean import headline_items

    head = sentences[0]
    body = text[head.end :]
    for s, e in headline_items(text, head, _tokens_for(head, "ko", memo), config("ko")):
        words = text[s:e].split()
        while words and body.count(" ".join(words)) < 1:
            words.pop()
        name = " ".join(words)
        key = norm_key(name)
        if len(words) >= 2 and len(key) >= MIN_KEY and key not in first:
            score[key] += LEAD_WEIGHT
            first[key] = (0, name, "")


def _cues(
    text: str, sentence: Sentence, prop: Proposal, names: list, linked: bool
) -> tuple[str, ...]:
    from .generators import separate_amount

    m = prop.mention
    cfg = config(prop.lang)
    before = text[max(sentence.start, m.start - CUE_BEFORE) : m.start]
    after = text[m.end : min(sentence.end, m.end + CUE_AFTER)]
    found = []
    for cue in cfg.get("article_cues", []):
        rx, side = cue["rx"], cue["side"]
        if side == "before":
            hit = rx.search(before)
        elif side == "after":
            hit = rx.match(after)
        else:
            hit = rx.search(text, sentence.start, min(sentence.end, sentence.start + 2000))
        if hit is not None and cue["name"] not in found:
            found.append(cue["name"])
    if separate_amount(text, sentence, m, prop.lang):
        found.append("separate")  # `예산 120억원은 별도`: not the item in view
    if not names:
        found.append("names_no_item")
    if not linked:
        found.append("links_none")
    return tuple(found)
