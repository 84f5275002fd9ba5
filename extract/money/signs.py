"""A negative sign written before an amount in prose: `△12조 4,000억원`, `-3조 2천억원`,
`마이너스 30억원`, `(-)15억원`, `-$3.2 million`.

Table cells already keep their sign (`△1,802`): the record's `amount` is the figure's
magnitude, its `text` starts with the sign, and a project total never adds it
(extract/totals.py `written_negative`: a cut, a mention only). `attach_signs` follows
the same convention in prose: the mention is widened to take the sign, so the sign is in
`text`, and the amount stays the magnitude. Where a mark may be something else the
amount is left as it was (a miss, never a wrong sign):

- `-` and `−` count only glued to the amount and after a space or an opening bracket,
  never at the start of a line (a list dash: `-3조원 투입`), after a digit or a letter
  (`2-3억원`, `$3 million-$4 million`: a range) or apart (`A - 3,008십억원`: a
  subtraction of a positive amount);
- `△` and `▽` count glued or one space apart, decided per mark (money11d, tester22 A1):
  a sign when a cut word follows the amount (`△12조원 적자`, `△2,000억원 줄인`: rules
  `cut_after`) or the sentence is an equation (`= △12,470십억원`); a bullet (no sign)
  when the same sentence writes one before a word (`△청년 일자리 3조원 △3,000억원 규모`)
  or a colon follows the amount (`△ 3조원 : 청년 일자리`); unsure, flagged vague (rule
  `ko.refused.sign_or_bullet`), when the mark opens a line or another `△` amount stands
  in the same sentence and a Hangul word follows the amount (`△3조원 청년 일자리 △2조원
  …`: bullets or cuts); otherwise (one mark mid-sentence: `수지는 △12조원이다`; `△25.4억
  달러 → △15.9억 달러)`: changes) a sign;
- words (`마이너스`) and bracketed signs (`(-)`) count glued or one space apart.

The marks are data: `[sign]` in rules/ko/signs.toml and rules/en/signs.toml.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..models import MoneyMention
from ..rules import load_kind, rules_dir


@dataclass(frozen=True)
class _SignRules:
    glued: regex.Pattern  # ends right before the amount: `-`, `−` (glued only)
    marks: regex.Pattern  # ends right before it: `△`, `▽`, `(-)` (one space allowed)
    words: regex.Pattern  # ends right before it: `마이너스` (one space allowed)
    bullet: regex.Pattern  # a mark used as a list bullet: `△청년`
    bullet_mark: regex.Pattern  # a mark that may be a bullet: `△`, `▽` (fullmatched)
    bullet_amount: regex.Pattern  # such a mark before a digit: `△3조원`
    cut_after: regex.Pattern  # right after the amount, a word saying it is a cut: `적자`
    negative_text: regex.Pattern  # a record text that starts with a sign


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=4)
def _rules(folder: str, lang: str) -> _SignRules:
    found: dict[str, list[str]] = {
        "glued": [],
        "marks": [],
        "words": [],
        "bullet_marks": [],
        "cut_after": [],
    }
    for data in load_kind("money", lang):
        sign = data.get("sign", {})
        for key, words in found.items():
            words += [str(w) for w in sign.get(key, [])]
    glued, marks, words = found["glued"], found["marks"], found["words"]
    return _SignRules(
        # after a space or an opening bracket, never at a line's start
        glued=regex.compile(rf"(?<=[^\S\n]|[(\[])(?:{_alt(glued)})\Z"),
        marks=regex.compile(rf"(?<![\d.,])(?:{_alt(marks)})[ ]?\Z"),
        words=regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(words)})[ ]?\Z"),
        bullet=regex.compile(rf"(?:{_alt(found['bullet_marks'])})[ ]?\p{{L}}"),
        bullet_mark=regex.compile(rf"(?:{_alt(found['bullet_marks'])})[ ]?"),
        bullet_amount=regex.compile(rf"(?:{_alt(found['bullet_marks'])})[ ]?\d"),
        cut_after=regex.compile(rf"[ ]?(?:의|이|가|를|을)?[ ]?(?:{_alt(found['cut_after'])})"),
        negative_text=regex.compile(rf"\A(?:{_alt(glued + marks + words)})"),
    )


def _sign_rules(lang: str) -> _SignRules:
    return _rules(str(rules_dir()), lang)


_BEFORE = 12  # characters before an amount where its sign may start


def attach_signs(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """`mentions` (text order) with a negative sign written right before an amount taken
    into its span (`text`); the amount stays the magnitude. See the module docstring."""
    out: list[MoneyMention] = []
    for m in mentions:
        lang = m.lang if m.lang in ("ko", "en") else "en"
        rules = _sign_rules(lang)
        lo = max(0, m.start - _BEFORE, out[-1].end if out else 0)
        found = rules.glued.search(text, lo, m.start) or rules.words.search(text, lo, m.start)
        if not found:
            found = rules.marks.search(text, lo, m.start)
            if found and m.amount is not None and rules.bullet_mark.fullmatch(found.group()):
                kind = _mark_kind(text, found.start(), m.end, rules)
                if kind == "bullet":
                    found = None
                elif kind == "unsure":
                    m = replace(
                        m,
                        start=found.start(),
                        text=text[found.start() : m.end],
                        amount=None,
                        amount_max=None,
                        vague=True,
                        rule=f"{lang}.refused.sign_or_bullet",
                    )
                    out.append(m)
                    continue
        if found and m.amount is not None:
            m = replace(m, start=found.start(), text=text[found.start() : m.end])
        out.append(m)
    return out


_SENTENCE_END = regex.compile(r"\n|(?<=[.!?])\s")


def _mark_kind(text: str, mark: int, end: int, rules: _SignRules) -> str:
    """`sign`, `bullet` or `unsure` for a `△` right before the amount ending at `end`,
    judged from its own sentence (module docstring)."""
    if rules.cut_after.match(text, end):
        return "sign"  # `△12조원 적자`, `△2,000억원 줄인`
    starts = [x.end() for x in _SENTENCE_END.finditer(text, 0, mark)]
    s = starts[-1] if starts else 0
    nxt = _SENTENCE_END.search(text, end)
    e = nxt.start() if nxt else len(text)
    if "=" in text[s:e]:
        return "sign"  # `A - B = △12,470십억원`: an equation's result
    if rules.bullet.search(text, s, e):
        return "bullet"  # `△청년 일자리 3조원 △3,000억원 규모`
    if regex.match(r"[ ]?:", text[end:e]):
        return "bullet"  # `△ 3조원 : 청년 일자리 사업`
    line = text.rfind("\n", 0, mark) + 1
    others = [x for x in rules.bullet_amount.finditer(text, s, e) if x.start() != mark]
    if (not text[line:mark].strip() or others) and _WORD_NEXT.match(text, end, e):
        return "unsure"  # `△3조원 청년 일자리 △2조원 …`: bullets or cuts
    return "sign"  # `’25.1분기 △25.4억 달러 → ’25.2분기 △15.9억 달러)`: changes


# a Hangul word right after the amount: an item's name in an amount-first bullet run
_WORD_NEXT = regex.compile(r"[ ]?\p{Hangul}")


def written_with_sign(text: str) -> bool:
    """Whether a record's `text` starts with a negative sign of the prose rules
    (`마이너스 30억원`, `(-)15억원`; `-`, `△` and `▽` as well): totals.written_negative."""
    stripped = text.strip()
    return any(_sign_rules(lang).negative_text.match(stripped) for lang in ("ko", "en"))


def reload() -> None:
    """Forget the compiled sign rules (after editing a rule file in a running process)."""
    _rules.cache_clear()
