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
