"""Prepared queries give the rows Piccolo's own run() gives, for every bound value, on
whichever engine the test runs."""

from __future__ import annotations

from enum import StrEnum

import pytest

from fachaustausch.accounts.tables import Authority, User
from fachaustausch.database import prepared as prepared_module
from fachaustausch.database.prepared import Param, Prepared, prepared
from fachaustausch.settings import Settings
from tests.factories import make_user

pytestmark = pytest.mark.database


class Kind(StrEnum):
    model_site = "model_site"
    partner = "partner"


def _by_kind() -> Prepared:
    return Prepared(
        lambda: (
            Authority.select(Authority.slug, Authority.kind)
            .where(Authority.kind == Param("kind"))
            .order_by(Authority.slug)
        )
    )


async def test_rows_match_piccolo_for_each_value(settings: Settings) -> None:
    query = _by_kind()
    for kind in ("model_site", "partner", "nonexistent"):
        expected = (
            await Authority.select(Authority.slug, Authority.kind)
            .where(Authority.kind == kind)
            .order_by(Authority.slug)
            .run()
        )
        assert await query.rows(kind=kind) == expected
    assert await query.rows(kind="model_site"), "the seed has model sites"


async def test_enum_values_are_bound_as_their_value(settings: Settings) -> None:
    query = _by_kind()
    assert await query.rows(kind=Kind.model_site) == await query.rows(kind="model_site")


async def test_joins_and_first(settings: Settings) -> None:
    user = await make_user(authority="weimar")
    by_id = Prepared(
        lambda: (
            User.select(User.email, User.authority.slug.as_alias("authority_slug"))
            .where(User.id == Param("id"))
            .limit(1)
        )
    )
    assert await by_id.first(id=user.id) == {"email": user.email, "authority_slug": "weimar"}
    assert await by_id.first(id=user.id + 1000) is None


async def test_in_lists_of_params(settings: Settings) -> None:
    slugs = ["weimar", "kassel"]
    query = Prepared(
        lambda: (
            Authority.select(Authority.slug)
            .where(Authority.slug.is_in([Param("a"), Param("b")]))
            .order_by(Authority.slug)
        )
    )
    rows = await query.rows(a=slugs[0], b=slugs[1])
    expected = (
        await Authority.select(Authority.slug)
        .where(Authority.slug.is_in(slugs))
        .order_by(Authority.slug)
        .run()
    )
    assert rows == expected


def test_shapes_are_cached_by_key_and_bounded(monkeypatch: object) -> None:
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        return Authority.select(Authority.slug)

    first = prepared(("test-shape", 1), build)  # type: ignore[arg-type]
    assert prepared(("test-shape", 1), build) is first  # type: ignore[arg-type]
    assert prepared(("test-shape", 2), build) is not first  # type: ignore[arg-type]
    for n in range(prepared_module._MAX_SHAPES + 5):
        prepared(("test-filler", n), build)  # type: ignore[arg-type]
    assert len(prepared_module._shapes) <= prepared_module._MAX_SHAPES
    assert ("test-shape", 1) not in prepared_module._shapes
    # Building is deferred to the first run: keys alone build nothing.
    assert builds == []
