"""Password rules (OWASP ASVS V2 / BSI ORP.4) and Argon2 hashing.

Length rules only, no composition rules; common and guessable passwords are refused by
zxcvbn's guess estimate, which knows the common-password lists and keyboard patterns."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

import anyio.to_thread
from argon2 import DEFAULT_MEMORY_COST, DEFAULT_TIME_COST, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from fachaustausch.settings import Settings

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn score 3 means "safely unguessable" (about 10^8 guesses and more).
MIN_SCORE = 3
# Words zxcvbn's English lists lack but people here would reach for.
_LOCAL_WORDS = [
    "passwort",
    "kennwort",
    "willkommen",
    "hallo",
    "geheim",
    "sommer",
    "winter",
    "auslaenderbehoerde",
    "ausländerbehörde",
    "behoerde",
    "behörde",
    "willkommensbehoerde",
    "fachaustausch",
    "bamf",
    "bundesamt",
    "verwaltung",
    "rathaus",
    "deutschland",
]


def problems(password: str, *, related: list[str] | None = None) -> list[str]:
    """German reasons why `password` is refused; empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein."]
    if len(password) > MAX_LENGTH:
        return [f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein."]
    own = [part for item in related or [] for part in _parts(item)]
    inputs = _LOCAL_WORDS + own
    rest = _without(password, own)
    if not _unguessable(password, inputs) or (rest != password and not _unguessable(rest, inputs)):
        return [
            "Dieses Passwort ist zu leicht zu erraten (z. B. ein häufig verwendetes Passwort, "
            "ein Muster oder Ihr Name). Wählen Sie am besten einen Satz aus mehreren Wörtern."
        ]
    return []


def _unguessable(password: str, inputs: list[str]) -> bool:
    # zxcvbn's cost grows with length; the first 64 characters decide guessability anyway.
    return bool(zxcvbn(password[:64], user_inputs=inputs)["score"] >= MIN_SCORE)


def _without(password: str, words: list[str]) -> str:
    """The password with the user's own name and e-mail parts taken out: what is left must
    be hard to guess on its own. zxcvbn alone rates "annaschmidt2026" as safe for Anna
    Schmidt, because it prices her name as one guess among many rather than as known."""
    rest = password
    for word in sorted(set(words), key=len, reverse=True):
        rest = re.sub(re.escape(word), " ", rest, flags=re.IGNORECASE)
    return rest


def _parts(value: str) -> list[str]:
    return [p for p in value.lower().replace("@", " ").replace(".", " ").split() if len(p) > 2]


class Hasher:
    """Argon2id at the cost the settings ask for (FACHAUSTAUSCH_PASSWORD_HASH_*). An app
    owns one and makes it current for its requests, like its database."""

    def __init__(self, time_cost: int, memory_cost_kib: int) -> None:
        self._argon2 = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib)
        self._dummy_hash: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Hasher:
        return cls(settings.password_hash_time_cost, settings.password_hash_memory_kib)

    async def hash(self, password: str) -> str:
        # Argon2 is deliberately slow: keep it off the event loop.
        return await anyio.to_thread.run_sync(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        def verify() -> bool:
            try:
                return self._argon2.verify(password_hash, password)
            except (VerificationError, InvalidHashError):
                return False

        return await anyio.to_thread.run_sync(verify)

    async def dummy_hash(self) -> str:
        """Verified against when the e-mail is unknown, so both cases take the same time."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash("dummy password for timing equality")
        return self._dummy_hash


_current: ContextVar[Hasher] = ContextVar("fachaustausch_password_hasher")


@functools.cache
def _default() -> Hasher:
    """argon2-cffi's own parameters (those of RFC 9106 for little memory), where no app
    made a hasher current: the same as the settings' defaults."""
    return Hasher(DEFAULT_TIME_COST, DEFAULT_MEMORY_COST)


def current() -> Hasher:
    return _current.get(None) or _default()


def make_current(hasher: Hasher) -> Token[Hasher]:
    """For an ASGI wrapper that sets and resets around each call; elsewhere `use`."""
    return _current.set(hasher)


def reset(token: Token[Hasher]) -> None:
    _current.reset(token)


@contextmanager
def use(hasher: Hasher) -> Iterator[Hasher]:
    token = _current.set(hasher)
    try:
        yield hasher
    finally:
        _current.reset(token)


async def hash_password(password: str) -> str:
    return await current().hash(password)


async def verify_password(password_hash: str, password: str) -> bool:
    return await current().verify(password_hash, password)


async def dummy_hash() -> str:
    """What a password is verified against where there is no account, at the cost of a
    real one."""
    return await current().dummy_hash()
