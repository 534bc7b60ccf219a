"""Account operations: registration and approval, login, access tokens, authorities.

One function per user action; each write is one transaction. Permission checks live here,
so the API and the HTML pages enforce the same rules."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import timedelta
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.handles import free_handle, is_handle_collision
from fachaustausch.accounts.models import (
    AuthorityOut,
    CreatedTokenOut,
    ExpertiseOut,
    LoginInput,
    PendingRegistrationOut,
    RegistrationInput,
    TokenOut,
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
from fachaustausch.accounts.tables import AccessToken, Authority, User, UserInstrument
from fachaustausch.accounts.throttle import LoginThrottle, RegistrationLimit
from fachaustausch.core import audit, clock, events
from fachaustausch.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from fachaustausch.core.events import EventKind
from fachaustausch.core.ids import possible_id
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, Prepared
from fachaustausch.notifications.mail import send_mail
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.settings import Settings

# A concurrent insert of the same name can take the handle first: then the insert is retried.
HANDLE_ATTEMPTS = 10
TOKEN_PREFIX = "fa_"  # noqa: S105 - a marker, not a secret
# Writing last_used_at on every API call would turn reads into writes, and every write
# empties the read caches for everyone (fachaustausch.database.read_cache): to the quarter hour.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=15)
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


_PRINCIPAL_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.status,
    User.authority.id.as_alias("authority_id"),
    User.authority.slug.as_alias("authority_slug"),
    User.authority.name.as_alias("authority_name"),
    User.authority.kind.as_alias("authority_kind"),
    User.session_version,
)


def _principal(row: dict[str, Any], token_id: int | None = None) -> Principal:
    return Principal(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        authority_id=row["authority_id"],
        authority_slug=row["authority_slug"],
        authority_name=row["authority_name"],
        authority_kind=AuthorityKind(row["authority_kind"]),
        token_id=token_id,
        session_version=row.get("session_version", 0),
    )


def _authority(row: dict[str, Any], prefix: str = "") -> AuthorityOut:
    kind = AuthorityKind(row[f"{prefix}kind"])
    return AuthorityOut(
        slug=row[f"{prefix}slug"],
        name=row[f"{prefix}name"],
        kind=kind,
        kind_label=kind.label,
        land=row[f"{prefix}land"],
    )


# --- who is asking --------------------------------------------------------------------------


async def principal_by_id(user_id: int) -> Principal | None:
    """The active user behind a session, or None (unknown, pending or suspended)."""
    row = await read_cache.accounts(
        ("user", user_id), lambda: _PRINCIPAL_BY_ID.first(user_id=user_id)
    )
    return _principal(row) if row else None


# Both run on every request: built once (see fachaustausch.database.prepared).
_PRINCIPAL_BY_ID = Prepared(
    lambda: (
        User.select(*_PRINCIPAL_COLUMNS)
        .where((User.id == Param("user_id")) & (User.status == AccountStatus.active))
        .limit(1)
    )
)


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def principal_by_token(secret: str) -> Principal | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token_hash = _hash_token(secret)
    # A revoked token or a suspended account is a commit, which empties the cache.
    row = await read_cache.accounts(
        ("token", token_hash), lambda: _PRINCIPAL_BY_TOKEN.first(token_hash=token_hash)
    )
    if not row:
        return None
    last_used = row["last_used_at"]
    if last_used is None or clock.now() - last_used > TOKEN_TOUCH_INTERVAL:
        await (
            AccessToken.update({AccessToken.last_used_at: clock.now()})
            .where(AccessToken.id == row["token_id"])
            .run()
        )
    return _principal(row, token_id=row["token_id"])


def _principal_columns_via_token() -> tuple[Any, ...]:
    u = AccessToken.user
    authority: Any = u.authority  # Piccolo types a two-step join loosely
    return (
        u.id.as_alias("id"),
        u.email.as_alias("email"),
        u.display_name.as_alias("display_name"),
        u.role.as_alias("role"),
        authority.id.as_alias("authority_id"),
        authority.slug.as_alias("authority_slug"),
        authority.name.as_alias("authority_name"),
        authority.kind.as_alias("authority_kind"),
    )


_PRINCIPAL_BY_TOKEN = Prepared(
    lambda: (
        AccessToken.select(
            AccessToken.id.as_alias("token_id"),
            AccessToken.last_used_at,
            *_principal_columns_via_token(),
        )
        .where(
            (AccessToken.token_hash == Param("token_hash"))
            & AccessToken.revoked_at.is_null()
            & (AccessToken.user.status == AccountStatus.active)
        )
        .limit(1)
    )
)


# --- login ----------------------------------------------------------------------------------


async def authenticate(data: LoginInput, throttle: LoginThrottle) -> Principal:
    """Checks the password; the same message for unknown e-mail and wrong password. The
    attempt is counted before the password is checked (see accounts/throttle.py)."""
    await throttle.attempt(data.email)
    row = (
        await User.select(*_PRINCIPAL_COLUMNS, User.password_hash)
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
    return _principal(row)


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
            authority=_authority(r, "authority_"),
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
        role=role,
        role_label=role.label,
        status=AccountStatus(row["status"]),
        authority=_authority(row, "authority_"),
        expertise=[ExpertiseOut(**e) for e in expertise],
        created_at=row["created_at"],
    )


# --- access tokens -------------------------------------------------------------------------

MAX_TOKENS_PER_USER = 20


async def list_tokens(actor: Principal) -> list[TokenOut]:
    rows = (
        await AccessToken.select(
            AccessToken.id,
            AccessToken.name,
            AccessToken.prefix,
            AccessToken.created_at,
            AccessToken.last_used_at,
        )
        .where((AccessToken.user == actor.id) & AccessToken.revoked_at.is_null())
        .order_by(AccessToken.created_at, ascending=False)
        .run()
    )
    return [TokenOut(**r) for r in rows]


async def create_token(actor: Principal, name: str) -> CreatedTokenOut:
    if actor.token_id is not None:
        raise PermissionDenied(
            "Zugangstoken können nur nach Anmeldung mit Passwort erstellt werden, "
            "nicht mit einem anderen Token."
        )
    ensure_anonymous({"name": name})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with database.transaction():
        count = (
            await AccessToken.count()
            .where((AccessToken.user == actor.id) & AccessToken.revoked_at.is_null())
            .run()
        )
        if count >= MAX_TOKENS_PER_USER:
            raise Conflict(
                f"Sie haben bereits {MAX_TOKENS_PER_USER} Zugangstoken. "
                "Bitte widerrufen Sie zuerst ein nicht mehr benötigtes."
            )
        rows = (
            await AccessToken.insert(
                AccessToken(
                    user=actor.id,
                    name=name,
                    token_hash=_hash_token(secret),
                    prefix=secret[:10],
                )
            )
            .returning(AccessToken.id, AccessToken.created_at)
            .run()
        )
    return CreatedTokenOut(
        id=rows[0]["id"],
        name=name,
        prefix=secret[:10],
        created_at=rows[0]["created_at"],
        last_used_at=None,
        token=secret,
    )


async def revoke_token(actor: Principal, token_id: int) -> None:
    if not possible_id(token_id):
        raise NotFound("Dieses Zugangstoken gibt es nicht.")
    async with database.transaction():
        updated = (
            await AccessToken.update({AccessToken.revoked_at: clock.now()})
            .where(
                (AccessToken.id == token_id)
                & (AccessToken.user == actor.id)
                & AccessToken.revoked_at.is_null()
            )
            .returning(AccessToken.id)
            .run()
        )
    if not updated:
        # Someone else's token answers the same as a missing one.
        raise NotFound("Dieses Zugangstoken gibt es nicht.")


# --- authorities -------------------------------------------------------------------------------


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
    return [_authority(r) for r in await query.run()]
