"""The password policy: length rules, no composition rules, common passwords refused."""

import pytest

from fachaustausch.accounts import passwords

TOO_EASY = "zu leicht zu erraten"


def test_eleven_characters_are_too_short() -> None:
    assert passwords.problems("Kurz und gu") == [
        "Das Passwort muss mindestens 12 Zeichen lang sein."
    ]


def test_more_than_128_characters_are_refused() -> None:
    assert passwords.problems("Ein sehr langer Satz " * 7)[0] == (
        "Das Passwort darf höchstens 128 Zeichen lang sein."
    )


def test_128_characters_are_allowed() -> None:
    phrase = ("Zwölf Eulen fliegen nachts über Erfurt " * 4)[:128]
    assert len(phrase) == 128
    assert passwords.problems(phrase) == []


@pytest.mark.parametrize(
    "password",
    [
        "passwort12345",
        "123qweasdzxc",
        "willkommensbehoerde1",
        "aaaaaaaaaaaa",
        "123456789012",
        "qwertzuiopü1",
    ],
)
def test_common_and_guessable_passwords_are_refused(password: str) -> None:
    [message] = passwords.problems(password)
    assert TOO_EASY in message


@pytest.mark.parametrize(
    ("password", "related"),
    [
        ("annaschmidt2026", ["anna.schmidt@weimar.de", "Anna Schmidt"]),
        ("schmidtanna1234", ["anna.schmidt@weimar.de", "Anna Schmidt"]),
        ("weimar.schmidt!", ["anna.schmidt@weimar.de", "Anna Schmidt"]),
    ],
)
def test_passwords_made_of_the_users_own_name_or_email_are_refused(
    password: str, related: list[str]
) -> None:
    [message] = passwords.problems(password, related=related)
    assert TOO_EASY in message


@pytest.mark.parametrize(
    "password",
    [
        "lange reise nach weimar im herbst",  # all lower case: no composition rules
        "Der Kaffee in Raum 214 ist kalt",
        "pferd batterie heftklammer korrekt",
        "x" * 3 + " Ölfass Zugvogel Nachtzug Ampel",
    ],
)
def test_long_passphrases_are_accepted(password: str) -> None:
    assert passwords.problems(password, related=["anna.schmidt@weimar.de", "Anna Schmidt"]) == []


def test_the_same_passphrase_with_the_users_name_inside_is_refused() -> None:
    accepted = "Margarete Obstkorb 1999"
    assert passwords.problems(accepted) == []
    refused = passwords.problems(accepted, related=["margarete.obstkorb@kiel.de"])
    assert refused
    assert TOO_EASY in refused[0]


async def test_hashes_are_salted_argon2_and_verify() -> None:
    first = await passwords.hash_password("Lange Reise nach Weimar 2026")
    second = await passwords.hash_password("Lange Reise nach Weimar 2026")
    assert first.startswith("$argon2id$")
    assert first != second  # salted
    assert await passwords.verify_password(first, "Lange Reise nach Weimar 2026")
    assert not await passwords.verify_password(first, "Lange Reise nach Weimar 2027")
    assert not await passwords.verify_password("not a hash", "whatever")
