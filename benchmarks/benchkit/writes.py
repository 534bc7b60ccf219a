"""The write mix, as "METHOD PATH JSON-BODY" lines for wrk/load.lua."""

from __future__ import annotations

import json
import random

from benchkit.german_text import TextGenerator
from benchkit.sampling import Sample

# question votes, answer votes, answers, new questions
MIX = (0.45, 0.15, 0.25, 0.15)


def write_lines(sample: Sample, rng: random.Random, count: int = 3000) -> list[str]:
    """Votes only on posts the benchmark accounts did not write (voting on one's own post
    is refused); answers to open questions; questions in a cornerstone and instrument."""
    text = TextGenerator(random.Random(rng.random()))
    lines = []
    for _ in range(count):
        roll = rng.random()
        value = rng.choice([1, -1])
        if roll < MIX[0]:
            qid = rng.choice(sample.writable_ids)
            lines.append(f'POST /api/v1/questions/{qid}/vote {{"value": {value}}}')
        elif roll < MIX[0] + MIX[1] and sample.answer_ids:
            aid = rng.choice(sample.answer_ids)
            lines.append(f'POST /api/v1/answers/{aid}/vote {{"value": {value}}}')
        elif roll < MIX[0] + MIX[1] + MIX[2]:
            qid = rng.choice(sample.writable_ids)
            body = json.dumps({"body": text.answer_body(text.topic())}, ensure_ascii=False)
            lines.append(f"POST /api/v1/questions/{qid}/answers {body}")
        else:
            cornerstone, instrument = rng.choice(sample.pairs)
            topic = text.topic()
            body = json.dumps(
                {
                    "title": text.title(topic),
                    "body": text.question_body(topic),
                    "cornerstone": cornerstone,
                    "instruments": [instrument],
                },
                ensure_ascii=False,
            )
            lines.append(f"POST /api/v1/questions {body}")
    return lines
