"""The servers under load: the floor app (uvicorn) and the platform (`fachaustausch serve`),
on 127.0.0.1 and a free port, stopped on exit whatever happens; their memory per worker."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from benchkit.project import PROJECT_ROOT

HOST = "127.0.0.1"
STARTED = "Application startup complete."
FAILED = "Application startup failed."


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """A server process and, with several workers, the worker processes it starts.

    `command` gets --host and --port appended. Its standard output (uvicorn's access log,
    where the command writes one) is discarded; the error stream goes to `log`."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], log: Path, workers: int = 1
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log
        self.workers = workers
        self.command = [*command, "--host", HOST, "--port", str(self.port)]
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def log_text(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _failure(self, why: str) -> RuntimeError:
        tail = "\n".join(self.log_text().splitlines()[-25:])
        return RuntimeError(f"{self.name}: {why}; see {self.log_path}:\n{tail}")

    def start(self, ready_path: str, timeout: float = 120.0) -> None:
        """Starts the server and waits until every worker has started and `ready_path`
        answers 200; a worker that fails to start fails the run, with the log's end."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.command,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=PROJECT_ROOT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self._failure(f"exited with {self.process.returncode}")
            text = self.log_text()
            if FAILED in text:
                raise self._failure(f"a worker failed to start ({self.workers} asked for)")
            if text.count(STARTED) >= self.workers and self._answers(ready_path):
                return
            time.sleep(0.3)
        started = self.log_text().count(STARTED)
        raise self._failure(
            f"{started} of {self.workers} workers started and answered {ready_path} "
            f"within {timeout:.0f} s"
        )

    def _answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310 - loopback
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def _tree(self) -> list[psutil.Process]:
        if self.process is None or self.process.poll() is not None:
            return []
        main = psutil.Process(self.process.pid)
        try:
            return [main, *main.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def worker_processes(self) -> list[psutil.Process]:
        """With several workers uvicorn's supervisor starts them as its children (next to
        multiprocessing's resource tracker, if any); with one, the server is the worker."""
        tree = self._tree()
        if not tree:
            return []
        children = []
        for child in tree[0].children(recursive=False):
            try:
                if "resource_tracker" not in " ".join(child.cmdline()):
                    children.append(child)
            except psutil.NoSuchProcess:
                continue
        return children if self.workers > 1 and children else tree[:1]

    @staticmethod
    def _mb(processes: list[psutil.Process], field: str) -> float:
        total = 0
        for proc in processes:
            try:
                total += getattr(proc.memory_info(), field)
            except psutil.NoSuchProcess:
                continue
        return round(total / 2**20, 1)

    def rss_mb(self) -> float:
        return self._mb(self._tree(), "rss")

    def rss_per_worker_mb(self) -> list[float]:
        return [self._mb([w], "rss") for w in self.worker_processes()]

    def file_backed_mb(self) -> float:
        """The part of RSS that maps files (the search index, libraries): page cache the
        kernel can drop, unlike the process's own (anonymous) memory."""
        return self._mb(self._tree(), "shared")

    def settle(self, timeout: float = 120.0) -> float:
        """Waits until the server's processes are idle (below a tenth of a core over half a
        second), so requests left over from one endpoint's load do not spill into the
        next; returns the wait."""
        tree = self._tree()
        if not tree:
            return 0.0
        started = time.monotonic()
        for proc in tree:
            proc.cpu_percent(None)
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            busy = 0.0
            for proc in tree:
                try:
                    busy += proc.cpu_percent(None)
                except psutil.NoSuchProcess:
                    continue
            if busy < 10:
                break
        return round(time.monotonic() - started, 1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for proc in reversed(self._tree()):
                try:
                    proc.kill()
                except psutil.NoSuchProcess:
                    continue
            self.process.wait(timeout=5)
