"""The linker's analysis shortcuts change nothing: `korean.may_name` is false only
where `korean.names` finds nothing, and a document's sentences are analysed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.detect import detect_blocks
from extract.linking import generators
from extract.linking import korean as ko_mod
from extract.linking.context import config, find_quotes
from extract.models import Sentence, Token
from extract.pipeline import process_document
from extract.segment import segment

ROOT = Path(__file__).resolve().parent.parent
SETS = ("tests/labeled", "tests/heldout", "tests/train")


def _korean_sentences():
    for name in SETS:
        for path in sorted((ROOT / name / "corpus").glob("*.txt"))[:40]:
            text = path.read_bytes().decode("utf-8", errors="replace")
            for sentence in segment(text, detect_blocks(text)):
                if sentence.lang == "ko":
                    yield text, sentence


def test_may_name_false_only_where_names_finds_nothing():
    cfg = config("ko")
    checked = skipped = 0
    for text, sentence in _korean_sentences():
        tokens = [
            Token(t.text, t.start + sentence.start, t.end + sentence.start, t.tag)
            for t in ko_mod.tokenize(sentence.text)
        ]
        quotes = find_quotes(text, sentence.start, sentence.end)
        bare = Sentence(sentence.start, sentence.end, sentence.text, "ko")
        if not ko_mod.may_name(text, bare, quotes, cfg):
            skipped += 1
            assert ko_mod.names(text, bare, tokens, quotes, cfg) == [], sentence.text
        checked += 1
    assert checked > 500 and skipped > 50  # the check saw both kinds


def test_may_name_false_whatever_the_analysis():
    """`may_name` is false for a sentence whose only budget head stands at its start,
    whose every phrase ending in a head is a generic word (`사업 참여율은 ...`, `사업비 ...`),
    and there `names` finds nothing
    whatever morphemes and tags an analysis gives: random cuts of the written words
    into tokens, random tags and random forms (surface or generic words). Anything
    before a head keeps it true (`마련해 사업을`: the tags decide)."""
    import random

    cfg = config("ko")
    quiet = [
        "사업 참여율은 전년 대비 11.7% 늘어난 것으로 집계됐다.",
        "사업명\t2025년\t2026년",
        "사업비 집행률은 90%를 넘었다.",
        "사업비 집행률은 높았다.",
    ]
    loud = [
        "시는 세부 계획을 마련해 사업을 본격 추진할 계획이다.",
        "한편 사업 참여율은 전년 대비 11.7% 늘어난 것으로 집계됐다.",
        "이번 정부 추경예산에 상품권 예산이 반영됐다.",
        "예산안 심사가 시작됐다.",  # a named budget head: with a year it is a name
        "AI 사업은 늘었다.",
    ]
    for text in loud:
        assert ko_mod.may_name(text, Sentence(0, len(text), text, "ko"), [], cfg), text
    tags = ["NNG", "NNP", "SL", "SN", "SH", "XSN", "XPN", "NNB", "JKS", "JX", "JKG"]
    tags += ["VV", "VA", "ETN", "ETM", "MM", "MAG", "SW", "SP", "SF", "XR", "EC"]
    forms = ["사업", "예산", "이번", "총", "올해", "국비", "년", "차", "참여", "율"]
    rng = random.Random(14)
    for text in quiet:
        sentence = Sentence(0, len(text), text, "ko")
        assert not ko_mod.may_name(text, sentence, [], cfg), text
        chars = [i for i, ch in enumerate(text) if not ch.isspace()]
        for _ in range(300):
            tokens, i = [], 0
            while i < len(chars):
                j = i + 1
                while j < len(chars) and chars[j] == chars[j - 1] + 1 and rng.random() < 0.5:
                    j += 1
                a, b = chars[i], chars[j - 1] + 1
                form = text[a:b] if rng.random() < 0.7 else rng.choice(forms)
                tokens.append(Token(form, a, b, rng.choice(tags)))
                i = j
            assert ko_mod.names(text, sentence, tokens, [], cfg) == [], (text, tokens)
        # and with Kiwi's own analysis
        analysed = [Token(t.text, t.start, t.end, t.tag) for t in ko_mod.tokenize(text)]
        assert ko_mod.names(text, sentence, analysed, [], cfg) == []


def test_each_sentence_analysed_at_most_once_per_document(monkeypatch):
    path = sorted((ROOT / "tests/train/corpus").glob("ko_*.txt"))
    if not path:
        pytest.skip("tests/train missing")
    seen: list[str] = []
    original = ko_mod.tokenize

    def counting(text: str) -> list[Token]:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(ko_mod, "tokenize", counting)
    from extract.models import Document

    analysed = 0
    for p in path[:30]:
        seen.clear()
        text = p.read_bytes().decode("utf-8", errors="replace")
        process_document(Document(doc=p.name, text=text, sha256="", fmt="txt", encoding="utf-8"))
        analysed += len(seen)
        assert len(seen) == len(set(seen)), p.name
    assert analysed > 0


def test_lazy_tokens_analyse_on_first_use_only():
    calls = []

    def analyse() -> list[Token]:
        calls.append(1)
        return [Token("a", 0, 1), Token("b", 2, 3)]

    lazy = generators._LazyTokens(analyse)
    assert calls == []
    assert len(lazy) == 2 and lazy[1].text == "b" and [t.text for t in lazy] == ["a", "b"]
    assert lazy[:1][0].text == "a"
    assert calls == [1]


def test_word_union_is_the_plain_union_once_per_config() -> None:
    """`context.word_union` equals the union it replaces, keeps a missing required set an
    error, and gives a new config object (a reload) its own union."""
    from extract.linking.context import word_union

    cfg = config("ko")
    plain = cfg["generic_words_set"] | cfg["budget_heads_set"] | cfg["leading_drop_set"]
    names = ("generic_words_set", "budget_heads_set", "leading_drop_set")
    assert word_union(cfg, *names) == plain
    assert word_union(cfg, *names) is word_union(cfg, *names)
    assert word_union(cfg, "leading_drop_set", "no_such_set?") == cfg["leading_drop_set"]
    with pytest.raises(KeyError):
        word_union(cfg, "no_such_set")
    other = dict(cfg, generic_words_set=frozenset({"새말"}))
    assert word_union(other, *names) == (
        frozenset({"새말"}) | cfg["budget_heads_set"] | cfg["leading_drop_set"]
    )


def test_head_class_memo_is_the_plain_function_and_follows_a_reloaded_config() -> None:
    """`english.head_class` memoises `_head_class` per configuration object: the same
    answer for every phrase, and a new config (a reload with other word lists) never
    reads the old config's answers (the memo could go stale there)."""
    from extract.linking import english

    cfg = config("en")
    phrases = [
        "the smart farm program",
        "Households receiving benefits",
        "City of Scranton",
        "general fund",
        "2026",
        "Samsung Electronics",
        "removing debris",
    ]
    for phrase in phrases:
        assert english.head_class(phrase, cfg) == english._head_class(phrase, cfg)
        assert english.head_class(phrase, cfg) == english._head_class(phrase, cfg)  # memoised
    assert english.head_class("the widget", cfg) != "program"
    heads = cfg.get("program_heads_set", frozenset()) | {"widget"}
    reloaded = dict(cfg, program_heads_set=heads)
    assert english.head_class("the widget", reloaded) == "program"
    assert english.head_class("the widget", cfg) != "program"  # the old config's answer stays


def test_noun_phrase_walker_is_one_per_context_never_shared_between_amounts() -> None:
    """`korean._np_of` gives a context (one amount) one walker, so `local`, `chunks` and
    `_total` share its `ok` memo; another amount gets its own, since `ok` depends on the
    context's amounts (a token inside one of them is no part of a phrase), and a long
    sentence's window holds only the amounts near its own."""
    from extract.linking.context import Ctx
    from extract.models import MoneyMention

    text = "청년 일자리 사업 예산 30억원과 주거 지원 사업 예산 20억원을 편성했다."
    cfg = config("ko")
    s = Sentence(0, len(text), text, "ko")
    tokens = [Token(t.text, t.start, t.end, t.tag) for t in ko_mod.tokenize(text)]
    a0 = text.index("30억원")
    a1 = text.index("20억원")
    ms = [
        MoneyMention(a0, a0 + 4, "30억원", None, "KRW"),
        MoneyMention(a1, a1 + 4, "20억원", None, "KRW"),
    ]
    ctx0 = Ctx(text, s, tokens, ms[0], ms, 0, [], cfg)
    ctx1 = Ctx(text, s, tokens, ms[1], ms, 1, [], cfg)
    np0, np1 = ko_mod._np_of(ctx0), ko_mod._np_of(ctx1)
    assert np0 is ko_mod._np_of(ctx0) and np1 is ko_mod._np_of(ctx1) and np0 is not np1
    for i, t in enumerate(tokens):
        fresh0, fresh1 = ko_mod._NP(ctx0), ko_mod._NP(ctx1)
        assert np0.ok(i) == fresh0.ok(i) and np1.ok(i) == fresh1.ok(i), t
    # a context that does not hold the other amount (the window of a long sentence)
    # reads the other amount's number (SN) as a noun: its own walker, its own answers
    alone = Ctx(text, s, tokens, ms[0], ms[:1], 0, [], cfg)
    sn = [i for i, t in enumerate(tokens) if t.tag == "SN" and t.start >= a1]
    assert sn and ko_mod._np_of(alone).ok(sn[0]) and not np0.ok(sn[0])
    # the generators give what fresh walkers give
    assert ko_mod.chunks(ctx0) == ko_mod.chunks(Ctx(text, s, tokens, ms[0], ms, 0, [], cfg))
    assert ko_mod.local(ctx1) == ko_mod.local(Ctx(text, s, tokens, ms[1], ms, 1, [], cfg))


def test_feature_copies_are_kept_per_language() -> None:
    """`features.by_language` remembers each feature name's copy per language: a name
    first seen in Korean is copied `en|...` in English, never with the Korean prefix."""
    from extract.linking.features import by_language

    f = {"bias": 1.0, "gen:ko.np_head": 1.0, "recurs_alone:ko": 1.0, "rank<=0": 1.0}
    assert by_language(f, "ko") == {**f, "ko|bias": 1.0, "ko|rank<=0": 1.0}
    assert by_language(f, "en") == {**f, "en|bias": 1.0, "en|rank<=0": 1.0}
    assert list(by_language(f, "en")) == [*f, "en|bias", "en|rank<=0"]  # order kept
