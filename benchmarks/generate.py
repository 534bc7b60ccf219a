"""Fills a database with realistic benchmark data, then builds the search index.

    python benchmarks/generate.py --database-url sqlite:///var/bench/bench.sqlite3
    python benchmarks/generate.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Runs the migrations, seeds the reference data (cornerstones, instruments, model sites,
BAMF), then writes authorities, users, questions, answers, comments, votes, follows and
collegial case consultations with a realistic skew:

- cornerstones and instruments by a Zipf-like law, a few very active users, experts of the
  model sites answering more often than members;
- 0–20 answers per question (truncated geometric, popular questions get more), votes drawn
  towards popular posts, one vote per user and post, never on one's own post;
- consistent derived state: `score` is the sum of the post's votes, `answer_count` counts the
  visible answers, `status` is open/answered/solved, `accepted_answer_id` names the one
  accepted (visible) answer, `last_activity_at` is the newest activity.

Rows go through the project's own Piccolo tables: the INSERT statements are built from each
table's column metadata, columns the generator does not set get the column's Piccolo
default, and multi-row INSERTs run in Piccolo transactions of a few thousand rows. (Piccolo's
`Table.insert(*instances)` manages about 8,000 rows/s here: too slow for 1.6 million rows.)
On SQLite the load runs with `journal_mode=WAL` and `synchronous=OFF`; the journal mode the
database had before is restored afterwards, so the benchmark measures the app's own setup.

`body_html` is `<p>` + HTML escaping per paragraph: the generated texts are plain paragraphs
without Markdown syntax, for which that is exactly what `fachaustausch.core.markdown.render`
returns (checked on a sample at start-up).

Every account created here has the password BENCH_PASSWORD; `benchmark-1@benchmark-abh.de`
… `benchmark-8@benchmark-abh.de` are ordinary active members that author nothing (so the
load test's votes are never refused as votes on their own posts).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from piccolo.columns.defaults.base import Default
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table
from tqdm import tqdm

from fachaustausch import piccolo_app  # noqa: F401 - routes every table to the current database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.tables import Authority, User, UserInstrument
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core.markdown import render
from fachaustausch.database import Database, migrations
from fachaustausch.database.context import make_current, reset
from fachaustausch.questions.service import EXCERPT_LENGTH
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Follow,
    Question,
    QuestionInstrument,
    Vote,
)
from fachaustausch.settings import PROJECT_ROOT, Settings
from fachaustausch.toolbox.seed import seed_reference_data
from fachaustausch.toolbox.tables import Cornerstone, Instrument

sys.path.insert(0, str(Path(__file__).resolve().parent))
from german_text import AUTHORITY_KINDS, LAENDER, TOWNS, TextGenerator, slugify

BENCH_PASSWORD = "Benchmark-Passwort-2026!"  # noqa: S105 - a fixture for local load tests
BENCH_AUTHORITY_SLUG = "benchmark-abh"
BENCH_USERS = 8
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Multi-row INSERTs: rows per statement (bounded by the bind-parameter limit of both
# engines, 32,766 in SQLite ≥ 3.32 and 32,767 in PostgreSQL) and rows per transaction.
MAX_PARAMETERS = 30_000
ROWS_PER_STATEMENT = 1_000
ROWS_PER_TRANSACTION = 5_000

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
HIDDEN_REASON = "Ausgeblendet durch die Moderation: Verstoß gegen die Nutzungsregeln."
CLOSE_REASONS = ["duplicate", "outdated", "off_topic"]


def default_var_dir(database_url: str) -> Path:
    engine = "postgres" if database_url.startswith("postgres") else "sqlite"
    return PROJECT_ROOT / "var" / "bench" / engine


# --- skewed random choices ------------------------------------------------------------------


def zipf_cum_weights(n: int, exponent: float) -> list[float]:
    """Cumulative weights of ranks 1..n under 1/rank**exponent."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        out.append(total)
    return out


def cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def truncated_geometric(mean: float, high: int) -> list[float]:
    """P(n) ∝ r**n on 0..high, with r chosen by bisection so that the mean is `mean`."""
    mean = min(max(mean, 0.0), high - 1e-6)

    def mean_of(r: float) -> float:
        weights = [r**n for n in range(high + 1)]
        return sum(n * w for n, w in enumerate(weights)) / sum(weights)

    low, up = 1e-9, 50.0
    for _ in range(100):
        mid = (low + up) / 2
        low, up = (mid, up) if mean_of(mid) < mean else (low, mid)
    r = (low + up) / 2
    weights = [r**n for n in range(high + 1)]
    return [w / sum(weights) for w in weights]


def fix_total(counts: list[int], target: int, high: int, rng: random.Random) -> None:
    """Nudges counts up or down by one at random until they add up to `target`."""
    diff = target - sum(counts)
    n = len(counts)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < high:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1


def body_html(text: str) -> str:
    """What markdown.render gives for plain paragraphs (see module docstring)."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in text.split("\n\n"))


def excerpt(text: str) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= EXCERPT_LENGTH else plain[: EXCERPT_LENGTH - 1].rstrip() + "…"


# --- bulk writer ----------------------------------------------------------------------------


@dataclass
class TableTiming:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class BulkWriter:
    """Multi-row INSERTs built from a Piccolo table's columns, in Piccolo transactions."""

    def __init__(self, engine: Engine[Any], progress: bool = True) -> None:
        self.engine = engine
        self.sqlite = isinstance(engine, SQLiteEngine)
        self.progress = progress
        self.timings: list[TableTiming] = []
        self.next_ids: dict[str, int] = {}

    def use(self, engine: Engine[Any]) -> None:
        self.engine = engine

    async def next_id(self, table: type[Table]) -> int:
        rows = await table.raw(f"SELECT MAX(id) AS m FROM {table._meta.tablename}").run()  # noqa: S608
        return int(rows[0]["m"] or 0) + 1

    @staticmethod
    def _defaults(table: type[Table]) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for column in table._meta.columns:
            if column._meta.primary_key:
                continue
            value = column.get_default_value()
            if isinstance(value, Default):
                value = value.python()
            defaults[column._meta.db_column_name] = value
        return defaults

    def _statement(self, table: type[Table], names: list[str], rows: int) -> str:
        columns = ", ".join(f'"{n}"' for n in names)
        width = len(names)
        if self.sqlite:
            one = "(" + ", ".join("?" * width) + ")"
            values = ", ".join([one] * rows)
        else:
            values = ", ".join(
                "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")"
                for r in range(rows)
            )
        return f'INSERT INTO "{table._meta.tablename}" ({columns}) VALUES {values}'  # noqa: S608

    async def _execute(self, connection: Any, sql: str, params: list[Any]) -> None:
        if self.sqlite:
            async with connection.execute(sql, params):
                pass
        else:
            await connection.execute(sql, *params)

    async def insert(
        self, table: type[Table], rows: Iterable[dict[str, Any]], total: int
    ) -> TableTiming:
        """Writes `rows` (dicts by column name; `id` included) and times it."""
        defaults = self._defaults(table)
        names = ["id", *defaults]
        per_statement = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(names)))
        statements: dict[int, str] = {}
        name = table._meta.tablename
        started = time.perf_counter()
        written = 0
        bar = tqdm(total=total, desc=f"{name:<24}", unit=" rows", disable=not self.progress)

        async def flush(batch: list[tuple[Any, ...]]) -> None:
            async with self.engine.transaction() as transaction:
                connection = transaction.connection
                if not self.sqlite:
                    await connection.execute("SET LOCAL synchronous_commit TO OFF")
                for start in range(0, len(batch), per_statement):
                    chunk = batch[start : start + per_statement]
                    sql = statements.get(len(chunk))
                    if sql is None:
                        sql = statements[len(chunk)] = self._statement(table, names, len(chunk))
                    await self._execute(connection, sql, [v for row in chunk for v in row])

        batch: list[tuple[Any, ...]] = []
        for row in rows:
            unknown = row.keys() - set(names)
            if unknown:
                raise KeyError(f"{name}: no such columns {sorted(unknown)}")
            batch.append(tuple(row[n] if n in row else defaults[n] for n in names))
            if len(batch) >= ROWS_PER_TRANSACTION:
                await flush(batch)
                written += len(batch)
                bar.update(len(batch))
                batch = []
        if batch:
            await flush(batch)
            written += len(batch)
            bar.update(len(batch))
        bar.close()
        timing = TableTiming(name, written, time.perf_counter() - started)
        self.timings.append(timing)
        return timing

    async def finish(self, tables: list[type[Table]]) -> None:
        """PostgreSQL: move the id sequences past the explicit ids, refresh the statistics
        (autovacuum would do so soon after a real load)."""
        if self.sqlite:
            return
        for table in tables:
            t = table._meta.tablename
            await table.raw(
                f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "  # noqa: S608
                f'COALESCE((SELECT MAX(id) FROM "{t}"), 0) + 1, false)'
            ).run()
        await self.engine.run_ddl("ANALYZE")


# --- the data plan --------------------------------------------------------------------------


@dataclass
class Sizes:
    questions: int = 100_000
    answers: int = 400_000
    votes: int = 1_000_000
    users: int = 2_000
    authorities: int = 500
    consultations: int = 2_000
    comments: int = 50_000


@dataclass
class UserRow:
    id: int
    authority: int
    role: str
    status: str
    email: str
    display_name: str
    model_site_expert: bool = False


@dataclass
class Plan:
    """Everything but the texts, decided up front so derived counts are consistent."""

    authorities: list[dict[str, Any]] = field(default_factory=list)
    users: list[UserRow] = field(default_factory=list)
    user_instruments: list[tuple[int, int]] = field(default_factory=list)
    # questions, by index: ids are first_question_id + index
    q_author: list[int] = field(default_factory=list)
    q_authority: list[int] = field(default_factory=list)
    q_cornerstone: list[int] = field(default_factory=list)
    q_instruments: list[tuple[int, ...]] = field(default_factory=list)
    q_topic: list[str] = field(default_factory=list)
    q_created: list[float] = field(default_factory=list)
    q_last: list[float] = field(default_factory=list)
    q_pop: list[float] = field(default_factory=list)
    q_hidden: list[bool] = field(default_factory=list)
    q_locked: list[bool] = field(default_factory=list)
    q_closed: list[str] = field(default_factory=list)
    q_directed: list[int | None] = field(default_factory=list)
    q_score: list[int] = field(default_factory=list)
    q_answers: list[int] = field(default_factory=list)  # visible answers
    q_accepted: list[int | None] = field(default_factory=list)  # answer index
    q_first_answer: list[int] = field(default_factory=list)
    q_answer_total: list[int] = field(default_factory=list)
    # answers, by index
    a_question: list[int] = field(default_factory=list)
    a_author: list[int] = field(default_factory=list)
    a_created: list[float] = field(default_factory=list)
    a_hidden: list[bool] = field(default_factory=list)
    a_score: list[int] = field(default_factory=list)
    a_accepted: list[bool] = field(default_factory=list)
    # comments: (question index, answer index or None, author, created)
    comments: list[tuple[int, int | None, int, float]] = field(default_factory=list)
    # votes: (user, is_answer, target index, value, created)
    votes: list[tuple[int, bool, int, int, float]] = field(default_factory=list)


@dataclass
class Reference:
    cornerstones: list[int]
    instruments: list[tuple[int, int, str]]  # id, cornerstone id, title
    authorities: list[tuple[int, str, str]]  # id, slug, kind


class Generator:
    def __init__(self, sizes: Sizes, ref: Reference, seed: int, now: datetime) -> None:
        self.sizes = sizes
        self.ref = ref
        self.rng = random.Random(seed)
        self.text = TextGenerator(random.Random(seed + 1))
        self.now = now.timestamp()
        self.start = self.now - 3 * 365 * 86400
        self.plan = Plan()

    def _after(self, created: float, mean_seconds: float) -> float:
        return min(created + self.rng.expovariate(1 / mean_seconds), self.now - 1)

    # authorities and users

    def authorities(self, first_id: int) -> None:
        rng = self.rng
        taken = {slug for _, slug, _ in self.ref.authorities}
        names = [f"{k} {t}" for t in TOWNS for k in AUTHORITY_KINDS]
        rng.shuffle(names)
        wanted = self.sizes.authorities - len(self.ref.authorities)
        if wanted < 1:
            raise SystemExit(f"--authorities must exceed the {len(self.ref.authorities)} seeded")
        rows = [
            {
                "id": first_id,
                "slug": BENCH_AUTHORITY_SLUG,
                "name": "Ausländerbehörde Benchmarkstadt",
                "kind": "member",
                "land": "Hessen",
                "email_domains": json.dumps(["benchmark-abh.de"]),
            }
        ]
        taken.add(BENCH_AUTHORITY_SLUG)
        i = 0
        while len(rows) < wanted:
            name = names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            i += 1
            slug = slugify(name)
            if slug in taken:
                continue
            taken.add(slug)
            rows.append(
                {
                    "id": first_id + len(rows),
                    "slug": slug,
                    "name": name,
                    "kind": "member",
                    "land": rng.choice(LAENDER),
                    "email_domains": json.dumps([f"{slug}.de"]),
                }
            )
        self.plan.authorities = rows

    def users(self, first_id: int) -> None:
        rng, plan = self.rng, self.plan
        emails: set[str] = set()
        domains = {a["id"]: json.loads(a["email_domains"])[0] for a in plan.authorities}
        for aid, slug, _ in self.ref.authorities:
            domains[aid] = f"{slug}.de"

        def add(authority: int, role: str, status: str = "active", email: str = "") -> None:
            first, last = self.text.person()
            if not email:
                local = f"{slugify(first)}.{slugify(last)}".replace("-", "")
                email, n = f"{local}@{domains[authority]}", 1
                while email in emails:
                    n += 1
                    email = f"{local}{n}@{domains[authority]}"
            emails.add(email)
            kind = next((k for i, _, k in self.ref.authorities if i == authority), "member")
            plan.users.append(
                UserRow(
                    id=first_id + len(plan.users),
                    authority=authority,
                    role=role,
                    status=status,
                    email=email,
                    display_name=f"{first} {last}",
                    model_site_expert=role == "expert" and kind == "model_site",
                )
            )

        bench = plan.authorities[0]["id"]
        for n in range(1, BENCH_USERS + 1):
            add(bench, "member", email=f"benchmark-{n}@benchmark-abh.de")
        for aid, _, kind in self.ref.authorities:
            if kind == "federal":
                add(aid, "admin")
                for _ in range(5):
                    add(aid, "moderator")
                for _ in range(2):
                    add(aid, "member")
            elif kind == "model_site":
                for _ in range(8):
                    add(aid, "expert")
                for _ in range(4):
                    add(aid, "member")
            else:
                for _ in range(3):
                    add(aid, "member")
        members = [a["id"] for a in plan.authorities[1:]]
        rest = self.sizes.users - len(plan.users)
        if rest < len(members):
            raise SystemExit(
                f"--users is too small: {len(plan.users)} fixed accounts plus at least one per "
                f"authority ({len(members)}) are needed"
            )
        # One member each, the rest Zipf-like: big cities have big teams.
        extra = rng.choices(members, cum_weights=zipf_cum_weights(len(members), 1.0), k=rest)
        for aid in members + extra[: rest - len(members)]:
            roll = rng.random()
            add(
                aid,
                "member",
                "pending" if roll < 0.02 else "suspended" if roll < 0.03 else "active",
            )
        instruments = [i for i, _, _ in self.ref.instruments]
        for u in plan.users:
            if u.role == "expert":
                for iid in rng.sample(instruments, rng.randint(1, 4)):
                    plan.user_instruments.append((u.id, iid))

    # questions, answers, votes, comments

    def questions(self) -> None:
        rng, plan, sizes, ref = self.rng, self.plan, self.sizes, self.ref
        n = sizes.questions
        authors = [
            u for u in plan.users if u.status != "pending" and not u.email.startswith("benchmark-")
        ]
        rng.shuffle(authors)  # activity rank independent of id
        author_cw = zipf_cum_weights(len(authors), 0.8)
        instruments = list(ref.instruments)
        rng.shuffle(instruments)
        instrument_cw = zipf_cum_weights(len(instruments), 1.0)
        cornerstone_cw = zipf_cum_weights(len(ref.cornerstones), 0.9)
        model_sites = [a for a, _, k in ref.authorities if k == "model_site"]
        span = self.now - self.start
        # Activity grows over time: more recent questions are denser.
        created = sorted(self.start + span * rng.random() ** 0.75 for _ in range(n))
        picked_authors = rng.choices(authors, cum_weights=author_cw, k=n)
        for i in range(n):
            author = picked_authors[i]
            roll = rng.random()
            if roll < 0.15:
                chosen: list[tuple[int, int, str]] = []
                cornerstone = rng.choices(ref.cornerstones, cum_weights=cornerstone_cw)[0]
            else:
                count = 1 if roll < 0.65 else 2 if roll < 0.9 else 3
                chosen = []
                while len(chosen) < count:
                    pick = rng.choices(instruments, cum_weights=instrument_cw)[0]
                    if pick not in chosen:
                        chosen.append(pick)
                cornerstone = chosen[0][1]
            plan.q_author.append(author.id)
            plan.q_authority.append(author.authority)
            plan.q_cornerstone.append(cornerstone)
            plan.q_instruments.append(tuple(c[0] for c in chosen))
            plan.q_topic.append(self.text.topic())
            plan.q_created.append(created[i])
            plan.q_last.append(created[i])
            plan.q_pop.append(min(rng.paretovariate(1.3), 200.0))
            plan.q_hidden.append(rng.random() < 0.004)
            plan.q_locked.append(rng.random() < 0.002)
            plan.q_closed.append(rng.choice(CLOSE_REASONS) if rng.random() < 0.005 else "")
            plan.q_directed.append(rng.choice(model_sites) if rng.random() < 0.05 else None)
            plan.q_score.append(0)

    def answers(self) -> None:
        rng, plan, sizes = self.rng, self.plan, self.sizes
        n = sizes.questions
        probabilities = truncated_geometric(sizes.answers / max(n, 1), 20)
        counts = rng.choices(range(21), weights=probabilities, k=n)
        fix_total(counts, sizes.answers, 20, rng)
        # Popular questions get the long threads.
        counts.sort()
        order = sorted(range(n), key=lambda i: plan.q_pop[i] * rng.lognormvariate(0, 0.5))
        per_question = [0] * n
        for rank, i in enumerate(order):
            per_question[i] = counts[rank]
        authors = [
            u for u in plan.users if u.status != "pending" and not u.email.startswith("benchmark-")
        ]
        rng.shuffle(authors)
        base = zipf_cum_weights(len(authors), 0.8)
        weights = [base[0]] + [base[k] - base[k - 1] for k in range(1, len(base))]
        # Experts of the model sites answer far more often than they ask.
        weights = [
            w * (4.0 if u.model_site_expert else 1.0) for w, u in zip(weights, authors, strict=True)
        ]
        author_cw = cumulative(weights)
        picked = rng.choices(authors, cum_weights=author_cw, k=sizes.answers)
        k = 0
        for i in range(n):
            plan.q_first_answer.append(len(plan.a_question))
            plan.q_answer_total.append(per_question[i])
            created = plan.q_created[i]
            for _ in range(per_question[i]):
                author = picked[k]
                k += 1
                if author.id == plan.q_author[i]:
                    author = picked[k - 2] if k >= 2 else author
                created = self._after(created, 86400)
                plan.a_question.append(i)
                plan.a_author.append(author.id)
                plan.a_created.append(created)
                plan.a_hidden.append(rng.random() < 0.005)
                plan.a_score.append(0)
                plan.a_accepted.append(False)
                plan.q_last[i] = max(plan.q_last[i], created)

    def votes(self) -> None:
        rng, plan, sizes = self.rng, self.plan, self.sizes
        voters = [u.id for u in plan.users if u.status == "active"]
        rng.shuffle(voters)
        voter_cw = zipf_cum_weights(len(voters), 0.6)
        q_cw = cumulative(plan.q_pop)
        a_pop = [min(plan.q_pop[q] * rng.paretovariate(2.0) / 2, 150.0) for q in plan.a_question]
        a_cw = cumulative(a_pop)
        share_q = 0.3 if plan.a_question else 1.0
        seen: set[tuple[int, bool, int]] = set()
        wanted = sizes.votes
        attempts = 0
        bar = tqdm(total=wanted, desc="plan votes".ljust(24), unit=" votes")
        while len(plan.votes) < wanted and attempts < 4 * wanted:
            batch = min(wanted - len(plan.votes), 200_000)
            attempts += batch
            on_answer = [rng.random() >= share_q for _ in range(batch)]
            q_targets = rng.choices(range(len(plan.q_pop)), cum_weights=q_cw, k=batch)
            a_targets = (
                rng.choices(range(len(a_pop)), cum_weights=a_cw, k=batch) if a_pop else q_targets
            )
            who = rng.choices(voters, cum_weights=voter_cw, k=batch)
            added = 0
            for j in range(batch):
                is_answer = on_answer[j]
                target = a_targets[j] if is_answer else q_targets[j]
                author = plan.a_author[target] if is_answer else plan.q_author[target]
                key = (who[j], is_answer, target)
                if who[j] == author or key in seen:
                    continue
                seen.add(key)
                created = plan.a_created[target] if is_answer else plan.q_created[target]
                value = 1 if rng.random() < 0.88 else -1
                plan.votes.append(
                    (who[j], is_answer, target, value, self._after(created, 5 * 86400))
                )
                if is_answer:
                    plan.a_score[target] += value
                else:
                    plan.q_score[target] += value
                added += 1
            bar.update(added)
        bar.close()

    def comments(self) -> None:
        rng, plan, sizes = self.rng, self.plan, self.sizes
        authors = [u.id for u in plan.users if u.status == "active"]
        rng.shuffle(authors)
        author_cw = zipf_cum_weights(len(authors), 0.8)
        q_cw = cumulative(plan.q_pop)
        targets = rng.choices(range(len(plan.q_pop)), cum_weights=q_cw, k=sizes.comments)
        who = rng.choices(authors, cum_weights=author_cw, k=sizes.comments)
        for q, author in zip(targets, who, strict=True):
            answer: int | None = None
            created = plan.q_created[q]
            if plan.q_answer_total[q] and rng.random() < 0.6:
                answer = plan.q_first_answer[q] + rng.randrange(plan.q_answer_total[q])
                created = plan.a_created[answer]
            created = self._after(created, 2 * 86400)
            plan.comments.append((q, answer, author, created))
            plan.q_last[q] = max(plan.q_last[q], created)

    def derive(self) -> None:
        """Answer counts, accepted answers and status from what was planned."""
        rng, plan = self.rng, self.plan
        for i in range(len(plan.q_pop)):
            first, total = plan.q_first_answer[i], plan.q_answer_total[i]
            visible = [a for a in range(first, first + total) if not plan.a_hidden[a]]
            plan.q_answers.append(len(visible))
            accepted: int | None = None
            if visible and not plan.q_hidden[i] and rng.random() < 0.45:
                if rng.random() < 0.7:
                    accepted = max(visible, key=lambda a: plan.a_score[a])
                else:
                    accepted = rng.choice(visible)
                plan.a_accepted[accepted] = True
            plan.q_accepted.append(accepted)

    def build(self) -> Plan:
        started = time.perf_counter()
        self.questions()
        self.answers()
        self.votes()
        self.comments()
        self.derive()
        print(f"planned in {time.perf_counter() - started:.1f} s")
        return self.plan


# --- rows -----------------------------------------------------------------------------------


def ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def status_of(plan: Plan, i: int) -> str:
    if plan.q_accepted[i] is not None:
        return "solved"
    return "answered" if plan.q_answers[i] else "open"


def question_rows(
    plan: Plan, text: TextGenerator, first_q: int, first_a: int
) -> Iterator[dict[str, Any]]:
    for i in range(len(plan.q_pop)):
        body = text.question_body(plan.q_topic[i])
        accepted = plan.q_accepted[i]
        yield {
            "id": first_q + i,
            "title": text.title(plan.q_topic[i]),
            "body": body,
            "body_html": body_html(body),
            "excerpt": excerpt(body),
            "cornerstone": plan.q_cornerstone[i],
            "author": plan.q_author[i],
            "authority": plan.q_authority[i],
            "directed_to": plan.q_directed[i],
            "status": status_of(plan, i),
            "accepted_answer_id": first_a + accepted if accepted is not None else None,
            "score": plan.q_score[i],
            "answer_count": plan.q_answers[i],
            "created_at": ts(plan.q_created[i]),
            "updated_at": ts(plan.q_created[i]),
            "last_activity_at": ts(plan.q_last[i]),
            "hidden": plan.q_hidden[i],
            "hidden_reason": HIDDEN_REASON if plan.q_hidden[i] else "",
            "locked": plan.q_locked[i],
            "locked_reason": "Gesperrt durch die Moderation." if plan.q_locked[i] else "",
            "closed_reason": plan.q_closed[i],
        }


def answer_rows(
    plan: Plan, text: TextGenerator, first_q: int, first_a: int, users: dict[int, UserRow]
) -> Iterator[dict[str, Any]]:
    for a in range(len(plan.a_question)):
        q = plan.a_question[a]
        body = text.answer_body(plan.q_topic[q])
        author = users[plan.a_author[a]]
        yield {
            "id": first_a + a,
            "question": first_q + q,
            "body": body,
            "body_html": body_html(body),
            "author": author.id,
            "authority": author.authority,
            "from_model_site": author.model_site_expert,
            "score": plan.a_score[a],
            "accepted": plan.a_accepted[a],
            "hidden": plan.a_hidden[a],
            "hidden_reason": HIDDEN_REASON if plan.a_hidden[a] else "",
            "created_at": ts(plan.a_created[a]),
            "updated_at": ts(plan.a_created[a]),
        }


def consultation_rows(gen: Generator, first: dict[str, int]) -> tuple[list[dict[str, Any]], ...]:
    """Consultations and their instruments, participants, posts and phase changes, each
    consistent with the phase the consultation has reached."""
    rng, text, plan, ref = gen.rng, gen.text, gen.plan, gen.ref
    active = [u for u in plan.users if u.status == "active" and u.role in ("member", "expert")]
    cornerstone_cw = zipf_cum_weights(len(ref.cornerstones), 0.9)
    consultations, instruments, participants, posts, transitions = [], [], [], [], []
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


GROUPS_SHORT = ["Fachkräfte", "Familien", "Studierende", "Auszubildende", "Arbeitgeber"]


# --- main -----------------------------------------------------------------------------------


async def check_render_equivalence(text: TextGenerator) -> None:
    for _ in range(50):
        body = text.question_body(text.topic())
        if render(body) != body_html(body):
            raise SystemExit(f"body_html shortcut differs from markdown.render for: {body!r}")


async def load_reference() -> Reference:
    cornerstones = [
        r["id"] for r in await Cornerstone.select(Cornerstone.id).order_by(Cornerstone.number).run()
    ]
    instruments = [
        (r["id"], r["cornerstone"], r["title"])
        for r in await Instrument.select(Instrument.id, Instrument.cornerstone, Instrument.title)
        .order_by(Instrument.id)
        .run()
    ]
    authorities = [
        (r["id"], r["slug"], r["kind"])
        for r in await Authority.select(Authority.id, Authority.slug, Authority.kind).run()
    ]
    return Reference(cornerstones, instruments, authorities)


class FastLoadEngine(SQLiteEngine):
    """The same database file, with `synchronous=OFF` and a large page cache on every
    connection it opens: used only by the bulk writer, so the app never runs with them."""

    async def get_connection(self) -> Any:
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous=OFF")
        # A 256 MB page cache keeps the index B-trees in memory while the rows pour in.
        await connection.execute("PRAGMA cache_size=-262144")
        return connection


class SqliteLoadMode:
    """WAL for the load, and the journal mode the database had before afterwards."""

    def __init__(self, engine: SQLiteEngine) -> None:
        self.engine = engine
        self.previous_mode = "delete"

    async def __aenter__(self) -> FastLoadEngine:
        rows = await self.engine.run_ddl("PRAGMA journal_mode")
        self.previous_mode = str(next(iter(rows[0].values())))
        await self.engine.run_ddl("PRAGMA journal_mode=WAL")
        return FastLoadEngine(path=self.engine.path, timeout=60)

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.run_ddl(f"PRAGMA journal_mode={self.previous_mode}")


async def generate(args: argparse.Namespace) -> dict[str, Any]:
    var_dir = Path(args.var_dir) if args.var_dir else default_var_dir(args.database_url)
    settings = Settings(database_url=args.database_url, var_dir=var_dir)
    database = Database.from_settings(settings)
    engine = database.engine
    sizes = Sizes(
        questions=args.questions,
        answers=args.answers,
        votes=args.votes,
        users=args.users,
        authorities=args.authorities,
        consultations=args.consultations,
        comments=args.comments,
    )
    overall = time.perf_counter()
    await database.open()
    current = make_current(database)
    try:
        started = time.perf_counter()
        await migrations.migrate()
        await seed_reference_data()
        print(f"migrated and seeded in {time.perf_counter() - started:.1f} s")
        existing = await Question.count().run()
        if existing:
            raise SystemExit(
                f"the database already holds {existing} questions: use an empty database"
            )
        writer = BulkWriter(engine, progress=not args.no_progress)
        tables: list[type[Table]] = [
            Authority, User, UserInstrument, Question, QuestionInstrument, Answer, Comment,
            Vote, Follow, Consultation, ConsultationInstrument, Participant, ConsultationPost,
            PhaseTransition,
        ]  # fmt: skip
        first = {t._meta.tablename: await writer.next_id(t) for t in tables}
        ref = await load_reference()
        gen = Generator(sizes, ref, args.seed, datetime.now(UTC))
        await check_render_equivalence(gen.text)
        gen.authorities(first["authority"])
        gen.users(first["app_user"])
        plan = gen.build()
        password_hash = await passwords.hash_password(BENCH_PASSWORD)
        users = {u.id: u for u in plan.users}
        fq, fa = first["question"], first["answer"]

        load_started = time.perf_counter()
        load_mode = SqliteLoadMode(engine) if isinstance(engine, SQLiteEngine) else None
        if load_mode:
            writer.use(await load_mode.__aenter__())
        try:
            await writer.insert(Authority, plan.authorities, len(plan.authorities))
            await writer.insert(
                User,
                (
                    {
                        "id": u.id,
                        "email": u.email,
                        "display_name": u.display_name,
                        "authority": u.authority,
                        "role": u.role,
                        "status": u.status,
                        "password_hash": password_hash,
                        "created_at": ts(gen.start),
                        "approved_at": ts(gen.start) if u.status != "pending" else None,
                    }
                    for u in plan.users
                ),
                len(plan.users),
            )
            await writer.insert(
                UserInstrument,
                (
                    {"id": first["user_instrument"] + k, "user": u, "instrument": i}
                    for k, (u, i) in enumerate(plan.user_instruments)
                ),
                len(plan.user_instruments),
            )
            await writer.insert(Question, question_rows(plan, gen.text, fq, fa), sizes.questions)
            pairs = [(fq + q, i) for q, ins in enumerate(plan.q_instruments) for i in ins]
            await writer.insert(
                QuestionInstrument,
                (
                    {"id": first["question_instrument"] + k, "question": q, "instrument": i}
                    for k, (q, i) in enumerate(pairs)
                ),
                len(pairs),
            )
            await writer.insert(
                Answer, answer_rows(plan, gen.text, fq, fa, users), len(plan.a_question)
            )
            await writer.insert(
                Comment,
                (
                    {
                        "id": first["comment"] + k,
                        "question": fq + q,
                        "answer": fa + a if a is not None else None,
                        "body": gen.text.comment(plan.q_topic[q]),
                        "author": author,
                        "created_at": ts(created),
                    }
                    for k, (q, a, author, created) in enumerate(plan.comments)
                ),
                len(plan.comments),
            )
            await writer.insert(
                Vote,
                (
                    {
                        "id": first["vote"] + k,
                        "user": user,
                        "target_type": "answer" if is_answer else "question",
                        "target_id": (fa if is_answer else fq) + target,
                        "value": value,
                        "created_at": ts(created),
                    }
                    for k, (user, is_answer, target, value, created) in enumerate(plan.votes)
                ),
                len(plan.votes),
            )
            await writer.insert(
                Follow,
                (
                    {
                        "id": first["follow"] + i,
                        "user": plan.q_author[i],
                        "question": fq + i,
                        "created_at": ts(plan.q_created[i]),
                    }
                    for i in range(len(plan.q_author))
                ),
                len(plan.q_author),
            )
            c_rows = consultation_rows(gen, first)
            for table, rows in zip(
                [Consultation, ConsultationInstrument, Participant, ConsultationPost,
                 PhaseTransition],
                c_rows, strict=True,
            ):  # fmt: skip
                await writer.insert(table, rows, len(rows))
            await writer.finish(tables)
        finally:
            if load_mode:
                await load_mode.__aexit__()
        load_seconds = time.perf_counter() - load_started

        reindex: dict[str, Any] = {"skipped": True}
        if not args.skip_index:
            from fachaustausch.search.factory import create_backend
            from fachaustausch.search.worker import reindex as rebuild

            backend = create_backend(settings)
            started = time.perf_counter()
            try:
                await backend.configure()
                documents = await rebuild(backend)
            finally:
                await backend.close()
            seconds = time.perf_counter() - started
            reindex = {
                "backend": backend.name,
                "documents": documents,
                "seconds": round(seconds, 2),
                "documents_per_second": round(documents / seconds, 1),
                "index_dir": str(settings.search_dir),
            }
    finally:
        reset(current)
        await database.close()
    return {
        "database": "postgres" if isinstance(engine, PostgresEngine) else "sqlite",
        "sizes": asdict(sizes),
        "tables": [
            {**asdict(t), "rows_per_second": round(t.rows_per_second, 1)} for t in writer.timings
        ],
        "load_seconds": round(load_seconds, 2),
        "reindex": reindex,
        "total_seconds": round(time.perf_counter() - overall, 2),
        "bench_users": [f"benchmark-{n}@benchmark-abh.de" for n in range(1, BENCH_USERS + 1)],
        "var_dir": str(var_dir),
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{'table':<26}{'rows':>10}{'seconds':>10}{'rows/s':>12}",
        *(
            f"{t['table']:<26}{t['rows']:>10}{t['seconds']:>10.1f}{t['rows_per_second']:>12.0f}"
            for t in result["tables"]
        ),
        f"load total: {result['load_seconds']:.1f} s",
    ]
    r = result["reindex"]
    if not r.get("skipped"):
        lines.append(
            f"reindex ({r['backend']}): {r['documents']} documents in {r['seconds']:.1f} s "
            f"= {r['documents_per_second']:.0f} documents/s"
        )
    lines.append(f"everything: {result['total_seconds']:.1f} s")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = Sizes()
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True, help="sqlite:///path or postgresql://…")
    p.add_argument("--var-dir", help="where the search index goes (default var/bench/<engine>)")
    p.add_argument("--questions", type=int, default=defaults.questions)
    p.add_argument("--answers", type=int, default=defaults.answers)
    p.add_argument("--votes", type=int, default=defaults.votes)
    p.add_argument("--users", type=int, default=defaults.users)
    p.add_argument("--authorities", type=int, default=defaults.authorities)
    p.add_argument("--consultations", type=int, default=defaults.consultations)
    p.add_argument("--comments", type=int, default=defaults.comments)
    p.add_argument("--seed", type=int, default=2015, help="random seed (same seed, same data)")
    p.add_argument("--skip-index", action="store_true", help="do not build the search index")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("FACHAUSTAUSCH_ENVIRONMENT", "development")
    result = asyncio.run(generate(args))
    print(report(result))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"generate-{result['database']}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"timings written to {out.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
