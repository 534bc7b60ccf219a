"""The `fachaustausch` command end to end: a real process against a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACHAUSTAUSCH_")}
    env["FACHAUSTAUSCH_VAR_DIR"] = str(tmp_path / "var")
    return env


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fachaustausch.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    path = Path(env["FACHAUSTAUSCH_VAR_DIR"]) / "fachaustausch.sqlite3"
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_migrate_creates_schema_once(cli_env: dict[str, str]) -> None:
    first = run(cli_env, "migrate")
    assert first.returncode == 0, first.stderr
    assert "Migration(en) ausgeführt" in first.stdout
    second = run(cli_env, "migrate")
    assert second.returncode == 0
    assert "Datenbank ist aktuell." in second.stdout


def test_seed_is_idempotent(cli_env: dict[str, str]) -> None:
    for _ in range(2):
        result = run(cli_env, "seed")
        assert result.returncode == 0, result.stderr
        assert "5 Eckpunkte, 26 Instrumente, 23 Behörden" in result.stdout
    assert query(cli_env, "SELECT count(*) FROM cornerstone") == [(5,)]
    assert query(cli_env, "SELECT count(*) FROM instrument") == [(26,)]
    slugs = {row[0] for row in query(cli_env, "SELECT slug FROM authority")}
    assert {"weimar", "bietigheim-bissingen", "koeln", "bamf"} <= slugs
    assert query(cli_env, "SELECT kind FROM authority WHERE slug = 'bamf'") == [("federal",)]


def test_seed_demo_prints_passwords_once(cli_env: dict[str, str]) -> None:
    first = run(cli_env, "seed", "--demo")
    assert first.returncode == 0, first.stderr
    assert "mitglied@leipzig.de" in first.stdout
    assert "Demo-Mitglied-2026" in first.stdout
    roles = {row[0] for row in query(cli_env, "SELECT role FROM app_user WHERE status='active'")}
    assert roles == {"member", "expert", "moderator", "admin"}
    second = run(cli_env, "seed", "--demo")
    assert "Demo-Mitglied-2026" not in second.stdout
    assert "Demo-Konten bestehen bereits." in second.stdout


def test_user_create_reads_password_from_stdin(cli_env: dict[str, str]) -> None:
    assert run(cli_env, "seed").returncode == 0
    result = run(
        cli_env,
        "user", "create", "--email", "Anna.Schmidt@Weimar.de", "--name", "Anna Schmidt",
        "--role", "expert", "--authority", "weimar", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = query(cli_env, "SELECT email, role, status, password_hash FROM app_user")
    assert len(rows) == 1
    email, role, status, password_hash = rows[0]
    assert (email, role, status) == ("anna.schmidt@weimar.de", "expert", "active")
    assert str(password_hash).startswith("$argon2id$")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--authority", "weimar"], "kurz\n", "mindestens 12 Zeichen"),
        (["--authority", "weimar"], "passwort12345\n", "zu leicht zu erraten"),
        (["--authority", "gibtsnicht"], PASSWORD + "\n", "Diese Behörde ist nicht bekannt."),
        (["--authority", "leipzig", "--role", "expert"], PASSWORD + "\n", "Modellstandort"),
    ],
)
def test_user_create_refuses_bad_input_in_german(
    cli_env: dict[str, str], args: list[str], stdin: str, message: str
) -> None:
    assert run(cli_env, "seed").returncode == 0
    result = run(
        cli_env, "user", "create", "--email", "x@weimar.de", "--name", "X Y", "--password-stdin",
        *args, stdin=stdin,
    )  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr
    assert query(cli_env, "SELECT count(*) FROM app_user") == [(0,)]


def test_seed_demo_adds_consultations_in_several_phases_once(cli_env: dict[str, str]) -> None:
    first = run(cli_env, "seed", "--demo")
    assert first.returncode == 0, first.stderr
    assert "Demo-Fallberatungen: 3 neu angelegt." in first.stdout
    phases = "SELECT phase, count(*) FROM consultation GROUP BY phase ORDER BY phase"
    assert query(cli_env, phases) == [("advice", 1), ("closed", 1), ("narration", 1)]
    kinds = query(
        cli_env,
        "SELECT c.phase, p.kind, count(*) FROM consultation_post p "
        "JOIN consultation c ON c.id = p.consultation GROUP BY c.phase, p.kind",
    )
    counted = {(phase, kind): n for phase, kind, n in kinds}
    assert counted[("narration", "narration")] == 1
    assert counted[("narration", "clarifying_question")] == 1
    assert counted[("advice", "advice")] == 2
    assert counted[("closed", "conclusion")] == 1
    assert query(
        cli_env, "SELECT method, key_question != '', closed_at IS NOT NULL FROM consultation "
        "WHERE phase IN ('advice', 'closed') ORDER BY phase",
    ) == [("good_advice", 1, 0), ("experience", 1, 1)]  # fmt: skip
    assert query(
        cli_env,
        "SELECT count(*) FROM phase_transition t JOIN consultation c "
        "ON c.id = t.consultation WHERE c.phase = 'closed'",
    ) == [(6,)]
    second = run(cli_env, "seed", "--demo")
    assert second.returncode == 0, second.stderr
    assert "Demo-Fallberatungen: 0 neu angelegt." in second.stdout
    assert query(cli_env, "SELECT count(*) FROM consultation") == [(3,)]


def _unset_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve` sets FACHAUSTAUSCH_BASE_URL in this process's environment: set through
    # monkeypatch first, so the test's end takes it away again.
    monkeypatch.setenv("FACHAUSTAUSCH_BASE_URL", "")
    monkeypatch.delenv("FACHAUSTAUSCH_BASE_URL")


def test_serve_passes_the_chosen_event_loop_to_uvicorn(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """asyncio (measured: shorter tails than uvloop) unless `--loop` names another."""
    import uvicorn
    from click.testing import CliRunner

    from fachaustausch.cli import main

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    _unset_base_url(monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["serve"], env=cli_env).exit_code == 0
    assert runner.invoke(main, ["serve", "--loop", "auto"], env=cli_env).exit_code == 0
    assert [c["loop"] for c in calls] == ["asyncio", "auto"]
    refused = runner.invoke(main, ["serve", "--loop", "trio"], env=cli_env)
    assert refused.exit_code != 0
    assert calls[2:] == []


def test_serve_points_the_base_url_at_the_address_it_listens_on(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PORT and HOST of ./scripts/run reach the links in e-mails and on the pages (the
    accessibility statement names the address): unless FACHAUSTAUSCH_BASE_URL says
    otherwise, it is the address the server listens on."""
    import uvicorn
    from click.testing import CliRunner

    from fachaustausch.cli import main
    from fachaustausch.settings import Settings

    seen: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.append(Settings().base_url))
    _unset_base_url(monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "--port", "8765"], env=cli_env).exit_code == 0
    assert seen[-1] == "http://127.0.0.1:8765"
    _unset_base_url(monkeypatch)
    wildcard = ["serve", "--host", "0.0.0.0", "--port", "9001"]  # noqa: S104 - not bound
    result = runner.invoke(main, wildcard, env=cli_env)
    assert result.exit_code == 0
    assert seen[-1] == "http://127.0.0.1:9001"
    # A configured base URL (behind a proxy, https) is kept.
    configured = {**cli_env, "FACHAUSTAUSCH_BASE_URL": "https://fachaustausch.example.de"}
    monkeypatch.setenv("FACHAUSTAUSCH_BASE_URL", "https://fachaustausch.example.de")
    assert runner.invoke(main, ["serve", "--port", "8766"], env=configured).exit_code == 0
    assert seen[-1] == "https://fachaustausch.example.de"
