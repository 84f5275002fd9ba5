"""One project written two ways in one article adds up in one row (extract/aliases.py,
names14; tester36). The rule's word lists and their examples: rules/*/aliases.toml."""

from __future__ import annotations

from decimal import Decimal

from helpers import rec

from extract.aliases import project_groups
from extract.totals import project_totals


def _sentence(text: str, at: int) -> str:
    """The sentence of `text` around offset `at` (cut at `. ` and line ends)."""
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1, 0)
    ends = [e for e in (text.find(". ", at), text.find("\n", at)) if e >= 0]
    return text[start : min(ends, default=len(text))]


def _rows(text: str, specs: list[tuple], lang: str = "en", currency: str = "USD") -> dict:
    """Project rows by name of one document: `specs` are (text, amount, project[, kw])."""
    records = []
    for text_, amount, project, *more in specs:
        kw = {"lang": lang, "currency": currency, "project": project, **(more[0] if more else {})}
        kw.setdefault("sentence", _sentence(text, text.index(text_)))
        records.append(rec("a.txt", text, text_, amount, **kw))
    records.sort(key=lambda r: r.start)
    before = [(r.project, r.project_id) for r in records]
    rows = {t.project: t.row() for t in project_totals([(records, text)])}
    assert [(r.project, r.project_id) for r in records] == before  # the records keep their words
    return rows


A4 = (
    "The Green Transit Pass Program will receive $3 million from the city. The region adds "
    "$1.5 million, so its total reaches $4.5 million. Each household receives $50 per month. "
    "In 2028, the program gets a total of $6 million."
)


def test_tester36_a4_a_short_english_name_is_its_longer_name() -> None:
    """tester36 a4: the first amount linked to `Transit Pass Program`, the rest to `Green
    Transit Pass Program`: two rows, $3 million alone and $12 million (the $1.5 million
    part counted, its sibling part being another project's). One row now: $4.5 million (the
    running total of $3 million and $1.5 million) and 2028's $6 million."""
    green = "Green Transit Pass Program"
    rows = _rows(
        A4,
        [
            ("$3 million", 3000000, "Transit Pass Program"),
            ("$1.5 million", 1500000, green),
            ("$4.5 million", 4500000, green),
            ("$50", 50, green),
            ("$6 million", 6000000, green),
        ],
    )
    assert list(rows) == [green]
    row = rows[green]
    assert row["distinct_total"] == Decimal(10500000) and row["figures"] == 2
    assert row["mentions"] == 5 and row["documents"] == 1
    assert row["written_as"] == "Transit Pass Program; Green Transit Pass Program"
    assert "`Transit Pass Program` counted here" in row["note"]


A9 = (
    "정부는 스마트농업육성사업에 1차로 250억원을 지원했다. 이어 2차로 150억원을 추가 지원해 총 "
    "400억원이 됐다. 2028년에 총 600억원으로 늘어난다. 농가당 최대 2000만원까지 지원받을 수 있다."
)


def test_tester36_a9_a_korean_name_cut_to_its_head_is_the_longer_name() -> None:
    """tester36 a9: `육성사업` (a suffix of `스마트농업육성사업` at a morpheme boundary) had
    150억, 400억 and the bound; `스마트농업육성사업` 250억 on a row of its own. One row now,
    under the longer name, with the bound listed."""
    full = "스마트농업육성사업"

    def specs(short: str) -> list[tuple]:
        return [
            ("250억원", 25000000000, full),
            ("150억원", 15000000000, short),
            ("400억원", 40000000000, short),
            ("600억원", 60000000000, ""),
            ("2000만원", 20000000, short, {"qualifier": "max"}),
        ]

    rows = _rows(A9, specs("육성사업"), lang="ko", currency="KRW")
    assert set(rows) == {full, "(no project)"}
    row = rows[full]
    assert row["mentions"] == 4 and row["bounds"] == "max 2,000만 원"
    assert row["written_as"] == "스마트농업육성사업; 육성사업"
    # the same figures as the article written one way (150억, an addition beside the level,
    # is a change; 400억 is no running total of 250억 alone: 650억, see the report names14)
    one = _rows(A9, specs(full), lang="ko", currency="KRW")[full]
    assert (row["distinct_total"], row["figures"]) == (one["distinct_total"], one["figures"])
    assert row["distinct_total"] == Decimal(65000000000)


A5 = (
    "The Harbor Flood Barrier Project was approved with a budget of $40 million. The project "
    "started in 2022. Federal grants cover $25 million, and the remaining $15 million is paid "
    "by the port authority. In 2029, the project gets a total of $55 million."
)


def test_case_and_a_leading_article_are_one_project() -> None:
    """tester36 a5 and a2: `Harbor Flood Barrier Project` and `The Harbor Flood Barrier
    Project` were two rows ($40 million; $95 million with the remaining shares counted).
    One row: $40 million + 2029's $55 million, the $25 million and the remaining $15 million
    its shares. Shown by the spelling without the article."""
    name, the = "Harbor Flood Barrier Project", "The Harbor Flood Barrier Project"
    rows = _rows(
        A5,
        [
            ("$40 million", 40000000, name),
            ("$25 million", 25000000, the),
            ("$15 million", 15000000, the),
            ("$55 million", 55000000, "the HARBOR  flood barrier project"),
        ],
    )
    assert list(rows) == [name]
    assert rows[name]["distinct_total"] == Decimal(95000000) and rows[name]["figures"] == 2
    assert rows[name]["note"] == ""  # a spelling, not the end of a longer name


def test_the_end_of_two_longer_names_is_ambiguous_and_stays() -> None:
    text = "Green Transit Pass Program $3 million. Blue Transit Pass Program $2 million. $1 million"
    rows = _rows(
        text,
        [
            ("$3 million", 3000000, "Green Transit Pass Program"),
            ("$2 million", 2000000, "Blue Transit Pass Program"),
            ("$1 million", 1000000, "Transit Pass Program"),
        ],
    )
    assert set(rows) == {
        "Green Transit Pass Program",
        "Blue Transit Pass Program",
        "Transit Pass Program",
    }
    note = rows["Transit Pass Program"]["note"]
    assert note == (
        "`Transit Pass Program` kept apart: the end of `Green Transit Pass Program` and "
        "`Blue Transit Pass Program` in one document, which is unsure"
    )
    assert rows["Green Transit Pass Program"]["note"] == ""


def test_a_bare_generic_head_is_never_an_alias() -> None:
    text = "The Green Transit Pass Program gets $3 million. The program also has $1 million."
    rows = _rows(
        text,
        [("$3 million", 3000000, "Green Transit Pass Program"), ("$1 million", 1000000, "program")],
    )
    assert set(rows) == {"Green Transit Pass Program", "program"}
    ko = "스마트농업육성사업에 250억원. 지원사업에 50억원. 사업 30억원."
    rows = _rows(
        ko,
        [
            ("250억원", 25000000000, "스마트농업육성사업"),
            ("50억원", 5000000000, "지원사업"),
            ("30억원", 3000000000, "사업"),
        ],
        lang="ko",
        currency="KRW",
    )
    assert set(rows) == {"스마트농업육성사업", "지원사업", "사업"}


def test_gazetteer_ids_win() -> None:
    """A name with a project_id keeps it, even where it is the end of a longer name; a
    name without one that is the end of a name with one joins that id."""
    text = "AI Data Center Project $3 million. Data Center Project $2 million. Center $1 million"
    records = [
        rec("a.txt", text, "$3 million", 3000000, lang="en", currency="USD",
            project="AI Data Center Project", project_id="ai-dc", sentence="1"),
        rec("a.txt", text, "$2 million", 2000000, lang="en", currency="USD",
            project="Data Center Project", project_id="other-dc", sentence="2"),
        rec("a.txt", text, "$1 million", 1000000, lang="en", currency="USD",
            project="Data Center Project", sentence="3"),
    ]  # fmt: skip
    assert project_groups(records).keys == ["ai-dc", "other-dc", "other-dc"]
    records[1].project_id = ""
    assert project_groups(records).keys == ["ai-dc", "ai-dc", "ai-dc"]


def test_another_program_or_a_start_stays_apart() -> None:
    """What the rule does not merge: a name that is the *start* of another (`Transit Pass
    Program Phase 2`), a different trailing head (`Project` vs `Program`), a leading word
    of `distinct_leads` (`Enhanced CPF Housing Grant` is another grant than the `CPF
    Housing Grant`), and a longer name the linker cut too long (a phrase with `for`)."""
    names = [
        "Transit Pass Program",
        "Transit Pass Program Phase 2",
        "Green Transit Pass Project",
        "Enhanced CPF Housing Grant",
        "CPF Housing Grant",
        "state funds for a literacy program",
        "literacy program",
    ]
    text = " ".join(f"{n} ${k} million." for k, n in enumerate(names, start=1))
    specs = [(f"${k} million", k * 1000000, n) for k, n in enumerate(names, start=1)]
    rows = _rows(text, specs)
    assert set(rows) == set(names)
    # but `Phase 2` alone is the end of one longer name: that project's
    rows = _rows(
        "Harbor Project Phase 2 $5 million. Phase 2 $1 million.",
        [("$5 million", 5000000, "Harbor Project Phase 2"), ("$1 million", 1000000, "Phase 2")],
    )
    assert list(rows) == ["Harbor Project Phase 2"]


def test_never_across_documents() -> None:
    """Two articles' names are never joined by this step: each document has its own."""
    t1, t2 = "Green Transit Pass Program $3 million.", "Transit Pass Program $1 million."
    docs = [
        ([rec("a.txt", t1, "$3 million", 3000000, lang="en", currency="USD",
              project="Green Transit Pass Program")], t1),
        ([rec("b.txt", t2, "$1 million", 1000000, lang="en", currency="USD",
              project="Transit Pass Program")], t2),
    ]  # fmt: skip
    assert {t.project for t in project_totals(docs)} == {
        "Green Transit Pass Program",
        "Transit Pass Program",
    }


def test_the_same_spelling_in_two_documents_is_one_row() -> None:
    """tester36: `Breakfast Scheme` in one article and `the breakfast scheme` in another
    were two rows. Names equal up to case, spacing and a leading article are one row across
    documents, shown as the first document wrote it; a shorter name is not joined across
    them (test above), nor a Korean name to an English one."""
    t1, t2, t3 = (
        "Breakfast Scheme $3 million.",
        "the breakfast  scheme $1 million.",
        "조식 사업 5억원.",
    )
    docs = [
        ([rec("a.txt", t1, "$3 million", 3000000, lang="en", currency="USD",
              project="Breakfast Scheme")], t1),
        ([rec("b.txt", t2, "$1 million", 1000000, lang="en", currency="USD",
              project="the breakfast  scheme")], t2),
        ([rec("c.txt", t3, "5억원", 500000000, lang="ko", currency="KRW",
              project="조식 사업")], t3),
    ]  # fmt: skip
    rows = {t.project: t.row() for t in project_totals(docs)}
    assert set(rows) == {"Breakfast Scheme", "조식 사업"}
    assert rows["Breakfast Scheme"]["distinct_total"] == Decimal(4000000)
    assert rows["Breakfast Scheme"]["documents"] == 2


def test_a_short_name_before_the_full_one_or_beside_it_is_another_program() -> None:
    """tester37: a general program named before a narrower one whose name ends with it
    (`노인 일자리 사업에 200억원을, 장애인 노인 일자리 사업에 30억원을`, `The Future Fund ...
    the Medical Research Future Fund`), or both listed in one sentence (`농어촌 버스
    지원사업에 50억원, 버스 지원사업에 20억원을 각각`) were joined into one row. Apart now; a
    headline may still shorten a name the body writes in full."""
    ko = "광주시는 노인 일자리 사업에 200억원을, 장애인 노인 일자리 사업에 30억원을 투입한다."
    rows = _rows(
        ko,
        [
            ("200억원", 20000000000, "노인 일자리 사업"),
            ("30억원", 3000000000, "장애인 노인 일자리 사업"),
        ],
    )
    assert set(rows) == {"노인 일자리 사업", "장애인 노인 일자리 사업"}
    both = "전남도는 농어촌 버스 지원사업에 50억원, 버스 지원사업에 20억원을 각각 배정했다."
    rows = _rows(
        both,
        [("50억원", 5000000000, "농어촌 버스 지원사업"), ("20억원", 2000000000, "버스 지원사업")],
    )
    assert set(rows) == {"농어촌 버스 지원사업", "버스 지원사업"}
    en = (
        "The Future Fund will receive $1 billion. The Fund also manages the Medical Research "
        "Future Fund, which gets $200 million."
    )
    rows = _rows(
        en,
        [
            ("$1 billion", 10**9, "Future Fund"),
            ("$200 million", 2 * 10**8, "Medical Research Future Fund"),
        ],
    )
    assert set(rows) == {"Future Fund", "Medical Research Future Fund"}
    head = (
        "Transit Pass Program gets $3 million\n"
        "The Green Transit Pass Program will also get $2 million."
    )
    rows = _rows(
        head,
        [
            ("$3 million", 3000000, "Transit Pass Program"),
            ("$2 million", 2000000, "Green Transit Pass Program"),
        ],
    )
    assert set(rows) == {"Green Transit Pass Program"}
