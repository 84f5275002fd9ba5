"""Compile the English money rules (rules/en/*.toml, kind = "money") into regexes.

Each file contributes the tables it has: [[currency]] + [guards] + [scale_prefixes]
(currencies.toml), [[qualifier]] (qualifiers.toml), [[connector]] (ranges.toml),
[[pattern]] (vague.toml). The result is cached until a rule file changes.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import regex

from ..rules import load_rule_file, rule_files, rules_dir
from .en_numbers import NumberGrammar, number_grammar, reset_number_grammar

_SP = r"[ \u00a0]"
_FLAGS = regex.VERSION1
# Patterns that must end where a number starts are searched right to left: the
# first try is at the number, so a miss costs one step instead of a scan.
_BACK = regex.REVERSE
_SUFFIX_SP = rf"{_SP}?-{_SP}?|{_SP}{{0,2}}"  # between a number and its currency after it


@dataclass(frozen=True)
class Form:
    """One way of writing a currency ("$", "US$", "KRW", "won", "Korean won", "MUSD")."""

    text: str
    code: str
    kind: str  # "code", "symbol" or "name"
    case_sensitive: bool = False
    loose: bool = False  # letter+$ symbol that may be lower-case and spaced: "us $"
    # with loose: apart from its `$`, the letters only in capitals (`US $5`): `cost us $18,000`,
    # `give us $5 million` is the pronoun before a bare dollar (since 2026-12-01)
    spaced_capitals: bool = False
    attached: bool = False
    needs_scale: bool = False
    # with needs_scale: digits grouped by commas in threes also do (`W200,000`, never `W50`)
    grouped_ok: bool = False
    words_need_scale: bool = False
    not_followed_by: tuple[str, ...] = ()
    multiplier: Decimal = Decimal(1)  # scaled codes: MUSD = 1,000,000 USD
    weight: bool = False  # also a unit of weight ("pounds"): see [guards] weight_*
    # a prefix that must follow a lower-case word or `(` (`of Won 3.5 trillion`), never
    # head a sentence or stand in a Title Case run, where it may be the verb
    after_lowercase: bool = False
    # apart from an unscaled amount (`W 50,000`), the word after it must be one of these
    # (or punctuation, or the end): `Building W 2,500 square feet` is no money
    spaced_next: tuple[str, ...] | None = None
    # apart from a scaled amount (`W 1.2 million`), the word after it is none of these
    # non-money unit nouns: `Building W 1.2 million square feet` is no money
    spaced_scaled_not_next: tuple[str, ...] = ()
    # with needs_scale: an unscaled, ungrouped amount also does when the next word is one
    # of these price words (`W 100 each`, `W500 apiece`); `W 50 at the door` stays no money
    unscaled_next: tuple[str, ...] = ()
    # ... and only when the amount is a multiple of this (won has no coin under 10: `W 102
    # each`, `W 4 each` are a room and a gate) and the clause before names no place of
    # `unscaled_not_after` nor another compass-letter number (`Rooms E 101 and W 102 each`)
    unscaled_step: int = 0
    unscaled_not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Connector:
    id: str
    gap: regex.Pattern  # the text between the two ends, whole
    needs: str = ""
    first_complete: bool = True
    tight_if_bare: bool = False
    change_after: regex.Pattern | None = None  # "from" before a complete low end
    range_after: regex.Pattern | None = None  # "range from": a range after all


@dataclass(frozen=True)
class SuffixStarts:
    """A quick, exact test of where the `suffix` pattern cannot match (most numbers
    are followed by an ordinary word, `for`, `to`, `companies`, and the regex tries
    its 400-odd currency forms, under every spacing, before failing).

    Every suffix form starts, after the spacing `sp`, either with a run of ASCII
    letters `words` (its first word up to the first non-letter, case-folded: `new`
    of `New Zealand dollars`, `us` of `US$`) or with a non-letter in `others` (`$`,
    `€`), or with whitespace when `space`. At a position whose next character is
    ASCII the text must therefore show one of those: a whole run of ASCII letters
    equal to a `words` entry (case aside; the form goes on with a non-letter or ends
    before a non-letter), or a character of `others`. Nothing outside ASCII is
    decided here: a non-ASCII character at the start or right after the run means
    "may match". A first word is added as every run of ASCII letters it matches
    case-insensitively (`_ascii_keys`: `ß` -> `ss`, the Kelvin sign -> `k`, the
    Turkish dotless and dotted i -> `i`, as `regex` matches them); one holding a
    letter no ASCII letter matches (`円`, `złoty`) adds nothing. What follows a first
    word in a form is a non-letter (a space, `$`, `¥` of `JP¥`), which no ASCII letter
    matches in any case."""

    spacing: regex.Pattern  # the pattern's own `sp` group, matched whole
    words: frozenset[str]
    others: frozenset[str]
    space: bool

    def may_match(self, text: str, pos: int) -> bool:
        """False only where `suffix.match(text, pos)` is certainly None."""
        for width in range(4):  # `sp` spans at most 3 characters (` - `)
            if pos + width > len(text):
                break
            if self.spacing.fullmatch(text, pos, pos + width) and self._may_start(
                text, pos + width
            ):
                return True
        return False

    def _may_start(self, text: str, p: int) -> bool:
        if p >= len(text):
            return False
        c = text[p]
        if not c.isascii():
            return True
        if c.isalpha():
            q = p + 1
            while q < len(text) and text[q].isascii() and text[q].isalpha():
                q += 1
            if q < len(text) and not text[q].isascii():
                return True
            return text[p:q].lower() in self.words
        return c in self.others or (self.space and c.isspace())


def _ascii_keys(word: str) -> set[str]:
    """Every lower-case run of ASCII letters that `word` (letters) matches under
    `regex`'s case-insensitive matching: per letter, the ASCII letters `regex` itself
    matches with it, else its full case folding if that is ASCII (`ß` -> `ss`)."""
    options = []
    for c in word:
        if c.isascii():
            options.append([c.lower()])
            continue
        letter = regex.compile(rf"(?i:{regex.escape(c)})", _FLAGS)
        same = {a.lower() for a in string.ascii_letters if letter.fullmatch(a)}
        folded = c.casefold()
        if folded.isascii():
            same.add(folded)
        if not same:
            return set()  # no run of ASCII letters matches it
        options.append(sorted(same))
    return {"".join(parts) for parts in itertools.product(*options)}


def suffix_starts(spacing: str, forms: list[Form]) -> SuffixStarts:
    """The `SuffixStarts` of suffix `forms` as `_form_regex` writes them after `spacing`."""
    words: set[str] = set()
    others: set[str] = set()
    space = False
    for f in forms:
        loose_dollar = f.loose and f.text.endswith("$")
        literal = f.text[:-1] if loose_dollar else " ".join(f.text.split())
        run = 0
        while run < len(literal) and literal[run].isalpha():
            run += 1
        if run:
            words.update(_ascii_keys(literal[:run]))
        elif literal:
            others.add(literal[0])
        else:  # the loose `$` alone: `\s?\$`
            space = True
            others.add("$")
    return SuffixStarts(regex.compile(spacing, _FLAGS), frozenset(words), frozenset(others), space)


@dataclass(eq=False)
class EnglishRules:
    numbers: NumberGrammar
    currencies: set[str]
    prefix: regex.Pattern  # a currency form ending where a number starts
    suffix: regex.Pattern  # a currency form starting where a number ends
    suffix_starts: SuffixStarts  # where `suffix` cannot match (checked first)
    prefix_forms: dict[str, Form]
    suffix_forms: dict[str, Form]
    percent_after: regex.Pattern
    year_unit_before: regex.Pattern
    minor: regex.Pattern
    minor_bare_ok: regex.Pattern
    no_minor: frozenset[str]
    qualifier_before: regex.Pattern
    qualifier_after: regex.Pattern
    qualifiers: dict[str, str]  # normalised phrase -> approx/max/min
    negated_before: regex.Pattern | None  # "can't receive" before a min phrase: max
    negation_kept: regex.Pattern  # "not only more than": the bound stays a minimum
    double_subject: regex.Pattern | None  # `No district will not`: two negations cancel
    negated_floors: frozenset[str]  # "not be less than $500": these max phrases flip to min
    bound_subject: regex.Pattern | None  # "the maximum subsidy is" before the amount
    connectors: list[Connector]
    needs_before: dict[str, regex.Pattern]
    article_names: frozenset[str]
    article_next_ok: frozenset[str]  # words that may follow "a dollar" when it is $1
    article_not_before: tuple[str, ...]  # "a dollar for every dollar": a ratio
    ratio_after: regex.Pattern | None  # "$4 for every $1": the amount is a return ratio
    ratio_before: regex.Pattern | None  # "each dollar ... returned four dollars"
    weight_before: regex.Pattern  # a weight word shortly before "10,000 pounds"
    weight_after: regex.Pattern  # "pounds of uranium", "pounds (4.5 kg)"
    vague: list[tuple[str, regex.Pattern]] = field(default_factory=list)

    def lookup(self, table: dict[str, Form], matched: str) -> Form | None:
        key = norm(matched)
        return table.get(key) or table.get("\0" + key.lower())


# (compiled once: regex's own pattern cache costs more than the match)
_SPACES = regex.compile(r"\s+")
_SPACE_DOLLAR = regex.compile(r" (?=\$)")


def norm(s: str) -> str:
    """Whitespace-insensitive key of a surface form: "us $" -> "us$", "Korean  won" -> ..."""
    s = _SPACES.sub(" ", s.strip())
    return _SPACE_DOLLAR.sub("", s)


def _form_regex(f: Form, position: str) -> str:
    text = f.text
    if f.loose and text.endswith("$") and f.spaced_capitals:
        letters = regex.escape(text[:-1])
        # `(us $720 million)`: lower case right after a bracket is a conversion, never the
        # pronoun (since 2026-12-01, money14b)
        lower = regex.escape(text[:-1].lower())
        body = rf"(?:{letters}\$|(?-i:{letters})\s\$|(?<=[(\[][ \u00a0]?)(?-i:{lower})\s\$)"
    elif f.loose and text.endswith("$"):
        body = regex.escape(text[:-1]) + r"\s?\$"
    else:
        body = r"[ \u00a0]+".join(regex.escape(w) for w in text.split())
    body = f"(?-i:{body})" if f.case_sensitive else f"(?i:{body})"
    if text[0].isalpha():
        body = r"(?<![\p{L}])" + body
    if position == "suffix" and text[-1].isalpha():
        body += r"(?!(?!\p{Hangul})\p{L})"  # a Hangul particle may follow: `dollars를`
    return body


def _forms(entry: dict) -> list[tuple[Form, bool, bool]]:
    """(form, usable as prefix, usable as suffix) for one [[currency]] table."""
    code = entry["code"]
    out = []
    for kind, key, pre, suf in (
        ("code", "codes", True, True),
        ("symbol", "symbols", True, True),
        ("name", "names", False, True),
        ("name", "prefix_names", True, False),
    ):
        for item in entry.get(key, []):
            opts = item if isinstance(item, dict) else {"form": item}
            text = opts["form"]
            letter_dollar = kind == "symbol" and text.endswith("$") and text[0].isalpha()
            form = Form(
                text=text,
                code=code,
                kind=kind,
                case_sensitive=opts.get("case_sensitive", letter_dollar and not opts.get("loose")),
                loose=opts.get("loose", False),
                spaced_capitals=opts.get("spaced_capitals", False),
                attached=opts.get("attached", False),
                needs_scale=opts.get("needs_scale", False),
                grouped_ok=opts.get("grouped_ok", False),
                words_need_scale=opts.get("words_need_scale", False),
                not_followed_by=tuple(opts.get("not_followed_by", ())),
                weight=opts.get("weight", False),
                after_lowercase=opts.get("after_lowercase", False),
                spaced_next=tuple(w.lower() for w in opts["spaced_next"])
                if "spaced_next" in opts
                else None,
                spaced_scaled_not_next=tuple(
                    w.lower() for w in opts.get("spaced_scaled_not_next", ())
                ),
                unscaled_next=tuple(w.lower() for w in opts.get("unscaled_next", ())),
                unscaled_step=int(opts.get("unscaled_step", 0)),
                unscaled_not_after=tuple(w.lower() for w in opts.get("unscaled_not_after", ())),
            )
            position = opts.get("position", "both")
            out.append((form, pre and position != "suffix", suf and position != "prefix"))
    return out


def _ratio(ratio: dict) -> dict[str, regex.Pattern | None]:
    """The two shapes of a return ratio (rules/en/currencies.toml `[guards.ratio]`).

    `ratio_after` matches right after an amount: `for every`/`for each`, then one unit
    of a currency (`dollar`, `$1`, `one pound`); `ratio_before` matches right before
    one: `each`/`every` and a unit word, at most `max_words` words, a return verb and
    at most two more words (`each dollar of investment returned nearly `).
    """
    if not ratio:
        return {"ratio_after": None, "ratio_before": None}
    ci = regex.IGNORECASE | _FLAGS
    unit = rf"(?:(?:a|one|single|1){_SP}+)?(?:{_alt(ratio['unit_words'])})(?![\p{{L}}\d])"
    unit = rf"(?:{unit}|(?:{_alt(ratio['unit_signs'])})1(?![\d.,]))"
    word = r"[\p{L}\d'’-]+"
    return {
        "ratio_after": regex.compile(rf"{_SP}*(?:{_alt(ratio['per'])}){_SP}+(?P<unit>{unit})", ci),
        "ratio_before": regex.compile(
            rf"(?<![\p{{L}}])(?:{_alt(ratio['subject'])}){_SP}+(?:{_alt(ratio['unit_words'])})"
            rf"(?:{_SP}+{word}){{0,{int(ratio.get('max_words', 5))}}}{_SP}+"
            rf"(?:{_alt(ratio['verbs'])})(?:{_SP}+{word}){{0,2}}{_SP}+\Z",
            ci | _BACK,
        ),
    }


def _negated_verb(negation: dict) -> str:
    """`|does not expect to spend `: a negation further before a min phrase than
    `max_words_between`, or ''.

    Up to `verb_max_words_between` words after the negation, none of them a clause
    word (`subject_not_between`: `not say that it will spend more than` is no bound),
    the last a verb of receiving or spending (`subject_verbs`) right before the phrase.
    """
    most = int(negation.get("verb_max_words_between", 0))
    if not most or not negation.get("subject_verbs"):
        return ""
    stop = _alt(negation.get("subject_not_between", [])) or "(?!)"
    word = rf"(?!(?:{stop})(?![\p{{L}}]))[\p{{L}}'’-]+"
    endings = rf"|(?:{_alt(negation['endings'])})" if negation.get("endings") else ""
    return (
        rf"|(?:(?<![\p{{L}}])(?:{_alt(negation['words'])}){endings})"
        rf"(?:{_SP}+{word}){{0,{most - 1}}}"
        rf"{_SP}+(?:{_alt(negation['subject_verbs'])}){_SP}+\Z"
    )


def _negative_subject(negation: dict) -> str:
    """`|no X can receive `: a negative subject before a min phrase (a ceiling), or ''.

    Up to `subject_max_words_between` words, none of them a clause word
    (`subject_not_between`), between the subject's `no`/`nobody`/`none` and the min
    phrase, the last a verb of receiving or spending (`subject_verbs`: `can receive
    more than`, not the subject's own description `with income above`); not `no
    doubt`, `no wonder` (`subject_not_after`), which do not negate.
    """
    if not negation.get("subject_words"):
        return ""
    stop = _alt(negation.get("subject_not_between", [])) or "(?!)"
    idiom = _alt(negation.get("subject_not_after", [])) or "(?!)"
    word = rf"(?!(?:{stop})(?![\p{{L}}]))[\p{{L}}'’-]+"
    verb = _alt(negation.get("subject_verbs", [])) or "(?!)"
    most = int(negation.get("subject_max_words_between", 5))
    return (
        rf"|(?<![\p{{L}}])(?:{_alt(negation['subject_words'])})"
        rf"(?!{_SP}+(?:{idiom})(?![\p{{L}}]))(?:{_SP}+{word}){{0,{most - 1}}}"
        rf"{_SP}+(?:{verb}){_SP}+\Z"
    ) + _relative_subject(negation, word, idiom)


def _relative_subject(negation: dict, word: str, idiom: str) -> str:
    """`|no firm that applies can receive `: a negative subject with a relative clause,
    then the main clause's modal and verb of receiving right before a min phrase (a
    ceiling), or ''. The relative clause holds at least one word before the modal, so
    `no firm that can receive more than $1m elsewhere is eligible` (the bound inside the
    clause) does not match."""
    rel = negation.get("relative", {})
    if not rel.get("pronouns") or not rel.get("modals") or not rel.get("verbs"):
        return ""
    head = int(rel.get("head_words", 3))
    inner = int(rel.get("clause_words", 4))
    # inside the clause an adverb of time is no clause word: `that has applied before`
    ok = {w.lower() for w in rel.get("clause_ok", [])}
    stop = [w for w in negation.get("subject_not_between", []) if w.lower() not in ok]
    clause_word = rf"(?!(?:{_alt(stop) or '(?!)'})(?![\p{{L}}]))[\p{{L}}'’-]+"
    # a pronoun subject (`nobody`, `no one`) takes its clause at once: `Nobody who applies`
    bare = _alt(rel.get("bare_subjects", [])) or "(?!)"
    return (
        rf"|(?<![\p{{L}}])(?:(?:{bare})|(?:{_alt(negation['subject_words'])})"
        rf"(?!{_SP}+(?:{idiom})(?![\p{{L}}]))(?:{_SP}+{word}){{1,{head}}})"
        rf"{_SP}+(?:{_alt(rel['pronouns'])})(?:{_SP}+{clause_word}){{1,{inner}}}"
        rf"{_SP}+(?:{_alt(rel['modals'])})(?:{_SP}+(?:{_alt(rel.get('adverbs', []) or ['ever'])}))?"
        rf"{_SP}+(?:{_alt(rel['verbs'])}){_SP}+\Z"
    )


def _double_subject(negation: dict) -> regex.Pattern | None:
    """A negative subject right before a negation (`No district will not receive at
    least $100,000`): the two cancel, so the bound stays as written. Matched on the text
    before the negation word; None without subject words."""
    if not negation.get("subject_words"):
        return None
    stop = _alt(negation.get("subject_not_between", [])) or "(?!)"
    word = rf"(?!(?:{stop})(?![\p{{L}}]))[\p{{L}}'’-]+"
    most = int(negation.get("subject_max_words_between", 5))
    return regex.compile(
        rf"(?<![\p{{L}}])(?:{_alt(negation['subject_words'])})(?:{_SP}+{word}){{0,{most}}}"
        rf"{_SP}*\Z",
        regex.IGNORECASE | _FLAGS | _BACK,
    )


def _alt(forms) -> str:
    return "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))


def _phrase(p: str) -> str:
    body = r"[ \u00a0]+".join(regex.escape(w) for w in p.split())
    return (r"(?<![\p{L}])" if p[0].isalpha() else "") + body


def _words_before(words: list[str] | None, skip: list[str] | None) -> regex.Pattern | None:
    """One of `words`, then optionally one of `skip`, ending where the low end of a
    pair starts (`from`, `rose by roughly`); None without words."""
    if not words:
        return None
    opt = rf"(?:(?:{_alt(skip)}){_SP}+)?" if skip else ""
    return regex.compile(
        rf"(?<![\p{{L}}])(?:{_alt(words)}){_SP}+{opt}\Z", regex.IGNORECASE | _FLAGS | _BACK
    )


def _bound_subject(spec: dict) -> regex.Pattern:
    """`the maximum subsidy per household is ` at the end of the text before an amount:
    group `max` or `min` names the bound (rules/en/qualifiers.toml [bound_subject])."""
    clause = rf"(?!(?:{_alt(spec['not_between'])})(?![\p{{L}}]))" if spec.get("not_between") else ""
    most = int(spec.get("max_words_between", 6))
    words = rf"(?:{_SP}+{clause}[\p{{L}}\p{{N}}'’-]+){{0,{most}}}"
    not_after = (
        rf"(?!{_SP}+(?:{_alt(spec['not_after'])})(?![\p{{L}}]))" if spec.get("not_after") else ""
    )
    bounds = "|".join(
        rf"(?P<{kind}>(?-i:{_alt(spec[kind])}))" for kind in ("max", "min") if spec.get(kind)
    )
    det = rf"(?<![\p{{L}}])(?:{_alt(spec['determiners'])}){_SP}+" if spec.get("determiners") else ""
    return regex.compile(
        rf"{det}(?<![\p{{L}}])(?:{bounds})(?![\p{{L}}]){not_after}{words}"
        rf"{_SP}+(?:{_alt(spec['copulas'])}){_SP}+\Z",
        regex.IGNORECASE | _FLAGS | _BACK,
    )


def _compile(files: tuple[str, ...]) -> EnglishRules:
    datas = [load_rule_file(p) for p in files]
    guards: dict = {}
    scale_prefixes: dict[str, Decimal] = {}
    scaled_symbols: set[str] = set()
    forms: list[tuple[Form, bool, bool]] = []
    qualifiers: dict[str, str] = {}
    before_q: list[str] = []
    after_q: list[str] = []
    negation: dict = {}
    bound: dict = {}
    connectors: list[Connector] = []
    vague_src: list[tuple[str, str]] = []
    for d in datas:
        guards.update(d.get("guards", {}))
        scale_prefixes.update({k: Decimal(v) for k, v in d.get("scale_prefixes", {}).items()})
        scaled_symbols.update(d.get("scaled_symbols", []))
        for entry in d.get("currency", []):
            forms.extend(_forms(entry))
        negation.update(d.get("negated_bound", {}))
        bound.update(d.get("bound_subject", {}))
        for q in d.get("qualifier", []):
            for p in q.get("before", []):
                qualifiers[norm(p).lower()] = q["value"]
                before_q.append(p)
            for p in q.get("after", []):
                qualifiers[norm(p).lower()] = q["value"]
                after_q.append(p)
        for c in d.get("connector", []):
            alts = [
                rf"{_SP}+{regex.escape(f)}{_SP}+"
                if f[0].isalpha()
                else rf"{_SP}*{regex.escape(f)}{_SP}*"
                for f in c["forms"]
            ]
            connectors.append(
                Connector(
                    id=c["id"],
                    gap=regex.compile("(?:" + "|".join(alts) + ")", regex.IGNORECASE | _FLAGS),
                    needs=c.get("needs", ""),
                    first_complete=c.get("first_complete", True),
                    tight_if_bare=c.get("tight_if_bare", False),
                    change_after=_words_before(c.get("change_after"), c.get("change_skip")),
                    range_after=_words_before(c.get("range_after"), c.get("change_skip")),
                )
            )
        vague_src += [(p["id"], p["regex"]) for p in d.get("pattern", [])]

    # Scaled codes (MUSD, kEUR): only upper-case ISO codes, written exactly; and the
    # symbols listed in `scaled_symbols` (k€, M€).
    for form, pre, suf in list(forms):
        if (form.kind == "code" and form.text.isupper() and len(form.text) == 3) or (
            form.kind == "symbol" and form.text in scaled_symbols
        ):
            for letter, mult in scale_prefixes.items():
                scaled = Form(letter + form.text, form.code, "code", True, multiplier=mult)
                forms.append((scaled, pre, suf))

    def table(position: str) -> dict[str, Form]:
        t: dict[str, Form] = {}
        for f, pre, suf in forms:
            if pre if position == "prefix" else suf:
                key = norm(f.text) if f.case_sensitive else "\0" + norm(f.text).lower()
                t.setdefault(key, f)
        return t

    def chosen(position: str) -> list[Form]:
        picked = [f for f, pre, suf in forms if (pre if position == "prefix" else suf)]
        return sorted(picked, key=lambda f: len(f.text), reverse=True)

    def alternation(position: str) -> str:
        return "|".join(_form_regex(f, position) for f in chosen(position))

    article_names = tuple(guards.get("article_names", ()))
    numbers = number_grammar(article_names)
    minor_units = guards.get("minor_units", [])
    words = numbers.words
    units = _alt([w for w, v in words.items() if v < 10])
    teens = _alt([w for w, v in words.items() if 10 <= v < 20])
    tens = _alt([w for w, v in words.items() if v >= 20])
    minor_words = rf"(?:(?:{tens})(?:[ \-](?:{units}))?|{teens}|{units})(?![\p{{L}}])"
    names = [f.text for f, pre, suf in forms if f.kind == "name" and suf]
    cur_alt = "|".join(
        r"[ \u00a0]+".join(regex.escape(w) for w in n.split())
        for n in sorted(names, key=len, reverse=True)
    )
    scales_pl = _alt([s + "s" for s in ("thousand", "million", "billion", "trillion")])
    scale_sg = _alt(["thousand", "million", "billion", "trillion"])
    vague = []
    for vid, src in vague_src:
        pat = (
            src.replace("{SCALES}", f"(?:{scales_pl})")
            .replace("{SCALE}", f"(?:{scale_sg})")
            .replace("{CUR}", f"(?P<cur>{cur_alt})")
        )
        vague.append(
            (
                vid,
                regex.compile(rf"(?<![\p{{L}}])(?:{pat})(?![\p{{L}}])", regex.IGNORECASE | _FLAGS),
            )
        )
    needs = {c.needs for c in connectors if c.needs}
    ci = regex.IGNORECASE | _FLAGS
    # `not only more than` widens, `not rare to receive more than` is a double negative:
    # either word after the negation keeps the bound as written
    kept = list(negation.get("not_before", [])) + list(negation.get("double_negatives", []))
    return EnglishRules(
        numbers=numbers,
        currencies={f.code for f, _, _ in forms},
        prefix=regex.compile(
            rf"(?P<cur>{alternation('prefix')})(?P<sp>{_SP}{{0,2}})\Z", _FLAGS | _BACK
        ),
        suffix=regex.compile(rf"(?P<sp>{_SUFFIX_SP})(?P<cur>{alternation('suffix')})", _FLAGS),
        suffix_starts=suffix_starts(_SUFFIX_SP, chosen("suffix")),
        prefix_forms=table("prefix"),
        suffix_forms=table("suffix"),
        percent_after=regex.compile(
            rf"{_SP}*(?:{'|'.join(_phrase(p) for p in guards.get('not_followed_by', ['%']))})"
            r"(?![\p{L}])",
            ci,
        ),
        year_unit_before=regex.compile(
            rf"(?<![\p{{L}}])(?:{_alt(guards.get('year_unit_after', ['in']))}){_SP}+\Z", ci | _BACK
        ),
        minor=regex.compile(
            rf"{_SP}*(?:,{_SP}*)?(?:and{_SP}+)?(?P<n>\d{{1,2}}(?!\d)(?![.,]\d)|{minor_words})"
            rf"(?:{_SP}?(?P<u>{_alt(minor_units)})(?![\p{{L}}]))?",
            ci,
        ),
        minor_bare_ok=regex.compile(rf"{_SP}*(?:\Z|[.,;:!?)\n]|(?:and|more)(?![\p{{L}}]))", ci),
        no_minor=frozenset(guards.get("no_minor_unit", ())),
        qualifier_before=regex.compile(
            "(?P<q>"
            + "|".join(
                _phrase(p) + (rf"{_SP}+" if p[-1].isalpha() else rf"{_SP}*")
                for p in sorted(before_q, key=len, reverse=True)
            )
            + r")\Z",
            ci | _BACK,
        ),
        qualifier_after=regex.compile(
            rf"{_SP}*,?{_SP}*(?P<q>"
            + "|".join(_phrase(p) for p in sorted(after_q, key=len, reverse=True))
            + r")(?![\p{L}])",
            ci,
        ),
        qualifiers=qualifiers,
        negated_before=regex.compile(
            rf"(?:(?<![\p{{L}}])(?:{_alt(negation['words'])})"
            + (rf"|(?:{_alt(negation['endings'])})" if negation.get("endings") else "")
            + ")"
            rf"(?:{_SP}+[\p{{L}}'’-]+){{0,{int(negation.get('max_words_between', 2))}}}{_SP}+\Z"
            + _negated_verb(negation)
            + _negative_subject(negation),
            ci | _BACK,
        )
        if negation.get("words")
        else None,
        negation_kept=regex.compile(
            rf"(?<![\p{{L}}])(?:{_alt(kept)})(?![\p{{L}}])" if kept else "(?!)",
            ci,
        ),
        double_subject=_double_subject(negation),
        negated_floors=frozenset(w.lower() for w in negation.get("max_flips", [])),
        bound_subject=_bound_subject(bound) if bound else None,
        connectors=connectors,
        needs_before={
            w: regex.compile(rf"(?<![\p{{L}}])(?P<w>{regex.escape(w)}){_SP}+\Z", ci | _BACK)
            for w in needs
        },
        article_names=frozenset(norm(a).lower() for a in article_names),
        article_next_ok=frozenset(w.lower() for w in guards.get("article_next_ok", [])),
        article_not_before=tuple(w.lower() for w in guards.get("article_not_before", [])),
        **_ratio(guards.get("ratio", {})),
        weight_before=regex.compile(
            rf"(?<![\p{{L}}])(?:{_alt(guards.get('weight_before', []))})(?![\p{{L}}])", ci
        ),
        weight_after=regex.compile(
            rf"{_SP}*(?:(?:{_alt(guards.get('weight_after', []))})(?![\p{{L}}])"
            rf"|[(（]{_SP}*(?:about{_SP}+|approx\.?{_SP}*|약{_SP}*)?[\d.,]+{_SP}*"
            rf"(?:{_alt(guards.get('weight_units', ['kg']))})(?![\p{{L}}]))",
            ci,
        ),
        vague=vague,
    )


@lru_cache(maxsize=4)
def _cached(folder: str) -> EnglishRules:
    paths = rule_files("money", "en") + rule_files("number", "en")
    return _compile(tuple(str(p) for p in paths))


def english_rules() -> EnglishRules:
    """The compiled rules for the current rules folder, built once per process."""
    return _cached(str(rules_dir()))


def reload_rules() -> None:
    """Forget compiled rules (after editing a rule file in a running process)."""
    _cached.cache_clear()
    reset_number_grammar()
