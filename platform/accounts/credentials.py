"""Passwords and e-mail addresses after registration: reset by e-mail, change in the
profile, and a new address confirmed from its own mailbox.

A reset or change counts the account's session_version up, which ends every session
signed in before (security.py); the caller starts its own session anew. Links travel by
e-mail as a secret of which only the SHA-256 is stored; each works once and for an hour.
The functions return the mails to send: the caller sends them after answering, so a reset
for an unknown address takes as long as one for a known one."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.policy import AccountStatus, Principal
from fachaustausch.accounts.tables import ConfirmationLink, User
from fachaustausch.accounts.throttle import LoginThrottle
from fachaustausch.core.errors import FieldError, InvalidInput, PermissionDenied
from fachaustausch.notifications.mail import Mail
from fachaustausch.settings import Settings

LINK_LIFETIME = timedelta(hours=1)
# Mails of one kind one address gets within LINK_LIFETIME; further requests send none (and
# answer the same), so the form cannot flood a mailbox.
MAILS_PER_ADDRESS = 3
PASSWORD_RESET = "password_reset"  # noqa: S105 - a link purpose, not a secret
EMAIL_CHANGE = "email_change"
RESET_PATH = "/passwort-zuruecksetzen"
CONFIRM_EMAIL_PATH = "/email-bestaetigen"
INVALID_LINK = (
    "Dieser Link ist ungültig, abgelaufen oder wurde schon benutzt. "
    "Bitte fordern Sie einen neuen an."
)
SIGN_OFF = "\n\nIhr Team des Fachaustauschs Willkommensbehörden"


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _field(name: str, message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError(name, message)])


async def _new_link(user_id: int, purpose: str, new_email: str = "") -> str | None:
    """A fresh link's secret (earlier unused ones of the purpose stop working), or None
    when the address had its share of mails this hour."""
    secret = secrets.token_urlsafe(32)
    now = _now()
    async with database.transaction():
        recent = (
            await ConfirmationLink.count()
            .where(
                (ConfirmationLink.user == user_id)
                & (ConfirmationLink.purpose == purpose)
                & (ConfirmationLink.created_at > now - LINK_LIFETIME)
            )
            .run()
        )
        if recent >= MAILS_PER_ADDRESS:
            return None
        # Only the newest link works; rows older than a day have served their count.
        await (
            ConfirmationLink.update({ConfirmationLink.used_at: now})
            .where(
                (ConfirmationLink.user == user_id)
                & (ConfirmationLink.purpose == purpose)
                & ConfirmationLink.used_at.is_null()
            )
            .run()
        )
        await (
            ConfirmationLink.delete()
            .where(
                (ConfirmationLink.user == user_id)
                & (ConfirmationLink.created_at < now - timedelta(days=1))
            )
            .run()
        )
        await ConfirmationLink.insert(
            ConfirmationLink(
                user=user_id,
                purpose=purpose,
                token_hash=_hash(secret),
                new_email=new_email,
                created_at=now,
                expires_at=now + LINK_LIFETIME,
            )
        ).run()
    return secret


async def _valid_link(secret: str, purpose: str) -> dict[str, Any]:
    if not secret or len(secret) > 200:
        raise _field("token", INVALID_LINK)
    row = (
        await ConfirmationLink.select(
            ConfirmationLink.id,
            ConfirmationLink.new_email,
            ConfirmationLink.user.id.as_alias("user_id"),
            ConfirmationLink.user.email.as_alias("email"),
            ConfirmationLink.user.display_name.as_alias("display_name"),
            ConfirmationLink.user.status.as_alias("status"),
        )
        .where(
            (ConfirmationLink.token_hash == _hash(secret))
            & (ConfirmationLink.purpose == purpose)
            & ConfirmationLink.used_at.is_null()
            & (ConfirmationLink.expires_at > _now())
        )
        .first()
        .run()
    )
    if not row or row["status"] == AccountStatus.suspended:
        raise _field("token", INVALID_LINK)
    return dict(row)


async def _use(link_id: int) -> None:
    """Marks the link used, inside the caller's transaction; a second use (two tabs at
    once) finds it used and fails."""
    used = (
        await ConfirmationLink.update({ConfirmationLink.used_at: _now()})
        .where((ConfirmationLink.id == link_id) & ConfirmationLink.used_at.is_null())
        .returning(ConfirmationLink.id)
        .run()
    )
    if not used:
        raise _field("token", INVALID_LINK)


def _check_new_password(name: str, password: str, email: str, display_name: str) -> None:
    problems = passwords.problems(password, related=[email, display_name])
    if problems:
        raise _field(name, problems[0])


async def _set_password(user_id: int, password_hash: str) -> int:
    """Stores the hash and counts the session version up; returns the new version."""
    rows = (
        await User.update(
            {User.password_hash: password_hash, User.session_version: User.session_version + 1}
        )
        .where(User.id == user_id)
        .returning(User.session_version)
        .run()
    )
    return int(rows[0]["session_version"])


def _changed_mail(email: str, display_name: str, settings: Settings) -> Mail:
    return Mail(
        email,
        "Ihr Passwort wurde geändert",
        f"Guten Tag {display_name},\n\nIhr Passwort für den Fachaustausch "
        "Willkommensbehörden wurde soeben geändert. Alle anderen Anmeldungen mit Ihrem Konto "
        "sind damit beendet.\n\nWaren Sie das nicht? Dann setzen Sie Ihr Passwort sofort "
        f"zurück ({settings.base_url}/passwort-vergessen) und informieren Sie die Moderation "
        f"des BAMF.{SIGN_OFF}",
    )


# --- reset by e-mail --------------------------------------------------------------------------


async def request_password_reset(email: str, settings: Settings) -> list[Mail]:
    """The reset mail for an account with this address, or nothing; the caller answers the
    same either way (no one learns whether an address has an account)."""
    row = (
        await User.select(User.id, User.display_name, User.status)
        .where(User.email == email)
        .first()
        .run()
    )
    if not row or row["status"] == AccountStatus.suspended:
        return []
    secret = await _new_link(row["id"], PASSWORD_RESET)
    if secret is None:
        return []
    return [
        Mail(
            email,
            "Neues Passwort für den Fachaustausch",
            f"Guten Tag {row['display_name']},\n\nfür Ihr Konto im Fachaustausch "
            "Willkommensbehörden wurde ein neues Passwort angefordert. Mit diesem Link legen "
            "Sie es fest; er gilt eine Stunde und nur einmal:\n\n"
            f"{settings.base_url}{RESET_PATH}?token={secret}\n\n"
            "Haben Sie kein neues Passwort angefordert? Dann können Sie diese E-Mail "
            f"ignorieren; Ihr Passwort bleibt, wie es ist.{SIGN_OFF}",
        )
    ]


async def check_reset_link(secret: str) -> None:
    """Refuses (InvalidInput on `token`) a link that cannot set a password any more."""
    await _valid_link(secret, PASSWORD_RESET)


async def reset_password(
    secret: str, password: str, throttle: LoginThrottle, settings: Settings
) -> list[Mail]:
    """Sets the password the link was sent for; every session of the account ends."""
    link = await _valid_link(secret, PASSWORD_RESET)
    _check_new_password("password", password, link["email"], link["display_name"])
    password_hash = await passwords.hash_password(password)
    async with database.transaction():
        await _use(link["id"])
        await _set_password(link["user_id"], password_hash)
    # The mailbox proved who this is: earlier failed sign-ins no longer hold the account.
    await throttle.succeeded(link["email"])
    return [_changed_mail(link["email"], link["display_name"], settings)]


# --- change in the profile ------------------------------------------------------------------


async def _verify_current(
    actor: Principal, current_password: str, throttle: LoginThrottle
) -> dict[str, Any]:
    """The actor's account after checking the password they typed (counted like a sign-in,
    so the form cannot be used to guess it)."""
    if actor.token_id is not None:
        raise PermissionDenied(
            "Passwort und E-Mail-Adresse ändern Sie nur nach Anmeldung mit Passwort, "
            "nicht mit einem Zugangstoken."
        )
    # Counted as failed before the check, like a sign-in (accounts/throttle.py).
    await throttle.attempt(actor.email)
    row = (
        await User.select(User.id, User.email, User.display_name, User.password_hash)
        .where(User.id == actor.id)
        .first()
        .run()
    )
    if not row or not await passwords.verify_password(row["password_hash"], current_password):
        raise _field("current_password", "Das aktuelle Passwort ist nicht richtig.")
    await throttle.succeeded(actor.email)
    return dict(row)


async def change_password(
    actor: Principal,
    current_password: str,
    new_password: str,
    throttle: LoginThrottle,
    settings: Settings,
) -> tuple[int, list[Mail]]:
    """Sets a new password; every session of the account ends. Returns the new session
    version (the caller's own session starts anew with it) and the mail to send."""
    row = await _verify_current(actor, current_password, throttle)
    if new_password == current_password:
        raise _field("new_password", "Das neue Passwort muss sich vom bisherigen unterscheiden.")
    _check_new_password("new_password", new_password, row["email"], row["display_name"])
    password_hash = await passwords.hash_password(new_password)
    async with database.transaction():
        version = await _set_password(actor.id, password_hash)
    return version, [_changed_mail(row["email"], row["display_name"], settings)]


async def request_email_change(
    actor: Principal,
    new_email: str,
    current_password: str,
    throttle: LoginThrottle,
    settings: Settings,
) -> list[Mail]:
    """A confirmation link to the new address (the address changes when it is used) and a
    note to the old one. An address that has an account already gets a notice instead of
    a link, and the caller answers the same: the form reveals no one's address."""
    row = await _verify_current(actor, current_password, throttle)
    if new_email == row["email"]:
        raise _field("email", "Das ist bereits Ihre E-Mail-Adresse.")
    if await User.exists().where(User.email == new_email).run():
        return [
            Mail(
                new_email,
                "Änderung der E-Mail-Adresse nicht möglich",
                "Jemand wollte diese E-Mail-Adresse für ein Konto im Fachaustausch "
                "Willkommensbehörden eintragen. Für diese Adresse besteht bereits ein Konto; "
                f"sie wurde deshalb nicht übernommen.{SIGN_OFF}",
            )
        ]
    secret = await _new_link(actor.id, EMAIL_CHANGE, new_email)
    if secret is None:
        return []
    return [
        Mail(
            new_email,
            "Neue E-Mail-Adresse bestätigen",
            f"Guten Tag {row['display_name']},\n\nbitte bestätigen Sie, dass Sie den "
            "Fachaustausch Willkommensbehörden künftig mit dieser E-Mail-Adresse nutzen. Der "
            "Link gilt eine Stunde und nur einmal:\n\n"
            f"{settings.base_url}{CONFIRM_EMAIL_PATH}?token={secret}\n\n"
            f"Bis dahin bleibt Ihre bisherige Adresse eingetragen.{SIGN_OFF}",
        ),
        Mail(
            row["email"],
            "Ihre E-Mail-Adresse soll geändert werden",
            f"Guten Tag {row['display_name']},\n\nfür Ihr Konto wurde die neue E-Mail-Adresse "
            f"{new_email} angegeben. Sie gilt, sobald sie über den Link in der E-Mail an sie "
            "bestätigt ist. Waren Sie das nicht? Dann ändern Sie bitte Ihr Passwort und "
            f"informieren Sie die Moderation des BAMF.{SIGN_OFF}",
        ),
    ]


async def check_email_link(secret: str) -> str:
    """The new address a confirmation link would set (InvalidInput on `token` if none)."""
    return str((await _valid_link(secret, EMAIL_CHANGE))["new_email"])


async def confirm_email_change(secret: str) -> str:
    """Sets the address the link was sent to; returns it."""
    link = await _valid_link(secret, EMAIL_CHANGE)
    taken = _field(
        "token",
        "Für diese E-Mail-Adresse besteht inzwischen ein anderes Konto; "
        "sie kann nicht übernommen werden.",
    )
    try:
        async with database.transaction():
            await _use(link["id"])
            if await User.exists().where(User.email == link["new_email"]).run():
                raise taken
            await (
                User.update({User.email: link["new_email"]}).where(User.id == link["user_id"]).run()
            )
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # Another account took the address in the same moment (the unique index).
        raise taken from None
    return str(link["new_email"])
