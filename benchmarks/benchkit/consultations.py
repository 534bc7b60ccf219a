"""Collegial case consultations in every phase, with participants, posts and phase
transitions consistent with the phase reached."""

from __future__ import annotations

from typing import Any

from benchkit.generator import Generator
from benchkit.plan import UserRow
from benchkit.rows import body_html, ts
from benchkit.skew import zipf_cum_weights

PHASES = ["casting", "narration", "key_question", "method", "advice", "conclusion", "closed"]
PHASE_WEIGHTS = [8, 8, 6, 5, 10, 8, 55]
METHODS = [
    "brainstorming",
    "reverse_brainstorming",
    "good_advice",
    "resonance",
    "hypotheses",
    "experience",
]
GROUPS_SHORT = ["Fachkräfte", "Familien", "Studierende", "Auszubildende", "Arbeitgeber"]


def consultation_rows(gen: Generator, first: dict[str, int]) -> tuple[list[dict[str, Any]], ...]:
    """Consultations and their instruments, participants, posts and phase changes, each
    consistent with the phase the consultation has reached."""
    rng, text, plan, ref = gen.rng, gen.text, gen.plan, gen.ref
    active = [u for u in plan.users if u.status == "active" and u.role in ("member", "expert")]
    cornerstone_cw = zipf_cum_weights(len(ref.cornerstones), 0.9)
    rows: tuple[list[dict[str, Any]], ...] = ([], [], [], [], [])
    consultations, instruments, participants, posts, transitions = rows
    for n in range(gen.sizes.consultations):
        cid = first["consultation"] + n
        phase = rng.choices(PHASES, weights=PHASE_WEIGHTS)[0]
        reached = PHASES.index(phase)
        people = rng.sample(active, rng.randint(4, 7))
        giver, facilitator, advisors = people[0], people[1], people[2:]
        topic = text.topic()
        cornerstone = rng.choices(ref.cornerstones, cum_weights=cornerstone_cw)[0]
        fitting = [i for i, c, _ in ref.instruments if c == cornerstone]
        created = gen.start + (gen.now - gen.start) * (0.33 + 0.67 * rng.random())
        summary = text.case_text(topic)
        moment = created
        for step in range(1, reached + 1):
            moment = gen._after(moment, 86400)
            transitions.append(
                {
                    "id": first["phase_transition"] + len(transitions),
                    "consultation": cid,
                    "from_phase": PHASES[step - 1],
                    "to_phase": PHASES[step],
                    "by": facilitator.id,
                    "at": ts(moment),
                }
            )
        consultations.append(
            {
                "id": cid,
                "title": text.title(topic),
                "summary": summary,
                "summary_html": body_html(summary),
                "cornerstone": cornerstone,
                "visibility": "participants" if rng.random() < 0.2 else "members",
                "phase": phase,
                "key_question": (
                    f"Wie können wir die {topic} so gestalten, dass {rng.choice(GROUPS_SHORT)} "
                    "schneller zu einer Entscheidung kommen?"
                )
                if reached > PHASES.index("key_question")
                else "",
                "method": rng.choice(METHODS) if reached > PHASES.index("method") else "",
                "case_giver": giver.id,
                "created_at": ts(created),
                "closed_at": ts(moment) if phase == "closed" else None,
                "hidden": rng.random() < 0.005,
            }
        )
        for iid in rng.sample(fitting, min(len(fitting), rng.randint(1, 2))):
            instruments.append(
                {"id": first["consultation_instrument"] + len(instruments), "consultation": cid,
                 "instrument": iid}
            )  # fmt: skip
        for person, role in [(giver, "case_giver"), (facilitator, "facilitator")] + [
            (a, "advisor") for a in advisors
        ]:
            participants.append(
                {
                    "id": first["participant"] + len(participants),
                    "consultation": cid,
                    "user": person.id,
                    "role": role,
                    "secretary": role == "advisor" and person is advisors[0] and rng.random() < 0.3,
                    "joined_at": ts(created),
                }
            )

        def post(
            phase_name: str,
            kind: str,
            author: UserRow,
            body: str,
            cid: int = cid,
            created: float = created,
        ) -> None:
            posts.append(
                {
                    "id": first["consultation_post"] + len(posts),
                    "consultation": cid,
                    "phase": phase_name,
                    "kind": kind,
                    "author": author.id,
                    "body": body,
                    "body_html": body_html(body),
                    "created_at": ts(gen._after(created, 3 * 86400)),
                }
            )

        if reached >= PHASES.index("narration"):
            post("narration", "narration", giver, text.case_text(topic))
            for a in advisors[: rng.randint(0, 2)]:
                post("narration", "clarifying_question", a, text.comment(topic))
                post("narration", "clarification", giver, text.answer_body(topic))
        if reached >= PHASES.index("key_question") and rng.random() < 0.5:
            post("key_question", "key_question_suggestion", facilitator, text.comment(topic))
        if reached >= PHASES.index("method"):
            post("method", "method_suggestion", rng.choice(advisors), text.comment(topic))
        if reached >= PHASES.index("advice"):
            for a in advisors:
                post("advice", "advice", a, text.answer_body(topic))
            if reached > PHASES.index("advice"):
                post("advice", "summary", facilitator, text.answer_body(topic))
        if reached > PHASES.index("conclusion"):
            post("conclusion", "conclusion", giver, text.answer_body(topic))
    return consultations, instruments, participants, posts, transitions
