"""The malloc arena cap: counted in a fresh process with glibc's own report (malloc_info),
since a process keeps the arenas its threads were given."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
import textwrap

import pytest

from fachaustausch import memory
from fachaustausch.app import create_app
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
    from fachaustausch import memory
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


def test_the_app_caps_the_arenas_from_its_settings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "limit_malloc_arenas", calls.append)
    create_app(settings.model_copy(update={"malloc_arena_max": 3}))
    assert calls == [3]
