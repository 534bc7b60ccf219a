"""Builds the word lists of the personal-data guard (platform/privacy/data/).

    .venv/bin/pip install faker german-nouns wordfreq
    .venv/bin/python scripts/build_privacy_lexicon.py

Sources (none of them is needed to run the platform):
- Faker (MIT): given names and surnames of every Latin-script locale; the Cyrillic locales
  are transliterated in the German (Duden) and the English way, the two spellings German
  case files use. Icelandic and Irish-Gaelic lists are left out: they name nobody an
  authority here deals with, and their rare spellings only add chances of a false alarm.
- german-nouns (German Wiktionary, CC BY-SA 4.0): every form of every noun and place name;
  those among the frequent German words (wordfreq, Apache-2.0 code) are kept as the list
  of nouns, and all of them decide which names are also German words.
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "platform" / "privacy"))
from lexicon import fold  # noqa: E402  (the one definition of a list key)

DATA = ROOT / "platform" / "privacy" / "data"
SKIPPED_LOCALES = {"is_IS", "ga_IE", "es"}
CYRILLIC_LOCALES = {"ru_RU", "uk_UA", "bg_BG", "mk_MK"}
FREQUENT_WORDS = 100_000

# Words that are someone's name somewhere but stand for something else in a German case
# text: function words, adjectives and verb forms ("Will", "Nur", "Frank"), month
# abbreviations, English words, brands and places ("Mercedes", "York"). Reviewed by hand
# from the names among the frequent German words.
GERMAN_NON_NOUNS = """
ah äh allen aller an anders aus bald berät brennen dann darin das dass davon davor dünn
eben edel einer ernst ey fern frank froh golden hervor jan lasse lies man max mir naja nur
per pink ran reiner selig sie so solange spring treu ver von vorm wage will
feb mar apr jun jul aug sep sept okt nov dez
case love true ever early young little long side age over come run press roll add hope
grace joy faith peace justice honor star sky rain summer autumn lucky happy sunny royal
king queen prince princess duke major captain
mio mrd tsd york angeles mercedes ford porsche urban line saint santa hill doc red les del
"""

_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "jo",
    "є": "je", "ж": "sch", "з": "s", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "ў": "u", "ѓ": "gj",
    "ќ": "kj", "ѕ": "dz", "ј": "j", "љ": "lj", "њ": "nj", "џ": "dsch",
}  # fmt: skip
_EN = {
    **_DE, "в": "v", "ё": "yo", "є": "ye", "ж": "zh", "з": "z", "ї": "yi", "й": "y",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "џ": "dzh",
}  # fmt: skip
# Ukrainian spells и, г and х differently (Олександр → Oleksandr, Олена → Olena).
_UK = {**_EN, "и": "y", "г": "h", "х": "kh"}
_UK_DE = {**_DE, "и": "y", "г": "h"}


def _latin(name: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _transliterations(name: str, ukrainian: bool) -> set[str]:
    tables = (_DE, _EN, _UK, _UK_DE) if ukrainian else (_DE, _EN)
    lower = name.lower()
    return {"".join(table.get(ch, ch) for ch in lower) for table in tables}


def _values(attribute: object) -> Iterable[str]:
    if isinstance(attribute, dict):
        return attribute.keys()
    if isinstance(attribute, list | tuple):
        return attribute
    return ()


def _key(name: str) -> str | None:
    key = fold(unicodedata.normalize("NFC", name.strip()))
    if len(key) < 2 or not all(ch.isalpha() or ch == "-" for ch in key):
        return None
    return key


def faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name in SKIPPED_LOCALES:
            continue
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        firsts = [
            n
            for attr in ("first_names", "first_names_male", "first_names_female")
            for n in _values(getattr(provider, attr, ()))
        ]
        lasts = list(_values(getattr(provider, "last_names", ())))
        for names, target in ((firsts, given), (lasts, family)):
            for name in names:
                if module.name in CYRILLIC_LOCALES:
                    spellings: Iterable[str] = _transliterations(name, module.name == "uk_UA")
                elif _latin(name):
                    spellings = [name]
                else:
                    continue
                target.update(k for k in map(_key, spellings) if k)
    return given, family


def german_nouns(path: Path) -> Iterator[tuple[str, set[str]]]:
    """(form, part-of-speech tags) for every form of every entry."""
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tags = set(row["pos"].split(","))
            for column, value in row.items():
                if value and not column.startswith(("pos", "genus")) and " " not in value:
                    yield value, tags


def main() -> None:
    import german_nouns as package
    import wordfreq

    csv_path = Path(next(iter(package.__path__))) / "nouns.csv"
    given, family = faker_names()
    nouns: set[str] = set()
    for form, tags in german_nouns(csv_path):
        # A word that is only a name there ("Thomas") is no evidence against a name.
        if tags & {"Vorname", "Nachname"} and not tags & {"Toponym"}:
            continue
        key = _key(form)
        if key:
            nouns.add(key)
    frequent = {k for w in wordfreq.top_n_list("de", FREQUENT_WORDS) if (k := _key(w))}
    non_nouns = {k for w in GERMAN_NON_NOUNS.split() if (k := _key(w))}
    stopwords = (ROOT / "platform" / "search" / "stopwords_de.txt").read_text(encoding="utf-8")
    non_nouns |= {k for w in stopwords.split() if (k := _key(w))}
    words = nouns | non_nouns
    name_words = (given | family) & words
    faker_version = importlib.import_module("faker").VERSION
    _write(
        "given_names.txt",
        given,
        f"Given names from Faker {faker_version} (MIT, (c) 2012 Daniele Faraglia),"
        " every Latin-script locale but is_IS and ga_IE, Cyrillic ones transliterated.",
    )
    _write("surnames.txt", family, f"Surnames from Faker {faker_version}, as given_names.txt.")
    _write(
        "german_nouns.txt",
        nouns & frequent,
        "Forms of German nouns and place names from the German Wiktionary (german-nouns,"
        " CC BY-SA 4.0, https://github.com/gambolputty/german-nouns) that are among the"
        f" {FREQUENT_WORDS} most frequent German words of wordfreq.",
    )
    _write(
        "name_words.txt",
        name_words,
        "Names of given_names.txt and surnames.txt that are also German words: any form of a"
        " noun or place name of german-nouns (CC BY-SA 4.0), or a function word, adjective or"
        " verb form (reviewed by hand, see scripts/build_privacy_lexicon.py).",
    )


def _write(name: str, keys: set[str], source: str) -> None:
    header = (
        f"# {source}\n# Generated by scripts/build_privacy_lexicon.py; one folded word a line.\n"
    )
    (DATA / name).write_text(header + "\n".join(sorted(keys)) + "\n", encoding="utf-8")
    print(f"{name}: {len(keys)}")


if __name__ == "__main__":
    main()
