"""The API's JSON is what pydantic's own JSON serializer writes for a read model: the app
hands msgspec python-mode dumps (faster), and this checks they come out the same."""

from __future__ import annotations

import json

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import queries
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import CommentInput
from tests.factories import ApiClient, answer_question, ask_question, make_user


async def test_question_json_is_pydantics(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert, authority="weimar")
    question_id = await ask_question(asker, title="Wie läuft die Übergabe an das Back-Office?")
    answer_id = await answer_question(expert, question_id, body="Über „Laufmappen“ & <Listen>.")
    await questions.comment(
        await asker.principal(), question_id, answer_id, CommentInput(body="Danke – sehr gut!")
    )
    await questions.vote(await asker.principal(), "answer", answer_id, 1)
    await client.login(asker)

    response = await client.get(f"/api/v1/questions/{question_id}")
    assert response.status_code == 200, response.text
    expected = await queries.get_question(await asker.principal(), question_id)
    body = response.json()
    assert body == json.loads(expected.model_dump_json())
    # Datetimes, enums and None as pydantic writes them, not just equal after parsing.
    assert body["created_at"] == expected.created_at.isoformat().replace("+00:00", "Z")
    assert body["status"] == "answered"
    assert body["directed_to"] is None
    assert body["answers"][0]["my_vote"] == 1
    assert body["answers"][0]["comments"][0]["body"] == "Danke – sehr gut!"

    listed = await client.get("/api/v1/questions")
    items, _ = await queries.list_questions(await asker.principal(), queries.QuestionFilters())
    assert listed.json()["items"] == [json.loads(i.model_dump_json()) for i in items]
