"""Signed one-click unsubscribe tokens."""

from __future__ import annotations

import base64
import re

import pytest

from fachaustausch.notifications.unsubscribe import (
    INVALID,
    make_token,
    read_token,
    unsubscribe_url,
)

SECRET = "s" * 48
OLD_SECRET = "o" * 48


def test_a_token_reads_back_as_its_user_and_kind() -> None:
    token = make_token(SECRET, 42, "new_answer")

    assert read_token(SECRET, token) == (42, "new_answer")


def test_tokens_are_url_safe_and_stable() -> None:
    token = make_token(SECRET, 42, "mention")

    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token)
    assert make_token(SECRET, 42, "mention") == token  # the link in every mail is the same


def test_each_user_and_kind_gets_its_own_token() -> None:
    tokens = {
        make_token(SECRET, 42, "mention"),
        make_token(SECRET, 43, "mention"),
        make_token(SECRET, 42, "new_answer"),
        make_token(OLD_SECRET, 42, "mention"),
    }

    assert len(tokens) == 4


def _swap_payload(token: str, user_id: int, kind: str) -> str:
    version, _, signature = token.split(".")
    payload = base64.urlsafe_b64encode(f"{user_id}:{kind}".encode()).rstrip(b"=").decode()
    return f"{version}.{payload}.{signature}"


def test_a_token_for_another_user_cannot_be_made_from_mine() -> None:
    mine = make_token(SECRET, 42, "mention")

    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token(SECRET, _swap_payload(mine, 43, "mention"))


def test_a_token_cannot_be_turned_to_another_kind() -> None:
    mine = make_token(SECRET, 42, "mention")

    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token(SECRET, _swap_payload(mine, 42, "digest"))


def test_a_kind_the_platform_no_longer_knows_is_refused_when_kinds_are_given() -> None:
    token = make_token(SECRET, 42, "retired_kind")

    assert read_token(SECRET, token) == (42, "retired_kind")
    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token(SECRET, token, kinds={"mention", "new_answer"})
    assert read_token(SECRET, token, kinds={"retired_kind"}) == (42, "retired_kind")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.rsplit(".", 1)[0],  # signature missing
        lambda t: "v2" + t[2:],  # a version we do not know
        lambda t: t.replace(".", "", 1),  # structure broken
        lambda t: t + "==",  # padding appended
        lambda t: t[: len(t) // 2],  # cut off in the mail client
        lambda t: "v1.%%%.%%%",  # not base64
        lambda t: t + "ü",  # not ASCII
        lambda t: "",
    ],
)
def test_a_tampered_token_is_refused_with_a_german_message(tamper: object) -> None:
    token = make_token(SECRET, 42, "mention")
    tampered = tamper(token)  # type: ignore[operator]
    assert tampered != token

    with pytest.raises(ValueError, match="Abmeldelink ist ungültig") as refused:
        read_token(SECRET, tampered)

    assert str(refused.value) == INVALID


def test_a_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token(SECRET, make_token(OLD_SECRET, 42, "mention"))


def test_after_rotation_old_links_still_work_and_new_ones_use_the_new_secret() -> None:
    old_link = make_token(OLD_SECRET, 42, "mention")
    new_link = make_token(SECRET, 42, "mention")

    assert read_token([SECRET, OLD_SECRET], old_link) == (42, "mention")
    assert read_token([SECRET, OLD_SECRET], new_link) == (42, "mention")
    # Once the old secret is dropped, its links stop working.
    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token([SECRET], old_link)


def test_the_token_is_not_a_plain_hmac_of_the_app_secret() -> None:
    """The key is derived for unsubscribing alone: a signature under the raw secret (as
    another feature might make) does not pass."""
    import hashlib
    import hmac

    token = make_token(SECRET, 42, "mention")
    signed = token.rsplit(".", 1)[0]
    raw = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha256).digest()[:16]
    forged = f"{signed}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}"

    assert forged != token
    with pytest.raises(ValueError, match="Abmeldelink ist ungültig"):
        read_token(SECRET, forged)


@pytest.mark.parametrize(
    ("secret", "user_id", "kind", "complaint"),
    [
        ("", 42, "mention", "needs a secret"),
        (SECRET, 0, "mention", "must be positive"),
        (SECRET, 42, "Mention", "snake_case"),
        (SECRET, 42, "a:b", "snake_case"),
    ],
)
def test_make_token_refuses_what_it_could_not_read_back(
    secret: str, user_id: int, kind: str, complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        make_token(secret, user_id, kind)


def test_the_link_joins_base_url_and_token() -> None:
    token = make_token(SECRET, 42, "mention")

    assert unsubscribe_url("https://fachaustausch.example.de/", token) == (
        f"https://fachaustausch.example.de/benachrichtigungen/abbestellen/{token}"
    )
