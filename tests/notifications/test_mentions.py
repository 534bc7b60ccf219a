"""@mentions in Markdown, and handles derived from names."""

from __future__ import annotations

import pytest

from fachaustausch.notifications.mentions import (
    HANDLE,
    Mention,
    find_mentions,
    handle_base,
    handle_for,
)


def handles(text: str) -> list[str]:
    return [m.handle for m in find_mentions(text)]


def test_a_mention_with_its_position() -> None:
    text = "Danke @anna.mueller für den Hinweis"

    [mention] = find_mentions(text)

    assert mention == Mention(handle="anna.mueller", start=6, end=19)
    assert text[mention.start : mention.end] == "@anna.mueller"


def test_several_mentions_in_order_and_repeated() -> None:
    assert handles("@anna.mueller und @jonas-k, bitte; @anna.mueller?") == [
        "anna.mueller",
        "jonas-k",
        "anna.mueller",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Frage an @anna.mueller, bitte",
        "Frage an @anna.mueller.",
        "Frage an (@anna.mueller)",
        "Frage an [@anna.mueller]",
        "Frage an „@anna.mueller“",
        "Frage an @anna.mueller!",
        "Frage an @anna.mueller: ja",
        "Frage an **@anna.mueller**",
        "Frage an _@anna.mueller_",
        "@anna.mueller am Anfang",
        "Zeile eins\n@anna.mueller",
        "- @anna.mueller in einer Liste",
        "> @anna.mueller im Zitat",
        "| Wer | @anna.mueller |\n| --- | --- |\n| a | b |",
        "Am Ende @anna.mueller...",
        "Ende mit Bindestrich @anna.mueller-",
    ],
)
def test_punctuation_around_a_handle_is_not_part_of_it(text: str) -> None:
    assert handles(text) == ["anna.mueller"]


def test_the_handle_is_lowercased_but_the_position_covers_what_was_written() -> None:
    text = "@Anna.Mueller hat geantwortet"

    [mention] = find_mentions(text)

    assert mention.handle == "anna.mueller"
    assert text[mention.start : mention.end] == "@Anna.Mueller"


@pytest.mark.parametrize(
    "text",
    [
        "Schreiben Sie an anna.mueller@abh-beispiel.de",
        "Schreiben Sie an a@b.de",
        "Siehe https://example.org/@anna.mueller",
        "Siehe https://example.org/profil?wer=@anna.mueller",
        "Siehe <https://example.org/@anna.mueller>",
        "Siehe www.example.org/@anna.mueller",
        "Siehe [Profil](https://example.org/@anna.mueller)",
        "Siehe mailto:@anna.mueller",
        "Kein Handle: \\@anna.mueller",
        "Nur ein @ allein",
        "Zu kurz: @a",
        "Mit Umlaut: @müller",
        "Zwei @: @anna@mueller",
        "Zu lang: @" + "a" * 41,
    ],
)
def test_addresses_urls_and_lookalikes_are_no_mentions(text: str) -> None:
    assert handles(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Code `@anna.mueller` im Text",
        "Code ``mit ` und @anna.mueller`` im Text",
        "Mehrzeiliger `Code\n@anna.mueller` im Absatz",
        "```\n@anna.mueller\n```",
        "~~~python\nprint('@anna.mueller')\n~~~",
        "Absatz\n\n    @anna.mueller eingerückt\n",
        "- Liste\n\n      @anna.mueller als Code in der Liste\n",
        "> ```\n> @anna.mueller\n> ```",
    ],
)
def test_code_is_no_mention(text: str) -> None:
    assert handles(text) == []


def test_mentions_around_code_still_count() -> None:
    text = "@vorher `@code` @nachher\n\n```\n@block\n```\n\n@danach"

    assert handles(text) == ["vorher", "nachher", "danach"]


def test_an_unclosed_backtick_is_just_a_character() -> None:
    assert handles("Ein ` allein und @anna.mueller") == ["anna.mueller"]


def test_an_escaped_backtick_opens_no_code_span() -> None:
    assert handles("Ein \\`@anna.mueller\\` ohne Code") == ["anna.mueller"]


def test_a_code_span_does_not_reach_into_the_next_paragraph() -> None:
    assert handles("Ein ` hier\n\n@anna.mueller ` dort") == ["anna.mueller"]


def test_positions_are_right_with_windows_line_endings() -> None:
    text = "```\r\n@code\r\n```\r\n\r\nHallo @anna.mueller"

    [mention] = find_mentions(text)

    assert text[mention.start : mention.end] == "@anna.mueller"


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Anna Müller", "anna.mueller"),
        ("Jürgen Groß", "juergen.gross"),
        ("Özlem Öztürk", "oezlem.oeztuerk"),
        ("ÄRGER ÜBEL", "aerger.uebel"),
        ("Hans-Peter Schäfer", "hans-peter.schaefer"),
        ("Dr. Jürgen Groß-Özdemir", "juergen.gross-oezdemir"),
        ("Prof. Dr. Lena Weiß", "lena.weiss"),
        ("René Lefèvre", "rene.lefevre"),
        ("Zoë Ñúñez", "zoe.nunez"),
        ("Łukasz Żółć", "lukasz.zolc"),
        ("Søren Kierkegård", "soren.kierkegaard"),
        ("Seán O'Brien", "sean.obrien"),
        ("  Anna   Maria  Müller ", "anna.maria.mueller"),
        ("Team 2 (Bürgeramt)", "team.2.buergeramt"),
        ("Anna Mu\u0308ller", "anna.mueller"),  # a decomposed ü, as some keyboards send it
        ("Dr.", "dr"),
    ],
)
def test_handles_transliterate_german_and_other_letters(name: str, handle: str) -> None:
    assert handle_base(name) == handle
    assert HANDLE.fullmatch(handle)


@pytest.mark.parametrize("name", ["", "   ", "Иван Петров", "李雷", "-.-", "X"])
def test_a_name_that_reduces_to_nothing_gets_mitglied(name: str) -> None:
    assert handle_base(name) == "mitglied"


def test_a_long_name_is_cut_to_the_handle_limit_without_a_trailing_dot() -> None:
    handle = handle_base("Maximiliane Friederike Charlotte von Hohenzollern-Sigmaringen")

    assert len(handle) <= 40
    assert HANDLE.fullmatch(handle)
    assert handle.startswith("maximiliane.friederike.charlotte.von")


def test_collisions_count_up() -> None:
    taken = {"anna.mueller", "anna.mueller2"}

    assert handle_for("Anna Müller", taken.__contains__) == "anna.mueller3"
    assert handle_for("Anna Mueller", set().__contains__) == "anna.mueller"


def test_collisions_of_the_fallback_count_up_too() -> None:
    assert handle_for("Иван", {"mitglied"}.__contains__) == "mitglied2"


def test_a_numbered_handle_stays_within_the_limit() -> None:
    base = handle_base("A" * 60)
    taken = {base, *(base[: 40 - len(str(n))] + str(n) for n in range(2, 12))}

    handle = handle_for("A" * 60, taken.__contains__)

    assert handle == "a" * 38 + "12"
    assert HANDLE.fullmatch(handle)


def test_handles_are_stable() -> None:
    taken = {"anna.mueller"}.__contains__

    assert handle_for("Anna Müller", taken) == handle_for("Anna Müller", taken)


def test_a_derived_handle_is_found_as_a_mention() -> None:
    handle = handle_for("Dr. Jürgen Groß-Özdemir", set().__contains__)

    assert handles(f"Frage an @{handle}, danke.") == [handle]
