"""`fachaustausch notifications send` as a worker of its own: a real process."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_commands import run

pytestmark = pytest.mark.database


def test_the_command_expands_events_and_writes_mails(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACHAUSTAUSCH_")}
    env["FACHAUSTAUSCH_VAR_DIR"] = str(tmp_path / "var")
    assert run(env, "seed", "--demo").returncode == 0
    with sqlite3.connect(tmp_path / "var" / "fachaustausch.sqlite3") as conn:
        [(events,)] = conn.execute("SELECT count(*) FROM domain_event").fetchall()
    assert events > 0

    result = run(env, "notifications", "send", "--once")

    assert result.returncode == 0, result.stderr
    assert f"{events} Ereignis(se) verteilt" in result.stdout
    with sqlite3.connect(tmp_path / "var" / "fachaustausch.sqlite3") as conn:
        [(pending,)] = conn.execute(
            "SELECT count(*) FROM domain_event WHERE processed_at IS NULL"
        ).fetchall()
        [(sent,)] = conn.execute("SELECT count(*) FROM mail_outbox WHERE state = 'sent'").fetchall()
    assert pending == 0
    # Routed questions go out at once; without SMTP_URL as files.
    assert sent > 0
    assert len(list((tmp_path / "var" / "mail").glob("*.eml"))) == sent
    again = run(env, "notifications", "send", "--once")
    assert "0 Ereignis(se) verteilt" in again.stdout
