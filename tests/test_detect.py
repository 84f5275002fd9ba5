"""Language detection: per block, deterministic, Korean with English quotes, other languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from extract.detect import block_language, detect_blocks, document_language
from extract.models import Block

KO_QUOTING_EN = """광주시 국비 3조9497억원 확보
정진욱 의원은 4일 "광주의 미래를 결정할 전략산업 예산이 폭넓게 반영됐다"고 밝혔다.
이에 대해 외신은 다음과 같이 보도했다.
"The 3.9497 trillion won for Gwangju is the largest amount in its history," the report said.
AI 모빌리티 실증도시 조성 사업에는 61억7000만원이 배정됐다.
"""

EN_WITH_SHORT_LINES = """Record-Breaking Funding Secured
Samsung
The city secured 3.9497 trillion won in national funding for the next year, officials said.
$2.5 million
The ministry will also spend 563.9 billion won on artificial intelligence and mobility projects.
"""

# Texts that go past the cheap rules to langdetect.
LANGDETECT_CASES = [
    "Le gouvernement a annoncé un budget de trois milliards d'euros pour la ville de Paris.",
    "Die Regierung hat ein Budget von drei Milliarden Euro für die Stadt angekündigt.",
    "El gobierno anunció un presupuesto de tres mil millones de euros para la ciudad.",
    "政府は来年度予算として3兆円を計上したと発表した。",
    "政府宣布明年预算为三万亿元人民币，用于基础设施建设。",
    "Section Chief Public Affairs Kim Mi-Yeon Nayeong Lee Senior Administrator Deuk-jo Kong",
]


def _langs(text: str) -> list[tuple[str, str]]:
    return [(text[b.start : b.end], b.lang) for b in detect_blocks(text)]


def test_korean_article_quoting_english_has_both_languages() -> None:
    got = _langs(KO_QUOTING_EN)
    assert [lang for _, lang in got] == ["ko", "ko", "ko", "en", "ko"]
    assert got[3][0].startswith('"The 3.9497 trillion won')
    assert document_language(detect_blocks(KO_QUOTING_EN)) == "ko"


def test_block_spans_are_trimmed_lines() -> None:
    text = "  첫 줄 10억원  \n\n\t\nsecond line of the text is here\n   \n마지막"
    blocks = detect_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == [
        "첫 줄 10억원",
        "second line of the text is here",
        "마지막",
    ]
    assert all(b.start < b.end for b in blocks)


def test_short_and_letterless_blocks_inherit_from_neighbours() -> None:
    assert block_language("Samsung") == "und"
    assert block_language("$2.5 million") == "und"
    assert block_language("2,107") == "und"
    assert [lang for _, lang in _langs(EN_WITH_SHORT_LINES)] == ["en"] * 5
    ko = "정부는 올해 예산을 늘렸다.\nSamsung\n1,000\n삼성전자는 투자를 발표했다."
    assert [lang for _, lang in _langs(ko)] == ["ko"] * 4


def test_undecided_between_two_languages_takes_document_language() -> None:
    text = (
        "정부는 올해 예산을 크게 늘렸다고 밝혔다.\n정부 예산은 전년보다 8.1% 늘었다.\n"
        "광주시는 인공지능 사업 예산이 25억원에서 153억원으로 증액됐다고 밝혔다.\n"
        "Samsung\n"
        "The ministry said the budget was the largest in history."
    )
    assert [lang for _, lang in _langs(text)] == ["ko", "ko", "ko", "ko", "en"]


def test_letterless_document_stays_undetermined() -> None:
    blocks = detect_blocks("2,107\n3.5%\n▲ 1,000")
    assert {b.lang for b in blocks} == {"und"}
    assert document_language(blocks) == "und"
    assert document_language([]) == "und"


def test_hangul_share_decides_korean_with_latin_names() -> None:
    assert block_language("삼성전자(Samsung Electronics)와 LG전자가 GPU 투자를 늘린다") == "ko"
    assert block_language("예산") == "ko"


def test_other_languages_are_recorded() -> None:
    got = [block_language(t) for t in LANGDETECT_CASES[:5]]
    assert got == ["fr", "de", "es", "ja", "zh-cn"]


def test_english_headlines_and_prose() -> None:
    assert block_language("AI Mobility Pilot City and More Included in Budget") == "en"
    assert block_language("China Enforces New Rules Mandating Labeling of AI Content") == "en"
    para = (
        "The 3.9497 trillion won in national funding represents an increase of 563.9 billion won."
    )
    assert block_language(para) == "en"


def test_document_language_weighted_by_characters() -> None:
    blocks = [
        Block(0, 10, "ko"),
        Block(11, 200, "en"),
        Block(201, 220, "ko"),
        Block(221, 300, "und"),
    ]
    assert document_language(blocks) == "en"
    assert document_language([Block(0, 5, "en"), Block(6, 11, "ko")]) == "en"  # tie: first


def test_private_factory_leaves_global_langdetect_alone() -> None:
    from langdetect import detector_factory

    for text in LANGDETECT_CASES:
        block_language(text)
    assert detector_factory._factory is None


def test_deterministic_within_and_across_processes() -> None:
    first = [block_language(t) for t in LANGDETECT_CASES]
    assert [block_language(t) for t in LANGDETECT_CASES] == first
    code = (
        "import json, sys; from extract.detect import block_language; "
        "print(json.dumps([block_language(t) for t in json.loads(sys.stdin.read())]))"
    )
    root = str(Path(__file__).resolve().parent.parent)
    runs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(LANGDETECT_CASES),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1] == first


def test_a_document_of_short_lines_is_decided_as_a_whole() -> None:
    # a heading over a markdown table: no line alone says English, together they do
    text = (
        "# State capital budget\n\n| Area | Program | Amount |\n|---|---|---|\n"
        "| Transport | Rail Safety Upgrade | $60 million |\n"
        "| Transport | Bus Service Support | $40 million |\n"
        "| Health | Rural Clinics | $70 million |\n| Total | | $170 million |\n"
    )
    assert {b.lang for b in detect_blocks(text)} == {"en"}
    assert {b.lang for b in detect_blocks("2,107\n▲")} == {"und"}


def test_a_table_row_is_not_a_language_of_its_own() -> None:
    # tester20 E3: a Markdown row of file names, hashes and a Korean title went to
    # langdetect and came out Estonian (`et`); a row of cells inherits its neighbours'
    row = (
        "| `mafra_petfood_press_2024.hwp` | HWP 5.0 | R `samples/task2137/156618554_petfood_"
        "press.hwp` @ `bb9f9734` | 농식품부 동정자료 2024.3.5 (korea.kr 156618554) | 29 KB |"
    )
    assert block_language(row) == "und"
    above = "| `moef_fdi_2024q3_press.hwp` | 기재부 보도자료 해외직접투자 | 481 KB / 9 p |"
    below = "| `reg_impact_76076_safety.hwp` | 규제영향분석서, 산업안전보건기준에 관한 규칙 |"
    assert [b.lang for b in detect_blocks(f"{above}\n{row}\n{below}\n")] == ["ko"] * 3
    # prose in another language is still that language; a row's English is still English
    assert block_language(LANGDETECT_CASES[0]) == "fr"
    row = "| The ministry said the fund will be spent on roads | $5 million |"
    assert block_language(row) == "en"


# A paragraph in two scripts (tester23 1.4): one block per run of sentences in one script.
KO_THEN_EN = (
    "경기도는 지역화폐 발행 지원 예산을 전년 대비 30% 감액한 840억원으로 확정했다. "
    "Gyeonggi Province cut local currency support by 36 billion won to 84 billion won."
)
EN_KO_EN = (
    "The EU pledged €500 million to the Korea-EU Green Partnership. "
    "유럽연합(EU)은 한-EU 그린 파트너십에 5억 유로(약 7,300억원)를 약정했다.  "
    "The UK added £80 million."
)


def test_a_line_in_two_scripts_is_split_at_the_sentence_where_the_script_changes() -> None:
    got = _langs(KO_THEN_EN)
    assert got == [
        ("경기도는 지역화폐 발행 지원 예산을 전년 대비 30% 감액한 840억원으로 확정했다.", "ko"),
        ("Gyeonggi Province cut local currency support by 36 billion won to 84 billion won.", "en"),
    ]
    got = _langs(EN_KO_EN)
    assert [lang for _, lang in got] == ["en", "ko", "en"]
    assert got[1][0] == "유럽연합(EU)은 한-EU 그린 파트너십에 5억 유로(약 7,300억원)를 약정했다."
    assert got[2][0] == "The UK added £80 million."  # short, but a run of its own script


def test_sub_blocks_are_exact_spans_of_the_line() -> None:
    text = f"  {KO_THEN_EN}  \n\n{EN_KO_EN}\n"
    blocks = detect_blocks(text)
    assert len(blocks) == 5
    for a, b in zip(blocks, blocks[1:], strict=False):
        assert a.end < b.start and text[a.end : b.start].isspace()
    for b in blocks:
        span = text[b.start : b.end]
        assert span == span.strip() and span[-1] in ".!?"
    # the two lines are still two paragraphs: only a line break separates them
    assert "\n" in text[blocks[1].end : blocks[2].start]
    assert "\n" not in text[blocks[2].end : blocks[4].start]


def test_a_korean_sentence_quoting_english_stays_korean() -> None:
    for line in (
        '정부는 "Korea Green New Deal Fund"에 $5 million을 배정했다. 나머지는 내년에 집행된다.',
        "삼성전자는 Samsung Foundry Forum 2025에서 미국 Taylor 공장 투자를 발표했다. 규모는 크다.",
    ):
        assert _langs(line) == [(line, "ko")]


def test_an_english_sentence_with_a_bracketed_korean_name_stays_english() -> None:
    line = (
        "The Youth Leap Account (청년도약계좌) budget was set at 1.25 trillion won. "
        "It was 980 billion won in the budget of the year before."
    )
    assert _langs(line) == [(line, "en")]


def test_a_table_row_in_two_scripts_is_not_split() -> None:
    row = "| 정부는 예산을 늘렸다. | The ministry said the fund will grow by $5 million. |"
    assert len(detect_blocks(row)) == 1
    cells = "정부는 예산을 늘렸다.\tThe ministry said the fund will grow by $5 million."
    assert len(detect_blocks(cells)) == 1


def test_pieces_without_letters_join_a_neighbouring_run() -> None:
    assert _langs("2,107. 3,500. 1,200.") == [("2,107. 3,500. 1,200.", "und")]
    line = "정부는 예산을 늘렸다. 2,107. The ministry said the fund will grow."
    assert _langs(line) == [
        ("정부는 예산을 늘렸다. 2,107.", "ko"),
        ("The ministry said the fund will grow.", "en"),
    ]
    line = "Samsung Inc. 2,107. 정부는 예산을 늘렸다. The ministry said the fund will grow."
    assert [lang for _, lang in _langs(line)] == ["ko", "en"]


def test_a_date_is_not_a_sentence_end() -> None:
    # `2025. 11. 20.` is one date: the English after it is not cut from the Korean
    line = "보도일시: 2025. 11. 20. 11:00 The ministry said it will be broadcast after that."
    assert len(detect_blocks(line)) == 1


def test_short_lines_inherit_from_the_nearest_sub_block() -> None:
    text = "정부는 예산을 늘렸다. The ministry said the fund will grow.\nSamsung\n1,000"
    assert [lang for _, lang in _langs(text)] == ["ko", "en", "en", "en"]
    text = "1,000\nThe ministry said the fund will grow. 정부는 예산을 늘렸다."
    assert [lang for _, lang in _langs(text)] == ["en", "en", "ko"]


def test_mixed_lines_are_decided_the_same_every_time() -> None:
    text = "\n".join([KO_THEN_EN, EN_KO_EN, KO_QUOTING_EN])
    first = [(b.start, b.end, b.lang) for b in detect_blocks(text)]
    assert [(b.start, b.end, b.lang) for b in detect_blocks(text)] == first


def test_a_short_english_sentence_with_few_function_words_is_english() -> None:
    # fix12b (tester25 3.2): decided by its letters, not by function words; Korean amounts,
    # brackets and quotes inside it do not make it Korean
    for ko, en in (
        ("청년도약계좌 예산은 1조 2,500억원이다.", "Youth Leap Account gets 1.25 trillion won."),
        ("항만 사업에 50억원을 투입한다.", "Harbor project budget: $4 million."),
        ("기후동행카드 예산은 100억원이다.", "It costs 5만원 per month for each rider."),
    ):
        assert _langs(f"{ko} {en}") == [(ko, "ko"), (en, "en")]
    en = "The Youth Leap Account (청년도약계좌) gets 1.25 trillion won."
    ko = "청년도약계좌 예산은 1조 2,500억원이다."
    assert _langs(f"{en} {ko}") == [(en, "en"), (ko, "ko")]


def test_a_korean_sentence_with_english_names_is_not_cut_at_their_period() -> None:
    # a name cut off at its period has no lower-case word; a Korean sentence quoting an
    # English sentence with no full stop in the quote stays Korean (one piece)
    line = "정부는 예산을 늘렸다. Samsung Electronics Co. 관계자는 투자를 발표했다."
    assert [lang for _, lang in _langs(line)] == ["ko"]
    line = (
        '기재부는 "Budget for the K-Chips Act is 3 trillion won" 이라고 밝혔다. 예산은 3조원이다.'
    )
    assert _langs(line) == [(line, "ko")]
