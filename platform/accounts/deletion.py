"""Deleting one's own account (DSGVO Art. 17), and signing out everywhere.

The posts stay, shown as written by "ehemaliges Mitglied" of the authority they were
written for; everything that names or reaches the person goes: name, e-mail address,
handle, votes, follows, expertise, sessions, access tokens and pending links. The account
row stays as the pseudonym the posts and the audit log point to (its number)."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts import passwords, sessions
from fachaustausch.accounts.policy import AccountStatus, Principal
from fachaustausch.accounts.tables import AccessToken, ConfirmationLink, User, UserInstrument
from fachaustausch.accounts.throttle import LoginThrottle
from fachaustausch.consultations import personal_data as consultations_data
from fachaustausch.core import audit, clock
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.errors import InvalidInput, PermissionDenied
from fachaustausch.database.row_lock import for_update
from fachaustausch.notifications import personal_data as notifications_data
from fachaustausch.questions import forget

FORMER_MEMBER = "ehemaliges Mitglied"
WRONG_PASSWORD = "Das Passwort ist nicht richtig."  # noqa: S105 - a message


async def _confirm_password(actor: Principal, password: str, throttle: LoginThrottle) -> None:
    if actor.token_id is not None:
        raise PermissionDenied(
            "Ihr Konto löschen Sie nur nach Anmeldung mit Passwort, nicht mit einem Zugangstoken."
        )
    # Counted as failed before the check, like a sign-in: the form guesses no password.
    await throttle.attempt(actor.email)
    row = await User.select(User.password_hash).where(User.id == actor.id).first().run()
    if not row or not await passwords.verify_password(row["password_hash"], password):
        raise InvalidInput.for_field("password", WRONG_PASSWORD)
    await throttle.succeeded(actor.email)


def pseudonymous_email(user_id: int) -> str:
    # Unique like every address, and deliverable nowhere (.invalid is reserved).
    return f"geloescht-{user_id}@konto.invalid"


async def delete_account(actor: Principal, password: str, throttle: LoginThrottle) -> None:
    await _confirm_password(actor, password, throttle)
    me = actor.id
    async with database.transaction():
        row = await for_update(
            User.select(User.email, User.display_name, User.status).where(User.id == me)
        ).first()
        if row is None or row["status"] != AccountStatus.active:
            raise PermissionDenied("Dieses Konto ist nicht aktiv.")
        await forget.forget_person(me)
        await consultations_data.forget_person(me)
        await notifications_data.forget_person(me, row["display_name"], FORMER_MEMBER)
        await AccessToken.delete().where(AccessToken.user == me)
        await sessions.end_all(me)
        await ConfirmationLink.delete().where(ConfirmationLink.user == me)
        await UserInstrument.delete().where(UserInstrument.user == me)
        await _pseudonymise_audit(me, row["email"])
        await User.update(
            {
                User.display_name: FORMER_MEMBER,
                User.email: pseudonymous_email(me),
                User.handle: None,
                User.password_hash: "",
                User.show_email: False,
                User.status: AccountStatus.deleted,
                # Ends every session at once (http/security.py compares it).
                User.session_version: User.session_version + 1,
            }
        ).where(User.id == me)
        await audit.record(me, "delete_account", "user", me, after={"status": "deleted"})


async def _pseudonymise_audit(user_id: int, email: str) -> None:
    """Audit rows about the account keep its number; an e-mail address written into their
    before/after values (a registration's, say) becomes the pseudonymous one."""
    rows = await AuditLog.select(AuditLog.id, AuditLog.before, AuditLog.after).where(
        (AuditLog.target_type.is_in(["user", "registration"])) & (AuditLog.target_id == user_id)
    )
    for r in rows:
        before, after = str(r["before"]), str(r["after"])
        if email in before or email in after:
            await AuditLog.update(
                {
                    AuditLog.before: before.replace(email, pseudonymous_email(user_id)),
                    AuditLog.after: after.replace(email, pseudonymous_email(user_id)),
                }
            ).where(AuditLog.id == r["id"])


async def sign_out_everywhere(actor: Principal) -> int:
    """Ends every session of the account and revokes its access tokens. Returns the new
    session version (the caller decides whether its own session goes on)."""
    async with database.transaction():
        await AccessToken.update({AccessToken.revoked_at: clock.now()}).where(
            (AccessToken.user == actor.id) & AccessToken.revoked_at.is_null()
        )
        await sessions.end_all(actor.id)
        rows = (
            await User.update({User.session_version: User.session_version + 1})
            .where(User.id == actor.id)
            .returning(User.session_version)
        )
    return int(rows[0]["session_version"])
