"""One project written two ways in one document: the alias step of the project totals.

An article names its project in full once and shortly after (`Green Transit Pass Program`
then `Transit Pass Program`, `스마트농업육성사업` then `육성사업`), or with and without a
leading article (`The Home Heating Assistance Program`). The linker gives each amount the
name written beside it, so the projects sheet had one row per spelling and neither total
was the project's (tester36). `project_groups` says, for one document's records, which
names are one project; `Totals.add_document` groups the records by that key (and the
figure roles, parts of a running total and the like, see the names as one project). The
records keep the article's words: `project` is unchanged and so is every evaluation.

The rule (rules/*/aliases.toml, whose `[[example]]`s are checked):

1. Names that differ only in case, spacing or a leading article (`[alias] articles`) are
   one project.
2. A name that is the end of exactly one longer name of the document is that longer
   project, where the longer name is written before the short one's first amount (or the
   short one stands in the headline) and no sentence with amounts of both writes the two
   names apart. English: its
   words, case-folded and the leading article dropped, are the
   longer name's trailing words. Korean (a name with Hangul): the longer name's characters,
   spaces removed, end with it, and it starts at a word or morpheme boundary of the longer
   name (after a space, or where Kiwi starts a token: `육성사업` of
   `스마트농업육성사업`). The longer name less one trailing head word (`[alias] heads`:
   `사업`, `program`) counts as well (`에너지바우처` is `에너지바우처 사업`).
3. A name that is the end of two or more different longer names is ambiguous and stays
   its own row (`ambiguous`: the projects sheet's `note` says so).
4. A bare generic head is never an alias: a name made only of the linker's generic words
   (`[alias] linker_lists`, `generic`), numbers and articles (`the program`, `사업`,
   `지원사업`).
5. Gazetteer ids win: a record with a `project_id` keeps it; a name with no id that is
   the end of a name with one joins that id.

Pure: a function of the records' `project` / `project_id` (and the rule files) only.
Never across documents: two articles' `Transit Pass Program`s may be two programs.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from .rules import load_rule_file, rule_files, rules_dir

_HANGUL = regex.compile(r"\p{Hangul}")
_SPACE = regex.compile(r"\s+")
_NUMBER = regex.compile(r"^[\d.,%]+$")
# what is stripped around an English word before it is compared (`program,` `"Pass"`)
_WORD_EDGE = regex.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class _AliasRules:
    articles: frozenset[str]
    heads: dict[str, tuple[str, ...]]  # by language: trailing head words (ko: spaces removed)
    # by language: a shorter name's last words after which `heads` do not count
    head_not_after: dict[str, frozenset[str]]
    generic: dict[str, frozenset[str]]  # by language: words of a bare generic head
    # by language: words that make a longer name a phrase, not a name (`for`, `and`, `및`)
    phrase: dict[str, frozenset[str]]
    # by language: a word right before the shared end that makes the longer name another
    # program (`Enhanced CPF Housing Grant` is not the `CPF Housing Grant`)
    distinct: dict[str, frozenset[str]]


@lru_cache(maxsize=4)
def _rules(folder: str) -> _AliasRules:
    from .linking import config

    articles: set[str] = set()
    heads: dict[str, list[str]] = {"ko": [], "en": []}
    generic: dict[str, set[str]] = {"ko": set(), "en": set()}
    phrase: dict[str, set[str]] = {"ko": set(), "en": set()}
    not_after: dict[str, set[str]] = {"ko": set(), "en": set()}
    distinct: dict[str, set[str]] = {"ko": set(), "en": set()}
    for path in rule_files("totals"):
        data = load_rule_file(path)
        alias = data.get("alias")
        lang = data["meta"].get("lang", "")
        if not alias or lang not in heads:
            continue
        articles.update(w.casefold() for w in alias.get("articles", []))
        heads[lang].extend(_SPACE.sub("", h).casefold() for h in alias.get("heads", []))
        words = list(alias.get("generic", []))
        cfg = config(lang)
        for name in alias.get("linker_lists", []):
            words.extend(cfg.get(name, []))
        generic[lang].update(
            _SPACE.sub("", w).casefold() if lang == "ko" else w.casefold() for w in words
        )
        phrase[lang].update(w.casefold() for w in alias.get("phrase_words", []))
        not_after[lang].update(w.casefold() for w in alias.get("head_not_after", []))
        distinct[lang].update(w.casefold() for w in alias.get("distinct_leads", []))
    return _AliasRules(
        articles=frozenset(articles),
        heads={lang: tuple(sorted(set(h), key=len, reverse=True)) for lang, h in heads.items()},
        head_not_after={lang: frozenset(w) for lang, w in not_after.items()},
        generic={lang: frozenset(w) for lang, w in generic.items()},
        phrase={lang: frozenset(w) for lang, w in phrase.items()},
        distinct={lang: frozenset(w) for lang, w in distinct.items()},
    )


def alias_rules() -> _AliasRules:
    """The compiled `[alias]` tables of rules/*/aliases.toml (cached per rules folder)."""
    return _rules(str(rules_dir()))


@dataclass
class Grouping:
    """What `project_groups` found in one document.

    `keys[i]`: the key record i's project total is grouped under (its `project_id`, else
    its group's name; "" for no project). `aliases`: group key -> the names of the
    document taken into that group as the end of a longer name (rule 2). `ambiguous`:
    name -> the longer names (one per group) it is the end of, kept apart (rule 3)."""

    keys: list[str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def keyed(self, records: Sequence[Any]) -> list[Any]:
        """`records` with each one's grouping key in `project_id` where it is not already
        the record's own key (`project_id or project`): what the figure roles read, so
        the parts of one spelling are seen as parts of the other's total. A copy only for
        those records; the records themselves are never changed."""
        out = []
        for r, key in zip(records, self.keys, strict=True):
            own = getattr(r, "project_id", "") or getattr(r, "project", "") or ""
            if key == own:
                out.append(r)
            elif dataclasses.is_dataclass(r):
                out.append(dataclasses.replace(r, project_id=key))
            else:
                twin = copy.copy(r)
                twin.project_id = key
                out.append(twin)
        return out


@dataclass
class _Name:
    """One spelling class: the names of a document equal up to case, spacing, article."""

    names: dict[str, int]  # name as written -> records, in order of first appearance
    ids: set[str]  # gazetteer ids among its records
    korean: bool
    words: tuple[str, ...]  # English: the compared words; Korean: ()
    chars: str  # Korean: spaces removed, case-folded; English: words joined by a space
    first: int  # index of its first record
    sentences: set[str] = field(default_factory=set)  # the sentences its records stand in
    headline: bool = False  # its first record stands in the document's first line
    first_start: int = 0  # its first record's offset in the document
    written_at: int = 0  # where one of its names is first written in the document text
    group: str = ""

    def representative(self, articles: frozenset[str]) -> str:
        """The name the group is shown by: one written without a leading article, then
        the one with most capitals (a proper name's own spelling), then the first written:
        by the spelling alone, so the same spellings in two documents give the same key
        and add up across them."""
        order = list(self.names)
        return min(
            order,
            key=lambda n: (_has_article(n, articles), -sum(c.isupper() for c in n), order.index(n)),
        )


def _has_article(name: str, articles: frozenset[str]) -> bool:
    first = name.split(maxsplit=1)
    return len(first) > 1 and first[0].casefold() in articles


def _english_words(name: str, articles: frozenset[str]) -> tuple[str, ...]:
    words = [_WORD_EDGE.sub("", w) for w in name.casefold().split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in articles:
        words = words[1:]
    return tuple(words)


def _spelling(name: str, articles: frozenset[str]) -> tuple[bool, tuple[str, ...], str]:
    """(Korean?, words, chars): the form two names are compared by."""
    if _HANGUL.search(name):
        words = name.split()
        if len(words) > 1 and words[0].casefold() in articles:
            words = words[1:]
        return True, (), "".join(words).casefold()
    words = _english_words(name, articles)
    return False, words, " ".join(words)


def spelling_key(name: str) -> str:
    """The form two project names are one by across documents: equal up to case,
    spacing and a leading article (`Breakfast Scheme`, `the breakfast scheme`); "" for
    an empty name. Only rule 1 (the same spelling); a shorter name's join (rule 2) is
    read within one document, never across two."""
    korean, _, chars = _spelling(name, alias_rules().articles)
    return f"{'ko' if korean else 'en'}:{chars}" if chars else ""


def _shortens(short: _Name, long: _Name) -> bool:
    """Whether `short` can be a short form of `long` by where they stand: an article
    writes the full name before the first amount of the short one (or shortens it in
    the headline), and never writes its short form beside it in one sentence (`노인 일자리
    사업에 200억원을, 장애인 노인 일자리 사업에 30억원을`, `$2 million for the Heat Pump
    Rebate and $1 million for the Solar Heat Pump Rebate`: two programs; `The Future Fund
    ... the Medical Research Future Fund`: the shorter named first, another fund). Without
    the document's text, the order of the records stands in for where names are written."""
    named_first = long.written_at < short.first_start or short.headline
    return named_first and not any(
        _written_apart(short, long, sentence) for sentence in short.sentences & long.sentences
    )


def _written_apart(short: _Name, long: _Name, sentence: str) -> bool:
    """Whether `sentence` writes a name of `long` and, outside it, one of `short`."""
    inside: list[tuple[int, int]] = []
    for name in long.names:
        inside += [(m.start(), m.end()) for m in regex.finditer(regex.escape(name), sentence)]
    if not inside:
        return False
    return any(
        not any(a <= m.start() and m.end() <= b for a, b in inside)
        for name in short.names
        for m in regex.finditer(regex.escape(name), sentence)
    )


def _generic(n: _Name, rules: _AliasRules) -> bool:
    """A bare generic head (rule 4): only generic words, numbers and articles."""
    if n.korean:
        return _decomposes(n.chars, rules.generic["ko"])
    words = rules.generic["en"] | rules.articles
    return n.chars in words or all(w in words or _NUMBER.match(w) for w in n.words)


def _decomposes(chars: str, words: frozenset[str]) -> bool:
    """Whether `chars` is a run of generic words and digits (`지원사업` = 지원 + 사업)."""
    if not chars:
        return True
    ok = [True] + [False] * len(chars)
    longest = max((len(w) for w in words), default=0)
    for end in range(1, len(chars) + 1):
        for start in range(max(0, end - longest), end):
            if ok[start] and (chars[start:end] in words or chars[start:end].isdigit()):
                ok[end] = True
                break
    return ok[-1]


@lru_cache(maxsize=4096)
def _boundaries(name: str) -> frozenset[int]:
    """Where a word or a morpheme starts in a Korean name, as indices into the name with
    its spaces removed: after each space, and at each Kiwi token."""
    from .segment import get_kiwi

    starts: set[int] = {0}
    squeezed = []  # original index -> index without spaces
    n = 0
    for ch in name:
        squeezed.append(n)
        if not ch.isspace():
            n += 1
    squeezed.append(n)
    for m in regex.finditer(r"\S+", name):
        starts.add(squeezed[m.start()])
    for token in get_kiwi().tokenize(name):
        if 0 <= token.start < len(name):
            starts.add(squeezed[token.start])
    return frozenset(starts)


def _ends(short: _Name, long: _Name, rules: _AliasRules) -> bool:
    """Whether `short` is the end of `long` or of `long` less a trailing head word, cut
    at a word (English) or morpheme (Korean) boundary, where `long` is a name, not a phrase
    (`_phrase`), and the word before the cut does not make it another program
    (`[alias] distinct_leads`: `Enhanced CPF Housing Grant`)."""
    if short.korean != long.korean or _phrase(long, rules):
        return False
    if not short.korean:
        k = len(short.words)
        tails = [long.words]
        if (
            long.words
            and long.words[-1] in rules.heads["en"]
            and short.words[-1] not in rules.head_not_after["en"]
        ):
            tails.append(long.words[:-1])
        return any(
            len(t) >= k
            and t[len(t) - k :] == short.words
            and (len(t) == k or t[len(t) - k - 1] not in rules.distinct["en"])
            for t in tails
        )
    chars = long.chars
    head = next((h for h in rules.heads["ko"] if chars.endswith(h)), "")
    if head and any(short.chars.endswith(w) for w in rules.head_not_after["ko"]):
        head = ""
    if not chars.endswith(short.chars) and not chars[: len(chars) - len(head)].endswith(
        short.chars
    ):
        return False  # (Kiwi is asked only about a name that ends the right way)
    bounds = frozenset().union(*(_boundaries(name) for name in long.names))
    tails = [chars]
    if head and len(chars) - len(head) in bounds:
        tails.append(chars[: -len(head)])
    for t in tails:
        cut = len(t) - len(short.chars)
        if cut < 0 or not t.endswith(short.chars) or cut not in bounds:
            continue
        if any(t[:cut].endswith(w) and cut - len(w) in bounds for w in rules.distinct["ko"]):
            continue
        return True
    return False


def _phrase(n: _Name, rules: _AliasRules) -> bool:
    """Whether a name is a phrase the linker cut too long rather than a name: it holds a
    word of `[alias] phrase_words` (`for`, `and`, `및`) after its leading article, and
    (English) no spelling of it is in Title Case (`Mega Arts and Cultural Events Fund` is a
    name; `state one-time funds for a literacy program`, `school safety and mental health
    grants` are phrases: a shorter name is never taken into them)."""
    lang = "ko" if n.korean else "en"
    words = rules.phrase[lang]
    for name in n.names:
        written = [_WORD_EDGE.sub("", w) for w in name.split()]
        written = [w for w in written if w]
        if written and written[0].casefold() in rules.articles:
            written = written[1:]
        inside = [w for w in written if w.casefold() in words]
        if not inside:
            return False
        if lang == "en" and all(
            w.casefold() in words or not w[0].isalpha() or w[0].isupper() for w in written
        ):
            return False
    return True


def project_groups(records: Sequence[Any], text: str = "") -> Grouping:
    """The grouping key of each record of one document (see the module docstring);
    `text`, the document's text, tells which records stand in its headline (first line)."""
    rules = alias_rules()
    headline_end = text.find("\n") if text else -1
    classes: dict[str, _Name] = {}
    for i, r in enumerate(records):
        name = getattr(r, "project", "") or ""
        if not name:
            continue
        korean, words, chars = _spelling(name, rules.articles)
        if not chars:
            continue
        key = f"{'ko' if korean else 'en'}:{chars}"
        n = classes.get(key)
        if n is None:
            n = classes[key] = _Name({}, set(), korean, words, chars, i)
            n.first_start = getattr(r, "start", i)
            n.headline = n.first_start < headline_end
        n.names[name] = n.names.get(name, 0) + 1
        n.sentences.add(getattr(r, "sentence", "") or f"#{i}")
        if pid := getattr(r, "project_id", ""):
            n.ids.add(pid)
    for n in classes.values():
        found = [at for name in n.names if (at := text.find(name)) >= 0] if text else []
        # a name written nowhere in the text was typed by a reviewer: it stands for the
        # whole document, as if written first
        n.written_at = min(found, default=-1 if text else n.first_start)
    grouping = Grouping(keys=[])
    # Longest first: a longer name's group is settled before a shorter one looks at it.
    ordered = sorted(
        classes.values(),
        key=lambda n: (-(len(n.words) if not n.korean else len(n.chars)), n.first),
    )
    for n in ordered:
        own = next(iter(n.ids)) if len(n.ids) == 1 else n.representative(rules.articles)
        n.group = own
        if n.ids or _generic(n, rules):
            continue
        longer = [
            m for m in ordered if m is not n and m.group and _shortens(n, m) and _ends(n, m, rules)
        ]
        groups: dict[str, str] = {}  # group -> the longest name of it that n ends
        for m in longer:
            groups.setdefault(m.group, m.representative(rules.articles))
        if len(groups) == 1:
            n.group = next(iter(groups))
            grouping.aliases.setdefault(n.group, []).extend(n.names)
        elif len(groups) > 1:
            for name in n.names:
                grouping.ambiguous[name] = list(groups.values())
    for r in records:
        pid = getattr(r, "project_id", "") or ""
        name = getattr(r, "project", "") or ""
        if pid or not name:
            grouping.keys.append(pid or name)
            continue
        korean, _, chars = _spelling(name, rules.articles)
        n = classes.get(f"{'ko' if korean else 'en'}:{chars}")
        grouping.keys.append(n.group if n is not None else name)
    return grouping
