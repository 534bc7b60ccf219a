"""What generate.py creates and run.py relies on: the benchmark accounts, their password,
and where the data and the results live."""

from __future__ import annotations

from pathlib import Path

from benchkit.project import PROJECT_ROOT

BENCH_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BENCH_DIR / "results"

BENCH_PASSWORD = "Benchmark-Passwort-2026!"  # noqa: S105 - a fixture for local load tests
BENCH_AUTHORITY_SLUG = "benchmark-abh"
# Ordinary members that author nothing, so votes by them are never refused as votes on
# their own posts. run.py takes the first half for tokens and the second for sessions.
BENCH_USERS = 8


def bench_email(n: int) -> str:
    return f"benchmark-{n}@{BENCH_AUTHORITY_SLUG}.de"


def engine_of(database_url: str) -> str:
    return "postgres" if database_url.startswith("postgres") else "sqlite"


def default_var_dir(database_url: str) -> Path:
    return Path(PROJECT_ROOT) / "var" / "bench" / engine_of(database_url)
