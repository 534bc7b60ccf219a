"""Names without a salutation: after a word for a relative or client ("Bruder Ali", "der
Kunde Mohammed A."), after "Fall" ("Fall Ayse Demir"), and given names from the lists
wherever they stand ("Mehmet Öztürk, 34 Jahre, aus Gaziantep").

German capitalises every noun, so a capitalised word is evidence of a name only if it is
in the name lists and no ordinary German word ("Rose", "Mai", "Will" stand for a name only
where the context says so), or, after a relative or "Fall", if it is no noun at all
("Bruder Yonas", but not "dem Kunden Auskunft geben")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from fachaustausch.privacy.lexicon import fold, nouns
from fachaustausch.privacy.vocabulary import (
    DETERMINERS,
    INSTITUTION_AFTER,
    NAME_PARTICLES,
    NOT_NAMES,
    PLACE_BEFORE,
    RELATIVES,
    ROLE_NOUNS,
    foreign_letters,
    is_given_name,
    is_name_word,
    is_noun,
    is_surname,
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SPACES = frozenset(" \t\u00a0")
# An age right after a name: "Ali (15)", "Rose, 5 Jahre", "Dawit, 16,".
_AGE = re.compile(r"[ \t]*(?:\(\s*\d{1,2}\s*(?:J\.|Jahre)?\s*\)|,[ \t]*\d{1,2}(?:[ \t]*Jahre\b|,))")
# Case names of courts are references, not case files: "EuGH, Fall Zambrano".
_COURT = re.compile(r"(?:EuGH|EGMR|BVerwG|BVerfG|BGH|Urteil|Rechtssache|Rs\.)[^\n]*$")

# How strongly a word says "name": a known name that is no German word counts 2, a name that
# is also a German word or an unknown word that is no noun 1, anything else 0.
STRONG, WEAK, NONE = 2, 1, 0


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    word: str
    joined: bool  # only spaces since the previous word
    dot: bool  # a full stop right after the word

    @property
    def capitalised(self) -> bool:
        return self.word[0].isupper()

    @property
    def initial(self) -> bool:
        return len(self.word) == 1 and self.word.isupper() and self.dot


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous = 0
    for match in _WORD.finditer(text):
        gap = text[previous : match.start()]
        tokens.append(
            Token(
                start=match.start(),
                end=match.end(),
                word=match.group(),
                joined=bool(tokens) and bool(gap) and all(ch in _SPACES for ch in gap),
                dot=text.startswith(".", match.end()),
            )
        )
        previous = match.end()
    return tokens


def _key(token: Token) -> str:
    return fold(token.word)


def _given(token: Token) -> bool:
    return _given_word(token.word)


@lru_cache(maxsize=8192)
def _given_word(word: str) -> bool:
    if is_given_name(word):
        return True
    parts = word.split("-")
    return 1 < len(parts) <= 3 and all(p and is_given_name(p) for p in parts)  # "Anna-Lena"


def evidence(token: Token) -> int:
    """How strongly the word alone says "name" (see STRONG, WEAK)."""
    return _evidence(token.word)


@lru_cache(maxsize=8192)
def _evidence(word: str) -> int:
    key = fold(word)
    if not word[0].isupper() or len(word) < 2 or key in NOT_NAMES:
        return NONE
    if key in ROLE_NOUNS or key in RELATIVES:
        return NONE
    known = _given_word(word) or is_surname(word)
    if word.isupper():
        # In capitals a word is an abbreviation ("AZR", "HAL") unless the context makes it a
        # name ("Kunde YILMAZ"); whole phrases in capitals are sentence_case'd before.
        return WEAK if known else NONE
    if known and not is_name_word(word):
        return STRONG
    if foreign_letters(word.replace("'", "").replace("’", "")):
        return STRONG
    if known:
        return WEAK
    return WEAK if len(word) >= 3 and not is_noun(word) else NONE


def _name_run(tokens: list[Token], i: int, limit: int = 3) -> list[Token]:
    """The name words starting at tokens[i]: capitalised words with some evidence, an initial
    that ends the run, particles in between ("Nguyen Van Minh", "Mohammed A.", "al Hassan")."""
    run: list[Token] = []
    j = i
    while j < len(tokens) and len(run) < limit:
        token = tokens[j]
        if run and not token.joined:
            break
        if token.initial and run:
            run.append(token)
            break
        if token.word.islower() and token.word in NAME_PARTICLES and run:
            if j + 1 < len(tokens) and evidence(tokens[j + 1]) > NONE and tokens[j + 1].joined:
                j += 1
                continue
            break
        if evidence(token) == NONE or fold(token.word) in INSTITUTION_AFTER:
            break
        run.append(token)
        j += 1
    if run and j < len(tokens) and tokens[j].joined and _key(tokens[j]) in INSTITUTION_AFTER:
        return []  # "Robert Bosch Stiftung", "Karl Marx Straße"
    return run


def _institution_follows(tokens: list[Token], j: int) -> bool:
    """The next word names an institution: "Robert Koch-Institut", "Anne Frank Schule"."""
    if j >= len(tokens) or not tokens[j].joined:
        return False
    return fold(tokens[j].word).rsplit("-", 1)[-1] in INSTITUTION_AFTER


def _after_place_word(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i].joined and _key(tokens[i - 1]) in PLACE_BEFORE


def _age_follows(text: str, token: Token) -> bool:
    return bool(_AGE.match(text, token.end))


def given_names(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Given names from the lists, alone or with the words of the name that follow."""
    for i, token in enumerate(tokens):
        if not token.capitalised or not _given(token) or _after_place_word(tokens, i):
            continue
        first = evidence(token)
        if first == NONE:
            continue
        run = _name_run(tokens, i)
        if not run or _institution_follows(tokens, i + len(run)):
            continue
        partners = run[1:]
        if partners:
            best = max(STRONG if p.initial else evidence(p) for p in partners)
            surname_follows = any(is_surname(p.word) for p in partners)
            after_determiner = i > 0 and tokens[i].joined and _key(tokens[i - 1]) in DETERMINERS
            if first + best >= 3 or (surname_follows and not after_determiner):
                yield run[0].start, _end(run)
        elif first == STRONG and len(token.word) >= 3 and not (token.dot and len(token.word) <= 3):
            yield token.start, token.end
        elif _age_follows(text, token):
            yield token.start, token.end  # "Rose (5)"


def _end(run: list[Token]) -> int:
    last = run[-1]
    return last.end + 1 if last.initial else last.end


def before_surnames(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """A known surname after an initial or an unknown first name: "A. Karimi", "Olexandr
    Bondarenko". A surname alone is not taken for a name: too many are also words."""
    for i, token in enumerate(tokens[1:], start=1):
        if evidence(token) != STRONG or not is_surname(token.word) or _given(token):
            continue
        before = tokens[i - 1]
        if (before.initial and text[before.end : token.start] == ". ") or (
            token.joined
            and evidence(before) == WEAK
            and not (_given(before) or is_surname(before.word) or is_name_word(before.word))
            and not _after_place_word(tokens, i - 1)
        ):
            yield before.start, token.end


def before_initials(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """An unknown word that is no noun, then an initial: "Oleksandra K., 31 Jahre"."""
    for i, token in enumerate(tokens[:-1]):
        initial = tokens[i + 1]
        if not initial.initial or text[token.end : initial.start] != " ":
            continue
        if (
            evidence(token) >= WEAK
            and len(token.word) >= 3
            and not _given(token)  # given_names() has these
            and not _after_place_word(tokens, i)
        ):
            yield token.start, initial.end + 1


def after_relatives(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """ "Bruder Ali", "die Antragstellerin Ayşe Yılmaz", "der Kunde Mohammed A.",
    "Die Mutter, Amina Yusuf, …"."""
    for i, token in enumerate(tokens[:-1]):
        if _key(token) not in RELATIVES or not token.capitalised:
            continue
        nxt = tokens[i + 1]
        apposition = text[token.end : nxt.start] in {", ", ",", ": ", ":"}
        if not (nxt.joined or apposition):
            continue
        if nxt.initial:
            run = _name_run(tokens, i + 2, 2) if i + 2 < len(tokens) else []
            if run and tokens[i + 2].start == nxt.end + 2:
                yield nxt.start, _end(run)  # "Kunde A. Karimi"; "Kunde A." alone is anonymous
            continue
        run = _name_run(tokens, i + 1)
        if not run:
            continue
        first = evidence(run[0])
        strong_partner = any(t.initial or evidence(t) == STRONG for t in run[1:])
        if apposition:
            # "Die Mutter, Amina Yusuf, …": only what the lists confirm
            ok = first == STRONG or (len(run) > 1 and strong_partner)
        elif first == STRONG or strong_partner or _age_follows(text, run[-1]):
            ok = True
        else:
            # A name that is also a frequent noun ("Glück", "Chance") is taken for the noun.
            ok = fold(run[0].word) not in nouns()
        if ok:
            yield run[0].start, _end(run)


def after_fall(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """ "Fall Ayse Demir: …", "im Fall Haddad" — not a court's case name."""
    for i, token in enumerate(tokens[:-1]):
        if _key(token) != "fall" or not token.capitalised or not tokens[i + 1].joined:
            continue
        if _COURT.search(text, max(0, token.start - 80), token.start):
            continue
        run = _name_run(tokens, i + 1)
        if not run:
            continue
        # Any name-like word: after "Fall" an ordinary noun is rare ("Fall Krasniqi"),
        # unless it is a frequent one that happens to be a name too.
        if len(run) >= 2 or evidence(run[0]) == STRONG or fold(run[0].word) not in nouns():
            yield run[0].start, _end(run)


def names(text: str) -> Iterator[tuple[int, int]]:
    tokens = tokenise(text)
    yield from given_names(text, tokens)
    yield from before_surnames(text, tokens)
    yield from before_initials(text, tokens)
    yield from after_relatives(text, tokens)
    yield from after_fall(text, tokens)
