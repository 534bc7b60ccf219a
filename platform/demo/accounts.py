"""Demo accounts: one per role, and a registration waiting for the moderators."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.accounts import administration, passwords
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.handles import free_handle
from fachaustausch.accounts.policy import AccountStatus, Principal, Role
from fachaustausch.accounts.tables import Authority, User


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: Role
    authority: str
    password: str
    expertise: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("mitglied@leipzig.de", "Jana Becker", Role.member, "leipzig", "Demo-Mitglied-2026"),
    DemoUser(
        "expertin@weimar.de",
        "Katrin Vogel",
        Role.expert,
        "weimar",
        "Demo-Expertin-2026",
        (
            "terminsystem",
            "service-point-front-office",
            "front-und-back-office-im-wechsel",
            "raum-und-wartebereichsgestaltung",
            "mobiler-arbeitsplatz",
        ),
    ),
    DemoUser(
        "experte@mainz.de",
        "Thomas Berger",
        Role.expert,
        "mainz",
        "Demo-Experte-2026",
        ("website-mit-faq", "fremdsprachenschulungen", "service-point-front-office"),
    ),
    DemoUser(
        "moderation@bamf.bund.de", "Sabine Krüger", Role.moderator, "bamf", "Demo-Moderation-2026"
    ),
    DemoUser("admin@bamf.bund.de", "Michael Hoffmann", Role.admin, "bamf", "Demo-Admin-2026"),
)
DEMO_PENDING = DemoUser("neu@bremen.de", "Lena Wagner", Role.member, "bremen", "Demo-Wartend-2026")


async def seed_demo() -> list[DemoUser]:
    """Creates the demo accounts that do not exist yet; returns the ones it created."""
    created = []
    for demo in DEMO_USERS:
        if await User.exists().where(User.email == demo.email).run():
            continue
        user_id = await accounts.create_user(
            email=demo.email,
            display_name=demo.display_name,
            password=demo.password,
            role=demo.role,
            authority_slug=demo.authority,
            check_password=False,
        )
        if demo.expertise:
            await administration.set_expertise(user_id, list(demo.expertise))
        created.append(demo)
    if not await User.exists().where(User.email == DEMO_PENDING.email).run():
        authority = (
            await Authority.select(Authority.id)
            .where(Authority.slug == DEMO_PENDING.authority)
            .first()
            .run()
        )
        assert authority is not None, "seed the reference data first"
        await User.insert(
            User(
                email=DEMO_PENDING.email,
                display_name=DEMO_PENDING.display_name,
                handle=await free_handle(DEMO_PENDING.display_name),
                authority=authority["id"],
                role=Role.member,
                status=AccountStatus.pending,
                password_hash=await passwords.hash_password(DEMO_PENDING.password),
            )
        ).run()
        created.append(DEMO_PENDING)
    return created


async def principal_by_email(email: str) -> Principal:
    """The demo account (or extra poster) with this e-mail, as it acts."""
    row = await User.select(User.id).where(User.email == email).first().run()
    assert row is not None, f"demo user {email} missing"
    principal = await accounts.principal_by_id(row["id"])
    assert principal is not None
    return principal
