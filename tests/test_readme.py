"""The README's two commands are real: the run command brings up a server, and CI runs
the test command. (The test command itself is what runs this file.)"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", README, re.S)
    assert match, f"README has no block after <!-- {marker} -->"
    return match.group(1).strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_ci_runs_the_readme_test_command() -> None:
    command = readme_command("test-command")
    assert command == "./scripts/test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_readme_run_command_serves_the_platform(tmp_path: Path) -> None:
    command = readme_command("run-command")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACHAUSTAUSCH_")}
    env |= {"PORT": str(port), "FACHAUSTAUSCH_VAR_DIR": str(tmp_path / "var")}
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        command, shell=True, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        status = 0
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = get(f"http://127.0.0.1:{port}/health")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        output = (tmp_path / "run.log").read_text()
        assert status == 200, f"no healthy server; output:\n{output}"
        assert '"database":{"ok":true' in body.replace(" ", "")
        # Demo data is there: the accounts were printed and the login page renders.
        assert "mitglied@leipzig.de" in output
        status, page = get(f"http://127.0.0.1:{port}/anmelden")
        assert status == 200
        assert "Anmelden" in page
        # PORT reaches the address the pages (and e-mails) name.
        status, page = get(f"http://127.0.0.1:{port}/barrierefreiheit")
        assert f"http://127.0.0.1:{port}" in page
        assert "127.0.0.1:8000" not in page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
