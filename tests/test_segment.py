"""Segmentation: Kiwi for Korean, spaCy for the rest, offsets exact in the whole document."""

from __future__ import annotations

import unicodedata

import pytest

from extract import segment as seg
from extract.detect import detect_blocks
from extract.ingest import normalize_text
from extract.models import Block, Sentence
from extract.segment import MONEY_HINT, get_kiwi, get_nlp, load_models, segment

# Tags whose morpheme form is written exactly as in the text.
SURFACE_TAGS = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "SF", "SP", "SS", "SSO", "SSC", "JKO"}

DOC = (
    "Gwangju secured 3.9497 trillion won in 2026. Officials said it was a record.\n"
    "\n"
    "광주시는 올해 국비 3조9497억원을 확보했다. 인공지능 사업 예산은 387억 4000만 원이다!\n"
    "😀 𠀀漢字 표기 뒤에도 1천246억원과 삼천만 원, 2,107억 원이 이어졌다.\n"
    "정부는 관련 사업을 지속할 계획이라고 밝혔다. 다음 단계는 내년에 시작된다.\n"
    "Dr. Kim said the U.S. plan costs $1.1bn. It starts on Sep. 18.\n"
)


@pytest.fixture(scope="module")
def sentences() -> list[Sentence]:
    return segment(DOC, detect_blocks(DOC))


def _check_offsets(text: str, sentences: list[Sentence]) -> None:
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        for t in s.tokens:
            assert s.start <= t.start <= t.end <= s.end, (t, s.text)
            if t.tag in SURFACE_TAGS or t.tag == "":
                assert text[t.start : t.end] == t.text, (t, text[t.start : t.end])
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))


def test_offsets_are_exact_in_the_document(sentences: list[Sentence]) -> None:
    _check_offsets(DOC, sentences)
    texts = [s.text for s in sentences]
    assert texts == [
        "Gwangju secured 3.9497 trillion won in 2026.",
        "Officials said it was a record.",
        "광주시는 올해 국비 3조9497억원을 확보했다.",
        "인공지능 사업 예산은 387억 4000만 원이다!",
        "😀 𠀀漢字 표기 뒤에도 1천246억원과 삼천만 원, 2,107억 원이 이어졌다.",
        "정부는 관련 사업을 지속할 계획이라고 밝혔다.",
        "다음 단계는 내년에 시작된다.",
        "Dr. Kim said the U.S. plan costs $1.1bn.",
        "It starts on Sep. 18.",
    ]
    assert [s.lang for s in sentences] == ["en", "en", "ko", "ko", "ko", "ko", "ko", "en", "en"]


def test_kiwi_money_morphemes(sentences: list[Sentence]) -> None:
    ko = sentences[2]
    i = next(i for i, t in enumerate(ko.tokens) if t.text == "3")
    got = [(t.text, t.tag) for t in ko.tokens[i : i + 5]]
    assert got == [("3", "SN"), ("조", "NR"), ("9497", "SN"), ("억", "NR"), ("원", "NNB")]
    start = ko.tokens[i].start
    assert DOC[start : ko.tokens[i + 4].end] == "3조9497억원"
    spaced = [(t.text, t.tag) for t in sentences[3].tokens if t.tag in {"SN", "NR", "NNB"}]
    assert spaced == [("387", "SN"), ("억", "NR"), ("4000", "SN"), ("만", "NR"), ("원", "NNB")]


def test_contracted_morphemes_cover_their_surface(sentences: list[Sentence]) -> None:
    # 확보했다: 하/XSV and 었/EP are both written as 했.
    ko = sentences[2]
    ha = next(t for t in ko.tokens if t.text == "하")
    assert DOC[ha.start : ha.end] == "했"


def test_non_bmp_characters_do_not_shift_offsets(sentences: list[Sentence]) -> None:
    s = sentences[4]
    nums = [t for t in s.tokens if t.tag == "SN"]
    assert [DOC[t.start : t.end] for t in nums] == ["1", "246", "2,107"]
    assert [t.text for t in s.tokens[:2]] == ["😀", "𠀀漢字"]
    won = [t for t in s.tokens if t.text == "원" and t.tag == "NNB"]
    assert len(won) == 3 and all(DOC[t.start : t.end] == "원" for t in won)


def test_korean_block_without_money_hint_skips_kiwi(sentences: list[Sentence]) -> None:
    plain = sentences[5:7]
    assert not MONEY_HINT.search(plain[0].text + plain[1].text)
    assert all(s.tokens == [] for s in plain)
    assert all(s.tokens for s in sentences[2:5])


def test_money_hint_catches_every_money_shape() -> None:
    for text in ("3억원", "삼천만 원", "오백 달러", "일억", "천 엔", "백 위안", "유로화", "파운드"):
        assert MONEY_HINT.search(text), text
    assert not MONEY_HINT.search("정부는 관련 사업을 지속할 계획이다")


def test_english_words_from_spacy(sentences: list[Sentence]) -> None:
    words = [t.text for t in sentences[7].tokens]
    assert words[:3] == ["Dr.", "Kim", "said"]
    assert "$" in words and "1.1bn" in "".join(words)
    assert all(t.tag == "" for t in sentences[7].tokens)


def test_other_language_blocks_go_to_spacy_and_keep_lang() -> None:
    text = "政府は予算を発表した。来年から始まる。"
    sents = segment(text, [Block(0, len(text), "ja")])
    _check_offsets(text, sents)
    assert [s.lang for s in sents] == ["ja"] * len(sents) and sents


def test_decomposed_input_after_normalisation() -> None:
    nfd = unicodedata.normalize("NFD", "예산 3조9497억원을 확보했다. 다음 해 1.5조원.")
    text, offsets = normalize_text(nfd)
    sents = segment(text, detect_blocks(text))
    _check_offsets(text, sents)
    sn = next(t for s in sents for t in s.tokens if t.tag == "SN")
    assert nfd[offsets[sn.start]] == "3"


def test_long_block_is_chunked(monkeypatch) -> None:
    monkeypatch.setattr(seg, "MAX_CHUNK_CHARS", 60)
    ko = "정부는 3억원을 투입했다. " * 12
    en = "The city spent $2 million on roads this year and more next year " * 3
    text = ko.strip() + "\n" + en.strip()
    sents = segment(text, detect_blocks(text))
    _check_offsets(text, sents)
    assert sum(s.text.count("3억원") for s in sents) == 12
    assert "".join(s.text for s in sents).replace(" ", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_empty_input() -> None:
    assert segment("", []) == []
    assert segment("   \n", detect_blocks("   \n")) == []


def test_models_are_built_once() -> None:
    load_models()
    assert get_kiwi() is get_kiwi()
    assert get_nlp() is get_nlp()


def test_a_capped_long_sentence_is_never_cut_through_an_amount():
    # A one-line article longer than MAX_SENTENCE_CHARS is split at a space; a cut
    # between `12 billion` and `won` would lose the amount.
    from extract.limits import MAX_SENTENCE_CHARS, cap_sentences
    from extract.money import find_money

    text = "the fund gets 12 billion won and " * 300
    assert len(text) > 2 * MAX_SENTENCE_CHARS
    pieces = cap_sentences(text, [Sentence(0, len(text), text, "en")])
    assert len(pieces) > 1
    found = sum(len(find_money(p.text, "en")) for p in pieces)
    assert found == 300


def test_a_line_in_two_scripts_gets_kiwi_and_spacy_sentences() -> None:
    text = (
        "정부는 국방 예산을 61조 2,469억원으로 편성했다. "
        "The defense budget rose to 61.25 trillion won, up 3.0% from 59.4 trillion won."
    )
    sents = segment(text, detect_blocks(text))
    _check_offsets(text, sents)
    assert [(s.text[:6], s.lang) for s in sents] == [("정부는 국방", "ko"), ("The de", "en")]
    assert any(t.tag == "SN" for t in sents[0].tokens)  # Kiwi morphemes
    assert sents[1].tokens and all(t.tag == "" for t in sents[1].tokens)  # spaCy words


def test_a_korean_sentence_is_cut_after_a_year_and_its_period() -> None:
    # tester23 2: Kiwi never ends a sentence after a number and a period
    def texts(text: str) -> list[str]:
        sents = segment(text, detect_blocks(text))
        _check_offsets(text, sents)
        return [s.text for s in sents]

    assert texts("예산은 2030. 반도체 사업에 30억원이다.") == [
        "예산은 2030.",
        "반도체 사업에 30억원이다.",
    ]
    assert texts("사업 기간은 2026~2030. 총 사업비는 30억원이다.") == [
        "사업 기간은 2026~2030.",
        "총 사업비는 30억원이다.",
    ]
    # a date, a year that starts the sentence, a longer number: no cut
    for whole in (
        "예산은 2030. 12. 31.까지 30억원이다.",
        "2030. 반도체 사업에 30억원이다.",
        "예산은 12030. 반도체 사업에 30억원이다.",
    ):
        assert texts(whole) == [whole]
    # the cut sentence keeps its morphemes, split between the two
    text = "예산은 2030. 반도체 사업에 30억원이다."
    first, second = segment(text, detect_blocks(text))
    assert first.tokens[-1].end == first.end and first.tokens[-1].text.startswith("2030")
    assert second.tokens[0].start == second.start
