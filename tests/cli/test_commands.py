"""The `fachaustausch` command end to end: a real process against a fresh SQLite file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.database


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


def test_seed_demo_adds_upcoming_events_with_registrations_once(cli_env: dict[str, str]) -> None:
    first = run(cli_env, "seed", "--demo")
    assert first.returncode == 0, first.stderr
    assert "Demo-Veranstaltungen: 3 neu angelegt." in first.stdout
    events = query(
        cli_env,
        "SELECT kind, status, starts_at > CURRENT_TIMESTAMP, registration_deadline < starts_at "
        "FROM event ORDER BY starts_at",
    )
    assert events == [
        ("site_visit", "scheduled", 1, 1),
        ("training", "scheduled", 1, 1),
        ("online", "scheduled", 1, 1),
    ]
    registered = "SELECT status, count(*) FROM registration GROUP BY status"
    assert query(cli_env, registered) == [("confirmed", 3)]
    assert query(cli_env, "SELECT count(*) FROM programme_item") == [(8,)]
    second = run(cli_env, "seed", "--demo")
    assert "Demo-Veranstaltungen: 0 neu angelegt." in second.stdout
    assert query(cli_env, "SELECT count(*) FROM event") == [(3,)]


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


# Texts written straight into the database, as they could be stored before the guard
# checked every text: (table, column, text); each table's name is its flag target type.
UNCHECKED = [
    ("question", "body", "Wir hatten den Fall von Herrn Mehmet Yilmaz, Tel. 0361 123456."),
    ("answer", "body", "Bruder Ali wohnt in der Goethestraße 5, 99423 Weimar."),
    ("comment", "body", "Schreiben Sie an a.karimi[at]example.de"),
    ("consultation", "title", "Fall Ayse Demir: Aufenthalt nach § 25 Abs. 5"),
    ("consultation_post", "body", "Die Kundin Svetlana Morozova, geb. 02.05.1990, wartet."),
]


def _write_unchecked(env: dict[str, str]) -> dict[str, int]:
    """One post of each kind with personal data, plus two nobody sees (hidden); returns the
    ids of the visible ones by table."""
    path = Path(env["FACHAUSTAUSCH_VAR_DIR"]) / "fachaustausch.sqlite3"
    ids: dict[str, int] = {}
    with sqlite3.connect(path) as conn:
        for table, column, text in UNCHECKED:
            condition = "answer IS NULL" if table == "comment" else "1 = 1"
            [(row_id,)] = conn.execute(
                f"SELECT min(id) FROM {table} WHERE {condition}"  # noqa: S608 (fixed names)
            ).fetchall()
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (text, row_id))  # noqa: S608
            ids[table] = row_id
        # A hidden answer, and a comment under it: neither is visible, neither is reported.
        [(hidden,)] = conn.execute("SELECT max(id) FROM answer").fetchall()
        conn.execute(
            "UPDATE answer SET hidden = 1, body = 'Herr Mehmet Yilmaz' WHERE id = ?", (hidden,)
        )
        conn.execute(
            "INSERT INTO comment (question, answer, body, author, hidden, hidden_reason, "
            "created_at) SELECT question, id, 'Frau Nowak weiß mehr', author, 0, '', "
            "created_at FROM answer WHERE id = ?",
            (hidden,),
        )
    return ids


def test_privacy_scan_reports_stored_personal_data_once(cli_env: dict[str, str]) -> None:
    assert run(cli_env, "seed", "--demo").returncode == 0
    clean = run(cli_env, "privacy", "scan")
    assert clean.returncode == 0, clean.stderr
    assert "Keine sichtbaren Beiträge mit personenbezogenen Daten gefunden." in clean.stdout
    ids = _write_unchecked(cli_env)

    first = run(cli_env, "privacy", "scan")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert (
        lines[-1]
        == "5 Beiträge mit personenbezogenen Daten, davon 5 neu an die Moderation gemeldet."
    )
    assert len(lines) == 6
    assert f"Frage Nr. {ids['question']} (/fragen/{ids['question']}): Text: Name (Zeichen" in (
        first.stdout
    )
    consultation = ids["consultation"]
    assert (
        f"Fallberatung Nr. {consultation} (/fallberatungen/{consultation}): "
        "Titel: Name (Zeichen 6–15) – neu gemeldet"
    ) in first.stdout
    for line in lines[:-1]:
        assert line.endswith("– neu gemeldet")
    # The listing names kinds and places, never the personal data itself.
    assert "Yilmaz" not in first.stdout
    assert "karimi" not in first.stdout
    flags = query(
        cli_env,
        "SELECT target_type, target_id, reporter, reason, status, text FROM flag ORDER BY id",
    )
    assert sorted((t, i) for t, i, *_ in flags) == sorted(
        (table, row_id) for table, row_id in ids.items()
    )
    for _, _, reporter, reason, status, text in flags:
        assert (reporter, reason, status) == (None, "personal_data", "open")
        assert str(text).startswith("Vom System gemeldet")

    second = run(cli_env, "privacy", "scan")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[-1] == (
        "5 Beiträge mit personenbezogenen Daten, davon 0 neu an die Moderation gemeldet."
    )
    assert second.stdout.count("– bereits gemeldet") == 5
    assert query(cli_env, "SELECT count(*) FROM flag") == [(5,)]


def _index_counts(output: str) -> dict[str, tuple[int, int]]:
    """The per-type lines of `search status`: type -> (in the database, in the index)."""
    found = re.findall(r"^\s+(\w+)\s+Datenbank\s+(\d+)\s+Index\s+(\d+)$", output, re.MULTILINE)
    return {kind: (int(database), int(index)) for kind, database, index in found}


def test_search_status_counts_the_embedded_index_and_reindex_keeps_every_type(
    cli_env: dict[str, str],
) -> None:
    """A fresh install: the demo data reaches the index through the outbox (toolbox pages
    included), `search status` reports the embedded engine with its counts, and a full
    rebuild keeps every document type (closed consultations included)."""
    assert run(cli_env, "seed", "--demo").returncode == 0
    before = run(cli_env, "search", "status")
    assert before.returncode == 0, before.stderr
    assert "Suchmaschine: embedded (NICHT erreichbar)" in before.stdout  # no index yet
    worked = run(cli_env, "search", "work", "--once")
    assert worked.returncode == 0, worked.stderr
    status = run(cli_env, "search", "status")
    assert status.returncode == 0, status.stderr
    assert "Suchmaschine: embedded (erreichbar)" in status.stdout
    counts = _index_counts(status.stdout)
    assert counts == {
        "question": (36, 36),
        "instrument": (26, 26),
        "consultation": (1, 1),
        "event": (3, 3),
    }
    assert "Rückstand (Outbox): 0" in status.stdout

    reindexed = run(cli_env, "reindex")
    assert reindexed.returncode == 0, reindexed.stderr
    assert "Suchindex neu aufgebaut: 66 Dokumente" in reindexed.stdout
    assert _index_counts(run(cli_env, "search", "status").stdout) == counts


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
