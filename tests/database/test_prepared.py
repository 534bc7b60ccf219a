"""Prepared queries give the rows Piccolo's own run() gives, for every bound value, on
whichever engine the test runs."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from fachaustausch import database
from fachaustausch.accounts.tables import Authority, User
from fachaustausch.database.prepared import Param, Prepared, PreparedShapes, prepared
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


def test_shapes_are_cached_by_key_and_bounded() -> None:
    builds: list[int] = []

    def build() -> Any:
        builds.append(1)
        return Authority.select(Authority.slug)

    shapes = PreparedShapes(max_shapes=8)
    first = shapes.get(("test-shape", 1), build)
    assert shapes.get(("test-shape", 1), build) is first
    assert shapes.get(("test-shape", 2), build) is not first
    for n in range(shapes.max_shapes + 5):
        shapes.get(("test-filler", n), build)
    assert len(shapes) <= shapes.max_shapes
    assert ("test-shape", 1) not in shapes
    # Building is deferred to the first run: keys alone build nothing.
    assert builds == []


async def test_prepared_shapes_belong_to_the_current_database(settings: Settings) -> None:
    def build() -> Any:
        return Authority.select(Authority.slug).where(Authority.slug == Param("slug"))

    query = prepared(("test-shape", "current"), build)
    assert ("test-shape", "current") in database.current().prepared
    assert await query.first(slug="weimar") == {"slug": "weimar"}
