"""What a person shows of themselves to the other members."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import User


async def set_show_email(actor: Principal, show: bool) -> None:
    """Whether the profile shows the e-mail address to signed-in members (off by default)."""
    async with database.transaction():
        await User.update({User.show_email: show}).where(User.id == actor.id)
