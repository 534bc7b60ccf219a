"""The malloc arena cap: counted in a fresh process with glibc's own report (malloc_info),
since a process keeps the arenas its threads were given."""

from __future__ import annotations

import asyncio
import ctypes.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from litestar.testing import AsyncTestClient

from fachaustausch import cli
from fachaustausch.app import create_app
from fachaustausch.process import memory
from fachaustausch.settings import Settings
from tests.conftest import POSTGRES_URL

pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None,
        reason="glibc only",
    ),
    pytest.mark.skipif(bool(POSTGRES_URL), reason="no database; runs in the SQLite pass"),
]

# Sixteen threads allocate at once, then the process counts glibc's heaps ("arenas").
_COUNT_ARENAS = textwrap.dedent(
    """
    import ctypes, ctypes.util, re, sys, tempfile, threading
    from fachaustausch.process import memory
    capped = memory.limit_malloc_arenas(int(sys.argv[1]))
    barrier = threading.Barrier(16)
    def allocate():
        barrier.wait()
        blocks = [bytearray(4096) for _ in range(2000)]
        del blocks
    threads = [threading.Thread(target=allocate) for _ in range(16)]
    for t in threads: t.start()
    for t in threads: t.join()
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.fopen.restype = ctypes.c_void_p
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    with tempfile.NamedTemporaryFile("r") as out:
        stream = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        heaps = len(re.findall(r"<heap nr=", out.read()))
    print(capped, heaps)
    """
)


def _arenas(cap: int, **env: str) -> tuple[bool, int]:
    environment = {k: v for k, v in os.environ.items() if k != memory.ENV_VARIABLE} | env
    result = subprocess.run(
        [sys.executable, "-c", _COUNT_ARENAS, str(cap)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        timeout=60,
    )
    capped, heaps = result.stdout.split()
    return capped == "True", int(heaps)


def test_the_cap_limits_the_arenas_of_many_threads() -> None:
    uncapped, heaps_uncapped = _arenas(0)
    capped, heaps_capped = _arenas(2)
    assert not uncapped
    assert capped
    assert heaps_capped <= 2
    assert heaps_uncapped > heaps_capped, "without the cap the threads get arenas of their own"


def test_an_operators_malloc_arena_max_wins() -> None:
    capped, heaps = _arenas(1, MALLOC_ARENA_MAX="3")
    assert not capped
    assert heaps <= 3


def test_serve_caps_the_arenas_from_its_settings_and_an_app_leaves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is process-wide: `fachaustausch serve` sets it before the server's threads
    start; building an app (a test, a second app in one process) changes nothing."""
    capped: list[int] = []
    monkeypatch.setattr(memory, "limit_malloc_arenas", lambda count: capped.append(count))
    monkeypatch.setattr(memory, "limit_server_arenas", lambda count: capped.append(-count))
    create_app(Settings(var_dir=tmp_path / "app", malloc_arena_max=3))
    assert capped == []

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: served.append(kwargs))
    monkeypatch.setenv("FACHAUSTAUSCH_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("FACHAUSTAUSCH_MALLOC_ARENA_MAX", "3")
    result = CliRunner().invoke(cli.main, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert capped == [-3]
    assert served[0]["factory"] is True


# A thread fills its arena with 40 MB of small blocks and frees all but every 64th, which
# pins the arena's pages: glibc keeps them until trimmed. RSS in MB before and after.
_TRIM = textwrap.dedent(
    """
    import sys, threading
    from fachaustausch.process import memory
    def rss_mb():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20
    kept = []
    def fill():
        blocks = [bytearray(4000) for _ in range(10_000)]
        kept.extend(blocks[::64])
        del blocks
    thread = threading.Thread(target=fill)
    thread.start()
    thread.join()
    before = rss_mb()
    trimmed = memory.trim()
    print(trimmed, round(before - rss_mb()))
    """
)


def test_trim_gives_freed_memory_back() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _TRIM], capture_output=True, text=True, check=True, timeout=60
    )
    trimmed, released_mb = result.stdout.split()
    assert trimmed == "True"
    assert int(released_mb) >= 20, "most of the 39 MB freed goes back to the system"


async def _trims_while_running(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, interval: float
) -> tuple[int, int]:
    """How often an app with this interval trimmed while it ran 0.3 s, and in all once it
    had stopped 0.15 s earlier."""
    calls: list[None] = []

    def counted() -> bool:
        calls.append(None)
        return True

    monkeypatch.setattr(memory, "trim", counted)
    app = create_app(settings.model_copy(update={"malloc_trim_interval_seconds": interval}))
    async with AsyncTestClient(app):
        await asyncio.sleep(0.3)
    running = len(calls)
    await asyncio.sleep(0.15)
    return running, len(calls)


async def test_the_app_trims_while_it_runs(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, in_all = await _trims_while_running(settings, monkeypatch, 0.05)
    assert running >= 2
    assert in_all == running, "the trimming ends with the app"


async def test_trimming_can_be_switched_off(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _trims_while_running(settings, monkeypatch, 0) == (0, 0)
