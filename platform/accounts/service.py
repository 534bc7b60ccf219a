"""Account operations: registration and approval, login, profile, authorities.

One function per user action; each write is one transaction. Permission checks live here,
so the API and the HTML pages enforce the same rules."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.handles import free_handle, is_handle_collision
from fachaustausch.accounts.models import (
    AuthorityOut,
    ExpertiseOut,
    LoginInput,
    PendingRegistrationOut,
    RegistrationInput,
    UserOut,
)
from fachaustausch.accounts.policy import (
    AccountStatus,
    AuthorityKind,
    PersonAction,
    Principal,
    Role,
    check_action_on_person,
    check_role_for_authority,
    require_moderator,
)
from fachaustausch.accounts.queries import (
    PRINCIPAL_COLUMNS,
    authority_out,
    principal_by_id,
    principal_by_token,
    principal_from_row,
)
from fachaustausch.accounts.tables import Authority, User, UserInstrument
from fachaustausch.accounts.throttle import LoginThrottle, RegistrationLimit
from fachaustausch.accounts.tokens import create_token, list_tokens, revoke_token
from fachaustausch.core import audit, clock, events
from fachaustausch.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from fachaustausch.core.events import EventKind
from fachaustausch.core.ids import possible_id
from fachaustausch.notifications.mail import send_mail
from fachaustausch.settings import Settings

# The session and token reads and the token writes have modules of their own; callers
# that hold this module reach them here too.
__all__ = [
    "create_token",
    "list_tokens",
    "principal_by_id",
    "principal_by_token",
    "revoke_token",
]

# A concurrent insert of the same name can take the handle first: then the insert is retried.
HANDLE_ATTEMPTS = 10
WRONG_CREDENTIALS = "E-Mail-Adresse oder Passwort ist falsch."
# Serial ids are 32-bit in PostgreSQL; a larger number names no row and must not reach the
# driver (asyncpg refuses it, and SQLite overflows past 64 bits).


class AccountPending(DomainError):
    """The password was right, but the moderation has not approved the account yet."""

    def __init__(self) -> None:
        super().__init__(
            "Ihr Konto wartet noch auf die Freischaltung durch das BAMF. "
            "Sie erhalten eine E-Mail, sobald es freigeschaltet ist.",
            403,
            "Konto noch nicht freigeschaltet",
        )


# --- login ----------------------------------------------------------------------------------


async def authenticate(data: LoginInput, throttle: LoginThrottle) -> Principal:
    """Checks the password; the same message for unknown e-mail and wrong password. The
    attempt is counted before the password is checked (see accounts/throttle.py)."""
    await throttle.attempt(data.email)
    row = (
        await User.select(*PRINCIPAL_COLUMNS, User.password_hash)
        .where(User.email == data.email)
        .first()
        .run()
    )
    password_hash = row["password_hash"] if row else await passwords.dummy_hash()
    if not await passwords.verify_password(password_hash, data.password) or row is None:
        raise NotAuthenticated(WRONG_CREDENTIALS)
    await throttle.succeeded(data.email)
    # Only someone who knows the password learns the account's state.
    if row["status"] == AccountStatus.pending:
        raise AccountPending()
    if row["status"] == AccountStatus.suspended:
        raise DomainError(
            "Ihr Konto ist gesperrt. Bitte wenden Sie sich an die Moderation des BAMF.",
            403,
            "Konto gesperrt",
        )
    return principal_from_row(row)


# --- registration and approval ----------------------------------------------------------------


async def _authority_id(slug: str, field: str = "authority") -> int:
    row = await Authority.select(Authority.id).where(Authority.slug == slug).first().run()
    if not row:
        raise InvalidInput.for_field(field, "Diese Behörde ist nicht bekannt.")
    return int(row["id"])


def _password_errors(password: str, email: str, display_name: str) -> list[FieldError]:
    return [
        FieldError("password", message)
        for message in passwords.problems(password, related=[email, display_name])
    ]


async def register(
    data: RegistrationInput, settings: Settings, limit: RegistrationLimit, client_address: str
) -> None:
    """Creates a pending account. An e-mail that is already registered gets a notice by
    mail instead, and the caller sees the same answer either way (no enumeration). Either
    way a mail goes out, so each counts against the limits of the client and the recipient."""
    errors = _password_errors(data.password, data.email, data.display_name)
    if errors:
        raise InvalidInput(errors[0].message, errors)
    authority_id = await _authority_id(data.authority)
    await limit.count(client_address, data.email)
    password_hash = await passwords.hash_password(data.password)
    for attempt in range(HANDLE_ATTEMPTS):
        try:
            async with database.transaction():
                exists = await User.exists().where(User.email == data.email).run()
                if not exists:
                    rows = await User.insert(
                        User(
                            email=data.email,
                            display_name=data.display_name,
                            handle=await free_handle(data.display_name),
                            authority=authority_id,
                            role=Role.member,
                            status=AccountStatus.pending,
                            password_hash=password_hash,
                        )
                    ).run()
                    await events.record(EventKind.registration_created, "user", rows[0]["id"], None)
            break
        except (asyncpg.UniqueViolationError, sqlite3.IntegrityError) as error:
            if is_handle_collision(error) and attempt + 1 < HANDLE_ATTEMPTS:
                continue  # someone of the same name registered at the same moment
            # A concurrent registration of the same address won the race (the unique index
            # caught it): the same answer as for any existing account.
            exists = True
            break
    if exists:
        await send_mail(
            settings,
            data.email,
            "Erneute Registrierung",
            "Für diese E-Mail-Adresse besteht bereits ein Konto. Wenn Sie Ihr Passwort "
            f"vergessen haben, legen Sie hier ein neues fest: {settings.base_url}"
            "/passwort-vergessen",
        )
    else:
        await send_mail(
            settings,
            data.email,
            "Ihre Registrierung ist eingegangen",
            f"Guten Tag {data.display_name},\n\nIhre Registrierung ist eingegangen. "
            "Die Moderation des BAMF prüft sie; Sie erhalten eine E-Mail, sobald Ihr Konto "
            "freigeschaltet ist.",
        )


async def create_user(
    *,
    email: str,
    display_name: str,
    password: str,
    role: Role,
    authority_slug: str,
    check_password: bool = True,
) -> int:
    """An active account at once (command line and demo data)."""
    if check_password:
        errors = _password_errors(password, email, display_name)
        if errors:
            raise InvalidInput(errors[0].message, errors)
    authority = (
        await Authority.select(Authority.id, Authority.kind)
        .where(Authority.slug == authority_slug)
        .first()
        .run()
    )
    if not authority:
        raise InvalidInput.for_field("authority", "Diese Behörde ist nicht bekannt.")
    reason = check_role_for_authority(role, AuthorityKind(authority["kind"]))
    if reason:
        raise InvalidInput.for_field("role", reason)
    password_hash = await passwords.hash_password(password)
    for attempt in range(HANDLE_ATTEMPTS):
        try:
            async with database.transaction():
                if await User.exists().where(User.email == email.lower()).run():
                    raise Conflict(
                        "Für diese E-Mail-Adresse besteht bereits ein Konto.",
                        [FieldError("email", "Diese E-Mail-Adresse ist bereits registriert.")],
                    )
                rows = await User.insert(
                    User(
                        email=email.lower(),
                        display_name=display_name,
                        handle=await free_handle(display_name),
                        authority=authority["id"],
                        role=role,
                        status=AccountStatus.active,
                        password_hash=password_hash,
                        approved_at=clock.now(),
                    )
                ).run()
            return int(rows[0]["id"])
        except (asyncpg.UniqueViolationError, sqlite3.IntegrityError) as error:
            if not is_handle_collision(error) or attempt + 1 == HANDLE_ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


async def pending_registrations(actor: Principal) -> list[PendingRegistrationOut]:
    require_moderator(actor)
    rows = (
        await User.select(
            User.id,
            User.email,
            User.display_name,
            User.created_at,
            *_authority_columns(User.authority, "authority_"),
        )
        .where(User.status == AccountStatus.pending)
        .order_by(User.created_at)
        .run()
    )
    return [
        PendingRegistrationOut(
            id=r["id"],
            email=r["email"],
            display_name=r["display_name"],
            authority=authority_out(r, "authority_"),
            created_at=r["created_at"],
        )
        for r in rows
    ]


def _authority_columns(fk: Any, prefix: str) -> tuple[Any, ...]:
    return (
        fk.slug.as_alias(f"{prefix}slug"),
        fk.name.as_alias(f"{prefix}name"),
        fk.kind.as_alias(f"{prefix}kind"),
        fk.land.as_alias(f"{prefix}land"),
    )


async def _pending_user(actor: Principal, action: PersonAction, user_id: int) -> dict[str, Any]:
    if not possible_id(user_id):
        raise NotFound("Diese Registrierung gibt es nicht.")
    row = (
        await User.select(User.id, User.email, User.display_name, User.status, User.role)
        .where(User.id == user_id)
        .first()
        .run()
    )
    if not row:
        raise NotFound("Diese Registrierung gibt es nicht.")
    if row["status"] != AccountStatus.pending:
        raise Conflict("Diese Registrierung wurde bereits bearbeitet.")
    check_action_on_person(actor, action, user_id, Role(row["role"]))
    return row


async def approve_registration(actor: Principal, user_id: int, settings: Settings) -> None:
    require_moderator(actor)
    async with database.transaction():
        user = await _pending_user(actor, PersonAction.approve, user_id)
        await (
            User.update({User.status: AccountStatus.active, User.approved_at: clock.now()})
            .where(User.id == user_id)
            .run()
        )
        await audit.record(
            actor.id,
            "approve",
            "registration",
            user_id,
            before={"status": "pending"},
            after={"status": "active", "email": user["email"]},
        )
        await events.record(EventKind.registration_approved, "user", user_id, actor.id)
    await send_mail(
        settings,
        user["email"],
        "Ihr Konto ist freigeschaltet",
        f"Guten Tag {user['display_name']},\n\nIhr Konto für den Fachaustausch "
        f"Willkommensbehörden ist freigeschaltet. Sie können sich jetzt anmelden: "
        f"{settings.base_url}/anmelden",
    )


async def reject_registration(
    actor: Principal, user_id: int, reason: str, settings: Settings
) -> None:
    """A rejected registration is deleted: it never held content, so nothing is kept."""
    require_moderator(actor)
    async with database.transaction():
        user = await _pending_user(actor, PersonAction.reject, user_id)
        await User.delete().where(User.id == user_id).run()
        await audit.record(
            actor.id,
            "reject",
            "registration",
            user_id,
            reason=reason,
            before={"status": "pending", "email": user["email"]},
            after={"status": "deleted"},
        )
    body = "Ihre Registrierung für den Fachaustausch Willkommensbehörden wurde abgelehnt."
    if reason:
        body += f"\n\nBegründung: {reason}"
    await send_mail(settings, user["email"], "Ihre Registrierung wurde abgelehnt", body)


# --- profile ------------------------------------------------------------------------------


async def profile(actor: Principal) -> UserOut:
    row = (
        await User.select(
            User.id,
            User.email,
            User.display_name,
            User.handle,
            User.show_email,
            User.role,
            User.status,
            User.created_at,
            *_authority_columns(User.authority, "authority_"),
        )
        .where(User.id == actor.id)
        .first()
        .run()
    )
    if not row:
        raise NotFound("Dieses Konto gibt es nicht mehr.")
    expertise = (
        await UserInstrument.select(
            UserInstrument.instrument.slug.as_alias("slug"),
            UserInstrument.instrument.title.as_alias("title"),
        )
        .where(UserInstrument.user == actor.id)
        .order_by(UserInstrument.instrument.title)
        .run()
    )
    role = Role(row["role"])
    return UserOut(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        handle=row["handle"],
        show_email=row["show_email"],
        role=role,
        role_label=role.label,
        status=AccountStatus(row["status"]),
        authority=authority_out(row, "authority_"),
        expertise=[ExpertiseOut(**e) for e in expertise],
        created_at=row["created_at"],
    )


# --- access tokens -------------------------------------------------------------------------


async def list_authorities(
    kind: AuthorityKind | None = None, land: str | None = None
) -> list[AuthorityOut]:
    query = Authority.select(
        Authority.slug, Authority.name, Authority.kind, Authority.land
    ).order_by(Authority.name)
    if kind is not None:
        query = query.where(Authority.kind == kind)
    if land:
        query = query.where(Authority.land == land)
    return [authority_out(r) for r in await query.run()]
