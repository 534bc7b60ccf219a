"""Idempotent seeding of the reference data kept in seed_data.json: the five cornerstones,
the toolbox instruments, the model and partner authorities and the BAMF.

Running it again updates texts in place and never deletes: moderators may have added
instruments since, and those stay. Every seeded instrument gets a search outbox row, so
the search index learns of new and changed toolbox pages like of any other change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fachaustausch import database
from fachaustausch.accounts.tables import Authority
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.toolbox.tables import Cornerstone, Instrument, InstrumentOrigin

SEED_FILE = Path(__file__).with_name("seed_data.json")


def load_seed_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return data


async def _upsert(table: Any, key: str, values: dict[str, Any]) -> int:
    column = getattr(table, key)
    row = await table.select(table.id).where(column == values[key]).first().run()
    if row:
        await (
            table.update({getattr(table, k): v for k, v in values.items()})
            .where(table.id == row["id"])
            .run()
        )
        return int(row["id"])
    rows = await table.insert(table(**values)).run()
    return int(rows[0]["id"])


async def seed_reference_data() -> dict[str, int]:
    data = load_seed_data()
    async with database.transaction():
        authority_ids = {}
        for a in data["authorities"]:
            values = {**a, "email_domains": json.dumps(a["email_domains"])}
            authority_ids[a["slug"]] = await _upsert(Authority, "slug", values)
        cornerstone_ids = {}
        for c in data["cornerstones"]:
            cornerstone_ids[c["number"]] = await _upsert(Cornerstone, "number", c)
        for i in data["instruments"]:
            values = {k: v for k, v in i.items() if k != "origins"}
            values["cornerstone"] = cornerstone_ids[i["cornerstone"]]
            instrument_id = await _upsert(Instrument, "slug", values)
            await enqueue(EntityType.instrument, instrument_id)
            await (
                InstrumentOrigin.delete().where(InstrumentOrigin.instrument == instrument_id).run()
            )
            if i["origins"]:
                await InstrumentOrigin.insert(
                    *(
                        InstrumentOrigin(instrument=instrument_id, authority=authority_ids[s])
                        for s in i["origins"]
                    )
                ).run()
    return {
        "authorities": len(data["authorities"]),
        "cornerstones": len(data["cornerstones"]),
        "instruments": len(data["instruments"]),
    }
