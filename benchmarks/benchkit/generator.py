"""Plans authorities, users, questions, answers, votes and comments with a realistic skew:

- cornerstones and instruments by a Zipf-like law, a few very active users, experts of the
  model sites answering more often than members;
- 0–20 answers per question (truncated geometric, popular questions get more), votes drawn
  towards popular posts, one vote per user and post, never on one's own post;
- consistent derived state: `score` is the sum of the post's votes, `answer_count` counts the
  visible answers, `status` is open/answered/solved, one accepted (visible) answer, and
  `last_activity_at` is the newest activity."""

from __future__ import annotations

import json
import random
import time
from datetime import datetime

from tqdm import tqdm

from benchkit.fixtures import BENCH_AUTHORITY_SLUG, BENCH_USERS, bench_email
from benchkit.german_text import AUTHORITY_KINDS, LAENDER, TOWNS, TextGenerator, slugify
from benchkit.plan import Plan, Reference, Sizes, UserRow
from benchkit.skew import cumulative, fix_total, truncated_geometric, zipf_cum_weights

CLOSE_REASONS = ["duplicate", "outdated", "off_topic"]


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
                "email_domains": json.dumps([f"{BENCH_AUTHORITY_SLUG}.de"]),
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
            add(bench, "member", email=bench_email(n))
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
