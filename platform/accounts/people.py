"""The people and authority directories: who is there, what they are expert for, and
what they contributed. Reads only; every signed-in person may read them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fachaustausch import database
from fachaustausch.accounts.models import AuthorityOut, ExpertiseOut
from fachaustausch.accounts.partners import PARTNERS, partners_of
from fachaustausch.accounts.people_models import (
    AuthorityProfileOut,
    ExpertOut,
    PeoplePage,
    PersonOut,
    PersonProfileOut,
    PostRefOut,
)
from fachaustausch.accounts.policy import AccountStatus, AuthorityKind, Principal, Role
from fachaustausch.accounts.tables import Authority, User, UserInstrument
from fachaustausch.core.errors import NotFound
from fachaustausch.questions import by_person
from fachaustausch.toolbox.tables import Instrument, InstrumentOrigin

PAGE_SIZE = 20
PERSON_NOT_FOUND = "Diese Person gibt es nicht (mehr)."
AUTHORITY_NOT_FOUND = "Diese Behörde ist nicht bekannt."

_PERSON_COLUMNS = (
    User.id,
    User.handle,
    User.display_name,
    User.role,
    User.status,
    User.email,
    User.show_email,
    User.authority.id.as_alias("authority_id"),
    User.authority.slug.as_alias("authority_slug"),
    User.authority.name.as_alias("authority_name"),
    User.authority.kind.as_alias("authority_kind"),
    User.authority.land.as_alias("authority_land"),
)


def authority_out(row: dict[str, Any], prefix: str = "") -> AuthorityOut:
    kind = AuthorityKind(row[f"{prefix}kind"])
    return AuthorityOut(
        slug=row[f"{prefix}slug"],
        name=row[f"{prefix}name"],
        kind=kind,
        kind_label=kind.label,
        land=row[f"{prefix}land"],
    )


async def expertise_of(user_ids: list[int]) -> dict[int, list[ExpertiseOut]]:
    if not user_ids:
        return {}
    rows = (
        await UserInstrument.select(
            UserInstrument.user,
            UserInstrument.instrument.slug.as_alias("slug"),
            UserInstrument.instrument.title.as_alias("title"),
        )
        .where(UserInstrument.user.is_in(user_ids))
        .order_by(UserInstrument.instrument.title)
        .run()
    )
    found: dict[int, list[ExpertiseOut]] = defaultdict(list)
    for r in rows:
        found[r["user"]].append(ExpertiseOut(slug=r["slug"], title=r["title"]))
    return found


def _person(row: dict[str, Any], instruments: list[ExpertiseOut]) -> PersonOut:
    role = Role(row["role"])
    return PersonOut(
        handle=row["handle"],
        display_name=row["display_name"],
        authority=authority_out(row, "authority_"),
        role=role,
        role_label=role.label,
        instruments=instruments,
    )


def _like(text: str) -> str:
    # The typed text is matched literally: LIKE's wildcards are dropped, not interpreted.
    return "%" + text.replace("%", "").replace("_", "").lower() + "%"


def _insensitive(column: Any, pattern: str) -> Any:
    # SQLite's LIKE ignores case already (and knows no ILIKE); PostgreSQL's does not.
    if database.current().engine.engine_type == "postgres":
        return column.ilike(pattern)
    return column.like(pattern)


async def search_people(
    *,
    q: str | None = None,
    authority: str | None = None,
    land: str | None = None,
    instrument: str | None = None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> PeoplePage:
    """Active people by handle; `q` matches the name, the handle or the authority's name."""
    where: Any = User.status == AccountStatus.active
    if q and q.strip():
        pattern = _like(q.strip())
        where &= (
            _insensitive(User.display_name, pattern)
            | _insensitive(User.handle, pattern)
            | _insensitive(User.authority.name, pattern)
        )
    if authority:
        where &= User.authority.slug == authority
    if land:
        where &= User.authority.land == land
    if instrument:
        experts = (
            await UserInstrument.select(UserInstrument.user)
            .where(UserInstrument.instrument.slug == instrument)
            .output(as_list=True)
            .run()
        )
        where &= User.id.is_in(experts or [0])
    if after:
        where &= User.handle > after
    rows = (
        await User.select(*_PERSON_COLUMNS)
        .where(where)
        .order_by(User.handle)
        .limit(limit + 1)
        .run()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    expertise = await expertise_of([r["id"] for r in rows])
    return PeoplePage(
        items=[_person(r, expertise.get(r["id"], [])) for r in rows],
        next_cursor=rows[-1]["handle"] if more and rows else None,
    )


def _refs(links: tuple[by_person.PostLink, ...]) -> list[PostRefOut]:
    return [
        PostRefOut(question_id=p.question_id, answer_id=p.answer_id, title=p.title, url=p.url)
        for p in links
    ]


async def person_row(handle: str, viewer: Principal) -> dict[str, Any]:
    """The person's row; people who are not active exist only for moderators."""
    row = await User.select(*_PERSON_COLUMNS).where(User.handle == handle).first().run()
    if row is None or (row["status"] != AccountStatus.active and not viewer.is_moderator):
        raise NotFound(PERSON_NOT_FOUND)
    return row


async def get_person(viewer: Principal, handle: str) -> PersonProfileOut:
    row = await person_row(handle, viewer)
    expertise = await expertise_of([row["id"]])
    posts = await by_person.of_person(row["id"])
    person = _person(row, expertise.get(row["id"], []))
    return PersonProfileOut(
        **person.model_dump(),
        email=row["email"] if row["show_email"] or row["id"] == viewer.id else None,
        status=AccountStatus(row["status"]) if viewer.is_moderator else None,
        question_count=posts.question_count,
        answer_count=posts.answer_count,
        questions=_refs(posts.questions),
        answers=_refs(posts.answers),
    )


async def handle_of(user_id: int) -> str:
    """The handle of an active person by account number (author lines link through it)."""
    row = (
        await User.select(User.handle)
        .where((User.id == user_id) & (User.status == AccountStatus.active))
        .first()
        .run()
    )
    if row is None or not row["handle"]:
        raise NotFound(PERSON_NOT_FOUND)
    return str(row["handle"])


# --- authorities ------------------------------------------------------------------------------

_AUTHORITY_COLUMNS = (Authority.id, Authority.slug, Authority.name, Authority.kind, Authority.land)


async def authority_profile(slug: str) -> AuthorityProfileOut:
    row = await Authority.select(*_AUTHORITY_COLUMNS).where(Authority.slug == slug).first().run()
    if row is None:
        raise NotFound(AUTHORITY_NOT_FOUND)
    partner_slugs = partners_of(slug)
    partners = (
        await Authority.select(*_AUTHORITY_COLUMNS)
        .where(Authority.slug.is_in(partner_slugs))
        .order_by(Authority.name)
        .run()
        if partner_slugs
        else []
    )
    members = (
        await User.select(User.id, User.handle, User.display_name)
        .where((User.authority == row["id"]) & (User.status == AccountStatus.active))
        .order_by(User.handle)
        .run()
    )
    expertise = await expertise_of([m["id"] for m in members])
    origins = (
        await InstrumentOrigin.select(
            InstrumentOrigin.instrument.slug.as_alias("slug"),
            InstrumentOrigin.instrument.title.as_alias("title"),
        )
        .where(InstrumentOrigin.authority == row["id"])
        .order_by(InstrumentOrigin.instrument.title)
        .run()
    )
    posts = await by_person.of_authority(row["id"])
    return AuthorityProfileOut(
        **authority_out(row).model_dump(),
        partners=[authority_out(p) for p in partners],
        experts=[
            ExpertOut(
                handle=m["handle"], display_name=m["display_name"], instruments=expertise[m["id"]]
            )
            for m in members
            if expertise.get(m["id"])
        ],
        member_count=len(members),
        instruments=[ExpertiseOut(**o) for o in origins],
        question_count=posts.question_count,
        answer_count=posts.answer_count,
        questions=_refs(posts.questions),
    )


async def network() -> tuple[list[AuthorityOut], tuple[tuple[str, str], ...], dict[str, int]]:
    """The authorities on the network map: the model sites, partner authorities and the
    BAMF, and every other authority that has active members; the partner pairs; and how
    many active members each has."""
    # One statement: the map is on the start page, and a page's query count stays flat.
    rows = await Authority.raw(
        "SELECT a.id, a.slug, a.name, a.kind, a.land, "
        "(SELECT COUNT(*) FROM app_user u WHERE u.authority = a.id AND u.status = {}) "
        "AS members FROM authority a ORDER BY a.name",
        AccountStatus.active.value,
    ).run()
    counts = {r["slug"]: int(r["members"]) for r in rows if r["members"]}
    shown = [
        authority_out(r)
        for r in rows
        if r["kind"] != AuthorityKind.member or counts.get(r["slug"], 0) > 0
    ]
    return shown, PARTNERS, dict(counts)


async def instrument_choices() -> list[ExpertiseOut]:
    rows = (
        await Instrument.select(Instrument.slug, Instrument.title).order_by(Instrument.title).run()
    )
    return [ExpertiseOut(**r) for r in rows]
