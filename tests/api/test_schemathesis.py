"""Schemathesis over the whole OpenAPI document: every operation, with data the document
allows and with data it forbids, as a member, anonymously and as an administrator. It must
find no 5xx and no answer the document does not describe (status code, content type,
headers, body schema), and every request the document forbids must be refused.

Bounded so the suite stays quick: a few examples per operation, caller and kind of data,
derandomised (the same requests every run). The totals are printed (`pytest -s`)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from litestar import Litestar
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.app import create_app
from fachaustausch.settings import Settings
from tests.consultations.support import start
from tests.factories import answer_question, ask_question, make_user

DOCUMENT = "/api/docs/openapi.json"
EXAMPLES = 5
# The administrator comes last: its actions (suspending, merging) change what others see.
CALLERS = ("member", "anonymous", "admin")
# Valid data may still be refused for what a schema cannot say (a weak password, personal
# data, a slug that does not exist): the document lists those answers, and the other
# checks hold them to it.
EXCLUDED = [positive_data_acceptance]


@dataclass
class Totals:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    failures: list[str] = field(default_factory=list)


async def _prepare() -> dict[str, str]:
    """Something to find behind the ids schemathesis tries, and a token per caller."""
    admin, member, expert = (
        await make_user(Role.admin),
        await make_user(Role.member),
        await make_user(Role.expert),
    )
    question = await ask_question(member)
    await answer_question(expert, question)
    await start(member)
    await make_user(status=AccountStatus.pending)
    tokens = {}
    for name, user in (("admin", admin), ("member", member)):
        tokens[name] = (await accounts.create_token(await user.principal(), "schemathesis")).token
    return tokens


def _headers(tokens: dict[str, str], caller: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}


def run(schema: Any, tokens: dict[str, str], callers: tuple[str, ...]) -> Totals:
    totals = Totals()
    for caller in callers:
        for result in schema.get_all_operations():
            operation = result.ok()
            totals.operations.add(operation.label)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                # No invalid request exists for an operation without inputs.
                with contextlib.suppress(Unsatisfiable):
                    _examples(operation, mode, caller, _headers(tokens, caller), totals)
    return totals


def _examples(
    operation: Any, mode: GenerationMode, caller: str, headers: dict[str, str], totals: Totals
) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        totals.requests += 1
        try:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
        except FailureGroup as found:
            totals.failures.append(f"{caller}, {operation.label}: {found}")

    check()


@contextmanager
def _lifespans() -> Iterator[None]:
    """Schemathesis runs the app on an event loop of its own and keeps it running."""
    try:
        yield
    finally:
        asgi.shutdown_lifespans()


def _app(settings: Settings) -> Litestar:
    # The app runs on schemathesis' loop alone, so it may keep a pool there.
    return create_app(settings.model_copy(update={"database_pool_size": 10}))


def test_the_api_answers_as_its_document_says(settings: Settings) -> None:
    app = _app(settings)
    tokens = asyncio.run(_prepare())
    started = time.perf_counter()
    with _lifespans():
        schema = schemathesis.openapi.from_asgi(DOCUMENT, app, headers=_headers(tokens, "admin"))
        totals = run(schema, tokens, CALLERS)
    seconds = time.perf_counter() - started
    print(
        f"\nschemathesis: {len(totals.operations)} operations, {totals.requests} requests, "
        f"{len(totals.failures)} failures, {seconds:.1f} s"
    )
    assert len(totals.operations) >= 50, sorted(totals.operations)
    assert not totals.failures, "\n\n".join(totals.failures[:5])


def test_the_run_catches_a_document_that_lies(settings: Settings) -> None:
    """A canary: with one answer taken out of the document, the same run reports it."""
    app = _app(settings)
    tokens = asyncio.run(_prepare())
    document: dict[str, Any] = copy.deepcopy(app.openapi_schema.to_schema())
    del document["paths"]["/api/v1/questions/{question_id}"]["get"]["responses"]["404"]
    with _lifespans():
        schema = schemathesis.openapi.from_dict(document)
        schema.app = app
        lying = schema.include(operation_id="getQuestion")
        totals = run(lying, tokens, ("member",))
    assert totals.failures
    assert "Undocumented status code" in totals.failures[0]
    assert "Received: 404" in totals.failures[0]
