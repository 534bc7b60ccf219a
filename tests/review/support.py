"""A thread with legal citations for the content-review tests, and helpers to act as
someone over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import upkeep
from tests.factories import ApiClient, UserRecord, make_user
from tests.web.qa import answer, ask

CHANGES = "/api/v1/legal-changes"
QUEUE = "/api/v1/content-review"


@dataclass
class Thread:
    member: UserRecord  # asked the question
    author: UserRecord  # wrote the answers
    expert: UserRecord  # expert of the question's instrument
    moderator: UserRecord
    question: int  # cites § 18 Abs. 2 AufenthG
    on_18a: int  # answer citing § 18a AufenthG only
    on_18: int  # answer citing § 18 Abs. 1 Nr. 2 AufenthG
    plain: int  # answer citing nothing
    hidden: int  # answer citing § 18 AufenthG, hidden by the moderation
    hidden_question: int  # question citing § 18 AufenthG, hidden


async def thread() -> Thread:
    member = await make_user(Role.member)
    author = await make_user(Role.member)
    expert = await make_user(Role.expert, expertise=["terminsystem"])
    moderator = await make_user(Role.moderator)
    question = await ask(
        member,
        "Blaue Karte nach dem neuen Recht: was gilt für Fachkräfte?",
        body="Wie legen Sie § 18 Abs. 2 AufenthG bei Fachkräften mit Berufsausbildung aus?",
    )
    on_18a = await answer(author, question, "Das regelt § 18a AufenthG für Berufsausbildung.")
    on_18 = await answer(
        author, question, "Maßgeblich ist § 18 Abs. 1 Nr. 2 AufenthG i. V. m. § 39 BeschV."
    )
    plain = await answer(author, question, "Wir fragen bei der Bundesagentur nach.")
    hidden = await answer(author, question, "Siehe § 18 AufenthG, ganz allgemein.")
    await upkeep.set_hidden("answer", hidden, True, "Test: ausgeblendet")
    hidden_question = await ask(
        member,
        "Ausgeblendete Frage zur Fachkräfteeinwanderung",
        body="Es geht um § 18 AufenthG.",
    )
    await upkeep.set_hidden("question", hidden_question, True, "Test: ausgeblendet")
    return Thread(
        member, author, expert, moderator, question, on_18a, on_18, plain, hidden, hidden_question
    )


def change_body(*provisions: str, **changes: Any) -> dict[str, Any]:
    return {
        "provisions": list(provisions),
        "effective_on": date(2024, 3, 1).isoformat(),
        "title": "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung",
        "note": "Neue Regeln für Fachkräfte mit Berufsausbildung.",
        **changes,
    }


async def as_user(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await client.login_token(user)


async def queue_keys(client: ApiClient, **params: Any) -> set[tuple[str, int, str]]:
    response = await client.get(QUEUE, params=params)
    assert response.status_code == 200, response.text
    return {(i["post_type"], i["post_id"], i["cause"]) for i in response.json()["items"]}
