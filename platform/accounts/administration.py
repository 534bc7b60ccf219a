"""Administration of members' accounts: status, role and expertise.

The accounts domain's writes that moderation (and the toolbox's merge) dispatch to: the
caller decides whether the change is allowed, these functions keep the account's own
invariants and change the rows. Each runs in `database.transaction()`, which joins a
transaction the caller has open (a nested one only joins the outer one), so the caller's
checks, this write and the caller's audit row commit together, or none of them."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch import database
from fachaustausch.accounts import sessions
from fachaustausch.accounts.policy import (
    AccountStatus,
    AuthorityKind,
    Role,
    check_role_for_authority,
)
from fachaustausch.accounts.tables import User, UserInstrument
from fachaustausch.core.errors import InvalidInput
from fachaustausch.core.ids import possible_id
from fachaustausch.database.links import move_links
from fachaustausch.database.row_lock import for_update
from fachaustausch.toolbox.tables import Instrument


@dataclass(frozen=True)
class Person:
    """An account as the administration's checks see it."""

    id: int
    status: AccountStatus
    role: Role
    # Slugs of the instruments an expert covers, sorted.
    expertise: list[str]


async def person_for_update(user_id: int) -> Person | None:
    """The account, locked until the caller's transaction ends (database.row_lock); None
    if there is none. Call it inside the transaction that acts on the account."""
    if not possible_id(user_id):
        return None
    row = (
        await for_update(User.select(User.id, User.status, User.role).where(User.id == user_id))
        .first()
        .run()
    )
    if not row:
        return None
    return Person(
        id=row["id"],
        status=AccountStatus(row["status"]),
        role=Role(row["role"]),
        expertise=await _expertise(user_id),
    )


async def _expertise(user_id: int) -> list[str]:
    return sorted(
        await UserInstrument.select(UserInstrument.instrument.slug.as_alias("slug"))
        .where(UserInstrument.user == user_id)
        .output(as_list=True)
        .run()
    )


async def set_status(user_id: int, status: AccountStatus) -> None:
    """Activates, suspends or reactivates the account; its posts stay. A suspension ends
    its sessions: a reactivation does not bring them back."""
    async with database.transaction():
        await User.update({User.status: status}).where(User.id == user_id).run()
        if status is AccountStatus.suspended:
            await sessions.end_all(user_id)


async def set_role(user_id: int, role: Role, instrument_slugs: list[str] | None) -> list[str]:
    """Gives the account `role` and, for an expert, the expertise `instrument_slugs` (None
    keeps what it has). Only experts have expertise; experts belong to a model authority
    and moderators to the BAMF. Unknown instruments are refused. Returns the expertise the
    account has now (sorted slugs)."""
    async with database.transaction():
        row = (
            await User.select(User.authority.kind.as_alias("kind"))
            .where(User.id == user_id)
            .first()
            .run()
        )
        problem = check_role_for_authority(role, AuthorityKind(row["kind"])) if row else None
        if problem:
            raise InvalidInput.for_field("role", problem)
        if role is not Role.expert:
            expertise: list[str] = []
        elif instrument_slugs is None:
            expertise = await _expertise(user_id)
        else:
            expertise = sorted(set(instrument_slugs))
        ids = await _instrument_ids(expertise)
        unknown = sorted(set(expertise) - set(ids))
        if unknown:
            raise InvalidInput.for_field("expertise", f"Unbekanntes Instrument: {unknown[0]}")
        await User.update({User.role: role}).where(User.id == user_id).run()
        await _replace_expertise(user_id, list(ids.values()))
    return expertise


async def set_expertise(user_id: int, instrument_slugs: list[str]) -> None:
    """The instruments an expert covers (demo data and tests; unknown slugs are skipped)."""
    async with database.transaction():
        ids = await _instrument_ids(instrument_slugs)
        await _replace_expertise(user_id, list(ids.values()))


async def move_expertise(source_instrument_id: int, target_instrument_id: int) -> list[int]:
    """An instrument merged into another: its experts cover the target. Returns their ids."""
    async with database.transaction():
        return await move_links(
            UserInstrument,
            UserInstrument.user,
            UserInstrument.instrument,
            source_instrument_id,
            target_instrument_id,
        )


async def _instrument_ids(slugs: list[str]) -> dict[str, int]:
    if not slugs:
        return {}
    rows = (
        await Instrument.select(Instrument.id, Instrument.slug)
        .where(Instrument.slug.is_in(slugs))
        .run()
    )
    return {r["slug"]: r["id"] for r in rows}


async def _replace_expertise(user_id: int, instrument_ids: list[int]) -> None:
    await UserInstrument.delete().where(UserInstrument.user == user_id).run()
    if instrument_ids:
        await UserInstrument.insert(
            *(UserInstrument(user=user_id, instrument=i) for i in instrument_ids)
        ).run()
