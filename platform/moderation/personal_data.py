"""The flags a person raised, for their data export (DSGVO Art. 15, 20). Reads only."""

from __future__ import annotations

from typing import Any

from fachaustausch.moderation.tables import Flag


async def flags_raised_by(user_id: int) -> list[dict[str, Any]]:
    return await Flag.select(
        Flag.target_type,
        Flag.target_id,
        Flag.reason,
        Flag.text,
        Flag.status,
        Flag.created_at,
    ).where(Flag.reporter == user_id)
