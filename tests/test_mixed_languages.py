"""A paragraph of Korean and English sentences (tester23 1.4): each sentence is read with
its own language's rules, end to end (detect -> segment -> money -> linking -> totals)."""

from __future__ import annotations

from decimal import Decimal

from extract.models import Document
from extract.pipeline import process_document
from extract.totals import project_totals


def _records(text: str):
    doc = Document(doc="t.txt", text=text, sha256="", fmt="txt", encoding="utf-8")
    return process_document(doc)[1]


def test_an_english_change_after_a_korean_sentence_is_not_counted() -> None:
    # a07: read as Korean, `cut ... by 36 billion won` was a figure: 1,200억 instead of 840억
    text = (
        "경기도는 지역화폐 발행 지원 예산을 전년 대비 30% 감액한 840억원으로 확정했다. "
        "Gyeonggi Province cut local currency support by 36 billion won to 84 billion won."
    )
    records = _records(text)
    assert [(r.text, r.lang) for r in records] == [
        ("840억원", "ko"),
        ("36 billion won", "en"),
        ("84 billion won", "en"),
    ]
    rows = [t.row() for t in project_totals([(records, text)]) if t.currency == "KRW"]
    assert [(row["distinct_total"], row["figures"]) for row in rows] == [
        (Decimal(84_000_000_000), 1)
    ]


def test_a_korean_sentence_before_an_english_one_gets_no_english_verb() -> None:
    # c03: read as English, 61조 2,469억원 got the project `편성했다`
    text = (
        "정부는 국방 예산을 61조 2,469억원으로 편성했다. "
        "The defense budget rose to 61.25 trillion won, up 3.0% from 59.4 trillion won."
    )
    first = _records(text)[0]
    assert (first.text, first.lang) == ("61조 2,469억원", "ko")
    assert first.link_rule.startswith("ko.")
    assert "편성" not in first.project and "국방" in first.project


def test_no_english_fragment_is_a_korean_amounts_project() -> None:
    # a01, a09: `The Youth Leap Account budget was set at`, `China will invest`
    texts = [
        "정부는 내년 청년도약계좌 예산을 1조 2,500억원으로 편성했다. "
        "The Youth Leap Account budget was set at 1.25 trillion won for next year.",
        "중국 정부는 한중 산업협력단지에 50억 위안(약 9,500억원)을 투자한다고 밝혔다. "
        "China will invest CNY 5 billion in the Korea-China industrial park, "
        "and Korea will add 2,000억원.",
    ]
    for text in texts:
        for r in _records(text):
            assert r.lang == ("ko" if r.start < text.index(". ") else "en"), r.text
            assert not r.project.endswith((" at", " invest", " add")), r.project


def test_a_korean_sentence_inside_english_ones_is_linked() -> None:
    # a06: the Korean sentence was read as English and got no project
    text = (
        "The EU pledged €500 million to the Korea-EU Green Partnership. "
        "유럽연합(EU)은 한-EU 그린 파트너십에 5억 유로(약 7,300억원)를 약정했다. "
        "The UK added £80 million."
    )
    by_text = {r.text: r for r in _records(text)}
    assert by_text["5억 유로"].lang == "ko"
    assert by_text["5억 유로"].project == "한-EU 그린 파트너십"


def test_a_project_does_not_start_with_the_year_before_a_period() -> None:
    # tester23 2 (b11): `예산은 2030. 양자컴퓨팅 사업에 30억원이다.` gave `2030. 양자컴퓨팅 사업`
    text = "예산은 2030. 양자컴퓨팅 사업에 30억원이다."
    (record,) = _records(text)
    assert record.project == "양자컴퓨팅 사업"


def test_a_short_english_sentence_gets_no_korean_project() -> None:
    # fix12b (tester25 l15, l16, l05): read with Korean rules, the projects were `Youth Leap
    # Account gets`, a span crossing the Korean sentence, and `It costs`
    texts = {
        "청년도약계좌 예산은 1조 2,500억원이다. Youth Leap Account gets 1.25 trillion won.": (
            "1.25 trillion won",
            "Youth Leap Account",
        ),
        "항만 사업에 50억원을 투입한다. Harbor project budget: $4 million.": (
            "$4 million",
            "Harbor project",
        ),
    }
    for text, (money, project) in texts.items():
        by_text = {r.text: r for r in _records(text)}
        assert (by_text[money].lang, by_text[money].project) == ("en", project)
    text = "기후동행카드 예산은 100억원이다. It costs 5만원 per month for each rider."
    by_text = {r.text: r for r in _records(text)}
    assert by_text["5만원"].lang == "en"
    assert "costs" not in by_text["5만원"].project
