"""Link tables (an owner tagged with an instrument) when one instrument is merged into
another: the generic statements; each domain calls them for its own link table."""

from __future__ import annotations

from typing import Any


async def move_links(table: Any, owner: Any, key: Any, source_id: int, target_id: int) -> list[int]:
    """Moves `table` rows from `key == source_id` to `target_id`; where an owner already
    has the target, its source row is dropped (each pair exists once). Returns the owners
    that had the source. Runs in the caller's transaction."""
    owners = await table.select(owner).where(key == source_id).output(as_list=True).run()
    if not owners:
        return []
    already = set(
        await table.select(owner)
        .where((key == target_id) & owner.is_in(owners))
        .output(as_list=True)
        .run()
    )
    if already:
        await table.delete().where((key == source_id) & owner.is_in(list(already))).run()
    await table.update({key: target_id}).where(key == source_id).run()
    return [int(o) for o in owners]
